-- Policy route rules: the model a request was sent to instead of the one it asked for.
ALTER TABLE decisions ADD COLUMN routed_to text;
COMMENT ON COLUMN decisions.routed_to IS 'Model a route rule sent the request to (e.g. the internal model for social data); NULL when none.';
