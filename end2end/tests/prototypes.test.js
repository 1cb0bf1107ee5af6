// Journey 1: a design-group member drafts a prototype, previews it, publishes iteration 1,
// edits and publishes iteration 2, compares them and moves it to Testing. Axe on every
// page; the same flow once more with JavaScript off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, visit, check, createUser, signIn, FACILITATOR } from './harness.js';

let server; let browser;
const GP = { email: 'amira@lab.test', name: 'Dr Amira Shah', password: 'design group password', role: 'design_group' };
const PEER = { email: 'sam@lab.test', name: 'Sam Reid', password: 'peer supporter password', role: 'design_group' };

before(async () => {
  server = await startServer();
  browser = await launch();
  await createUser(server.base, GP);
  await createUser(server.base, PEER);
});
after(async () => { await browser?.close(); await server?.stop(); });

test('a facilitator sets up the experience model in settings', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, FACILITATOR.email, FACILITATOR.password);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.waitForURL('**/settings');
  await check(page);
  for (const [text, short] of [['I can get help when I need it, and get back in easily', 'easy in, easy out'], ['I have one plan, with one person coordinating', 'one plan, one person coordinating']]) {
    await page.getByLabel('New statement').fill(text);
    await page.getByLabel('Short name (optional)').fill(short);
    await page.getByRole('button', { name: 'Add statement' }).click();
    await page.getByRole('link', { name: `Prototypes addressing “${short}”` }).waitFor();
  }
  await check(page);
  await page.context().close();
});

async function journey(page, { js, title }) {
  const opts = { js };
  await signIn(page, server.base, GP.email, GP.password, opts);
  await visit(page, server.base, '/prototypes', opts);
  await page.getByRole('link', { name: 'New prototype' }).click();
  await page.waitForURL('**/prototypes/new');
  await check(page, opts);

  await page.getByLabel('Title').fill(title);
  await page.getByLabel('One-line summary').fill('One front door for help, with a personal guide');
  await page.getByLabel('Themes').fill('Living Well Hub');
  await page.getByLabel('Sam Reid').check();
  await page.getByLabel('I can get help when I need it, and get back in easily').check();
  await page.getByLabel('I have one plan, with one person coordinating').check();
  const body = page.getByLabel('The prototype (Markdown)');
  const text = (await body.inputValue()).replace('What changes, step by step?', 'A phone line open 9 to 5.');
  await body.fill(text);
  if (js) {
    // Live preview follows typing once hydrated.
    await page.locator('#preview').getByRole('heading', { name: 'The problem' }).waitFor();
    await page.getByRole('button', { name: 'Create prototype' }).click();
    await page.waitForURL(/\/prototypes\/\d+\/edit\?saved=1/);
  } else {
    await page.getByRole('button', { name: 'Save and preview' }).click();
    await page.waitForURL(/\/prototypes\/\d+\/edit\?preview=1/);
    await page.locator('#preview').getByText('A phone line open 9 to 5.').waitFor();
  }
  await check(page, opts);
  const id = page.url().match(/prototypes\/(\d+)\/edit/)[1];

  await page.getByLabel('What changed and why').fill('First try, from the design-group workshop.');
  await page.getByRole('button', { name: 'Publish iteration 1' }).click();
  await page.waitForURL(`**/prototypes/${id}/iterations/1?published=1`);
  await page.getByRole('heading', { name: 'What we will try' }).waitFor();
  await check(page, opts);

  await visit(page, server.base, `/prototypes/${id}/edit`, opts);
  const again = page.getByLabel('The prototype (Markdown)');
  await again.fill((await again.inputValue()).replace('9 to 5', '9 to 9, with an evening line'));
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByText('Draft saved.').waitFor();
  // Saving twice in a row must work: the form picks up the new revision each time.
  const revision = await page.locator('input[name="revision"]').inputValue();
  await page.getByLabel('Themes').fill('Living Well Hub, out of hours');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.waitForFunction((r) => document.querySelector('input[name="revision"]')?.value !== r, revision);
  assert.equal(await page.getByText('Someone else saved this draft').count(), 0, 'no conflict with oneself');
  await page.getByLabel('What changed and why').fill('Added an evening line: people told us nobody answers after 5pm.');
  await page.getByRole('button', { name: 'Publish iteration 2' }).click();
  await page.waitForURL(`**/prototypes/${id}/iterations/2?published=1`);
  await check(page, opts);

  await visit(page, server.base, `/prototypes/${id}`, opts);
  await page.getByRole('heading', { name: 'Iteration 2 (latest)' }).waitFor();
  await page.getByRole('button', { name: 'Compare' }).click();
  await page.waitForURL(`**/prototypes/${id}/diff?from=1&to=2`);
  await page.getByRole('heading', { name: 'What changed from iteration 1 to 2' }).waitFor();
  assert.match(await page.locator('.diff del').first().textContent(), /5/);
  assert.match(await page.locator('.diff ins').allTextContents().then((t) => t.join(' ')), /evening line/);
  await check(page, opts);

  await visit(page, server.base, `/prototypes/${id}`, opts);
  await page.getByLabel('New stage').selectOption({ label: 'Testing' });
  await page.getByLabel('Why?').fill('Ready to try with two GP surgeries.');
  await page.getByRole('button', { name: 'Move', exact: true }).click();
  await page.getByText('Moved to Testing.').waitFor();
  const timeline = await page.locator('.timeline').textContent();
  for (const entry of ['created the prototype', 'published iteration 1', 'published iteration 2', 'moved it from Idea to Testing', 'Ready to try with two GP surgeries.', 'nobody answers after 5pm']) {
    assert.ok(timeline.includes(entry), `timeline shows "${entry}": ${timeline}`);
  }
  await check(page, opts);

  await visit(page, server.base, '/prototypes', opts);
  const testing = page.getByRole('region', { name: /Testing/ });
  await testing.getByRole('link', { name: title }).waitFor();
  await visit(page, server.base, '/prototypes', opts);
  await page.getByLabel('Show prototypes addressing').selectOption({ label: 'one plan, one person coordinating' });
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await page.waitForURL(/statement=\d+/);
  await page.getByRole('region', { name: /Testing/ }).getByRole('link', { name: title }).waitFor();
  await check(page, opts);
  await visit(page, server.base, '/prototypes?view=list&q=Hub', opts);
  await page.getByRole('link', { name: title }).waitFor();
  return id;
}

test('a design-group member drafts, publishes twice, compares and moves to Testing', async () => {
  const page = await newPage(browser);
  await journey(page, { js: true, title: 'Living Well Hub' });
  await page.context().close();
});

test('the same journey with JavaScript off', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await journey(page, { js: false, title: 'Living Well Hub without scripts' });
  await page.context().close();
});
