-- Small-number suppression in reports (issue #6) needs, for every figure a report shows, how
-- many distinct staff contributed to it. active_users therefore gains one row per pseudonym and
-- value of each reported dimension (model, purpose, purpose acknowledged, month, decision, rule, entity type in requests and in answers), next
-- to the existing total row (dimension ''), and whether the person's AI-literacy training was
-- valid at any of their requests in the period. Counts of people only; the rows hold nothing a
-- decision record does not hold already, and are deleted with the pseudonym period.
ALTER TABLE active_users
  ADD COLUMN dimension text NOT NULL DEFAULT '',
  ADD COLUMN value     text NOT NULL DEFAULT '',
  ADD COLUMN trained   boolean NOT NULL DEFAULT false;
ALTER TABLE active_users DROP CONSTRAINT active_users_pkey;
ALTER TABLE active_users ADD PRIMARY KEY (period, tenant, department, dimension, value, user_ref);
COMMENT ON COLUMN active_users.dimension IS 'Reported dimension of this row: '''' (the person''s total), model, purpose, acknowledged (the purpose of requests with human-review confirmation), month (YYYY-MM), decision, rule, entity (found in the request) or answer_entity (found in the answer).';
COMMENT ON COLUMN active_users.trained IS 'The AI-literacy training of the key holder was valid at one or more of these requests.';

-- Verification runs (leitplanke audit verify --record) are audit events too: reports show the
-- latest result that covers their period.
ALTER TABLE audit_events DROP CONSTRAINT audit_events_kind_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_kind_check CHECK (kind IN ('retention', 'reidentify', 'verify'));

-- Tenant readers (tenant_readers, migration 0008) may run reports of their own tenant: the
-- aggregates and policy versions get the same row-level security as decisions. The gateway's
-- role owns the tables and is not restricted.
ALTER TABLE usage_daily ENABLE ROW LEVEL SECURITY;
CREATE POLICY usage_daily_tenant_read ON usage_daily FOR SELECT USING (tenant IN (SELECT leitplanke_reader_tenants()));
ALTER TABLE rule_daily ENABLE ROW LEVEL SECURITY;
CREATE POLICY rule_daily_tenant_read ON rule_daily FOR SELECT USING (tenant IN (SELECT leitplanke_reader_tenants()));
ALTER TABLE entity_daily ENABLE ROW LEVEL SECURITY;
CREATE POLICY entity_daily_tenant_read ON entity_daily FOR SELECT USING (tenant IN (SELECT leitplanke_reader_tenants()));
ALTER TABLE active_users ENABLE ROW LEVEL SECURITY;
CREATE POLICY active_users_tenant_read ON active_users FOR SELECT USING (tenant IN (SELECT leitplanke_reader_tenants()));
ALTER TABLE policy_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY policy_versions_tenant_read ON policy_versions FOR SELECT USING (tenant IN (SELECT leitplanke_reader_tenants()));
