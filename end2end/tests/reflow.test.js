// WCAG 1.4.10 reflow: at 320 CSS pixels wide (a small phone, or 1280px at 400% zoom) no
// page may need sideways scrolling; wide tables scroll inside their own box instead.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, visit, FACILITATOR } from './harness.js';

let server; let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function assertNoSidewaysScroll(page) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `${page.url()} is ${scroll}px wide in a ${client}px window`);
}

test('every page reflows at 320px wide', async () => {
  const page = await newPage(browser, { viewport: { width: 320, height: 640 } });
  for (const path of ['/', '/login', '/register', '/no/such/page']) {
    await page.goto(server.base + path);
    await assertNoSidewaysScroll(page);
  }
  // The 404 page's own status is logged by Chromium as a failed load; nothing else may be.
  page.errors = page.errors.filter((e) => !e.includes('status of 404'));
  await visit(page, server.base, '/login');
  await page.getByLabel('Email address').fill(FACILITATOR.email);
  await page.getByLabel('Password').fill(FACILITATOR.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/account');
  for (const path of ['/account', '/members']) {
    await visit(page, server.base, path);
    await assertNoSidewaysScroll(page);
  }
  await page.context().close();
});
