import type { PayloadFormat } from '../settings.js';
import { eventId, type LogEvent } from '../auth0/log-event.js';

export interface Payload {
  body: string;
  contentType: string;
  /** `object`: the event's log_id; `array`/`lines`: `{first}-{last}`, also for one event. */
  webhookId: string;
}

/** The request body for consecutive matching events. Built once, so a retry resends it byte for byte. */
export function buildPayload(format: PayloadFormat, events: readonly LogEvent[]): Payload {
  const first = eventId(events[0] ?? {}) ?? '';
  const last = eventId(events[events.length - 1] ?? {}) ?? '';
  switch (format) {
    case 'object':
      if (events.length !== 1) throw new Error(`object payloads carry one event, not ${events.length}`);
      return { body: JSON.stringify(events[0]), contentType: 'application/json', webhookId: first };
    case 'array':
      return { body: JSON.stringify(events), contentType: 'application/json', webhookId: `${first}-${last}` };
    case 'lines':
      return {
        body: events.map((event) => JSON.stringify(event)).join('\n') + '\n',
        contentType: 'application/x-ndjson',
        webhookId: `${first}-${last}`,
      };
  }
}

/**
 * The events a body carries: the inverse of buildPayload, for splitting a batch after a 413 (the
 * pipeline keeps bodies, not events, while requests wait). JSON.stringify never writes a raw newline,
 * so `lines` splits safely; re-serialising a parsed event gives the same bytes.
 */
export function eventsOfPayload(format: PayloadFormat, body: string): LogEvent[] {
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
  }
}
