// A fake Auth0 tenant on 127.0.0.1: the client-credentials token endpoint and the Management API's
// GET /api/v2/logs in checkpoint mode (`from` + `take`), with rate-limit headers from a token bucket
// and scripted faults.

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogEvent } from './events.js';
import { header, LoopbackServer, send, sendJson, sendStreamed, type StreamedBody } from './http-util.js';

/** A scripted answer to one /api/v2/logs (or /oauth/token) request, consumed before normal handling. */
export interface FaultResponse {
  status: number;
  /** Extra headers; they override the rate-limit headers. A function is called when the fault fires. */
  headers?: Record<string, string> | (() => Record<string, string>);
  /** Raw body. Default: an Auth0-style JSON error for the status (or the 401 "Invalid token" body). */
  body?: string;
  /** Close the connection without answering. */
  destroy?: boolean;
  /** A body of this size, streamed (not built in memory); `body` is ignored. */
  streamed?: StreamedBody;
}

/**
 * A queue item: a response, `'pass'` (handle this request normally), or a function deciding per request.
 * `{status: 401}` without a body on /api/v2/logs also revokes the token the request carried
 * ("the current token expired").
 */
export type Fault = FaultResponse | 'pass' | ((req: Auth0Request) => FaultResponse | 'pass');

export interface RateLimitOptions {
  /** Bucket size: `x-ratelimit-limit`. */
  limit: number;
  /** Tokens added per second. */
  refillPerSecond: number;
  /** Initial tokens (default `limit`). */
  initial?: number;
}

export interface FakeAuth0Options {
  clientId?: string;
  clientSecret?: string;
  events?: LogEvent[];
  /** The application has no client grant for the Management API: /oauth/token answers 403. */
  grantMissing?: boolean;
  /** The token lacks read:logs: /api/v2/logs answers 403 insufficient_scope. */
  missingScope?: boolean;
  /** Rate limit of /api/v2/logs. Default 1000 tokens, 1000 a second: tests never wait. */
  rateLimit?: RateLimitOptions;
  /** Called for every /api/v2/logs request before it is answered (e.g. to add events mid-run). */
  onLogsRequest?: (req: Auth0Request, index: number) => void;
}

export interface Auth0Request {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  /** Status answered. */
  status?: number;
  /** Parsed JSON body of /oauth/token (secrets included: for assertions only). */
  body?: unknown;
  /** For a `streamed` answer: bytes written before it ended or the client closed the connection. */
  sent?: number;
}

const ALL_ZERO = '0'.repeat(56);

export class FakeAuth0 extends LoopbackServer {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly events: LogEvent[];
  readonly requests: Auth0Request[] = [];
  /** Every access token issued, in order (secrets: must never appear in the action's output). */
  readonly tokensIssued: string[] = [];
  /** Scripted answers for /api/v2/logs, consumed first. */
  readonly faults: Fault[] = [];
  /** Scripted answers for /oauth/token, consumed first. */
  readonly tokenFaults: Fault[] = [];
  grantMissing: boolean;
  missingScope: boolean;
  onLogsRequest: ((req: Auth0Request, index: number) => void) | undefined;
  /**
   * log_id → the exact JSON text served for that event instead of its serialisation (an event
   * JSON.stringify cannot write, e.g. nested thousands of levels deep: Auth0 stores what it is given).
   */
  readonly rawEvents = new Map<string, string>();

  private readonly validTokens = new Set<string>();
  private rate: Required<RateLimitOptions>;
  private bucket: number;
  private bucketAt = Date.now();
  private logsRequestCount = 0;

  constructor(opts: FakeAuth0Options = {}) {
    super();
    this.clientId = opts.clientId ?? `m2m${randomBytes(10).toString('hex')}`;
    this.clientSecret = opts.clientSecret ?? `sec_${randomBytes(24).toString('base64url')}`;
    this.events = [...(opts.events ?? [])];
    this.assertAscending(this.events);
    this.grantMissing = opts.grantMissing ?? false;
    this.missingScope = opts.missingScope ?? false;
    this.onLogsRequest = opts.onLogsRequest;
    const rate = opts.rateLimit ?? { limit: 1000, refillPerSecond: 1000 };
    this.rate = { initial: rate.limit, ...rate };
    this.bucket = this.rate.initial;
  }

  /** `127.0.0.1:PORT` */
  get domain(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The audience a token request must name. */
  get audience(): string {
    return `${this.origin}/api/v2/`;
  }

  /** Append events (ids must ascend past the current last one). Safe while a run is going. */
  addEvents(list: readonly LogEvent[]): void {
    this.assertAscending([...this.events.slice(-1), ...list]);
    this.events.push(...list);
  }

  /** Change the rate limit (resets the bucket to `initial`). */
  setRateLimit(rate: RateLimitOptions): void {
    this.rate = { initial: rate.limit, ...rate };
    this.bucket = this.rate.initial;
    this.bucketAt = Date.now();
  }

  /** Make every issued token invalid (as if expired). */
  revokeAllTokens(): void {
    this.validTokens.clear();
  }

  /** Requests to /api/v2/logs. */
  get logRequests(): Auth0Request[] {
    return this.requests.filter((r) => r.path === '/api/v2/logs');
  }

  /** Requests to /oauth/token. */
  get tokenRequests(): Auth0Request[] {
    return this.requests.filter((r) => r.path === '/oauth/token');
  }

  private assertAscending(list: readonly LogEvent[]): void {
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1]!.log_id;
      const b = list[i]!.log_id;
      if (!(a.length === b.length && a < b))
        throw new Error(`FakeAuth0: log_ids must ascend: ${a} then ${b}`);
    }
  }

  private refill(): void {
    const now = Date.now();
    const added = ((now - this.bucketAt) / 1000) * this.rate.refillPerSecond;
    this.bucket = Math.min(this.rate.limit, this.bucket + added);
    this.bucketAt = now;
  }

  private rateHeaders(): Record<string, string> {
    this.refill();
    const missing = this.rate.limit - this.bucket;
    const secondsToFull = this.rate.refillPerSecond > 0 ? missing / this.rate.refillPerSecond : 3600;
    return {
      'x-ratelimit-limit': String(this.rate.limit),
      'x-ratelimit-remaining': String(Math.max(0, Math.floor(this.bucket))),
      'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000 + secondsToFull)),
    };
  }

  /** Takes one token; false when the bucket is empty. */
  private take(): boolean {
    this.refill();
    if (this.bucket < 1) return false;
    this.bucket -= 1;
    return true;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record: Auth0Request = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: header(req, 'authorization'),
    };
    this.requests.push(record);
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      sendJson(res, status, payload, headers);
    };

    if (record.path === '/oauth/token') {
      if (record.method !== 'POST') return answer(404, { error: 'not_found' });
      if (this.applyFault(this.tokenFaults, record, res, {})) return;
      let json: Record<string, unknown> = {};
      try {
        const parsed: unknown = JSON.parse(body);
        if (parsed && typeof parsed === 'object') json = parsed as Record<string, unknown>;
      } catch {
        // Auth0 also accepts form bodies.
        json = Object.fromEntries(new URLSearchParams(body));
      }
      record.body = json;
      return this.token(json, answer);
    }

    if (record.path === '/api/v2/logs' && record.method === 'GET') {
      const index = this.logsRequestCount++;
      this.onLogsRequest?.(record, index);
      const rate = this.rateHeaders();
      if (this.applyFault(this.faults, record, res, rate)) return;
      return this.logs(record, url, answer);
    }

    answer(404, { statusCode: 404, error: 'Not Found', message: 'Not Found' });
  }

  /** Consumes one queued fault; true when it answered the request. */
  private applyFault(
    queue: Fault[],
    record: Auth0Request,
    res: ServerResponse,
    rate: Record<string, string>,
  ): boolean {
    const next = queue.shift();
    if (next === undefined) return false;
    const fault = typeof next === 'function' ? next(record) : next;
    if (fault === 'pass') return false;
    record.status = fault.status;
    if (fault.destroy) {
      res.destroy();
      return true;
    }
    const extra = typeof fault.headers === 'function' ? fault.headers() : (fault.headers ?? {});
    if (fault.streamed) {
      void sendStreamed(res, fault.status, fault.streamed, {
        'content-type': 'application/json',
        ...rate,
        ...extra,
      }).then((sent) => (record.sent = sent));
      return true;
    }
    let body = fault.body;
    if (fault.status === 401 && record.path === '/api/v2/logs' && body === undefined) {
      const token = bearer(record.authorization);
      if (token) this.validTokens.delete(token);
      body = JSON.stringify({ statusCode: 401, error: 'Unauthorized', message: 'Invalid token' });
    }
    body ??= JSON.stringify(defaultErrorBody(fault.status));
    const looksJson = body.startsWith('{') || body.startsWith('[');
    send(res, fault.status, body, {
      'content-type': looksJson ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
      ...rate,
      ...extra,
    });
    return true;
  }

  private token(
    json: Record<string, unknown>,
    answer: (s: number, p: unknown, h?: Record<string, string>) => void,
  ): void {
    if (json['grant_type'] !== 'client_credentials') {
      return answer(400, {
        error: 'unsupported_grant_type',
        error_description: `Unsupported grant type: ${String(json['grant_type'])}`,
      });
    }
    if (json['client_id'] !== this.clientId || json['client_secret'] !== this.clientSecret) {
      return answer(401, { error: 'access_denied', error_description: 'Unauthorized' });
    }
    if (json['audience'] !== this.audience) {
      return answer(403, {
        error: 'access_denied',
        error_description: `Service not found: ${String(json['audience'])}`,
      });
    }
    if (this.grantMissing) {
      return answer(403, {
        error: 'access_denied',
        error_description: `Client is not authorized to access "${this.audience}". You need to create a "client-grant" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/get_client_grants`,
      });
    }
    const token = `eyJ${randomBytes(32).toString('hex')}`;
    this.tokensIssued.push(token);
    this.validTokens.add(token);
    answer(200, { access_token: token, token_type: 'Bearer', expires_in: 86400, scope: 'read:logs' });
  }

  private logs(
    record: Auth0Request,
    url: URL,
    answer: (s: number, p: unknown, h?: Record<string, string>) => void,
  ): void {
    const token = bearer(record.authorization);
    if (!token || !this.validTokens.has(token)) {
      return answer(
        401,
        { statusCode: 401, error: 'Unauthorized', message: 'Invalid token' },
        this.rateHeaders(),
      );
    }
    if (this.missingScope) {
      return answer(
        403,
        {
          statusCode: 403,
          error: 'Forbidden',
          message: 'Insufficient scope, expected any of: read:logs',
          errorCode: 'insufficient_scope',
        },
        this.rateHeaders(),
      );
    }
    if (!this.take()) {
      return answer(
        429,
        {
          statusCode: 429,
          error: 'Too Many Requests',
          message: 'Global limit has been reached',
          errorCode: 'too_many_requests',
        },
        this.rateHeaders(),
      );
    }
    const rate = this.rateHeaders();
    const from = url.searchParams.get('from');
    const takeRaw = url.searchParams.get('take') ?? '50';
    const take = Number(takeRaw);
    if (!/^\d+$/.test(takeRaw) || take < 1) {
      return answer(
        400,
        {
          statusCode: 400,
          error: 'Bad Request',
          message: `Query validation error: 'Invalid value "${takeRaw}" for parameter "take"'`,
          errorCode: 'invalid_query_string',
        },
        rate,
      );
    }
    const limit = Math.min(take, 100);
    if (from === null) {
      // Page mode (no checkpoint): newest first. Not what the action should use.
      const page = [...this.events].reverse().slice(0, limit);
      return answer(200, page, rate);
    }
    if (!/^\d+$/.test(from)) {
      return answer(
        400,
        {
          statusCode: 400,
          error: 'Bad Request',
          message: `Query validation error: 'Invalid value "${from}" for parameter "from"'`,
          errorCode: 'invalid_query_string',
        },
        rate,
      );
    }
    const newer = (id: string): boolean =>
      id.length > from.length || (id.length === from.length && id > from);
    const start = this.events.findIndex((e) => newer(e.log_id));
    const page = start < 0 ? [] : this.events.slice(start, start + limit);
    const headers: Record<string, string> = { ...rate };
    const last = page[page.length - 1];
    if (last) {
      headers['link'] = `<${this.origin}/api/v2/logs?from=${last.log_id}&take=${limit}>; rel="next"`;
    }
    const raw = page.some((e) => this.rawEvents.has(e.log_id));
    answer(
      200,
      raw ? `[${page.map((e) => this.rawEvents.get(e.log_id) ?? JSON.stringify(e)).join(',')}]` : page,
      headers,
    );
  }
}

function bearer(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return m?.[1];
}

function defaultErrorBody(status: number): Record<string, unknown> {
  const error =
    status === 429
      ? 'Too Many Requests'
      : status === 401
        ? 'Unauthorized'
        : status === 403
          ? 'Forbidden'
          : status >= 500
            ? 'Internal Server Error'
            : 'Bad Request';
  return { statusCode: status, error, message: `${error} (scripted by the fake)` };
}

export { ALL_ZERO as OLDEST_CURSOR };
