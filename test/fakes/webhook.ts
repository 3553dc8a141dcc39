// A recording webhook receiver on 127.0.0.1. Every request is kept (method, url, headers, raw body,
// arrival index, the status it was answered with); `respond` decides the answer.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogEvent } from './events.js';
import { flatHeaders, LoopbackServer, send, sendStreamed, type StreamedBody } from './http-util.js';

export interface WebhookRequest {
  /** Arrival order, from 0. */
  index: number;
  method: string;
  /** Path and query as received. */
  url: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
  /** Status answered (undefined while pending or when the connection was destroyed). */
  status?: number;
  /** For a `streamed` answer: bytes written before it ended or the client closed the connection. */
  sent?: number;
}

export interface WebhookResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Close the connection without answering. */
  destroy?: boolean;
  /** A body of this size, streamed (not built in memory); `body` is ignored. */
  streamed?: StreamedBody;
}

export type Responder = (req: WebhookRequest, index: number) => WebhookResponse | Promise<WebhookResponse>;

export const OK: Responder = () => ({ status: 200, body: 'ok' });

export class FakeWebhook extends LoopbackServer {
  readonly requests: WebhookRequest[] = [];
  /** How requests are answered. Default 200 "ok". */
  respond: Responder = OK;
  /** Keeps the request (in arrival order) and returns its record. */
  protected record(req: IncomingMessage, body: string): WebhookRequest {
    const record: WebhookRequest = {
      index: this.requests.length,
      method: req.method ?? '',
      url: req.url ?? '',
      headers: flatHeaders(req),
      body,
    };
    this.requests.push(record);
    return record;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const record = this.record(req, body);
    const answer = await this.respond(record, record.index);
    if (answer.destroy) {
      res.destroy();
      return;
    }
    record.status = answer.status;
    if (answer.streamed) return this.stream(record, res, answer);
    send(res, answer.status, answer.body ?? '', {
      'content-type': 'text/plain; charset=utf-8',
      ...answer.headers,
    });
  }

  /** Answers with a streamed body; `record.sent` says how much of it the client took. */
  protected async stream(
    record: WebhookRequest,
    res: ServerResponse,
    answer: WebhookResponse,
  ): Promise<void> {
    if (!answer.streamed) return;
    record.sent = await sendStreamed(res, answer.status, answer.streamed, {
      'content-type': 'text/plain; charset=utf-8',
      ...answer.headers,
    });
  }

  /** `{origin}/hook` */
  get url(): string {
    return `${this.origin}/hook`;
  }

  /** Requests answered with a 2xx. */
  acknowledged(): WebhookRequest[] {
    return this.requests.filter((r) => r.status !== undefined && r.status >= 200 && r.status < 300);
  }

  /** Events of every request answered 2xx, in arrival order. */
  deliveredEvents(): LogEvent[] {
    return this.acknowledged().flatMap((r) => eventsOf(r));
  }

  /** log_ids of deliveredEvents(). */
  deliveredIds(): string[] {
    return this.deliveredEvents().map((e) => e.log_id);
  }

  /** log_ids of every request's events, answered or not. */
  sentIds(): string[] {
    return this.requests.flatMap((r) => eventsOf(r).map((e) => e.log_id));
  }
}

/**
 * The events in one request body: `application/x-ndjson` as lines, JSON as one object or an array.
 * Throws on a body that is neither.
 */
export function eventsOf(req: WebhookRequest): LogEvent[] {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/x-ndjson')) {
    return req.body
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LogEvent);
  }
  const parsed: unknown = JSON.parse(req.body);
  return Array.isArray(parsed) ? (parsed as LogEvent[]) : [parsed as LogEvent];
}
