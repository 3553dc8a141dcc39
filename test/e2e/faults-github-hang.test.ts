// Regression (found by the fault tests, fixed): calls to the GitHub REST API (variable store) have no timeout and are not cut by
// max-runtime or a cancel: a GitHub API that does not answer keeps the run going forever.
// Expected: every case ends well within the 30 s bound (max-runtime 2s / SIGINT), failed, naming GitHub.
import { describe, expect, it } from 'vitest';
import { makeEvents } from '../fakes/events.js';
import { useFaultWorld } from '../faults/world.js';
import { describeRun } from './harness.js';
import { waitFor } from './world.js';

const BOUND = { timeoutMs: 30_000 };

describe('a GitHub API that never answers', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(40, { seed: 409 }) }));

  it('reading the checkpoint variable hangs: max-runtime 2s must end the run', async () => {
    const w = world();
    w.github.hangReads = true;
    const r = await w.startRun({ 'max-runtime': '2s' }, BOUND).then((s) => s.done);
    expect(r.timedOut, `the run did not end within 30 s (max-runtime 2s)\n${describeRun(r)}`).toBe(false);
    expect(r.code).not.toBe(0);
  });

  // 17 s (max-runtime + the last save's allowance): run it with A0LW_SLOW=1.
  it.skipIf(!process.env.A0LW_SLOW)(
    'writing the checkpoint hangs (final save): max-runtime 2s must end the run',
    async () => {
      const w = world();
      w.github.setVariable('AUTH0_CP', '0'.repeat(56));
      const started = await w.startRun({ 'max-runtime': '2s' }, BOUND);
      // Let the prepare write through, hang every write after it (the final save).
      await waitFor(() => w.github.writes.length >= 1, 'the prepare write');
      w.github.hangWrites = true;
      const r = await started.done;
      expect(r.timedOut, `the run did not end within 30 s (max-runtime 2s)\n${describeRun(r)}`).toBe(false);
      expect(r.code).not.toBe(0);
    },
  );

  it('writing the checkpoint hangs, then the job is cancelled (SIGINT, SIGTERM 7.5 s later): the run must end', async () => {
    const w = world();
    const started = await w.startRun({}, BOUND);
    await waitFor(() => w.github.writes.length >= 1, 'the prepare write');
    w.github.hangWrites = true;
    await waitFor(() => w.webhook.acknowledged().length >= 30, 'deliveries');
    started.kill('SIGINT');
    const term = setTimeout(() => started.kill('SIGTERM'), 7_500);
    const r = await started.done;
    clearTimeout(term);
    expect(r.timedOut, `SIGINT + SIGTERM did not end the run within 30 s\n${describeRun(r)}`).toBe(false);
  });
});
