// What a chat message says about one event, before any service's markup: an emoji by level, the
// type's meaning and code, who, from where, which application and connection, when (UTC), the
// description and a link to the event in the Auth0 dashboard. Every value here is plain text taken
// from the event (data, never markup): each format escapes it for its service.

import { LOG_TYPES, type Level } from '../../auth0/log-types.js';
import { eventId, type LogEvent } from '../../auth0/log-event.js';

export interface EventFacts {
  logId: string;
  type: string;
  /** The type's meaning from the type table ('Unknown type' for a code it does not know). */
  meaning: string;
  level: Level | undefined;
  emoji: string;
  user: string | undefined;
  ip: string | undefined;
  application: string | undefined;
  connection: string | undefined;
  /** `2026-01-31 12:00:05 UTC`, or undefined without a valid `date`. */
  time: string | undefined;
  /** The event's `date` as ISO-8601 (for Discord's embed timestamp). */
  isoTime: string | undefined;
  description: string | undefined;
  /** The event in the Auth0 dashboard, when the tenant domain is canonical. */
  link: string | undefined;
}

/** What the formats need besides the events. */
export interface ChatContext {
  /** The tenant domain as configured (`acme.us.auth0.com`, or a custom domain / loopback host). */
  auth0Domain: string;
}

const EMOJI_BY_LEVEL: readonly string[] = ['⚪', '🟢', '🟠', '🔴', '🚨'];
const UNKNOWN_LEVEL_EMOJI = '❔';
export const LEVEL_COLORS: readonly number[] = [0x9e9e9e, 0x2e7d32, 0xef6c00, 0xc62828, 0x6a1b9a];

export function describeEvent(event: LogEvent, context: ChatContext): EventFacts {
  const type = plain(event.type) ?? '?';
  const info = LOG_TYPES.get(type);
  const level = info?.level;
  const logId = plain(eventId(event)) ?? '?';
  const date = typeof event.date === 'string' ? new Date(event.date) : undefined;
  const valid = date !== undefined && !Number.isNaN(date.getTime());
  return {
    logId,
    type,
    meaning: info?.description ?? 'Unknown type',
    level,
    emoji: level === undefined ? UNKNOWN_LEVEL_EMOJI : (EMOJI_BY_LEVEL[level] ?? UNKNOWN_LEVEL_EMOJI),
    user: plain(event.user_name) ?? plain(event.user_id),
    ip: plain(event.ip) ?? plain(event.client_ip),
    application: plain(event.client_name) ?? plain(event.client_id),
    connection: plain(event.connection),
    time: valid ? `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC` : undefined,
    isoTime: valid ? date.toISOString() : undefined,
    description: plain(event.description),
    link: eventId(event) === undefined ? undefined : dashboardLogUrl(context.auth0Domain, logId),
  };
}

// Canonical tenant domains: `{tenant}.{region}.auth0.com`, or `{tenant}.auth0.com` for the original US region.
const CANONICAL_DOMAIN = /^([a-z0-9][a-z0-9-]*)\.(?:([a-z0-9]+)\.)?auth0\.com$/;

/**
 * The event's page in the Auth0 dashboard: `https://manage.auth0.com/dashboard/{region}/{tenant}/logs/{log_id}`
 * (the dashboard's own addresses: `/dashboard/{region}/{tenant}/logs` lists the tenant's logs). Only for
 * a canonical domain: a custom domain does not say which tenant or region it belongs to.
 */
export function dashboardLogUrl(auth0Domain: string, logId: string): string | undefined {
  const match = CANONICAL_DOMAIN.exec(auth0Domain.toLowerCase());
  if (!match) return undefined;
  const [, tenant, region = 'us'] = match;
  return `https://manage.auth0.com/dashboard/${region}/${tenant}/logs/${encodeURIComponent(logId)}`;
}

// Control characters (C0, DEL, C1) and the bidirectional overrides that could reorder what a reader sees.

const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A field as one line of plain text: strings and numbers only (an object is not a name), control and
 * bidi-override characters as spaces, lone surrogates replaced, trimmed; undefined when empty.
 */
export function plain(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).replace(LONE_SURROGATE, '\ufffd').replace(UNSAFE_CHARACTERS, ' ').trim();
  return text === '' ? undefined : text;
}

/** The first `max` UTF-16 units of `text`, never splitting a surrogate pair. */
export function slice(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = max > 0 && /[\ud800-\udbff]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return text.slice(0, Math.max(0, end));
}

export const ELLIPSIS = '…';

export interface Fitted {
  text: string;
  /** True when the text had to be shortened. */
  cut: boolean;
}

/**
 * Escapes `raw` and shortens it until the escaped text (with an ellipsis when cut) is at most `max`
 * UTF-16 units. Cutting the raw text, not the escaped one, never leaves half an escape (`&am`, a lone `\`).
 * Lengths are UTF-16 units: never fewer than the characters or code points the services count.
 */
export function fit(raw: string, max: number, escape: (text: string) => string): Fitted {
  const whole = escape(raw);
  if (whole.length <= max) return { text: whole, cut: false };
  if (max < ELLIPSIS.length) return { text: '', cut: true };
  let keep = Math.min(raw.length, max);
  for (;;) {
    const text = escape(slice(raw, keep).trimEnd()) + ELLIPSIS;
    if (text.length <= max || keep === 0) return { text: text.length <= max ? text : ELLIPSIS, cut: true };
    // Shrink in proportion to the overflow (escapes may expand the text several times), at least by one.
    keep = Math.max(
      0,
      Math.min(keep - 1, Math.floor((keep * (max - ELLIPSIS.length)) / (text.length - ELLIPSIS.length))),
    );
  }
}

/** Records whether anything in one message was shortened, so the message can say so. */
export class CutTracker {
  cut = false;
  fit(raw: string, max: number, escape: (text: string) => string): string {
    const fitted = fit(raw, max, escape);
    if (fitted.cut) this.cut = true;
    return fitted.text;
  }
}

/** "3 × Failed Login (f), 1 × Success Login (s)": what a digest holds, for its headline and fallback. */
export function countsByType(facts: readonly EventFacts[]): string {
  const counts = new Map<string, number>();
  for (const fact of facts) counts.set(fact.type, (counts.get(fact.type) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([type, count]) => `${count} × ${LOG_TYPES.get(type)?.description ?? 'Unknown type'} (${type})`)
    .join(', ');
}

/** The named details an event has, in the order messages show them. */
export function details(fact: EventFacts): Array<[name: string, value: string]> {
  const all: Array<[string, string | undefined]> = [
    ['User', fact.user],
    ['IP', fact.ip],
    ['Application', fact.application],
    ['Connection', fact.connection],
    ['Time', fact.time],
  ];
  return all.filter((entry): entry is [string, string] => entry[1] !== undefined);
}
