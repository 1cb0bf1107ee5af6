// Your data (issue 13): a member downloads their data and opens the page in it; a
// contributor deletes their account, then signs in during the grace period, which cancels
// it. With JavaScript on and off, every page checked with axe (the exported page too).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { startServer, launch, newPage, visit, check, createUser, signIn, checkAccessibility } from './harness.js';

let server; let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

/** The files of a ZIP, by name, read from its central directory (stored or deflated). */
function unzip(buf) {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'a ZIP file');
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const files = {};
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataAt, dataAt + size);
    files[name] = (method === 8 ? inflateRawSync(raw) : raw).toString('utf8');
    at += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

async function exportAndOpen(js, email) {
  await createUser(server.base, { email, name: `Member ${js ? 'one' : 'two'}`, password: 'member password long', role: 'member' });
  const page = await newPage(browser, { javaScriptEnabled: js, acceptDownloads: true });
  await signIn(page, server.base, email, 'member password long', { js });
  await page.getByRole('link', { name: 'Download your data, or delete your account' }).click();
  await page.waitForURL('**/account/data');
  await check(page, { js });
  await page.getByRole('button', { name: 'Prepare my download' }).click();
  await page.waitForURL('**/account/data?export=ready');
  await page.getByText('Your export is ready').waitFor();
  await check(page, { js });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /Download the export of/ }).click(),
  ]);
  const files = unzip(readFileSync(await download.path()));
  assert.ok(JSON.parse(files['data.json']).profile.email === email);

  // The page in the ZIP opens on its own (no network) and is accessible.
  const dir = mkdtempSync(join(tmpdir(), 'lwl-export-'));
  writeFileSync(join(dir, 'index.html'), files['index.html']);
  const opened = await newPage(browser);
  await opened.goto(`file://${join(dir, 'index.html')}`);
  await opened.getByRole('heading', { name: /Your data from/ }).waitFor();
  await opened.getByRole('cell', { name: email }).waitFor();
  await checkAccessibility(opened);
  await opened.context().close();
  await page.context().close();
}

test('a member downloads their data and opens the page in it, with JavaScript', async () => {
  await exportAndOpen(true, 'member.export.js@lab.test');
});

test('a member downloads their data and opens the page in it, without JavaScript', async () => {
  await exportAndOpen(false, 'member.export.nojs@lab.test');
});

async function deleteThenCancel(js, email) {
  const password = 'contributor password long';
  await createUser(server.base, { email, name: 'Leaving contributor', password, role: 'contributor' });
  const page = await newPage(browser, { javaScriptEnabled: js });
  await signIn(page, server.base, email, password, { js });
  await visit(page, server.base, '/account/data', { js });
  await page.getByRole('heading', { name: 'Delete your account' }).waitFor();
  await page.getByText('for up to 365 days after that').waitFor();

  // A wrong password is refused in plain words, and the box stays ticked.
  await page.getByLabel(/I understand my account will be deleted/).check();
  await page.getByLabel('Your password').fill('not my password at all');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await page.getByText('Your password is not right').first().waitFor();
  await check(page, { js });
  assert.ok(await page.getByLabel(/I understand my account will be deleted/).isChecked(), 'the form keeps the tick');
  await page.getByLabel('Your password').fill(password);
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await page.waitForURL('**/login?deletion=requested');
  await page.getByText('Your account will be deleted in 14 days').waitFor();
  await check(page, { js });

  // Signed out everywhere: the data page asks to sign in.
  const refused = await page.goto(`${server.base}/account/data`);
  assert.equal(refused.status(), 401);
  await page.getByText('Please sign in').first().waitFor();
  page.errors = []; // the browser logs that expected 401 as a console error

  // Changing their mind: signing in cancels it.
  await page.goto(`${server.base}/login`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/account?saved=deletion_cancelled');
  await page.getByText('Signing in has cancelled the deletion').waitFor();
  await check(page, { js });
  await visit(page, server.base, '/account/data', { js });
  await page.getByRole('cell', { name: /^Cancelled on/ }).waitFor();
  await page.context().close();
}

test('a contributor deletes their account and cancels by signing in, with JavaScript', async () => {
  await deleteThenCancel(true, 'leaving.js@lab.test');
});

test('a contributor deletes their account and cancels by signing in, without JavaScript', async () => {
  await deleteThenCancel(false, 'leaving.nojs@lab.test');
});
