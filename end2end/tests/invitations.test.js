// A facilitator invites someone as a collaborative member; the link works once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, visit, check, FACILITATOR } from './harness.js';

let server; let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function signIn(page, email, password) {
  await visit(page, server.base, '/login');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/account');
  await check(page);
}

test('a facilitator invites someone and the invitation link works', async () => {
  const pat = await newPage(browser);
  await signIn(pat, FACILITATOR.email, FACILITATOR.password);
  await pat.getByRole('link', { name: 'Members' }).click();
  await pat.waitForURL('**/members');
  await pat.getByRole('heading', { name: 'Invite someone' }).waitFor();
  await check(pat);

  // Close open registration, so only the invitation lets a person in.
  await pat.getByRole('button', { name: 'Switch to invitation only' }).click();
  await pat.getByText('Registration is by invitation only.').waitFor();

  await pat.getByLabel('Their email address (optional)').fill('chris@lab.test');
  await pat.getByLabel('Role', { exact: true }).selectOption('member');
  await pat.getByRole('button', { name: 'Create invitation link' }).click();
  const link = await pat.locator('code.invite-link').textContent();
  assert.match(link, /^\/invite\/[0-9a-f]{48}$/);
  await check(pat);

  const chris = await newPage(browser);
  await visit(chris, server.base, link);
  await chris.getByText('as: Collaborative member').waitFor();
  assert.equal(await chris.getByLabel('Email address').inputValue(), 'chris@lab.test');
  await chris.getByLabel('Your name').fill('Chris Evans');
  await chris.getByLabel('Choose a password').fill('commissioner password');
  await chris.getByRole('button', { name: 'Create account' }).click();
  await chris.waitForURL('**/account');
  await chris.getByText('Collaborative member').first().waitFor();
  await check(chris);

  // The link is used up.
  const other = await newPage(browser);
  await visit(other, server.base, link);
  await other.getByText('This invitation link has expired or has already been used').waitFor();

  // The facilitator sees the new member in the list.
  await visit(pat, server.base, '/members');
  await pat.getByRole('rowheader', { name: 'Chris Evans' }).waitFor();
  for (const p of [pat, chris, other]) await p.context().close();
});

test('people who are not facilitators are refused the members page', async () => {
  const page = await newPage(browser);
  await visit(page, server.base, '/members');
  await page.getByText('Please sign in to do that.').waitFor();
  await page.context().close();
});
