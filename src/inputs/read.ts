// What every input module shares: the input names, defaults and examples, the raw reader with its
// length check, and the small parsers and checks whose messages name an input (`fail`, `quote`).

import { parseDuration } from '../duration.js';
import { InputError } from '../settings.js';

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
  'log-categories',
  'filter',
  'pii-fields',
  'pii-method',
  'pii-hash-key',
  'payload-template',
  'poll-interval',
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
  'pii-method': 'mask',
};

/** Inputs whose value never appears in an error message. */
export const SECRET_INPUTS: ReadonlySet<InputName> = new Set<InputName>([
  'auth0-client-secret',
  'webhook-authorization',
  'webhook-secret',
  'github-token',
  'pii-hash-key',
]);

/** Longest accepted value, in UTF-16 code units, checked before anything else. */
export const MAX_INPUT_LENGTH = 10_000;
/** Longest accepted value of the multi-line inputs `webhook-headers` and `webhook-secret`. */
export const MAX_MULTILINE_INPUT_LENGTH = 64 * 1024;
const MULTILINE_INPUTS: ReadonlySet<InputName> = new Set<InputName>(['webhook-headers', 'webhook-secret']);

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
  'log-categories': 'auth.login.fail, auth.signup.fail',
  filter: "client_name = 'Production' and type in ['f', 'fp']",
  'pii-fields': 'email, ip',
  'pii-method': 'hash',
  'pii-hash-key':
    '${{ secrets.PII_HASH_KEY }} holding 16 or more random characters (openssl rand -base64 32)',
  'payload-template': '{"id": log_id, "type": type, "user": user_name}',
  'poll-interval': '30s (less than max-runtime; empty: no following)',
};

/** The raw inputs, read once and length-checked: what each concern's parser reads from. */
export interface Inputs {
  /** The trimmed value, or the default when it is empty. */
  value(name: InputName): string;
  /** Like value(), but an empty value is an InputError. */
  required(name: InputName): string;
}

/** Reads every input; throws an InputError for the first oversized one, in the order of action.yml. */
export function readInputs(read: InputReader): Inputs {
  const raw = new Map<InputName, string>();
  for (const name of INPUT_NAMES) {
    const value = String(read(name) ?? '');
    const limit = MULTILINE_INPUTS.has(name) ? MAX_MULTILINE_INPUT_LENGTH : MAX_INPUT_LENGTH;
    if (value.length > limit)
      fail(name, `is ${value.length} characters long, more than the ${limit} allowed`);
    raw.set(name, value);
  }
  const value = (name: InputName): string => (raw.get(name) ?? '').trim() || (INPUT_DEFAULTS[name] ?? '');
  return {
    value,
    required(name) {
      const text = value(name);
      if (text === '')
        fail(name, 'is required but empty (an unset secret or variable arrives as an empty string)');
      return text;
    },
  };
}

/** Throws the InputError for `name`, with its example of a good value. */
export function fail(name: InputName, problem: string): never {
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

export function describeCharacter(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (c === '\n' || c === '\r') return `a line break (${hex})`;
  if (c === '\t') return 'a tab (U+0009)';
  if (code === 0) return 'a NUL character (U+0000)';
  return `the character ${hex}`;
}

/** `what` names the part being checked for the message ("it", "the value of header 'X-Key'"). */
export function checkNoControlCharacters(name: InputName, value: string, what = 'it'): void {
  const bad = /[\u0000-\u001f\u007f]/.exec(value);
  if (bad) fail(name, `${what} contains ${describeCharacter(bad[0])}; control characters are not allowed`);
}

// ---------------------------------------------------------------------------------------------
// URLs (auth0-domain and webhook-url)

export function isLoopbackHostname(hostname: string): boolean {
  // WHATWG URL normalises IPv4 (`127.1` -> `127.0.0.1`) and IPv6 (`[0:0::1]` -> `[::1]`) hosts.
  return (
    hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

export function tryUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Small values

export function oneOf<const T extends string>(name: InputName, value: string, allowed: readonly T[]): T {
  const lower = value.toLowerCase();
  const found = allowed.find((option) => option === lower);
  if (found === undefined)
    fail(name, `${quote(value)} is not one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  return found;
}

export function integer(name: InputName, value: string, min: number, max: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) fail(name, `${quote(value)} is not a whole number from ${min} to ${max}`);
  return n;
}

export function duration(name: InputName, value: string, maxMs: number, maxText: string): number {
  const ms = parseDuration(value);
  if (ms === undefined)
    fail(name, `${quote(value)} is not a duration like 90s, 10m, 2h, 7d or a number of seconds`);
  if (ms <= 0) fail(name, `${quote(value)} must be more than zero`);
  if (ms > maxMs) fail(name, `${quote(value)} is more than the ${maxText} allowed`);
  return ms;
}
