-- The redacted text of refused requests, kept for review only when the policy says so
-- (retention.refused_prompt_days, 1-90; 0, the default, stores nothing). Every detected
-- personal datum is masked before the text is stored; the daily retention job deletes each row
-- when it expires. Not part of the hash chain (its deletion is by design), not for tenant readers.
CREATE TABLE refused_prompts (
  record_id  text PRIMARY KEY,
  ts         timestamptz NOT NULL,
  tenant     text NOT NULL,
  expires_at timestamptz NOT NULL,
  text       text NOT NULL
);
CREATE INDEX refused_prompts_expires ON refused_prompts (expires_at);
COMMENT ON TABLE refused_prompts IS 'Redacted text of refused requests for review (policy retention.refused_prompt_days); decisions.record_id says which decision.';
