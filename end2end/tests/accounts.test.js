// A new person registers, sees their account, signs out and signs in again; wrong
// passwords get a plain message; keyboard users can skip to the content.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, visit, check, hydrated } from './harness.js';

let server; let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('a new person registers, sees their account, signs out and signs in', async () => {
  const page = await newPage(browser);
  await visit(page, server.base, '/');
  await page.getByRole('link', { name: 'Register', exact: true }).click();
  await page.waitForURL('**/register');
  await check(page);

  await page.getByLabel('Your name').fill('Jordan');
  await page.getByLabel('Email address').fill('jordan@lab.test');
  await page.getByLabel('Choose a password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  // A too-short password: a plain message, and what was typed is still there.
  await page.getByText('Your password needs at least 12 characters').first().waitFor();
  assert.equal(await page.getByLabel('Your name').inputValue(), 'Jordan');
  assert.equal(await page.getByLabel('Email address').inputValue(), 'jordan@lab.test');
  await check(page);

  await page.getByLabel('Choose a password').fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/account');
  await page.getByText('jordan@lab.test').waitFor();
  await check(page);
  assert.ok(await page.getByRole('link', { name: 'Your account', exact: true }).isVisible(), 'the header knows who is signed in');

  // Declare a perspective; it is saved and shown again.
  await page.getByLabel('Carer').check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Your changes are saved.').waitFor();
  await page.reload();
  await check(page);
  assert.ok(await page.getByLabel('Carer').isChecked());

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('You have signed out.').waitFor();
  await check(page);
  assert.ok(await page.getByRole('link', { name: 'Sign in', exact: true }).isVisible());

  await page.getByRole('link', { name: 'Sign in', exact: true }).click();
  await page.waitForURL('**/login');
  await check(page);
  await page.getByLabel('Email address').fill('jordan@lab.test');
  await page.getByLabel('Password').fill('not my password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('That email and password do not match').first().waitFor();
  assert.equal(await page.getByLabel('Email address').inputValue(), 'jordan@lab.test', 'the email stays typed');
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/account');
  await page.getByText('jordan@lab.test').waitFor();
  await check(page);
  await page.context().close();
});

test('pages are server HTML: only the interactive islands hydrate, and assets are cached', async () => {
  const page = await newPage(browser);
  await visit(page, server.base, '/');
  // Islands mode: the home page has nothing interactive, so nothing on it hydrates, and a
  // link is an ordinary page load (the wasm is loaded for the islands of other pages).
  assert.equal(await page.locator('leptos-island').count(), 0);
  await page.getByRole('link', { name: 'Sign in', exact: true }).click();
  await page.waitForURL('**/login');
  await check(page);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  // The app's CSS, JS and wasm have content-hashed names and may be cached for a year.
  for (const href of [await page.locator('link#leptos').getAttribute('href'), await page.locator('link[rel=modulepreload]').getAttribute('href')]) {
    assert.match(href, /^\/pkg\/livingwell\.[\w-]+\.(css|js)$/);
    const res = await fetch(server.base + href);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  }
  await page.context().close();
});

test('keyboard: the first Tab reaches the skip link, which moves focus to the content', async () => {
  const page = await newPage(browser);
  await visit(page, server.base, '/login');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to main content');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  await page.context().close();
});

test('an unknown page is a friendly, accessible 404', async () => {
  const page = await newPage(browser);
  const res = await page.goto(`${server.base}/no/such/page`);
  assert.equal(res.status(), 404);
  await hydrated(page);
  await page.getByRole('heading', { name: 'We could not find that page' }).waitFor();
  // The 404 response itself is logged by Chromium as a failed resource; nothing else may be.
  page.errors = page.errors.filter((e) => !e.includes('404'));
  await check(page);
  await page.context().close();
});
