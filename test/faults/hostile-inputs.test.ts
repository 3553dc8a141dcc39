// Hostile input, as a generated matrix over every input (and a fast-check property over arbitrary
// strings): empty, wrong type, out of range, oversized (100 kB), control characters and line breaks
// (header injection), http:// to a non-loopback host, file:/data:/javascript: URLs, loopback look-alikes.
// Each value is either refused with an InputError naming that input, on one line, without echoing
// a secret, or accepted into Settings that are safe: no control character in any header or
// credential, http only to loopback, numbers in range. getSettings never throws anything else.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getSettings, INPUT_NAMES, SECRET_INPUTS, type InputName } from '../../src/inputs/index.js';
import { InputError, type Settings } from '../../src/settings.js';
import { report } from './world.js';

const NOW = new Date('2026-02-01T12:00:00.000Z');
const SECRET_MARK = 'Zq7SecretPart9';

/** A valid value for every input (the variable store, so that github-token and names are exercised). */
const VALID: Record<InputName, string> = {
  'auth0-domain': 'acme.us.auth0.com',
  'auth0-client-id': 'AbCdEf0123456789AbCdEf0123456789',
  'auth0-client-secret': `cs_${SECRET_MARK}`,
  'webhook-url': 'https://hooks.example.com/auth0',
  'webhook-authorization': `Bearer ${SECRET_MARK}`,
  'webhook-headers': 'X-Source: auth0',
  'webhook-secret': `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
  'log-types': 'f,fp',
  'log-level': '3',
  'payload-format': 'array',
  // Empty: its default follows payload-format, so a hostile payload-format is judged on its own.
  'batch-size': '',
  concurrency: '5',
  'max-attempts': '5',
  'request-timeout': '10s',
  'start-from': '24h',
  'checkpoint-store': 'variable',
  'checkpoint-name': 'AUTH0_CP',
  'github-token': `ghp_${SECRET_MARK}`,
  'max-runtime': '10m',
  'dry-run': 'false',
  'log-categories': 'auth.login.fail',
  filter: "type = 'f'",
  'pii-fields': 'email',
  'pii-method': 'hash',
  'pii-hash-key': `pk_${SECRET_MARK}`,
  'payload-template': '',
  // Empty: it must be less than max-runtime, so a hostile max-runtime is judged on its own.
  'poll-interval': '',
};

const REQUIRED: ReadonlySet<InputName> = new Set([
  'auth0-domain',
  'auth0-client-id',
  'auth0-client-secret',
  'webhook-url',
]);
/** Inputs where a line break separates items (lines, or whitespace-separated codes). */
const MULTI_LINE: ReadonlySet<InputName> = new Set([
  'webhook-headers',
  'webhook-secret',
  'log-types',
  'log-categories',
  'pii-fields',
  // A JSONata expression: line breaks and tabs are white space in it.
  'filter',
]);

type Verdict = 'refused' | 'refused-or-safe';

interface Case {
  input: InputName;
  label: string;
  value: string;
  expect: Verdict;
}

const CONTROL = ['\u0000', '\u0007', '\b', '\t', '\n', '\r', '\r\n', '\u000b', '\u000c', '\u001b', '\u007f'];
const WRONG_TYPE = [
  '[]',
  '{}',
  'true',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '1e3',
  '0x10',
  '+5',
  '٣',
  '５',
  '1,000',
  '1 0',
  '½',
];
const URL_ATTACKS = [
  'http://hooks.example.com/in',
  'HTTP://hooks.example.com/in',
  'http:/hooks.example.com/in',
  'http:hooks.example.com',
  'http://127.0.0.1.evil.example/',
  'http://localhost.evil.example/',
  'http://127.0.0.1@evil.example/',
  'http://localhost:80@evil.example/',
  'http://evil.example#@127.0.0.1/',
  'http://evil.example?@127.0.0.1/',
  'http://evil.example\\@127.0.0.1/',
  'http://[::ffff:7f00:1]@evil.example/',
  'http://0.0.0.0/',
  'http://10.0.0.1/',
  'http://169.254.169.254/latest/meta-data/',
  'http://[::]/',
  'http://[fe80::1]/',
  'file:///etc/passwd',
  'FILE:///etc/passwd',
  'file://localhost/etc/passwd',
  'data:text/plain,hello',
  'data:application/json;base64,e30=',
  'javascript:alert(1)',
  'ws://127.0.0.1/',
  'wss://hooks.example.com/',
  'ftp://hooks.example.com/',
  'gopher://127.0.0.1:25/',
  'blob:https://hooks.example.com/x',
  'about:blank',
  '//hooks.example.com/in',
  'hooks.example.com/in',
  'https://',
  'https:///path',
  ' https://hooks.example.com/\u0000',
];

function cases(): Case[] {
  const list: Case[] = [];
  const add = (input: InputName, label: string, value: string, verdict: Verdict): void => {
    list.push({ input, label, value, expect: verdict });
  };
  for (const input of INPUT_NAMES) {
    const valid = VALID[input];
    add(input, 'oversized 100 kB', valid + 'x'.repeat(100_000), 'refused');
    add(input, 'oversized 100 kB of line breaks', `${valid}${'\n'.repeat(100_000)}`, 'refused');
    if (REQUIRED.has(input)) {
      add(input, 'empty', '', 'refused');
      add(input, 'whitespace only', ' \t\n ', 'refused');
    }
    for (const c of CONTROL) {
      const name = `control U+${c.charCodeAt(0).toString(16).padStart(4, '0')}${c.length > 1 ? '+LF' : ''} inside`;
      // Inside the value, then something that would be a header of its own if it were injected.
      add(
        input,
        name,
        `${valid}${c}X-Injected: 1`,
        MULTI_LINE.has(input) || c === '\t' ? 'refused-or-safe' : 'refused',
      );
    }
    add(input, 'bidi override', `${valid}\u202e`, 'refused-or-safe');
    add(input, 'zero-width space', `${valid}\u200b`, 'refused-or-safe');
    add(input, 'non-Latin-1', `${valid}€`, 'refused-or-safe');
    add(input, 'emoji', `${valid}😀`, 'refused-or-safe');
    add(input, 'lone surrogate', `${valid}\ud800`, 'refused-or-safe');
    for (const w of WRONG_TYPE) add(input, `wrong type ${JSON.stringify(w)}`, w, 'refused-or-safe');
  }
  for (const n of ['0', '-1', '101', '1000000', '99999999999999999999', '1.5', '', ' ']) {
    if (n.trim() !== '') add('concurrency', `out of range ${n}`, n, 'refused');
  }
  for (const n of ['0', '21', '-5', '2.0']) add('max-attempts', `out of range ${n}`, n, 'refused');
  for (const n of ['0', '101', '-1']) add('batch-size', `out of range ${n}`, n, 'refused');
  for (const n of ['5', '-1', '10']) add('log-level', `out of range ${n}`, n, 'refused');
  for (const d of ['0s', '0', '6m', '301', '1e3s', '-1s', '1h30m', '10 m s', '999999999999999999d']) {
    add('request-timeout', `out of range ${d}`, d, 'refused');
  }
  for (const d of ['0s', '7h', '6.01h', '21601', '-10m'])
    add('max-runtime', `out of range ${d}`, d, 'refused');
  for (const url of URL_ATTACKS) {
    const safeScheme = /^https:/i.test(url.trim());
    add('webhook-url', `url ${JSON.stringify(url)}`, url, safeScheme ? 'refused-or-safe' : 'refused');
    add('auth0-domain', `url ${JSON.stringify(url)}`, url, safeScheme ? 'refused-or-safe' : 'refused');
  }
  for (const header of [
    'Authorization: Bearer x',
    'authorization : x',
    'Host: evil.example',
    'Content-Length: 0',
    'Transfer-Encoding: chunked',
    'X-A: 1\r\nX-B: 2',
    'X-A: 1\rX-B: 2',
    'X-A:\u0000',
    'X A: 1',
    'X-A',
    ': x',
    'X-\u00e9: 1',
    `X-Key: ${'v'.repeat(70_000)}`,
  ]) {
    add(
      'webhook-headers',
      `header ${JSON.stringify(header.slice(0, 30))}`,
      header,
      header.includes('\r\n') || header.includes('\r') ? 'refused-or-safe' : 'refused',
    );
  }
  for (const auth of [
    'Bearer a\r\nX-Injected: 1',
    'Bearer a\nb',
    'Bearer \u0000',
    'Bearer ä€',
    'Basic \u007f',
  ]) {
    add('webhook-authorization', `authorization ${JSON.stringify(auth)}`, auth, 'refused');
  }
  for (const start of [
    '2099-01-01',
    '2026-02-01T12:00:01Z',
    `90020990101000000${'0'.repeat(39)}`,
    '9'.repeat(55),
    '9'.repeat(57),
    '0000-00-00',
    '2026-13-01',
    '1969-12-31T23:59:59Z',
    '100000d',
    'now-1h',
    'yesterday',
  ]) {
    add('start-from', `start-from ${start}`, start, 'refused');
  }
  for (const name of ['GITHUB_X', 'github_x', '1ABC', 'A-B', 'A B', 'A.B', 'Ä', 'A\nB']) {
    add('checkpoint-name', `variable name ${JSON.stringify(name)}`, name, 'refused');
  }
  return list;
}

/** The values a Settings carries that reach the network or a header: nothing dangerous may pass. */
function expectSafe(settings: Settings): void {
  const control = /[\u0000-\u001f\u007f]/;
  const wide = /[^\u0000-\u00ff]/;
  for (const [name, value] of settings.webhookHeaders) {
    expect(name).toMatch(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/);
    expect(value).not.toMatch(control);
    expect(value).not.toMatch(wide);
  }
  if (settings.webhookAuthorization !== undefined) {
    expect(settings.webhookAuthorization).not.toMatch(control);
    expect(settings.webhookAuthorization).not.toMatch(wide);
  }
  expect(settings.clientId).not.toMatch(control);
  expect(settings.clientSecret).not.toMatch(control);
  expect(settings.githubToken).toMatch(/^[\x21-\x7e]*$/);
  const loopback = (host: string): boolean =>
    host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  const hook = settings.webhookUrl;
  expect(['https:', 'http:']).toContain(hook.protocol);
  if (hook.protocol === 'http:')
    expect(loopback(hook.hostname), `http webhook to ${hook.hostname}`).toBe(true);
  const auth0 = new URL(settings.auth0Origin);
  expect(['https:', 'http:']).toContain(auth0.protocol);
  if (auth0.protocol === 'http:')
    expect(loopback(auth0.hostname), `http Auth0 at ${auth0.hostname}`).toBe(true);
  expect(settings.auth0Origin).not.toMatch(control);
  expect(settings.concurrency).toBeGreaterThanOrEqual(1);
  expect(settings.concurrency).toBeLessThanOrEqual(100);
  expect(settings.batchSize).toBeGreaterThanOrEqual(1);
  expect(settings.batchSize).toBeLessThanOrEqual(100);
  expect(settings.maxAttempts).toBeGreaterThanOrEqual(1);
  expect(settings.maxAttempts).toBeLessThanOrEqual(20);
  expect(settings.requestTimeoutMs).toBeGreaterThan(0);
  expect(settings.requestTimeoutMs).toBeLessThanOrEqual(5 * 60_000);
  expect(settings.maxRuntimeMs).toBeGreaterThan(0);
  expect(settings.maxRuntimeMs).toBeLessThanOrEqual(6 * 3_600_000);
  expect(settings.startCursor).toMatch(/^\d{56}$/);
  if (settings.checkpointStore === 'variable')
    expect(settings.checkpointName).toMatch(/^(?!github_)[A-Za-z_][A-Za-z0-9_]*$/i);
  else {
    expect(settings.checkpointName).not.toMatch(/[,\u0000-\u001f\u007f]/);
    expect(settings.checkpointName.length).toBeLessThanOrEqual(512 - 40);
  }
  for (const code of settings.logTypes) expect(code).toMatch(/^[a-z0-9_]+$/);
}

/** The input's error: one line, names it, shows an example, never echoes a secret's value. */
function expectGoodError(error: unknown, input: InputName): void {
  expect(error, `getSettings threw something other than an InputError: ${String(error)}`).toBeInstanceOf(
    InputError,
  );
  const e = error as InputError;
  expect(e.input).toBe(input);
  expect(e.message).toContain(`Input '${input}'`);
  expect(e.message).toContain('Example of a valid value');
  expect(e.message).not.toMatch(/[\u0000-\u001f\u007f]/);
  expect(e.message.length).toBeLessThan(1_000);
  expect(e.message).not.toContain(SECRET_MARK);
}

function attempt(input: InputName, value: string): { settings?: Settings; error?: unknown } {
  const inputs: Record<string, string> = { ...VALID, [input]: value };
  try {
    return { settings: getSettings((name) => inputs[name] ?? '', NOW) };
  } catch (error) {
    return { error };
  }
}

describe('hostile inputs (generated matrix)', () => {
  const all = cases();

  it('the valid base set is accepted', () => {
    const { settings, error } = attempt('dry-run', 'false');
    expect(error).toBeUndefined();
    expectSafe(settings!);
  });

  it.each(all.map((c) => [`${c.input}: ${c.label}`, c] as const))('%s', (_label, c) => {
    const { settings, error } = attempt(c.input, c.value);
    if (c.expect === 'refused')
      expect(error, `accepted ${JSON.stringify(c.value.slice(0, 80))}`).toBeDefined();
    if (error !== undefined) expectGoodError(error, c.input);
    else expectSafe(settings!);
  });

  it('reports how many it tried', () => {
    report({
      test: 'hostile-inputs',
      matrix: all.length,
      inputs: INPUT_NAMES.length,
      secretInputs: [...SECRET_INPUTS],
    });
  });
});

describe('hostile inputs (property: arbitrary strings in any input)', () => {
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ unit: 'grapheme-ascii', maxLength: 300 }),
    fc.string({
      unit: fc.constantFrom(
        '\n',
        '\r',
        '\u0000',
        ':',
        ' ',
        'a',
        '1',
        '/',
        '@',
        '.',
        '%',
        'h',
        't',
        'p',
        's',
        '\\',
        '#',
        '?',
      ),
      maxLength: 80,
    }),
  );

  for (const input of INPUT_NAMES) {
    it(`${input}: refused with its own InputError, or accepted into safe Settings`, () => {
      fc.assert(
        fc.property(text, (value) => {
          const { settings, error } = attempt(input, value);
          if (error !== undefined) expectGoodError(error, input);
          else expectSafe(settings!);
        }),
        { numRuns: Number(process.env['A0LW_PROPERTY_RUNS'] ?? '150'), seed: 11 },
      );
    });
  }
});
