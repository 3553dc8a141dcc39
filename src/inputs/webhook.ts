// webhook-url, webhook-authorization, webhook-headers, webhook-secret: where and how events are
// sent; and concurrency, max-attempts, request-timeout: how hard the sender tries.

import { urlForLog } from '../secrets.js';
import type { Settings } from '../settings.js';
import {
  describeCharacter,
  checkNoControlCharacters,
  duration,
  fail,
  integer,
  isLoopbackHostname,
  quote,
  tryUrl,
  type InputName,
  type Inputs,
} from './read.js';

export type WebhookSettings = Pick<
  Settings,
  'webhookUrl' | 'webhookUrlForLog' | 'webhookAuthorization' | 'webhookHeaders' | 'webhookSecrets'
>;
export type DeliverySettings = Pick<Settings, 'concurrency' | 'maxAttempts' | 'requestTimeoutMs'>;

export const MAX_REQUEST_TIMEOUT_MS = 5 * 60_000;

export function getWebhookSettings(inputs: Inputs): WebhookSettings {
  const webhookUrl = parseWebhookUrl(inputs.required('webhook-url'));
  const webhookUrlForLog = urlForLog(webhookUrl);
  const authorization = inputs.value('webhook-authorization');
  if (authorization !== '') checkHeaderValue('webhook-authorization', authorization, 'it');
  const webhookHeaders = parseWebhookHeaders(inputs.value('webhook-headers'));
  const webhookSecrets = parseWebhookSecrets(inputs.value('webhook-secret'));
  return {
    webhookUrl,
    webhookUrlForLog,
    webhookAuthorization: authorization === '' ? undefined : authorization,
    webhookHeaders,
    webhookSecrets,
  };
}

export function getDeliverySettings(inputs: Inputs): DeliverySettings {
  return {
    concurrency: integer('concurrency', inputs.value('concurrency'), 1, 100),
    maxAttempts: integer('max-attempts', inputs.value('max-attempts'), 1, 20),
    requestTimeoutMs: duration(
      'request-timeout',
      inputs.value('request-timeout'),
      MAX_REQUEST_TIMEOUT_MS,
      '5m',
    ),
  };
}

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
  // Credentials in the URL become a Basic authorization header: they must decode.
  for (const part of [url.username, url.password]) {
    try {
      decodeURIComponent(part);
    } catch {
      fail(name, 'has credentials with a malformed %-escape (write a literal % as %25)');
    }
  }
  return url;
}

// ---------------------------------------------------------------------------------------------
// Headers

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

// ---------------------------------------------------------------------------------------------
// Signing secrets

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** One secret a line, optional `whsec_` prefix, standard base64 of 24–64 bytes. Never quoted. */
function parseWebhookSecrets(value: string): Buffer[] {
  const name = 'webhook-secret';
  const secrets: Buffer[] = [];
  const all = lines(value);
  for (const { line, number } of all) {
    const where = all.length > 1 ? `line ${number}` : 'the secret';
    const text = line.startsWith('whsec_') ? line.slice('whsec_'.length) : line;
    // The shape first: it allows at most two '=', so the trim below never meets a long run of them.
    const shaped = BASE64.test(text);
    const unpadded = shaped ? text.replace(/=+$/, '') : text;
    const validPadding = text.length === unpadded.length || text.length % 4 === 0;
    if (!shaped || !validPadding || unpadded.length % 4 === 1) {
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
