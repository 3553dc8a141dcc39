import { request, type Dispatcher } from 'undici';
import { backoffDelay, parseRetryAfter, type Clock } from '../clock.js';
import {
  describeNetworkError,
  headerValue,
  QUOTE_BYTES_CAP,
  readCapped,
  requestSignal,
  snippet,
} from '../http.js';
import type { Settings } from '../settings.js';
import { redact, secretValues, urlForLog } from '../secrets.js';
import { USER_AGENT } from '../version.js';
import { eventId, type LogEvent } from '../auth0/log-event.js';
import { buildPayload, eventsOfPayload, type Payload } from './payload.js';
import { applyTemplate } from './template.js';
import { signatureHeader } from './signing.js';

const BACKOFF_CAP_MS = 60_000;
const RETRY_AFTER_CAP_MS = 60_000;
/**
 * A 429 with Retry-After is the receiver pacing us (chat services do it as a matter of course), not a
 * failed attempt: it does not use up max-attempts, up to this many per request (and never past
 * max-runtime), so that a burst never fails the run on rate limits alone. A 429 without Retry-After
 * counts as an attempt, like a 5xx.
 */
const RATE_LIMIT_HOLDS_PER_REQUEST = 30;

export interface DeliveryFailure {
  /** HTTP status, or undefined for a network error or timeout. */
  status: number | undefined;
  /** `400`, `timeout`, `ECONNRESET`... : what failures are grouped by in the summary. */
  reason: string;
  logId: string;
  type: string;
  /** The receiver's answer (first 200 characters), or the network error. */
  answer: string;
  attempts: number;
  /** How many events the failed request carried. */
  events: number;
  /** One line for the log: status, event, answer. */
  message: string;
}

export type DeliveryOutcome =
  | { kind: 'delivered' }
  /** Not sent, or waiting to retry, when the run stopped: not a failure, the checkpoint stays before it. */
  | { kind: 'abandoned' }
  | { kind: 'failed'; failure: DeliveryFailure };

export interface SenderOptions {
  settings: Pick<
    Settings,
    | 'auth0Domain'
    | 'payloadTemplate'
    | 'webhookUrl'
    | 'webhookAuthorization'
    | 'webhookHeaders'
    | 'webhookSecrets'
    | 'payloadFormat'
    | 'maxAttempts'
    | 'requestTimeoutMs'
  >;
  dispatcher: Dispatcher;
  clock: Clock;
  backoffBaseMs: number;
  /** No new attempt starts once this aborts (a request waiting to retry is abandoned). */
  stopping: AbortSignal;
  /** Cancels requests in flight (after the grace period at max-runtime or on cancel). */
  abort: AbortSignal;
  /** Retries are never scheduled past this time (ms since epoch). */
  deadline: number;
  /**
   * Shortest interval between two requests (any attempt) to the endpoint, whatever the concurrency:
   * a chat service's documented rate (src/delivery/formats). 0: no pacing.
   */
  minIntervalMs?: number;
  onWarning(message: string): void;
  onDebug(message: string): void;
}

type AttemptResult =
  | { kind: 'ok' }
  | { kind: 'abandoned' }
  | {
      kind: 'retry';
      status: number | undefined;
      reason: string;
      answer: string;
      retryAfterMs: number | undefined;
    }
  | { kind: 'permanent'; status: number; reason: string; answer: string };

export interface SenderStats {
  requests: number;
  retries: number;
}

/** Consecutive matching events, ready to send: the body is built once, when the batch is complete. */
export interface SenderBatch {
  /** Undefined with a payload-template: evaluated (asynchronously) when the batch is delivered. */
  readonly payload: Payload | undefined;
  /** The events, kept only until the template has shaped them. */
  readonly events: readonly LogEvent[] | undefined;
  readonly count: number;
  readonly firstId: string;
  readonly firstType: string;
}

/** POSTs consecutive matching events to the webhook: retries, endpoint-wide Retry-After, 413 splitting. */
export class WebhookSender {
  readonly stats: SenderStats = { requests: 0, retries: 0 };
  /** A 429/503 with Retry-After holds back every request to the endpoint until then. */
  private holdUntil = 0;
  /** The earliest start of the next request under minIntervalMs. */
  private nextSlot = 0;
  private readonly fixedHeaders: string[];
  private readonly url: URL;
  private readonly secrets: string[];

  constructor(private readonly options: SenderOptions) {
    const { webhookAuthorization, webhookHeaders, webhookUrl } = options.settings;
    this.fixedHeaders = ['user-agent', USER_AGENT];
    // Credentials in the URL become Basic authorization (webhook-authorization wins) and leave the URL,
    // so no error message of the HTTP client can ever quote them.
    this.secrets = secretValues(options.settings);
    this.url = new URL(webhookUrl);
    const basic =
      this.url.username || this.url.password
        ? `Basic ${Buffer.from(`${decodeURIComponent(this.url.username)}:${decodeURIComponent(this.url.password)}`).toString('base64')}`
        : undefined;
    this.url.username = '';
    this.url.password = '';
    const authorization = webhookAuthorization ?? basic;
    if (authorization !== undefined) this.fixedHeaders.push('authorization', authorization);
    for (const [name, value] of webhookHeaders) this.fixedHeaders.push(name, value);
  }

  /**
   * Builds the request body of consecutive matching events. Done as soon as a batch is complete, so
   * that only the body (one flat string) waits for a free slot, not the parsed events.
   */
  prepare(events: readonly LogEvent[]): SenderBatch {
    const first = events[0] ?? {};
    const { payloadFormat, payloadTemplate, auth0Domain } = this.options.settings;
    const templated = payloadTemplate !== undefined;
    return {
      payload: templated ? undefined : buildPayload(payloadFormat, events, { auth0Domain }),
      events: templated ? events : undefined,
      count: events.length,
      firstId: eventId(first) ?? '?',
      firstType: typeof first.type === 'string' ? first.type : '?',
    };
  }

  /**
   * Delivers a batch. `onDelivered(count)` is told of each part acknowledged with a 2xx, in order
   * (the next `count` events of the batch), so a split batch can make progress before a later half fails.
   */
  async deliver(batch: SenderBatch, onDelivered: (count: number) => void): Promise<DeliveryOutcome> {
    const { payload } = batch;
    if (payload === undefined) return this.deliverTemplated(batch.events ?? [], onDelivered);
    const { clock, settings } = this.options;
    let holds = 0;
    for (let attempt = 1; ; attempt++) {
      if (!(await this.waitForTurn())) return { kind: 'abandoned' };
      const result = await this.attempt(payload.body, payload.contentType, payload.webhookId);
      if (result.kind === 'ok') {
        onDelivered(batch.count);
        return { kind: 'delivered' };
      }
      if (result.kind === 'abandoned') return result;
      if (result.kind === 'permanent' && result.status === 413 && batch.count > 1) {
        const events = eventsOfPayload(settings.payloadFormat, payload);
        const half = Math.ceil(events.length / 2);
        this.options.onDebug(`413 for ${payload.webhookId}: splitting ${events.length} events in halves.`);
        const first = await this.deliver(this.prepare(events.slice(0, half)), onDelivered);
        if (first.kind !== 'delivered') return first;
        return this.deliver(this.prepare(events.slice(half)), onDelivered);
      }
      const held =
        result.kind === 'retry' &&
        result.status === 429 &&
        result.retryAfterMs !== undefined &&
        holds < RATE_LIMIT_HOLDS_PER_REQUEST;
      if (held) {
        holds++;
        attempt--; // the receiver asked for a pause: not a failed attempt
      } else if (result.kind === 'permanent' || attempt >= settings.maxAttempts) {
        return { kind: 'failed', failure: describeFailure(batch, result, attempt) };
      }
      const now = clock.now();
      if (result.retryAfterMs !== undefined && (result.status === 429 || result.status === 503)) {
        this.holdUntil = Math.max(this.holdUntil, now + result.retryAfterMs);
      }
      const delay = result.retryAfterMs ?? backoffDelay(attempt, this.options.backoffBaseMs, BACKOFF_CAP_MS);
      if (now + delay > this.options.deadline) return { kind: 'abandoned' };
      this.stats.retries++;
      this.options.onWarning(
        held
          ? `Webhook ${result.reason} for ${payload.webhookId}: rate limited, sending again in ${(delay / 1000).toFixed(1)}s (a pause the receiver asked for, not a failed attempt).`
          : `Webhook ${result.reason} for ${payload.webhookId}; retry ${attempt} of ${settings.maxAttempts - 1} in ${(delay / 1000).toFixed(1)}s.`,
      );
      if (!(await clock.sleep(delay, this.options.stopping))) return { kind: 'abandoned' };
    }
  }

  /**
   * Shapes the events with payload-template, then delivers them. When the template fails for an
   * event, the events before it are still delivered and that event is a permanent failure: the
   * checkpoint stops just before it.
   */
  private async deliverTemplated(
    events: readonly LogEvent[],
    onDelivered: (count: number) => void,
  ): Promise<DeliveryOutcome> {
    const { settings } = this.options;
    const template = settings.payloadTemplate;
    if (template === undefined) throw new Error('deliverTemplated without a template');
    const outcome = await applyTemplate(template, events, this.options.stopping);
    // Stopping: not sent, as a batch waiting for its turn would not be; the checkpoint stays before it.
    if (outcome.kind === 'stopped') return { kind: 'abandoned' };
    const shapedCount = outcome.results.length;
    if (shapedCount > 0) {
      const shaped = events.slice(0, shapedCount);
      const first = shaped[0] ?? {};
      const delivered = await this.deliver(
        {
          payload: buildPayload(settings.payloadFormat, shaped, settings, outcome.results),
          events: undefined,
          count: shaped.length,
          firstId: eventId(first) ?? '?',
          firstType: typeof first.type === 'string' ? first.type : '?',
        },
        onDelivered,
      );
      if (delivered.kind !== 'delivered') return delivered;
    }
    if (outcome.kind === 'shaped') return { kind: 'delivered' };
    const answer = `payload-template failed: ${outcome.problem}`;
    return {
      kind: 'failed',
      failure: {
        status: undefined,
        reason: 'payload-template',
        logId: outcome.logId,
        type: outcome.type,
        answer,
        attempts: 0,
        events: 1,
        message: `Not sent: ${answer}, for event ${outcome.logId} (type ${outcome.type}). The checkpoint stays before it; fix the template and re-run.`,
      },
    };
  }

  /**
   * Waits out an endpoint-wide Retry-After, then for this request's slot under minIntervalMs (and
   * again if a Retry-After arrived meanwhile); false when the run stops meanwhile.
   */
  private async waitForTurn(): Promise<boolean> {
    const { clock, stopping } = this.options;
    const interval = this.options.minIntervalMs ?? 0;
    for (;;) {
      if (!(await this.waitForEndpoint())) return false;
      if (interval <= 0) return true;
      const now = clock.now();
      const at = Math.max(now, this.nextSlot);
      this.nextSlot = at + interval;
      if (at > now && !((await clock.sleep(at - now, stopping)) && !stopping.aborted)) return false;
      if (this.holdUntil <= clock.now()) return true;
    }
  }

  /**
   * The beginning of an error answer, for quoting. When the body went on past what is read, its last
   * characters are dropped too: a secret cut in two there would not be recognised by `redact`.
   */
  private async readQuoted(body: Dispatcher.ResponseData['body']): Promise<string> {
    const { text, complete } = await readCapped(body, QUOTE_BYTES_CAP);
    if (complete) return text;
    const longest = Math.max(0, ...this.secrets.map((secret) => secret.length));
    return text.slice(0, Math.max(0, text.length - longest));
  }

  /** Waits out an endpoint-wide Retry-After; false when the run stops meanwhile. */
  private async waitForEndpoint(): Promise<boolean> {
    if (this.options.stopping.aborted) return false;
    const wait = this.holdUntil - this.options.clock.now();
    if (wait <= 0) return true;
    return (await this.options.clock.sleep(wait, this.options.stopping)) && !this.options.stopping.aborted;
  }

  private async attempt(body: string, contentType: string, webhookId: string): Promise<AttemptResult> {
    const { clock, settings } = this.options;
    const timestamp = Math.floor(clock.now() / 1000);
    const headers = [
      'content-type',
      contentType,
      'webhook-id',
      webhookId,
      'webhook-timestamp',
      String(timestamp),
      ...this.fixedHeaders,
    ];
    if (settings.webhookSecrets.length > 0) {
      headers.push('webhook-signature', signatureHeader(settings.webhookSecrets, webhookId, timestamp, body));
    }
    const timeLimit = requestSignal(this.options.abort, settings.requestTimeoutMs);
    const started = clock.now();
    this.stats.requests++;
    try {
      const response = await request(this.url, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.options.dispatcher,
        signal: timeLimit.signal,
      });
      const status = response.statusCode;
      if (status >= 200 && status < 300) {
        // An acknowledgment's body is never shown: drained (within the time limit: a body that never
        // ends is a timeout) so that the connection is reused, not decoded.
        await response.body.dump({ limit: 64 * 1024, signal: timeLimit.signal });
        this.options.onDebug(`Webhook POST ${webhookId} → ${status} in ${clock.now() - started}ms`);
        return { kind: 'ok' };
      }
      // Only the beginning is read (a receiver may answer with megabytes); redacted before it is cut
      // or its whitespace collapsed: a receiver may echo our credentials.
      const answer = snippet(redact(await this.readQuoted(response.body), this.secrets));
      this.options.onDebug(`Webhook POST ${webhookId} → ${status} in ${clock.now() - started}ms`);
      if (status === 408 || status === 429 || status >= 500) {
        const retryAfterMs = parseRetryAfter(
          headerValue(response.headers, 'retry-after'),
          clock.now(),
          RETRY_AFTER_CAP_MS,
        );
        return { kind: 'retry', status, reason: `answered ${status}`, answer, retryAfterMs };
      }
      if (status >= 300 && status < 400) {
        // Redirects are never followed: credentials and the body must not travel to another address.
        // Only the target's origin is quoted: a Location often echoes the URL's secret path or query.
        const location = headerValue(response.headers, 'location');
        return {
          kind: 'permanent',
          status,
          reason: `answered ${status}`,
          answer: `redirect to ${redirectTarget(location, this.url, this.secrets)} (not followed)`,
        };
      }
      return { kind: 'permanent', status, reason: `answered ${status}`, answer };
    } catch (error) {
      if (this.options.abort.aborted) return { kind: 'abandoned' };
      const reason = timeLimit.timedOut
        ? `timed out after ${settings.requestTimeoutMs / 1000}s`
        : `failed: ${describeNetworkError(error)}`;
      this.options.onDebug(`Webhook POST ${webhookId} ${reason} after ${clock.now() - started}ms`);
      return { kind: 'retry', status: undefined, reason, answer: reason, retryAfterMs: undefined };
    } finally {
      timeLimit.dispose();
    }
  }
}

function describeFailure(
  batch: SenderBatch,
  result: Extract<AttemptResult, { kind: 'retry' | 'permanent' }>,
  attempts: number,
): DeliveryFailure {
  const { firstId: logId, firstType: type } = batch;
  const what =
    batch.count === 1
      ? `event ${logId} (type ${type})`
      : `${batch.count} events from ${logId} (type ${type})`;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const reason =
    result.status === undefined
      ? result.reason.startsWith('timed out')
        ? 'timeout'
        : 'network error'
      : String(result.status);
  return {
    status: result.status,
    reason,
    logId,
    type,
    answer: result.answer,
    attempts,
    events: batch.count,
    // A network error or timeout has no answer of its own: its reason says it all.
    message:
      result.status === undefined
        ? `Webhook request for ${what} ${result.reason}${tries}.`
        : `Webhook ${result.reason}${tries} for ${what}: ${result.answer || '(empty answer)'}`,
  };
}

/** Where a refused redirect pointed, as urlForLog shows a URL (relative to the webhook URL). */
function redirectTarget(location: string | undefined, base: URL, secrets: readonly string[]): string {
  if (location === undefined) return '(no Location header)';
  try {
    return redact(urlForLog(new URL(location, base)), secrets);
  } catch {
    return 'a Location that is not a URL';
  }
}
