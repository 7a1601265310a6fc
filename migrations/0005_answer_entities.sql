-- Response rules: personal data found in the answers (counts only), when the policy asks for it.
ALTER TABLE decisions ADD COLUMN answer_entity_counts jsonb NOT NULL DEFAULT '{}';
COMMENT ON COLUMN decisions.answer_entity_counts IS 'Personal data the AI service''s answer contained, by type (counts only; policy responses.scan_personal_data).';
