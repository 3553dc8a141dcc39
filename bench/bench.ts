// Throughput, memory and start-up benchmark of the bundled action (dist/index.js), run the way the
// Actions runner runs it: a child process with INPUT_* variables, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY
// files and the `variable` checkpoint store, against loopback fakes of Auth0, the webhook and the
// GitHub REST API that live in this process.
//
//   npm run bench                       every scenario, then the table (about 95 s for 1–4, 20–50 s each for 5–8)
//   npm run bench -- --only=1,3         some scenarios (startup, 1, 2, 3, 4, 5, 6, 7, 8)
//   npm run bench -- --startup-runs=9   more start-up samples
//   npm run bench -- --repeat=3         3 interleaved rounds: the median run, then min / median / max
//   npm run bench -- --no-floor         skip the machine floor (a bare undici client) of scenarios 1, 2
//   BENCH_ENTRY=/tmp/x/dist/index.js npm run bench   measure another build
//   BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' npm run bench -- --only=1   profile the action
//   BENCH_VERBOSE=1 npm run bench -- --only=4          also print every memory sample
//   BENCH_CHILD_LOG=/tmp/child.log npm run bench        append the action's stdout to a file
//
// Not part of `npm test`: it takes minutes and measures, it does not assert. See BENCHMARKS.md.
//
// The fakes here are small and fast on purpose instead of test/fakes: events are generated lazily
// from their sequence number (a million of them costs nothing up front), the webhook does not keep
// or parse bodies, and both add injected latency. The Auth0 fake keeps test/fakes/auth0.ts's rate
// limit semantics (a token bucket; remaining = floor(tokens), reset = when the bucket is full, in
// whole Unix seconds rounded up).
//
// Plain erasable TypeScript in one file: Node 24 runs it directly (type stripping), tsc checks it.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = process.env['BENCH_ENTRY'] ?? join(REPO_ROOT, 'dist', 'index.js');
/** Extra Node options for the action's process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
const NODE_ARGS = (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean);

// ---------------------------------------------------------------------------------------------
// Events: generated from their sequence number, ~600 bytes each, every one matching the default
// filter (no Management API types), so fetched = matched = delivered and the bounds stay simple.

const START_MS = Date.parse('2026-11-01T00:00:00.000Z');
/** Event `seq` happens at START + seq × 100 ms: ten events a second. */
const STEP_MS = 100;
const TYPES = [
  's',
  's',
  's',
  's',
  'f',
  'fp',
  'fu',
  'limit_wc',
  'seacft',
  'seccft',
  'w',
  'ss',
  'slo',
  'cls',
  'du',
  'pwd_leak',
];
const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'];
const AGENTS = [
  'Chrome 131.0.0 / Mac OS X 10.15.7',
  'Firefox 133.0.0 / Windows 10.0.0',
  'Safari 18.1.0 / iOS 18.1.0',
];

/** The JSON of each variant after `{"log_id":…,"date":…,` (the per-event part is spliced in). */
const VARIANTS: string[] = (() => {
  let state = 1;
  const rnd = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const out: string[] = [];
  for (let i = 0; i < 256; i++) {
    const type = pick(TYPES);
    const name = pick(NAMES);
    const event = {
      type,
      description: `Event of type ${type}`,
      client_id: 'k3T9uXwZqf0cRbN2LmV8aHs1pYd4eGj7',
      client_name: 'Acme Web',
      ip: `203.0.113.${1 + Math.floor(rnd() * 250)}`,
      user_agent: pick(AGENTS),
      user_id: `auth0|6543${Math.floor(rnd() * 0xffffffff)
        .toString(16)
        .padStart(8, '0')}00000000000${i % 10}`,
      user_name: `${name}@example.com`,
      connection: 'Username-Password-Authentication',
      connection_id: 'con_8Zq2Nf3pRt0vYx1w',
      strategy: 'auth0',
      strategy_type: 'database',
      hostname: 'acme.us.auth0.com',
      isMobile: rnd() < 0.3,
      details: {
        prompts: [{ name: 'login', completedAt: 0, elapsedTime: Math.floor(rnd() * 900) }],
        stats: { loginsCount: i },
      },
    };
    out.push(JSON.stringify(event).slice(1));
  }
  return out;
})();

/** `900` + UTC YYYYMMDDhhmmss + the sequence number in 39 digits (the shape of Auth0's ids). */
function logId(seq: number): string {
  const iso = new Date(START_MS + seq * STEP_MS).toISOString();
  const time =
    iso.slice(0, 4) +
    iso.slice(5, 7) +
    iso.slice(8, 10) +
    iso.slice(11, 13) +
    iso.slice(14, 16) +
    iso.slice(17, 19);
  return `900${time}${String(seq).padStart(39, '0')}`;
}

function eventJson(seq: number): string {
  const date = new Date(START_MS + seq * STEP_MS).toISOString();
  return `{"log_id":"${logId(seq)}","date":"${date}",${VARIANTS[seq & 255]}`;
}

function seqOfId(id: string): number {
  return Number(id.slice(17));
}

// ---------------------------------------------------------------------------------------------
// Loopback servers

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
}

function readBody(req: IncomingMessage, onEnd: (body: string, bytes: number) => void): void {
  const chunks: Buffer[] = [];
  let bytes = 0;
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes < 64 * 1024) chunks.push(chunk);
  });
  req.on('end', () => onEnd(bytes < 64 * 1024 ? Buffer.concat(chunks).toString('utf8') : '', bytes));
}

/**
 * Calls `fn` once performance.now() ≥ `target`: never early (a timer can fire up to a millisecond
 * before its fractional delay, which would make the injected latency, and so the bound, a lie).
 */
function at(target: number, fn: () => void): void {
  const wait = target - performance.now();
  if (wait <= 0) return fn();
  // The last fraction of a millisecond on the check phase, not a whole extra timer tick.
  if (wait < 1) setImmediate(() => at(target, fn));
  else setTimeout(() => at(target, fn), wait);
}

function reply(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
}

/** A loopback server of the bench: `origin` once started, `handle` answers. */
abstract class BenchServer {
  origin = '';
  private server: Server | undefined;

  protected abstract handle(req: IncomingMessage, res: ServerResponse): void;

  async start(): Promise<void> {
    const { server, origin } = await listen((req, res) => this.handle(req, res));
    this.server = server;
    this.origin = origin;
  }

  async close(): Promise<void> {
    if (this.server) await closeServer(this.server);
  }
}

interface Auth0Options {
  events: number;
  pageDelayMs: number;
  /** Token bucket of /api/v2/logs: size and refill per second. */
  limit: number;
  refillPerSecond: number;
}

/** Auth0: the client-credentials token endpoint and GET /api/v2/logs in checkpoint mode. */
class BenchAuth0 extends BenchServer {
  readonly clientId = `m2m${randomBytes(8).toString('hex')}`;
  readonly clientSecret = `sec_${randomBytes(18).toString('base64url')}`;
  readonly opts: Auth0Options;
  tokenRequests = 0;
  logRequests = 0;
  rateLimited = 0;
  /** Events served so far (what the memory samples are keyed by). */
  served = 0;
  /** performance.now() of the first request of any kind and of the first token request. */
  firstRequestAt: number | undefined;
  firstTokenAt: number | undefined;
  /** When the last page (the empty one) was answered. */
  lastAnswerAt = 0;
  /** Sum of arrival → answer of the pages, to report the latency the fake really served. */
  pageLatencyTotalMs = 0;
  pages = 0;
  /** Sum of (answer of a page → arrival of the next page request): the client's share of each page. */
  turnaroundTotalMs = 0;
  turnarounds = 0;
  private token = '';
  private tokens: number;
  private tokensAt = Date.now();

  constructor(opts: Auth0Options) {
    super();
    this.opts = opts;
    this.tokens = opts.limit;
  }

  private refill(): void {
    const now = Date.now();
    this.tokens = Math.min(
      this.opts.limit,
      this.tokens + ((now - this.tokensAt) / 1000) * this.opts.refillPerSecond,
    );
    this.tokensAt = now;
  }

  private rateHeaders(): Record<string, string> {
    this.refill();
    const toFull = (this.opts.limit - this.tokens) / this.opts.refillPerSecond;
    return {
      'x-ratelimit-limit': String(this.opts.limit),
      'x-ratelimit-remaining': String(Math.max(0, Math.floor(this.tokens))),
      'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000 + toFull)),
    };
  }

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const arrival = performance.now();
    this.firstRequestAt ??= arrival;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/oauth/token') this.firstTokenAt ??= arrival;
    readBody(req, (body) => {
      if (url.pathname === '/oauth/token' && req.method === 'POST') {
        this.tokenRequests++;
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(body) as Record<string, unknown>;
        } catch {
          // answered 401 below
        }
        if (json['client_id'] !== this.clientId || json['client_secret'] !== this.clientSecret) {
          return reply(
            res,
            401,
            JSON.stringify({ error: 'access_denied', error_description: 'Unauthorized' }),
          );
        }
        this.token = `eyJ${randomBytes(24).toString('hex')}`;
        return reply(
          res,
          200,
          JSON.stringify({ access_token: this.token, token_type: 'Bearer', expires_in: 86400 }),
        );
      }
      if (url.pathname !== '/api/v2/logs' || req.method !== 'GET')
        return reply(res, 404, '{"statusCode":404}');
      this.logRequests++;
      if (this.pages > 0) {
        this.turnaroundTotalMs += arrival - this.lastAnswerAt;
        this.turnarounds++;
      }
      if (req.headers.authorization !== `Bearer ${this.token}`) {
        return reply(res, 401, '{"statusCode":401,"error":"Unauthorized","message":"Invalid token"}');
      }
      this.refill();
      if (this.tokens < 1) {
        this.rateLimited++;
        return reply(
          res,
          429,
          '{"statusCode":429,"error":"Too Many Requests","errorCode":"too_many_requests"}',
          this.rateHeaders(),
        );
      }
      this.tokens -= 1;
      const headers = this.rateHeaders();
      const from = url.searchParams.get('from') ?? '';
      const take = Math.min(100, Number(url.searchParams.get('take') ?? '50'));
      const after = /^\d{56}$/.test(from) ? seqOfId(from) : 0;
      const last = Math.min(this.opts.events, after + take);
      const parts: string[] = [];
      for (let seq = after + 1; seq <= last; seq++) parts.push(eventJson(seq));
      const page = `[${parts.join(',')}]`;
      const answer = (): void => {
        this.served += parts.length;
        this.lastAnswerAt = performance.now();
        this.pages++;
        this.pageLatencyTotalMs += this.lastAnswerAt - arrival;
        reply(res, 200, page, headers);
      };
      at(arrival + this.opts.pageDelayMs, answer);
    });
  }
}

/** The webhook: answers 200 after a fixed latency (counted from the request's arrival). */
class BenchWebhook extends BenchServer {
  readonly delayMs: number;
  requests = 0;
  /** Events counted from `webhook-id` ({first}-{last} for arrays). */
  events = 0;
  bytes = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** Sum of arrival → answer, to report the latency the fake really served. */
  latencyTotalMs = 0;
  lastAnswerAt = 0;

  constructor(delayMs: number) {
    super();
    this.delayMs = delayMs;
  }

  get url(): string {
    return `${this.origin}/hook`;
  }

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const { arrival, count } = this.arrive(req);
    this.events += count;
    req.on('data', (chunk: Buffer) => (this.bytes += chunk.length));
    req.on('end', () => {
      at(arrival + this.delayMs, () => {
        this.settle(arrival);
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
        res.end('ok');
      });
    });
  }

  /** Counts a request in; `count` is how many events its `webhook-id` (`{first}-{last}`) says it carries. */
  protected arrive(req: IncomingMessage): { arrival: number; count: number } {
    const arrival = performance.now();
    this.requests++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const id = String(req.headers['webhook-id'] ?? '');
    const dash = id.indexOf('-');
    const count = dash < 0 ? 1 : seqOfId(id.slice(dash + 1)) - seqOfId(id.slice(0, dash)) + 1;
    return { arrival, count };
  }

  /** Counts a request out, when its answer goes. */
  protected settle(arrival: number): void {
    this.inFlight--;
    const now = performance.now();
    this.latencyTotalMs += now - arrival;
    this.lastAnswerAt = now;
  }
}

/**
 * A Slack incoming webhook, answering as Slack does (test/fakes/slack.ts enforces the whole Block
 * Kit; this one checks only what is cheap, so the fake stays faster than the action): POST
 * application/json, a JSON object with `text` or at most 50 `blocks`, else 400 with Slack's error
 * text; accepted: 200 `ok` (text/html). No rate limit: the scenario switches the action's pacing off.
 */
class BenchSlack extends BenchWebhook {
  rejected = 0;
  lastProblem = '';

  protected override handle(req: IncomingMessage, res: ServerResponse): void {
    const { arrival, count } = this.arrive(req);
    const json = (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json');
    readBody(req, (body, bytes) => {
      this.bytes += bytes;
      let problem: string | undefined = json ? undefined : 'invalid_payload';
      if (problem === undefined) {
        try {
          const message = JSON.parse(body) as { text?: unknown; blocks?: unknown };
          const blocks = message.blocks;
          if (blocks !== undefined && (!Array.isArray(blocks) || blocks.length > 50))
            problem = 'invalid_blocks';
          else if (typeof message.text !== 'string' || message.text.trim() === '') problem = 'no_text';
        } catch {
          problem = 'invalid_payload';
        }
      }
      if (problem === undefined) this.events += count;
      else {
        this.rejected++;
        this.lastProblem = problem;
      }
      at(arrival + this.delayMs, () => {
        this.settle(arrival);
        if (problem !== undefined) return reply(res, 400, problem, { 'content-type': 'text/plain' });
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': '2' });
        res.end('ok');
      });
    });
  }
}

const REPOSITORY = 'acme/ops';
const CHECKPOINT_NAME = 'BENCH_CHECKPOINT';
const GITHUB_TOKEN = 'ghp_bench_writer';

/** GitHub REST: the repository variable of the `variable` checkpoint store. */
class BenchGithub extends BenchServer {
  value: string | undefined;
  writes = 0;

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    readBody(req, (body) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (!/^(token|bearer) ghp_bench_writer$/i.test(req.headers.authorization ?? '')) {
        return reply(res, 401, '{"message":"Bad credentials"}');
      }
      const base = `/repos/${REPOSITORY}/actions/variables`;
      const named = `${base}/${CHECKPOINT_NAME}`;
      const now = new Date().toISOString();
      if (req.method === 'GET' && path === named) {
        if (this.value === undefined) return reply(res, 404, '{"message":"Not Found"}');
        return reply(
          res,
          200,
          JSON.stringify({ name: CHECKPOINT_NAME, value: this.value, created_at: now, updated_at: now }),
        );
      }
      const value = (JSON.parse(body || '{}') as { value?: unknown }).value;
      if (req.method === 'POST' && path === base && typeof value === 'string') {
        if (this.value !== undefined) return reply(res, 409, '{"message":"Already exists"}');
        this.value = value;
        this.writes++;
        return reply(res, 201, '{}');
      }
      if (req.method === 'PATCH' && path === named && typeof value === 'string' && this.value !== undefined) {
        this.value = value;
        this.writes++;
        res.writeHead(204);
        return res.end();
      }
      reply(res, 404, '{"message":"Not Found"}');
    });
  }
}

// ---------------------------------------------------------------------------------------------
// The child process

/** Loaded with --import into the child: reports its own peak RSS and CPU time when it exits. */
const USAGE_PRELOAD = `data:text/javascript,${encodeURIComponent(
  `import { writeFileSync } from 'node:fs';
   const peak = { heapTotal: 0, heapUsed: 0, external: 0 };
   const sample = () => {
     const m = process.memoryUsage();
     peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal);
     peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
     peak.external = Math.max(peak.external, m.external);
   };
   setInterval(sample, 250).unref();
   process.on('exit', () => {
     sample();
     const u = process.resourceUsage();
     writeFileSync(process.env.BENCH_USAGE_FILE, JSON.stringify({
       maxRssKb: u.maxRSS, userUs: u.userCPUTime, systemUs: u.systemCPUTime,
       peakHeapTotal: peak.heapTotal, peakHeapUsed: peak.heapUsed, peakExternal: peak.external,
     }));
   });`,
)}`;

interface MemorySample {
  atMs: number;
  served: number;
  rssKb: number;
  hwmKb: number;
}

interface ChildRun {
  code: number | null;
  wallMs: number;
  outputs: Record<string, string>;
  stdout: string;
  stderr: string;
  usage:
    | {
        maxRssKb: number;
        userUs: number;
        systemUs: number;
        peakHeapTotal: number;
        peakHeapUsed: number;
        peakExternal: number;
      }
    | undefined;
  samples: MemorySample[];
  spawnedAt: number;
}

/** RSS and its high-water mark from /proc (kB); undefined once the process is gone. */
function procMemory(pid: number): { rssKb: number; hwmKb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+)/.exec(status);
    const hwm = /VmHWM:\s+(\d+)/.exec(status);
    return rss && hwm ? { rssKb: Number(rss[1]), hwmKb: Number(hwm[1]) } : undefined;
  } catch {
    return undefined;
  }
}

function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!heredoc) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i] ?? '');
    out[heredoc[1] ?? ''] = value.join('\n');
  }
  return out;
}

interface RunChildOptions {
  inputs: Record<string, string>;
  githubOrigin: string;
  /** Report peak RSS and CPU through the preload (off for start-up timing, to measure the bare bundle). */
  usage: boolean;
  /** Events served by the fake Auth0 so far, for the memory samples. */
  served?: () => number;
  sampleEveryMs?: number;
  timeoutMs: number;
  /** More environment for the action (test knobs such as AUTH0_LOG_WEBHOOKS_PACE_MS). */
  env?: Record<string, string>;
}

async function runChild(opts: RunChildOptions): Promise<ChildRun> {
  const dir = await mkdtemp(join(tmpdir(), 'a0lw-bench-'));
  const outputFile = join(dir, 'github_output');
  const summaryFile = join(dir, 'step_summary');
  const usageFile = join(dir, 'usage.json');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  await mkdir(join(dir, 'runner_temp'));
  await mkdir(join(dir, 'workspace'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(INPUT_|GITHUB_|RUNNER_|ACTIONS_|STATE_|npm_|NODE_OPTIONS$|BENCH_)/i.test(k))
      continue;
    if (/^(https?_proxy|all_proxy|no_proxy)$/i.test(k)) continue;
    env[k] = v;
  }
  Object.assign(env, {
    NO_PROXY: '127.0.0.1,localhost',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_API_URL: opts.githubOrigin,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'auth0 logs',
    GITHUB_JOB: 'forward',
    GITHUB_EVENT_NAME: 'schedule',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_WORKSPACE: join(dir, 'workspace'),
    RUNNER_TEMP: join(dir, 'runner_temp'),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    BENCH_USAGE_FILE: usageFile,
    // AUTH0_LOG_WEBHOOKS_BACKOFF_MS stays unset: real backoff, as in production.
    ...opts.env,
  });
  // An input left out is unset, which the action reads as its default (as an empty `with:` value).
  for (const [name, value] of Object.entries(opts.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;

  const args = [...NODE_ARGS, ...(opts.usage ? ['--import', USAGE_PRELOAD] : []), ENTRY];
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: join(dir, 'workspace'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const log = process.env['BENCH_CHILD_LOG']
    ? createWriteStream(process.env['BENCH_CHILD_LOG'], { flags: 'a' })
    : undefined;
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout = (stdout + s).slice(-200_000);
    log?.write(s);
  });
  child.on('close', () => log?.end());
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-200_000)));
  const samples: MemorySample[] = [];
  const sampler = setInterval(() => {
    const memory = child.pid === undefined ? undefined : procMemory(child.pid);
    if (memory)
      samples.push({ atMs: performance.now() - spawnedAt, served: opts.served?.() ?? 0, ...memory });
  }, opts.sampleEveryMs ?? 100);
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
  let exitedAt = 0;
  child.on('exit', () => (exitedAt = performance.now()));
  const code = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', (c) => done(c));
  });
  clearInterval(sampler);
  clearTimeout(killer);
  const outputs = parseOutputs(await readFile(outputFile, 'utf8'));
  let usage: ChildRun['usage'];
  try {
    usage = JSON.parse(await readFile(usageFile, 'utf8')) as ChildRun['usage'];
  } catch {
    usage = undefined;
  }
  await rm(dir, { recursive: true, force: true });
  return { code, wallMs: exitedAt - spawnedAt, outputs, stdout, stderr, usage, samples, spawnedAt };
}

// ---------------------------------------------------------------------------------------------
// Scenarios

interface Scenario {
  id: string;
  name: string;
  events: number;
  auth0: Omit<Auth0Options, 'events'>;
  webhookDelayMs: number;
  /** The receiver: a JSON webhook (the default) or one that answers like Slack. */
  receiver?: 'json' | 'slack';
  inputs: Record<string, string>;
  /** More environment for the action (test knobs). */
  env?: Record<string, string>;
  /** The theoretical lower bound of the wall time (ms), and how it is made. */
  bound: { ms: number; text: string } | undefined;
  /**
   * The same bound at the latency the fakes really served (a timer fires a little late, so a
   * "20 ms" answer takes ~20.5 ms): what the action is up against, as opposed to the nominal bound.
   */
  servedBoundMs?: (auth0: BenchAuth0, webhook: BenchWebhook) => number;
  /** Memory samples keyed by events served: report RSS at these counts. */
  rssAt?: number[];
  /** The I/O of the machine floor (see runFloor): one event or one page a request, so many in flight. */
  floor?: FloorSpec;
}

/** Generous enough never to bind: the fake's default (1000 tokens, 1000 a second). */
const NO_LIMIT = { limit: 1000, refillPerSecond: 1000 };

/**
 * A million events through fakes that answer at once (no time bound: CPU and memory), with RSS
 * sampled along the way: scenario 4, and the scenarios that add one feature to it.
 */
function memory(id: string, name: string, inputs: Record<string, string>): Scenario {
  return {
    id,
    name,
    events: 1_000_000,
    auth0: { pageDelayMs: 0, ...NO_LIMIT },
    webhookDelayMs: 0,
    inputs,
    bound: undefined,
    rssAt: [100_000, 500_000, 1_000_000],
  };
}

/** Every personal data class, hashed. */
const ALL_PII_HASHED = {
  'pii-fields': 'email, username, name, phone, address, ip',
  'pii-method': 'hash',
  'pii-hash-key': 'bench-pii-hash-key-0123456789',
};

const SCENARIOS: Scenario[] = [
  {
    id: '1',
    name: 'delivery-bound',
    events: 5_000,
    auth0: { pageDelayMs: 30, ...NO_LIMIT },
    webhookDelayMs: 20,
    inputs: { 'payload-format': 'object', concurrency: '10' },
    bound: { ms: (5_000 * 20) / 10, text: '5,000 requests × 20 ms / 10 in flight' },
    servedBoundMs: (_auth0, webhook) => (webhook.latencyTotalMs / 10) * (5_000 / webhook.requests),
    floor: { format: 'object', concurrency: 10 },
  },
  {
    id: '2',
    name: 'fetch-bound',
    events: 50_000,
    auth0: { pageDelayMs: 30, ...NO_LIMIT },
    webhookDelayMs: 5,
    inputs: { 'payload-format': 'array' },
    bound: { ms: 500 * 30, text: '500 pages × 30 ms (sequential cursor)' },
    servedBoundMs: (auth0) => (auth0.pageLatencyTotalMs / auth0.pages) * 500,
    floor: { format: 'array', concurrency: 5 },
  },
  {
    id: '3',
    name: 'rate-limit-bound',
    events: 3_000,
    auth0: { pageDelayMs: 30, limit: 10, refillPerSecond: 100 / 60 },
    webhookDelayMs: 0,
    inputs: { 'payload-format': 'array' },
    // 31 reads (30 pages + the empty one that says "caught up"): 10 from the full bucket, 21 at 100/min.
    bound: {
      ms: ((31 - 10) / (100 / 60)) * 1000 + 30,
      text: '10 reads at once, 21 more at 100/min (+30 ms)',
    },
  },
  memory('4', 'memory', { 'payload-format': 'array' }),
  // Scenario 4 with every choosing stage on: a condition that keeps every event (so the counts
  // stay comparable) and every personal data class hashed. Compare its CPU µs/event with 4's.
  // The condition reads `type` and `user_name`, which repeat as they do in a tenant's log (256
  // variants here): most verdicts are remembered. Scenario 8 is the case where none can be.
  memory('5', 'memory, condition + pii', {
    'payload-format': 'array',
    filter: "type != 'no_such_type' and $contains(user_name, '@')",
    ...ALL_PII_HASHED,
  }),
  // Scenario 5 with a condition on a value unique to each event (its log_id), so no verdict is ever
  // remembered: JSONata evaluates the condition for every event, the worst case for `filter`.
  memory('8', 'memory, unique condition + pii', {
    'payload-format': 'array',
    filter: "type != 'no_such_type' and $contains(log_id, '9')",
    ...ALL_PII_HASHED,
  }),
  // Scenario 4 shaped into Slack digests of 20 events (one header, a line and a link each). Slack
  // is paced to one message a second, which would make this measure the pacing (a million events
  // in 50,000 s): the test knob switches the pacing off, so it measures formatting's CPU and memory.
  {
    ...memory('6', 'memory, slack digests', { 'payload-format': 'slack', 'batch-size': '20' }),
    receiver: 'slack',
    env: { AUTH0_LOG_WEBHOOKS_PACE_MS: '0' },
  },
  // Scenario 4 with a payload-template keeping three fields of each event: what a JSONata
  // template costs per event (evaluated one event at a time, with its guardrails).
  memory('7', 'memory, template', {
    'payload-format': 'array',
    'payload-template': '{"id": log_id, "type": type, "user": user_name}',
  }),
];

interface ScenarioResult {
  scenario: Scenario;
  run: ChildRun;
  auth0: BenchAuth0;
  webhook: BenchWebhook;
  github: BenchGithub;
  problems: string[];
  load: [number, number, number];
  floor?: FloorRun;
}

/** The inputs every run gets: the fakes' addresses and credentials, the variable store. */
function actionInputs(auth0: BenchAuth0, webhook: BenchWebhook): Record<string, string> {
  return {
    'auth0-domain': auth0.origin,
    'auth0-client-id': auth0.clientId,
    'auth0-client-secret': auth0.clientSecret,
    'webhook-url': webhook.url,
    'checkpoint-store': 'variable',
    'checkpoint-name': CHECKPOINT_NAME,
    'github-token': GITHUB_TOKEN,
  };
}

async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
  const auth0 = new BenchAuth0({ events: scenario.events, ...scenario.auth0 });
  const webhook =
    scenario.receiver === 'slack'
      ? new BenchSlack(scenario.webhookDelayMs)
      : new BenchWebhook(scenario.webhookDelayMs);
  const github = new BenchGithub();
  await Promise.all([auth0.start(), webhook.start(), github.start()]);
  try {
    const run = await runChild({
      inputs: { ...actionInputs(auth0, webhook), 'max-runtime': '30m', ...scenario.inputs },
      githubOrigin: github.origin,
      usage: true,
      served: () => auth0.served,
      sampleEveryMs: 50,
      timeoutMs: 10 * 60_000,
      ...(scenario.env ? { env: scenario.env } : {}),
    });
    const problems: string[] = [];
    const n = String(scenario.events);
    if (run.code !== 0) problems.push(`exit code ${run.code}`);
    for (const name of ['fetched', 'matched', 'delivered'] as const) {
      if (run.outputs[name] !== n) problems.push(`${name}=${run.outputs[name]}`);
    }
    if (run.outputs['caught-up'] !== 'true') problems.push(`caught-up=${run.outputs['caught-up']}`);
    if (webhook.events !== scenario.events) problems.push(`webhook received ${webhook.events} events`);
    if (webhook instanceof BenchSlack && webhook.rejected > 0) {
      problems.push(`the Slack fake refused ${webhook.rejected} messages (last: ${webhook.lastProblem})`);
    }
    if (github.value !== logId(scenario.events)) problems.push(`stored checkpoint ${github.value}`);
    if (!run.usage) problems.push('no usage report from the child');
    if (problems.length > 0) {
      problems.push(`stdout tail: ${run.stdout.slice(-1500)}`, `stderr tail: ${run.stderr.slice(-1500)}`);
    }
    return { scenario, run, auth0, webhook, github, problems, load: loadavg() as [number, number, number] };
  } finally {
    await Promise.all([auth0.close(), webhook.close(), github.close()]);
  }
}

// ---------------------------------------------------------------------------------------------
// The machine floor
//
// How close a Node client can get to a bound on this machine at all (timers firing late, loopback,
// the CPU shared with the fakes): a bare undici client doing only the scenario's I/O against a fresh
// set of the same fakes, with no filter, checkpoint, retries or signing. The action's distance from
// the floor is its own overhead; the floor's distance from the bound is the machine's.

interface FloorSpec {
  format: 'object' | 'array';
  concurrency: number;
}

interface FloorRun {
  wallMs: number;
  problems: string[];
}

const UNDICI_URL = pathToFileURL(createRequire(import.meta.url).resolve('undici')).href;

/** Token, then the pages one after another; 3 pages read ahead of `concurrency` workers POSTing. */
const FLOOR_CLIENT = `
import { Agent, request } from ${JSON.stringify(UNDICI_URL)};
const { auth0, clientId, clientSecret, hook, format, concurrency } = JSON.parse(process.argv[1]);
const agent = new Agent({ connections: concurrency + 2, keepAliveTimeout: 30_000 });
const call = async (url, options) => {
  const res = await request(url, { dispatcher: agent, ...options });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(url + ': ' + res.statusCode + ' ' + text);
  return text;
};
const { access_token } = JSON.parse(await call(auth0 + '/oauth/token', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, audience: auth0 + '/api/v2/' }),
}));
const queue = []; // [webhook-id, body]
const waiting = [];
let reading = true;
let space = () => {};
const wake = () => { for (const w of waiting.splice(0)) w(); };
const worker = async () => {
  for (;;) {
    const item = queue.shift();
    if (item) {
      space();
      await call(hook, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': item[0] }, body: item[1] });
    } else if (!reading) return;
    else await new Promise((w) => waiting.push(w));
  }
};
const workers = Array.from({ length: concurrency }, worker);
const perPage = format === 'array' ? 1 : 100;
let cursor = '0'.repeat(56);
for (;;) {
  while (queue.length >= 3 * perPage) await new Promise((s) => (space = s));
  const text = await call(auth0 + '/api/v2/logs?from=' + cursor + '&take=100', { headers: { authorization: 'Bearer ' + access_token } });
  const page = JSON.parse(text);
  if (page.length === 0) break;
  if (format === 'array') queue.push([page[0].log_id + '-' + page.at(-1).log_id, text]);
  else for (const event of page) queue.push([event.log_id, JSON.stringify(event)]);
  cursor = page.at(-1).log_id;
  wake();
}
reading = false;
wake();
await Promise.all(workers);
await agent.close();
`;

/** The floor client against fresh fakes with the scenario's parameters, timed spawn → exit. */
async function runFloor(scenario: Scenario, spec: FloorSpec): Promise<FloorRun> {
  const auth0 = new BenchAuth0({ events: scenario.events, ...scenario.auth0 });
  const webhook = new BenchWebhook(scenario.webhookDelayMs);
  await Promise.all([auth0.start(), webhook.start()]);
  try {
    const params = {
      auth0: auth0.origin,
      clientId: auth0.clientId,
      clientSecret: auth0.clientSecret,
      hook: webhook.url,
      ...spec,
    };
    const spawnedAt = performance.now();
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', FLOOR_CLIENT, JSON.stringify(params)],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-20_000)));
    const killer = setTimeout(() => child.kill('SIGKILL'), 10 * 60_000);
    let exitedAt = 0;
    child.on('exit', () => (exitedAt = performance.now()));
    const code = await new Promise<number | null>((done, fail) => {
      child.on('error', fail);
      child.on('close', (c) => done(c));
    });
    clearTimeout(killer);
    const problems: string[] = [];
    if (code !== 0) problems.push(`floor: exit code ${code}, stderr tail: ${stderr.slice(-1500)}`);
    if (webhook.events !== scenario.events) problems.push(`floor: webhook received ${webhook.events} events`);
    return { wallMs: exitedAt - spawnedAt, problems };
  } finally {
    await Promise.all([auth0.close(), webhook.close()]);
  }
}

interface StartupResult {
  bundleMs: number[];
  bundleExitMs: number[];
  bareNodeMs: number[];
  /** One more run with nothing to fetch, with the usage preload: the bundle's fixed memory and CPU. */
  idle: ChildRun['usage'];
}

/** Spawn → first HTTP request at the fake Auth0 token endpoint, for the bundle and for bare Node. */
async function measureStartup(runs: number): Promise<StartupResult> {
  const result: StartupResult = { bundleMs: [], bundleExitMs: [], bareNodeMs: [], idle: undefined };
  for (let i = 0; i <= runs; i++) {
    const idle = i === runs;
    const auth0 = new BenchAuth0({ events: 0, pageDelayMs: 0, ...NO_LIMIT });
    const webhook = new BenchWebhook(0);
    const github = new BenchGithub();
    await Promise.all([auth0.start(), webhook.start(), github.start()]);
    try {
      const run = await runChild({
        inputs: actionInputs(auth0, webhook),
        githubOrigin: github.origin,
        usage: idle,
        timeoutMs: 60_000,
      });
      if (run.code !== 0 || auth0.firstTokenAt === undefined) {
        throw new Error(
          `start-up run failed (exit ${run.code}):\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`,
        );
      }
      if (idle) {
        result.idle = run.usage;
        continue;
      }
      result.bundleMs.push(auth0.firstTokenAt - run.spawnedAt);
      result.bundleExitMs.push(run.wallMs);

      // The floor: Node itself starting and sending one request with node:http.
      const bare = new BenchAuth0({ events: 0, pageDelayMs: 0, ...NO_LIMIT });
      await bare.start();
      const script = `require('node:http').request(${JSON.stringify(`${bare.origin}/oauth/token`)}, { method: 'POST' }, (r) => r.resume()).end('{}')`;
      const spawnedAt = performance.now();
      const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
      await new Promise((done) => child.on('close', done));
      if (bare.firstTokenAt !== undefined) result.bareNodeMs.push(bare.firstTokenAt - spawnedAt);
      await bare.close();
    } finally {
      await Promise.all([auth0.close(), webhook.close(), github.close()]);
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Report

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mb = (kb: number): string => `${fmt(kb / 1024, 1)} MB`;
const loadText = (l: readonly number[]): string => l.map((x) => x.toFixed(2)).join(' ');

/** The run with the median wall time (the lower-middle one for an even count). */
function medianRun(runs: ScenarioResult[]): ScenarioResult {
  const sorted = [...runs].sort((a, b) => a.run.wallMs - b.run.wallMs);
  return sorted[Math.floor((sorted.length - 1) / 2)] as ScenarioResult;
}

/** `min / median / max`, each formatted; '?' when there is no value. */
function range(values: number[], format: (n: number) => string): string {
  if (values.length === 0) return '?';
  return [Math.min(...values), median(values), Math.max(...values)].map((x) => format(x)).join(' / ');
}

/** One scenario over all its rounds (`runs` in round order). */
function rangeRow(runs: ScenarioResult[]): string {
  const { scenario } = runs[0] as ScenarioResult;
  const bound = scenario.bound;
  const usages = runs.flatMap((r) => (r.run.usage ? [r.run.usage] : []));
  const percents = runs.map((r) => (bound ? (bound.ms / r.run.wallMs) * 100 : NaN));
  const floorPercents = runs.flatMap((r) => (bound && r.floor ? [(bound.ms / r.floor.wallMs) * 100] : []));
  const rssKb = usages.map((u) => u.maxRssKb);
  const cpuPerEventUs = usages.map((u) => (u.userUs + u.systemUs) / scenario.events);
  const rateLimited = runs.map((r) => r.auth0.rateLimited);
  const percent = (x: number): string => `${fmt(x, 1)}%`;
  const perEvent = (x: number): string => `${fmt(x, 1)} µs`;
  // The median of an even count can fall between two whole numbers.
  const count = (x: number): string => fmt(x, Number.isInteger(x) ? 0 : 1);
  const cells = [
    `${scenario.id} ${scenario.name}`,
    bound ? range(percents, percent) : '—',
    floorPercents.length > 0 ? range(floorPercents, percent) : '—',
    range(rssKb, mb),
    range(cpuPerEventUs, perEvent),
    `${range(rateLimited, count)} (${fmt(rateLimited.reduce((a, b) => a + b, 0))})`,
  ];
  return `| ${cells.join(' | ')} |`;
}

function resultRow(r: ScenarioResult): string {
  const { scenario, run, auth0 } = r;
  const seconds = run.wallMs / 1000;
  const cpuUs = run.usage ? run.usage.userUs + run.usage.systemUs : NaN;
  const cells = [
    `${scenario.id} ${scenario.name}`,
    fmt(scenario.events),
    `${fmt(seconds, 2)} s`,
    fmt(scenario.events / seconds),
    scenario.bound ? `${fmt(scenario.bound.ms / 1000, 2)} s` : '—',
    scenario.bound ? `${fmt((scenario.bound.ms / run.wallMs) * 100, 1)}%` : '—',
    `${fmt(auth0.logRequests)} + ${auth0.tokenRequests}`,
    fmt(auth0.rateLimited),
    run.usage ? mb(run.usage.maxRssKb) : '?',
    `${fmt(cpuUs / scenario.events, 1)} µs (${fmt(cpuUs / 1e6, 2)} s)`,
    r.problems.length === 0 ? 'ok' : 'FAILED',
  ];
  return `| ${cells.join(' | ')} |`;
}

function details(r: ScenarioResult): string[] {
  const { scenario, run, auth0, webhook, github } = r;
  const lines: string[] = [];
  const firstPage = auth0.firstRequestAt === undefined ? NaN : auth0.firstRequestAt - run.spawnedAt;
  const lastAnswer = Math.max(auth0.lastAnswerAt, webhook.lastAnswerAt) - run.spawnedAt;
  lines.push(
    `- ${scenario.id} ${scenario.name}: bound = ${scenario.bound?.text ?? 'none (memory and CPU)'}` +
      (scenario.servedBoundMs
        ? ` (at the latency really served: ${fmt(scenario.servedBoundMs(auth0, webhook) / 1000, 2)} s, ${fmt((scenario.servedBoundMs(auth0, webhook) / run.wallMs) * 100, 1)}%)`
        : '') +
      (r.floor && scenario.bound
        ? `; floor (a bare undici client, same I/O): ${fmt(r.floor.wallMs / 1000, 2)} s = ${fmt((scenario.bound.ms / r.floor.wallMs) * 100, 1)}% of the bound`
        : '') +
      '; ' +
      `first request at ${fmt(firstPage)} ms, last answer at ${fmt(lastAnswer)} ms, exit at ${fmt(run.wallMs)} ms; ` +
      `Auth0 pages served in ${fmt(auth0.pageLatencyTotalMs / Math.max(1, auth0.pages), 1)} ms mean, ` +
      `next page asked ${fmt(auth0.turnaroundTotalMs / Math.max(1, auth0.turnarounds), 1)} ms after an answer (mean); ` +
      `webhook ${fmt(webhook.requests)} requests (max ${webhook.maxInFlight} in flight, served in ${fmt(webhook.latencyTotalMs / Math.max(1, webhook.requests), 1)} ms mean, ${mb(webhook.bytes / 1024)}); ` +
      `checkpoint writes ${github.writes}; load after ${loadText(r.load)}`,
  );
  if (run.usage) {
    const u = run.usage;
    lines.push(
      `  - child memory peaks: RSS ${mb(u.maxRssKb)}, V8 heap total ${mb(u.peakHeapTotal / 1024)} (used ${mb(u.peakHeapUsed / 1024)}), external ${mb(u.peakExternal / 1024)}; ` +
        `CPU user ${fmt(u.userUs / 1e6, 2)} s + system ${fmt(u.systemUs / 1e6, 2)} s`,
    );
  }
  if (scenario.rssAt) {
    const at = scenario.rssAt.map((count) => {
      const sample = run.samples.find((s) => s.served >= count) ?? run.samples[run.samples.length - 1];
      return sample
        ? `${fmt(count)}: RSS ${mb(sample.rssKb)} (peak so far ${mb(sample.hwmKb)})`
        : `${fmt(count)}: no sample`;
    });
    lines.push(
      `  - RSS when the fake had served ${at.join('; ')}; peak at exit ${run.usage ? mb(run.usage.maxRssKb) : '?'}`,
    );
  }
  for (const p of r.problems) lines.push(`  - PROBLEM: ${p}`);
  if (process.env['BENCH_VERBOSE']) {
    for (const s of run.samples)
      lines.push(`    ${fmt(s.atMs)} ms: served ${s.served}, RSS ${mb(s.rssKb)}, peak ${mb(s.hwmKb)}`);
  }
  return lines;
}

async function main(): Promise<void> {
  const only = process.argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const startupRuns = Number(
    process.argv.find((a) => a.startsWith('--startup-runs='))?.slice('--startup-runs='.length) ?? 5,
  );
  const repeat = Number(process.argv.find((a) => a.startsWith('--repeat='))?.slice('--repeat='.length) ?? 1);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat= takes a whole number ≥ 1');
  const withFloor = !process.argv.includes('--no-floor');
  const wanted = (id: string): boolean => !only || only.includes(id);
  const loadBefore = loadavg();
  const began = performance.now();
  console.log(`# auth0-log-webhooks bench: ${ENTRY}`);
  console.log(
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average before ${loadText(loadBefore)}`,
  );

  let startup: StartupResult | undefined;
  if (wanted('startup')) {
    startup = await measureStartup(startupRuns);
    console.log(`start-up done (${fmt(median(startup.bundleMs))} ms median)`);
  }
  const selected = SCENARIOS.filter((s) => wanted(s.id));
  // Rounds interleave the scenarios (1, 2, 3, 4, 1, 2, 3, 4, …) so that a slow period of the
  // shared machine spreads over all of them instead of landing on one.
  const all: ScenarioResult[] = [];
  for (let round = 1; round <= repeat; round++) {
    for (const scenario of selected) {
      const result = await runScenario(scenario);
      if (withFloor && scenario.floor) {
        result.floor = await runFloor(scenario, scenario.floor);
        result.problems.push(...result.floor.problems);
      }
      all.push(result);
      console.log(
        `scenario ${scenario.id} ${scenario.name} done in ${fmt(result.run.wallMs / 1000, 2)} s` +
          (result.floor ? ` (floor ${fmt(result.floor.wallMs / 1000, 2)} s)` : '') +
          (repeat > 1 ? ` (round ${round}/${repeat})` : '') +
          (result.problems.length ? ' (FAILED)' : ''),
      );
    }
  }
  const rounds = selected.map((s) => all.filter((r) => r.scenario === s));
  const results = rounds.map(medianRun);

  console.log('');
  if (repeat > 1) console.log(`Each scenario's run with the median wall time of ${repeat} rounds:`);
  console.log(
    '| scenario | events | wall | events/s | bound | % of bound | Auth0 reads + token | 429s | peak RSS | CPU per event (total) | check |',
  );
  console.log('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|');
  for (const r of results) console.log(resultRow(r));
  if (repeat > 1) {
    console.log('');
    console.log(`Over ${repeat} rounds (min / median / max):`);
    console.log('');
    console.log('| scenario | % of bound | floor % of bound | peak RSS | CPU per event | 429s (total) |');
    console.log('|---|--:|--:|--:|--:|--:|');
    for (const runs of rounds) console.log(rangeRow(runs));
  }
  console.log('');
  for (const r of results) for (const line of details(r)) console.log(line);
  // The main table and the details show only the median runs: print any other failing round too.
  for (const runs of rounds) {
    for (const [i, r] of runs.entries()) {
      if (r.problems.length === 0 || results.includes(r)) continue;
      console.log(
        `- ${r.scenario.id} ${r.scenario.name}, round ${i + 1}/${repeat} (${fmt(r.run.wallMs / 1000, 2)} s):`,
      );
      for (const p of r.problems) console.log(`  - PROBLEM: ${p}`);
    }
  }
  if (startup) {
    const list = (v: number[]): string => v.map((x) => fmt(x)).join(', ');
    console.log(
      `- start-up, spawn → first request at the token endpoint: median ${fmt(median(startup.bundleMs))} ms (${list(startup.bundleMs)}); ` +
        `bare \`node -e\` sending one request: median ${fmt(median(startup.bareNodeMs))} ms; ` +
        `whole run with nothing to fetch (spawn → exit): median ${fmt(median(startup.bundleExitMs))} ms`,
    );
    const u = startup.idle;
    if (u) {
      console.log(
        `- idle run (nothing to fetch): peak RSS ${mb(u.maxRssKb)}, V8 heap total ${mb(u.peakHeapTotal / 1024)} (used ${mb(u.peakHeapUsed / 1024)}), ` +
          `external ${mb(u.peakExternal / 1024)}, CPU ${fmt((u.userUs + u.systemUs) / 1000)} ms`,
      );
    }
  }
  console.log(
    `- load average before ${loadText(loadBefore)}, after ${loadText(loadavg())}; bench took ${fmt((performance.now() - began) / 1000, 1)} s`,
  );
  if (all.some((r) => r.problems.length > 0)) process.exitCode = 1;
}

await main();
