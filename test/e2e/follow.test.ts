// End to end: following the log (poll-interval) against a fake Auth0 that keeps logging while the
// action runs, and paging by the Link Auth0 returns (never to another origin or path).
// AUTH0_LOG_WEBHOOKS_POLL_INTERVAL_MS polls faster than the 1s poll-interval allows, so runs are short.

import { describe, expect, it } from 'vitest';
import { FakeAuth0, NEXT_MARK } from '../fakes/auth0.js';
import { makeEvents, type LogEvent } from '../fakes/events.js';
import { annotations, describeRun } from './harness.js';
import { defaultMatch, expectSuccess, ids, useWorld, waitFor } from './world.js';

/** Events logged just now (ids and dates ascend past `after`). */
function loggedNow(count: number, after: LogEvent | undefined): LogEvent[] {
  return makeEvents(count, { start: new Date(), stepSeconds: 0, ...(after ? { after } : {}) });
}

const FOLLOW_ENV = { AUTH0_LOG_WEBHOOKS_POLL_INTERVAL_MS: '150' };

describe('following the log (poll-interval)', () => {
  const world = useWorld(() => ({
    events: makeEvents(30, { start: new Date(Date.now() - 120_000), stepSeconds: 1 }),
    // A small bucket that refills slower than the action would poll: the reads must be paced.
    auth0: { rateLimit: { limit: 4, refillPerSecond: 4 } },
  }));

  it('delivers events logged at several moments once each, ends at max-runtime successfully, paced', async () => {
    const w = world();
    const started = await w.startRun(
      { 'poll-interval': '1', 'max-runtime': '4', 'payload-format': 'array', 'batch-size': '50' },
      { env: FOLLOW_ENV },
    );
    // Three bursts, each once the action has read past the previous one and polled again.
    for (const size of [3, 7, 1]) {
      const reads = w.auth0.logRequests.length;
      const delivered = w.webhook.deliveredIds().length;
      await waitFor(
        () => w.auth0.logRequests.length >= reads + 2 && w.webhook.deliveredIds().length >= delivered,
        'a poll',
      );
      w.auth0.addEvents(loggedNow(size, w.auth0.events.at(-1)));
      await waitFor(
        () => w.webhook.deliveredIds().length >= delivered + size || started.child.exitCode !== null,
        'the burst delivered',
      );
    }
    const r = await started.done;
    expectSuccess(r);
    const matching = w.auth0.events.filter(defaultMatch);
    expect(w.webhook.deliveredIds().sort()).toEqual(ids(matching));
    expect(r.outputs['caught-up'], describeRun(r)).toBe('true');
    expect(r.outputs['delivered']).toBe(String(matching.length));
    expect(w.checkpoint()).toBe(w.auth0.events.at(-1)!.log_id);
    // Every read was within the rate limit: pacing held it, Auth0 never answered 429.
    expect(w.auth0.logRequests.filter((req) => req.status === 429)).toEqual([]);
    expect(w.auth0.logRequests.length).toBeGreaterThan(6);
    // The outcome says it followed, with the lag figures, in the log and the summary.
    expect(r.stdout).toMatch(/Following: +once caught up, reads again every 1s until max-runtime/);
    expect(r.stdout).toMatch(
      /Followed the log for [\d.]+s, reading every 1s when caught up: .*the last read was caught up\. Delivery lag \(event time → acknowledgement\): median [^,]+, p95 [^,]+, max [^,]+\./,
    );
    expect(r.summary).toMatch(/^## ✅/);
    expect(r.summary).toMatch(/followed the log: \d+ polls every 1s/);
    expect(r.summary).toMatch(/\*\*Delivery lag\*\* \(event time → acknowledgement, \d+ events\) median/);
    expect(annotations(r.stdout, 'error')).toEqual([]);
  });

  it('a cancel while waiting between polls ends the run promptly with progress stored', async () => {
    const w = world();
    const started = await w.startRun(
      { 'poll-interval': '1m', 'max-runtime': '10m' },
      { env: { AUTH0_LOG_WEBHOOKS_POLL_INTERVAL_MS: '600000' }, timeoutMs: 20_000 },
    );
    // Caught up and waiting: every event delivered (the short last page is the head: the run waits
    // after it without an empty read).
    const matching = w.auth0.events.filter(defaultMatch);
    await waitFor(() => w.webhook.deliveredIds().length >= matching.length, 'caught up');
    started.kill('SIGINT');
    const r = await started.done;
    expect(r.timedOut, describeRun(r)).toBe(false);
    expect(r.code, describeRun(r)).not.toBe(0);
    expect(w.checkpoint()).toBe(w.auth0.events.at(-1)!.log_id);
    expect(r.stdout).toMatch(/Cancelled: /);
  });
});

describe("paging by Auth0's Link rel=next", () => {
  const world = useWorld(() => ({ events: makeEvents(250) }));

  it('follows a next URL with extra parameters after the first read', async () => {
    const w = world();
    const r = await w.run();
    expectSuccess(r);
    const reads = w.auth0.logRequests;
    expect(reads.length).toBe(4);
    expect(reads[0]!.query[NEXT_MARK]).toBeUndefined();
    expect(reads.slice(1).map((req) => req.query[NEXT_MARK])).toEqual(['1', '1', '1']);
    expect(new Set(w.webhook.deliveredIds())).toEqual(new Set(ids(w.auth0.events.filter(defaultMatch))));
  });

  it('never requests a next URL on another origin or path, and still completes', async () => {
    const w = world();
    const other = new FakeAuth0();
    await other.start();
    try {
      let n = 0;
      // Alternately another origin and another path of the tenant.
      w.auth0.nextUrl = (from, take) =>
        n++ % 2 === 0
          ? `${other.origin}/api/v2/logs?from=${from}&take=${take}`
          : `${w.auth0.origin}/api/v2/logs/evil?from=${from}&take=${take}`;
      const r = await w.run();
      expectSuccess(r);
      expect(r.outputs['caught-up']).toBe('true');
      expect(other.requests).toEqual([]);
      expect(new Set(w.auth0.requests.map((req) => req.path))).toEqual(
        new Set(['/oauth/token', '/api/v2/logs']),
      );
      expect(new Set(w.webhook.deliveredIds())).toEqual(new Set(ids(w.auth0.events.filter(defaultMatch))));
      expect(annotations(r.stdout, 'warning').join('\n')).toMatch(/Link rel="next" was not followed/);
    } finally {
      await other.close();
    }
  });
});
