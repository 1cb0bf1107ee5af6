// A carer hears that the design group replied to her comment: the header counts it, the
// notifications page lists it and marks it read. She then chooses how she is emailed:
// replies at once, and later pauses everything. With JavaScript on and off; axe on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, visit, check, createUser, signIn, api, FACILITATOR } from './harness.js';

let server; let browser; let prototype;
const CARER = { email: 'cath@lab.test', name: 'Cath Carer', password: 'carer password long', role: 'contributor' };
const CARER2 = { email: 'dee@lab.test', name: 'Dee Carer', password: 'carer password two', role: 'contributor' };

before(async () => {
  server = await startServer();
  browser = await launch();
  await createUser(server.base, CARER);
  await createUser(server.base, CARER2);
  const fac = await api(server.base, FACILITATOR.email, FACILITATOR.password);
  const made = await fac('create_prototype', { title: 'Living Well Hub', summary: 'One front door', body: 'Hello', themes: '' });
  prototype = made.headers.get('location').split('/')[2];
  assert.equal((await fac('publish_iteration', { id: prototype, change_note: 'First try' })).status, 200);
  // Each carer comments; the facilitator (a co-author) replies to each.
  const key = async (post) => (await (await post('prototype_comments', { id: prototype })).json()).key;
  for (const person of [CARER, CARER2]) {
    const carer = await api(server.base, person.email, person.password);
    assert.equal((await carer('add_comment', { prototype, key: await key(carer), body: 'Evenings would help me.' })).status, 200);
    const list = await (await fac('prototype_comments', { id: prototype })).json();
    const parent = String(list.comments.find((c) => c.author === person.name).id);
    assert.equal((await fac('add_comment', { prototype, key: await key(fac), body: 'Thank you, noted.', parent })).status, 200);
  }
});
after(async () => { await browser?.close(); await server?.stop(); });

async function journey(js, person) {
  const page = await newPage(browser, { javaScriptEnabled: js });
  await signIn(page, server.base, person.email, person.password, { js });
  await page.getByRole('link', { name: /Notifications 1 new/ }).click();
  await page.waitForURL('**/notifications');
  await check(page, { js });
  await page.getByText('1 new notification.').waitFor();
  const item = page.getByRole('link', { name: 'A reply to your comment on ‘Living Well Hub’' });
  assert.match(await item.getAttribute('href'), /#comment-\d+$/);
  await page.getByRole('button', { name: /Mark as read: A reply/ }).click();
  await page.getByText('Nothing new.').waitFor();
  await check(page, { js });

  // Replies at once; then pause everything.
  await page.getByLabel('Email me at once').first().check();
  await page.getByRole('button', { name: 'Save my choices' }).click();
  await page.getByText('Your choices are saved.').waitFor();
  await check(page, { js });
  assert.ok(await page.getByRole('group', { name: /consultation opens/ }).getByLabel('Email me at once').isChecked());
  await page.getByLabel(/Pause every notification email/).check();
  await page.getByRole('button', { name: 'Save my choices' }).click();
  await page.getByText('Your choices are saved.').waitFor();
  await page.reload();
  await check(page, { js });
  assert.ok(await page.getByLabel(/Pause every notification email/).isChecked(), 'the pause is kept');
  assert.ok(await page.getByRole('group', { name: /consultation opens/ }).getByLabel('Email me at once').isChecked(), 'and the choice');
  await page.context().close();
}

test('a carer reads her notification and chooses what she is emailed, with JavaScript', async () => {
  await journey(true, CARER);
});

test('the same, without JavaScript', async () => {
  await journey(false, CARER2);
});

test('an unsubscribe link that does not work says so plainly', async () => {
  const page = await newPage(browser);
  await visit(page, server.base, '/unsubscribe/1/reply/00');
  await page.getByText('This link does not work.').waitFor();
  await page.context().close();
});
