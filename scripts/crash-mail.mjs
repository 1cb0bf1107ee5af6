// The mail section of scripts/crash.sh (outbox durability), two long-lived processes:
//
//   node scripts/crash-mail.mjs sink PORT RECEIVED_FILE
//     An SMTP server on 127.0.0.1:PORT (npm smtp-server, no TLS, no AUTH) that accepts
//     every message and, once the whole message is in and before it answers 250, appends
//     its RCPT TO addresses to RECEIVED_FILE as one line (space-separated). It is its own
//     process, so it stays up while the app server is killed and restarted. RECEIVED_FILE
//     is created (empty) only once it listens: scripts wait for the file.
//
//   node scripts/crash-mail.mjs produce BASE DURATION RATE ACKED_FILE UNKNOWN_FILE
//     Signs in as the crash test's facilitator and for DURATION seconds invites RATE new
//     addresses a second (`m-<run>-<n>@crash.test`, role member), evenly paced. Each
//     invitation is sent again, with the SAME address, until it is acknowledged (200, or a
//     redirect that carries no form error). Acknowledged addresses go to ACKED_FILE, one a
//     line. An attempt whose outcome is unknown (the request went out and the connection
//     broke before an answer) may have committed, and then its resend makes a second
//     invitation and a second email for that address: UNKNOWN_FILE gets `address,attempts`
//     for every address that had such attempts, so the check can tell those apart from a
//     resend by the outbox. A refused connection (ECONNREFUSED) never reached a server, and
//     an error answer means the transaction did not commit: neither is counted as unknown.
//     Prints a JSON summary on stdout.
import { appendFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [mode, ...args] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** smtp-server from target/bench-tools (crash.sh installs it there), else end2end's. */
function smtpServer() {
  for (const where of ['target/bench-tools', 'end2end']) {
    const require = createRequire(join(root, where, 'package.json'));
    try {
      return require('smtp-server').SMTPServer;
    } catch { /* try the next */ }
  }
  throw new Error('smtp-server is not installed: npm install --prefix target/bench-tools smtp-server');
}

async function sink(port, receivedFile) {
  const SMTPServer = smtpServer();
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      // A client killed mid-message destroys the stream: it never ends, nothing is recorded.
      stream.on('error', () => {});
      stream.on('data', () => {});
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        appendFileSync(receivedFile, to.join(' ') + '\n');
        count++;
        callback();
      });
    },
  });
  // A connection reset in the middle of a transaction (the app server killed) is emitted
  // here; without a listener it would end this process.
  server.on('error', (e) => process.stderr.write(`sink: ${e.code || ''} ${e.message}\n`));
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(port), '127.0.0.1', resolve);
  });
  writeFileSync(receivedFile, '');
  process.stderr.write(`sink: listening on 127.0.0.1:${port}\n`);
  const stop = () => server.close(() => {
    process.stderr.write(`sink: ${count} messages received\n`);
    process.exit(0);
  });
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function produce(base, duration, rate, ackedFile, unknownFile) {
  const seconds = Number(duration);
  const perSecond = Number(rate);
  const run = Date.now().toString(36);
  const stats = { connection_failures: 0, unknown_attempts: 0, error_answers: 0, relogins: 0, refused: 0, unacknowledged: 0 };
  const acked = [];
  const unknown = new Map();
  let slowest = 0;

  async function post(path, form, cookie) {
    const res = await fetch(`${base}/api/${path}`, {
      method: 'POST', redirect: 'manual',
      // No Origin and no Sec-Fetch-Site: not a browser, so the cross-origin guard lets it be.
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(form),
      signal: AbortSignal.timeout(15000),
    });
    const text = await res.text();
    const session = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('lwl_session='));
    return { status: res.status, location: res.headers.get('location') || '', session, text };
  }

  // One session for every request; signed in again (once, shared) if it stops working.
  let session = null;
  let signingIn = null;
  function signIn(stale) {
    if (session !== stale) return Promise.resolve(session);
    if (!signingIn) {
      signingIn = (async () => {
        for (let i = 0; ; i++) {
          try {
            const r = await post('login', { email: 'crash@crash.test', password: 'crash test password' });
            if (r.status === 200 && r.session) { session = r.session; return session; }
            if (r.status < 500 && r.status !== 429) throw new Error(`login: ${r.status} ${r.text}`);
          } catch (e) {
            if (String(e.message).startsWith('login:')) throw e;
          }
          if (i > 600) throw new Error('login: the server never came back');
          await sleep(100);
        }
      })().finally(() => { signingIn = null; });
    }
    return signingIn;
  }
  await signIn(null);

  const end = Date.now() + seconds * 1000;
  async function invite(n) {
    const email = `m-${run}-${n}@crash.test`;
    const started = Date.now();
    for (;;) {
      const cookie = session;
      try {
        const r = await post('invite_member', { email, role: 'member' }, cookie);
        const redirect = r.status >= 300 && r.status < 400 && r.status !== 304;
        if ((r.status === 200 || redirect) && !/[?&]__err=/.test(r.location)) {
          acked.push(email);
          slowest = Math.max(slowest, Date.now() - started);
          return;
        }
        if (r.status === 401) { // signed out: sign in again
          stats.relogins++;
          await signIn(cookie);
          continue;
        }
        if (r.status >= 400 && r.status < 500 && r.status !== 429) {
          stats.refused++;
          process.stderr.write(`produce: ${email} refused: ${r.status} ${r.location} ${r.text.slice(0, 200)}\n`);
          return;
        }
        stats.error_answers++; // 429 or 5xx: rolled back, try again
      } catch (e) {
        stats.connection_failures++;
        const code = e.cause?.code || e.code || e.name;
        if (code !== 'ECONNREFUSED') {
          // Sent (or maybe sent) and no answer: it may have committed.
          stats.unknown_attempts++;
          unknown.set(email, (unknown.get(email) || 0) + 1);
        }
      }
      if (Date.now() > end + 60000) {
        stats.unacknowledged++; // the server never came back
        return;
      }
      await sleep(50 + Math.random() * 50);
    }
  }

  // Evenly paced: invitation n starts at n / RATE seconds, whatever the others are doing.
  const t0 = performance.now();
  const tasks = [];
  let n = 0;
  for (;;) {
    const elapsed = performance.now() - t0;
    if (elapsed >= seconds * 1000) break;
    const due = Math.min(Math.floor((elapsed * perSecond) / 1000) + 1, Math.ceil(seconds * perSecond));
    while (n < due) tasks.push(invite(n++));
    await sleep(Math.max(1, (n * 1000) / perSecond - (performance.now() - t0)));
  }
  await Promise.all(tasks);

  writeFileSync(ackedFile, acked.length ? acked.join('\n') + '\n' : '');
  writeFileSync(unknownFile, [...unknown].map(([a, k]) => `${a},${k}\n`).join(''));
  console.log(JSON.stringify({
    run, produced: n, acknowledged: acked.length, seconds, per_second: Math.round(acked.length / seconds),
    slowest_ack_ms: slowest, addresses_with_unknown_attempts: unknown.size, ...stats,
  }));
}

if (mode === 'sink' && args.length === 2) {
  await sink(...args);
} else if (mode === 'produce' && args.length === 5) {
  await produce(...args);
} else {
  console.error('usage: node scripts/crash-mail.mjs sink PORT RECEIVED_FILE\n' +
    '       node scripts/crash-mail.mjs produce BASE DURATION RATE ACKED_FILE UNKNOWN_FILE');
  process.exit(2);
}
