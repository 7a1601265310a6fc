-- Tenants: several administrations on one installation, each with its own policy. A key
-- belongs to one tenant; its requests are decided by that tenant's policy and recorded with it.
ALTER TABLE api_keys ADD COLUMN tenant text NOT NULL DEFAULT 'default'
  CHECK (tenant ~ '^[a-z0-9._-]{1,64}$');
COMMENT ON COLUMN api_keys.tenant IS 'The administration (tenant) the key belongs to; selects the policy that decides its requests.';
ALTER TABLE decisions ADD COLUMN tenant text NOT NULL DEFAULT 'default';
COMMENT ON COLUMN decisions.tenant IS 'Tenant whose policy decided the request (the default tenant for unauthenticated requests).';
CREATE INDEX decisions_tenant_ts ON decisions (tenant, ts);
