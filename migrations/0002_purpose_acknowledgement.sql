-- Declared use case and human-review confirmation per decision (policy rules on purposes and
-- require_acknowledgement).
ALTER TABLE decisions
  ADD COLUMN purpose text,
  ADD COLUMN acknowledged boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN decisions.purpose IS 'Use case the client declared in X-Leitplanke-Purpose (policy conditions; usage by purpose in reports).';
COMMENT ON COLUMN decisions.acknowledged IS 'The client confirmed human review (X-Leitplanke-Acknowledge: human-review) for a rule that requires it.';
