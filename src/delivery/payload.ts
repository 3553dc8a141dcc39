import type { PayloadFormat } from '../settings.js';
import { eventId, type LogEvent } from '../auth0/log-event.js';
import { chatMessage, isChatFormat } from './formats/index.js';
import type { ChatContext } from './formats/describe.js';

export interface Payload {
  body: string;
  contentType: string;
  /** One event: its log_id (`object`, a chat message); several: `{first}-{last}` (`array`/`lines` also for one). */
  webhookId: string;
  /**
   * The events, kept only when the body cannot give them back (a chat message, a template's
   * result), so that a 413 can still be split in halves.
   */
  events?: readonly LogEvent[];
}

/**
 * The request body for consecutive matching events. Built once, so a retry resends it byte for byte.
 * `shaped`: the template's results for the events (one each), which replace them in the body.
 */
export function buildPayload(
  format: PayloadFormat,
  events: readonly LogEvent[],
  context: ChatContext,
  shaped?: readonly unknown[],
): Payload {
  const first = eventId(events[0] ?? {}) ?? '';
  const last = eventId(events[events.length - 1] ?? {}) ?? '';
  const range = `${first}-${last}`;
  const items: readonly unknown[] = shaped ?? events;
  const kept = shaped === undefined ? {} : { events };
  if (isChatFormat(format)) {
    return {
      body: JSON.stringify(chatMessage(format, events, context)),
      contentType: 'application/json',
      webhookId: events.length === 1 ? first : range,
      events,
    };
  }
  switch (format) {
    case 'object':
      if (events.length !== 1) throw new Error(`object payloads carry one event, not ${events.length}`);
      return { body: JSON.stringify(items[0]), contentType: 'application/json', webhookId: first, ...kept };
    case 'array':
      return { body: JSON.stringify(items), contentType: 'application/json', webhookId: range, ...kept };
    case 'lines':
      return {
        body: items.map((item) => JSON.stringify(item)).join('\n') + '\n',
        contentType: 'application/x-ndjson',
        webhookId: range,
        ...kept,
      };
  }
}

/**
 * The events a body carries, for splitting a batch after a 413: the kept events, or else the inverse
 * of buildPayload (the pipeline keeps bodies, not events, while requests wait). JSON.stringify never
 * writes a raw newline, so `lines` splits safely; re-serialising a parsed event gives the same bytes.
 */
export function eventsOfPayload(format: PayloadFormat, payload: Payload): LogEvent[] {
  if (payload.events !== undefined) return [...payload.events];
  const { body } = payload;
  switch (format) {
    case 'object':
      return [JSON.parse(body) as LogEvent];
    case 'array':
      return JSON.parse(body) as LogEvent[];
    case 'lines':
      return body
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as LogEvent);
    default:
      throw new Error(`a ${format} body keeps its events`);
  }
}
