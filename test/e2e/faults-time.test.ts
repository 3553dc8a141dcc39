// Time safety: whatever the servers do (a receiver that never answers, an Auth0 page or token
// request that never answers), max-runtime and cancellation end the run, with the right outcome.
// The failure mode is the harness's timeout (30 s), not a timing assertion.

import { describe, expect, it } from 'vitest';
import { makeEvents } from '../fakes/events.js';
import { OK } from '../fakes/webhook.js';
import { SOAK } from '../faults/chaos.js';
import { Ledger, report, useFaultWorld } from '../faults/world.js';
import { annotations, describeRun, type RunResult } from './harness.js';
import { defaultMatch, expectFailure, expectSuccess, OLDEST, waitFor } from './world.js';

const BOUND = { timeoutMs: 30_000 };

describe('a receiver that never answers', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(40, { seed: 401 }) }));

  // Costs max-runtime + the 5 s grace: soak only (the cancel below cuts hung requests the same way,
  // after its shorter grace, and 'an hour-long pause' checks max-runtime against a stalling receiver).
  it.runIf(SOAK)(
    'max-runtime ends the run: exit 0, caught-up=false, nothing failed, checkpoint before the hung events',
    async () => {
      const w = world();
      const matching = w.auth0.events.filter(defaultMatch);
      const ledger = new Ledger(w, () => matching);
      // The first 5 requests are answered, then nothing ever is (request-timeout is far away).
      w.webhook.respond = (req, index) => (index < 5 ? OK(req, index) : { status: 0, hang: true });
      const r = await w.run({ 'max-runtime': '3s', 'request-timeout': '5m', concurrency: '1' }, BOUND);
      expectSuccess(r);
      expect(r.outputs, describeRun(r)).toMatchObject({ 'caught-up': 'false', failed: '0', delivered: '5' });
      expect(ledger.afterRun(r)).toBe(matching[4]!.log_id);
    },
  );

  it('a cancel ends the run: SIGINT, in-flight requests cut after the grace, exit failed, progress kept', async () => {
    const w = world();
    const matching = w.auth0.events.filter(defaultMatch);
    const ledger = new Ledger(w, () => matching);
    w.webhook.respond = (req, index) => (index < 7 ? OK(req, index) : { status: 0, hang: true });
    const started = await w.startRun({ 'request-timeout': '5m', concurrency: '3' }, BOUND);
    await waitFor(() => w.webhook.requests.length >= 10, 'hung requests');
    const sigintAt = Date.now();
    started.kill('SIGINT');
    let sigterm = false;
    const term = setTimeout(() => {
      sigterm = true;
      started.kill('SIGTERM');
    }, 7_500);
    const r: RunResult = await started.done;
    const sigintToExitMs = Date.now() - sigintAt;
    clearTimeout(term);
    expect(r.timedOut, describeRun(r)).toBe(false);
    expectFailure(r);
    expect(sigterm, `SIGINT alone did not end the run\n${describeRun(r)}`).toBe(false);
    expect(annotations(r.stdout, 'warning').join('\n')).toMatch(/SIGINT/);
    expect(r.outputs['failed'], 'requests cut at a cancel are abandoned, not failed').toBe('0');
    expect(ledger.afterRun(r)).toBe(matching[6]!.log_id);
    report({ test: 'time', scenario: 'hung receiver + SIGINT', sigintToExitMs });
  });
});

describe('a receiver that asks for an hour-long pause', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(30, { seed: 405, types: ['f'] }) }));

  it('429 with Retry-After: 3600 (capped at 60 s) and max-runtime: the run still ends at max-runtime, exit 0', async () => {
    const w = world();
    const matching = w.auth0.events.filter(defaultMatch);
    const ledger = new Ledger(w, () => matching);
    w.webhook.respond = (req, index) =>
      index === 3
        ? { status: 429, headers: { 'retry-after': '3600' }, body: 'come back in an hour' }
        : OK(req, index);
    const r = await w.run({ 'max-runtime': '3s', concurrency: '2' }, BOUND);
    expectSuccess(r);
    expect(r.outputs, describeRun(r)).toMatchObject({ 'caught-up': 'false', failed: '0' });
    const stored = ledger.afterRun(r);
    expect(stored! < w.webhook.requests[3]!.headers['webhook-id']!).toBe(true);
  });
});

describe('an Auth0 that never answers', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(250, { seed: 403 }) }));

  it('a hung page and max-runtime: the page is abandoned, what was fetched is delivered, exit 0', async () => {
    const w = world();
    const matching = w.auth0.events.filter(defaultMatch);
    const ledger = new Ledger(w, () => matching);
    w.auth0.chaos.push('pass', { hang: true });
    const r = await w.run({ 'max-runtime': '3s' }, BOUND);
    expectSuccess(r);
    expect(r.outputs, describeRun(r)).toMatchObject({ 'caught-up': 'false', fetched: '100', failed: '0' });
    expect(w.auth0.hung).toBe(1);
    expect(ledger.afterRun(r)).toBe(w.auth0.events[99]!.log_id);
  });

  it.runIf(SOAK)('a hung page and a cancel: exit failed, progress kept', async () => {
    const w = world();
    const matching = w.auth0.events.filter(defaultMatch);
    const ledger = new Ledger(w, () => matching);
    w.auth0.chaos.push('pass', { hang: true });
    const started = await w.startRun({}, BOUND);
    await waitFor(() => w.auth0.hung === 1 && w.webhook.acknowledged().length >= 80, 'the hung page');
    const sigintAt = Date.now();
    started.kill('SIGINT');
    const r = await started.done;
    const sigintToExitMs = Date.now() - sigintAt;
    expectFailure(r);
    expect(ledger.afterRun(r)).toBe(w.auth0.events[99]!.log_id);
    report({ test: 'time', scenario: 'hung Auth0 page + SIGINT', sigintToExitMs });
  });

  it.runIf(SOAK)(
    'a hung token request and max-runtime: fails saying max-runtime, nothing delivered or stored',
    async () => {
      const w = world();
      w.auth0.tokenChaos.push({ hang: true });
      const r = await w.run({ 'max-runtime': '1s' }, BOUND);
      expectFailure(r);
      expect(annotations(r.stdout, 'error').join('\n'), describeRun(r)).toMatch(/max-runtime/);
      expect(w.webhook.requests).toHaveLength(0);
      expect(w.checkpoint() ?? OLDEST).toBe(OLDEST);
    },
  );
});
