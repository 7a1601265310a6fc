-- Aggregates of the decision log for reports (issue #6): maintained by the gateway's writer in
-- the same transaction as the records, so that a quarter's report reads thousands of rows
-- instead of scanning millions. Counts only; no record ids, no staff pseudonyms except in
-- active_users (one row per pseudonym, period and department, to count active staff).
CREATE TABLE usage_daily (
  day               date NOT NULL,
  tenant            text NOT NULL,
  department        text NOT NULL,
  upstream          text NOT NULL,
  model             text NOT NULL,
  purpose           text NOT NULL,
  decision          text NOT NULL,
  status            integer NOT NULL,
  requests          bigint NOT NULL,
  prompt_tokens     bigint NOT NULL,
  completion_tokens bigint NOT NULL,
  total_tokens      bigint NOT NULL,
  acknowledged      bigint NOT NULL,
  streamed          bigint NOT NULL,
  PRIMARY KEY (day, tenant, department, upstream, model, purpose, decision, status)
);
COMMENT ON TABLE usage_daily IS 'Requests and tokens per UTC day, tenant, department, service, model, use case, decision and HTTP status ('''' for absent values).';

CREATE TABLE rule_daily (
  day         date NOT NULL,
  tenant      text NOT NULL,
  department  text NOT NULL,
  rule_id     text NOT NULL,
  decision    text NOT NULL,
  requests    bigint NOT NULL,
  PRIMARY KEY (day, tenant, department, rule_id, decision)
);
COMMENT ON TABLE rule_daily IS 'How often each rule determined a decision, per day, tenant and department.';

CREATE TABLE entity_daily (
  day          date NOT NULL,
  tenant       text NOT NULL,
  department   text NOT NULL,
  entity_type  text NOT NULL,
  in_answer    boolean NOT NULL,
  items        bigint NOT NULL,
  requests     bigint NOT NULL,
  PRIMARY KEY (day, tenant, department, entity_type, in_answer)
);
COMMENT ON TABLE entity_daily IS 'Personal data found per day, tenant, department and type (items, and requests with at least one).';

CREATE TABLE active_users (
  period      text NOT NULL,
  tenant      text NOT NULL,
  department  text NOT NULL,
  user_ref    text NOT NULL,
  requests    bigint NOT NULL,
  PRIMARY KEY (period, tenant, department, user_ref)
);
COMMENT ON TABLE active_users IS 'One row per staff pseudonym, pseudonym period (the user_ref prefix) and department: counting active staff without naming them.';
