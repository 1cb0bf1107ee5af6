// Everything must work with JavaScript switched off: forms post, the server redirects.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, visit, FACILITATOR } from './harness.js';

let server; let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('with JavaScript off, a person can sign in, see their account and sign out', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await visit(page, server.base, '/login', { js: false });

  await page.getByLabel('Email address').fill(FACILITATOR.email);
  await page.getByLabel('Password').fill('a wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState('load');
  await page.getByText('That email and password do not match').first().waitFor();
  assert.equal(await page.getByLabel('Email address').inputValue(), FACILITATOR.email, 'the email is kept without JavaScript too');

  await page.getByLabel('Email address').fill(FACILITATOR.email);
  await page.getByLabel('Password').fill(FACILITATOR.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/account');
  await page.getByText(FACILITATOR.email).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.hydrated), undefined);

  await visit(page, server.base, '/members', { js: false });
  await page.getByRole('heading', { name: 'Invite someone' }).waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForLoadState('load');
  await page.getByText('You have signed out.').waitFor();
  await page.context().close();
});

test('with JavaScript off, a new person can register', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await visit(page, server.base, '/register', { js: false });
  await page.getByLabel('Your name').fill('Maureen');
  await page.getByLabel('Email address').fill('maureen@lab.test');
  await page.getByLabel('Choose a password').fill('too short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForLoadState('load');
  await page.getByText('Your password needs at least 12 characters').first().waitFor();
  assert.equal(await page.getByLabel('Your name').inputValue(), 'Maureen', 'what was typed is kept');
  assert.equal(await page.getByLabel('Email address').inputValue(), 'maureen@lab.test');
  await page.getByLabel('Choose a password').fill('a carer password ok');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/account');
  await page.getByText('maureen@lab.test').waitFor();
  await page.context().close();
});
