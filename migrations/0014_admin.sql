-- The compliance dashboard (issue #7): a read-only staff-council role, admin actions as audit
-- events, and kill switches set in the dashboard (on top of the policy file).
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('staff', 'dpo', 'admin', 'council'));
COMMENT ON COLUMN api_keys.role IS 'staff (AI requests), dpo and admin (dashboard, kill switches), council (staff council: dashboard, read-only).';

ALTER TABLE audit_events DROP CONSTRAINT audit_events_kind_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_kind_check CHECK (kind IN ('retention', 'reidentify', 'verify', 'admin'));

CREATE TABLE kill_switches (
  tenant      text NOT NULL,
  service     text NOT NULL,
  off         boolean NOT NULL,
  changed_at  timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  reason      text NOT NULL DEFAULT '',
  PRIMARY KEY (tenant, service)
);
COMMENT ON TABLE kill_switches IS 'AI services switched off in the dashboard, per tenant; every gateway applies them on top of its policy within keys_refresh_ms. Each change is also an audit event (kind admin).';

-- The dashboard's daily figures count people per day (and per day and decision) for
-- small-number suppression: active_users gains the dimensions day and day_decision (values
-- YYYY-MM-DD and YYYY-MM-DD|decision); no schema change, documented here.
COMMENT ON COLUMN active_users.dimension IS 'Reported dimension of this row: '''' (the person''s total), model, purpose, acknowledged (the purpose of requests with human-review confirmation), month (YYYY-MM), day (YYYY-MM-DD), day_decision (YYYY-MM-DD|decision), decision, rule, entity (found in the request) or answer_entity (found in the answer).';
