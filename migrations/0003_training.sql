-- AI literacy (Art. 4 AI Act): until when the key holder's training is valid. NULL: no training
-- on record. Policies can refuse requests of untrained staff (condition `training: missing`).
ALTER TABLE api_keys ADD COLUMN trained_until date;
COMMENT ON COLUMN api_keys.trained_until IS 'AI-literacy training of the key holder valid until this day (inclusive); NULL when none is on record.';
