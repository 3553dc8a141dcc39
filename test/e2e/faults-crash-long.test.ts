// Measurement, not part of `npm test` (A0LW_SOAK=1 or A0LW_CRASH_LONG=1 runs it; npm run soak does):
// how much a job killed outright (SIGKILL) in the middle of a long run sends again on the next run,
// per checkpoint store. A receiver that takes 10 ms an event, one request at a time (~60-100 events
// a second), a run killed at a random moment after its first delivery (6-16 s with the variable
// store, which saves every 5 s; 31-61 s with the cache store, every 30 s: a kill before its first
// save repeats the whole run, which says nothing new); the stored checkpoint is then read back
// (a dry run's previous-checkpoint) and every event acknowledged beyond it is a duplicate to come.
// Figures: duplicates per kill and the seconds of deliveries they are (duplicates / delivery rate).

import { describe, expect, it } from 'vitest';
import { FakeCacheService } from '../fakes/cache-service.js';
import { makeEvents } from '../fakes/events.js';
import { intIn, rngFor, seeds, SOAK, sleep } from '../faults/chaos.js';
import { report } from '../faults/world.js';
import { describeRun, startAction, runAction } from './harness.js';
import { expectCheckpointCovered, waitFor, World } from './world.js';

const ENABLED = SOAK || process.env['A0LW_CRASH_LONG'] === '1';
const TYPES = ['f', 'fp', 's', 'fu'];
/** When the kill comes, ms after the first delivery. */
const KILL_WINDOW = { variable: [6_000, 16_000], cache: [31_000, 61_000] } as const;

describe.skipIf(!ENABLED)('SIGKILL in a long run: deliveries repeated per kill, per store', () => {
  for (const store of ['variable', 'cache'] as const) {
    for (const seed of seeds([41, 42, 43])) {
      it(`${store} store, seed ${seed}`, { timeout: 180_000 }, async () => {
        const rng = rngFor(seed, `crash-long-${store}`);
        const w = new World({
          events: makeEvents(store === 'cache' ? 9000 : 3000, { types: TYPES, stepSeconds: 0 }),
        });
        const cache = new FakeCacheService();
        await Promise.all([w.start(), cache.start()]);
        try {
          w.webhook.respond = async () => {
            await sleep(10);
            return { status: 200, body: 'ok' };
          };
          const inputs = w.inputs({
            concurrency: '1',
            'max-runtime': '2m',
            ...(store === 'cache'
              ? { 'checkpoint-store': 'cache', 'checkpoint-name': undefined, 'github-token': '' }
              : {}),
          });
          const env = {
            ...(store === 'cache' ? cache.env() : { GITHUB_API_URL: w.github.origin }),
            GITHUB_RUN_ID: String(5000 + seed),
          };
          const started = await startAction({ inputs, env, timeoutMs: 120_000 });
          await waitFor(() => w.webhook.acknowledged().length > 0, 'a first delivery');
          const first = Date.now();
          await sleep(intIn(rng, KILL_WINDOW[store][0], KILL_WINDOW[store][1]));
          const entriesBefore = store === 'cache' ? cache.entries().length : 0;
          started.kill('SIGKILL');
          const killedAfterMs = Date.now() - first;
          await started.done;
          const acked = w.webhook.deliveredIds();
          // What is stored: a dry run reports where it would begin.
          const probe = await runAction({
            inputs: { ...inputs, 'dry-run': 'true', 'max-runtime': '1' },
            env: { ...env, GITHUB_RUN_ID: String(6000 + seed) },
          });
          const stored = probe.outputs['previous-checkpoint'];
          expect(stored, describeRun(probe)).toMatch(/^\d{56}$/);
          const duplicates = acked.filter((id) => id > stored!).length;
          const rate = acked.length / (killedAfterMs / 1000);
          const figures = {
            test: 'crash-long',
            store,
            seed,
            killedAfterMs,
            delivered: acked.length,
            duplicates,
            repeatedSeconds: Number((duplicates / rate).toFixed(1)),
            ...(store === 'cache' ? { cacheEntriesAtKill: entriesBefore } : {}),
          };
          report(figures);
          // The figure is measured; what must hold is that the stored checkpoint passes nothing unacknowledged.
          expectCheckpointCovered(stored!, w.auth0.events, acked);
        } finally {
          await Promise.all([w.close(), cache.close()]);
        }
      });
    }
  }
});
