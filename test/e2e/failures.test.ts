// End to end: what the receiver or Auth0 getting in the way does to delivery and the checkpoint.

import { describe, expect, it } from 'vitest';
import { makeEvents, withType, type LogEvent } from '../fakes/events.js';
import { FakeWebhook, OK, type Responder } from '../fakes/webhook.js';
import { annotations, describeRun } from './harness.js';
import { defaultMatch, expectFailure, expectSuccess, ids, sleep, sorted, useWorld } from './world.js';

/** Counts attempts per webhook-id; `plan(id, attempt)` may answer instead of the default 200. */
function counting(plan: (id: string, attempt: number) => ReturnType<Responder> | undefined): {
  respond: Responder;
  attempts: Map<string, number>;
} {
  const attempts = new Map<string, number>();
  return {
    attempts,
    respond: (req, index) => {
      const id = req.headers['webhook-id'] ?? '';
      const n = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, n);
      return plan(id, n) ?? OK(req, index);
    },
  };
}

// ---- permanent rejection --------------------------------------------------------------------

const REJECT_AT = 380; // position in the full event list; about the 300th matching event

function rejectionEvents(): LogEvent[] {
  const events = makeEvents(600, { seed: 9 });
  // The event just before the rejected one is filtered out: the checkpoint may pass it, not the next.
  events[REJECT_AT - 1] = withType(events[REJECT_AT - 1]!, 'sapi');
  events[REJECT_AT] = withType(events[REJECT_AT]!, 'limit_wc');
  return events;
}

describe('a permanently rejected event', () => {
  const world = useWorld(() => ({ events: rejectionEvents() }));

  it('fails the run naming it, checkpoints just before it, and a re-run resumes there', async () => {
    const w = world();
    const events = w.auth0.events;
    const matching = events.filter(defaultMatch);
    const target = events[REJECT_AT]!;
    const k = matching.indexOf(target);
    expect(k).toBeGreaterThan(250);
    expect(k).toBeLessThan(350);

    w.webhook.respond = (req, i) =>
      req.headers['webhook-id'] === target.log_id ? { status: 400, body: 'bad event' } : OK(req, i);
    const r = await w.run({ concurrency: '1' });
    expectFailure(r);

    const errors = annotations(r.stdout, 'error');
    const line = errors.find((l) => l.includes(target.log_id));
    expect(line, `no ::error:: naming ${target.log_id}\n${describeRun(r)}`).toBeDefined();
    expect(line).toMatch(/\b400\b/);
    const allErrors = errors.join('\n');
    expect(allErrors, 'the error names the event type').toContain('limit_wc');
    expect(allErrors, "the error quotes the receiver's answer").toContain('bad event');
    expect(Number(r.outputs['failed'])).toBeGreaterThanOrEqual(1);

    const expectedCheckpoint = events[REJECT_AT - 1]!.log_id;
    expect(w.checkpoint()).toBe(expectedCheckpoint);
    expect(r.outputs['checkpoint']).toBe(expectedCheckpoint);
    // concurrency 1: nothing after the rejected event was sent, and exactly the ones before it were acknowledged.
    for (const id of w.webhook.sentIds())
      expect(id <= target.log_id, `sent ${id} after the rejected event`).toBe(true);
    expect(w.webhook.deliveredIds()).toEqual(ids(matching.slice(0, k)));

    // The receiver recovers: "Re-run failed jobs".
    w.webhook.respond = OK;
    const before = w.webhook.requests.length;
    const again = await w.run({ concurrency: '1' });
    expectSuccess(again);
    expect(again.outputs['previous-checkpoint']).toBe(expectedCheckpoint);
    const rerunIds = w.webhook.requests
      .slice(before)
      .flatMap((req) => (req.status === 200 ? [req.headers['webhook-id']] : []));
    expect(rerunIds, 'concurrency 1 delivers in log_id order from the rejected event').toEqual(
      ids(matching.slice(k)),
    );
    expect(new Set(w.webhook.deliveredIds())).toEqual(new Set(ids(matching)));
    expect(w.checkpoint()).toBe(events[events.length - 1]!.log_id);
  });
});

// ---- retries ---------------------------------------------------------------------------------

describe('webhook retries and redirects', () => {
  const world = useWorld(() => ({ events: makeEvents(40, { seed: 13 }) }));

  it('500 twice then 200: delivered, same id and body each attempt', async () => {
    const w = world();
    const matching = w.auth0.events.filter(defaultMatch);
    const target = matching[10]!.log_id;
    const { respond, attempts } = counting((id, n) =>
      id === target && n <= 2 ? { status: 500, body: 'oops' } : undefined,
    );
    w.webhook.respond = respond;
    const r = await w.run();
    expectSuccess(r);
    expect(attempts.get(target)).toBe(3);
    const tries = w.webhook.requests.filter((req) => req.headers['webhook-id'] === target);
    expect(new Set(tries.map((t) => t.body)).size, 'a retry keeps the body byte for byte').toBe(1);
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(matching));
    expect(r.outputs).toMatchObject({ delivered: String(matching.length), failed: '0' });
  });

  it('429 with Retry-After: 0 is retried', async () => {
    const w = world();
    const matching = w.auth0.events.filter(defaultMatch);
    const target = matching[3]!.log_id;
    const { respond, attempts } = counting((id, n) =>
      id === target && n === 1
        ? { status: 429, headers: { 'retry-after': '0' }, body: 'slow down' }
        : undefined,
    );
    w.webhook.respond = respond;
    const r = await w.run();
    expectSuccess(r);
    expect(attempts.get(target)).toBe(2);
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(matching));
  });

  it('a redirect is not followed: nothing reaches the Location, the run fails naming it', async () => {
    const w = world();
    const elsewhere = new FakeWebhook();
    await elsewhere.start();
    try {
      const location = `${elsewhere.origin}/elsewhere`;
      w.webhook.respond = () => ({ status: 302, headers: { location }, body: '' });
      const r = await w.run({ 'webhook-authorization': 'Bearer redirect-credential-9f8e7d' });
      expectFailure(r);
      expect(elsewhere.requests, 'the redirect was followed').toHaveLength(0);
      const errors = annotations(r.stdout, 'error').join('\n');
      // Its origin only: a Location may echo the webhook URL's secret path.
      expect(errors, `no ::error:: naming the Location\n${describeRun(r)}`).toContain(
        `redirect to ${elsewhere.origin}/… (not followed)`,
      );
      expect(errors).not.toContain('/elsewhere');
      expect(errors).toMatch(/\b302\b/);
      expect(
        w.webhook.requests.length,
        'a permanent failure stops scheduling new requests',
      ).toBeLessThanOrEqual(5);
      expect(w.webhook.deliveredIds()).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });
});

// ---- Auth0 transient faults ------------------------------------------------------------------

describe('Auth0 transient faults', () => {
  const world = useWorld(() => ({ events: makeEvents(250, { seed: 17 }) }));

  async function expectAllDelivered(w: ReturnType<typeof world>, overrides = {}): Promise<void> {
    const r = await w.run(overrides);
    expectSuccess(r);
    const matching = w.auth0.events.filter(defaultMatch);
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(matching));
    expect(r.outputs).toMatchObject({ fetched: '250', 'caught-up': 'true', failed: '0' });
    expect(w.checkpoint()).toBe(w.auth0.events[249]!.log_id);
  }

  it('a 500 then normal pages: success', async () => {
    const w = world();
    w.auth0.faults.push({ status: 500 });
    await expectAllDelivered(w);
    expect(w.auth0.logRequests[0]!.status).toBe(500);
  });

  it('a 429 with the reset now: waits and succeeds', async () => {
    const w = world();
    w.auth0.faults.push('pass', {
      status: 429,
      headers: () => ({
        'x-ratelimit-limit': '100',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)),
      }),
    });
    await expectAllDelivered(w);
    expect(w.auth0.logRequests[1]!.status).toBe(429);
  });

  it('an HTML body with 200 is retried', async () => {
    const w = world();
    w.auth0.faults.push({ status: 200, body: '<html>oops</html>' });
    await expectAllDelivered(w);
    expect(w.auth0.logRequests.length).toBeGreaterThanOrEqual(5); // the HTML one + 3 pages + the empty one
  });

  it('an expired token mid-run: a new token once, success', async () => {
    const w = world();
    w.auth0.faults.push('pass', { status: 401 });
    await expectAllDelivered(w);
    expect(w.auth0.tokensIssued).toHaveLength(2);
  });

  it('Auth0 failing every time: the run fails after a bounded number of tries, nothing delivered', async () => {
    const w = world();
    for (let i = 0; i < 30; i++) w.auth0.faults.push({ status: 503 });
    const r = await w.run();
    expectFailure(r);
    expect(annotations(r.stdout, 'error').length, describeRun(r)).toBeGreaterThan(0);
    expect(w.auth0.logRequests.length).toBeGreaterThanOrEqual(2);
    expect(w.auth0.logRequests.length, 'SPEC: 8 tries a page').toBeLessThanOrEqual(8);
    expect(w.webhook.requests).toHaveLength(0);
  });
});

// ---- attempts, timeouts, connection errors, 413, concurrency ---------------------------------

describe('delivery limits', () => {
  const world = useWorld(() => ({ events: makeEvents(40, { seed: 19 }) }));

  it('max-attempts 3: a request failing with 500 every time is tried 3 times, then the run fails', async () => {
    const w = world();
    const matching = w.auth0.events.filter(defaultMatch);
    const target = matching[6]!;
    const { respond, attempts } = counting((id) =>
      id === target.log_id ? { status: 500, body: 'still broken' } : undefined,
    );
    w.webhook.respond = respond;
    const r = await w.run({ 'max-attempts': '3', concurrency: '1' });
    expectFailure(r);
    expect(attempts.get(target.log_id)).toBe(3);
    const errors = annotations(r.stdout, 'error').join('\n');
    expect(errors, describeRun(r)).toContain(target.log_id);
    expect(errors).toMatch(/\b500\b/);
    expect(Number(r.outputs['failed'])).toBeGreaterThanOrEqual(1);
    const previous = w.auth0.events[w.auth0.events.indexOf(target) - 1]!.log_id;
    expect(w.checkpoint()).toBe(previous);
  });

  it('a request that times out is retried (request-timeout 1s)', async () => {
    const w = world();
    const matching = w.auth0.events.filter(defaultMatch);
    const target = matching[2]!.log_id;
    const { respond, attempts } = counting((id, n) =>
      id === target && n === 1 ? new Promise(() => undefined) : undefined,
    );
    w.webhook.respond = respond;
    const r = await w.run({ 'request-timeout': '1s' });
    expectSuccess(r);
    expect(attempts.get(target)).toBe(2);
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(matching));
  });

  it('a dropped connection is retried', async () => {
    const w = world();
    const matching = w.auth0.events.filter(defaultMatch);
    const target = matching[4]!.log_id;
    const { respond, attempts } = counting((id, n) =>
      id === target && n === 1 ? { status: 0, destroy: true } : undefined,
    );
    w.webhook.respond = respond;
    const r = await w.run();
    expectSuccess(r);
    expect(attempts.get(target)).toBe(2);
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(matching));
  });

  it('413 on a batch: split in halves down to what the receiver takes', async () => {
    const w = world();
    const matching = w.auth0.events.filter(defaultMatch);
    w.webhook.respond = (req) =>
      eventCount(req.body) > 2 ? { status: 413, body: 'payload too large' } : { status: 200, body: 'ok' };
    const r = await w.run({ 'payload-format': 'array', 'batch-size': '8' });
    expectSuccess(r);
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(matching));
    for (const req of w.webhook.acknowledged()) {
      const batch = JSON.parse(req.body) as Array<{ log_id: string }>;
      expect(req.headers['webhook-id']).toBe(`${batch[0]!.log_id}-${batch[batch.length - 1]!.log_id}`);
    }
    expect(r.outputs).toMatchObject({ delivered: String(matching.length), failed: '0' });
  });

  it('413 on a single event is permanent', async () => {
    const w = world();
    const matching = w.auth0.events.filter(defaultMatch);
    const target = matching[13]!;
    w.webhook.respond = (req) =>
      req.body.includes(target.log_id)
        ? { status: 413, body: 'payload too large' }
        : { status: 200, body: 'ok' };
    const r = await w.run({ 'payload-format': 'array', 'batch-size': '8', concurrency: '1' });
    expectFailure(r);
    const errors = annotations(r.stdout, 'error').join('\n');
    expect(errors, describeRun(r)).toContain(target.log_id);
    expect(errors).toMatch(/\b413\b/);
    const previous = w.auth0.events[w.auth0.events.indexOf(target) - 1]!.log_id;
    expect(w.checkpoint()).toBe(previous);
    expect(new Set(w.webhook.deliveredIds())).toEqual(new Set(ids(matching.slice(0, 13))));
  });

  it('never more than `concurrency` requests in flight', async () => {
    const w = world();
    let inFlight = 0;
    let most = 0;
    w.webhook.respond = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await sleep(30);
      inFlight--;
      return { status: 200, body: 'ok' };
    };
    const r = await w.run({ concurrency: '3' });
    expectSuccess(r);
    expect(most).toBeLessThanOrEqual(3);
    expect(most, 'requests were never concurrent').toBeGreaterThanOrEqual(2);
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(w.auth0.events.filter(defaultMatch)));
  });
});

describe('Auth0 rate limit', () => {
  const world = useWorld(() => ({
    events: makeEvents(600, { seed: 23 }),
    auth0: { rateLimit: { limit: 3, refillPerSecond: 10 } },
  }));

  it('a small bucket: paced or waited out, everything delivered', async () => {
    const w = world();
    const r = await w.run({ 'payload-format': 'array' });
    expectSuccess(r);
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(w.auth0.events.filter(defaultMatch)));
    expect(r.outputs).toMatchObject({ fetched: '600', 'caught-up': 'true' });
  });
});

function eventCount(body: string): number {
  const parsed: unknown = JSON.parse(body);
  return Array.isArray(parsed) ? parsed.length : 1;
}
