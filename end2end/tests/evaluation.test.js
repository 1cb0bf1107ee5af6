// Issue 12: evaluation and roll-out. The programme manager imports the borough's 48 GP
// practices (JavaScript off), adds a measure with a baseline to the Living Well Hub and
// pastes 12 monthly readings (a bad paste first: every bad line named, nothing added, the
// text kept), plans the Hub at every practice and marks 15 live; the prototype's timeline
// and the roll-out overview say so; the home page shows what needs her; a spreadsheet's CSV
// file is uploaded; the collaborative's report covers a period. Axe on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, visit, check, createUser, signIn, api, FACILITATOR } from './harness.js';

let server; let browser;
const GP = { email: 'amira@lab.test', name: 'Dr Amira Shah', password: 'design group password', role: 'design_group' };
const hub = { title: 'Living Well Hub' };
const AREAS = ['Northfield', 'Riverside Central', 'Eastgate', 'Westmoor'];
const PRACTICES = Array.from({ length: 48 }, (_, i) => `Practice ${String(i + 1).padStart(2, '0')} Surgery`);
const READINGS = [26, 25, 22, 20, 18, 15, 14, 12, 11, 10, 9, 9];

before(async () => {
  server = await startServer();
  browser = await launch();
  await createUser(server.base, GP);
  // Set-up the test is not about: the Hub, published and decided on, at Implementing.
  const gp = await api(server.base, GP.email, GP.password);
  const created = await gp('create_prototype', { title: hub.title, summary: 'One front door', themes: 'Living Well Hub',
    body: '## The problem\n\nPeople wait weeks.\n' });
  hub.id = created.headers.get('location').split('/')[2];
  assert.equal((await gp('publish_iteration', { id: hub.id, change_note: 'First try' })).status, 200);
});
after(async () => { await browser?.close(); await server?.stop(); });

test('the programme manager imports the practices without JavaScript', async () => {
  const opts = { js: false };
  const page = await newPage(browser, { javaScriptEnabled: false });
  await signIn(page, server.base, FACILITATOR.email, FACILITATOR.password, opts);
  await visit(page, server.base, '/settings', opts);
  await page.getByRole('link', { name: /^Sites:/ }).click();
  await page.waitForURL('**/settings/sites');
  await check(page, opts);
  const csv = ['name,kind,area', ...PRACTICES.map((name, i) => `${name},GP practice,${AREAS[i % 4]}`)];
  // A bad line first: every problem named by line, nothing added, the text kept.
  const bad = [...csv, 'Practice 01 Surgery,GP practice,Northfield'].join('\n');
  await page.getByLabel('Sites, one a line: name, kind, area').fill(bad);
  await page.getByRole('button', { name: 'Import the sites' }).click();
  await page.getByText(/Line 50/).first().waitFor();
  await check(page, opts);
  assert.equal(await page.getByLabel('Sites, one a line: name, kind, area').inputValue(), bad, 'the text is kept');
  assert.equal(await page.locator('table').getByText('Practice 01 Surgery').count(), 0, 'nothing was added');
  await page.getByLabel('Sites, one a line: name, kind, area').fill(csv.join('\n'));
  await page.getByRole('button', { name: 'Import the sites' }).click();
  await page.waitForURL(/imported=48/);
  await page.getByText('Practice 48 Surgery').first().waitFor();
  await check(page, opts);
  await page.context().close();
});

test('the programme manager adds a measure with a baseline and pastes 12 monthly readings', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, FACILITATOR.email, FACILITATOR.password);
  await visit(page, server.base, `/prototypes/${hub.id}`);
  await page.getByRole('link', { name: 'Outcome measures' }).click();
  await page.waitForURL(`**/prototypes/${hub.id}/measures`);
  await check(page);
  await page.getByLabel('Name').fill('Days waited for a first appointment');
  await page.getByLabel('How it is measured (optional)').fill('The median days from first asking for help to a first appointment, from the booking system.');
  await page.getByRole('radio', { name: /^A number/ }).check();
  await page.getByRole('radio', { name: /^Lower is better/ }).check();
  await page.getByLabel('Unit (for a number)').fill('days');
  await page.getByLabel('Baseline value').fill('28');
  await page.getByLabel('Date of the baseline').fill('01/03/2025');
  await page.getByLabel('Target value').fill('7');
  await page.getByRole('button', { name: 'Add the measure' }).click();
  await page.waitForURL(/\/measures\/\d+\?saved=added/);
  await page.getByRole('heading', { level: 1, name: 'Days waited for a first appointment' }).waitFor();
  await check(page);

  // A paste with two bad lines adds nothing and names both.
  const lines = READINGS.map((v, i) => `${String(28).padStart(2, '0')}/${String(i + 1).padStart(2, '0')}/2025,${v},,Monthly report`);
  const bad = [...lines.slice(0, 3), '31/02/2025,19,,Monthly report', ...lines.slice(3), '28/12/2025,lots,,Monthly report'].join('\n');
  const box = page.getByLabel('Readings, one a line');
  await box.fill(bad);
  await page.getByRole('button', { name: 'Check and add the readings' }).click();
  await page.getByText('Line 4: the date “31/02/2025” is not a real day.').first().waitFor();
  await page.getByText(/Line 14: the value “lots” is not a number/).first().waitFor();
  await check(page);
  assert.equal(await page.locator('table.readings tbody tr').count(), 0, 'nothing was added');
  await box.fill(lines.join('\n'));
  await page.getByRole('button', { name: 'Check and add the readings' }).click();
  await page.getByRole('status').filter({ hasText: '12 readings added.' }).waitFor();
  await check(page);
  assert.equal(await page.locator('table.readings tbody tr').count(), 12);
  await page.getByText('Down from 28 to 9 days since March 2025').first().waitFor();
  const chart = page.locator('svg.measure-chart');
  assert.equal(await chart.getAttribute('role'), 'img');
  assert.match(await chart.locator('desc').textContent(), /Down from 28 to 9 days/);
  await page.context().close();
});

test('the Hub reaches Implementing, is planned at 48 practices and goes live at 15', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, FACILITATOR.email, FACILITATOR.password);
  await visit(page, server.base, `/prototypes/${hub.id}/rollout`);
  await page.getByText(/A roll-out plan starts when the prototype reaches Implementing/).first().waitFor();
  await visit(page, server.base, `/prototypes/${hub.id}`);
  await page.getByLabel('New stage').selectOption({ label: 'Implementing' });
  await page.getByLabel('Why?').fill('Agreed at the collaborative meeting.');
  await page.getByRole('button', { name: 'Move' }).click();
  await page.getByRole('status').filter({ hasText: 'Moved to Implementing.' }).waitFor();
  await page.getByRole('link', { name: 'Roll-out across sites' }).click();
  await page.waitForURL(`**/prototypes/${hub.id}/rollout`);
  await check(page);
  for (const name of PRACTICES) await page.getByLabel(`${name} (GP practice)`).check();
  await page.getByRole('button', { name: 'Add the ticked sites' }).click();
  await page.waitForURL(/saved=added/);
  await page.getByText('0 of 48 GP practices live').first().waitFor();
  await check(page);
  for (const name of PRACTICES.slice(0, 15)) {
    const form = page.locator('form.rollout-change', { has: page.getByRole('button', { name: `Change “${name}”` }) });
    await form.getByLabel(`New status for ${name}`).selectOption('live');
    await form.getByRole('button', { name: `Change “${name}”` }).click();
    await page.waitForURL(/saved=status/);
    await page.locator('form.rollout-change', { has: page.getByRole('button', { name: `Change “${name}”` }) })
      .getByLabel(`New status for ${name}`).locator('option[value="paused"]').waitFor({ state: 'attached' });
  }
  await page.getByText('15 of 48 GP practices live').first().waitFor();
  assert.equal(await page.locator('progress.rollout-progress').getAttribute('value'), '15');
  await check(page);

  // The timeline and the overview say so.
  await visit(page, server.base, `/prototypes/${hub.id}`);
  await page.getByText(`marked it live at ${PRACTICES[14]}`).first().waitFor();
  await visit(page, server.base, '/rollout');
  await page.getByText(PRACTICES[0]).first().waitFor();
  await page.getByLabel('Area').selectOption({ label: 'Eastgate' });
  await page.getByRole('button', { name: /Show|Filter/ }).click();
  await page.waitForURL(/area=Eastgate/);
  await check(page);
  assert.equal(await page.getByText(PRACTICES[0]).count(), 0, 'Practice 01 is in Northfield');
  await page.context().close();
});

test('the home page shows the pipeline and what needs the programme manager, without JavaScript', async () => {
  const opts = { js: false };
  const page = await newPage(browser, { javaScriptEnabled: false });
  await signIn(page, server.base, FACILITATOR.email, FACILITATOR.password, opts);
  // One practice pauses.
  await visit(page, server.base, `/prototypes/${hub.id}/rollout`, opts);
  const name = PRACTICES[0];
  const form = page.locator('form.rollout-change', { has: page.getByRole('button', { name: `Change “${name}”` }) });
  await form.getByLabel(`New status for ${name}`).selectOption('paused');
  await form.getByLabel(`Note (optional) for ${name}`).fill('The practice manager is on leave.');
  await form.getByRole('button', { name: `Change “${name}”` }).click();
  await page.waitForURL(/saved=status/);
  await visit(page, server.base, '/', opts);
  const needs = page.getByRole('region', { name: 'What needs you today' });
  await needs.getByRole('link', { name: `${hub.title} at ${name}` }).waitFor();
  const pipeline = page.getByRole('region', { name: 'The pipeline' });
  await pipeline.getByRole('link', { name: /1 Implementing/ }).click();
  await page.waitForURL(/view=list&stage=\d+/);
  await page.getByRole('link', { name: hub.title }).first().waitFor();
  await check(page, opts);
  await page.context().close();
});

test('a commissioner opens the report and prints it: no navigation, every chart with its table', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, FACILITATOR.email, FACILITATOR.password);
  await visit(page, server.base, `/prototypes/${hub.id}`);
  await page.getByRole('link', { name: 'Evaluation report' }).click();
  await page.waitForURL(`**/prototypes/${hub.id}/report`);
  await check(page);
  await page.getByRole('heading', { level: 1, name: new RegExp(hub.title) }).waitFor();
  // One of the 15 paused in the test before.
  await page.getByText('14 of 48 GP practices live').first().waitFor();
  await page.getByText(/Down from 28 to 9 days/).first().waitFor();
  const charts = page.locator('svg.measure-chart');
  assert.ok(await charts.count() >= 1, 'the measure has its chart');

  await page.emulateMedia({ media: 'print' });
  for (const hidden of ['.site-header', 'nav[aria-label="Main"]', '.site-footer', '.skip-link']) {
    assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} is not printed`);
  }
  for (let i = 0; i < await charts.count(); i += 1) {
    const figure = page.locator('.measure-figure, figure').filter({ has: charts.nth(i) }).first();
    assert.ok(await figure.locator('table').first().isVisible(), `chart ${i + 1} prints with its table`);
  }
  const pdf = await page.pdf({ format: 'A4' });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-', 'Chromium printed it');
  assert.ok(pdf.length > 10000, `a real document (${pdf.length} bytes)`);
  await page.context().close();
});

test('the programme manager uploads a spreadsheet of readings and reads the collaborative report, without JavaScript', async () => {
  const opts = { js: false };
  const page = await newPage(browser, { javaScriptEnabled: false });
  await signIn(page, server.base, FACILITATOR.email, FACILITATOR.password, opts);
  await visit(page, server.base, `/prototypes/${hub.id}/measures`, opts);
  await page.getByRole('link', { name: 'Days waited for a first appointment' }).first().click();
  await page.waitForURL(/\/measures\/\d+$/);
  const file = page.getByLabel('CSV file', { exact: true });
  const upload = (name, text) => file.setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  // A file with a bad line: named by its line, nothing added; the file is asked for again.
  await upload('january.csv', 'date,value,site,source\r\n15/01/2026,8,,Monthly report\r\n31/02/2026,7,,Monthly report\r\n');
  await page.getByRole('button', { name: 'Upload and add the readings' }).click();
  await page.getByText('Line 3: the date “31/02/2026” is not a real day.').first().waitFor();
  await check(page, opts);
  assert.equal(await page.locator('table.readings tbody tr').count(), 12, 'nothing was added');
  // As a spreadsheet saves it (a byte-order mark, Windows line ends): added whole.
  await upload('january.csv', '\uFEFFdate,value,site,source\r\n15/01/2026,8,,Monthly report\r\n');
  await page.getByRole('button', { name: 'Upload and add the readings' }).click();
  await page.getByRole('status').filter({ hasText: '1 reading added.' }).waitFor();
  assert.equal(await page.locator('table.readings tbody tr').count(), 13);
  await check(page, opts);

  // The collaborative's report for the last 12 months, from the home page.
  await visit(page, server.base, '/', opts);
  await page.getByRole('link', { name: /^The collaborative’s report|^The collaborative's report/ }).click();
  await page.waitForURL('**/report');
  await page.getByRole('heading', { level: 1, name: /^What happened from/ }).waitFor();
  await check(page, opts);
  const pipeline = page.getByRole('table', { name: /entered and left each stage/ });
  const implementing = pipeline.getByRole('row', { name: /Implementing/ });
  assert.match(await implementing.textContent(), /1/, 'the Hub entered Implementing this year');
  const moved = page.getByRole('table', { name: /readings changed during the period/ });
  await moved.getByRole('row', { name: /Days waited for a first appointment/ }).waitFor();
  // A chosen period, then one that cannot be a period: a plain message, the typed date kept.
  await page.getByLabel('From', { exact: true }).fill('01/01/2025');
  await page.getByLabel('To', { exact: true }).fill('31/12/2025');
  await page.getByRole('button', { name: 'Show the report' }).click();
  await page.waitForURL(/from=01%2F01%2F2025/);
  await page.getByRole('heading', { level: 1, name: /1 January 2025 to 31 December 2025/ }).waitFor();
  await check(page, opts);
  await page.getByLabel('From', { exact: true }).fill('31/02/2025');
  await page.getByRole('button', { name: 'Show the report' }).click();
  await page.waitForURL(/from=31%2F02%2F2025/);
  await page.locator('.error-summary, [role="alert"]').filter({ hasText: /./ }).first().waitFor();
  assert.equal(await page.getByLabel('From', { exact: true }).inputValue(), '31/02/2025', 'what was typed is kept');
  await check(page, opts);
  await page.context().close();

  // With JavaScript too.
  const js = await newPage(browser);
  await signIn(js, server.base, FACILITATOR.email, FACILITATOR.password);
  await visit(js, server.base, '/report');
  await js.getByRole('heading', { level: 1, name: /^What happened from/ }).waitFor();
  await check(js);
  await js.context().close();
});
