// WCAG 1.4.10 reflow: at 320 CSS pixels wide (a small phone, or 1280px at 400% zoom) no
// page may need sideways scrolling; wide tables scroll inside their own box instead.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, visit, ukTime, FACILITATOR } from './harness.js';

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
  // Something on every kind of page: a prototype with a round and a comment, a meeting
  // with a motion (made through the API with the same session).
  const post = async (path, form) => {
    const res = await page.request.post(`${server.base}/api/${path}`, { form, maxRedirects: 0 });
    assert.equal(res.status(), 200, await res.text());
    return res.headers().location || '';
  };
  const proto = (await post('create_prototype', { title: 'A prototype with a rather long title to wrap', summary: 'Summary', body: '## The problem\n\nText.\n', themes: 'one, two' })).split('/')[2];
  await post('publish_iteration', { id: proto, change_note: 'First' });
  const t = ukTime;
  const round = (await post('open_round', { prototype: proto, iteration: '1', title: 'Round', purpose: 'Why', audience: 'public', opens: t(-60), closes: t(86400),
    'kind[]': 'scale', 'prompt[]': 'How much?', 'options[]': '', 'low[]': 'Not at all', 'high[]': 'Completely', 'required[]': 'no' })).split('/')[2].split('?')[0];
  const meeting = (await post('schedule_meeting', { title: 'Meeting', starts: t(3600), place: 'The Hub', online_link: '' })).split('/')[2];
  await post('add_agenda_item', { meeting, kind: 'prototype', title: 'Item', prototype: proto, round: '', notes: 'Notes' });
  for (const path of ['/account', '/members', '/settings', '/prototypes', `/prototypes/${proto}`, `/prototypes/${proto}/iterations/1`,
    '/consultations', `/consultations/${round}`, `/consultations/${round}/results`, '/moderation', '/meetings', `/meetings/${meeting}`]) {
    await visit(page, server.base, path);
    await assertNoSidewaysScroll(page);
  }
  await page.context().close();
});
