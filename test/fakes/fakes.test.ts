// Smoke tests of the loopback fakes themselves (no action involved), through plain fetch.

import { afterEach, describe, expect, it } from 'vitest';
import { FakeAuth0 } from './auth0.js';
import { logIdFor, makeEvents, withType } from './events.js';
import { FakeGithub } from './github.js';
import { FakeWebhook } from './webhook.js';

const OLDEST = '0'.repeat(56);
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function started<T extends { start(): Promise<void>; close(): Promise<void> }>(fake: T): Promise<T> {
  await fake.start();
  closers.push(() => fake.close());
  return fake;
}

async function token(auth0: FakeAuth0, overrides: Record<string, string> = {}): Promise<Response> {
  return fetch(`${auth0.origin}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: auth0.clientId,
      client_secret: auth0.clientSecret,
      audience: `${auth0.origin}/api/v2/`,
      ...overrides,
    }),
  });
}

async function accessToken(auth0: FakeAuth0): Promise<string> {
  const res = await token(auth0);
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('makeEvents', () => {
  it('is deterministic, ascending, 56-digit ids embedding the UTC time', () => {
    const a = makeEvents(500, { stepSeconds: 0 });
    const b = makeEvents(500, { stepSeconds: 0 });
    expect(a).toEqual(b);
    for (const [i, e] of a.entries()) {
      expect(e.log_id).toMatch(/^900\d{53}$/);
      expect(e.log_id.slice(3, 17)).toBe('20261101000000');
      if (i > 0) expect(e.log_id > a[i - 1]!.log_id).toBe(true);
    }
    const types = new Set(a.map((e) => e.type));
    for (const t of ['s', 'f', 'fp', 'sapi', 'mgmt_api_read', 'limit_wc']) expect(types).toContain(t);
    expect(logIdFor(new Date('2026-11-01T12:34:56Z'), 5)).toBe(`90020261101123456${'0'.repeat(38)}5`);
  });

  it('continues a series and cycles forced types', () => {
    const first = makeEvents(10);
    const more = makeEvents(5, { after: first[9]!, types: ['f', 'w'] });
    expect(more.map((e) => e.type)).toEqual(['f', 'w', 'f', 'w', 'f']);
    expect(more[0]!.log_id > first[9]!.log_id).toBe(true);
    expect(withType(first[0]!, 'limit_wc')).toMatchObject({ log_id: first[0]!.log_id, type: 'limit_wc' });
  });
});

describe('FakeAuth0', () => {
  it('issues a new random token per request, rejects wrong credentials and missing grants', async () => {
    const auth0 = await started(new FakeAuth0());
    const t1 = await accessToken(auth0);
    const t2 = await accessToken(auth0);
    expect(t1).toMatch(/^eyJ[0-9a-f]{64}$/);
    expect(t2).not.toBe(t1);
    expect(auth0.tokensIssued).toEqual([t1, t2]);

    const bad = await token(auth0, { client_secret: 'nope' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });

    const aud = await token(auth0, { audience: 'https://elsewhere/api/v2/' });
    expect(aud.status).toBe(403);

    auth0.grantMissing = true;
    const grant = await token(auth0);
    expect(grant.status).toBe(403);
    expect(((await grant.json()) as { error_description: string }).error_description).toContain(
      'client-grant',
    );
  });

  it('pages in checkpoint mode to the end, with Link and rate-limit headers', async () => {
    const events = makeEvents(250);
    const auth0 = await started(new FakeAuth0({ events }));
    const t = await accessToken(auth0);
    let from = OLDEST;
    const seen: string[] = [];
    for (;;) {
      const res = await fetch(`${auth0.origin}/api/v2/logs?from=${from}&take=100`, {
        headers: { authorization: `Bearer ${t}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
      expect(res.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(
        Math.floor(Date.now() / 1000) - 1,
      );
      const page = (await res.json()) as Array<{ log_id: string }>;
      if (page.length === 0) {
        // Auth0: an empty page links to the same URL again.
        expect(res.headers.get('link')).toContain(`from=${from}&`);
        break;
      }
      expect(page.length).toBeLessThanOrEqual(100);
      const last = page[page.length - 1]!.log_id;
      expect(res.headers.get('link')).toContain(`from=${last}`);
      seen.push(...page.map((e) => e.log_id));
      from = last;
    }
    expect(seen).toEqual(events.map((e) => e.log_id));
    expect(auth0.logRequests.map((r) => r.query['from'])).toHaveLength(4);

    // Appending while "running": the next page from the last cursor has them.
    const more = makeEvents(3, { after: events[249]! });
    auth0.addEvents(more);
    const res = await fetch(`${auth0.origin}/api/v2/logs?from=${from}&take=100`, {
      headers: { authorization: `Bearer ${t}` },
    });
    expect(((await res.json()) as Array<{ log_id: string }>).map((e) => e.log_id)).toEqual(
      more.map((e) => e.log_id),
    );
    expect(() => auth0.addEvents(events.slice(0, 1))).toThrow(/ascend/);
  });

  it('rejects unknown tokens, missing scope, and answers 429 when the bucket is empty', async () => {
    const auth0 = await started(
      new FakeAuth0({ events: makeEvents(5), rateLimit: { limit: 2, refillPerSecond: 0.001 } }),
    );
    const noAuth = await fetch(`${auth0.origin}/api/v2/logs?from=${OLDEST}&take=100`);
    expect(noAuth.status).toBe(401);
    expect(await noAuth.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid token' });
    const t = await accessToken(auth0);
    const get = (): Promise<Response> =>
      fetch(`${auth0.origin}/api/v2/logs?from=${OLDEST}&take=100`, {
        headers: { authorization: `Bearer ${t}` },
      });
    expect((await get()).status).toBe(200);
    const second = await get();
    expect(second.status).toBe(200);
    expect(second.headers.get('x-ratelimit-remaining')).toBe('0');
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('2');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);

    auth0.setRateLimit({ limit: 100, refillPerSecond: 100 });
    auth0.missingScope = true;
    const scope = await get();
    expect(scope.status).toBe(403);
    expect(((await scope.json()) as { errorCode: string }).errorCode).toBe('insufficient_scope');
  });

  it('plays scripted faults first: 500, 429, HTML, pass, 401 revoking the token', async () => {
    const auth0 = await started(new FakeAuth0({ events: makeEvents(5) }));
    const t = await accessToken(auth0);
    auth0.faults.push(
      { status: 500 },
      { status: 429, headers: { 'retry-after': '0' } },
      { status: 200, body: '<html>oops</html>' },
      'pass',
      { status: 401 },
    );
    const get = (): Promise<Response> =>
      fetch(`${auth0.origin}/api/v2/logs?from=${OLDEST}&take=100`, {
        headers: { authorization: `Bearer ${t}` },
      });
    expect((await get()).status).toBe(500);
    const r429 = await get();
    expect(r429.status).toBe(429);
    expect(r429.headers.get('retry-after')).toBe('0');
    expect(r429.headers.get('x-ratelimit-limit')).not.toBeNull();
    const html = await get();
    expect(html.status).toBe(200);
    expect(await html.text()).toBe('<html>oops</html>');
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(401);
    // The token is now revoked.
    expect((await get()).status).toBe(401);
    const t2 = await accessToken(auth0);
    const ok = await fetch(`${auth0.origin}/api/v2/logs?from=${OLDEST}&take=100`, {
      headers: { authorization: `Bearer ${t2}` },
    });
    expect(ok.status).toBe(200);
  });
});

describe('FakeWebhook', () => {
  it('records requests and parses delivered events of each format', async () => {
    const hook = await started(new FakeWebhook());
    const [a, b, c] = makeEvents(3);
    hook.respond = (req) => (req.headers['x-fail'] ? { status: 503, body: 'later' } : { status: 202 });
    const post = (body: string, type: string, extra: Record<string, string> = {}): Promise<Response> =>
      fetch(hook.url, { method: 'POST', headers: { 'content-type': type, ...extra }, body });
    expect((await post(JSON.stringify(a), 'application/json')).status).toBe(202);
    expect((await post(JSON.stringify([b]), 'application/json', { 'x-fail': '1' })).status).toBe(503);
    expect((await post(`${JSON.stringify(b)}\n${JSON.stringify(c)}\n`, 'application/x-ndjson')).status).toBe(
      202,
    );
    expect(hook.requests.map((r) => [r.index, r.method, r.url, r.status])).toEqual([
      [0, 'POST', '/hook', 202],
      [1, 'POST', '/hook', 503],
      [2, 'POST', '/hook', 202],
    ]);
    expect(hook.deliveredIds()).toEqual([a!.log_id, b!.log_id, c!.log_id]);
    expect(hook.sentIds()).toEqual([a!.log_id, b!.log_id, b!.log_id, c!.log_id]);
    expect(hook.deliveredEvents()[0]).toEqual(a);
  });
});

describe('FakeGithub', () => {
  it('reads and writes repository variables with a writable token; 403 for read-only; 401 unknown', async () => {
    const gh = await started(new FakeGithub());
    const api = (method: string, path: string, tok: string, body?: unknown): Promise<Response> =>
      fetch(`${gh.origin}${path}`, {
        method,
        headers: {
          authorization: tok,
          accept: 'application/vnd.github+json',
          'content-type': 'application/json',
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const base = '/repos/acme/ops/actions/variables';
    const missing = await api('GET', `${base}/AUTH0_CP`, 'token ghp_writer');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ message: 'Not Found' });

    expect((await api('POST', base, 'Bearer ghp_writer', { name: 'AUTH0_CP', value: '1' })).status).toBe(201);
    expect((await api('POST', base, 'Bearer ghp_writer', { name: 'AUTH0_CP', value: '1' })).status).toBe(409);
    const got = await api('GET', `${base}/AUTH0_CP`, 'token ghs_readonly');
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ name: 'AUTH0_CP', value: '1' });

    expect(
      (await api('PATCH', `${base}/AUTH0_CP`, 'token ghp_writer', { name: 'AUTH0_CP', value: '2' })).status,
    ).toBe(204);
    expect(gh.variable('AUTH0_CP')).toBe('2');
    expect(
      (await api('PATCH', `${base}/NOPE`, 'token ghp_writer', { name: 'NOPE', value: '2' })).status,
    ).toBe(404);

    const ro = await api('PATCH', `${base}/AUTH0_CP`, 'token ghs_readonly', { name: 'AUTH0_CP', value: '3' });
    expect(ro.status).toBe(403);
    expect(await ro.json()).toMatchObject({
      message: 'Resource not accessible by integration',
      status: '403',
    });
    expect((await api('POST', base, 'token ghs_readonly', { name: 'OTHER', value: '3' })).status).toBe(403);
    expect(gh.variable('AUTH0_CP')).toBe('2');

    const unknown = await api('GET', `${base}/AUTH0_CP`, 'token ghp_nobody');
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ message: 'Bad credentials' });

    gh.setVariable('preset', 'x');
    expect(gh.variable('PRESET')).toBe('x');
    expect(gh.writeRequests().map((r) => r.status)).toEqual([201, 409, 204, 404, 403, 403]);
  });
});
