-- The audit trail (issue #5): a hash chain per gateway instance, signed checkpoints, audit
-- events (retention, re-identification), and the decision log partitioned by month so that
-- retention drops whole partitions.

-- 1. The decision log, partitioned by month of ts. The key includes ts (PostgreSQL requires the
-- partition key in every unique index); record_id alone stays unique in practice because the
-- gateway generates it, and a replayed record has the same ts, so ON CONFLICT (record_id, ts)
-- keeps retried writes idempotent.
ALTER TABLE decisions RENAME TO decisions_unpartitioned;
ALTER INDEX decisions_pkey RENAME TO decisions_unpartitioned_pkey;
ALTER INDEX decisions_ts_idx RENAME TO decisions_unpartitioned_ts_idx;
ALTER INDEX decisions_request_id_idx RENAME TO decisions_unpartitioned_request_id_idx;
ALTER INDEX decisions_tenant_ts RENAME TO decisions_unpartitioned_tenant_ts;

CREATE TABLE decisions (
  LIKE decisions_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING COMMENTS,
  seq       bigint,
  prev_hash bytea CHECK (octet_length(prev_hash) = 32),
  hash      bytea CHECK (octet_length(hash) = 32),
  PRIMARY KEY (record_id, ts)
) PARTITION BY RANGE (ts);
COMMENT ON TABLE decisions IS 'The decision log: exactly one row per proxied request; partitioned by month (retention drops partitions).';
COMMENT ON COLUMN decisions.seq IS 'Position in the hash chain of the writing instance (1, 2, …); NULL for rows written before chaining.';
COMMENT ON COLUMN decisions.prev_hash IS 'Hash of the instance''s previous record (32 zero bytes for the first).';
COMMENT ON COLUMN decisions.hash IS 'SHA-256(prev_hash || canonical form of the row): altering, deleting or inserting rows breaks the chain (leitplanke audit verify).';
CREATE INDEX decisions_ts_idx ON decisions (ts);
CREATE INDEX decisions_request_id_idx ON decisions (request_id);
CREATE INDEX decisions_tenant_ts ON decisions (tenant, ts);
CREATE INDEX decisions_chain_idx ON decisions (instance, seq);

-- Rows outside every monthly partition land here (the gateway creates partitions ahead of time).
CREATE TABLE decisions_default PARTITION OF decisions DEFAULT;

-- Monthly partitions for the rows already written and for this and the next two months.
DO $$
DECLARE
  first_month date := date_trunc('month', coalesce((SELECT min(ts) FROM decisions_unpartitioned), now()) AT TIME ZONE 'UTC')::date;
  last_month  date := (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '2 months')::date;
  m date;
BEGIN
  m := first_month;
  WHILE m <= last_month LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF decisions FOR VALUES FROM (%L) TO (%L)',
                   'decisions_' || to_char(m, 'YYYY_MM'),
                   (m::timestamp AT TIME ZONE 'UTC'), ((m + interval '1 month')::timestamp AT TIME ZONE 'UTC'));
    m := (m + interval '1 month')::date;
  END LOOP;
END $$;

INSERT INTO decisions SELECT *, NULL, NULL, NULL FROM decisions_unpartitioned;
DROP TABLE decisions_unpartitioned;

-- 2. Signed checkpoints: every so often each instance signs its chain tip with Ed25519 (key
-- outside the database). A rewritten chain cannot carry the old signatures.
CREATE TABLE audit_checkpoints (
  instance  text NOT NULL,
  seq       bigint NOT NULL,
  hash      bytea NOT NULL CHECK (octet_length(hash) = 32),
  ts        timestamptz NOT NULL,
  key_id    text NOT NULL,
  signature bytea NOT NULL,
  PRIMARY KEY (instance, seq)
);
COMMENT ON TABLE audit_checkpoints IS 'Ed25519 signatures over (instance, seq, hash, ts) of chain tips; checked by leitplanke audit verify.';
COMMENT ON COLUMN audit_checkpoints.key_id IS 'First 16 hex characters of the SHA-256 of the public key that signed.';

-- 3. Audit events: what was done to the log itself (retention deletions, re-identifications).
CREATE TABLE audit_events (
  event_id  text PRIMARY KEY,
  ts        timestamptz NOT NULL DEFAULT now(),
  kind      text NOT NULL CHECK (kind IN ('retention', 'reidentify')),
  actor     text NOT NULL,
  reason    text NOT NULL,
  details   jsonb NOT NULL DEFAULT '{}'
);
COMMENT ON TABLE audit_events IS 'Retention deletions (with the chain hashes at each cut, so verify passes across deleted ranges) and re-identifications (who, why).';
