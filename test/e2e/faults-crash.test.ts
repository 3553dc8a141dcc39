// Crash and cancel: dist/index.js is killed with SIGKILL at seeded moments (the Nth webhook request,
// Auth0 page or checkpoint write), or cancelled the way the runner cancels a job (SIGINT, SIGTERM
// 7.5 s later, SIGKILL 2.5 s after that), then re-run until caught up. After every run the stored
// checkpoint never moved back and never passes an event the receiver did not acknowledge (checked
// at every write too); at the end every matching event was acknowledged at least once.

import { describe, expect, it } from 'vitest';
import { makeEvents, type LogEvent } from '../fakes/events.js';
import { hashUnit, intIn, pick, rngFor, seeds, sleep } from '../faults/chaos.js';
import { Ledger, report, useFaultWorld } from '../faults/world.js';
import { describeRun, type RunResult, type StartedAction } from './harness.js';
import { defaultMatch, expectSuccess } from './world.js';

const FORMATS = [
  { 'payload-format': 'object' },
  { 'payload-format': 'array', 'batch-size': '10' },
  { 'payload-format': 'lines', 'batch-size': '4' },
] as const;

type Stop = 'SIGKILL' | 'cancel';
type Trigger = 'webhook' | 'auth0' | 'github-write';

interface Interruption {
  stop: Stop;
  trigger: Trigger;
  at: number;
  /** The run ended before the trigger fired (it caught up first). */
  missed: boolean;
  sigintToExitMs: number | undefined;
  /** Signals it took: SIGINT alone, or SIGINT + SIGTERM (+ SIGKILL). */
  signals: string[];
  /** Matching events acknowledged in this run beyond the checkpoint it left: sent again later. */
  exposed: number;
  exit: string;
}

const INTERRUPTIONS = Number(process.env['A0LW_SOAK_INTERRUPTIONS'] ?? '4');

describe('crash and cancel, re-run until caught up', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(150, { seed: 307 }) }));

  for (const seed of seeds([21, 22])) {
    it(`seed ${seed}: nothing lost, checkpoint never back nor past an unacknowledged event`, async () => {
      const w = world();
      const rng = rngFor(seed, 'crash');
      const matching = (): LogEvent[] => w.auth0.events.filter(defaultMatch);
      const ledger = new Ledger(w, matching);
      const format = pick(rng, FORMATS);
      const concurrency = pick(rng, [1, 3, 5, 10]);
      const inputs = { ...format, concurrency: String(concurrency) };
      const batch = Number((format as Record<string, string>)['batch-size'] ?? '1');

      // The trigger of the current run: called from the fakes, synchronously, when something happens.
      let onEvent: ((what: Trigger) => void) | undefined;
      let webhookCount = 0;
      w.webhook.respond = async (req) => {
        webhookCount++;
        onEvent?.('webhook');
        // A receiver that takes a few milliseconds: runs last long enough to be interrupted.
        await sleep(Math.floor(hashUnit(seed, `${req.headers['webhook-id']}#${req.index}`) * 5));
        return { status: 200, body: 'ok' };
      };
      w.auth0.onLogsRequest = () => onEvent?.('auth0');
      const check = w.github.check;
      w.github.check = (name, value) => {
        const verdict = check?.(name, value);
        onEvent?.('github-write');
        return verdict;
      };

      const interruptions: Interruption[] = [];
      for (let i = 0; i < INTERRUPTIONS; i++) {
        // The tenant keeps logging between runs: every run has work to be interrupted in.
        if (i > 0) w.auth0.addEvents(makeEvents(intIn(rng, 30, 120), { after: w.auth0.events.at(-1)! }));
        const stop: Stop = pick(rng, ['SIGKILL', 'SIGKILL', 'cancel'] as const);
        const trigger: Trigger = pick(rng, [
          'webhook',
          'webhook',
          'webhook',
          'auth0',
          'github-write',
        ] as const);
        const at =
          trigger === 'webhook'
            ? intIn(rng, 1, 40)
            : trigger === 'auth0'
              ? intIn(rng, 1, 4)
              : intIn(rng, 1, 2);
        let seen = 0;
        const current: { started?: StartedAction } = {};
        let exited = false;
        let sigintAt: number | undefined;
        const signals: string[] = [];
        const timers: NodeJS.Timeout[] = [];
        const fire = (): void => {
          const started = current.started;
          if (!started || exited) return;
          onEvent = undefined;
          if (stop === 'SIGKILL') {
            signals.push('SIGKILL');
            started.kill('SIGKILL');
            return;
          }
          sigintAt = Date.now();
          signals.push('SIGINT');
          started.kill('SIGINT');
          const s = started;
          timers.push(
            setTimeout(() => {
              if (exited) return;
              signals.push('SIGTERM');
              s.kill('SIGTERM');
            }, 7_500),
            setTimeout(() => {
              if (exited) return;
              signals.push('SIGKILL');
              s.kill('SIGKILL');
            }, 10_000),
          );
        };
        onEvent = (what) => {
          if (what === trigger && ++seen === at) fire();
        };
        current.started = await w.startRun(inputs, { timeoutMs: 30_000 });
        const r: RunResult = await current.started.done;
        exited = true;
        onEvent = undefined;
        for (const t of timers) clearTimeout(t);
        expect(r.timedOut, describeRun(r)).toBe(false);
        const missed = signals.length === 0;
        if (!missed && stop === 'cancel' && r.code === 0) {
          // The signal lost the race to the end of the run (it came during the final save): fine only
          // when the run had indeed finished everything.
          expect(
            r.outputs['caught-up'],
            `a cancelled run exited 0 without catching up\n${describeRun(r)}`,
          ).toBe('true');
        } else if (!missed && stop === 'cancel') {
          expect(r.code, describeRun(r)).not.toBe(0);
        }
        ledger.afterRun(r);
        interruptions.push({
          stop,
          trigger,
          at,
          missed,
          sigintToExitMs: sigintAt === undefined ? undefined : Date.now() - sigintAt,
          signals,
          exposed: ledger.exposed.at(-1) ?? 0,
          exit: r.signal ?? String(r.code),
        });
        if (!missed && stop === 'cancel') {
          // A cancel lets requests in flight finish and saves: what is left to repeat is bounded by
          // what may be outstanding at once (the in-flight window plus the pages read ahead).
          expect(ledger.exposed.at(-1)).toBeLessThanOrEqual(concurrency * batch + 300);
        }
      }

      // Re-run until caught up ("Re-run failed jobs" / the next schedule).
      let final: RunResult | undefined;
      for (let attempt = 0; attempt < 4; attempt++) {
        final = await w.run(inputs, { timeoutMs: 30_000 });
        ledger.afterRun(final);
        if (final.code === 0 && final.outputs['caught-up'] === 'true') break;
      }
      expectSuccess(final!);
      expect(final!.outputs['caught-up'], describeRun(final!)).toBe('true');
      expect(w.checkpoint()).toBe(w.auth0.events.at(-1)!.log_id);
      const { duplicates, lost } = ledger.expectAllDelivered();
      const sigint = interruptions.flatMap((x) => (x.sigintToExitMs === undefined ? [] : [x.sigintToExitMs]));
      report({
        test: 'crash',
        seed,
        format: format['payload-format'],
        concurrency,
        batch,
        matching: matching().length,
        runs: w.runs.length,
        lost: lost.length,
        duplicates,
        webhookRequests: webhookCount,
        maxSigintToExitMs: sigint.length > 0 ? Math.max(...sigint) : undefined,
        interruptions,
      });
    });
  }
});
