// End to end: max-runtime and cancellation keep progress without passing an undelivered event.

import { describe, expect, it } from 'vitest';
import { makeEvents } from '../fakes/events.js';
import { OK } from '../fakes/webhook.js';
import { annotations, describeRun } from './harness.js';
import {
  defaultMatch,
  expectCheckpointCovered,
  expectSuccess,
  ids,
  OLDEST,
  sleep,
  sorted,
  useWorld,
  waitFor,
} from './world.js';

const slow = async (): Promise<{ status: number; body: string }> => {
  await sleep(100);
  return { status: 200, body: 'ok' };
};

describe('time limits and cancellation', () => {
  const world = useWorld(() => ({ events: makeEvents(200, { seed: 29 }) }));

  it('max-runtime: stops early, exits 0 with caught-up=false, persists progress; the next run finishes', async () => {
    const w = world();
    const matching = w.auth0.events.filter(defaultMatch);
    w.webhook.respond = slow; // ~170 matching events at 100 ms each, one at a time: far more than 2 s
    const r = await w.run({ 'max-runtime': '2s', concurrency: '1' });
    expectSuccess(r);
    expect(r.outputs['caught-up']).toBe('false');
    expect(r.outputs['failed']).toBe('0');
    const delivered = Number(r.outputs['delivered']);
    expect(delivered).toBeGreaterThan(0);
    expect(delivered).toBeLessThan(matching.length);
    const stored = w.checkpoint();
    expect(stored, describeRun(r)).toBe(r.outputs['checkpoint']);
    expect(stored! > OLDEST).toBe(true);
    const rest = expectCheckpointCovered(stored!, matching, w.webhook.deliveredIds());
    expect(rest.length).toBeGreaterThan(0);

    w.webhook.respond = OK;
    const again = await w.run({ concurrency: '1' });
    expectSuccess(again);
    expect(again.outputs['caught-up']).toBe('true');
    expect(again.outputs['previous-checkpoint']).toBe(stored);
    expect(new Set(w.webhook.deliveredIds())).toEqual(new Set(ids(matching)));
    expect(w.checkpoint()).toBe(w.auth0.events[199]!.log_id);
  });

  it('SIGINT (cancelled job): exits failed, persists progress, a re-run finishes', async () => {
    const w = world();
    const matching = w.auth0.events.filter(defaultMatch);
    w.webhook.respond = slow;
    const started = await w.startRun({ concurrency: '2' });
    await waitFor(() => w.webhook.acknowledged().length >= 6, 'some deliveries');
    started.kill('SIGINT');
    const r = await started.done;
    expect(r.timedOut).toBe(false);
    expect(r.code, `a cancelled run must fail\n${describeRun(r)}`).not.toBe(0);
    const stored = w.checkpoint();
    expect(stored, describeRun(r)).toBeDefined();
    expect(stored! > OLDEST, 'progress was not kept').toBe(true);
    const rest = expectCheckpointCovered(stored!, matching, w.webhook.deliveredIds());
    expect(rest.length).toBeGreaterThan(0);

    w.webhook.respond = OK;
    const again = await w.run();
    expectSuccess(again);
    expect(again.outputs['previous-checkpoint']).toBe(stored);
    expect(sorted([...new Set(w.webhook.deliveredIds())])).toEqual(ids(matching));
  });

  it('max-runtime also bounds getting the token: a tenant that keeps failing ends the run at the deadline', async () => {
    const w = world();
    for (let i = 0; i < 10; i++) w.auth0.tokenFaults.push({ status: 503 });
    // Real backoff (10 s base, full jitter): eight tries cannot all fit into 2 s, max-runtime must end it.
    const r = await w.run(
      { 'max-runtime': '2s' },
      { env: { AUTH0_LOG_WEBHOOKS_BACKOFF_MS: '10000' }, timeoutMs: 30_000 },
    );
    expect(r.timedOut, describeRun(r)).toBe(false);
    expect(r.code).not.toBe(0);
    expect(annotations(r.stdout, 'error').join('\n'), describeRun(r)).toMatch(/max-runtime/);
    expect(w.webhook.requests).toHaveLength(0);
  });
});
