-- Tenant isolation for readers of the decision log (reports, dashboards, the DPO's tools of
-- one administration): PostgreSQL row-level security. A database role listed in
-- tenant_readers sees only the rows of its tenant(s) when it reads `decisions`. The gateway's
-- own role owns the tables and is not restricted (it writes every tenant's records).
CREATE TABLE tenant_readers (
  role_name text PRIMARY KEY,
  tenant    text NOT NULL CHECK (tenant ~ '^[a-z0-9._-]{1,64}$')
);
COMMENT ON TABLE tenant_readers IS 'Which database role may read which tenant''s decision records (row-level security on decisions).';

-- The tenants the logged-in role may read; SECURITY DEFINER so that readers need no access to
-- the mapping (and learn only their own tenants).
CREATE FUNCTION leitplanke_reader_tenants() RETURNS SETOF text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT tenant FROM tenant_readers WHERE pg_has_role(session_user, role_name, 'MEMBER') $$;

ALTER TABLE decisions ENABLE ROW LEVEL SECURITY;
CREATE POLICY decisions_tenant_read ON decisions FOR SELECT
  USING (tenant IN (SELECT leitplanke_reader_tenants()));
COMMENT ON POLICY decisions_tenant_read ON decisions IS 'Readers see the rows of the tenants tenant_readers grants them; grant them SELECT on decisions only (not on its partitions).';
