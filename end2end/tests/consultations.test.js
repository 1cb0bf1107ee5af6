// Journeys 2–4: the design group opens a public round; a visitor answers it on a phone
// and keeps the receipt link; an answer that shows risk is held, the person sees crisis
// numbers at once, and the facilitator releases it; the design group codes themes and
// links the feedback to iteration 2, and the visitor's receipt says "we did".
// Axe on every page; the visitor's journey once more with JavaScript off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, visit, check, createUser, signIn, api, FACILITATOR } from './harness.js';

let server; let browser;
const GP = { email: 'amira@lab.test', name: 'Dr Amira Shah', password: 'design group password', role: 'design_group' };
const CARER = { email: 'cath@lab.test', name: 'Cath Carer', password: 'carer password long', role: 'contributor' };
let prototype; let roundUrl;

before(async () => {
  server = await startServer();
  browser = await launch();
  await createUser(server.base, GP);
  await createUser(server.base, CARER);
  const pat = await api(server.base, FACILITATOR.email, FACILITATOR.password);
  for (const [text, short_name] of [['I can get help when I need it', 'easy in, easy out'], ['I have one plan, with one person coordinating', 'one plan']]) {
    assert.equal((await pat('add_statement', { text, short_name })).status, 200);
  }
  const gp = await api(server.base, GP.email, GP.password);
  const form = new URLSearchParams({ title: 'Living Well Hub', summary: 'One front door', themes: 'Living Well Hub',
    body: '## The problem\n\nPeople wait.\n\n## Who it is for\n\nAdults who fall between services.\n' });
  form.append('statements[]', '1'); form.append('statements[]', '2');
  const created = await gp('create_prototype', form);
  prototype = created.headers.get('location').split('/')[2];
  assert.equal((await gp('publish_iteration', { id: prototype, change_note: 'First try from the workshop' })).status, 200);
});
after(async () => { await browser?.close(); await server?.stop(); });

test('the design group opens a public round on iteration 1', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, GP.email, GP.password);
  await visit(page, server.base, `/prototypes/${prototype}`);
  await page.getByRole('link', { name: 'Open a consultation round' }).click();
  await page.waitForURL('**/consultations/new?prototype=*');
  await check(page);
  await page.getByLabel('Title').fill('Living Well Hub: first thoughts');
  await page.getByLabel('Why we are asking').fill('We want to know if this would work for you.');
  await page.getByLabel('Anyone with the link (no account needed)').check();
  await page.locator('#q0-required').selectOption('yes');
  await page.getByRole('button', { name: 'Open the round' }).click();
  await page.waitForURL(/\/consultations\/\d+\?opened=1/);
  roundUrl = new URL(page.url()).pathname;
  await check(page);
  await page.getByRole('status').filter({ hasText: 'The round is set up' }).waitFor();
  // It is on the prototype's timeline.
  await visit(page, server.base, `/prototypes/${prototype}`);
  await page.getByText('opened a consultation round on iteration 1').waitFor();
  await page.context().close();
});

async function answer(page, { js, text }) {
  await visit(page, server.base, roundUrl, { js });
  await page.getByRole('heading', { name: 'If you need help now' }).waitFor();
  await page.getByLabel('What do you think of this idea? What would make it work better for you? (needed)').fill(text);
  const ratings = page.locator('.rating');
  await ratings.nth(0).getByLabel('4').check();
  await ratings.nth(1).getByLabel('2').check();
  await page.getByLabel('Service user (lived experience)').check();
  await page.getByLabel('It may be quoted, without my name').check();
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await page.waitForURL(/\/receipts\/[0-9a-f]{32}/);
  await check(page, { js });
  return page.url();
}

test('a visitor answers on a phone and comes back through the receipt link', async () => {
  const page = await newPage(browser, { viewport: { width: 375, height: 740 } });
  await visit(page, server.base, '/consultations');
  await page.getByRole('link', { name: 'Living Well Hub: first thoughts' }).click();
  await page.waitForURL(`**${roundUrl}`);
  // A required answer left out: a plain message, and the ratings chosen are kept.
  await page.locator('.rating').nth(0).getByLabel('5').check();
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await page.locator('.field-error', { hasText: 'Please answer this question: it is needed.' }).waitFor();
  assert.ok(await page.locator('.rating').nth(0).getByLabel('5').isChecked());
  const receipt = await answer(page, { js: true, text: 'Nobody answers the phone after 5pm' });
  await page.getByRole('heading', { name: 'Thank you: your answers are saved' }).waitFor();
  await page.getByText('Nobody answers the phone after 5pm').waitFor();
  await page.context().close();
  const later = await newPage(browser);
  await visit(later, server.base, new URL(receipt).pathname);
  await later.getByText('The design group has not acted on this yet.').waitFor();
  await later.context().close();
  globalThis.receipt = new URL(receipt).pathname;
});

test('without JavaScript, a worrying answer is held and the person sees help at once', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await answer(page, { js: false, text: 'Some nights I want to end it all' });
  await page.getByRole('heading', { name: 'Thank you for telling us. Please look after yourself.' }).waitFor();
  await page.getByRole('heading', { name: 'Help you can get right now' }).waitFor();
  assert.ok(await page.getByRole('link', { name: '116 123' }).first().isVisible());
  await page.context().close();

  const pat = await newPage(browser);
  await signIn(pat, server.base, FACILITATOR.email, FACILITATOR.password);
  await pat.getByRole('link', { name: 'Moderation' }).click();
  await pat.waitForURL('**/moderation');
  await check(pat);
  await pat.locator('blockquote', { hasText: 'Some nights I want to end it all' }).waitFor();
  await pat.getByRole('button', { name: 'Release: publish it' }).click();
  await pat.getByText('Nothing is waiting. Thank you.').waitFor();
  await check(pat);
  await pat.context().close();
});

test('the design group codes themes, acts on feedback in iteration 2, and the visitor sees it', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, GP.email, GP.password);
  await visit(page, server.base, `${roundUrl}/results`);
  await page.getByRole('table', { name: /Average rating per experience statement/ }).waitFor();
  const item = page.locator('.text-answer').filter({ hasText: 'Nobody answers the phone after 5pm' });
  await item.getByLabel('Themes').fill('out of hours, one phone number');
  await item.getByRole('button', { name: 'Save themes' }).click();
  await page.getByRole('table', { name: /How many free-text answers/ }).getByText('out of hours').waitFor();
  await check(page);

  await visit(page, server.base, `/prototypes/${prototype}/edit`);
  await page.getByLabel(/Nobody answers the phone after 5pm/).check();
  await page.getByLabel('What changed and why').fill('Added an evening line: people told us nobody answers after 5pm');
  await page.getByRole('button', { name: 'Publish iteration 2' }).click();
  await page.waitForURL(/\/iterations\/2/);
  await check(page);
  await page.getByRole('heading', { name: /You said, we did/ }).waitFor();
  await page.context().close();

  const visitor = await newPage(browser);
  await visit(visitor, server.base, globalThis.receipt);
  await visitor.getByRole('link', { name: 'iteration 2 acted on this' }).waitFor();
  await visitor.context().close();
});

test('a carer comments on the "Who it is for" section and sees their feedback on their account', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, CARER.email, CARER.password);
  await visit(page, server.base, `/prototypes/${prototype}/iterations/1`);
  const section = page.getByRole('complementary', { name: 'Comments on “Who it is for”' });
  await section.getByText('Comment on “Who it is for”').click();
  await section.getByLabel('Your comment on this section').fill('Carers need to be able to call too.');
  await section.getByRole('button', { name: 'Post comment' }).click();
  await page.waitForURL(/commented=\d+/);
  await page.locator('.section-comments').getByText('Carers need to be able to call too.').waitFor();
  await check(page);
  await visit(page, server.base, `/prototypes/${prototype}`);
  await page.getByRole('heading', { name: 'Comments (1)' }).waitFor();
  await visit(page, server.base, '/account');
  await page.getByRole('link', { name: 'Your comment on “Living Well Hub”' }).waitFor();
  await page.context().close();
});
