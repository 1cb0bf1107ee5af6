// Journey 5: the facilitator schedules a collaborative meeting with a consent motion to
// move a prototype to Implementing; three members vote (one blocks with a reason, then
// withdraws the block); the motion closes; the prototype's timeline shows the decision and
// its new stage; the approved minutes print. Axe on every page; one member votes with
// JavaScript off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, visit, check, createUser, signIn, api, FACILITATOR } from './harness.js';

let server; let browser; let prototype; let meetingUrl;
const PEOPLE = [
  { email: 'chris@lab.test', name: 'Chris Evans', password: 'commissioner password', role: 'member' },
  { email: 'alex@lab.test', name: 'Alex Morgan', password: 'service user password', role: 'member' },
  { email: 'priya@lab.test', name: 'Priya Natarajan', password: 'voluntary sector password', role: 'member' },
];

before(async () => {
  server = await startServer();
  browser = await launch();
  for (const p of PEOPLE) await createUser(server.base, p);
  const post = await api(server.base, FACILITATOR.email, FACILITATOR.password);
  const made = await post('create_prototype', { title: 'Living Well Hub', summary: 'One front door', body: '## The problem\n\nPeople wait.\n', themes: '' });
  prototype = made.headers.get('location').split('/')[2];
  assert.equal((await post('publish_iteration', { id: prototype, change_note: 'First try' })).status, 200);
  assert.equal((await post('publish_iteration', { id: prototype, change_note: 'Evening line added' })).status, 200);
});
after(async () => { await browser?.close(); await server?.stop(); });

test('the facilitator schedules a meeting with a consent motion and opens the vote', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, FACILITATOR.email, FACILITATOR.password);
  await page.getByRole('link', { name: 'Meetings' }).click();
  await page.waitForURL('**/meetings');
  await check(page);
  await page.getByLabel('Title').fill('March collaborative meeting');
  await page.getByLabel('Starts (UK time)').fill('2027-03-03T14:00');
  await page.getByLabel('Place').fill('The Hub, Riverside');
  await page.getByRole('button', { name: 'Schedule' }).click();
  await page.waitForURL(/\/meetings\/\d+$/);
  meetingUrl = new URL(page.url()).pathname;
  await check(page);

  for (const p of PEOPLE) {
    await page.getByLabel('Member', { exact: true }).selectOption({ label: p.name });
    await page.getByLabel('Status').selectOption('in_person');
    await page.getByRole('button', { name: 'Record' }).click();
    await page.getByText(`${p.name}: Present in person`).waitFor();
  }
  await page.getByText('Add an agenda item').click();
  await page.getByLabel('Kind').selectOption('prototype');
  await page.getByLabel('Item title').fill('Living Well Hub: adopt and implement?');
  await page.getByLabel('Prototype (for a prototype item)').selectOption({ label: 'Living Well Hub' });
  await page.getByRole('button', { name: 'Add item' }).click();
  await page.getByRole('heading', { name: 'Living Well Hub: adopt and implement?' }).waitFor();

  await page.getByText('Add a motion to this item').click();
  await page.getByLabel('The question put to the vote').fill('Adopt iteration 2 and move to Implementing?');
  await page.getByLabel('Voting method').selectOption('consent');
  await page.getByLabel('Quorum: at least this many votes').fill('3');
  await page.getByLabel('of which from service users or carers').fill('1');
  await page.getByLabel('Move it to this stage:').check();
  await page.getByLabel('Stage', { exact: true }).selectOption({ label: 'Implementing' });
  await page.getByRole('button', { name: 'Add motion' }).click();
  await page.getByRole('heading', { name: 'Motion: Adopt iteration 2 and move to Implementing?' }).waitFor();
  await page.getByRole('button', { name: 'Open voting' }).click();
  await page.getByText('Open for voting').waitFor();
  await check(page);
  await page.context().close();
});

async function vote(person, { js, choice, reason }) {
  const page = await newPage(browser, { javaScriptEnabled: js });
  await signIn(page, server.base, person.email, person.password, { js });
  if (person.name === 'Alex Morgan') {
    // Alex declares a service-user perspective, so the lived-experience quorum can be met.
    await page.getByLabel('Service user (lived experience)').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Your changes are saved.').waitFor();
  }
  await visit(page, server.base, meetingUrl, { js });
  await page.getByLabel(choice).check();
  if (reason !== undefined) await page.getByLabel('Your reason (needed for an objection or a block)').fill(reason);
  await page.getByRole('button', { name: /^(Vote|Change my vote)$/ }).click();
  await page.waitForURL(/voted=\d+/);
  await check(page, { js });
  return page;
}

test('three members vote; one blocks with a reason, then withdraws the block', async () => {
  const chris = await vote(PEOPLE[0], { js: true, choice: 'Agree' });
  // Live tallies: Chris's page shows the later votes without reloading.
  await vote(PEOPLE[1], { js: false, choice: 'Block (I cannot accept this)', reason: 'Carers were not asked about the evening line' }).then((p) => p.context().close());
  await chris.getByText('Blocks: Carers were not asked about the evening line').waitFor({ timeout: 15000 });
  const priya = await vote(PEOPLE[2], { js: true, choice: 'Object (it can go ahead, but I want my concern recorded)', reason: 'Check the cost first' });
  await priya.context().close();
  const alex = await vote(PEOPLE[1], { js: true, choice: 'Agree', reason: '' });
  await alex.getByText('Your vote: agree').waitFor();
  await alex.context().close();
  await chris.getByText('Votes so far: 3').waitFor({ timeout: 15000 });
  await chris.context().close();
});

test('the motion closes, the timeline shows the decision, and the approved minutes print', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, FACILITATOR.email, FACILITATOR.password);
  await visit(page, server.base, meetingUrl);
  await page.getByRole('button', { name: 'Close voting and record the decision' }).click();
  await page.locator('.decision').getByText('Passed: 2 agree, 0 abstaining, 1 objecting, 0 blocking').waitFor();
  await check(page);

  await visit(page, server.base, `/prototypes/${prototype}`);
  await page.getByText('The collaborative meeting decided').waitFor();
  await page.locator('.stage-badge', { hasText: 'Implementing' }).waitFor();

  await visit(page, server.base, '/');
  await page.getByRole('heading', { name: 'Recent decisions' }).waitFor();
  await visit(page, server.base, meetingUrl);
  const minutes = page.getByLabel('Draft minutes (Markdown)');
  assert.match(await minutes.inputValue(), /Outcome: Passed/);
  await minutes.fill(`${await minutes.inputValue()}\n\nAction: Pat to send the decision to the commissioners.\n`);
  await page.getByRole('button', { name: 'Approve the minutes' }).click();
  await page.getByRole('link', { name: 'Download as Markdown' }).waitFor();
  await check(page);
  await page.emulateMedia({ media: 'print' });
  assert.ok(await page.getByText('Action: Pat to send the decision to the commissioners.').isVisible());
  assert.ok(!(await page.locator('.site-header').isVisible()), 'no navigation on paper');
  assert.ok(!(await page.getByRole('heading', { name: 'Agenda' }).isVisible()));
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 1000);
  await page.context().close();
});
