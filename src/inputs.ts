// Reads and validates every action input (SPEC "Inputs") into one Settings object.
// Pure apart from the default reader: no logging, no masking, no network.

import * as core from '@actions/core';
import { cursorFromDate, dateFromLogId, LOG_ID_LENGTH, OLDEST_CURSOR, utcDate } from './cursor.js';
import { parseDuration } from './duration.js';
import { InputError, type CheckpointStoreKind, type PayloadFormat, type Settings } from './settings.js';

/** Returns an input's value, `''` when it is unset. */
export type InputReader = (name: string) => string;

/** Every input, in the order of action.yml (and of validation). */
export const INPUT_NAMES = [
  'auth0-domain',
  'auth0-client-id',
  'auth0-client-secret',
  'webhook-url',
  'webhook-authorization',
  'webhook-headers',
  'webhook-secret',
  'log-types',
  'log-level',
  'payload-format',
  'batch-size',
  'concurrency',
  'max-attempts',
  'request-timeout',
  'start-from',
  'checkpoint-store',
  'checkpoint-name',
  'github-token',
  'max-runtime',
  'dry-run',
] as const;

export type InputName = (typeof INPUT_NAMES)[number];

/**
 * action.yml's defaults, applied here too (a unit test or a caller may pass `''`). Inputs without an
 * entry default to `''`; `github-token`'s default `${{ github.token }}` can only be applied by the
 * runner, so here an empty token stays empty.
 */
export const INPUT_DEFAULTS: Readonly<Partial<Record<InputName, string>>> = {
  'payload-format': 'object',
  concurrency: '5',
  'max-attempts': '5',
  'request-timeout': '10s',
  'start-from': 'oldest',
  'checkpoint-store': 'cache',
  'max-runtime': '10m',
  'dry-run': 'false',
};

/** Inputs whose value never appears in an error message. */
export const SECRET_INPUTS: ReadonlySet<InputName> = new Set<InputName>([
  'auth0-client-secret',
  'webhook-authorization',
  'webhook-secret',
  'github-token',
]);

/** Longest accepted value, in UTF-16 code units, checked before anything else. */
export const MAX_INPUT_LENGTH = 10_000;
/** Longest accepted value of the multi-line inputs `webhook-headers` and `webhook-secret`. */
export const MAX_MULTILINE_INPUT_LENGTH = 64 * 1024;
const MULTILINE_INPUTS: ReadonlySet<InputName> = new Set<InputName>(['webhook-headers', 'webhook-secret']);

export const MAX_REQUEST_TIMEOUT_MS = 5 * 60_000;
export const MAX_RUNTIME_MS = 6 * 3_600_000;
/** Cache keys are at most 512 characters (@actions/cache). */
export const MAX_CACHE_KEY_LENGTH = 512;
/**
 * Room kept for what the cache store appends to the prefix: `{run_id}-{run_attempt}` and, for a
 * second save in one run, `-{n}` (e.g. `12345678901-3-2`; run ids may grow to 20 digits).
 */
export const CACHE_KEY_SUFFIX_RESERVE = 40;
/**
 * A `log_id` given as `start-from` may embed a time this far after the runner's clock (the id came
 * from Auth0's clock); beyond it, it is an error like any future time.
 */
const LOG_ID_CLOCK_SKEW_MS = 5 * 60_000;

const EXAMPLES: Readonly<Record<InputName, string>> = {
  'auth0-domain': 'acme.us.auth0.com',
  'auth0-client-id': '${{ secrets.AUTH0_CLIENT_ID }}',
  'auth0-client-secret': '${{ secrets.AUTH0_CLIENT_SECRET }}',
  'webhook-url': 'https://hooks.example.com/auth0',
  'webhook-authorization': 'Bearer ${{ secrets.WEBHOOK_TOKEN }}',
  'webhook-headers': "'X-Source: auth0' (one 'Name: value' a line)",
  'webhook-secret':
    '${{ secrets.WEBHOOK_SECRET }} holding whsec_ + base64 of 24-64 random bytes (openssl rand -base64 32)',
  'log-types': 'f,fp,limit_wc',
  'log-level': '3',
  'payload-format': 'array',
  'batch-size': '50',
  concurrency: '5',
  'max-attempts': '5',
  'request-timeout': '10s',
  'start-from': "24h (or 'oldest', 'now', 2026-01-31T12:00:00Z, a 56-digit log_id)",
  'checkpoint-store': 'variable',
  'checkpoint-name': 'prod-tenant',
  'github-token': '${{ secrets.CHECKPOINT_TOKEN }}',
  'max-runtime': '10m',
  'dry-run': 'true',
};

// Response headers and framing we set ourselves, or that undici's fetch refuses or owns.
const RESERVED_HEADERS: ReadonlyMap<string, string> = new Map([
  ['authorization', "use the input 'webhook-authorization' for it"],
  ['content-type', 'it is set from payload-format'],
  ['content-length', 'it is computed from the body'],
  ['user-agent', 'the action sets it'],
  ['host', 'it comes from webhook-url'],
  ['webhook-id', 'the action sets it (Standard Webhooks)'],
  ['webhook-timestamp', 'the action sets it (Standard Webhooks)'],
  ['webhook-signature', "the action sets it from 'webhook-secret'"],
  ['connection', 'it is a hop-by-hop header the HTTP client manages'],
  ['keep-alive', 'it is a hop-by-hop header the HTTP client manages'],
  ['proxy-connection', 'it is a hop-by-hop header the HTTP client manages'],
  ['transfer-encoding', 'it is a hop-by-hop header the HTTP client manages'],
  ['te', 'it is a hop-by-hop header the HTTP client manages'],
  ['trailer', 'it is a hop-by-hop header the HTTP client manages'],
  ['upgrade', 'it is a hop-by-hop header the HTTP client manages'],
  ['expect', 'the HTTP client does not support it'],
]);

const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const LOG_TYPE_CODE = /^[a-z0-9_]+$/i;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;
// Schemes safe to name in an error (a made-up "scheme" may be the user part of `user:pass@host`).
const KNOWN_SCHEMES = new Set([
  'file:',
  'data:',
  'ftp:',
  'ws:',
  'wss:',
  'javascript:',
  'mailto:',
  'blob:',
  'ssh:',
]);

/**
 * Reads every input and returns the validated Settings. Throws an InputError for the first invalid
 * input: first any oversized value, then the inputs in the order of action.yml.
 */
export function getSettings(
  read: InputReader = (name) => core.getInput(name),
  now: Date = new Date(),
): Settings {
  const raw = new Map<InputName, string>();
  for (const name of INPUT_NAMES) {
    const value = String(read(name) ?? '');
    const limit = MULTILINE_INPUTS.has(name) ? MAX_MULTILINE_INPUT_LENGTH : MAX_INPUT_LENGTH;
    if (value.length > limit)
      fail(name, `is ${value.length} characters long, more than the ${limit} allowed`);
    raw.set(name, value);
  }
  /** The trimmed value, or the default when it is empty. */
  const input = (name: InputName): string => (raw.get(name) ?? '').trim() || (INPUT_DEFAULTS[name] ?? '');
  const required = (name: InputName): string => {
    const value = input(name);
    if (value === '')
      fail(name, 'is required but empty (an unset secret or variable arrives as an empty string)');
    return value;
  };

  const { origin: auth0Origin, host: auth0Domain } = parseAuth0Domain(required('auth0-domain'));
  const clientId = required('auth0-client-id');
  checkNoControlCharacters('auth0-client-id', clientId);
  const clientSecret = required('auth0-client-secret');
  checkNoControlCharacters('auth0-client-secret', clientSecret);

  const webhookUrl = parseWebhookUrl(required('webhook-url'));
  const webhookUrlForLog = webhookUrl.origin + webhookUrl.pathname;
  const authorization = input('webhook-authorization');
  if (authorization !== '') checkHeaderValue('webhook-authorization', authorization, 'it');
  const webhookHeaders = parseWebhookHeaders(input('webhook-headers'));
  const webhookSecrets = parseWebhookSecrets(input('webhook-secret'));

  const logTypes = parseLogTypes(input('log-types'));
  const logLevelText = input('log-level');
  let logLevel: number | undefined;
  if (logLevelText !== '') {
    if (!/^[0-4]$/.test(logLevelText)) {
      fail(
        'log-level',
        `${quote(logLevelText)} is not a level from 0 to 4 (0 debug, 1 info, 2 warning, 3 error, 4 critical)`,
      );
    }
    logLevel = Number(logLevelText);
  }

  const payloadFormat = oneOf('payload-format', input('payload-format'), [
    'object',
    'array',
    'lines',
  ] as const);
  const batchSizeText = input('batch-size');
  const batchSize =
    batchSizeText === ''
      ? payloadFormat === 'object'
        ? 1
        : 100
      : integer('batch-size', batchSizeText, 1, 100);
  if (payloadFormat === 'object' && batchSize > 1) {
    fail(
      'batch-size',
      `is ${batchSize}, but payload-format 'object' sends one event per request; set payload-format to 'array' or 'lines' to batch`,
    );
  }
  const concurrency = integer('concurrency', input('concurrency'), 1, 100);
  const maxAttempts = integer('max-attempts', input('max-attempts'), 1, 20);
  const requestTimeoutMs = duration(
    'request-timeout',
    input('request-timeout'),
    MAX_REQUEST_TIMEOUT_MS,
    '5m',
  );

  const startFromLabel = input('start-from');
  const startCursor = parseStartFrom(startFromLabel, now);

  const checkpointStore = oneOf('checkpoint-store', input('checkpoint-store'), [
    'cache',
    'variable',
  ] as const);
  const checkpointName = parseCheckpointName(input('checkpoint-name'), checkpointStore, auth0Domain);

  const githubToken = input('github-token');
  if (githubToken === '' && checkpointStore === 'variable') {
    fail(
      'github-token',
      'is empty, but checkpoint-store \'variable\' reads and writes a repository variable with it; pass a fine-grained personal access token or GitHub App token with "Variables: read and write" (GITHUB_TOKEN cannot write variables)',
    );
  }
  if (githubToken !== '' && !/^[\x21-\x7e]+$/.test(githubToken)) {
    fail('github-token', 'contains whitespace, control or non-ASCII characters, which no GitHub token has');
  }

  const maxRuntimeMs = duration('max-runtime', input('max-runtime'), MAX_RUNTIME_MS, '6h');
  const dryRun = oneOf('dry-run', input('dry-run'), ['true', 'false'] as const) === 'true';

  return {
    auth0Origin,
    auth0Domain,
    clientId,
    clientSecret,
    webhookUrl,
    webhookUrlForLog,
    webhookAuthorization: authorization === '' ? undefined : authorization,
    webhookHeaders,
    webhookSecrets,
    logTypes,
    logLevel,
    payloadFormat: payloadFormat satisfies PayloadFormat,
    batchSize,
    concurrency,
    maxAttempts,
    requestTimeoutMs,
    startCursor,
    startFromLabel,
    checkpointStore: checkpointStore satisfies CheckpointStoreKind,
    checkpointName,
    githubToken,
    maxRuntimeMs,
    dryRun,
  };
}

function fail(name: InputName, problem: string): never {
  throw new InputError(name, problem, EXAMPLES[name]);
}

// ---------------------------------------------------------------------------------------------
// Quoting and character checks

const SHOWN_CHARACTERS = 80;

/**
 * A user's (non-secret) value for an error message: single-quoted, at most 80 characters, control,
 * invisible and bidi characters escaped so the message stays one honest line.
 */
export function quote(value: string): string {
  const chars = Array.from(value);
  const shown = chars
    .slice(0, SHOWN_CHARACTERS)
    .join('')
    .replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff'\\]/g, (c) => {
      switch (c) {
        case '\n':
          return '\\n';
        case '\r':
          return '\\r';
        case '\t':
          return '\\t';
        case "'":
          return "\\'";
        case '\\':
          return '\\\\';
        default:
          return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
      }
    });
  return chars.length > SHOWN_CHARACTERS ? `'${shown}…' (${chars.length} characters)` : `'${shown}'`;
}

function describeCharacter(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (c === '\n' || c === '\r') return `a line break (${hex})`;
  if (c === '\t') return 'a tab (U+0009)';
  if (code === 0) return 'a NUL character (U+0000)';
  return `the character ${hex}`;
}

/** `what` names the part being checked for the message ("it", "the value of header 'X-Key'"). */
function checkNoControlCharacters(name: InputName, value: string, what = 'it'): void {
  const bad = /[\u0000-\u001f\u007f]/.exec(value);
  if (bad) fail(name, `${what} contains ${describeCharacter(bad[0])}; control characters are not allowed`);
}

/** A header value: no control characters (header injection) and nothing fetch can't send (> U+00FF). */
function checkHeaderValue(name: InputName, value: string, what: string): void {
  const bad = /[\u0000-\u001f\u007f]/.exec(value);
  if (bad) {
    fail(
      name,
      `${what} contains ${describeCharacter(bad[0])}; control characters are not allowed in an HTTP header (they could inject headers)`,
    );
  }
  const wide = /[^\u0000-\u00ff]/u.exec(value);
  if (wide)
    fail(name, `${what} contains ${describeCharacter(wide[0])}, which cannot be sent in an HTTP header`);
}

// ---------------------------------------------------------------------------------------------
// URLs

function isLoopbackHostname(hostname: string): boolean {
  // WHATWG URL normalises IPv4 (`127.1` -> `127.0.0.1`) and IPv6 (`[0:0::1]` -> `[::1]`) hosts.
  return (
    hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

function tryUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** `acme.us.auth0.com`, `acme.us.auth0.com:8443`, `https://acme.us.auth0.com/`, `http://127.0.0.1:4000`. */
function parseAuth0Domain(value: string): { origin: string; host: string } {
  const name = 'auth0-domain';
  checkNoControlCharacters(name, value);
  let url: URL | undefined;
  const scheme = URL_SCHEME.exec(value);
  if (scheme) {
    const protocol = (scheme[1] ?? '').toLowerCase();
    if (protocol !== 'https' && protocol !== 'http') {
      fail(name, `${quote(`${protocol}:`)} is not allowed; give the bare domain or an https:// origin`);
    }
    const rest = value.slice(scheme[0].length);
    const end = rest.search(/[/?#\\]/);
    const authority = end === -1 ? rest : rest.slice(0, end);
    const tail = end === -1 ? '' : rest.slice(end);
    if (authority.includes('@')) fail(name, 'contains credentials (user@host); give only the domain');
    if (authority === '') fail(name, `${quote(value)} has no host`);
    if (tail !== '' && tail !== '/') {
      fail(
        name,
        `${quote(value)} has a path, query or fragment; give only the domain or origin, without /api/v2 or the like`,
      );
    }
    url = tryUrl(`${protocol}://${authority}/`);
  } else {
    const host = value.endsWith('/') ? value.slice(0, -1) : value;
    if (host.includes('@')) fail(name, 'contains credentials (user@host); give only the domain');
    if (/[/?#\\\s]/.test(host)) {
      fail(
        name,
        `${quote(value)} is not a domain: give the host name with an optional :port, or an https:// origin`,
      );
    }
    url = tryUrl(`https://${host}/`);
  }
  if (!url || url.hostname === '') fail(name, `${quote(value)} is not a valid host name or origin`);
  if (url.hostname.length > 253)
    fail(name, `has a host name of ${url.hostname.length} characters, more than the 253 DNS allows`);
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname)) {
    fail(
      name,
      `${quote(value)} uses http://, which is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost) in tests; use https://`,
    );
  }
  // url.host is lower-cased and drops a default port (`:443` for https).
  return { origin: url.origin, host: url.host };
}

/**
 * Error messages about the webhook URL never quote it: its credentials, query and even path (Slack,
 * Discord, Teams put the secret in the path) may be secret. Only its scheme or host name is named.
 */
function parseWebhookUrl(value: string): URL {
  const name = 'webhook-url';
  checkNoControlCharacters(name, value);
  const url = tryUrl(value);
  if (!url) fail(name, 'is not an absolute URL (the value is not shown: it may carry credentials)');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    const which = KNOWN_SCHEMES.has(url.protocol)
      ? `the scheme ${quote(url.protocol)}`
      : 'a scheme other than https:';
    fail(name, `has ${which}; only https:// URLs are allowed (http:// only for loopback hosts)`);
  }
  if (url.hostname === '') fail(name, 'has no host');
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname)) {
    fail(
      name,
      `uses http:// with the host ${quote(url.hostname)}; http:// is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost), use https://`,
    );
  }
  return url;
}

// ---------------------------------------------------------------------------------------------
// Multi-line inputs

/** Lines trimmed, blank ones dropped, each with its 1-based line number for messages. */
function lines(value: string): Array<{ line: string; number: number }> {
  return value
    .split('\n')
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line !== '');
}

/**
 * `Name: value` a line. Values are never quoted in messages (custom headers often carry API keys);
 * names are.
 */
function parseWebhookHeaders(value: string): Array<[name: string, value: string]> {
  const name = 'webhook-headers';
  const headers: Array<[string, string]> = [];
  for (const { line, number } of lines(value)) {
    const colon = line.indexOf(':');
    if (colon === -1) fail(name, `line ${number} has no ':'; write one 'Name: value' a line`);
    const headerName = line.slice(0, colon).trim();
    const headerValue = line.slice(colon + 1).trim();
    if (headerName === '' || /\s/.test(headerName)) {
      // Not quoted: text with spaces before the first ':' is more likely a pasted secret than a name.
      fail(name, `line ${number} does not start with a header name followed by ':' (the line is not shown)`);
    }
    if (!HTTP_TOKEN.test(headerName)) {
      fail(
        name,
        `line ${number}: ${quote(headerName)} is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~ only)`,
      );
    }
    const reserved = RESERVED_HEADERS.get(headerName.toLowerCase());
    if (reserved !== undefined)
      fail(name, `line ${number}: the header ${quote(headerName)} cannot be set here: ${reserved}`);
    checkHeaderValue(name, headerValue, `the value of header ${quote(headerName)} (line ${number})`);
    headers.push([headerName, headerValue]);
  }
  return headers;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** One secret a line, optional `whsec_` prefix, standard base64 of 24–64 bytes. Never quoted. */
function parseWebhookSecrets(value: string): Buffer[] {
  const name = 'webhook-secret';
  const secrets: Buffer[] = [];
  const all = lines(value);
  for (const { line, number } of all) {
    const where = all.length > 1 ? `line ${number}` : 'the secret';
    const text = line.startsWith('whsec_') ? line.slice('whsec_'.length) : line;
    const unpadded = text.replace(/=+$/, '');
    const validPadding = text.length === unpadded.length || text.length % 4 === 0;
    if (!BASE64.test(text) || !validPadding || unpadded.length % 4 === 1) {
      fail(
        name,
        `${where} is not base64 (an optional 'whsec_' prefix, then standard base64); the value is not shown`,
      );
    }
    const key = Buffer.from(unpadded, 'base64');
    if (key.length < 24 || key.length > 64) {
      fail(name, `${where} decodes to ${key.length} bytes; a signing secret must be 24 to 64 bytes`);
    }
    secrets.push(key);
  }
  return secrets;
}

// ---------------------------------------------------------------------------------------------
// Small values

/** Codes separated by commas (whitespace and line breaks also separate), lower-cased, deduplicated. */
function parseLogTypes(value: string): string[] {
  const codes: string[] = [];
  for (const part of value.split(/[\s,]+/)) {
    if (part === '') continue;
    if (!LOG_TYPE_CODE.test(part)) {
      fail(
        'log-types',
        `${quote(part)} is not a log type code (letters, digits and _ only, comma-separated)`,
      );
    }
    const code = part.toLowerCase();
    if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}

function oneOf<const T extends string>(name: InputName, value: string, allowed: readonly T[]): T {
  const lower = value.toLowerCase();
  const found = allowed.find((option) => option === lower);
  if (found === undefined)
    fail(name, `${quote(value)} is not one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  return found;
}

function integer(name: InputName, value: string, min: number, max: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) fail(name, `${quote(value)} is not a whole number from ${min} to ${max}`);
  return n;
}

function duration(name: InputName, value: string, maxMs: number, maxText: string): number {
  const ms = parseDuration(value);
  if (ms === undefined)
    fail(name, `${quote(value)} is not a duration like 90s, 10m, 2h, 7d or a number of seconds`);
  if (ms <= 0) fail(name, `${quote(value)} must be more than zero`);
  if (ms > maxMs) fail(name, `${quote(value)} is more than the ${maxText} allowed`);
  return ms;
}

// ---------------------------------------------------------------------------------------------
// start-from

/** `oldest`, `now`, a 56-digit log_id, an ISO-8601 time or date, or a duration back from `now`. */
function parseStartFrom(value: string, now: Date): string {
  const name = 'start-from';
  const lower = value.toLowerCase();
  if (lower === 'oldest') return OLDEST_CURSOR;
  if (lower === 'now') return cursorFromDate(now);

  if (/^\d+$/.test(value) && value.length >= 12) {
    if (value.length !== LOG_ID_LENGTH) {
      fail(name, `${quote(value)} has ${value.length} digits; a log_id has ${LOG_ID_LENGTH}`);
    }
    const embedded = dateFromLogId(value);
    if (embedded && embedded.getTime() > now.getTime() + LOG_ID_CLOCK_SKEW_MS) {
      fail(name, `the log_id ${quote(value)} is from ${embedded.toISOString()}, in the future`);
    }
    return value;
  }

  const iso = ISO_TIME.exec(value);
  if (iso) {
    const time = parseIsoTime(iso);
    if (time === undefined) fail(name, `${quote(value)} is not a real date and time`);
    if (time.getTime() > now.getTime()) {
      fail(name, `${quote(value)} is in the future (now is ${now.toISOString()})`);
    }
    return cursorFor(value, time);
  }

  const back = parseDuration(value);
  if (back !== undefined) return cursorFor(value, new Date(now.getTime() - back));

  fail(
    name,
    `${quote(value)} is not 'oldest', 'now', an ISO-8601 time, a duration like 30m, 24h or 7d, or a 56-digit log_id`,
  );
}

function cursorFor(value: string, time: Date): string {
  if (Number.isNaN(time.getTime()) || time.getTime() < 0) {
    fail(
      'start-from',
      `${quote(value)} is before 1970; use 'oldest' for everything the tenant still retains`,
    );
  }
  return cursorFromDate(time);
}

/** The groups of ISO_TIME to a Date; undefined when a field is out of range. No zone means UTC. */
function parseIsoTime(match: RegExpExecArray): Date | undefined {
  const [, y, mo, d, h = '0', mi = '0', s = '0', z, sign, oh = '0', om = '0'] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = utcDate(year, month, day, hour, minute, second);
  if (!date) return undefined;
  if (z !== undefined || sign === undefined) return date;
  const offsetHours = Number(oh);
  const offsetMinutes = Number(om);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offsetMs = (offsetHours * 60 + offsetMinutes) * 60_000;
  return new Date(date.getTime() - (sign === '-' ? -offsetMs : offsetMs));
}

// ---------------------------------------------------------------------------------------------
// checkpoint-name

function parseCheckpointName(value: string, store: CheckpointStoreKind, auth0Domain: string): string {
  const name = 'checkpoint-name';
  if (store === 'variable') {
    if (value === '') return `AUTH0_LOG_CHECKPOINT_${auth0Domain.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    if (!VARIABLE_NAME.test(value)) {
      throw new InputError(
        name,
        `${quote(value)} is not a valid variable name for checkpoint-store 'variable' (letters, digits and _, not starting with a digit)`,
        'AUTH0_LOG_CHECKPOINT_PROD',
      );
    }
    if (/^github_/i.test(value)) {
      throw new InputError(
        name,
        `${quote(value)} starts with GITHUB_, which GitHub reserves`,
        'AUTH0_LOG_CHECKPOINT_PROD',
      );
    }
    return value;
  }

  if (value === '') return `auth0-log-webhooks-${auth0Domain}-`;
  checkNoControlCharacters(name, value);
  if (value.includes(',')) fail(name, `${quote(value)} contains a comma, which cache keys cannot contain`);
  // A given cache name is used as given, plus a '-' separator unless it already ends with one, so
  // the run id appended by the store stays readable (`prod-12345-1`) and the restore-key prefix
  // `prod-` does not also match another stream's `production-...` keys.
  const prefix = value.endsWith('-') ? value : `${value}-`;
  const maxLength = MAX_CACHE_KEY_LENGTH - CACHE_KEY_SUFFIX_RESERVE;
  if (prefix.length > maxLength) {
    fail(
      name,
      `is ${value.length} characters long; with the run id the store appends, a cache key must stay within ${MAX_CACHE_KEY_LENGTH} characters, so at most ${maxLength - 1} are allowed`,
    );
  }
  return prefix;
}
