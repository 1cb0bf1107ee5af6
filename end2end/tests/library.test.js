// Issue 11: the learning library and search. A service user comments on iteration 1 and
// agrees to be quoted without a name; the design group publishes iteration 2, follows
// "Add what we learned" into the note editor, links the comment and publishes the note
// (JavaScript off for one note, on for another); a collaborative member filters the
// library and reads the quote without the name; searching "waiting" finds "waits" (a
// stemmed word) with JavaScript off and, live as you type, on; a visitor reads the shared
// page, which names nobody. Axe on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, visit, check, createUser, signIn, api } from './harness.js';

let server; let browser;
const GP = { email: 'amira@lab.test', name: 'Dr Amira Shah', password: 'design group password', role: 'design_group' };
const DEE = { email: 'dee@lab.test', name: 'Dee Marlowe', password: 'service user password', role: 'contributor' };
const COLIN = { email: 'colin@lab.test', name: 'Colin Fairbairn', password: 'commissioner password', role: 'member' };
const QUOTE = 'Nobody answers after five, so she waits until morning.';
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/;
// Two prototypes, one per note: { id, title, note }.
const evening = { title: 'Evening line' };
const number = { title: 'One phone number' };

before(async () => {
  server = await startServer();
  browser = await launch();
  for (const person of [GP, DEE, COLIN]) await createUser(server.base, person);
  // Set-up the test is not about: each prototype created with iteration 1 published.
  const gp = await api(server.base, GP.email, GP.password);
  for (const p of [evening, number]) {
    const created = await gp('create_prototype', { title: p.title, summary: 'Help when people need it',
      themes: 'out of hours', body: '## The problem\n\nThe line is open 9 to 5.\n\n## What we will try\n\nA phone line.\n' });
    p.id = created.headers.get('location').split('/')[2];
    assert.equal((await gp('publish_iteration', { id: p.id, change_note: 'First try' })).status, 200);
  }
});
after(async () => { await browser?.close(); await server?.stop(); });

test('a service user comments on iteration 1 and agrees to be quoted without a name', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await signIn(page, server.base, DEE.email, DEE.password, { js: false });
  await visit(page, server.base, `/prototypes/${evening.id}`, { js: false });
  const form = page.getByRole('form', { name: 'Add a comment' });
  await form.getByLabel('Your comment').fill(QUOTE);
  await form.getByLabel('It may be quoted, without my name').check();
  await form.getByRole('button', { name: 'Post comment' }).click();
  await page.waitForURL(/commented=\d+/);
  await page.locator('.comment-body', { hasText: QUOTE }).waitFor();
  await check(page, { js: false });
  await page.context().close();
});

/** The design group publishes iteration 2, follows "Add what we learned" and publishes a note. */
async function learn(p, { js, note }) {
  const opts = { js };
  const page = await newPage(browser, { javaScriptEnabled: js });
  await signIn(page, server.base, GP.email, GP.password, opts);
  await visit(page, server.base, `/prototypes/${p.id}/edit`, opts);
  const body = page.getByLabel('The prototype (Markdown)');
  await body.fill((await body.inputValue()).replace('9 to 5', '9 to 9, with an evening line'));
  await page.getByLabel('What changed and why').fill('Added an evening line: nobody answers after five.');
  await page.getByRole('button', { name: 'Publish iteration 2' }).click();
  await page.waitForURL(`**/prototypes/${p.id}/iterations/2?published=1`);
  const notice = page.getByRole('status').filter({ hasText: 'Iteration 2 is published.' });
  await notice.waitFor();
  await check(page, opts);

  await notice.getByRole('link', { name: 'Add what we learned' }).click();
  await page.waitForURL(`**/library/new?prototype=${p.id}&iteration=2`);
  await check(page, opts);
  assert.ok(await page.getByRole('checkbox', { name: /^Iteration 2, published/ }).isChecked(), 'iteration 2 is pre-ticked');
  await page.getByLabel('Title').fill(note.title);
  await page.getByLabel('What kind of lesson is it?').selectOption({ label: note.kind });
  await page.getByLabel('What we learned (Markdown)').fill(note.body);
  await page.getByLabel('Themes', { exact: true }).fill(note.themes);
  if (note.quote) {
    const comment = page.getByRole('checkbox', { name: `Comment by ${DEE.name}: “${QUOTE}” (may be quoted without a name)` });
    await comment.check();
  }
  if (note.shareable) await page.getByLabel(/^Shareable/).check();
  await page.getByRole('button', { name: 'Save as a draft' }).click();
  await page.waitForURL(/\/library\/\d+\?saved=1$/);
  await page.getByRole('status').filter({ hasText: 'The note is saved.' }).waitFor();
  note.id = page.url().match(/library\/(\d+)/)[1];
  await page.getByRole('heading', { level: 1, name: note.title }).waitFor();
  await check(page, opts);

  await page.getByRole('button', { name: 'Publish the note' }).click();
  await page.waitForURL(`**/library/${note.id}?published=1`);
  await page.getByRole('status').filter({ hasText: 'The note is published' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Publish the note' }).count(), 0, 'published once');
  if (note.shareable) await page.getByRole('link', { name: `/library/${note.id}/shared` }).waitFor();
  await check(page, opts);

  // The editor for a published note says so.
  await page.getByRole('link', { name: 'Edit the note' }).click();
  await page.waitForURL(`**/library/${note.id}/edit`);
  await page.getByText('This note is published').waitFor();
  assert.equal(await page.getByLabel('Title').inputValue(), note.title);
  await check(page, opts);
  await page.context().close();
}

test('without JavaScript, the design group publishes iteration 2 and a shareable note quoting the comment', async () => {
  evening.note = { title: 'People wait all night for help', kind: 'What did not work', shareable: true, quote: true,
    themes: 'out of hours, waiting times',
    body: '## What happened\n\nWith a line open 9 to 5, people were left waiting all night.\n\nIteration 2 adds an evening line.' };
  await learn(evening, { js: false, note: evening.note });
});

test('with JavaScript, the design group does the same for a members-only note', async () => {
  number.note = { title: 'One number is easier to keep', kind: 'What worked', shareable: false, quote: false,
    themes: 'one phone number', body: 'People kept one number on the fridge.' };
  await learn(number, { js: true, note: number.note });
});

test('a collaborative member filters the library and reads the quote without the name', async () => {
  for (const js of [true, false]) {
    const opts = { js };
    const page = await newPage(browser, { javaScriptEnabled: js });
    await signIn(page, server.base, COLIN.email, COLIN.password, opts);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
    await page.waitForURL('**/library');
    await page.getByRole('link', { name: number.note.title }).waitFor();
    await check(page, opts);
    assert.equal(await page.getByRole('link', { name: 'Write a learning note' }).count(), 0, 'members do not write notes');

    await page.getByLabel('Kind of lesson').selectOption({ label: 'What did not work' });
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL('**/library?kind=did_not_work**');
    await page.getByRole('link', { name: evening.note.title }).waitFor();
    assert.equal(await page.getByRole('link', { name: number.note.title }).count(), 0, 'the filter leaves out other kinds');
    await check(page, opts);

    await page.getByRole('link', { name: evening.note.title }).click();
    await page.waitForURL(`**/library/${evening.note.id}`);
    await page.locator('.evidence blockquote', { hasText: QUOTE }).waitFor();
    await page.getByRole('link', { name: /^Iteration 2 of/ }).waitFor();
    const text = await page.locator('main').textContent();
    assert.ok(!text.includes(DEE.name), 'the commenter is not named');
    assert.equal(await page.getByRole('link', { name: 'Edit the note' }).count(), 0, 'members do not edit');
    await check(page, opts);

    await page.getByRole('list', { name: 'Themes' }).getByRole('link', { name: 'waiting times' }).click();
    await page.waitForURL('**/themes/waiting%20times');
    await page.getByRole('heading', { level: 1, name: 'waiting times' }).waitFor();
    await page.getByRole('link', { name: evening.note.title }).waitFor();
    await check(page, opts);
    await page.context().close();
  }
});

test('without JavaScript, the header search finds "waits" when asked for "waiting"', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await signIn(page, server.base, COLIN.email, COLIN.password, { js: false });
  await page.getByRole('searchbox', { name: 'Search the lab' }).fill('waiting');
  await page.getByRole('search').filter({ has: page.locator('#header-search') }).getByRole('button', { name: 'Search' }).click();
  await page.waitForURL('**/search?q=waiting');
  await page.getByRole('status').filter({ hasText: /\d+ results?\./ }).waitFor();
  const results = page.locator('.search-results');
  assert.equal(await results.getByRole('link', { name: evening.note.title }).getAttribute('href'), `/library/${evening.note.id}`);
  const comment = results.getByRole('link', { name: `Comment on “${evening.title}”` });
  await comment.waitFor();
  await results.locator('mark', { hasText: /^waits$/ }).first().waitFor();
  assert.ok(!(await results.textContent()).includes(DEE.name), 'results name nobody');
  await check(page, { js: false });

  // The title links to the exact place: the comment on the prototype's page.
  const href = await comment.getAttribute('href');
  assert.match(href, new RegExp(`^/prototypes/${evening.id}#comment-\\d+$`));
  await comment.click();
  await page.waitForURL(`**${href}`);
  await page.locator(`${href.slice(href.indexOf('#'))} .comment-body`, { hasText: QUOTE }).waitFor();
  await check(page, { js: false });
  await page.context().close();
});

test('with JavaScript, the search page updates as you type and keeps ?q= in the address', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, COLIN.email, COLIN.password);
  await visit(page, server.base, '/search?q=zebracrossing');
  await page.getByRole('status').filter({ hasText: 'No results.' }).waitFor();
  await page.getByText('Nothing found.').waitFor();
  // A page load would lose this mark.
  await page.evaluate(() => { window.stillHere = true; });
  await page.getByLabel('Search for').fill('');
  await page.getByLabel('Search for').pressSequentially('waiting');
  await page.getByRole('status').filter({ hasText: /[1-9]\d* results?\./ }).waitFor();
  await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'waiting');
  const results = page.locator('.search-results');
  await results.getByRole('link', { name: `Comment on “${evening.title}”` }).waitFor();
  await results.getByRole('link', { name: evening.note.title }).waitFor();
  assert.ok(await page.evaluate(() => window.stillHere), 'no page load while typing');
  await check(page);
  await page.context().close();
});

test('a visitor reads the shared page, which names nobody; search asks them to sign in', async () => {
  for (const js of [true, false]) {
    const page = await newPage(browser, { javaScriptEnabled: js });
    await visit(page, server.base, `/library/${evening.note.id}/shared`, { js });
    await page.getByRole('heading', { level: 1, name: evening.note.title }).waitFor();
    await page.getByText('people were left waiting all night').waitFor();
    await page.locator('blockquote', { hasText: QUOTE }).waitFor();
    const html = await page.content();
    for (const name of [GP.name, DEE.name, COLIN.name]) assert.ok(!html.includes(name), `the shared page does not name ${name}`);
    assert.doesNotMatch(html, EMAIL, 'no email address on the shared page');

    // A members-only note has no public page.
    const hidden = await page.goto(`${server.base}/library/${number.note.id}/shared`);
    assert.equal(hidden.status(), 404);
    assert.ok(!(await page.content()).includes(number.note.title));
    page.errors = []; // the browser logs the expected 404 as a console error
    await check(page, { js });
    // Search needs an account: the page answers 401 and asks them to sign in.
    const refused = await page.goto(`${server.base}/search?q=waiting`);
    assert.equal(refused.status(), 401);
    page.errors = []; // and the expected 401
    await check(page, { js });
    await page.getByText("Search looks through the lab's work, which people with an account can read.").waitFor();
    await page.getByRole('main').getByRole('link', { name: 'Sign in' }).waitFor();
    assert.equal(await page.locator('.search-results').count(), 0);
    await page.context().close();
  }
});
