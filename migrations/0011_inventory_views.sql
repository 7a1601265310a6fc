-- What reports and the AI register read (issue #6): the AI services and departments of each
-- policy version as tables, and summaries of the decision log as views that keep row-level
-- security (security_invoker: a tenant reader sees only its tenant's rows through them too).
CREATE TABLE policy_services (
  tenant                 text NOT NULL,
  digest                 text NOT NULL,
  name                   text NOT NULL,
  provider               text NOT NULL,
  models                 text[] NOT NULL,
  location               text NOT NULL,
  transfer_basis         text NOT NULL CHECK (transfer_basis IN ('eea', 'adequacy', 'scc', 'none')),
  processor_contract     text NOT NULL,
  no_training_on_inputs  boolean NOT NULL,
  price_input_per_1k     double precision NOT NULL,
  price_output_per_1k    double precision NOT NULL,
  enabled                boolean NOT NULL,
  PRIMARY KEY (tenant, digest, name),
  FOREIGN KEY (tenant, digest) REFERENCES policy_versions (tenant, digest)
);
COMMENT ON TABLE policy_services IS 'The AI services a policy version approves (provider, hosting, transfer basis, Art. 28 contract, no-training, prices): the AI register and cost reports.';

CREATE TABLE policy_departments (
  tenant  text NOT NULL,
  digest  text NOT NULL,
  name    text NOT NULL,
  PRIMARY KEY (tenant, digest, name),
  FOREIGN KEY (tenant, digest) REFERENCES policy_versions (tenant, digest)
);
COMMENT ON TABLE policy_departments IS 'The departments a policy version knows (its departments registry).';

-- One row per record and entity type found (the detections summary; counts only, no values).
CREATE VIEW detections WITH (security_invoker = true) AS
  SELECT d.record_id, d.ts, d.tenant, d.department, d.decision, e.key AS entity_type, e.value::int AS count,
         false AS in_answer
  FROM decisions d, jsonb_each_text(d.entity_counts) e
  UNION ALL
  SELECT d.record_id, d.ts, d.tenant, d.department, d.decision, e.key, e.value::int, true
  FROM decisions d, jsonb_each_text(d.answer_entity_counts) e;
COMMENT ON VIEW detections IS 'Personal data found per record and type (requests and, with responses.scan_personal_data, answers); counts only.';

-- Staff pseudonyms (per period, see pseudonym_rotation) with their activity: for counting
-- active users, never for naming them.
CREATE VIEW staff_pseudonyms WITH (security_invoker = true) AS
  SELECT user_ref, tenant, department, min(ts) AS first_seen, max(ts) AS last_seen, count(*) AS requests
  FROM decisions WHERE user_ref IS NOT NULL
  GROUP BY user_ref, tenant, department;
COMMENT ON VIEW staff_pseudonyms IS 'Pseudonymous staff per period with request counts; reports apply small-number suppression.';
