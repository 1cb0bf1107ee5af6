// The programme manager (a facilitator) writes the collaborative's vision, then changes it;
// anyone reads it from the home page and sees how it changed. JavaScript on and off, axe on
// every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, visit, check, signIn, FACILITATOR } from './harness.js';

let server; let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function editVision(js, words) {
  const page = await newPage(browser, { javaScriptEnabled: js });
  await signIn(page, server.base, FACILITATOR.email, FACILITATOR.password, { js });
  await visit(page, server.base, '/vision', { js });
  await page.getByLabel('The vision (Markdown)').fill(`# What we are for\n\n${words}`);
  await page.getByLabel('What changed and why (optional)').fill(`Said it plainly (${js ? 'with' : 'without'} JavaScript)`);
  await page.getByRole('button', { name: 'Save a new version' }).click();
  await page.waitForURL('**/vision?saved=1');
  await page.getByText('The new version of the vision is saved').waitFor();
  await page.getByText(words).first().waitFor();
  await check(page, { js });
  await page.context().close();
}

test('the programme manager writes and changes the vision; anyone reads how it changed', async () => {
  await editVision(true, 'Services designed with the people who use them.');
  await editVision(false, 'Services designed with the people who use them and their carers.');

  for (const js of [true, false]) {
    const page = await newPage(browser, { javaScriptEnabled: js });
    await visit(page, server.base, '/', { js });
    await page.getByRole('link', { name: 'Our vision: what all this work is for' }).click();
    await page.waitForURL('**/vision');
    await page.getByText('and their carers').waitFor();
    assert.equal(await page.getByLabel('The vision (Markdown)').count(), 0, 'visitors get no editor');
    await check(page, { js });
    await page.getByRole('link', { name: 'How the vision has changed' }).click();
    await page.waitForURL('**/vision/history');
    await page.getByText('Said it plainly (without JavaScript)').waitFor();
    await check(page, { js });
    await page.getByRole('link', { name: 'Version 2' }).click();
    await page.waitForURL('**/vision/history?version=2');
    await page.getByRole('heading', { name: 'What version 2 changed from version 1' }).waitFor();
    await page.locator('ins', { hasText: 'and their carers' }).first().waitFor();
    await check(page, { js });
    await page.context().close();
  }
});

test('the programme manager adds the values; a value has its own page', async () => {
  for (const [js, name] of [[true, 'Listen first'], [false, 'Close to home']]) {
    const page = await newPage(browser, { javaScriptEnabled: js });
    await signIn(page, server.base, FACILITATOR.email, FACILITATOR.password, { js });
    await visit(page, server.base, '/vision', { js });
    await page.getByLabel('New value').fill(name);
    await page.getByLabel('What it means (optional)').fill(`${name}, in plain words.`);
    await page.getByRole('button', { name: 'Add value' }).click();
    await page.waitForURL('**/vision?saved=values**');
    await page.getByText('The values are saved').waitFor();
    await page.getByRole('link', { name, exact: true }).waitFor();
    await check(page, { js });
    await page.context().close();
  }
  const page = await newPage(browser, { javaScriptEnabled: false });
  await visit(page, server.base, '/vision', { js: false });
  assert.equal(await page.getByLabel('New value').count(), 0, 'visitors cannot manage values');
  await page.getByRole('link', { name: 'Close to home', exact: true }).click();
  await page.waitForURL('**/values/*');
  await page.getByRole('heading', { level: 1, name: 'Close to home' }).waitFor();
  await page.getByText('Close to home, in plain words.').waitFor();
  await page.getByText('to see the prototypes serving this value').waitFor();
  await check(page, { js: false });
  await page.context().close();
});
