// Regressions (issue #14, items 2–4), through dist/index.js: pages over 1 MB were cut and retried
// forever; a 429 with Retry-After: 0 made the reader spin; error answers were read whole however
// large. The fakes stream the huge bodies (64 KB at a time), so this file stays small in memory.

import { describe, expect, it } from 'vitest';
import type { Fault } from '../fakes/auth0.js';
import { makeEvents } from '../fakes/events.js';
import { useFaultWorld } from '../faults/world.js';
import { annotations, describeRun } from './harness.js';
import { defaultMatch, expectFailure, expectSuccess, ids, OLDEST, sorted } from './world.js';

const MB = 1024 * 1024;

describe('a tenant with large events', () => {
  // 250 events of ~15 KB: pages of 100 are ~1.6 MB.
  const world = useFaultWorld(() => ({ events: makeEvents(250, { seed: 1402, detailBytes: 15_000 }) }));

  it('pages over 1 MB are read whole: everything delivered, caught up, nothing retried', async () => {
    const w = world();
    const matching = w.auth0.events.filter(defaultMatch);
    const r = await w.run({ 'payload-format': 'array', 'batch-size': '20' });
    expectSuccess(r);
    expect(r.outputs, describeRun(r)).toMatchObject({ fetched: '250', 'caught-up': 'true', failed: '0' });
    expect(sorted([...new Set(w.webhook.deliveredIds())])).toEqual(ids(matching));
    // 3 pages and the empty one: no page was read twice.
    expect(w.auth0.logRequests.map((q) => q.status)).toEqual([200, 200, 200, 200]);
  });
});

describe('a throttling tenant and a receiver with huge error answers', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(60, { seed: 1403 }) }));

  it('a 200 page past the 32 MB cap: a clean failure naming the page, not retried, not parsed', async () => {
    const w = world();
    w.auth0.faults.push({ status: 200, streamed: { bytes: 33 * MB, head: '[' } });
    const r = await w.run();
    expectFailure(r);
    const errors = annotations(r.stdout, 'error').join('\n');
    expect(errors, describeRun(r)).toContain(`logs page from ${OLDEST} with more than 32 MB`);
    expect(w.auth0.logRequests, describeRun(r)).toHaveLength(1);
    expect(w.webhook.requests, describeRun(r)).toHaveLength(0);
  });

  it('429 with Retry-After: 0 for 2.5 s: a handful of reads in that time, not thousands', async () => {
    const w = world();
    let until = 0;
    // Throttles every read until 2.5 s after the first one (then puts itself back in the queue).
    const throttle: Fault = () => {
      until ||= Date.now() + 2_500;
      if (Date.now() >= until) return 'pass';
      w.auth0.faults.unshift(throttle);
      return { status: 429, headers: { 'retry-after': '0', 'x-ratelimit-remaining': '0' } };
    };
    w.auth0.faults.push(throttle);
    const r = await w.run();
    expectSuccess(r);
    expect(r.outputs['caught-up'], describeRun(r)).toBe('true');
    const throttled = w.auth0.logRequests.filter((q) => q.status === 429).length;
    // At least a second between reads: at most 3 in 2.5 s (the spinning reader made thousands).
    expect(throttled, describeRun(r)).toBeGreaterThanOrEqual(1);
    expect(throttled, describeRun(r)).toBeLessThanOrEqual(3);
  });

  it('every answer a 500 with a 60 MB body (concurrency 8): a clean failure quoting its start, each body read only in part', async () => {
    const w = world();
    w.webhook.respond = () => ({
      status: 500,
      streamed: { bytes: 60 * MB, head: 'receiver overloaded, try later', filler: ' ' },
    });
    const r = await w.run({ concurrency: '8', 'max-attempts': '2' });
    expectFailure(r);
    expect(annotations(r.stdout, 'error').join('\n'), describeRun(r)).toContain(
      'receiver overloaded, try later',
    );
    expect(r.outputs['delivered'], describeRun(r)).toBe('0');
    await expect.poll(() => w.webhook.requests.every((q) => q.sent !== undefined)).toBe(true);
    const sent = w.webhook.requests.map((q) => q.sent!);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    // Only socket buffers beyond the few KB read: far from 60 MB each.
    for (const bytes of sent) expect(bytes).toBeLessThan(16 * MB);
  });
});
