import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OLDEST_CURSOR } from '../src/cursor.js';
import {
  getSettings,
  INPUT_DEFAULTS,
  INPUT_NAMES,
  quote,
  SECRET_INPUTS,
  type InputName,
  type InputReader,
} from '../src/inputs/index.js';
import { InputError, type Settings } from '../src/settings.js';

const NOW = new Date('2026-02-01T12:00:00.000Z');
const NOW_CURSOR = '90020260201120000' + '0'.repeat(39);

const KEY_32 = Buffer.alloc(32, 0xab);
const SECRET_32 = KEY_32.toString('base64');
const KEY_24 = Buffer.alloc(24, 0x01);
const KEY_64 = Buffer.alloc(64, 0x02);

const MINIMAL: Partial<Record<InputName, string>> = {
  'auth0-domain': 'acme.us.auth0.com',
  'auth0-client-id': 'AbCdEf0123456789AbCdEf0123456789',
  'auth0-client-secret': 'client-secret-do-not-print',
  'webhook-url': 'https://hooks.example.com/auth0',
};

type Inputs = Partial<Record<InputName | 'unknown', string>>;

function reader(values: Inputs): InputReader {
  return (name) => values[name as InputName] ?? '';
}

function settings(overrides: Inputs = {}, now = NOW): Settings {
  return getSettings(reader({ ...MINIMAL, ...overrides }), now);
}

function inputError(overrides: Inputs, now = NOW): InputError {
  try {
    settings(overrides, now);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`expected an InputError for ${JSON.stringify(overrides)}`);
}

describe('getSettings: a minimal valid set of inputs', () => {
  it('applies every default', () => {
    const { webhookUrl, ...rest } = settings();
    expect(webhookUrl.href).toBe('https://hooks.example.com/auth0');
    expect(rest).toEqual({
      auth0Origin: 'https://acme.us.auth0.com',
      auth0Domain: 'acme.us.auth0.com',
      clientId: 'AbCdEf0123456789AbCdEf0123456789',
      clientSecret: 'client-secret-do-not-print',
      webhookUrlForLog: 'https://hooks.example.com/…',
      webhookAuthorization: undefined,
      webhookHeaders: [],
      webhookSecrets: [],
      logTypes: [],
      logLevel: undefined,
      logCategories: [],
      filter: undefined,
      piiFields: [],
      piiMethod: 'mask',
      piiHashKey: '',
      payloadFormat: 'object',
      batchSize: 1,
      payloadTemplate: undefined,
      concurrency: 5,
      maxAttempts: 5,
      requestTimeoutMs: 10_000,
      startCursor: OLDEST_CURSOR,
      startFromLabel: 'oldest',
      checkpointStore: 'cache',
      checkpointName: 'auth0-log-webhooks-acme.us.auth0.com-',
      githubToken: '',
      maxRuntimeMs: 600_000,
      dryRun: false,
      pollIntervalMs: undefined,
    } satisfies Omit<Settings, 'webhookUrl'>);
  });

  it('gives the same result when the action.yml defaults are passed explicitly', () => {
    const explicit = settings({ ...INPUT_DEFAULTS });
    const implicit = settings();
    expect({ ...explicit, webhookUrl: explicit.webhookUrl.href }).toEqual({
      ...implicit,
      webhookUrl: implicit.webhookUrl.href,
    });
  });

  it('trims values', () => {
    const s = settings({
      'auth0-domain': '  acme.us.auth0.com \n',
      'auth0-client-id': ' id ',
      concurrency: ' 7 ',
      'start-from': ' now ',
    });
    expect(s.auth0Domain).toBe('acme.us.auth0.com');
    expect(s.clientId).toBe('id');
    expect(s.concurrency).toBe(7);
    expect(s.startFromLabel).toBe('now');
  });

  it('reads through @actions/core by default', () => {
    vi.stubEnv('INPUT_AUTH0-DOMAIN', 'env.eu.auth0.com');
    vi.stubEnv('INPUT_AUTH0-CLIENT-ID', 'id');
    vi.stubEnv('INPUT_AUTH0-CLIENT-SECRET', 'secret');
    vi.stubEnv('INPUT_WEBHOOK-URL', 'https://hooks.example.com/');
    vi.stubEnv('INPUT_START-FROM', '');
    const s = getSettings();
    expect(s.auth0Origin).toBe('https://env.eu.auth0.com');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
});

describe('INPUT_DEFAULTS and INPUT_NAMES match action.yml', () => {
  // A small line-based reader of action.yml's `inputs:` block (no YAML dependency in the project).
  const yml = readFileSync(new URL('../action.yml', import.meta.url), 'utf8');
  const block = yml.slice(yml.indexOf('\ninputs:\n'), yml.indexOf('\noutputs:\n'));
  const declared: Array<{ name: string; default: string | undefined; required: boolean }> = [];
  for (const line of block.split('\n')) {
    const input = /^ {2}([a-z0-9-]+):\s*$/.exec(line);
    if (input) declared.push({ name: input[1] ?? '', default: undefined, required: false });
    const current = declared.at(-1);
    const def = /^ {4}default:\s*(.*)$/.exec(line);
    if (def && current) current.default = (def[1] ?? '').replace(/^'(.*)'$/, '$1');
    if (/^ {4}required:\s*true\s*$/.test(line) && current) current.required = true;
  }

  it('lists every input in order', () => {
    expect(declared.map((d) => d.name)).toEqual([...INPUT_NAMES]);
  });

  it('applies the same defaults', () => {
    for (const d of declared) {
      if (d.name === 'github-token') {
        expect(d.default).toBe('${{ github.token }}');
        continue;
      }
      expect([d.name, INPUT_DEFAULTS[d.name as InputName] ?? '']).toEqual([d.name, d.default ?? '']);
    }
  });

  it('treats the required inputs as required', () => {
    for (const d of declared.filter((x) => x.required)) {
      expect(inputError({ [d.name]: '' }).input).toBe(d.name);
    }
  });
});

describe('auth0-domain', () => {
  it.each([
    ['acme.us.auth0.com', 'https://acme.us.auth0.com', 'acme.us.auth0.com'],
    ['ACME.US.Auth0.com', 'https://acme.us.auth0.com', 'acme.us.auth0.com'],
    ['acme.us.auth0.com/', 'https://acme.us.auth0.com', 'acme.us.auth0.com'],
    ['acme.us.auth0.com:8443', 'https://acme.us.auth0.com:8443', 'acme.us.auth0.com:8443'],
    ['acme.us.auth0.com:443', 'https://acme.us.auth0.com', 'acme.us.auth0.com'],
    ['https://acme.us.auth0.com', 'https://acme.us.auth0.com', 'acme.us.auth0.com'],
    ['https://acme.us.auth0.com/', 'https://acme.us.auth0.com', 'acme.us.auth0.com'],
    ['HTTPS://login.example.com:8443/', 'https://login.example.com:8443', 'login.example.com:8443'],
    ['http://127.0.0.1:4000', 'http://127.0.0.1:4000', '127.0.0.1:4000'],
    ['http://127.9.8.7:4000/', 'http://127.9.8.7:4000', '127.9.8.7:4000'],
    ['http://localhost:4000', 'http://localhost:4000', 'localhost:4000'],
    ['http://[::1]:4000', 'http://[::1]:4000', '[::1]:4000'],
    ['127.0.0.1:4000', 'https://127.0.0.1:4000', '127.0.0.1:4000'],
  ])('%j -> %s (%s)', (value, origin, domain) => {
    const s = settings({ 'auth0-domain': value });
    expect(s.auth0Origin).toBe(origin);
    expect(s.auth0Domain).toBe(domain);
  });
});

describe('webhook-url', () => {
  it.each([
    ['https://hooks.slack.com/services/T0/B0/s3cr3t', 'https://hooks.slack.com/…'],
    ['https://user:pw@hooks.example.com/a?token=SECRETQ#frag', 'https://hooks.example.com/…'],
    ['https://user:pw@hooks.example.com/', 'https://hooks.example.com'],
    ['https://hooks.example.com/?token=SECRETQ', 'https://hooks.example.com/…'],
    ['https://hooks.example.com', 'https://hooks.example.com'],
    ['http://127.0.0.1:8080/hook', 'http://127.0.0.1:8080/…'],
    ['http://localhost/hook', 'http://localhost/…'],
    ['http://[::1]:9000/', 'http://[::1]:9000'],
  ])('%j is logged as %s', (value, forLog) => {
    const s = settings({ 'webhook-url': value });
    expect(s.webhookUrlForLog).toBe(forLog);
    expect(s.webhookUrl.href).toBe(new URL(value).href);
  });
});

describe("webhook-secret: a long run of '=' (#14 item 10)", () => {
  // A backtracking trim of trailing '=' took ~7 s on each of these at the 64 KB limit (ms after the
  // fix). The time is not asserted here (it is a matter for the bench); the answer is.
  it.each([
    ['only =', '='.repeat(64 * 1024)],
    ['= then a letter', `${'='.repeat(64 * 1024 - 1)}A`],
    ['whsec_, = then a letter', `whsec_${'='.repeat(64 * 1024 - 7)}A`],
    ['base64, a long run of =, a letter', `${SECRET_32}${'='.repeat(60 * 1024)}A`],
  ])('%s: not base64', (_, value) => {
    const error = inputError({ 'webhook-secret': value });
    expect(error.input).toBe('webhook-secret');
    expect(error.message).toContain('is not base64');
  });
});

describe('webhook-authorization, webhook-headers, webhook-secret', () => {
  it('keeps the authorization verbatim', () => {
    expect(settings({ 'webhook-authorization': 'Bearer abc.def' }).webhookAuthorization).toBe(
      'Bearer abc.def',
    );
    expect(settings({ 'webhook-authorization': 'Basic dTpw' }).webhookAuthorization).toBe('Basic dTpw');
  });

  it('parses one header a line, in order, names as given', () => {
    const s = settings({
      'webhook-headers': 'X-Source: auth0\r\n\n  X-Api-Key:  k1:k2  \nX-Empty:\nx-source: again\n',
    });
    expect(s.webhookHeaders).toEqual([
      ['X-Source', 'auth0'],
      ['X-Api-Key', 'k1:k2'],
      ['X-Empty', ''],
      ['x-source', 'again'],
    ]);
  });

  it('decodes secrets with or without whsec_, one a line', () => {
    const s = settings({
      'webhook-secret': `whsec_${SECRET_32}\n\n  ${KEY_24.toString('base64')}  \nwhsec_${KEY_64.toString('base64').replace(/=+$/, '')}\n`,
    });
    expect(s.webhookSecrets).toEqual([KEY_32, KEY_24, KEY_64]);
  });
});

describe('log-categories, filter, pii-fields, pii-method, pii-hash-key', () => {
  it('takes Log Streams category names as a Log Stream lists them', () => {
    expect(
      settings({ 'log-categories': ' auth.login.fail,\nUSER.fail, other,auth.login.fail' }).logCategories,
    ).toEqual(['auth.login.fail', 'user.fail', 'other']);
  });

  it('refuses an unknown category, listing the valid names', () => {
    const error = inputError({ 'log-categories': 'auth.login.fail, auth.login.failure' });
    expect(error.input).toBe('log-categories');
    expect(error.message).toContain("'auth.login.failure' is not an Auth0 Log Streams category");
    expect(error.message).toContain('auth.login.fail, auth.login.notification');
    expect(error.message).toContain('user.success, other');
  });

  it('compiles the filter, and refuses a syntax error with its position', async () => {
    const filter = settings({ filter: "type = 'f'" }).filter;
    expect(await filter?.evaluate({ type: 'f' })).toBe(true);
    expect(settings({}).filter).toBeUndefined();
    const error = inputError({ filter: "type = 'f' and (" });
    expect(error.input).toBe('filter');
    expect(error.message).toMatch(/not a valid JSONata expression: .* at character \d+/);
  });

  it('takes pii classes, and refuses an unknown one', () => {
    expect(settings({ 'pii-fields': 'Email, ip ip' }).piiFields).toEqual(['email', 'ip']);
    expect(inputError({ 'pii-fields': 'email, ssn' }).message).toContain(
      "'ssn' is not a personal data class; the classes are email, username, name, phone, address, ip",
    );
  });

  it('hash needs a key of 16 or more characters, which no message quotes', () => {
    expect(inputError({ 'pii-fields': 'email', 'pii-method': 'hash' }).input).toBe('pii-hash-key');
    const short = inputError({ 'pii-fields': 'email', 'pii-method': 'hash', 'pii-hash-key': 'short-key-99' });
    expect(short.input).toBe('pii-hash-key');
    expect(short.message).not.toContain('short-key-99');
    const key = 'a-long-enough-hash-key';
    expect(settings({ 'pii-fields': 'email', 'pii-method': 'HASH', 'pii-hash-key': key })).toMatchObject({
      piiMethod: 'hash',
      piiHashKey: key,
    });
    expect(inputError({ 'pii-method': 'encrypt' }).input).toBe('pii-method');
  });
});

describe('log-types, log-level, payload-format, batch-size, numbers, durations, dry-run', () => {
  it('log-types: trimmed, empties dropped, lower-cased, deduplicated, unknown codes kept', () => {
    expect(settings({ 'log-types': ' f, fp,,F ,limit_wc, brand_new_code,\nfp' }).logTypes).toEqual([
      'f',
      'fp',
      'limit_wc',
      'brand_new_code',
    ]);
  });

  it.each([
    ['0', 0],
    ['4', 4],
    ['', undefined],
  ])('log-level %j -> %s', (value, level) => {
    expect(settings({ 'log-level': value }).logLevel).toBe(level);
  });

  it.each([
    ['object', '', 1],
    ['object', '1', 1],
    ['array', '', 100],
    ['lines', '', 100],
    ['array', '7', 7],
    ['LINES', '100', 100],
  ])('payload-format %s with batch-size %j -> %d', (format, batch, size) => {
    const s = settings({ 'payload-format': format, 'batch-size': batch });
    expect(s.payloadFormat).toBe(format.toLowerCase());
    expect(s.batchSize).toBe(size);
  });

  it('numbers and durations at their limits', () => {
    const s = settings({
      concurrency: '100',
      'max-attempts': '20',
      'request-timeout': '5m',
      'max-runtime': '6h',
    });
    expect([s.concurrency, s.maxAttempts, s.requestTimeoutMs, s.maxRuntimeMs]).toEqual([
      100, 20, 300_000, 21_600_000,
    ]);
    const t = settings({
      concurrency: '1',
      'max-attempts': '1',
      'request-timeout': '1.5',
      'max-runtime': '90s',
    });
    expect([t.concurrency, t.maxAttempts, t.requestTimeoutMs, t.maxRuntimeMs]).toEqual([1, 1, 1500, 90_000]);
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['True', true],
    ['false', false],
    ['', false],
  ])('dry-run %j -> %s', (value, dryRun) => {
    expect(settings({ 'dry-run': value }).dryRun).toBe(dryRun);
  });

  it.each([
    ['', '10m', undefined],
    ['30s', '10m', 30_000],
    ['1', '10m', 1_000],
    ['4m', '5m', 240_000],
    ['59s', '1m', 59_000],
  ])('poll-interval %j with max-runtime %s -> %s', (value, maxRuntime, ms) => {
    expect(settings({ 'poll-interval': value, 'max-runtime': maxRuntime }).pollIntervalMs).toBe(ms);
  });
});

describe('start-from (now = 2026-02-01T12:00:00Z)', () => {
  const logId = '90020260131235959' + '123456789012345678901234567890123456789';
  it.each([
    ['', OLDEST_CURSOR, 'oldest'],
    ['oldest', OLDEST_CURSOR, 'oldest'],
    ['OLDEST', OLDEST_CURSOR, 'OLDEST'],
    ['now', NOW_CURSOR, 'now'],
    ['2026-01-31', '90020260131000000', '2026-01-31'],
    ['2026-01-31T08:15:30Z', '90020260131081530', '2026-01-31T08:15:30Z'],
    ['2026-01-31T08:15:30.999Z', '90020260131081530', '2026-01-31T08:15:30.999Z'],
    ['2026-01-31T08:15:30', '90020260131081530', '2026-01-31T08:15:30'],
    ['2026-01-31 08:15', '90020260131081500', '2026-01-31 08:15'],
    ['2026-01-31T08:15:30+02:00', '90020260131061530', '2026-01-31T08:15:30+02:00'],
    ['2026-01-31T23:15:30-0300', '90020260201021530', '2026-01-31T23:15:30-0300'],
    ['2026-02-01T12:00:00Z', NOW_CURSOR, '2026-02-01T12:00:00Z'],
    ['30m', '90020260201113000', '30m'],
    ['24h', '90020260131120000', '24h'],
    ['7d', '90020260125120000', '7d'],
    ['90s', '90020260201115830', '90s'],
    ['3600', '90020260201110000', '3600'],
    ['0s', NOW_CURSOR, '0s'],
    [logId, logId, logId],
    [OLDEST_CURSOR, OLDEST_CURSOR, OLDEST_CURSOR],
  ])('%j', (value, cursorStart, label) => {
    const s = settings({ 'start-from': value });
    expect(s.startCursor).toHaveLength(56);
    expect(s.startCursor.startsWith(cursorStart)).toBe(true);
    if (cursorStart.length === 17) expect(s.startCursor.slice(17)).toBe('0'.repeat(39));
    expect(s.startFromLabel).toBe(label);
  });

  it('accepts a log_id a little ahead of the runner clock (Auth0 clock skew)', () => {
    const ahead = '90020260201120200' + '0'.repeat(39);
    expect(settings({ 'start-from': ahead }).startCursor).toBe(ahead);
  });
});

describe('checkpoint-name', () => {
  it.each([
    ['cache', 'acme.us.auth0.com', '', 'auth0-log-webhooks-acme.us.auth0.com-'],
    ['cache', 'http://127.0.0.1:4000', '', 'auth0-log-webhooks-127.0.0.1:4000-'],
    ['cache', 'acme.us.auth0.com', 'prod', 'prod-'],
    ['cache', 'acme.us.auth0.com', 'prod-', 'prod-'],
    ['cache', 'acme.us.auth0.com', 'auth0 logs/prod_1', 'auth0 logs/prod_1-'],
    ['variable', 'acme.us.auth0.com', '', 'AUTH0_LOG_CHECKPOINT_ACME_US_AUTH0_COM'],
    ['variable', 'http://127.0.0.1:4000', '', 'AUTH0_LOG_CHECKPOINT_127_0_0_1_4000'],
    ['variable', 'login-eu.example.com', '', 'AUTH0_LOG_CHECKPOINT_LOGIN_EU_EXAMPLE_COM'],
    ['variable', 'acme.us.auth0.com', 'My_Checkpoint_2', 'My_Checkpoint_2'],
    ['variable', 'acme.us.auth0.com', '_x', '_x'],
    ['VARIABLE', 'acme.us.auth0.com', 'GITHUBX', 'GITHUBX'],
  ])('%s store, domain %s, name %j -> %s', (store, domain, name, expected) => {
    const s = settings({
      'checkpoint-store': store,
      'auth0-domain': domain,
      'checkpoint-name': name,
      'github-token': 'github_pat_abc',
    });
    expect(s.checkpointStore).toBe(store.toLowerCase());
    expect(s.checkpointName).toBe(expected);
  });

  it('a cache name as long as allowed', () => {
    expect(settings({ 'checkpoint-name': 'a'.repeat(471) }).checkpointName).toHaveLength(472);
    expect(inputError({ 'checkpoint-name': 'a'.repeat(472) }).input).toBe('checkpoint-name');
  });

  it('github-token may be empty for the cache store', () => {
    expect(settings({ 'checkpoint-store': 'cache', 'github-token': '' }).githubToken).toBe('');
    expect(settings({ 'checkpoint-store': 'variable', 'github-token': 'ghp_x' }).githubToken).toBe('ghp_x');
  });
});

describe('invalid inputs', () => {
  // Words of a secret input's value that may appear in a message because the example shows them.
  const ALLOWED_IN_MESSAGES = new Set(['Bearer', 'whsec_']);
  const oversize = 'a'.repeat(10_001);
  // [description, inputs, the input the error names, text that must not appear in the message]
  const cases: Array<[string, Inputs, InputName, string?]> = [
    ['missing domain', { 'auth0-domain': '' }, 'auth0-domain'],
    ['whitespace-only domain', { 'auth0-domain': '  \n ' }, 'auth0-domain'],
    ['domain with a path', { 'auth0-domain': 'https://acme.us.auth0.com/api/v2/' }, 'auth0-domain'],
    ['bare domain with a path', { 'auth0-domain': 'acme.us.auth0.com/api' }, 'auth0-domain'],
    ['domain with a query', { 'auth0-domain': 'https://acme.us.auth0.com/?x=1' }, 'auth0-domain'],
    ['domain with an empty query', { 'auth0-domain': 'https://acme.us.auth0.com?' }, 'auth0-domain'],
    ['domain with a fragment', { 'auth0-domain': 'https://acme.us.auth0.com#x' }, 'auth0-domain'],
    [
      'domain with credentials',
      { 'auth0-domain': 'https://u:hunter2pw@acme.us.auth0.com' },
      'auth0-domain',
      'hunter2pw',
    ],
    [
      'bare domain with credentials',
      { 'auth0-domain': 'u:hunter2pw@acme.us.auth0.com' },
      'auth0-domain',
      'hunter2pw',
    ],
    ['http domain not loopback', { 'auth0-domain': 'http://acme.us.auth0.com' }, 'auth0-domain'],
    ['http domain 128.0.0.1', { 'auth0-domain': 'http://128.0.0.1' }, 'auth0-domain'],
    ['http domain localhost.evil.com', { 'auth0-domain': 'http://localhost.evil.com' }, 'auth0-domain'],
    ['ftp domain', { 'auth0-domain': 'ftp://acme.us.auth0.com' }, 'auth0-domain'],
    ['domain with a space', { 'auth0-domain': 'acme us.auth0.com' }, 'auth0-domain'],
    ['domain with a bad port', { 'auth0-domain': 'acme.us.auth0.com:http' }, 'auth0-domain'],
    ['domain without host', { 'auth0-domain': 'https://' }, 'auth0-domain'],
    ['domain with a line break', { 'auth0-domain': 'acme.us.auth0.com\nevil' }, 'auth0-domain'],
    ['missing client id', { 'auth0-client-id': '' }, 'auth0-client-id'],
    ['client id with NUL', { 'auth0-client-id': 'abc\u0000def' }, 'auth0-client-id'],
    ['missing client secret', { 'auth0-client-secret': '' }, 'auth0-client-secret'],
    [
      'client secret with a line break',
      { 'auth0-client-secret': 'sekr3tVALUE\nmore' },
      'auth0-client-secret',
      'sekr3tVALUE',
    ],
    ['missing webhook url', { 'webhook-url': '' }, 'webhook-url'],
    ['relative webhook url', { 'webhook-url': '/hooks/auth0?token=QSECRET' }, 'webhook-url', 'QSECRET'],
    [
      'webhook url without scheme',
      { 'webhook-url': 'hooks.example.com/x?token=QSECRET' },
      'webhook-url',
      'QSECRET',
    ],
    ['file webhook url', { 'webhook-url': 'file:///etc/passwd' }, 'webhook-url', 'passwd'],
    ['data webhook url', { 'webhook-url': 'data:text/plain,QSECRET' }, 'webhook-url', 'QSECRET'],
    ['ftp webhook url', { 'webhook-url': 'ftp://u:PWSECRET@example.com/' }, 'webhook-url', 'PWSECRET'],
    [
      'webhook url credentials with a stray %',
      { 'webhook-url': 'https://u:50%off-PWSECRET@hooks.example.com/x' },
      'webhook-url',
      'PWSECRET',
    ],
    [
      'user:pass without scheme',
      { 'webhook-url': 'someuser:PWSECRET@example.com' },
      'webhook-url',
      'PWSECRET',
    ],
    [
      'http webhook not loopback',
      { 'webhook-url': 'http://u:PWSECRET@hooks.example.com/x?t=QSECRET' },
      'webhook-url',
      'SECRET',
    ],
    [
      'webhook url with a line break',
      { 'webhook-url': 'https://hooks.example.com/\r\nX: QSECRET' },
      'webhook-url',
      'QSECRET',
    ],
    [
      'authorization with CRLF',
      { 'webhook-authorization': 'Bearer AUTHSECRET\r\nX-Evil: 1' },
      'webhook-authorization',
      'AUTHSECRET',
    ],
    [
      'authorization with NUL',
      { 'webhook-authorization': 'Bearer AUTHSECRET\u0000' },
      'webhook-authorization',
      'AUTHSECRET',
    ],
    [
      'authorization with a non-Latin-1 character',
      { 'webhook-authorization': 'Bearer AUTHSECRET€' },
      'webhook-authorization',
      'AUTHSECRET',
    ],
    [
      'header line without a colon',
      { 'webhook-headers': 'X-Api-Key HEADERSECRET' },
      'webhook-headers',
      'HEADERSECRET',
    ],
    [
      'header name with a space',
      { 'webhook-headers': 'X-Key HEADERSECRET: v' },
      'webhook-headers',
      'HEADERSECRET',
    ],
    ['header name with a bad character', { 'webhook-headers': 'X(Key): v' }, 'webhook-headers'],
    ['empty header name', { 'webhook-headers': ': HEADERSECRET' }, 'webhook-headers', 'HEADERSECRET'],
    [
      'header value with a NUL',
      { 'webhook-headers': 'X-Key: HEADERSECRET\u0000' },
      'webhook-headers',
      'HEADERSECRET',
    ],
    [
      'header value with a lone CR',
      { 'webhook-headers': 'X-Key: HEADERSECRET\rX-Evil: 1' },
      'webhook-headers',
      'HEADERSECRET',
    ],
    [
      'Authorization header',
      { 'webhook-headers': 'Authorization: Bearer HEADERSECRET' },
      'webhook-headers',
      'HEADERSECRET',
    ],
    ['content-type header', { 'webhook-headers': 'X-Ok: 1\ncontent-type: text/plain' }, 'webhook-headers'],
    ['User-Agent header', { 'webhook-headers': 'User-Agent: me' }, 'webhook-headers'],
    ['webhook-id header', { 'webhook-headers': 'Webhook-Id: 1' }, 'webhook-headers'],
    ['webhook-timestamp header', { 'webhook-headers': 'webhook-timestamp: 1' }, 'webhook-headers'],
    ['webhook-signature header', { 'webhook-headers': 'webhook-signature: v1,x' }, 'webhook-headers'],
    ['content-length header', { 'webhook-headers': 'Content-Length: 5' }, 'webhook-headers'],
    ['host header', { 'webhook-headers': 'Host: other.example.com' }, 'webhook-headers'],
    ['transfer-encoding header', { 'webhook-headers': 'Transfer-Encoding: chunked' }, 'webhook-headers'],
    [
      'secret not base64',
      { 'webhook-secret': 'whsec_not*base64SECRETVALUE' },
      'webhook-secret',
      'SECRETVALUE',
    ],
    [
      'secret too short',
      { 'webhook-secret': `whsec_${Buffer.alloc(23, 1).toString('base64')}` },
      'webhook-secret',
      Buffer.alloc(23, 1).toString('base64'),
    ],
    [
      'secret too long',
      { 'webhook-secret': Buffer.alloc(65, 1).toString('base64') },
      'webhook-secret',
      Buffer.alloc(65, 1).toString('base64').slice(0, 40),
    ],
    [
      'second secret bad',
      { 'webhook-secret': `${SECRET_32}\nwhsec_BADSECRET!!` },
      'webhook-secret',
      'BADSECRET',
    ],
    [
      'secret with bad padding',
      { 'webhook-secret': `${SECRET_32.replace(/=+$/, '')}==` },
      'webhook-secret',
      SECRET_32.slice(0, 40),
    ],
    [
      'base64url secret',
      { 'webhook-secret': Buffer.alloc(32, 0xfb).toString('base64url') },
      'webhook-secret',
      Buffer.alloc(32, 0xfb).toString('base64url'),
    ],
    ['empty whsec_', { 'webhook-secret': 'whsec_' }, 'webhook-secret'],
    ['log type with a dash', { 'log-types': 'f,limit-wc' }, 'log-types'],
    ['log type with a dot', { 'log-types': 'f.fp' }, 'log-types'],
    ['log-level 5', { 'log-level': '5' }, 'log-level'],
    ['log-level -1', { 'log-level': '-1' }, 'log-level'],
    ['log-level 1.5', { 'log-level': '1.5' }, 'log-level'],
    ['log-level word', { 'log-level': 'error' }, 'log-level'],
    ['payload-format json', { 'payload-format': 'json' }, 'payload-format'],
    ['batch-size 0', { 'payload-format': 'array', 'batch-size': '0' }, 'batch-size'],
    ['batch-size 101', { 'payload-format': 'array', 'batch-size': '101' }, 'batch-size'],
    ['batch-size decimal', { 'payload-format': 'array', 'batch-size': '2.5' }, 'batch-size'],
    ['batch-size > 1 with object', { 'payload-format': 'object', 'batch-size': '10' }, 'batch-size'],
    ['batch-size > 1 with default format', { 'batch-size': '2' }, 'batch-size'],
    ['concurrency 0', { concurrency: '0' }, 'concurrency'],
    ['concurrency 101', { concurrency: '101' }, 'concurrency'],
    ['concurrency -1', { concurrency: '-1' }, 'concurrency'],
    ['concurrency hex', { concurrency: '0x10' }, 'concurrency'],
    ['concurrency with exponent', { concurrency: '1e1' }, 'concurrency'],
    ['max-attempts 0', { 'max-attempts': '0' }, 'max-attempts'],
    ['max-attempts 21', { 'max-attempts': '21' }, 'max-attempts'],
    ['request-timeout 0', { 'request-timeout': '0s' }, 'request-timeout'],
    ['request-timeout 6m', { 'request-timeout': '6m' }, 'request-timeout'],
    ['request-timeout ms', { 'request-timeout': '500ms' }, 'request-timeout'],
    ['request-timeout garbage', { 'request-timeout': 'ten seconds' }, 'request-timeout'],
    ['start-from in the future (ISO)', { 'start-from': '2026-02-01T12:00:01Z' }, 'start-from'],
    ['start-from tomorrow (date)', { 'start-from': '2026-02-02' }, 'start-from'],
    ['start-from log_id in the future', { 'start-from': '90020260201121000' + '0'.repeat(39) }, 'start-from'],
    ['start-from 55 digits', { 'start-from': '9'.repeat(55) }, 'start-from'],
    ['start-from 57 digits', { 'start-from': '9'.repeat(57) }, 'start-from'],
    ['start-from invalid date', { 'start-from': '2026-02-30' }, 'start-from'],
    ['start-from invalid time', { 'start-from': '2026-01-31T24:00:00Z' }, 'start-from'],
    ['start-from bad offset', { 'start-from': '2026-01-31T10:00:00+25:00' }, 'start-from'],
    ['start-from negative duration', { 'start-from': '-1h' }, 'start-from'],
    ['start-from before 1970', { 'start-from': '100000d' }, 'start-from'],
    ['start-from garbage', { 'start-from': 'yesterday' }, 'start-from'],
    ['start-from locale date', { 'start-from': '01/31/2026' }, 'start-from'],
    ['checkpoint-store s3', { 'checkpoint-store': 's3' }, 'checkpoint-store'],
    ['cache name with a comma', { 'checkpoint-name': 'a,b' }, 'checkpoint-name'],
    ['cache name with a line break', { 'checkpoint-name': 'a\nb' }, 'checkpoint-name'],
    ['cache name too long', { 'checkpoint-name': 'x'.repeat(500) }, 'checkpoint-name'],
    [
      'variable name with a dash',
      { 'checkpoint-store': 'variable', 'checkpoint-name': 'MY-VAR', 'github-token': 't' },
      'checkpoint-name',
    ],
    [
      'variable name starting with a digit',
      { 'checkpoint-store': 'variable', 'checkpoint-name': '1VAR', 'github-token': 't' },
      'checkpoint-name',
    ],
    [
      'variable name GITHUB_',
      { 'checkpoint-store': 'variable', 'checkpoint-name': 'GITHUB_CHECKPOINT', 'github-token': 't' },
      'checkpoint-name',
    ],
    [
      'variable name github_',
      { 'checkpoint-store': 'variable', 'checkpoint-name': 'github_x', 'github-token': 't' },
      'checkpoint-name',
    ],
    ['variable store without token', { 'checkpoint-store': 'variable', 'github-token': '' }, 'github-token'],
    ['token with a line break', { 'github-token': 'ghp_TOKENSECRET\nx' }, 'github-token', 'TOKENSECRET'],
    ['token with a space', { 'github-token': 'ghp TOKENSECRET' }, 'github-token', 'TOKENSECRET'],
    ['max-runtime 0', { 'max-runtime': '0' }, 'max-runtime'],
    ['max-runtime 7h', { 'max-runtime': '7h' }, 'max-runtime'],
    ['max-runtime garbage', { 'max-runtime': '10 minutes' }, 'max-runtime'],
    ['dry-run yes', { 'dry-run': 'yes' }, 'dry-run'],
    ['poll-interval garbage', { 'poll-interval': 'often' }, 'poll-interval'],
    ['poll-interval 0', { 'poll-interval': '0' }, 'poll-interval'],
    ['poll-interval under a second', { 'poll-interval': '0.5' }, 'poll-interval'],
    ['poll-interval = max-runtime', { 'poll-interval': '10m' }, 'poll-interval'],
    ['poll-interval > max-runtime', { 'poll-interval': '2m', 'max-runtime': '1m' }, 'poll-interval'],
    ['dry-run 1', { 'dry-run': '1' }, 'dry-run'],
    ['oversized client id', { 'auth0-client-id': oversize }, 'auth0-client-id'],
    [
      'oversized secret',
      { 'auth0-client-secret': `SECRETSTART${oversize}` },
      'auth0-client-secret',
      'SECRETSTART',
    ],
    ['oversized headers', { 'webhook-headers': `X-A: ${'b'.repeat(65_536)}` }, 'webhook-headers'],
    [
      'oversized webhook secret',
      { 'webhook-secret': `${SECRET_32}\n`.repeat(1500) },
      'webhook-secret',
      SECRET_32,
    ],
  ];

  it.each(cases)('%s', (_label, overrides, input, secretText) => {
    const error = inputError(overrides);
    expect(error).toBeInstanceOf(InputError);
    expect(error.name).toBe('InputError');
    expect(error.input).toBe(input);
    expect(error.message).toContain(`Input '${input}'`);
    expect(error.message).toContain('Example of a valid value');
    expect(error.message).not.toMatch(/[\u0000-\u001f]/);
    if (secretText !== undefined) expect(error.message).not.toContain(secretText);
    if (SECRET_INPUTS.has(input)) {
      const value = overrides[input] ?? '';
      if (value.trim() !== '') {
        for (const part of value.split(/[\s:]+/).filter((p) => p.length >= 6 && !ALLOWED_IN_MESSAGES.has(p)))
          expect(error.message).not.toContain(part);
      }
    }
  });

  it('multi-line inputs may be longer than other inputs', () => {
    const headers = Array.from({ length: 500 }, (_, i) => `X-H${i}: ${'v'.repeat(20)}`).join('\n');
    expect(headers.length).toBeGreaterThan(10_000);
    expect(settings({ 'webhook-headers': headers }).webhookHeaders).toHaveLength(500);
  });

  it('checks sizes before anything else', () => {
    const error = inputError({ 'auth0-domain': 'ftp://nope', 'dry-run': 'x'.repeat(10_001) });
    expect(error.input).toBe('dry-run');
  });

  it('reports the first invalid input in the order of action.yml', () => {
    expect(inputError({ 'dry-run': 'maybe', concurrency: '0', 'webhook-url': 'ftp://x' }).input).toBe(
      'webhook-url',
    );
    expect(inputError({ 'dry-run': 'maybe', concurrency: '0' }).input).toBe('concurrency');
  });

  it('quotes a non-secret bad value, escaped and truncated', () => {
    expect(inputError({ concurrency: 'lots' }).message).toContain("'lots'");
    const message = inputError({ 'log-level': `x\u202e${'y'.repeat(200)}` }).message;
    expect(message).toContain('\\u202e');
    expect(message).toContain('(202 characters)');
    expect(message).not.toContain('y'.repeat(81));
  });

  it('the error names the input, the problem and an example', () => {
    expect(inputError({ 'payload-format': 'xml' }).message).toBe(
      "Input 'payload-format': 'xml' is not one of 'object', 'array', 'lines', 'slack', 'discord', 'teams'. Example of a valid value: array",
    );
    expect(inputError({ 'webhook-headers': 'Authorization: Bearer x' }).message).toContain(
      'webhook-authorization',
    );
  });
});

describe('quote', () => {
  it.each([
    ['plain', "'plain'"],
    ['a\nb', "'a\\nb'"],
    ['a\r\tb', "'a\\r\\tb'"],
    ["it's", "'it\\'s'"],
    ['a\u0000b', "'a\\u0000b'"],
    ['a\u001bb', "'a\\u001bb'"],
    ['a\u200bb', "'a\\u200bb'"],
    ['😀'.repeat(81), `'${'😀'.repeat(80)}…' (81 characters)`],
  ])('%j -> %s', (value, quoted) => {
    expect(quote(value)).toBe(quoted);
  });
});

describe('poll-interval', () => {
  it('names max-runtime when it is not less than it', () => {
    const error = inputError({ 'poll-interval': '2m', 'max-runtime': '1m' });
    expect(error.message).toMatch(/not less than max-runtime \(1m\)/);
    expect(error.message).toContain('Example of a valid value: 30s');
  });
});
