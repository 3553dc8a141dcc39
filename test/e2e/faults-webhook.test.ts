// Fault injection at the receiver, seeded: whatever the receiver does (5xx, 408, 429 with and
// without Retry-After, resets, hangs, trickling bodies, HTML error pages), every matching event is
// acknowledged at least once and the checkpoint never passes one that was not.

import { describe, expect, it } from 'vitest';
import { makeEvents } from '../fakes/events.js';
import { OK } from '../fakes/webhook.js';
import { pick, rngFor, seeds, SOAK, webhookFaults, type ChaosResponse } from '../faults/chaos.js';
import { Ledger, report, useFaultWorld } from '../faults/world.js';
import { annotations, describeRun } from './harness.js';
import { defaultMatch, expectFailure, expectSuccess, ids, sorted } from './world.js';

const FORMATS = [
  { 'payload-format': 'object' },
  { 'payload-format': 'array', 'batch-size': '7' },
  { 'payload-format': 'lines', 'batch-size': '3' },
] as const;

describe('a misbehaving receiver, seeded', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(60, { seed: 101 }) }));

  for (const seed of seeds([1, 3])) {
    it(`seed ${seed}: every matching event acknowledged, checkpoint covered at every write`, async () => {
      const w = world();
      const rng = rngFor(seed, 'webhook-setup');
      const matching = w.auth0.events.filter(defaultMatch);
      const ledger = new Ledger(w, () => matching);
      const format = pick(rng, FORMATS);
      const concurrency = String(pick(rng, [1, 3, 5, 8]));
      const { respond, log } = webhookFaults({ seed, rate: 0.35, timeoutMs: 1000, maxSlow: 2, jitterMs: 5 });
      w.webhook.respond = respond;
      const r = await w.run(
        { ...format, concurrency, 'request-timeout': '1s', 'max-attempts': '5' },
        // Step debug on for one seed in three: the debug lines must not leak either.
        { env: seed % 3 === 1 ? { RUNNER_DEBUG: '1' } : {}, timeoutMs: 30_000 },
      );
      expectSuccess(r);
      ledger.afterRun(r);
      expect(r.outputs, describeRun(r)).toMatchObject({ 'caught-up': 'true', failed: '0' });
      expect(w.checkpoint()).toBe(w.auth0.events.at(-1)!.log_id);
      const { duplicates } = ledger.expectAllDelivered();
      expect(sorted([...new Set(w.webhook.deliveredIds())])).toEqual(ids(matching));
      const faults = Object.fromEntries([...log.counts].filter(([k]) => k !== 'ok'));
      report({
        test: 'webhook-chaos',
        seed,
        format: format['payload-format'],
        concurrency,
        faults,
        duplicates,
        lost: 0,
      });
    });
  }
});

describe('Retry-After holds back the whole endpoint', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(30, { seed: 103, types: ['f'] }) }));

  const cases: Array<[string, () => ChaosResponse]> = [
    [
      '429, Retry-After in seconds',
      () => ({ status: 429, headers: { 'retry-after': '1' }, body: 'slow down' }),
    ],
    [
      '429, Retry-After as an HTTP date',
      () => ({
        status: 429,
        headers: { 'retry-after': new Date(Date.now() + 2000).toUTCString() },
        body: 'later',
      }),
    ],
  ];
  // 503 takes the same path as 429: soak only.
  if (SOAK)
    cases.push(['503, Retry-After in seconds', () => ({ status: 503, headers: { 'retry-after': '1' } })]);

  for (const [label, pause] of cases) {
    it(`${label}: no new request during the pause, then everything delivered`, async () => {
      const w = world();
      let pausedAt = 0;
      const arrivals: number[] = [];
      w.webhook.respond = (req, index) => {
        arrivals.push(Date.now());
        if (index === 3) {
          pausedAt = Date.now();
          return pause();
        }
        return OK(req, index);
      };
      const r = await w.run({ concurrency: '5' });
      expectSuccess(r);
      // Requests already on their way when the pause was asked for arrive within milliseconds; any
      // request arriving 0.2–0.9 s later was sent during the pause.
      const during = arrivals.filter((t) => t > pausedAt + 200 && t < pausedAt + 900);
      expect(during, `requests sent during the pause\n${describeRun(r)}`).toEqual([]);
      expect(sorted([...new Set(w.webhook.deliveredIds())])).toEqual(ids(w.auth0.events));
    });
  }

  it.runIf(SOAK)('429 without Retry-After is retried with backoff only for that request', async () => {
    const w = world();
    let first = true;
    w.webhook.respond = (req, index) => {
      if (first && index === 2) {
        first = false;
        return { status: 429, body: 'slow down' };
      }
      return OK(req, index);
    };
    const r = await w.run({ concurrency: '3' });
    expectSuccess(r);
    expect(w.webhook.requests.filter((q) => q.status === 429)).toHaveLength(1);
    expect(sorted([...new Set(w.webhook.deliveredIds())])).toEqual(ids(w.auth0.events));
  });
});

describe('bodies and pages that are not what they should be', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(20, { seed: 107, types: ['f'] }) }));

  it('a 2xx whose body never ends is timed out (request-timeout covers the body) and retried', async () => {
    const w = world();
    let trickled = 0;
    w.webhook.respond = (req, index) => {
      if (index === 1) {
        trickled++;
        // 1 000 pieces 50 ms apart: 50 s, far past request-timeout.
        return { status: 200, body: 'x'.repeat(1000), slowBody: { chunks: 1000, everyMs: 50 } };
      }
      return OK(req, index);
    };
    const r = await w.run({ 'request-timeout': '1s', concurrency: '2' }, { timeoutMs: 30_000 });
    expectSuccess(r);
    expect(trickled).toBe(1);
    // The trickling one was acknowledged by the receiver (status line 200) and sent again.
    const id = w.webhook.requests[1]!.headers['webhook-id']!;
    expect(w.webhook.requests.filter((q) => q.headers['webhook-id'] === id).length).toBeGreaterThanOrEqual(2);
    expect(sorted([...new Set(w.webhook.deliveredIds())])).toEqual(ids(w.auth0.events));
  });

  it('a permanent 4xx HTML page: the error quotes at most 200 characters of it, on one line', async () => {
    const w = world();
    const page = `<!DOCTYPE html>\n<html>\n<head><title>403 Forbidden</title></head>\n<body>${'<p>denied</p>\n'.repeat(500)}</body></html>`;
    w.webhook.respond = () => ({ status: 403, headers: { 'content-type': 'text/html' }, body: page });
    const r = await w.run({ concurrency: '1' });
    expectFailure(r);
    const errors = annotations(r.stdout, 'error');
    const line = errors.find((l) => l.includes('403'));
    expect(line, describeRun(r)).toBeDefined();
    expect(line).toContain('403 Forbidden');
    expect(line!.length).toBeLessThan(600);
    expect(line).not.toMatch(/[\r\n]/);
    expect(w.checkpoint()).toBe('0'.repeat(56));
  });

  it("a receiver's answer cannot inject workflow commands or outputs", async () => {
    const w = world();
    const injected =
      'nope\n::set-output name=checkpoint::99999999999999999999999999999999999999999999999999999999\n::add-mask::ok\r\n::warning::INJECTED\n';
    w.webhook.respond = () => ({ status: 422, body: injected });
    const r = await w.run({ concurrency: '1' });
    expectFailure(r);
    const lines = r.stdout.split('\n');
    expect(
      lines.filter((l) => l.includes('INJECTED') && !l.startsWith('::error::')),
      describeRun(r),
    ).toEqual([]);
    expect(lines.filter((l) => l.startsWith('::set-output') || l === '::add-mask::ok')).toEqual([]);
    expect(r.outputs['checkpoint']).toBe('0'.repeat(56));
  });
});
