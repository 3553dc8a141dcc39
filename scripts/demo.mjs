#!/usr/bin/env node
// npm run demo: the action end to end with no Auth0 account and no network.
//
// Starts on 127.0.0.1 a simulated Auth0 tenant (a day of realistic log events across many types,
// rate-limit headers, one 429), a webhook receiver that verifies every Standard Webhooks signature
// with the `standardwebhooks` package and deduplicates by webhook-id (and answers 503 once), and a
// GitHub REST stand-in holding the checkpoint in a repository variable (checkpoint-store: variable).
// Then it runs the bundled action (dist/index.js) twice, as the Actions runner would:
//
//   run 1  no checkpoint yet: delivers every matching event and stores the checkpoint;
//   then   new events arrive at the tenant;
//   run 2  continues from the checkpoint: delivers only the new events.
//
// Each run's log (debug lines hidden) and job summary (rendered for a terminal) are printed, then a
// check of what the receiver got. Exit 0 when everything adds up. Non-interactive, under 30 seconds.
//
//   node scripts/demo.mjs [--summaries DIR] [--debug]
//     --summaries DIR  also write each run's summary Markdown to DIR (for scripts/render-summary.mjs)
//     --debug          show the ::debug:: lines too (per-request status and timing), as with step debug

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { parse as parseYaml } from 'yaml';
import { renderForTerminal } from './render-summary.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ACTION = join(ROOT, 'dist', 'index.js');
const TIME_LIMIT_MS = 30_000;
const FIRST_EVENTS = 1_000;
const NEW_EVENTS = 120;
const CHECKPOINT_VARIABLE = 'AUTH0_LOG_CHECKPOINT_DEMO';
const GITHUB_TOKEN = `ghp_demo${randomBytes(8).toString('hex')}`;
const CLIENT_ID = 'demoClientM2M0000000000000000000';
const CLIENT_SECRET = randomBytes(24).toString('base64url');
const WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

const args = process.argv.slice(2);
const summariesDir = args.includes('--summaries') ? args[args.indexOf('--summaries') + 1] : undefined;
const showDebug = args.includes('--debug');
const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const width = Math.min(120, process.stdout.columns || 100);
const bold = (s) => (color ? `\x1b[1m${s}\x1b[22m` : s);
const dim = (s) => (color ? `\x1b[2m${s}\x1b[22m` : s);
const yellow = (s) => (color ? `\x1b[33m${s}\x1b[39m` : s);
const red = (s) => (color ? `\x1b[31m${s}\x1b[39m` : s);
const say = (text = '') => process.stdout.write(`${text}\n`);

// ---- realistic events --------------------------------------------------------------------------

/** Type codes and how often they occur in a day of a typical tenant (weights). */
const MIX = [
  ['s', 300],
  ['seacft', 80],
  ['seccft', 60],
  ['slo', 60],
  ['mgmt_api_read', 60],
  ['sapi', 45],
  ['fp', 55],
  ['f', 35],
  ['fu', 35],
  ['scoa', 25],
  ['ss', 25],
  ['gd_send_sms', 20],
  ['gd_auth_succeed', 20],
  ['w', 15],
  ['cls', 15],
  ['sv', 10],
  ['fs', 8],
  ['scp', 8],
  ['fcoa', 8],
  ['gd_auth_failed', 8],
  ['fapi', 8],
  ['limit_wc', 6],
  ['pwd_leak', 5],
  ['fcp', 5],
  ['limit_mu', 3],
  ['du', 3],
  ['depnote', 3],
  ['api_limit', 2],
];
const DESCRIPTIONS = {
  f: 'Invalid credentials',
  fp: 'Wrong email or password.',
  fu: 'Wrong email or password.',
  limit_wc: 'Blocked Account: too many failed login attempts',
  limit_mu: 'Blocked IP Address: too many attempts',
  pwd_leak: 'Breached password detected',
  fs: 'Password is too weak',
  fcp: 'Password change failed',
  gd_auth_failed: 'MFA code invalid',
  depnote: 'Legacy rules are deprecated',
  api_limit: 'Global limit reached',
  w: 'Login warning',
  fcoa: 'Failed cross-origin authentication',
  fapi: 'Insufficient scope',
};
const CLIENTS = [
  ['k3T9uXwZqf0cRbN2LmV8aHs1pYd4eGj7', 'Acme Web'],
  ['Qm7vB2nX9cL4kP1sT8wR6yH3jF5dA0zE', 'Acme Mobile'],
  ['Zt4yN8wQ1rV6mC3xB9kL2pS7hJ5fG0dA', 'Acme Ops M2M'],
];
const USERS = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'oscar',
];
const AGENTS = [
  'Chrome 131.0.0 / Mac OS X 10.15.7',
  'Firefox 133.0.0 / Windows 10.0.0',
  'Safari 18.1.0 / iOS 18.1.0',
];

/** mulberry32: the same demo every time. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(2026);
const pick = (list) => list[Math.floor(random() * list.length)];
const totalWeight = MIX.reduce((sum, [, w]) => sum + w, 0);
function pickType() {
  let x = random() * totalWeight;
  for (const [type, w] of MIX) {
    if (x < w) return type;
    x -= w;
  }
  return 's';
}

let sequence = 0;
/** `count` events spread between two times, ascending; ids are `900` + UTC time + 39-digit sequence. */
function makeEvents(count, fromMs, toMs) {
  const times = Array.from({ length: count }, () => fromMs + random() * (toMs - fromMs)).sort(
    (a, b) => a - b,
  );
  return times.map((ms) => {
    const date = new Date(Math.floor(ms / 1000) * 1000);
    const stamp = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const type = pickType();
    const user = pick(USERS);
    const [clientId, clientName] = type === 'seccft' ? CLIENTS[2] : pick(CLIENTS.slice(0, 2));
    sequence++;
    return {
      log_id: `900${stamp}${String(sequence).padStart(39, '0')}`,
      date: date.toISOString(),
      type,
      description: DESCRIPTIONS[type] ?? '',
      client_id: clientId,
      client_name: clientName,
      ip: `203.0.113.${1 + Math.floor(random() * 250)}`,
      user_agent: pick(AGENTS),
      user_id: `auth0|${randomBytes(12).toString('hex')}`,
      user_name: `${user}@example.com`,
      connection: 'Username-Password-Authentication',
      strategy: 'auth0',
      strategy_type: 'database',
      hostname: 'demo-tenant.us.auth0.com',
      isMobile: clientName === 'Acme Mobile',
      details: type.startsWith('f') ? { error: { message: DESCRIPTIONS[type] ?? 'failed' } } : {},
    };
  });
}

/** The action's default filter: every event except Management API operations. */
const matches = (event) => !['sapi', 'fapi', 'mgmt_api_read'].includes(event.type);

// ---- loopback servers --------------------------------------------------------------------------

async function listen(handler) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      Promise.resolve(handler(req, res, Buffer.concat(chunks).toString('utf8'))).catch((error) => {
        res.writeHead(500).end(String(error));
      });
    });
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

function json(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

/** A simulated Auth0 tenant: client-credentials tokens and GET /api/v2/logs in checkpoint mode. */
function tenant(events) {
  const tokens = new Set();
  const state = { events, logRequests: 0, throttleOnRequest: 4 };
  // A token bucket like Auth0's: 50 requests, 25 more a second; reset is when the bucket is full again.
  let bucket = 50;
  let at = Date.now();
  const rateHeaders = () => {
    const now = Date.now();
    bucket = Math.min(50, bucket + ((now - at) / 1000) * 25);
    at = now;
    return {
      'x-ratelimit-limit': '50',
      'x-ratelimit-remaining': String(Math.floor(bucket)),
      'x-ratelimit-reset': String(Math.ceil(now / 1000 + (50 - bucket) / 25)),
    };
  };
  const handler = (req, res, body) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      const grant = JSON.parse(body || '{}');
      if (grant.client_id !== CLIENT_ID || grant.client_secret !== CLIENT_SECRET) {
        return json(res, 401, { error: 'access_denied', error_description: 'Unauthorized' });
      }
      const token = `eyJ${randomBytes(24).toString('hex')}`;
      tokens.add(token);
      return json(res, 200, {
        access_token: token,
        token_type: 'Bearer',
        expires_in: 86400,
        scope: 'read:logs',
      });
    }
    if (req.method === 'GET' && url.pathname === '/api/v2/logs') {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!tokens.has(token))
        return json(res, 401, { statusCode: 401, error: 'Unauthorized', message: 'Invalid token' });
      state.logRequests++;
      const headers = rateHeaders();
      if (state.logRequests === state.throttleOnRequest) {
        // Another tool read the same tenant's logs meanwhile: the shared limit is spent for a second.
        return json(
          res,
          429,
          { statusCode: 429, error: 'Too Many Requests', message: 'Global limit has been reached' },
          { ...headers, 'x-ratelimit-remaining': '0', 'retry-after': '1' },
        );
      }
      bucket -= 1;
      const from = url.searchParams.get('from') ?? '0';
      const take = Math.min(100, Number(url.searchParams.get('take') ?? 50));
      const start = state.events.findIndex((e) => e.log_id > from);
      return json(res, 200, start < 0 ? [] : state.events.slice(start, start + take), headers);
    }
    json(res, 404, { statusCode: 404, error: 'Not Found' });
  };
  return { handler, state };
}

/** A receiver as the README recommends: verify the signature, deduplicate by webhook-id. */
function receiver() {
  const verifier = new Webhook(WEBHOOK_SECRET);
  const state = { requests: 0, accepted: new Map(), duplicates: 0, badSignatures: 0, failOnRequest: 40 };
  const handler = (req, res, body) => {
    state.requests++;
    if (state.requests === state.failOnRequest) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('upstream queue is restarting');
      return;
    }
    try {
      verifier.verify(body, req.headers);
    } catch {
      state.badSignatures++;
      res.writeHead(401, { 'content-type': 'text/plain' }).end('bad signature');
      return;
    }
    const id = req.headers['webhook-id'];
    if (state.accepted.has(id)) state.duplicates++;
    else state.accepted.set(id, JSON.parse(body));
    res.writeHead(204).end();
  };
  return { handler, state };
}

/** A Slack incoming webhook stand-in: `ok` for a message with text or blocks, `no_text` otherwise. */
function slackReceiver() {
  const messages = [];
  const state = { messages, refused: 0 };
  state.handler = (req, res, body) => {
    let message;
    try {
      message = JSON.parse(body);
    } catch {
      state.refused++;
      res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
      return;
    }
    if (typeof message?.text !== 'string' && !Array.isArray(message?.blocks)) {
      state.refused++;
      res.writeHead(400, { 'content-type': 'text/plain' }).end('no_text');
      return;
    }
    messages.push(message);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  };
  return state;
}

/** A Slack message as a person sees it: mrkdwn bold, link labels, entities decoded. */
function slackAsSeen(message) {
  const show = (text) =>
    text
      .replace(/<([^|>]+)\|([^>]+)>/g, (_, url, label) => `${label} ↗`)
      .replace(/\*([^*\n]+)\*/g, (_, t) => bold(t))
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const lines = [];
  for (const block of message.blocks ?? []) {
    if (block.type === 'header') lines.push(bold(block.text.text));
    for (const item of [block.text, ...(block.fields ?? []), ...(block.elements ?? [])]) {
      if (block.type !== 'header' && item?.text)
        lines.push(
          ...show(item.text)
            .split('\n')
            .map((l) => (block.type === 'context' ? dim(l) : l)),
        );
    }
  }
  return lines;
}

/** The part of GitHub's REST API the variable store uses. */
function github() {
  const variables = new Map();
  const handler = (req, res, body) => {
    if (
      req.headers.authorization !== `Bearer ${GITHUB_TOKEN}` &&
      req.headers.authorization !== `token ${GITHUB_TOKEN}`
    ) {
      return json(res, 401, { message: 'Bad credentials' });
    }
    const path = new URL(req.url, 'http://127.0.0.1').pathname;
    const one = /^\/repos\/acme\/demo\/actions\/variables\/([^/]+)$/.exec(path);
    const now = new Date().toISOString();
    if (one && req.method === 'GET') {
      const v = variables.get(one[1].toUpperCase());
      return v ? json(res, 200, v) : json(res, 404, { message: 'Not Found' });
    }
    if (one && req.method === 'PATCH') {
      const v = variables.get(one[1].toUpperCase());
      if (!v) return json(res, 404, { message: 'Not Found' });
      variables.set(v.name, { ...v, value: JSON.parse(body).value, updated_at: now });
      return json(res, 204);
    }
    if (path === '/repos/acme/demo/actions/variables' && req.method === 'POST') {
      const { name, value } = JSON.parse(body);
      if (variables.has(name.toUpperCase())) return json(res, 409, { message: 'Already exists' });
      variables.set(name.toUpperCase(), {
        name: name.toUpperCase(),
        value,
        created_at: now,
        updated_at: now,
      });
      return json(res, 201, {});
    }
    json(res, 404, { message: 'Not Found' });
  };
  return { handler, variables };
}

// ---- running the action like the runner does ----------------------------------------------------

function actionDefaults() {
  const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
  const env = {};
  for (const [name, def] of Object.entries(action.inputs)) {
    if (def.default !== undefined) {
      env[`INPUT_${name.toUpperCase()}`] = String(def.default).replace(/\$\{\{\s*github\.token\s*\}\}/, '');
    }
  }
  return env;
}

async function runAction(inputs, extraEnv) {
  const dir = await mkdtemp(join(tmpdir(), 'auth0-log-webhooks-demo-'));
  const files = { output: join(dir, 'output'), summary: join(dir, 'summary.md') };
  await Promise.all([writeFile(files.output, ''), writeFile(files.summary, ''), mkdir(join(dir, 'temp'))]);
  const env = {};
  // Nothing of an outer runner (a real GITHUB_STEP_SUMMARY!) or proxy reaches the child.
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(INPUT_|GITHUB_|RUNNER_|ACTIONS_|STATE_)|^(https?_proxy|all_proxy|no_proxy)$/i.test(k)) env[k] = v;
  }
  Object.assign(env, actionDefaults(), {
    NO_PROXY: '127.0.0.1,localhost',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_REPOSITORY: 'acme/demo',
    GITHUB_RUN_ID: String(Date.now()),
    GITHUB_RUN_ATTEMPT: '1',
    RUNNER_TEMP: join(dir, 'temp'),
    ...extraEnv,
  });
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const child = spawn(process.execPath, [ACTION], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s) => (stderr += s));
  const code = await new Promise((done) => child.on('close', done));
  const outputs = {};
  const text = await readFile(files.output, 'utf8');
  for (const m of text.matchAll(/^([^<\n]+)<<(.+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]] = m[3];
  const summary = await readFile(files.summary, 'utf8');
  await rm(dir, { recursive: true, force: true });
  return { code, stdout, stderr, outputs, summary };
}

/** The run log as the Actions UI shows it: commands turned into annotations, masks and debug hidden. */
function printLog(stdout) {
  const unescape = (s) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  for (const line of stdout.split('\n')) {
    if (line === '' || line.startsWith('::add-mask::')) continue;
    const command = /^::(debug|warning|error|notice)(?: [^:]*)?::(.*)$/.exec(line);
    if (command?.[1] === 'debug' && !showDebug) continue;
    if (command?.[1] === 'warning') say(`  │ ${yellow(`Warning: ${unescape(command[2])}`)}`);
    else if (command?.[1] === 'error') say(`  │ ${red(`Error: ${unescape(command[2])}`)}`);
    else if (command) say(`  │ ${dim(unescape(command[2]))}`);
    else say(`  │ ${line}`);
  }
}

function banner(text) {
  say();
  say(bold(`▶ ${text}`));
}

async function main() {
  if (Number(process.versions.node.split('.')[0]) < 24) {
    process.stderr.write(
      `The action runs on Node 24 (runs.using: node24); this is Node ${process.versions.node}. ` +
        'Run `npm ci && npm run demo`: npm scripts use the Node 24 of the `node` dev dependency.\n',
    );
    process.exitCode = 1;
    return;
  }
  const deadline = setTimeout(() => {
    say(red(`The demo took longer than ${TIME_LIMIT_MS / 1000}s: stopping.`));
    process.exit(1);
  }, TIME_LIMIT_MS);
  deadline.unref();
  const began = Date.now();

  const now = Date.now();
  const firstEvents = makeEvents(FIRST_EVENTS, now - 24 * 3600_000, now - 5 * 60_000);
  const auth0 = tenant([...firstEvents]);
  const hook = receiver();
  const gh = github();
  const servers = await Promise.all([listen(auth0.handler), listen(hook.handler), listen(gh.handler)]);
  const [tenantServer, hookServer, githubServer] = servers;

  say(bold('auth0-log-webhooks demo: a simulated tenant, a local receiver, no account, no network'));
  say(
    `  Auth0 tenant      ${tenantServer.origin}  (${FIRST_EVENTS.toLocaleString('en-US')} events of the last 24 hours, ${MIX.length} types, rate-limit headers)`,
  );
  say(
    `  Webhook receiver  ${hookServer.origin}/auth0  (verifies Standard Webhooks signatures, deduplicates by webhook-id)`,
  );
  say(
    `  Checkpoint        repository variable ${CHECKPOINT_VARIABLE} on a GitHub REST stand-in at ${githubServer.origin}`,
  );

  const inputs = {
    'auth0-domain': tenantServer.origin,
    'auth0-client-id': CLIENT_ID,
    'auth0-client-secret': CLIENT_SECRET,
    'webhook-url': `${hookServer.origin}/auth0`,
    'webhook-secret': WEBHOOK_SECRET,
    concurrency: '10',
    'checkpoint-store': 'variable',
    'checkpoint-name': CHECKPOINT_VARIABLE,
    'github-token': GITHUB_TOKEN,
  };
  const env = { GITHUB_API_URL: githubServer.origin };
  const runs = [];
  const show = async (n, run) => {
    say();
    say(bold(`  Job summary of run ${n}:`));
    say(
      renderForTerminal(run.summary, { color, width: width - 4 })
        .replace(/^/gm, '    ')
        .trimEnd(),
    );
    if (summariesDir) {
      await mkdir(summariesDir, { recursive: true });
      await writeFile(join(summariesDir, `run-${n}.md`), run.summary);
    }
  };

  banner('Run 1: no checkpoint stored yet, so it begins at start-from (oldest)');
  runs.push(await runAction(inputs, env));
  printLog(runs[0].stdout);
  await show(1, runs[0]);

  const last = firstEvents[firstEvents.length - 1];
  const newEvents = makeEvents(
    NEW_EVENTS,
    Math.max(Date.parse(last.date) + 1000, Date.now() - 120_000),
    Date.now(),
  );
  auth0.state.events.push(...newEvents);
  auth0.state.throttleOnRequest = -1;
  hook.state.failOnRequest = -1;
  banner(
    `Meanwhile ${NEW_EVENTS} new events arrive at the tenant. Run 2 continues from the stored checkpoint`,
  );
  runs.push(await runAction(inputs, env));
  printLog(runs[1].stdout);
  await show(2, runs[1]);

  // Run 3: the same new events as chat messages a person reads, to a Slack-like receiver: only the
  // errors of one application, with e-mail and IP addresses masked (1.1's choosing and shaping).
  const slack = slackReceiver();
  const slackServer = await listen(slack.handler);
  servers.push(slackServer);
  banner(
    "Run 3: the new errors of Acme Web as Slack messages, e-mail and IP addresses masked (log-level: 3, filter: client_name = 'Acme Web', pii-fields: email, ip, payload-format: slack, batch-size: 10), paced to Slack's one message a second",
  );
  const slackRun = await runAction(
    {
      ...inputs,
      'webhook-url': `${slackServer.origin}/services/T0DEMO/B0DEMO/demo`,
      'webhook-secret': '',
      'payload-format': 'slack',
      'batch-size': '10',
      'log-level': '3',
      filter: "client_name = 'Acme Web'",
      'pii-fields': 'email, ip',
      'checkpoint-name': `${CHECKPOINT_VARIABLE}_SLACK`,
      'start-from': last.log_id,
    },
    env,
  );
  printLog(slackRun.stdout);
  say();
  say(bold(`  What the channel shows (${slack.messages.length} messages):`));
  for (const message of slack.messages) {
    say();
    for (const line of slackAsSeen(message)) say(`    ${line}`);
  }

  await Promise.all(servers.map(({ server }) => new Promise((done) => server.close(done))));

  // Does it add up?
  const expected = [firstEvents.filter(matches).length, newEvents.filter(matches).length];
  const delivered = runs.map((run) => Number(run.outputs.delivered));
  const stored = gh.variables.get(CHECKPOINT_VARIABLE)?.value;
  const newest = newEvents[newEvents.length - 1].log_id;
  const problems = [];
  runs.forEach((run, i) => {
    if (run.code !== 0) problems.push(`run ${i + 1} exited ${run.code}: ${run.stderr.trim()}`);
    if (delivered[i] !== expected[i])
      problems.push(`run ${i + 1} delivered ${delivered[i]}, expected ${expected[i]}`);
  });
  if (hook.state.accepted.size !== expected[0] + expected[1]) {
    problems.push(
      `the receiver accepted ${hook.state.accepted.size} distinct events, expected ${expected[0] + expected[1]}`,
    );
  }
  if (hook.state.badSignatures > 0) problems.push(`${hook.state.badSignatures} requests had a bad signature`);
  if (stored !== newest)
    problems.push(`the stored checkpoint is ${stored}, expected the newest event ${newest}`);
  const leaked = runs.some((run) =>
    [CLIENT_SECRET, WEBHOOK_SECRET.slice(6), GITHUB_TOKEN].some(
      (s) => stripMasks(run.stdout).includes(s) || run.summary.includes(s),
    ),
  );
  if (leaked) problems.push('a secret appears in a run log or summary');
  const inDigests = slack.messages.reduce((sum, m) => sum + Number(/^(\d+) Auth0/.exec(m.text)?.[1] ?? 1), 0);
  if (slackRun.code !== 0) problems.push(`run 3 exited ${slackRun.code}: ${slackRun.stderr.trim()}`);
  if (slack.messages.length === 0 || inDigests !== Number(slackRun.outputs.delivered))
    problems.push(
      `run 3 delivered ${slackRun.outputs.delivered} events in ${slack.messages.length} Slack messages`,
    );
  if (slack.refused > 0) problems.push(`the Slack-like receiver refused ${slack.refused} messages`);
  const channel = JSON.stringify(slack.messages);
  if (/[a-z]{2}@example\.com|203\.0\.113\.\d/.test(channel))
    problems.push('an unmasked e-mail or IP address reached the Slack-like receiver');
  if (channel.includes('Acme Mobile'))
    problems.push("an event of another application than 'Acme Web' was sent to Slack");

  banner('What the receiver got');
  say(
    `  Run 1 delivered ${delivered[0]} events (all ${expected[0]} matching of ${FIRST_EVENTS}); run 2 delivered ${delivered[1]}: only the ${expected[1]} new matching events.`,
  );
  say(
    `  ${hook.state.accepted.size} distinct webhook-ids, every signature verified, ${hook.state.duplicates} duplicates; one 503 was retried.`,
  );
  say(
    `  Run 3 sent ${slackRun.outputs.delivered} errors of Acme Web as ${slack.messages.length} Slack messages (digests of up to 10), addresses masked.`,
  );
  say(`  Checkpoint ${CHECKPOINT_VARIABLE} = ${stored}`);
  say(`  Done in ${((Date.now() - began) / 1000).toFixed(1)}s.`);
  if (problems.length > 0) {
    for (const problem of problems) say(red(`  ✖ ${problem}`));
    process.exitCode = 1;
  } else {
    say(bold('  ✔ Demo OK: the second run sent only what was new, thanks to the checkpoint.'));
  }
}

function stripMasks(stdout) {
  return stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

main().catch((error) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
