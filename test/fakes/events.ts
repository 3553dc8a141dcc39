// Deterministic, realistic-looking Auth0 log events for the fakes and the e2e tests.
//
// log_id = `900` + UTC `YYYYMMDDhhmmss` of the event's date + 39 digits. The 39 digits are a
// zero-padded sequence number, so ids strictly ascend even for several events in one second, and
// every id of one series has the same width (56), so string order is numeric order.

export interface LogEvent {
  log_id: string;
  date: string;
  type: string;
  description: string;
  client_id: string;
  client_name: string;
  ip: string;
  user_agent: string;
  user_id: string;
  user_name: string;
  connection: string;
  connection_id: string;
  strategy: string;
  strategy_type: string;
  hostname: string;
  audience?: string;
  scope?: string;
  isMobile: boolean;
  details: Record<string, unknown>;
}

export interface MakeEventsOptions {
  /** Date of the first event. Default 2026-11-01T00:00:00Z (or just after `after`). */
  start?: Date | string;
  /** Seconds between consecutive events (default 3). 0 puts every event in the same second. */
  stepSeconds?: number;
  /** PRNG seed (default 1). Same seed, same events. */
  seed?: number;
  /** Force a cycle of types: event i gets types[i % types.length]. Default: a weighted mix. */
  types?: readonly string[];
  /** Continue a series: start one step after this event, sequence numbers after its own. */
  after?: LogEvent;
  /** First sequence number (default 1, or after's + 1). */
  seqStart?: number;
  /**
   * Pads each event's `details` with a request body of about this many characters, as Management API
   * operations and Action failures carry (100 such events of 15 KB make a page of 1.5 MB).
   */
  detailBytes?: number;
}

export const DEFAULT_START = '2026-11-01T00:00:00.000Z';

/** The default mix (weights): mostly logins, some failures, Management API noise to filter out. */
export const DEFAULT_TYPE_MIX: ReadonlyArray<readonly [type: string, weight: number]> = [
  ['s', 30],
  ['f', 6],
  ['fp', 8],
  ['fu', 5],
  ['limit_wc', 2],
  ['limit_mu', 1],
  ['sapi', 6],
  ['fapi', 3],
  ['mgmt_api_read', 6],
  ['seacft', 10],
  ['seccft', 5],
  ['w', 3],
  ['depnote', 1],
  ['du', 1],
  ['ss', 3],
  ['slo', 4],
  ['api_limit', 1],
  ['gd_send_sms', 2],
  ['pwd_leak', 1],
  ['fcoa', 1],
  ['cls', 2],
];

const DESCRIPTIONS: Record<string, string> = {
  s: 'Success Login',
  f: 'Failed Login',
  fp: 'Wrong email or password.',
  fu: 'Wrong email or password.',
  limit_wc: 'Blocked Account: too many failed login attempts',
  limit_mu: 'Blocked IP Address: too many attempts for multiple users',
  sapi: 'Update a client',
  fapi: 'Failed API Operation',
  mgmt_api_read: 'Get users',
  seacft: 'Authorization Code for Access Token',
  seccft: 'Client Credentials for Access Token',
  w: 'Warning During Login',
  depnote: 'Deprecation Notice: legacy rules are deprecated',
  du: 'Deleted User',
  ss: 'Success Signup',
  slo: 'User successfully logged out',
  api_limit: 'Rate limit exceeded',
  gd_send_sms: 'MFA SMS sent',
  pwd_leak: 'Breached password',
  fcoa: 'Failed cross-origin authentication',
  cls: 'Passwordless link sent',
};

const USER_AGENTS = [
  'Chrome 131.0.0 / Mac OS X 10.15.7',
  'Firefox 133.0.0 / Windows 10.0.0',
  'Safari 18.1.0 / iOS 18.1.0',
  'node-fetch 1.0.0 / Other 0.0.0',
  'Edge 131.0.0 / Windows 10.0.0',
];
const CLIENTS: ReadonlyArray<readonly [id: string, name: string]> = [
  ['k3T9uXwZqf0cRbN2LmV8aHs1pYd4eGj7', 'Acme Web'],
  ['Qm7vB2nX9cL4kP1sT8wR6yH3jF5dA0zE', 'Acme Mobile'],
  ['Zt4yN8wQ1rV6mC3xB9kL2pS7hJ5fG0dA', 'Acme Ops M2M'],
];
const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'];

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** `900` + UTC YYYYMMDDhhmmss + the sequence number zero-padded to 39 digits. */
export function logIdFor(date: Date, seq: number): string {
  const time =
    String(date.getUTCFullYear()).padStart(4, '0') +
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes()) +
    two(date.getUTCSeconds());
  return `900${time}${String(seq).padStart(39, '0')}`;
}

/** The sequence number at the end of an id made by logIdFor. */
export function seqOf(logId: string): number {
  return Number(logId.slice(17));
}

function detailsFor(type: string, user: string, rnd: () => number): Record<string, unknown> {
  switch (type) {
    case 'f':
    case 'fp':
    case 'fu':
      return {
        error: { message: type === 'f' ? 'Invalid credentials' : 'Wrong email or password.' },
        stats: { loginsCount: Math.floor(rnd() * 50) },
      };
    case 'limit_wc':
    case 'limit_mu':
      return { failedAttempts: 10 + Math.floor(rnd() * 10), blocked_ip: true };
    case 'sapi':
    case 'fapi':
    case 'mgmt_api_read':
      return {
        request: {
          method: type === 'mgmt_api_read' ? 'get' : 'patch',
          path: '/api/v2/clients/k3T9uXwZqf0cRbN2LmV8aHs1pYd4eGj7',
          query: {},
          auth: { strategy: 'jwt', credentials: { scopes: ['read:clients', 'update:clients'] } },
        },
        response: { statusCode: type === 'fapi' ? 403 : 200 },
      };
    case 'seacft':
    case 'seccft':
      return { code: '*************' + Math.floor(rnd() * 1e6).toString(36) };
    case 'depnote':
      return { feature: { id: 'legacy_rules', name: 'Rules' }, url: 'https://auth0.com/docs/rules' };
    case 'du':
      return { user: `${user}@example.com` };
    default:
      return { prompts: [{ name: 'login', completedAt: 0, elapsedTime: Math.floor(rnd() * 900) }] };
  }
}

/** One event; `rnd` picks the incidental fields. */
export function makeEvent(date: Date, seq: number, type: string, rnd: () => number = prng(seq)): LogEvent {
  const n = Math.floor(rnd() * NAMES.length);
  const name = NAMES[n] ?? 'alice';
  const [clientId, clientName] = CLIENTS[Math.floor(rnd() * CLIENTS.length)] ?? CLIENTS[0]!;
  const ip = `203.0.113.${1 + Math.floor(rnd() * 250)}`;
  const userHex = Math.floor(rnd() * 0xffffffff)
    .toString(16)
    .padStart(8, '0');
  return {
    log_id: logIdFor(date, seq),
    date: date.toISOString(),
    type,
    description: DESCRIPTIONS[type] ?? `Event of type ${type}`,
    client_id: clientId,
    client_name: clientName,
    ip,
    user_agent: USER_AGENTS[Math.floor(rnd() * USER_AGENTS.length)] ?? 'curl 8.0.0 / Other 0.0.0',
    user_id: `auth0|6543${userHex}${String(n).padStart(12, '0')}`,
    user_name: `${name}@example.com`,
    connection: 'Username-Password-Authentication',
    connection_id: 'con_8Zq2Nf3pRt0vYx1w',
    strategy: 'auth0',
    strategy_type: 'database',
    hostname: 'acme.us.auth0.com',
    ...(type === 'seccft' ? { audience: 'https://api.acme.example/', scope: 'read:things' } : {}),
    isMobile: rnd() < 0.3,
    details: detailsFor(type, name, rnd),
  };
}

function pickWeighted(rnd: () => number): string {
  const total = DEFAULT_TYPE_MIX.reduce((sum, [, w]) => sum + w, 0);
  let x = rnd() * total;
  for (const [type, w] of DEFAULT_TYPE_MIX) {
    if (x < w) return type;
    x -= w;
  }
  return 's';
}

/** `count` events, ascending by log_id and date. Deterministic for the same options. */
export function makeEvents(count: number, opts: MakeEventsOptions = {}): LogEvent[] {
  const step = opts.stepSeconds ?? 3;
  const rnd = prng(opts.seed ?? (opts.after ? seqOf(opts.after.log_id) + 7919 : 1));
  let startMs: number;
  if (opts.start !== undefined) startMs = new Date(opts.start).getTime();
  else if (opts.after) startMs = new Date(opts.after.date).getTime() + Math.max(step, 1) * 1000;
  else startMs = new Date(DEFAULT_START).getTime();
  const seq0 = opts.seqStart ?? (opts.after ? seqOf(opts.after.log_id) + 1 : 1);
  const events: LogEvent[] = [];
  for (let i = 0; i < count; i++) {
    const type = opts.types && opts.types.length > 0 ? opts.types[i % opts.types.length]! : pickWeighted(rnd);
    const event = makeEvent(new Date(startMs + i * step * 1000), seq0 + i, type, rnd);
    if (opts.detailBytes)
      event.details = { ...event.details, request: { body: largeText(opts.detailBytes, seq0 + i) } };
    events.push(event);
  }
  return events;
}

/** The same event with another type (description and details follow the type). */
export function withType(event: LogEvent, type: string): LogEvent {
  const rebuilt = makeEvent(new Date(event.date), seqOf(event.log_id), type);
  return { ...rebuilt, log_id: event.log_id };
}

/** `bytes` characters of JSON-ish text that differ per event (escapes and non-ASCII included). */
function largeText(bytes: number, seed: number): string {
  const words = ['"quoted"', 'back\\slash', 'tab\t', 'café', 'ünïcödé', `n${seed}`, 'x'.repeat(40)];
  const rnd = prng(seed);
  let text = '';
  while (text.length < bytes) text += `${words[Math.floor(rnd() * words.length)]} `;
  return text.slice(0, bytes);
}
