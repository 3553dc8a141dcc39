// The shared shape of the chat-service fakes (Slack, Discord, Teams): a recording webhook that checks
// the content type, validates each body with the service's documented rules, and enforces a
// rate limit, answering as the service does. Each service's fake says what it checks and how it answers.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from './http-util.js';
import { FakeWebhook, type WebhookRequest } from './webhook.js';

export interface RateLimit {
  /** Requests allowed in a burst (the bucket's size). */
  burst: number;
  /** One more request is allowed every this many ms (the bucket's refill). */
  refillMs: number;
}

export interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export abstract class ChatServiceFake extends FakeWebhook {
  /** Bodies accepted (parsed), in arrival order. */
  readonly messages: unknown[] = [];
  /** Requests refused with 429. */
  rateLimited = 0;
  private tokens: number;
  private refilledAt = Date.now();

  constructor(readonly rate: RateLimit) {
    super();
    this.tokens = rate.burst;
  }

  /** The answer to a body that breaks the service's rules, or undefined when it is valid. */
  protected abstract check(body: unknown, bytes: number): Answer | undefined;
  protected abstract accepted(): Answer;
  protected abstract tooMany(retryAfterMs: number): Answer;
  protected abstract unreadable(): Answer;

  protected override async handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const record = this.record(req, body);
    const answer = this.answer(record);
    record.status = answer.status;
    send(res, answer.status, answer.body, answer.headers ?? {});
    return Promise.resolve();
  }

  private answer(record: WebhookRequest): Answer {
    const waitMs = this.take();
    if (waitMs > 0) {
      this.rateLimited++;
      return this.tooMany(waitMs);
    }
    if (record.method !== 'POST') return { status: 405, body: 'method not allowed' };
    if (!(record.headers['content-type'] ?? '').toLowerCase().startsWith('application/json'))
      return this.unreadable();
    let parsed: unknown;
    try {
      parsed = JSON.parse(record.body);
    } catch {
      return this.unreadable();
    }
    const problem = this.check(parsed, Buffer.byteLength(record.body));
    if (problem) return problem;
    this.messages.push(parsed);
    return this.accepted();
  }

  /** Takes a token; returns 0, or how long until one is free. */
  private take(): number {
    const now = Date.now();
    const refills = Math.floor((now - this.refilledAt) / this.rate.refillMs);
    if (refills > 0) {
      this.tokens = Math.min(this.rate.burst, this.tokens + refills);
      this.refilledAt += refills * this.rate.refillMs;
    }
    if (this.tokens >= 1) {
      this.tokens--;
      return 0;
    }
    return Math.max(1, this.refilledAt + this.rate.refillMs - now);
  }
}

/** Seconds with millisecond precision, as a Retry-After value (real services round to whole seconds). */
export function retryAfterSeconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
