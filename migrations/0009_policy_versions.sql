-- Every policy text that decided requests, by its SHA-256 (decisions.policy_digest): an auditor
-- can read the exact rules, services, departments and purposes in force for any record.
CREATE TABLE policy_versions (
  tenant        text NOT NULL,
  digest        text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
  version       text NOT NULL,
  first_loaded  timestamptz NOT NULL DEFAULT now(),
  instance      text NOT NULL,
  source        text NOT NULL,
  PRIMARY KEY (tenant, digest)
);
COMMENT ON TABLE policy_versions IS 'The policy texts in force (YAML as loaded), keyed by tenant and SHA-256; decisions.policy_digest refers to them.';
COMMENT ON COLUMN policy_versions.first_loaded IS 'When a gateway first loaded this text (start or reload).';
COMMENT ON COLUMN policy_versions.instance IS 'The gateway that recorded it first.';
