import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Auth0Client, validatePage } from '../src/auth0/client.js';
import { ActionError } from '../src/errors.js';
import { createDispatcher } from '../src/http.js';
import { FakeAuth0 } from './fakes/auth0.js';
import { makeEvents } from './fakes/events.js';
import { FakeClock } from './support/fake-clock.js';

const ZERO = '0'.repeat(56);
const dispatcher = createDispatcher(2, {}); // {}: no proxy from the environment
let auth0: FakeAuth0;
let clock: FakeClock;
let warnings: string[];

beforeEach(async () => {
  auth0 = new FakeAuth0({ events: makeEvents(250) });
  await auth0.start();
  clock = new FakeClock();
  warnings = [];
});
afterEach(() => auth0.close());

function client(secret = auth0.clientSecret): Auth0Client {
  return new Auth0Client({
    origin: auth0.origin,
    clientId: auth0.clientId,
    clientSecret: secret,
    dispatcher,
    clock,
    backoffBaseMs: 1_000,
    signal: new AbortController().signal,
    onToken: () => undefined,
    onWarning: (message) => warnings.push(message),
    onDebug: () => undefined,
  });
}

async function readAll(reader: Auth0Client): Promise<string[]> {
  const ids: string[] = [];
  let cursor = ZERO;
  for (;;) {
    const page = await reader.fetchPage(cursor);
    if (page.length === 0) return ids;
    ids.push(...page.map((event) => event.log_id as string));
    cursor = ids[ids.length - 1] as string;
  }
}

describe('Auth0Client', () => {
  it('reads every page in checkpoint mode until an empty page', async () => {
    const reader = client();
    await reader.authenticate();
    expect(await readAll(reader)).toEqual(auth0.events.map((event) => event.log_id));
    const logs = auth0.requests.filter((request) => request.path === '/api/v2/logs');
    expect(logs.map((request) => request.query.take)).toEqual(['100', '100', '100', '100']);
  });

  it('retries 5xx and bodies that are not JSON, then continues', async () => {
    auth0.faults.push({ status: 502 }, { status: 200, body: '<html>gateway</html>' });
    const reader = client();
    await reader.authenticate();
    expect(await readAll(reader)).toHaveLength(250);
    expect(reader.stats.retries).toBe(2);
    expect(warnings.join('\n')).toContain('502');
  });

  it('gives up after 8 tries on a page with an error naming the tenant', async () => {
    for (let i = 0; i < 8; i++) auth0.faults.push({ status: 500 });
    const reader = client();
    await reader.authenticate();
    await expect(reader.fetchPage(ZERO)).rejects.toThrow(/after 8 tries/);
  });

  // Regression (issue #14, item 3): a 429 with Retry-After 0 (or a date already past) made a 0 ms
  // wait, and the reader spun (9,049 reads in 3 s). At most one read per (fake-clock) second now.
  it.for([
    ['0', (): string => '0'],
    ['a date in the past', (): string => new Date(Date.now() - 60_000).toUTCString()],
  ] as const)(
    'a throttling tenant (429, Retry-After %s) gets at most one read a second',
    async ([, value]) => {
      const throttled = 30;
      for (let i = 0; i < throttled; i++) {
        auth0.faults.push({
          status: 429,
          headers: () => ({ 'retry-after': value(), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0' }),
        });
      }
      const reader = client();
      await reader.authenticate();
      const started = clock.now();
      expect(await reader.fetchPage(ZERO)).toHaveLength(100);
      const reads = auth0.logRequests.length;
      const seconds = (clock.now() - started) / 1000;
      expect(reads).toBe(throttled + 1);
      expect(reader.stats.rateLimited).toBe(throttled);
      expect(seconds, `${reads} reads in ${seconds} s`).toBeGreaterThanOrEqual(reads - 1);
    },
  );

  // Regression (issue #14, item 2): a page over 1,000,000 characters was cut, called "not JSON"
  // and retried 8 times, on every run.
  it('reads a page over 1 MB whole (100 events of 15 KB)', async () => {
    await auth0.close();
    auth0 = new FakeAuth0({ events: makeEvents(230, { detailBytes: 15_000 }) });
    await auth0.start();
    const reader = client();
    await reader.authenticate();
    expect(await readAll(reader)).toEqual(auth0.events.map((event) => event.log_id));
    expect(reader.stats.retries).toBe(0);
    expect(JSON.stringify(auth0.events.slice(0, 100)).length).toBeGreaterThan(1_400_000);
  });

  it('a 200 past the 32 MB cap fails at once naming the page, never parsed or retried', async () => {
    auth0.faults.push({ status: 200, streamed: { bytes: 40 * 1024 * 1024, head: '[' } });
    const reader = client();
    await reader.authenticate();
    const failure = await reader.fetchPage(ZERO).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ActionError);
    expect((failure as Error).message).toMatch(/logs page from 0{56} with more than 32 MB/);
    expect(auth0.logRequests).toHaveLength(1);
    expect(reader.stats.retries).toBe(0);
  });

  // Regression (issue #14, item 4): an error answer was read whole before 200 characters were quoted.
  it('quotes the beginning of a 60 MB error answer without reading the rest', async () => {
    const head = '{"statusCode":503,"error":"Service Unavailable","message":"upstream overloaded"}';
    auth0.faults.push({ status: 503, streamed: { bytes: 60 * 1024 * 1024, head, filler: ' ' } });
    const reader = client();
    await reader.authenticate();
    expect(await reader.fetchPage(ZERO)).toHaveLength(100);
    expect(warnings.join('\n')).toContain('upstream overloaded');
    const huge = auth0.logRequests[0]!;
    await expect.poll(() => huge.sent).toBeDefined();
    // Only socket buffers beyond the few KB read: far from 60 MB.
    expect(huge.sent!).toBeLessThan(16 * 1024 * 1024);
  });

  it('waits out a 429 (Retry-After) instead of failing', async () => {
    auth0.faults.push({ status: 429, headers: { 'retry-after': '3' } });
    const reader = client();
    await reader.authenticate();
    expect(await readAll(reader)).toHaveLength(250);
    expect(reader.stats.rateLimited).toBe(1);
    expect(clock.sleeps).toContain(3_000);
  });

  it('gets a new token once when the current one expires mid-run', async () => {
    const reader = client();
    await reader.authenticate();
    await reader.fetchPage(ZERO);
    auth0.revokeAllTokens();
    expect(await readAll(reader)).toHaveLength(250);
    expect(auth0.tokensIssued).toHaveLength(2);
  });

  it('spends the budget while some remains, without waiting', async () => {
    auth0.setRateLimit({ limit: 10, refillPerSecond: 0.1, initial: 3 });
    const reader = client();
    await reader.authenticate();
    for (let i = 0; i < 3; i++) await reader.fetchPage(ZERO);
    // 2, 1, then 0 remained: spreading them up to the reset would leave half the bucket unused.
    expect(clock.sleeps).toEqual([]);
    expect(reader.stats.rateLimited).toBe(0);
  });

  it('with an empty bucket waits for one read of refill, not for the whole bucket', async () => {
    auth0.setRateLimit({ limit: 10, refillPerSecond: 0.1, initial: 1 });
    const reader = client();
    await reader.authenticate();
    await reader.fetchPage(ZERO);
    await reader.fetchPage(ZERO);
    // The bucket is empty and full again in ~100 s: one read's refill is ~10 s.
    expect(clock.sleeps[0]).toBeGreaterThan(5_000);
    expect(clock.sleeps[0]).toBeLessThan(20_000);
  });

  it('explains wrong client credentials', async () => {
    const error = await client('wrong')
      .authenticate()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).message).toContain('401');
    expect((error as ActionError).hint).toContain('auth0-client-secret');
    expect((error as ActionError).message).not.toContain('wrong');
  });

  it('explains an application without a Management API grant', async () => {
    auth0.grantMissing = true;
    const error = (await client()
      .authenticate()
      .catch((caught: unknown) => caught)) as ActionError;
    expect(error.hint).toContain('read:logs');
  });

  it('explains a token without read:logs', async () => {
    auth0.missingScope = true;
    const reader = client();
    await reader.authenticate();
    const error = (await reader.fetchPage(ZERO).catch((caught: unknown) => caught)) as ActionError;
    expect(error.message).toContain('403');
    expect(error.hint).toContain('read:logs');
  });
});

describe('validatePage', () => {
  const id = (n: number): string => `900${String(n).padStart(53, '0')}`;
  it('accepts ascending ids past the cursor, falling back to _id', () => {
    expect(validatePage([{ log_id: id(2) }, { _id: id(3) }], id(1))).toHaveLength(2);
  });
  it.each([
    ['not an array', { logs: [] }],
    ['an id at the cursor', [{ log_id: id(1) }]],
    ['ids that do not ascend', [{ log_id: id(3) }, { log_id: id(2) }]],
    ['an event without an id', [{ type: 'f' }]],
    ['an id that is not 56 digits', [{ log_id: `9${id(2)}` }]],
  ])('refuses %s', (_, body) => {
    expect(() => validatePage(body, id(1))).toThrow(ActionError);
  });
});
