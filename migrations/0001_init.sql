-- leitplanke schema, version 1: API keys and the decision log.

CREATE TABLE api_keys (
  key_id      text PRIMARY KEY CHECK (key_id ~ '^[0-9a-f]{12}$'),
  key_hash    bytea NOT NULL CHECK (octet_length(key_hash) = 32),
  user_id     text NOT NULL,
  department  text NOT NULL,
  role        text NOT NULL CHECK (role IN ('staff', 'dpo', 'admin')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
COMMENT ON TABLE api_keys IS 'Gateway API keys; only the SHA-256 of each key is stored.';
COMMENT ON COLUMN api_keys.user_id IS 'Staff identity as given by IT; never copied into decisions (there: user_ref, an HMAC pseudonym).';

-- One row per request to /v1/*. No prompt or answer text, no personal data of citizens.
CREATE TABLE decisions (
  request_id        text PRIMARY KEY,
  ts                timestamptz NOT NULL,
  instance          text NOT NULL,
  user_ref          text,
  department        text,
  role              text,
  endpoint          text NOT NULL,
  upstream          text,
  model             text,
  policy_version    text,
  policy_digest     text,
  decision          text NOT NULL CHECK (decision IN ('allowed', 'redacted', 'blocked', 'error')),
  rule_ids          text[] NOT NULL DEFAULT '{}',
  entity_counts     jsonb NOT NULL DEFAULT '{}',
  prompt_tokens     integer,
  completion_tokens integer,
  total_tokens      integer,
  latency_ms        double precision NOT NULL,
  upstream_ms       double precision,
  status            integer NOT NULL,
  error_code        text,
  stream            boolean NOT NULL DEFAULT false
);
CREATE INDEX decisions_ts_idx ON decisions (ts);
CREATE INDEX decisions_department_ts_idx ON decisions (department, ts);
COMMENT ON TABLE decisions IS 'The decision log: exactly one row per proxied request.';
