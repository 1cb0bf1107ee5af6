// Shared set-up for the end-to-end tests: the real server binary on a free port with a
// fresh database, Debian's Chromium through playwright-core (never a downloaded browser),
// and a `visit` that checks every page with axe-core and for console errors.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const serverBin = join(root, 'target', 'debug', 'server');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const FACILITATOR = { email: 'pat@lab.test', password: 'facilitator password 1' };

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

/** A real SMTP server on 127.0.0.1 that keeps what it receives (parsed: subject, text, html,
 *  to); `waitFor(address)` resolves with the first message to that address when it arrives. */
async function startInbox() {
  const messages = [];
  const waiting = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        messages.push({ to, subject: mail.subject, text: mail.text, html: mail.html });
        for (const w of waiting.splice(0)) w();
        callback();
      }, callback);
    },
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const find = (address) => messages.find((m) => m.to.includes(address.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(address) {
      while (!find(address)) await new Promise((resolve) => waiting.push(resolve));
      return find(address);
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** The first link in a message's text that contains `part`. */
export function linkIn(message, part) {
  const link = message.text.split(/\s+/).find((w) => w.startsWith('http') && w.includes(part));
  assert.ok(link, `no link with ${part} in: ${message.text}`);
  return link;
}

/** Starts a server with a fresh database holding one facilitator; returns { base, stop }.
 *  With `{ mail: true }`, email goes to a real SMTP server here, and `inbox` reads it. */
export async function startServer({ mail = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'lwl-e2e-'));
  const port = await freePort();
  const inbox = mail ? await startInbox() : null;
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite://${join(dir, 'e2e.db')}`,
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    LEPTOS_SITE_ROOT: join(root, 'target', 'site'),
    RUST_LOG: 'warn,server=info,tower_http=warn',
    ...(inbox ? { LWL_SMTP_URL: inbox.url } : {}),
  };
  execFileSync(serverBin, ['create-facilitator', '--email', FACILITATOR.email, '--name', 'Pat Okafor'], { env, input: `${FACILITATOR.password}\n` });
  const child = spawn(serverBin, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not up yet */ }
    if (child.exitCode !== null) throw new Error(`server exited: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const stopped = () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); });
  // The server's log is kept for every test file (target/e2e-logs/), so a failure can be
  // read after the run; warnings and errors are also printed at once.
  const keepLog = () => {
    const dirOut = join(root, 'target', 'e2e-logs');
    mkdirSync(dirOut, { recursive: true });
    const name = (process.argv.find((a) => a.endsWith('.test.js')) || `server-${port}`).split('/').pop();
    writeFileSync(join(dirOut, `${name}-${port}.log`), log);
    const worrying = log.split('\n').filter((l) => / (WARN|ERROR) /.test(l));
    if (worrying.length) console.error(`server log (${name}):\n${worrying.slice(-40).join('\n')}`);
  };
  return { base, inbox, log: () => log, stop: async () => { await stopped(); keepLog(); await inbox?.close(); } };
}

/** Creates an account over the API and gives it `role` as the facilitator would. */
export async function createUser(base, { email, name, password, role }) {
  const post = async (path, form, cookie) => fetch(`${base}/api/${path}`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(form),
  });
  const cookieOf = (res) => (res.headers.get('set-cookie') || '').split(';')[0];
  const reg = await post('register', { display_name: name, email, password });
  assert.equal(reg.status, 200, await reg.text());
  const fac = await post('login', { email: FACILITATOR.email, password: FACILITATOR.password });
  const members = await (await post('list_members', { page: '0' }, cookieOf(fac))).json();
  const id = members.members.find((m) => m.email === email).id;
  const res = await post('set_member_role', { user_id: String(id), role }, cookieOf(fac));
  assert.equal(res.status, 200, await res.text());
}

/** A time `offsetSecs` from now as a form's datetime-local value, in UK time (the app's). */
export function ukTime(offsetSecs) {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(Date.now() + offsetSecs * 1000));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** A signed-in API session, for set-up steps a test is not about: (path, form) => Response. */
export async function api(base, email, password) {
  const post = async (path, form, cookie) => fetch(`${base}/api/${path}`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: form instanceof URLSearchParams ? form : new URLSearchParams(form),
  });
  const login = await post('login', { email, password });
  assert.equal(login.status, 200, await login.text());
  const cookie = (login.headers.get('set-cookie') || '').split(';')[0];
  return (path, form) => post(path, form, cookie);
}

export async function signIn(page, base, email, password, opts = {}) {
  await visit(page, base, '/login', opts);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/account');
}

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

/** A page that records console errors and uncaught exceptions. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  return page;
}

/** Runs axe-core on the page as it is now; fails with the violations listed. */
export async function checkAccessibility(page) {
  // Evaluated through the DevTools protocol, so the page's CSP (rightly) does not block it.
  const result = await page.evaluate(async (src) => {
    if (!window.axe) { (0, eval)(src); }
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  }, axeSource);
  assert.deepEqual(result, [], `axe violations on ${page.url()}`);
}

export function assertNoConsoleErrors(page) {
  assert.deepEqual(page.errors, [], `console errors on ${page.url()}`);
}

/** Waits for the wasm to hydrate the page (the app marks <html data-hydrated>). */
export async function hydrated(page) {
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 20000 });
}

/** Every page visited: loaded, hydrated when JavaScript is on, accessible, no console errors. */
export async function check(page, { js = true } = {}) {
  await page.waitForLoadState('load');
  if (js) {
    await hydrated(page);
    await checkAccessibility(page);
  } else {
    await checkServerRendered(page);
  }
  assertNoConsoleErrors(page);
}

/** axe needs timers, which never fire with JavaScript off. So the same URL is opened with
 *  the same cookies in a helper context that blocks the app's wasm and JS: exactly the
 *  server-rendered page a no-JavaScript visitor gets, and axe can run over it. */
async function checkServerRendered(page) {
  const context = await page.context().browser().newContext({ storageState: await page.context().storageState() });
  await context.route('**/pkg/*.{js,wasm}', (route) => route.abort());
  const twin = await context.newPage();
  await twin.goto(page.url());
  await checkAccessibility(twin);
  await context.close();
}

export async function visit(page, base, path, opts = {}) {
  const res = await page.goto(base + path);
  await check(page, opts);
  return res;
}
