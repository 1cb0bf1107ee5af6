// A carer who forgot their password asks for a link, follows it from the email (received by
// a real SMTP server here), chooses a new password and is signed in; the old password no
// longer works. With JavaScript on and off. The facilitator sees the sent email in the outbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, visit, check, createUser, signIn, linkIn, FACILITATOR } from './harness.js';

let server; let browser;
before(async () => { server = await startServer({ mail: true }); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function forgotAndReset(js, email, oldPassword, newPassword) {
  await createUser(server.base, { email, name: 'Carer', password: oldPassword, role: 'contributor' });
  const page = await newPage(browser, { javaScriptEnabled: js });
  await visit(page, server.base, '/login', { js });
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.waitForURL('**/login/forgot');
  await check(page, { js });
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a link' }).click();
  await page.waitForURL('**/login/forgot?sent=1');
  await page.getByText('If an account uses that address').waitFor();
  await check(page, { js });

  const message = await server.inbox.waitFor(email);
  assert.match(message.subject, /Choose a new password/);
  const link = linkIn(message, '/reset/');
  assert.ok(link.startsWith(server.base), link);
  await page.goto(link);
  await check(page, { js });
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('New password again').fill('not the same password');
  await page.getByRole('button', { name: 'Save my new password' }).click();
  await page.getByText('The two new passwords are not the same').first().waitFor();
  await check(page, { js });
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('New password again').fill(newPassword);
  await page.getByRole('button', { name: 'Save my new password' }).click();
  await page.waitForURL('**/account?saved=reset');
  await page.getByText('Your new password is saved').waitFor();
  await page.getByText(email).waitFor();
  await check(page, { js });

  // The link is used up, and only the new password signs in.
  await page.goto(link);
  await page.getByText('expired or has already been used').waitFor();
  await check(page, { js });
  await page.context().close();
  const again = await newPage(browser, { javaScriptEnabled: js });
  await signIn(again, server.base, email, newPassword, { js });
  await again.context().close();
}

test('a forgotten password is reset through the emailed link, with JavaScript', async () => {
  await forgotAndReset(true, 'carer.js@lab.test', 'the old password one', 'a fresh new password');
});

test('a forgotten password is reset through the emailed link, without JavaScript', async () => {
  await forgotAndReset(false, 'carer.nojs@lab.test', 'the old password two', 'another new password');
});

test('the facilitator sees what was sent in the outbox, but never a one-time link', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, FACILITATOR.email, FACILITATOR.password);
  await visit(page, server.base, '/settings');
  await page.getByRole('link', { name: /The outbox/ }).click();
  await page.waitForURL('**/settings/outbox');
  await check(page);
  await page.getByText('carer.js@lab.test').waitFor();
  assert.equal(await page.getByText('Email is not being sent').count(), 0, 'a mail server is configured');
  assert.ok(!(await page.content()).includes('/reset/'));
  await page.context().close();
});
