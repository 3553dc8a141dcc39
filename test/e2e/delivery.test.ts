// End to end: a backlog forwarded, re-runs resume from the checkpoint, payload formats, headers,
// signatures.

import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { makeEvents, withType } from '../fakes/events.js';
import { eventsOf } from '../fakes/webhook.js';
import { describeRun } from './harness.js';
import { CHECKPOINT_NAME, defaultMatch, expectSuccess, ids, OLDEST, sorted, useWorld } from './world.js';

function backlog(): ReturnType<typeof makeEvents> {
  const events = makeEvents(1000, { seed: 42 });
  // The last event is filtered out by default: the checkpoint must still move past it.
  events[999] = withType(events[999]!, 'sapi');
  return events;
}

describe('a backlog of 1,000 mixed events, default filter', () => {
  const world = useWorld(() => ({ events: backlog() }));

  it('delivers each matching event exactly once and checkpoints the last event', async () => {
    const w = world();
    const events = w.auth0.events;
    const matching = events.filter(defaultMatch);
    expect(matching.length).toBeGreaterThan(700);
    expect(matching.length).toBeLessThan(1000);

    const r = await w.run();
    expectSuccess(r);

    const delivered = w.webhook.deliveredIds();
    expect(delivered.length, 'duplicates or missing deliveries').toBe(matching.length);
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(sorted(delivered)).toEqual(ids(matching));
    const types = new Set(w.webhook.deliveredEvents().map((e) => e.type));
    for (const excluded of ['sapi', 'fapi', 'mgmt_api_read']) expect(types.has(excluded)).toBe(false);

    const last = events[events.length - 1]!.log_id;
    expect(r.outputs).toMatchObject({
      fetched: '1000',
      matched: String(matching.length),
      delivered: String(matching.length),
      failed: '0',
      'caught-up': 'true',
      checkpoint: last,
      'previous-checkpoint': OLDEST,
      'checkpoint-name': CHECKPOINT_NAME,
    });
    expect(w.checkpoint()).toBe(last);
    expect(r.summary.trim().length).toBeGreaterThan(0);
    // Every page was read from a cursor the previous page ended on.
    for (const req of w.auth0.logRequests) expect(req.query['take']).toBe('100');
  });

  it('a second run with nothing new delivers nothing; new events are delivered by the next run', async () => {
    const w = world();
    const first = await w.run();
    expectSuccess(first);
    const checkpoint = first.outputs['checkpoint'];
    const afterFirst = w.webhook.requests.length;

    const second = await w.run();
    expectSuccess(second);
    expect(w.webhook.requests.length, 'the second run sent requests').toBe(afterFirst);
    expect(second.outputs).toMatchObject({
      fetched: '0',
      matched: '0',
      delivered: '0',
      failed: '0',
      'caught-up': 'true',
      checkpoint,
      'previous-checkpoint': checkpoint,
    });
    expect(w.checkpoint()).toBe(checkpoint);

    const more = makeEvents(50, { after: w.auth0.events[w.auth0.events.length - 1]!, seed: 7 });
    w.auth0.addEvents(more);
    const third = await w.run();
    expectSuccess(third);
    const newRequests = w.webhook.requests.slice(afterFirst);
    const thirdIds = newRequests.flatMap((req) => eventsOf(req).map((e) => e.log_id));
    expect(sorted(thirdIds)).toEqual(ids(more.filter(defaultMatch)));
    expect(third.outputs).toMatchObject({
      fetched: '50',
      matched: String(more.filter(defaultMatch).length),
      delivered: String(more.filter(defaultMatch).length),
      checkpoint: more[49]!.log_id,
      'previous-checkpoint': checkpoint,
    });
    expect(w.checkpoint()).toBe(more[49]!.log_id);
  });
});

describe('payload formats', () => {
  const world = useWorld(() => ({ events: makeEvents(120, { seed: 3 }) }));

  it('object: one event per request, the body is the event, webhook-id is its log_id', async () => {
    const w = world();
    const r = await w.run({ 'payload-format': 'object' });
    expectSuccess(r);
    const matching = w.auth0.events.filter(defaultMatch);
    const byId = new Map(matching.map((e) => [e.log_id, e]));
    expect(w.webhook.requests).toHaveLength(matching.length);
    for (const req of w.webhook.requests) {
      expect(req.method).toBe('POST');
      expect(req.headers['content-type']).toMatch(/^application\/json\b/);
      const body: unknown = JSON.parse(req.body);
      expect(Array.isArray(body)).toBe(false);
      const event = body as { log_id: string };
      expect(req.headers['webhook-id']).toBe(event.log_id);
      expect(body, 'the body is the event as Auth0 returned it').toEqual(byId.get(event.log_id));
    }
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(matching));
  });

  it('array with batch-size 7: arrays of at most 7 consecutive matching events, webhook-id first-last', async () => {
    const w = world();
    const r = await w.run({ 'payload-format': 'array', 'batch-size': '7' });
    expectSuccess(r);
    const matchingIds = ids(w.auth0.events.filter(defaultMatch));
    const position = new Map(matchingIds.map((id, i) => [id, i]));
    for (const req of w.webhook.requests) {
      expect(req.headers['content-type']).toMatch(/^application\/json\b/);
      const body: unknown = JSON.parse(req.body);
      expect(Array.isArray(body)).toBe(true);
      const batch = body as Array<{ log_id: string }>;
      expect(batch.length).toBeGreaterThanOrEqual(1);
      expect(batch.length).toBeLessThanOrEqual(7);
      const first = position.get(batch[0]!.log_id)!;
      batch.forEach((e, i) =>
        expect(position.get(e.log_id), 'batch not consecutive in matching order').toBe(first + i),
      );
      expect(req.headers['webhook-id']).toBe(`${batch[0]!.log_id}-${batch[batch.length - 1]!.log_id}`);
    }
    expect(w.webhook.requests.length).toBeGreaterThanOrEqual(Math.ceil(matchingIds.length / 7));
    expect(sorted(w.webhook.deliveredIds())).toEqual(matchingIds);
  });

  it('lines: NDJSON, one event per line', async () => {
    const w = world();
    const r = await w.run({ 'payload-format': 'lines' });
    expectSuccess(r);
    const matching = w.auth0.events.filter(defaultMatch);
    for (const req of w.webhook.requests) {
      expect(req.headers['content-type']).toMatch(/^application\/x-ndjson\b/);
      const lines = req.body.split('\n').filter((l) => l !== '');
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines.length).toBeLessThanOrEqual(100);
      const batch = lines.map((l) => JSON.parse(l) as { log_id: string });
      expect(req.headers['webhook-id']).toBe(`${batch[0]!.log_id}-${batch[batch.length - 1]!.log_id}`);
    }
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(matching));
    expect(r.outputs['delivered']).toBe(String(matching.length));
  });
});

describe('request headers and signatures', () => {
  const world = useWorld(() => ({ events: makeEvents(30, { seed: 5 }) }));

  it('sends the configured Authorization and extra headers, a user agent and a Unix timestamp', async () => {
    const w = world();
    const before = Math.floor(Date.now() / 1000);
    const r = await w.run({
      'webhook-authorization': 'Bearer s3cr3t',
      'webhook-headers': 'X-Env: prod\nX-Team: sec',
    });
    expectSuccess(r);
    const after = Math.ceil(Date.now() / 1000);
    expect(w.webhook.requests.length).toBeGreaterThan(0);
    for (const req of w.webhook.requests) {
      expect(req.headers['authorization']).toBe('Bearer s3cr3t');
      expect(req.headers['x-env']).toBe('prod');
      expect(req.headers['x-team']).toBe('sec');
      expect(req.headers['user-agent']).toMatch(/^auth0-log-webhooks\/\S+/);
      expect(req.headers['webhook-timestamp']).toMatch(/^\d+$/);
      const ts = Number(req.headers['webhook-timestamp']);
      expect(ts).toBeGreaterThanOrEqual(before - 1);
      expect(ts).toBeLessThanOrEqual(after + 1);
    }
  });

  it('signs every request (Standard Webhooks) with webhook-secret', async () => {
    const w = world();
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const r = await w.run({ 'webhook-secret': secret });
    expectSuccess(r);
    expect(w.webhook.requests.length).toBeGreaterThan(0);
    const verifier = new Webhook(secret);
    for (const req of w.webhook.requests) {
      expect(req.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
      expect(() => verifier.verify(req.body, req.headers), `signature of request ${req.index}`).not.toThrow();
    }
    // A different secret must not verify.
    const other = new Webhook(`whsec_${randomBytes(32).toString('base64')}`);
    expect(() => other.verify(w.webhook.requests[0]!.body, w.webhook.requests[0]!.headers)).toThrow();
  });

  it('signs with each of two secrets (one a line) during a rotation', async () => {
    const w = world();
    const a = `whsec_${randomBytes(32).toString('base64')}`;
    const b = `whsec_${randomBytes(24).toString('base64')}`;
    const r = await w.run({ 'webhook-secret': `${a}\n${b}` });
    expectSuccess(r);
    expect(w.webhook.requests.length).toBeGreaterThan(0);
    for (const req of w.webhook.requests) {
      const parts = (req.headers['webhook-signature'] ?? '').split(' ');
      expect(parts).toHaveLength(2);
      for (const p of parts) expect(p).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
      for (const secret of [a, b]) {
        expect(() => new Webhook(secret).verify(req.body, req.headers), `request ${req.index}`).not.toThrow();
      }
    }
  });

  it('accepts a secret without the whsec_ prefix', async () => {
    const w = world();
    const raw = randomBytes(32).toString('base64');
    const r = await w.run({ 'webhook-secret': raw });
    expectSuccess(r);
    expect(w.webhook.requests.length, describeRun(r)).toBeGreaterThan(0);
    for (const req of w.webhook.requests) {
      expect(() => new Webhook(raw).verify(req.body, req.headers)).not.toThrow();
    }
  });
});
