// schema/policy.schema.json (for editors) and `leitplanke policy check` (the authority) must
// agree: on the example policy, on broken variants, and on the list of entity types.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import YAML from 'yaml';
import { test, run, gatewayBin, SOURCE_DIR, DEFAULT_POLICY } from '../support/harness.mjs';

const bin = gatewayBin();
const schema = JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, 'schema', 'policy.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-policy-schema-'));

async function check(text, name) {
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(file, text);
  const r = await run(bin, ['policy', 'check', file]);
  return { ok: r.code === 0, stderr: r.stderr };
}

const variants = {
  example: fs.readFileSync(path.join(SOURCE_DIR, 'deploy', 'policy.yaml'), 'utf8'),
  test_default: DEFAULT_POLICY,
  unknown_top_key: `${DEFAULT_POLICY}colour: red\n`,
  bad_effect: DEFAULT_POLICY.replace('effect: allow', 'effect: maybe'),
  deny_without_explanation: 'version: v\nrules:\n  - id: d\n    effect: deny\n',
  unknown_entity: DEFAULT_POLICY.replace('detected: [IBAN]', 'detected: [SHOE_SIZE]'),
  unknown_role: 'version: v\nrules:\n  - id: a\n    effect: allow\n    when: {roles: [king]}\n',
  bad_rule_id: 'version: v\nrules:\n  - id: "Allow Everything"\n    effect: allow\n',
  reserved_rule_id: 'version: v\nrules:\n  - id: default-deny\n    effect: allow\n',
  bad_operator: DEFAULT_POLICY.replace('EMAIL: mask', 'EMAIL: shred'),
  missing_version: 'rules: []\n',
  unknown_rule_key: 'version: v\nrules:\n  - id: a\n    effect: allow\n    colour: red\n',
  ack_with_patterns: 'version: v\nrules:\n  - id: a\n    effect: require_acknowledgement\n    when: {patterns: [antrag], purposes: [bescheid]}\n    explanation: x\n',
  ack_without_explanation: 'version: v\nrules:\n  - id: a\n    effect: require_acknowledgement\n',
  services: 'version: v\nservices:\n  cloud:\n    provider: X\n    models: [m]\n    hosting: {location: EU, transfer_basis: scc}\n    price_per_1k_tokens: {input: 0.1, output: 0.2}\n    enabled: false\nrules: []\n',
  service_bad_basis: 'version: v\nservices:\n  cloud:\n    models: [m]\n    hosting: {transfer_basis: moon}\nrules: []\n',
  service_unknown_key: 'version: v\nservices:\n  cloud:\n    models: [m]\n    colour: red\nrules: []\n',
  service_without_models: 'version: v\nservices:\n  cloud:\n    provider: X\nrules: []\n',
  reserved_derived_id: 'version: v\nrules:\n  - id: kill-switch.cloud\n    effect: allow\n',
  data_classes: 'version: v\ndata_classes:\n  finanz: [IBAN]\nservices:\n  cloud: {models: [m], data_classes: [finanz]}\nrules:\n  - id: a\n    effect: deny\n    when: {data_classes: [finanz]}\n    explanation: x\n',
  data_class_unknown_type: 'version: v\ndata_classes:\n  finanz: [BANK]\nrules: []\n',
  route: 'version: v\nrules:\n  - id: r\n    effect: route\n    to: intern\n    when: {detected: [IBAN]}\n',
  route_without_target: 'version: v\nrules:\n  - id: r\n    effect: route\n',
  target_without_route: 'version: v\nrules:\n  - id: r\n    effect: allow\n    to: intern\n',
  empty_pattern_list: 'version: v\nrules:\n  - id: a\n    effect: allow\n    when: {patterns: []}\n',
};

for (const [name, text] of Object.entries(variants)) {
  test(`schema and policy check agree: ${name}`, async () => {
    const schemaOk = validate(YAML.parse(text));
    const cli = await check(text, name);
    assert.equal(schemaOk, cli.ok,
      `schema says ${schemaOk}, policy check says ${cli.ok}\n${JSON.stringify(validate.errors)}\n${cli.stderr}`);
    if (name === 'example' || name === 'test_default') assert.ok(schemaOk, JSON.stringify(validate.errors));
  });
}

test('the schema lists exactly the entity types the binary knows', async () => {
  const cli = await check(DEFAULT_POLICY.replace('detected: [IBAN]', 'detected: [NOPE]'), 'entity_list');
  const m = /known: ([A-Z_, ]+)\)/.exec(cli.stderr);
  assert.ok(m, cli.stderr);
  const known = m[1].split(', ').sort();
  assert.deepEqual([...schema.$defs.entity_type.enum].sort(), known);
  assert.deepEqual(Object.keys(schema.properties.redact.properties).sort(), known);
});
