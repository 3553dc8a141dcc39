import { request, type Dispatcher } from 'undici';
import { backoffDelay, parseRetryAfter, type Clock } from '../clock.js';
import { compareLogIds, isLogId } from '../cursor.js';
import { ActionError, StoppedError } from '../errors.js';
import {
  describeNetworkError,
  headerValue,
  type CappedText,
  PAGE_BYTES_CAP,
  QUOTE_BYTES_CAP,
  readCapped,
  requestSignal,
  snippet,
} from '../http.js';
import { USER_AGENT } from '../version.js';
import { eventId, type LogEvent } from './log-event.js';

export const PAGE_SIZE = 100;
/** Tries per page (and for the token) for 5xx, network errors and unreadable bodies. */
const TRIES = 8;
const REQUEST_TIMEOUT_MS = 30_000;
const BACKOFF_CAP_MS = 30_000;
/** Shortest wait after a 429: a throttling tenant sees at most about one read a second. */
const RATE_LIMIT_FLOOR_MS = 1_000;

export interface Auth0ClientOptions {
  origin: string;
  clientId: string;
  clientSecret: string;
  dispatcher: Dispatcher;
  clock: Clock;
  backoffBaseMs: number;
  /** Aborted when the run stops: waits end and requests are cancelled with StoppedError. */
  signal: AbortSignal;
  /** Called with the access token the moment it arrives (to mask it). */
  onToken(token: string): void;
  onWarning(message: string): void;
  onDebug(message: string): void;
}

export interface Auth0Stats {
  requests: number;
  rateLimited: number;
  retries: number;
  waitedMs: number;
}

interface Answer {
  status: number;
  headers: Dispatcher.ResponseData['headers'];
  text: string;
  /** False when a 200 went past PAGE_BYTES_CAP (never parsed), or an error answer past what is quoted. */
  complete: boolean;
}

/** Reads the tenant's logs in checkpoint mode (`from`/`take`), paced by its rate-limit headers. */
export class Auth0Client {
  readonly stats: Auth0Stats = { requests: 0, rateLimited: 0, retries: 0, waitedMs: 0 };
  private token: string | undefined;
  private remaining: number | undefined;
  private limit: number | undefined;
  private resetAt = 0;

  constructor(private readonly options: Auth0ClientOptions) {}

  /** Client-credentials token for the Management API with `read:logs`. */
  async authenticate(): Promise<void> {
    const { origin, clientId, clientSecret } = this.options;
    const body = JSON.stringify({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      audience: `${origin}/api/v2/`,
      scope: 'read:logs',
    });
    const answer = await this.withRetries('getting a Management API token', () =>
      this.send('POST', '/oauth/token', { 'content-type': 'application/json' }, body),
    );
    if (answer.status === 200) {
      const token = parseJson(answer.text) as { access_token?: unknown } | undefined;
      if (typeof token?.access_token !== 'string' || token.access_token === '') {
        throw new ActionError(
          `Auth0 answered the token request with no access_token: ${snippet(answer.text)}`,
        );
      }
      this.token = token.access_token;
      this.options.onToken(this.token);
      return;
    }
    const detail = describeAuth0Error(answer.text);
    if (answer.status === 401) {
      throw new ActionError(
        `Auth0 rejected the client credentials (401 ${detail}).`,
        'Check auth0-client-id and auth0-client-secret: they must be those of a Machine-to-Machine application of this tenant.',
      );
    }
    if (answer.status === 403) {
      throw new ActionError(
        `Auth0 refused a Management API token (403 ${detail}).`,
        'Authorize the application for the Auth0 Management API with the read:logs scope (Applications → APIs → Auth0 Management API → Machine to Machine Applications).',
      );
    }
    throw new ActionError(`Auth0 answered the token request with ${answer.status}: ${detail}`);
  }

  /** The events after `cursor`, ascending; an empty array means caught up. */
  async fetchPage(cursor: string): Promise<LogEvent[]> {
    let refreshed = false;
    for (;;) {
      await this.pace();
      const path = `/api/v2/logs?from=${encodeURIComponent(cursor)}&take=${PAGE_SIZE}`;
      let page: unknown;
      const answer = await this.withRetries('reading logs', async () => {
        const result = await this.send('GET', path, { authorization: `Bearer ${this.token ?? ''}` });
        if (result.status !== 200) return result;
        if (!result.complete) {
          // Not a hiccup: the same page would be as large on every try, and a cut page is never parsed.
          throw new ActionError(
            `Auth0 answered the logs page from ${cursor} with more than ${PAGE_BYTES_CAP / 1024 / 1024} MB: more than 100 log events can take; the page was not read.`,
            'This is not a size Auth0 sends: check that auth0-domain is the tenant (not a proxy or another service) and re-run the job.',
          );
        }
        // Parsed once, here: a 200 whose body is not JSON is a broken proxy or a hiccup, retried like a 5xx.
        page = parseJson(result.text);
        if (page === undefined)
          return { ...result, status: 599, text: `a body that is not JSON: ${result.text}` };
        return result;
      });
      this.notePacing(answer.headers);
      if (answer.status === 200) return validatePage(page, cursor);
      if (answer.status === 429) {
        this.stats.rateLimited++;
        const now = this.options.clock.now();
        // Never less than a second, whatever the headers say: a Retry-After of 0 or a date in the past,
        // or a reset already passed, would otherwise send the next read at once, and the next, …
        const wait = Math.max(
          RATE_LIMIT_FLOOR_MS,
          parseRetryAfter(headerValue(answer.headers, 'retry-after'), now, 60_000) ??
            Math.min(60_000, this.resetAt - now),
        );
        this.options.onWarning(
          `Auth0 rate limit reached (429); waiting ${Math.ceil(wait / 1000)}s before the next page.`,
        );
        await this.sleep(wait);
        continue;
      }
      if (answer.status === 401 && !refreshed) {
        refreshed = true;
        this.options.onDebug('Auth0 answered 401 for logs: getting a new token once.');
        await this.authenticate();
        continue;
      }
      const detail = describeAuth0Error(answer.text);
      if (answer.status === 401) {
        throw new ActionError(`Auth0 rejected a fresh Management API token (401 ${detail}).`);
      }
      if (answer.status === 403) {
        throw new ActionError(
          `Auth0 refused to read logs (403 ${detail}).`,
          'Grant the application the read:logs scope of the Auth0 Management API.',
        );
      }
      throw new ActionError(`Auth0 answered ${answer.status} reading logs from ${cursor}: ${detail}`);
    }
  }

  /**
   * Spends the rate-limit budget while some remains; once it is spent, waits for one read's worth of
   * refill (the reset is when the bucket is full again), never for the whole bucket. Spreading the
   * remaining reads up to the reset instead settles with half the bucket never spent.
   */
  private async pace(): Promise<void> {
    if (this.remaining === undefined || this.remaining >= 1) return;
    const untilReset = Math.max(0, this.resetAt - this.options.clock.now());
    const wait = Math.ceil(untilReset / Math.max(1, (this.limit ?? 1) - this.remaining));
    if (wait > 0) await this.sleep(wait);
  }

  private notePacing(headers: Dispatcher.ResponseData['headers']): void {
    const remaining = Number(headerValue(headers, 'x-ratelimit-remaining'));
    const reset = Number(headerValue(headers, 'x-ratelimit-reset'));
    if (headerValue(headers, 'x-ratelimit-remaining') === undefined || !Number.isFinite(remaining)) return;
    this.remaining = remaining;
    const limit = Number(headerValue(headers, 'x-ratelimit-limit'));
    this.limit = Number.isFinite(limit) && limit > 0 ? limit : undefined;
    // Reset is Unix seconds; never trust a reset more than a minute away (clock skew).
    this.resetAt = Number.isFinite(reset) ? Math.min(reset * 1000, this.options.clock.now() + 60_000) : 0;
  }

  /** Retries 5xx and network errors with backoff, TRIES times; returns any other answer. */
  private async withRetries(what: string, attempt: () => Promise<Answer>): Promise<Answer> {
    for (let tries = 1; ; tries++) {
      let problem: string;
      try {
        const answer = await attempt();
        if (answer.status < 500) return answer;
        problem = `${answer.status} ${snippet(answer.text)}`;
      } catch (error) {
        if (this.options.signal.aborted) throw new StoppedError();
        if (error instanceof ActionError) throw error;
        problem = describeNetworkError(error);
      }
      if (tries >= TRIES) {
        throw new ActionError(
          `Could not read Auth0 at ${this.options.origin} (${what}) after ${TRIES} tries: ${problem}`,
          'Check auth0-domain and that the tenant is reachable; then re-run the failed job.',
        );
      }
      this.stats.retries++;
      const delay = backoffDelay(tries, this.options.backoffBaseMs, BACKOFF_CAP_MS);
      this.options.onWarning(
        `Auth0 ${what}: ${problem}; retry ${tries} of ${TRIES - 1} in ${Math.ceil(delay / 1000)}s.`,
      );
      await this.sleep(delay);
    }
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<Answer> {
    if (this.options.signal.aborted) throw new StoppedError();
    this.stats.requests++;
    const started = this.options.clock.now();
    const timeLimit = requestSignal(this.options.signal, REQUEST_TIMEOUT_MS);
    let response: Dispatcher.ResponseData;
    let answer: CappedText;
    try {
      response = await request(`${this.options.origin}${path}`, {
        method,
        headers: { ...headers, accept: 'application/json', 'user-agent': USER_AGENT },
        body,
        dispatcher: this.options.dispatcher,
        signal: timeLimit.signal,
      });
      // A page is read whole (up to the cap); of any other answer only what is quoted.
      answer = await readCapped(
        response.body,
        response.statusCode === 200 ? PAGE_BYTES_CAP : QUOTE_BYTES_CAP,
      );
    } finally {
      timeLimit.dispose();
    }
    this.options.onDebug(
      `Auth0 ${method} ${path.split('?')[0]} → ${response.statusCode} in ${this.options.clock.now() - started}ms`,
    );
    return { status: response.statusCode, headers: response.headers, ...answer };
  }

  private async sleep(ms: number): Promise<void> {
    this.stats.waitedMs += ms;
    if (!(await this.options.clock.sleep(ms, this.options.signal))) throw new StoppedError();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Auth0's error bodies: `{error, error_description}` (auth) or `{statusCode, error, message, errorCode}` (API). */
function describeAuth0Error(text: string): string {
  const body = parseJson(text) as Record<string, unknown> | undefined;
  if (body && typeof body === 'object') {
    const parts = [body.errorCode ?? body.error, body.error_description ?? body.message].filter(
      (part): part is string => typeof part === 'string',
    );
    if (parts.length > 0) return snippet(parts.join(': '));
  }
  return snippet(text) || '(empty answer)';
}

/** A page must be an array of events whose ids ascend and exceed the cursor: anything else is an error. */
export function validatePage(body: unknown, cursor: string): LogEvent[] {
  if (!Array.isArray(body)) {
    throw new ActionError(`Auth0 returned a logs page that is not a JSON array (from ${cursor}).`);
  }
  let previous = cursor;
  for (const [index, event] of body.entries()) {
    const id = event !== null && typeof event === 'object' ? eventId(event as LogEvent) : undefined;
    if (id === undefined || !isLogId(id)) {
      throw new ActionError(
        `Auth0 returned a log event without a 56-digit log_id (item ${index} of the page from ${cursor}).`,
      );
    }
    if (compareLogIds(id, previous) <= 0) {
      throw new ActionError(
        `Auth0 returned log_id ${id} after ${previous} (item ${index} of the page from ${cursor}): ids must ascend past the cursor.`,
      );
    }
    previous = id;
  }
  return body as LogEvent[];
}
