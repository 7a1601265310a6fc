// `leitplanke policy test` and `leitplanke policy explain`: the tools policy authors use to
// check what the works agreement, as written, decides. No database needed.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, run, gatewayBin, SOURCE_DIR, DEFAULT_POLICY } from '../support/harness.mjs';

const bin = gatewayBin();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-policy-tools-'));
fs.writeFileSync(path.join(dir, 'policy.yaml'), DEFAULT_POLICY);

test('the example policy passes its shipped tests', async () => {
  const r = await run(bin, ['policy', 'test', path.join(SOURCE_DIR, 'deploy', 'policy_test.yaml')]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const cases = fs.readFileSync(path.join(SOURCE_DIR, 'deploy', 'policy_test.yaml'), 'utf8').match(/^  - name:/gm).length;
  assert.ok(cases >= 29, `only ${cases} cases`);
  assert.match(r.stdout, new RegExp(`^${cases} passed, 0 failed$`, 'm'));
});

test('a failing case names itself, its line and what differed; exit 1', async () => {
  const file = path.join(dir, 'failing.yaml');
  fs.writeFileSync(file, `policy: policy.yaml
cases:
  - name: passes
    request: {department: sozialamt, model: gpt-4o-mini}
    expect: {effect: allow, rules: [allow-standard]}
  - name: wrong expectation
    request: {department: personalamt, model: gpt-4o-mini, text: "IBAN DE89370400440532013000"}
    expect: {effect: allow}
  - name: wrong rule
    request: {department: gartenamt, model: gpt-4o-mini}
    expect: {effect: deny, rules: [allow-standard]}
`);
  const r = await run(bin, ['policy', 'test', file]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^ok - passes$/m);
  assert.match(r.stdout, /^FAIL - wrong expectation \(.*failing\.yaml:6\): expected allow, got deny$/m);
  assert.match(r.stdout, /^FAIL - wrong rule \(.*failing\.yaml:9\): expected rules \[allow-standard\], got \[default-deny\]$/m);
  assert.match(r.stdout, /^1 passed, 2 failed$/m);
});

test('mistakes in a test file are reported as file:line:col; exit 1', async () => {
  const file = path.join(dir, 'broken.yaml');
  fs.writeFileSync(file, `policy: policy.yaml
cases:
  - name: typo
    request: {department: sozialamt, modell: gpt-4o-mini}
    expect: {effect: maybe}
`);
  const r = await run(bin, ['policy', 'test', file]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /broken\.yaml:4:38: unknown key 'modell'/);
  assert.match(r.stderr, /broken\.yaml:5:22: effect must be allow, deny or require_acknowledgement/);
});

test('explain shows the decision and, rule by rule, which conditions failed', async () => {
  const r = await run(bin, ['policy', 'explain', path.join(dir, 'policy.yaml')], {
    input: JSON.stringify({ department: 'personalamt', model: 'gpt-4o-mini', text: 'Konto DE89 3704 0044 0532 0130 00' }),
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^decision: deny \[deny-iban-personalamt\]$/m);
  assert.match(r.stdout, /detected=\[IBAN:1\]/);
  assert.match(r.stdout, /matches +allow-standard \(allow\)/);
  assert.match(r.stdout, /matches +deny-iban-personalamt \(deny\), DV KI § 5 Abs\. 2/);
  assert.match(r.stdout, /deny overrides allow/);

  const r2 = await run(bin, ['policy', 'explain', path.join(dir, 'policy.yaml')], {
    input: JSON.stringify({ department: 'gartenamt', model: 'gpt-4o-mini' }),
  });
  assert.match(r2.stdout, /^decision: deny \[default-deny\]$/m);
  assert.match(r2.stdout, /department 'gartenamt' not in \[sozialamt, bauamt, personalamt\]/);
});

test('explain rejects malformed input with a clear message', async () => {
  for (const input of ['{not json', '[1]', '{"department": 5}', '{"detected": ["SHOE"]}', '{"colour": "red"}']) {
    const r = await run(bin, ['policy', 'explain', path.join(dir, 'policy.yaml')], { input });
    assert.equal(r.code, 1, `input ${input}: ${r.stdout}`);
    assert.match(r.stderr, /leitplanke policy explain: /, `input ${input}`);
  }
});
