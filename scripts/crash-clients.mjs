// Clients for scripts/crash.sh: set up a round, then N clients submit responses (as
// visitors) and comments (signed in) as fast as they can for DURATION seconds. A request
// that fails (the server was killed) is sent again with the SAME form key until it is
// acknowledged, as a browser resend would be. Every acknowledged key goes to ACKED.
// Usage: node crash-clients.mjs BASE CLIENTS DURATION ACKED [SETUP.json]
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

const [base, clients, duration, ackedFile, setupFile = ackedFile + '.setup.json'] = process.argv.slice(2);
const N = Number(clients); const seconds = Number(duration);

async function post(path, form, cookie, address) {
  const body = new URLSearchParams(form);
  const res = await fetch(`${base}/api/${path}`, {
    method: 'POST', redirect: 'manual',
    // The server runs with --trusted-proxy: each visitor's answer comes from its own address,
    // as a leaflet's readers would, so the per-address limit is not what gets measured.
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}), ...(address ? { 'x-forwarded-for': address } : {}) },
    body,
  });
  const text = await res.text();
  return { status: res.status, location: res.headers.get('location') || '', cookie: (res.headers.get('set-cookie') || '').split(';')[0], text };
}

async function setup() {
  if (existsSync(setupFile)) return JSON.parse(readFileSync(setupFile, 'utf8'));
  const fac = await post('login', { email: 'crash@crash.test', password: 'crash test password' });
  if (fac.status !== 200) throw new Error(`login: ${fac.status} ${fac.text}`);
  const c = fac.cookie;
  const made = await post('create_prototype', { title: 'Crash test', summary: '', body: '## The problem\n\nx\n', themes: '' }, c);
  const prototype = made.location.split('/')[2];
  await post('publish_iteration', { id: prototype, change_note: 'first' }, c);
  // The app reads form times as UK wall-clock times.
  const t = (s) => {
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(Date.now() + s * 1000));
    const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
  };
  const round = await post('open_round', {
    prototype, iteration: '1', title: 'Crash round', purpose: '', audience: 'public', opens: t(-60), closes: t(86400),
    'kind[]': 'text', 'prompt[]': 'Anything?', 'options[]': '', 'low[]': '', 'high[]': '', 'required[]': 'yes',
  }, c);
  const roundId = round.location.split('/')[2].split('?')[0];
  const page = JSON.parse((await post('load_round', { id: roundId })).text);
  const question = page.questions[0].id;
  const cookies = [];
  for (let i = 0; i < N; i++) {
    const r = await post('register', { display_name: `Client ${i}`, email: `client${i}-${Date.now()}@crash.test`, password: 'a long client password' });
    if (r.status !== 200) throw new Error(`register: ${r.status} ${r.text}`);
    cookies.push(r.cookie);
  }
  const s = { prototype, round: roundId, question, cookies };
  writeFileSync(setupFile, JSON.stringify(s));
  return s;
}

const s = await setup();
const acked = [];
let failures = 0; let refused = 0;
const end = Date.now() + seconds * 1000;

async function client(i) {
  let commenting = i % 2 === 1;
  while (Date.now() < end) {
    const key = randomBytes(16).toString('hex');
    const address = `10.${randomBytes(3).join('.')}`;
    const comment = commenting;
    const form = comment
      ? { prototype: s.prototype, key, body: `comment ${key}` }
      : { round: s.round, key, [`answers[q${s.question}]`]: `answer ${key}` };
    for (;;) {
      try {
        const r = await post(comment ? 'add_comment' : 'submit_response', form, comment ? s.cookies[i] : undefined, comment ? undefined : address);
        if (r.status === 200) { acked.push(`${comment ? 'comment' : 'response'} ${key}`); break; }
        refused++;
        // A person may comment 20 times in 10 minutes: then this client answers rounds instead.
        if (r.status === 429 && comment) { commenting = false; break; }
        if (r.status >= 400 && r.status < 500) break; // a real refusal: not acknowledged, not retried
      } catch { failures++; }
      if (Date.now() > end + 30000) return; // the server never came back
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

await Promise.all(Array.from({ length: N }, (_, i) => client(i)));
writeFileSync(ackedFile, acked.join('\n') + '\n');
console.log(JSON.stringify({ acknowledged: acked.length, seconds, per_second: Math.round(acked.length / seconds), connection_failures: failures, non_200: refused }));
