// Fault-injecting versions of the loopback fakes, driven by a seeded PRNG so that every failure
// reproduces from its seed:
//
// - ChaosWebhook: FakeWebhook whose answers may also hang, trickle their body, or be an HTML page;
//   `webhookFaults(seed)` decides a fault per (webhook-id, attempt), independent of arrival order.
// - ChaosAuth0: FakeAuth0 with a second queue (`chaos`) for what the `faults` queue cannot script:
//   a page that never answers, a body that trickles.
// - ChaosGithub: FakeGithub that checks every checkpoint write against the webhook's
//   acknowledgements at the moment of the write, and can hang reads or writes.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { FakeAuth0, type Fault, type FakeAuth0Options, type FaultResponse } from '../fakes/auth0.js';
import { prng } from '../fakes/events.js';
import { FakeGithub, type FakeGithubOptions } from '../fakes/github.js';
import { eventsOf, FakeWebhook, type WebhookRequest, type WebhookResponse } from '../fakes/webhook.js';

// ---- seeded randomness ------------------------------------------------------------------------

export type Rng = () => number;

/** A PRNG for `seed` and a label: independent streams per purpose, all reproducible from one seed. */
export function rngFor(seed: number, label = ''): Rng {
  const digest = createHash('sha256').update(`${seed}/${label}`).digest();
  return prng(digest.readUInt32LE(0));
}

/** A float in [0, 1) that depends only on the seed and the key (not on call order). */
export function hashUnit(seed: number, key: string): number {
  return createHash('sha256').update(`${seed}:${key}`).digest().readUInt32LE(0) / 2 ** 32;
}

export function intIn(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pick<T>(rng: Rng, list: readonly T[]): T {
  const item = list[Math.floor(rng() * list.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/**
 * Seeds to run: `A0LW_SEEDS` (a comma list, to reproduce) or `A0LW_SOAK_SEEDS` (a count of seeds
 * from `A0LW_SOAK_FIRST_SEED`, default 1000) replace the default list.
 */
export function seeds(defaults: readonly number[]): number[] {
  const list = process.env['A0LW_SEEDS'];
  if (list) return list.split(',').map((s) => Number(s.trim()));
  const count = process.env['A0LW_SOAK_SEEDS'];
  if (!count) return [...defaults];
  const first = Number(process.env['A0LW_SOAK_FIRST_SEED'] ?? '1000');
  return Array.from({ length: Number(count) }, (_, i) => first + i);
}

/** `npm run soak`: the longer matrices run too. */
export const SOAK = process.env['A0LW_SOAK'] === '1';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---- responses that the plain fakes cannot give -------------------------------------------------

export interface SlowBody {
  /** Pieces the body is cut into. */
  chunks: number;
  /** Delay before each piece. */
  everyMs: number;
}

/**
 * Makes `res` send its status and headers at once but its body in pieces (chunked encoding), the
 * way a struggling proxy or a receiver streaming an error page does. Call before the response is
 * written. The whole body still arrives unless the client gives up first.
 */
export function trickle(res: ServerResponse, slow: SlowBody): void {
  const write = res.write.bind(res) as (chunk: Buffer) => boolean;
  const end = res.end.bind(res) as () => ServerResponse;
  const pending: Buffer[] = [];
  res.write = ((chunk: string | Buffer) => {
    pending.push(Buffer.from(chunk));
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: string | Buffer | (() => void)) => {
    if (chunk !== undefined && typeof chunk !== 'function') pending.push(Buffer.from(chunk));
    const body = Buffer.concat(pending);
    if (!res.headersSent) {
      res.removeHeader('content-length');
      res.flushHeaders();
    }
    void (async () => {
      const size = Math.max(1, Math.ceil(body.length / slow.chunks));
      for (let at = 0; at < body.length; at += size) {
        await sleep(slow.everyMs);
        if (res.destroyed) return;
        write(body.subarray(at, at + size));
      }
      await sleep(slow.everyMs);
      if (!res.destroyed) end();
    })();
    return res;
  }) as typeof res.end;
}

// ---- webhook ------------------------------------------------------------------------------------

export interface ChaosResponse extends WebhookResponse {
  /** Never answer: the request stays open until the client gives up or the server closes. */
  hang?: boolean;
  /** Answer `status` at once but trickle the body. */
  slowBody?: SlowBody;
}

export type ChaosResponder = (req: WebhookRequest, index: number) => ChaosResponse | Promise<ChaosResponse>;

/** A webhook receiver whose answers may hang or trickle; otherwise exactly FakeWebhook. */
export class ChaosWebhook extends FakeWebhook {
  declare respond: ChaosResponder;

  protected override async handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const record = this.record(req, body);
    const answer = await this.respond(record, record.index);
    // Unanswered: the connection stays open until the client gives up or the server closes.
    if (answer.hang) return;
    if (answer.destroy) {
      res.destroy();
      return;
    }
    record.status = answer.status;
    if (answer.streamed) return this.stream(record, res, answer);
    if (answer.slowBody) trickle(res, answer.slowBody);
    res.writeHead(answer.status, { 'content-type': 'text/plain; charset=utf-8', ...answer.headers });
    res.end(answer.body ?? '');
  }

  /** Matching-event ids acknowledged with a 2xx, with how many times each. */
  ackCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const req of this.acknowledged()) {
      for (const event of eventsOf(req)) counts.set(event.log_id, (counts.get(event.log_id) ?? 0) + 1);
    }
    return counts;
  }
}

export type WebhookFaultKind =
  | '500'
  | '502-html'
  | '503-retry-after-0'
  | '408'
  | '429'
  | '429-retry-after-1s'
  | '429-retry-after-date'
  | 'reset'
  | 'hang'
  | 'slow-ok'
  | 'slow-past-timeout';

/** Faults that cost real time (the action waits out a timeout or a Retry-After): used sparingly. */
export const SLOW_WEBHOOK_FAULTS: ReadonlySet<WebhookFaultKind> = new Set([
  'hang',
  'slow-past-timeout',
  '429-retry-after-1s',
  '429-retry-after-date',
]);

export const WEBHOOK_FAULT_KINDS: readonly WebhookFaultKind[] = [
  '500',
  '502-html',
  '503-retry-after-0',
  '408',
  '429',
  '429-retry-after-1s',
  '429-retry-after-date',
  'reset',
  'hang',
  'slow-ok',
  'slow-past-timeout',
];

export const HTML_ERROR_PAGE =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';

/** The answer for one fault kind, for a receiver whose request-timeout is about `timeoutMs`. */
export function webhookFault(kind: WebhookFaultKind, timeoutMs: number): ChaosResponse {
  switch (kind) {
    case '500':
      return { status: 500, body: '{"error":"internal"}' };
    case '502-html':
      return { status: 502, headers: { 'content-type': 'text/html' }, body: HTML_ERROR_PAGE };
    case '503-retry-after-0':
      return { status: 503, headers: { 'retry-after': '0' }, body: 'maintenance' };
    case '408':
      return { status: 408, body: 'request timeout' };
    case '429':
      return { status: 429, body: 'slow down' };
    case '429-retry-after-1s':
      return { status: 429, headers: { 'retry-after': '1' }, body: 'slow down' };
    case '429-retry-after-date':
      // An HTTP date has whole seconds: this asks for a pause of at most one second.
      return {
        status: 429,
        headers: { 'retry-after': new Date(Date.now() + 500).toUTCString() },
        body: 'later',
      };
    case 'reset':
      return { status: 0, destroy: true };
    case 'hang':
      return { status: 0, hang: true };
    case 'slow-ok':
      return { status: 200, body: 'ok '.repeat(20), slowBody: { chunks: 4, everyMs: 20 } };
    case 'slow-past-timeout':
      // The status line is a 2xx, but the body does not finish within the request timeout: the action
      // cannot know it was accepted, retries, and the receiver sees a duplicate (at-least-once).
      return {
        status: 200,
        body: 'ok '.repeat(20),
        slowBody: { chunks: 4, everyMs: Math.ceil(timeoutMs / 3) },
      };
  }
}

export interface WebhookFaultPlan {
  seed: number;
  /** Probability that an attempt (1 or 2) of a request is a fault. Attempts after 2 always succeed. */
  rate: number;
  /** Fault kinds to draw from (default all). */
  kinds?: readonly WebhookFaultKind[];
  /** At most this many slow faults (hang, slow past timeout, Retry-After ≥ 0.5 s) in the run. */
  maxSlow?: number;
  /** The action's request-timeout in ms (for the trickle that outlasts it). */
  timeoutMs: number;
  /** Delay before each answer (ms), drawn from [0, this]. */
  jitterMs?: number;
}

export interface WebhookFaultLog {
  /** `webhook-id` → attempt → fault kind (or 'ok'). */
  byId: Map<string, string[]>;
  counts: Map<string, number>;
}

/**
 * A responder that draws a fault per (webhook-id, attempt) from the seed: the same seed gives the
 * same faults whatever order concurrent requests arrive in. Attempts after the second always
 * succeed, so with max-attempts ≥ 3 every request is eventually delivered.
 */
export function webhookFaults(plan: WebhookFaultPlan): { respond: ChaosResponder; log: WebhookFaultLog } {
  const kinds = plan.kinds ?? WEBHOOK_FAULT_KINDS;
  const log: WebhookFaultLog = { byId: new Map(), counts: new Map() };
  let slowLeft = plan.maxSlow ?? 2;
  const respond: ChaosResponder = async (req) => {
    const id = req.headers['webhook-id'] ?? '';
    const attempts = log.byId.get(id) ?? [];
    log.byId.set(id, attempts);
    const attempt = attempts.length + 1;
    let kind: WebhookFaultKind | 'ok' = 'ok';
    if (attempt <= 2 && hashUnit(plan.seed, `fault?${id}#${attempt}`) < plan.rate) {
      kind = kinds[Math.floor(hashUnit(plan.seed, `kind${id}#${attempt}`) * kinds.length)] ?? '500';
      if (SLOW_WEBHOOK_FAULTS.has(kind)) {
        if (slowLeft > 0) slowLeft--;
        else kind = '500';
      }
    }
    attempts.push(kind);
    log.counts.set(kind, (log.counts.get(kind) ?? 0) + 1);
    const jitter = plan.jitterMs
      ? Math.floor(hashUnit(plan.seed, `jitter${id}#${attempt}`) * plan.jitterMs)
      : 0;
    if (jitter > 0) await sleep(jitter);
    if (kind === 'ok') return { status: 200, body: 'ok' };
    return webhookFault(kind, plan.timeoutMs);
  };
  return { respond, log };
}

// ---- Auth0 --------------------------------------------------------------------------------------

/** What ChaosAuth0 does with one /api/v2/logs request before (or instead of) the FakeAuth0 logic. */
export type Auth0Chaos = 'pass' | { hang: true } | { slowBody: SlowBody };

export class ChaosAuth0 extends FakeAuth0 {
  /** Consumed one per /api/v2/logs request, before `faults`. */
  readonly chaos: Auth0Chaos[] = [];
  /** Consumed one per /oauth/token request, before `tokenFaults`. */
  readonly tokenChaos: Auth0Chaos[] = [];
  /** Requests left unanswered on purpose. */
  hung = 0;

  constructor(opts: FakeAuth0Options = {}) {
    super(opts);
  }

  protected override async handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const queue = path === '/api/v2/logs' ? this.chaos : path === '/oauth/token' ? this.tokenChaos : [];
    const step = queue.shift() ?? 'pass';
    if (step !== 'pass' && 'hang' in step) {
      this.hung++;
      this.requests.push({ method: req.method ?? '', path, query: {}, authorization: undefined });
      return;
    }
    if (step !== 'pass') trickle(res, step.slowBody);
    return super.handle(req, res, body);
  }
}

export type Auth0FaultKind =
  | '500'
  | '502-html'
  | '503'
  | '429-retry-after-0'
  | '429-reset-now'
  | 'reset'
  | 'html-200'
  | 'truncated-json'
  | 'empty-body-200'
  | 'slow-body'
  | '401-expired';

export const AUTH0_FAULT_KINDS: readonly Auth0FaultKind[] = [
  '500',
  '502-html',
  '503',
  '429-retry-after-0',
  '429-reset-now',
  'reset',
  'html-200',
  'truncated-json',
  'empty-body-200',
  'slow-body',
  '401-expired',
];

/**
 * Queues seeded transient faults on `auth0`: before each of the first `pages` page requests, with
 * probability `rate`, one to three faults (never more than the client's 8 tries a page, and at most
 * one 401 in a row, since a second 401 is an error by design).
 */
export function queueAuth0Faults(
  auth0: ChaosAuth0,
  seed: number,
  pages: number,
  rate: number,
): { kinds: Auth0FaultKind[] } {
  const rng = rngFor(seed, 'auth0');
  const kinds: Auth0FaultKind[] = [];
  let expiredUsed = false;
  // A 429 makes the client wait at least a second (whatever Retry-After says): one a run.
  let rateLimitUsed = false;
  // The token request fails transiently too, 0–2 times.
  for (let i = intIn(rng, 0, 2); i > 0; i--) {
    const fault = pick<FaultResponse>(rng, [
      { status: 503 },
      { status: 0, destroy: true },
      { status: 502, body: HTML_ERROR_PAGE },
    ]);
    auth0.tokenFaults.push(fault);
    kinds.push(fault.destroy ? 'reset' : fault.status === 503 ? '503' : '502-html');
  }
  for (let page = 0; page < pages; page++) {
    if (rng() >= rate) {
      auth0.faults.push('pass');
      auth0.chaos.push('pass');
      continue;
    }
    const n = intIn(rng, 1, 3);
    for (let i = 0; i < n; i++) {
      let kind = pick(rng, AUTH0_FAULT_KINDS);
      // A 401 re-authenticates once per page; keep it to one a run so the page never sees two.
      if (kind === '401-expired') {
        if (expiredUsed) kind = '500';
        expiredUsed = true;
      }
      if (kind === '429-reset-now' || kind === '429-retry-after-0') {
        if (rateLimitUsed) kind = '500';
        rateLimitUsed = true;
      }
      kinds.push(kind);
      const { fault, chaos } = auth0Fault(kind);
      auth0.faults.push(fault);
      auth0.chaos.push(chaos);
    }
    auth0.faults.push('pass');
    auth0.chaos.push('pass');
  }
  return { kinds };
}

export function auth0Fault(kind: Auth0FaultKind): {
  fault: Fault;
  chaos: Auth0Chaos;
} {
  switch (kind) {
    case '500':
      return { fault: { status: 500 }, chaos: 'pass' };
    case '502-html':
      return { fault: { status: 502, body: HTML_ERROR_PAGE }, chaos: 'pass' };
    case '503':
      return {
        fault: { status: 503, body: 'upstream connect error or disconnect/reset before headers' },
        chaos: 'pass',
      };
    case '429-retry-after-0':
      return { fault: { status: 429, headers: { 'retry-after': '0' } }, chaos: 'pass' };
    case '429-reset-now':
      return {
        fault: {
          status: 429,
          headers: () => ({
            'x-ratelimit-limit': '50',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)),
          }),
        },
        chaos: 'pass',
      };
    case 'reset':
      return { fault: { status: 0, destroy: true }, chaos: 'pass' };
    case 'html-200':
      return { fault: { status: 200, body: '<html><body>Service Unavailable</body></html>' }, chaos: 'pass' };
    case 'truncated-json':
      return {
        fault: {
          status: 200,
          body: '[{"log_id":"90020261101000000000000000000000000000000000000000001","type":"s',
        },
        chaos: 'pass',
      };
    case 'empty-body-200':
      return { fault: { status: 200, body: '' }, chaos: 'pass' };
    case 'slow-body':
      return { fault: 'pass', chaos: { slowBody: { chunks: 5, everyMs: 15 } } };
    case '401-expired':
      return { fault: { status: 401 }, chaos: 'pass' };
  }
}

// ---- GitHub -------------------------------------------------------------------------------------

export interface CheckpointWrite {
  name: string;
  value: string;
  /** What `check` said at the moment of the write (undefined: fine). */
  violation: string | undefined;
}

/**
 * FakeGithub that hands every variable write to `check` before applying it (to test the checkpoint
 * against the receiver's acknowledgements at that very moment), and can leave requests unanswered.
 */
export class ChaosGithub extends FakeGithub {
  readonly writes: CheckpointWrite[] = [];
  check: ((name: string, value: string) => string | undefined) | undefined;
  /** Leave variable reads (GET) unanswered. */
  hangReads = false;
  /** Leave variable writes (POST/PATCH) unanswered. */
  hangWrites = false;
  /** Answer this many writes with 500 first. */
  failWrites = 0;

  constructor(opts: FakeGithubOptions = {}) {
    super(opts);
  }

  protected override async handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const isVariable = (req.url ?? '').includes('/actions/variables');
    const isWrite = req.method === 'POST' || req.method === 'PATCH';
    if (isVariable && !isWrite && this.hangReads) return;
    if (isVariable && isWrite) {
      if (this.hangWrites) return;
      if (this.failWrites > 0) {
        this.failWrites--;
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"message":"Server Error"}');
        return;
      }
      let value: unknown;
      let name: unknown;
      try {
        ({ value, name } = JSON.parse(body) as { value?: unknown; name?: unknown });
      } catch {
        // let FakeGithub answer 422
      }
      if (typeof value === 'string') {
        const variable =
          typeof name === 'string' ? name : decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
        this.writes.push({ name: variable, value, violation: this.check?.(variable, value) });
      }
    }
    return super.handle(req, res, body);
  }
}
