import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogEvent } from '../src/auth0/log-event.js';
import { buildPayload, eventsOfPayload } from '../src/delivery/payload.js';
import { WebhookSender, type SenderOptions } from '../src/delivery/sender.js';
import { createDispatcher } from '../src/http.js';
import { sendStreamed, type StreamedBody } from './fakes/http-util.js';
import { FakeClock } from './support/fake-clock.js';

interface Received {
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
type Responder = (
  request: Received,
  index: number,
) => { status: number; headers?: Record<string, string>; body?: string; streamed?: StreamedBody } | 'hang';

let server: Server;
let received: Received[];
/** Bytes of each streamed answer the client took before it closed the connection. */
let streamedSent: number[];
let respond: Responder;
let url: URL;
const dispatcher = createDispatcher(4, {}); // {}: no proxy from the environment

beforeEach(async () => {
  received = [];
  streamedSent = [];
  respond = () => ({ status: 200 });
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const request = { url: req.url ?? '', headers: req.headers, body };
      received.push(request);
      const answer = respond(request, received.length - 1);
      if (answer === 'hang') return;
      if (answer.streamed) {
        void sendStreamed(res, answer.status, answer.streamed, answer.headers).then((n) =>
          streamedSent.push(n),
        );
        return;
      }
      res.writeHead(answer.status, answer.headers).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
});
afterEach(async () => {
  vi.restoreAllMocks();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const id = (n: number): string => `900${String(n).padStart(53, '0')}`;
const events = (count: number): LogEvent[] =>
  Array.from({ length: count }, (_, i) => ({ log_id: id(i + 1), type: 'f', user_name: `u${i}` }));

/** prepare + deliver, as the pipeline does. */
function deliverEvents(
  webhook: WebhookSender,
  batch: LogEvent[],
  onDelivered: (count: number) => void,
): ReturnType<WebhookSender['deliver']> {
  return webhook.deliver(webhook.prepare(batch), onDelivered);
}

function sender(
  overrides: Partial<SenderOptions['settings']> = {},
  clock = new FakeClock(),
  options: Partial<Omit<SenderOptions, 'settings' | 'clock'>> = {},
): WebhookSender {
  return new WebhookSender({
    settings: {
      webhookUrl: url,
      webhookAuthorization: undefined,
      webhookHeaders: [],
      webhookSecrets: [],
      auth0Domain: 'acme.us.auth0.com',
      payloadFormat: 'object',
      payloadTemplate: undefined,
      maxAttempts: 5,
      requestTimeoutMs: 5_000,
      ...overrides,
    },
    dispatcher,
    clock,
    backoffBaseMs: 1_000,
    stopping: new AbortController().signal,
    abort: new AbortController().signal,
    deadline: clock.now() + 3_600_000,
    onWarning: () => undefined,
    onDebug: () => undefined,
    ...options,
  });
}

describe('WebhookSender', () => {
  it('retries 5xx with the same webhook-id and body, a fresh timestamp per attempt', async () => {
    respond = (_, index) => ({ status: index < 2 ? 503 : 200 });
    const clock = new FakeClock();
    const outcome = await deliverEvents(sender({}, clock), events(1), () => undefined);
    expect(outcome.kind).toBe('delivered');
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.headers['webhook-id']))).toEqual(new Set([id(1)]));
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('gives up after max-attempts and names status, event, type and answer', async () => {
    respond = () => ({ status: 500, body: 'database down '.repeat(40) });
    const outcome = await deliverEvents(sender({ maxAttempts: 3 }), events(1), () => undefined);
    expect(received).toHaveLength(3);
    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.failure.message).toContain('500');
    expect(outcome.failure.message).toContain(id(1));
    expect(outcome.failure.message).toContain('type f');
    expect(outcome.failure.answer.length).toBeLessThanOrEqual(201);
  });

  it('treats 4xx other than 408/429 as permanent at once', async () => {
    respond = () => ({ status: 422, body: 'bad event' });
    const outcome = await deliverEvents(sender(), events(1), () => undefined);
    expect(received).toHaveLength(1);
    expect(outcome).toMatchObject({ kind: 'failed', failure: { status: 422, answer: 'bad event' } });
  });

  it('holds back the whole endpoint for Retry-After on 429', async () => {
    respond = (_, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '7' } } : { status: 200 };
    const clock = new FakeClock();
    const webhook = sender({}, clock);
    const outcome = await deliverEvents(webhook, events(1), () => undefined);
    expect(outcome.kind).toBe('delivered');
    expect(clock.sleeps).toEqual([7_000]);
  });

  // Regression (issue #14, item 3): Retry-After 0 (or a past date) was a 0 ms wait and a 0 ms hold.
  it.for([
    ['0', (): string => '0'],
    ['a date in the past', (): string => new Date(Date.now() - 60_000).toUTCString()],
  ] as const)('a 503 with Retry-After %s backs off instead of retrying at once', async ([, value]) => {
    respond = (_, index) =>
      index < 3 ? { status: 503, headers: { 'retry-after': value() } } : { status: 200 };
    const clock = new FakeClock();
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // backoff jitter: half the ceiling
    const webhook = sender({}, clock);
    const outcome = await deliverEvents(webhook, events(1), () => undefined);
    expect(outcome.kind).toBe('delivered');
    expect(clock.sleeps).toHaveLength(3);
    expect(clock.sleeps).toEqual([500, 1_000, 2_000]);
  });

  // Regression (issue #14, item 4): an error answer was read whole (60 MB × concurrency in memory)
  // before 200 characters of it were quoted.
  it('quotes the beginning of a 60 MB error answer without reading the rest', async () => {
    respond = () => ({
      status: 500,
      streamed: { bytes: 60 * 1024 * 1024, head: 'database is on fire; details follow', filler: ' ' },
    });
    const outcome = await deliverEvents(sender({ maxAttempts: 2 }), events(1), () => undefined);
    expect(outcome.kind === 'failed' && outcome.failure.answer).toBe('database is on fire; details follow');
    await expect.poll(() => streamedSent.length).toBe(2);
    // Only socket buffers beyond the few KB read: far from 60 MB.
    for (const sent of streamedSent) expect(sent).toBeLessThan(16 * 1024 * 1024);
  });

  it('drops the tail of a cut error answer, where a secret may be cut in two', async () => {
    const secret = 'Bearer s3cr3t-t0ken-0123456789';
    const head = `${' '.repeat(4096 - 12)}${secret}`; // the cap falls inside the echoed secret
    respond = () => ({ status: 400, streamed: { bytes: 1024 * 1024, head } });
    const outcome = await deliverEvents(sender({ webhookAuthorization: secret }), events(1), () => undefined);
    expect(outcome.kind).toBe('failed');
    const answer = outcome.kind === 'failed' ? outcome.failure.answer : '';
    expect(answer).not.toContain(secret.slice(0, 12));
  });

  it("does not follow redirects and names the Location's origin only", async () => {
    respond = () => ({ status: 302, headers: { location: 'https://elsewhere.example/x/y?z=1' } });
    const outcome = await deliverEvents(
      sender({ webhookAuthorization: 'Bearer t0ken' }),
      events(1),
      () => undefined,
    );
    expect(received).toHaveLength(1);
    const message = outcome.kind === 'failed' ? outcome.failure.message : '';
    expect(message).toContain('redirect to https://elsewhere.example/… (not followed)');
    expect(message).not.toContain('/x/y');
  });

  it("quotes no part of the webhook URL's secret path or query that a Location echoes", async () => {
    respond = (request) => ({ status: 302, headers: { location: `${request.url}&again=1` } });
    const secretUrl = new URL(`${url.origin}/services/T0ABCDEFG/B0ABCDEFG/s3cr3tPathToken?token=q9q9q9`);
    const outcome = await deliverEvents(sender({ webhookUrl: secretUrl }), events(1), () => undefined);
    expect(received[0]?.url).toBe('/services/T0ABCDEFG/B0ABCDEFG/s3cr3tPathToken?token=q9q9q9');
    const message = outcome.kind === 'failed' ? outcome.failure.message : '';
    expect(message).toContain(`redirect to ${url.origin}/… (not followed)`);
    for (const part of ['services', 'T0ABCDEFG', 's3cr3tPathToken', 'token=', 'q9q9q9']) {
      expect(message).not.toContain(part);
    }
  });

  it('a relative Location resolves against the webhook URL; one that is not a URL is not quoted', async () => {
    respond = () => ({ status: 301, headers: { location: '/moved/s3cr3t' } });
    const moved = await deliverEvents(sender(), events(1), () => undefined);
    expect(moved.kind === 'failed' && moved.failure.message).toContain(
      `redirect to ${url.origin}/… (not followed)`,
    );
    respond = () => ({ status: 307, headers: { location: 'http://[bad s3cr3t' } });
    const bad = await deliverEvents(sender(), events(1), () => undefined);
    const message = bad.kind === 'failed' ? bad.failure.message : '';
    expect(message).toContain('redirect to a Location that is not a URL (not followed)');
    expect(message).not.toContain('s3cr3t');
  });

  it('splits a batch answered 413 in halves down to single events', async () => {
    respond = (request) => ({ status: (JSON.parse(request.body) as unknown[]).length > 2 ? 413 : 200 });
    const parts: number[] = [];
    const outcome = await deliverEvents(sender({ payloadFormat: 'array' }), events(8), (count) =>
      parts.push(count),
    );
    expect(outcome.kind).toBe('delivered');
    expect(parts).toEqual([2, 2, 2, 2]);
    const ids = received
      .filter((r) => (JSON.parse(r.body) as unknown[]).length <= 2)
      .map((r) => r.headers['webhook-id']);
    expect(ids[0]).toBe(`${id(1)}-${id(2)}`);
    expect(new Set(ids).size).toBe(4);
  });

  it('a single event answered 413 is a permanent failure', async () => {
    respond = () => ({ status: 413 });
    const outcome = await deliverEvents(sender({ payloadFormat: 'array' }), events(2), () => undefined);
    expect(outcome.kind).toBe('failed');
    expect(received).toHaveLength(2); // the pair, then its first half alone; the second half is never sent
  });

  it('signs with every secret so that a Standard Webhooks verifier accepts each', async () => {
    const keys = [Buffer.alloc(32, 1), Buffer.alloc(24, 2)];
    await deliverEvents(sender({ webhookSecrets: keys, payloadFormat: 'array' }), events(3), () => undefined);
    const [request] = received;
    expect(String(request?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const key of keys) {
      const verifier = new Webhook(`whsec_${key.toString('base64')}`);
      expect(() =>
        verifier.verify(request?.body ?? '', request?.headers as Record<string, string>),
      ).not.toThrow();
    }
  });

  it('sends the configured authorization and extra headers, and the user agent', async () => {
    await deliverEvents(
      sender({ webhookAuthorization: 'Basic abc', webhookHeaders: [['X-Env', 'prod']] }),
      events(1),
      () => undefined,
    );
    const headers = received[0]?.headers ?? {};
    expect(headers.authorization).toBe('Basic abc');
    expect(headers['x-env']).toBe('prod');
    expect(headers['user-agent']).toMatch(/^auth0-log-webhooks\/\d+\.\d+\.\d+/);
    expect(Number(headers['webhook-timestamp'])).toBeGreaterThan(1_700_000_000);
  });

  it('turns credentials in the URL into Basic authorization and keeps them out of the request line', async () => {
    const withCredentials = new URL(url);
    withCredentials.username = 'user';
    withCredentials.password = 'p@ss';
    await deliverEvents(sender({ webhookUrl: withCredentials }), events(1), () => undefined);
    expect(received[0]?.headers.authorization).toBe(`Basic ${Buffer.from('user:p@ss').toString('base64')}`);
  });

  it('times out a request that never answers and retries it', async () => {
    respond = (_, index) => (index === 0 ? 'hang' : { status: 200 });
    const outcome = await deliverEvents(sender({ requestTimeoutMs: 200 }), events(1), () => undefined);
    expect(outcome.kind).toBe('delivered');
    expect(received).toHaveLength(2);
  });

  it('abandons (does not fail) a request waiting to retry when the run stops', async () => {
    respond = () => ({ status: 500 });
    const stopping = new AbortController();
    const webhook = sender({}, new FakeClock(), {
      stopping: stopping.signal,
      onWarning: () => stopping.abort(),
    });
    expect((await deliverEvents(webhook, events(1), () => undefined)).kind).toBe('abandoned');
  });
});

const CONTEXT = { auth0Domain: 'acme.us.auth0.com' };

describe('eventsOfPayload', () => {
  const tricky: LogEvent[] = [
    { log_id: id(1), type: 'f', description: 'line one\nline two\r\n\ttabbed', user_name: 'zoë 👋' },
    { log_id: id(2), type: 's', details: { nested: [1, 2.5, -0, 1e21, null, true], quote: '"\\\u2028' } },
    { log_id: id(3), type: 'sapi', empty: {}, list: [] },
  ];

  it.each(['array', 'lines'] as const)(
    'gives back the events of a %s body, byte for byte when rebuilt',
    (format) => {
      const payload = buildPayload(format, tricky, CONTEXT);
      const back = eventsOfPayload(format, payload);
      expect(back).toEqual(JSON.parse(JSON.stringify(tricky)));
      expect(buildPayload(format, back, CONTEXT).body).toBe(payload.body);
      expect(buildPayload(format, back.slice(0, 1), CONTEXT).body).toBe(
        buildPayload(format, tricky.slice(0, 1), CONTEXT).body,
      );
    },
  );

  it('gives back the one event of an object body', () => {
    const payload = buildPayload('object', tricky.slice(1, 2), CONTEXT);
    expect(buildPayload('object', eventsOfPayload('object', payload), CONTEXT).body).toBe(payload.body);
  });

  it.each(['slack', 'discord', 'teams'] as const)(
    'keeps the events of a %s message, which cannot be re-parsed',
    (format) => {
      const payload = buildPayload(format, tricky, CONTEXT);
      expect(payload.webhookId).toBe(`${id(1)}-${id(3)}`);
      expect(eventsOfPayload(format, payload)).toEqual(tricky);
    },
  );
});

describe('413 splitting of a prepared body', () => {
  it('splits a lines batch answered 413 and delivers every event once, in order', async () => {
    respond = (request) => ({ status: request.body.trim().split('\n').length > 3 ? 413 : 200 });
    const parts: number[] = [];
    const outcome = await deliverEvents(sender({ payloadFormat: 'lines' }), events(7), (count) =>
      parts.push(count),
    );
    expect(outcome.kind).toBe('delivered');
    expect(parts).toEqual([2, 2, 3]);
    const delivered = received
      .filter((r) => r.body.trim().split('\n').length <= 3)
      .flatMap((r) =>
        r.body
          .trim()
          .split('\n')
          .map((line) => (JSON.parse(line) as LogEvent).log_id),
      );
    expect(delivered).toEqual(events(7).map((e) => e.log_id));
  });
});

describe('rate limits and pacing', () => {
  it('a 429 with Retry-After does not spend an attempt (max-attempts 1 still delivers)', async () => {
    respond = (_, index) => (index < 3 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 });
    const clock = new FakeClock();
    const outcome = await deliverEvents(sender({ maxAttempts: 1 }, clock), events(1), () => undefined);
    expect(outcome.kind).toBe('delivered');
    expect(received).toHaveLength(4);
    expect(clock.sleeps).toEqual([2_000, 2_000, 2_000]);
  });

  it('a 429 without Retry-After is an attempt like a 5xx', async () => {
    respond = () => ({ status: 429 });
    const outcome = await deliverEvents(sender({ maxAttempts: 2 }), events(1), () => undefined);
    expect(received).toHaveLength(2);
    expect(outcome).toMatchObject({ kind: 'failed', failure: { status: 429 } });
  });

  it('paces requests to minIntervalMs whatever the concurrency', async () => {
    // Time stands still and sleeps return at once: each sleep is how long that request waited for its slot.
    const clock = new FakeClock();
    const standStill = Object.assign(Object.create(clock) as FakeClock, {
      sleep: (ms: number) => {
        clock.sleeps.push(ms);
        return Promise.resolve(true);
      },
    });
    const webhook = sender({}, standStill, { minIntervalMs: 1_000 });
    const outcomes = await Promise.all(
      events(4).map((event) => deliverEvents(webhook, [event], () => undefined)),
    );
    expect(outcomes.every((o) => o.kind === 'delivered')).toBe(true);
    expect(received).toHaveLength(4);
    // Four at once: the first goes now, the others one, two and three seconds later.
    expect([...clock.sleeps].sort((a, b) => a - b)).toEqual([1_000, 2_000, 3_000]);
  });
});

describe('payload-template in the sender', () => {
  it('delivers the events before the one the template fails for, then fails that one by log_id', async () => {
    const { compileExpression } = await import('../src/expression.js');
    const template = compileExpression(
      'payload-template',
      `log_id = "${id(3)}" ? $error("boom") : {"id": log_id}`,
      '$',
    );
    const delivered: number[] = [];
    const webhook = sender({ payloadFormat: 'array', payloadTemplate: template });
    const outcome = await deliverEvents(webhook, events(5), (count) => delivered.push(count));
    expect(delivered).toEqual([2]);
    expect(JSON.parse(received[0]!.body)).toEqual([{ id: id(1) }, { id: id(2) }]);
    expect(outcome).toMatchObject({
      kind: 'failed',
      failure: { logId: id(3), reason: 'payload-template', events: 1 },
    });
    expect(outcome.kind === 'failed' && outcome.failure.message).toContain('boom');
  });

  it('a run that stops while a batch is being shaped stops shaping it: nothing is sent, the batch is abandoned', async () => {
    const { compileExpression } = await import('../src/expression.js');
    const real = compileExpression('payload-template', '{"id": log_id}', '$');
    const stopping = new AbortController();
    let evaluated = 0;
    // max-runtime arrives while the third event is shaped (each may take up to 500 ms).
    const template = {
      ...real,
      evaluate: (event: unknown) => {
        if (++evaluated === 3) stopping.abort();
        return real.evaluate(event);
      },
    };
    const webhook = sender({ payloadFormat: 'array', payloadTemplate: template }, new FakeClock(), {
      stopping: stopping.signal,
    });
    const delivered: number[] = [];
    const outcome = await deliverEvents(webhook, events(100), (count) => delivered.push(count));
    expect(outcome).toEqual({ kind: 'abandoned' });
    expect(evaluated).toBe(3);
    expect(received).toHaveLength(0);
    expect(delivered).toEqual([]);
  });

  it('no result is a failure too', async () => {
    const { compileExpression } = await import('../src/expression.js');
    const template = compileExpression('payload-template', 'nothing_here', '$');
    const outcome = await deliverEvents(sender({ payloadTemplate: template }), events(1), () => undefined);
    expect(received).toHaveLength(0);
    expect(outcome).toMatchObject({
      kind: 'failed',
      failure: { logId: id(1), answer: expect.stringContaining('no result') as unknown },
    });
  });
});
