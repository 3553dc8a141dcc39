// Measures what issue #14 items 3 and 4 are about, on the bundled action (dist/index.js) against
// small loopback fakes in this process:
//
// - huge error answers: every webhook request answered 500 with a 60 MB body (streamed), concurrency
//   8: the action's peak RSS (VmHWM from /proc, sampled while it runs);
// - a throttling tenant: every /api/v2/logs read answered 429 with `Retry-After: 0` for 5 s: reads
//   per second in that time.
//
//   npm run bench:io                                          this build
//   BENCH_ENTRY=/path/to/other/dist/index.js npm run bench:io   another build (before/after)
//
// Measures, asserts nothing (the tests assert counts). Plain erasable TypeScript: Node runs it directly.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = process.env['BENCH_ENTRY'] ?? join(REPO_ROOT, 'dist', 'index.js');
const MB = 1024 * 1024;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** `bytes` of body, 64 KB at a time as the client takes them; stops when the client hangs up. */
async function streamBody(res: ServerResponse, status: number, bytes: number): Promise<void> {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': String(bytes) });
  res.on('error', () => undefined);
  const piece = Buffer.alloc(64 * 1024, ' ');
  piece.write('receiver overloaded');
  const closed = new Promise((done) => res.once('close', done));
  for (let sent = 0; sent < bytes && !res.destroyed; sent += piece.length) {
    if (!res.write(piece)) await Promise.race([new Promise((done) => res.once('drain', done)), closed]);
  }
  if (!res.destroyed) res.end();
}

function logId(n: number): string {
  return `90020261101000000${String(n).padStart(39, '0')}`;
}

function events(count: number): unknown[] {
  return Array.from({ length: count }, (_, i) => ({
    log_id: logId(i + 1),
    date: '2026-11-01T00:00:00.000Z',
    type: 'f',
    description: 'Wrong email or password.',
  }));
}

interface Auth0Options {
  /** Answer 429 Retry-After: 0 to every read until this many ms after the first. */
  throttleMs?: number;
}

async function fakeAuth0(list: unknown[], opts: Auth0Options) {
  const stats = { reads: 0, throttled: 0, firstAt: 0 };
  const fake = await serve((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    if (url.pathname === '/oauth/token') return json(200, { access_token: 'tok', token_type: 'Bearer' });
    stats.reads++;
    stats.firstAt ||= Date.now();
    if (opts.throttleMs && Date.now() - stats.firstAt < opts.throttleMs) {
      stats.throttled++;
      return json(429, { statusCode: 429, error: 'Too Many Requests' }, { 'retry-after': '0' });
    }
    const from = url.searchParams.get('from') ?? '';
    const start = list.findIndex((e) => (e as { log_id: string }).log_id > from);
    json(200, start < 0 ? [] : list.slice(start, start + 100));
  });
  return { ...fake, stats };
}

/** The variable store's REST calls: no variable yet, then writes accepted. */
async function fakeGithub() {
  return serve((req, res) => {
    if (req.method === 'GET') res.writeHead(404).end('{"message":"Not Found"}');
    else res.writeHead(req.method === 'POST' ? 201 : 204).end();
  });
}

/** Runs the action; resolves with its exit code, peak RSS (MB) and wall time. */
async function runAction(inputs: Record<string, string>, githubOrigin: string) {
  const dir = await mkdtemp(join(tmpdir(), 'a0lw-io-'));
  await mkdir(join(dir, 'workspace'));
  await writeFile(join(dir, 'out'), '');
  await writeFile(join(dir, 'summary'), '');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    NO_PROXY: '127.0.0.1',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: join(dir, 'out'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_REPOSITORY: 'acme/ops',
    GITHUB_API_URL: githubOrigin,
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKSPACE: join(dir, 'workspace'),
    RUNNER_TEMP: dir,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const started = Date.now();
  const child = spawn(process.execPath, [ENTRY], {
    cwd: join(dir, 'workspace'),
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout = (stdout + s).slice(-4_000)));
  let peakKb = 0;
  const sampler = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {
      // exited
    }
  }, 20);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearInterval(sampler);
  await rm(dir, { recursive: true, force: true });
  if (process.env['BENCH_VERBOSE']) console.log(stdout);
  return { code, peakMb: Math.round(peakKb / 1024), wallMs: Date.now() - started };
}

function baseInputs(auth0Origin: string, webhookOrigin: string): Record<string, string> {
  return {
    'auth0-domain': auth0Origin,
    'auth0-client-id': 'client',
    'auth0-client-secret': 'secret-value',
    'webhook-url': `${webhookOrigin}/hook`,
    'checkpoint-store': 'variable',
    'checkpoint-name': 'BENCH_CP',
    'github-token': 'ghp_bench',
    'start-from': 'oldest',
    'log-types': 'f',
  };
}

async function hugeErrorAnswers(): Promise<void> {
  const auth0 = await fakeAuth0(events(400), {});
  const github = await fakeGithub();
  let answered = 0;
  const webhook = await serve((_req, res) => {
    answered++;
    void streamBody(res, 500, 60 * MB);
  });
  const run = await runAction(
    {
      ...baseInputs(auth0.origin, webhook.origin),
      concurrency: '8',
      'max-attempts': '3',
      'request-timeout': '30s',
    },
    github.origin,
  );
  console.log(
    `500 with a 60 MB body to each of ${answered} requests (concurrency 8): exit ${run.code}, peak RSS ${run.peakMb} MB, ${run.wallMs} ms`,
  );
  for (const s of [auth0, github, webhook]) s.server.close();
}

async function throttlingTenant(): Promise<void> {
  const throttleMs = 5_000;
  const auth0 = await fakeAuth0(events(50), { throttleMs });
  const github = await fakeGithub();
  const webhook = await serve((_req, res) => res.writeHead(200).end('ok'));
  const run = await runAction(baseInputs(auth0.origin, webhook.origin), github.origin);
  console.log(
    `429 Retry-After: 0 for ${throttleMs / 1000} s: ${auth0.stats.throttled} reads in that time (${(auth0.stats.throttled / (throttleMs / 1000)).toFixed(1)} reads/s); exit ${run.code}, ${run.wallMs} ms`,
  );
  for (const s of [auth0, github, webhook]) s.server.close();
}

console.log(`entry: ${ENTRY}`);
await hugeErrorAnswers();
await throttlingTenant();
