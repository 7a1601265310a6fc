// The compliance dashboard (/admin, admin/ui/) in a real browser (Debian's chromium driven by
// playwright-core) against the gateway and its admin API (schema/admin.openapi.yaml): staff of
// two departments send requests with the example policy (deploy/policy.yaml); a staff key is
// refused at the login (reached by keyboard only); the data protection officer sees the
// overview's figures, filters the decisions (refused, personalamt), opens one and reads the
// rule's explanation, switches cloud-assistant off (a wrong confirmation first) and the gateway
// refuses its model until it is switched on again; the staff council sees the services without
// switches; logout ends the session. Then the data protection officer opens the later views
// with what this traffic left: the rules with their counts and, after the policy file is
// rewritten (one explanation changed; the gateway reloads it), the difference of the two
// versions; the detections (IBAN); the departments with their budgets; the audit chain of this
// gateway; the AI register; the alerts (a password sent triggers one) with their count in the
// navigation. No console errors, no CSP violations, no staff identities on any page. Screenshots of every view go to $LEITPLANKE_ARTIFACTS (default: a folder
// admin-ui-screenshots in a temp dir that is kept; its path is printed).
//
// Needs /usr/bin/chromium (scripts/setup.sh installs it) or LEITPLANKE_CHROMIUM.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startEnv, test, pool, waitFor, SOURCE_DIR, EXAMPLE_POLICY_MODELS, TRAINED_FOR_A_YEAR } from '../support/harness.mjs';

const CHROMIUM = process.env.LEITPLANKE_CHROMIUM || '/usr/bin/chromium';
// The example policy, keeping the redacted text of refused requests for a week (the detail
// view shows it).
const POLICY_TEXT = fs.readFileSync(path.join(SOURCE_DIR, 'deploy', 'policy.yaml'), 'utf8')
  .replace(/refused_prompt_days: 0\b/, 'refused_prompt_days: 7');
const IBAN = 'DE89 3704 0044 0532 0130 00';
const PLAIN = 'Fasse bitte den Vermerk zur Dienstbesprechung vom Montag in fünf Punkten zusammen.';
const BANK = `Vermerk: Rückzahlung auf das Konto ${IBAN} von Herrn Thomas Schneider veranlassen.`;
const SERVICE = 'cloud-assistant';           // serves gpt-4o-mini in deploy/policy.yaml
const STAFF_PER_DEPT = 6;                    // above reporting.min_group_size (5)
const POLICY_VERSION = 'DV-KI-2026-11';
const POLICY_VERSION_2 = 'DV-KI-2026-11-b';
const EXPLANATION = 'Bankverbindungen von Beschäftigten dürfen nicht an KI-Dienste übermittelt werden, auch nicht maskiert.';
const EXPLANATION_2 = 'Bankverbindungen von Beschäftigten dürfen nicht an KI-Dienste übermittelt werden, auch nicht maskiert oder gekürzt.';

// Responses the UI provokes on purpose; Chromium logs each as a console error.
const EXPECTED_HTTP_ERRORS = /^Failed to load resource: the server responded with a status of (401|403|409)\b/;

let env;
let browser;
let page;
let shots;
let staff = [];
let dpo;
let council;
const consoleErrors = [];
const pageErrors = [];

async function createStaff(dept, i) {
  const k = await env.createKey(dept, { user: `ui-${dept}-${i}`, wait: false, trainedUntil: TRAINED_FOR_A_YEAR });
  return { dept, user: k.user, key: k.key };
}

function ask(u, text, id) {
  return env.chat(u.key, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] },
    { headers: { 'x-leitplanke-purpose': 'vermerk', 'x-request-id': id } });
}

async function shot(name) {
  const file = path.join(shots, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// The text of a locator once it is non-empty.
async function textOf(locator, timeout = 5000) {
  let text = '';
  await waitFor(async () => {
    text = (await locator.textContent())?.trim() ?? '';
    return text.length > 0;
  }, { timeout, message: `text in ${locator}` });
  return text;
}

async function login(key) {
  const input = page.getByLabel('API-Schlüssel');
  await input.fill(key);
  await input.press('Enter');
}

before(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (scripts/setup.sh does) or set LEITPLANKE_CHROMIUM`);
  }
  env = await startEnv({
    name: 'admin_ui',
    policy: POLICY_TEXT,
    config: { policy_reload_ms: 200 },
    models: EXAMPLE_POLICY_MODELS,
  });
  shots = process.env.LEITPLANKE_ARTIFACTS
    || path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lp-e2e-admin_ui-')), 'admin-ui-screenshots');
  fs.mkdirSync(shots, { recursive: true });
  process.stdout.write(`# screenshots: ${shots}\n`);

  const specs = [];
  for (const dept of ['personalamt', 'sozialamt']) for (let i = 0; i < STAFF_PER_DEPT; i++) specs.push([dept, i]);
  staff = await pool(specs.map((s) => () => createStaff(...s)), 4);
  dpo = await env.createKey('it', { role: 'dpo', user: 'ui-dsb', wait: false });
  council = await env.createKey('personalamt', { role: 'council', user: 'ui-personalrat', wait: false });
  await env.waitKeyStatus(staff[staff.length - 1].key, 200);

  // Everybody asks once (allowed); personalamt sends bank details (refused by
  // deny-bank-data-hr), sozialamt the same (masked).
  const tasks = staff.flatMap((u, n) => [
    async () => assert.equal((await ask(u, PLAIN, `ui-plain-${n}`)).status, 200),
    async () => assert.equal((await ask(u, BANK, `ui-bank-${n}`)).status, u.dept === 'personalamt' ? 403 : 200),
  ]);
  await pool(tasks, 6);
  await env.waitForDecisions(`request_id LIKE 'ui-%'`, tasks.length);

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE', timezoneId: 'Europe/Berlin' });
  page = await context.newPage();
  page.setDefaultTimeout(8000);
  page.on('console', (m) => {
    if (m.type() === 'error' && !EXPECTED_HTTP_ERRORS.test(m.text())) consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

after(async () => {
  await browser?.close();
  await env?.stop();
});

test('the dashboard is served with its CSP; the login is reachable by keyboard; staff keys are refused', async () => {
  const res = await page.goto(`${env.gatewayUrl}/admin/`);
  assert.equal(res.status(), 200);
  const csp = res.headers()['content-security-policy'] ?? '';
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /style-src 'self'/);
  await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'de');

  // keyboard only: Tab to the skip link, Enter jumps to <main>, Tab reaches the key
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Zum Inhalt springen');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'login-key');
  assert.equal(await page.getAttribute('#login-key', 'type'), 'password');
  await page.keyboard.type(staff[0].key);
  await page.keyboard.press('Enter');

  const message = await textOf(page.locator('#login-error[role="alert"]'));
  assert.ok(message.length > 3, `no refusal shown: "${message}"`);
  assert.ok(await page.locator('#view-login').isVisible(), 'a staff key left the login view');
  assert.ok(await page.locator('#nav').isHidden());
  await shot('01-login-staff-refused');
});

test('the data protection officer logs in; language switch; the session survives a reload', async () => {
  await login(dpo.key);
  await page.locator('#nav').waitFor();
  assert.match(await page.locator('#role').textContent(), /Datenschutzbeauftragte/);
  assert.equal(await page.locator('#nav a[aria-current="page"]').textContent(), 'Übersicht');
  assert.equal(await page.locator('#login-error').textContent(), '');

  await page.getByRole('button', { name: 'English' }).click();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor(); // still logged in, still English
  await page.getByRole('button', { name: 'Deutsch' }).click();
  assert.equal(await page.getAttribute('html', 'lang'), 'de');
  await page.getByRole('heading', { name: 'Übersicht', level: 1 }).waitFor();
});

test('the overview shows the figures and a chart with a text alternative', async () => {
  const requests = page.locator('.figure-requests .figure-value');
  const value = await textOf(requests);
  assert.match(value, /^\d[\d.]*$/, `requests is not a figure: "${value}"`);
  assert.ok(Number(value.replace(/\./g, '')) >= staff.length, `requests ${value} < ${staff.length}`);
  const blocked = await textOf(page.locator('.figure-blocked .figure-value'));
  assert.match(blocked, /^\d[\d.]*$/, `refused (6 people) is not a figure: "${blocked}"`);
  for (const f of ['allowed', 'redacted', 'error']) {
    const v = await textOf(page.locator(`.figure-${f} .figure-value`));
    assert.ok(/^\d[\d.]*$/.test(v) || (v.startsWith('–') && await page.locator(`.figure-${f} .figure-value`).getAttribute('title')),
      `${f}: "${v}" is neither a figure nor an explained "–"`);
  }
  assert.match(await page.locator('#overview-updated').textContent(), /zuletzt aktualisiert \d\d:\d\d:\d\d/);
  const svg = page.locator('#overview-chart svg[role="img"]');
  await svg.waitFor();
  assert.ok((await svg.locator('title').textContent()).length > 0);
  assert.ok(await page.locator('#overview-chart table caption').count() === 1);
  await shot('02-overview-24h');

  await page.getByRole('button', { name: '7 Tage' }).click();
  await waitFor(async () => (await page.getByRole('button', { name: '7 Tage' }).getAttribute('aria-pressed')) === 'true');
  await waitFor(async () => /^\d/.test((await requests.textContent()) ?? ''), { message: 'figures of 7 days' });
  await shot('03-overview-7d');
});

test('decisions: filter refused requests of personalamt, open one, read its rule', async () => {
  await page.getByRole('link', { name: 'Entscheidungen' }).click();
  await page.getByRole('heading', { name: 'Entscheidungen', level: 1 }).waitFor();
  await page.locator('#decisions tbody tr').first().waitFor();

  await page.getByLabel('Amt', { exact: true }).fill('personalamt');
  await page.getByRole('combobox', { name: 'Entscheidung', exact: true }).selectOption('blocked');
  await page.getByRole('button', { name: 'Anzeigen' }).click();
  await waitFor(async () => (await page.locator('#decisions tbody tr').count()) === STAFF_PER_DEPT,
    { message: `${STAFF_PER_DEPT} refused decisions of personalamt` });
  const rows = page.locator('#decisions tbody tr');
  for (let i = 0; i < STAFF_PER_DEPT; i++) {
    const cells = rows.nth(i).locator('td');
    assert.equal(await cells.nth(0).textContent(), 'personalamt');
    assert.equal(await cells.nth(1).textContent(), SERVICE);
    assert.match(await cells.nth(3).textContent(), /abgelehnt/);
    assert.match(await cells.nth(4).textContent(), /deny-bank-data-hr/);
    assert.match(await cells.nth(5).textContent(), /IBAN/);
  }
  assert.ok(await page.locator('#decisions caption').count() === 1);
  assert.equal(await page.locator('#decisions thead th[scope="col"]').count(), 7);
  await shot('04-decisions-filtered');

  // open the first by keyboard
  await rows.first().locator('a').focus();
  await page.keyboard.press('Enter');
  await page.locator('#view-decision .rule').first().waitFor();
  const rule = await page.locator('#view-decision .rule').first().textContent();
  assert.match(rule, /Keine Bankverbindungen aus dem Personalamt/);
  assert.match(rule, /Bankverbindungen von Beschäftigten dürfen nicht an KI-Dienste übermittelt werden/);
  assert.match(rule, /DV KI § 5 Abs\. 2/);
  assert.match(rule, /ablehnen/);
  // the redacted text of the refused request, labelled as such
  assert.equal(await page.locator('#review-title').textContent(), 'Maskierter Text der abgelehnten Anfrage');
  const review = await page.locator('#view-decision .review-text').textContent();
  assert.match(review, /Rückzahlung auf das Konto/);
  const text = await page.locator('body').innerText();
  for (const u of [...staff, dpo, council]) assert.ok(!text.includes(u.user), `staff identity ${u.user} on the page`);
  assert.ok(!text.includes('Thomas Schneider') && !text.includes('0532 0130'), 'prompt content on the page');
  await shot('05-decision-detail');

  await page.getByRole('link', { name: '← Zurück zur Liste' }).click();
  await waitFor(async () => (await page.locator('#decisions tbody tr').count()) === STAFF_PER_DEPT, { message: 'the list again' });
});

test('services: switching cloud-assistant off needs its name; the gateway refuses it until it is on again', async () => {
  const u = staff.find((x) => x.dept === 'sozialamt');
  assert.equal((await ask(u, PLAIN, 'ui-before-off')).status, 200);

  await page.getByRole('link', { name: 'Dienste' }).click();
  const row = page.locator(`#services-tables tr[data-service="${SERVICE}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /nicht abgeschaltet/);
  await shot('06-services');

  // Escape closes the dialog and gives the focus back
  await row.getByRole('button', { name: `Abschalten: ${SERVICE}` }).click();
  const dialog = page.locator('#kill-dialog');
  await dialog.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'kill-confirm');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.match(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''), /Abschalten: cloud-assistant/);

  // a wrong name is refused (409) and shown; the right one switches the service off
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  await page.getByLabel(/Namen des Dienstes/).fill('cloud');
  await page.keyboard.press('Enter');
  const err = await textOf(page.locator('#kill-error[role="alert"]'));
  assert.ok(err.length > 3, 'no message for a wrong confirmation');
  assert.ok(await dialog.isVisible(), 'the dialog closed after a wrong confirmation');
  await shot('07-kill-switch-wrong-name');
  await page.getByLabel(/Namen des Dienstes/).fill(SERVICE);
  await page.getByLabel('Grund (freiwillig)').fill('Test der Notabschaltung');
  await page.getByRole('button', { name: 'Abschalten', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  await waitFor(async () => {
    const state = await row.locator('td').nth(4).textContent();
    return /abgeschaltet/.test(state) && !/nicht abgeschaltet/.test(state);
  }, { message: 'state "abgeschaltet"' });
  assert.match(await page.locator('#status').textContent(), /abgeschaltet/);
  await shot('08-services-switched-off');

  let last;
  await waitFor(async () => { last = await ask(u, PLAIN, `ui-off-${Date.now()}`); return last.status === 403; },
    { timeout: 5000, interval: 200, message: `403 for ${SERVICE} while switched off` });

  await row.getByRole('button', { name: `Wieder einschalten: ${SERVICE}` }).click();
  await dialog.waitFor();
  await page.getByLabel(/Namen des Dienstes/).fill(SERVICE);
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  await waitFor(async () => /nicht abgeschaltet/.test(await row.textContent()), { message: 'state "nicht abgeschaltet"' });
  await waitFor(async () => { last = await ask(u, PLAIN, `ui-on-${Date.now()}`); return last.status === 200; },
    { timeout: 5000, interval: 200, message: `200 for ${SERVICE} after switching on` });
});

test('logout ends the session; the staff council sees the services read-only; a lost session shows the login', async () => {
  await page.getByRole('button', { name: 'Abmelden' }).click();
  await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
  assert.ok(await page.locator('#nav').isHidden());
  const status = await page.evaluate(async () => (await fetch('/admin/api/session')).status);
  assert.equal(status, 401, 'the session still answers after logout');
  await page.reload();
  await page.getByRole('heading', { name: 'Anmelden' }).waitFor();

  await login(council.key);
  await page.locator('#nav').waitFor();
  assert.match(await page.locator('#role').textContent(), /Personalrat/);
  await page.getByRole('link', { name: 'Dienste' }).click();
  await page.locator(`#services-tables tr[data-service="${SERVICE}"]`).waitFor();
  assert.equal(await page.locator('#services-tables button').count(), 0, 'kill-switch buttons for the staff council');
  assert.match(await page.locator('#services-note').textContent(), /Lesezugriff/);
  await shot('09-services-council');

  // a lost session (here: the cookie is gone) leads back to the login with a message
  await page.context().clearCookies();
  await page.getByRole('link', { name: 'Übersicht' }).click();
  await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
  assert.match(await textOf(page.locator('#login-error')), /Sitzung ist abgelaufen/);
  assert.ok(await page.locator('#nav').isHidden());
});

// The body's text holds no staff identities and no prompt content.
async function assertNoIdentities() {
  const text = await page.locator('body').innerText();
  for (const u of [...staff, dpo, council]) assert.ok(!text.includes(u.user), `staff identity ${u.user} on the page`);
  assert.ok(!text.includes('Thomas Schneider') && !text.includes('0532 0130') && !text.includes('Sommer2026'), 'prompt content on the page');
}

// A figure cell: a number, or a "–" explained by its title.
async function assertFigure(locator, what) {
  const v = (await textOf(locator)).replace(/\s+/g, ' ');
  const ok = /^\d[\d.,]*( €)?$/.test(v) || (v.startsWith('–') && (await locator.locator('[title]').count()) + (await locator.getAttribute('title') ? 1 : 0) > 0);
  assert.ok(ok, `${what}: "${v}" is neither a figure nor an explained "–"`);
}

async function openView(name, heading) {
  await page.getByRole('link', { name }).first().click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

test('the later views: rules and a diff of two versions, detections, departments, audit chain, register, alerts', async () => {
  // a password sent (refused by no-credentials) makes an alert
  const u = staff.find((x) => x.dept === 'sozialamt');
  assert.equal((await ask(u, 'Mein Passwort lautet: Sommer2026!Geheim – warum klappt die Anmeldung nicht?', 'ui-credentials')).status, 403);

  await login(dpo.key);
  await page.locator('#nav').waitFor();

  // Regeln, reached by keyboard
  await page.locator('#nav a[href="#rules"]').focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Regeln', level: 1 }).waitFor();
  const bankRule = page.locator('#rules li[data-rule="deny-bank-data-hr"]');
  await bankRule.waitFor();
  assert.match(await bankRule.textContent(), /Keine Bankverbindungen aus dem Personalamt/);
  assert.match(await bankRule.textContent(), /DV KI § 5 Abs\. 2/);
  await assertFigure(bankRule.locator('.rule-count-value'), 'count of deny-bank-data-hr');
  assert.match(await page.locator('#rules-list-title').textContent(), new RegExp(`${POLICY_VERSION}.*in Kraft`));
  assert.match(await page.locator(`#versions tbody tr`).first().textContent(), /in Kraft/);
  await assertNoIdentities();
  await shot('10-rules');

  // a second version: the policy file rewritten with one explanation changed
  const policyFile = path.join(env.tmpDir, 'policy.yaml');
  const changed = POLICY_TEXT.replace(`version: "${POLICY_VERSION}"`, `version: "${POLICY_VERSION_2}"`).replace(EXPLANATION, EXPLANATION_2);
  assert.notEqual(changed, POLICY_TEXT);
  fs.writeFileSync(`${policyFile}.tmp`, changed);
  fs.renameSync(`${policyFile}.tmp`, policyFile);
  await waitFor(async () => {
    const r = await ask(u, PLAIN, `ui-v2-${Date.now()}`);
    return r.status === 200 && (await env.decision(r.requestId)).policy_version === POLICY_VERSION_2;
  }, { timeout: 8000, interval: 250, message: `requests under ${POLICY_VERSION_2}` });
  await waitFor(async () => (await page.evaluate(async () => (await (await fetch('/admin/api/rules')).json()).versions?.length ?? 0)) >= 2,
    { timeout: 8000, interval: 250, message: 'two policy versions in /rules' });
  await page.getByRole('link', { name: 'Übersicht' }).click();
  await page.getByRole('link', { name: 'Regeln' }).click();
  await waitFor(async () => (await page.locator('#versions tbody tr').count()) >= 2, { message: 'two versions in the table' });
  assert.match(await page.locator('#rules-list-title').textContent(), new RegExp(POLICY_VERSION_2));
  assert.match(await bankRule.textContent(), /oder gekürzt/);
  // the older version's rules
  await page.getByRole('button', { name: `Regeln der Version ${POLICY_VERSION} anzeigen` }).click();
  await waitFor(async () => /nicht maskiert\.$/m.test((await bankRule.locator('.explanation').first().textContent()).trim()),
    { message: 'the older explanation' });
  assert.match(await page.locator('#rules-list-title').textContent(), new RegExp(`${POLICY_VERSION}$`));
  // compare: older → newer
  const from = page.getByLabel('Ältere Version');
  const to = page.getByLabel('Neuere Version');
  assert.match(await from.locator('option:checked').textContent(), new RegExp(`^${POLICY_VERSION} `));
  assert.match(await to.locator('option:checked').textContent(), new RegExp(`^${POLICY_VERSION_2} `));
  await page.getByRole('button', { name: 'Vergleichen' }).click();
  const diffRow = page.locator('#diff-rules tr[data-id="deny-bank-data-hr"]');
  await diffRow.waitFor();
  assert.equal(await diffRow.getAttribute('data-change'), 'changed');
  assert.match(await diffRow.locator('td').nth(0).textContent(), /geändert/);
  assert.match(await diffRow.locator('td').nth(2).locator('ins').allTextContents().then((x) => x.join(' ')), /gekürzt/);
  assert.match(await page.locator('#status').textContent(), /Änderung/);
  await shot('11-rules-diff');

  // Erkennungen
  await openView('Erkennungen', 'Erkennungen');
  const iban = page.locator('#detections tbody tr', { hasText: 'IBAN' });
  await iban.first().waitFor();
  await assertFigure(iban.first().locator('td').nth(1), 'IBAN items');
  assert.ok(await page.locator('#detections caption').count() === 1);
  assert.ok((await page.locator('#view-detections svg[role="img"] title').textContent()).length > 0);
  await assertNoIdentities();
  await shot('12-detections');

  // Ämter
  await openView('Ämter', 'Ämter');
  const hr = page.locator('#departments tr[data-department="personalamt"]');
  await hr.waitFor();
  await assertFigure(hr.locator('td').nth(0), 'requests of personalamt');
  assert.match(await hr.locator('td').nth(3).textContent(), /100,00\s€/, 'the budget of personalamt (deploy/policy.yaml)');
  assert.match(await hr.locator('td').nth(4).textContent(), /%|–/);
  await assertNoIdentities();
  await shot('13-departments');

  // Prüfkette: this gateway's instance
  const instance = (await env.decision('ui-bank-0')).instance;
  await openView('Prüfkette', 'Prüfkette');
  const chain = page.locator(`#chains tr[data-instance="${instance}"]`);
  await chain.waitFor();
  assert.match(await chain.locator('td').nth(0).textContent(), /^\d[\d.]*$/);
  assert.ok(await page.locator('#verify-never').isVisible() || await page.locator('#verify').isVisible(), 'no state of the last verification');
  await shot('14-audit-chain');

  // Register
  await openView('Register', 'Register');
  const entry = page.locator(`#register-body details[data-name="${SERVICE}"]`);
  await entry.waitFor();
  await entry.locator('summary').click();
  assert.ok(await entry.evaluate((d) => d.open));
  assert.match(await entry.textContent(), /Daten und Technik/);
  assert.match(await entry.textContent(), /gpt-4o-mini/);
  await shot('15-register');

  // Warnungen: the password sent
  await waitFor(async () => (await page.evaluate(async () => (await (await fetch('/admin/api/alerts')).json()).alerts?.length ?? 0)) > 0,
    { timeout: 20000, interval: 500, message: 'an alert for the password sent' });
  await openView('Warnungen', 'Warnungen');
  const alerts = page.locator('#alerts li');
  await alerts.first().waitFor();
  const kinds = await alerts.evaluateAll((li) => li.map((x) => x.dataset.kind));
  assert.ok(kinds.includes('credentials') || kinds.includes('refusal_spike'), `alerts: ${kinds}`);
  assert.match(await alerts.first().locator('.alert-sev').textContent(), /Kritisch|Warnung|Hinweis/);
  // the count in the navigation, part of the link's name
  await waitFor(async () => await page.locator('#nav-alerts-count').isVisible(), { message: 'the alert count in the navigation' });
  const navName = await page.locator('#nav-alerts').evaluate((a) => a.textContent.replace(/\s+/g, ' ').trim());
  assert.match(navName, new RegExp(`Warnungen.*${kinds.length} aktiv`));
  await assertNoIdentities();
  await shot('16-alerts');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
  assert.match(await alerts.first().locator('.alert-sev').textContent(), /Critical|Warning|Notice/);
  await page.getByRole('button', { name: 'Deutsch' }).click();
  await page.getByRole('heading', { name: 'Warnungen', level: 1 }).waitFor();
});

test('no console errors, no CSP violations', () => {
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(consoleErrors, []);
  process.stdout.write(`# screenshots: ${shots}\n`);
});
