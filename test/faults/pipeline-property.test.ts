// The checkpoint arithmetic at the pipeline level, as a property: runPipeline with an in-memory
// tenant whose pages have arbitrary sizes (1-100), and a deliverer whose outcomes (delivered, failed,
// delivered in part then failed like a 413 split, abandoned at the deadline) and completion order
// (fast-check's scheduler) are arbitrary. The backlog mixes dense stretches with long runs the filter
// leaves out (a match 1 in ~1,000 and thousands of filtered events in a row), events up to tens of KB,
// every batch size (1-100) and payload format; the deliverer builds the real bodies; with or without
// a `filter` condition (one that narrows, one that throws for some events and so keeps them) and
// obfuscation. For any of them:
//   - the run ends: a run left waiting on nothing (nothing scheduled, nothing in flight) fails the
//     property instead of hanging the test;
//   - every persisted value is ≥ the one before it (never moves back) and ≥ the start;
//   - the final checkpoint is exactly the end of the delivered-or-filtered prefix of what was fetched;
//   - the last persisted value is the final checkpoint;
//   - within a run nothing is delivered twice, nothing at or before the start; a fault-free run
//     catches up, and over re-runs (the last one fault-free) every matching event is delivered;
//   - no personal data of the obfuscated classes reaches the deliverer.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/auth0/log-event.js';
import { buildPayload, eventsOfPayload, type Payload } from '../../src/delivery/payload.js';
import type { DeliveryOutcome } from '../../src/delivery/sender.js';
import { createChooser } from '../../src/choose/index.js';
import { createCondition } from '../../src/choose/condition.js';
import { createObfuscator } from '../../src/choose/obfuscate.js';
import { createSelection } from '../../src/choose/select.js';
import { compileExpression } from '../../src/expression.js';
import type { PayloadFormat } from '../../src/settings.js';
import {
  RunControl,
  runPipeline,
  type Deliverer,
  type LogSource,
  type PipelineResult,
} from '../../src/pipeline.js';
import { FakeClock } from '../support/fake-clock.js';

const id = (n: number): string => `900${String(n).padStart(53, '0')}`;
const START = id(0);

type Outcome = 'delivered' | 'failed' | 'partial' | 'abandoned';

const outcome = fc.oneof(
  { weight: 12, arbitrary: fc.constant<Outcome>('delivered') },
  { weight: 1, arbitrary: fc.constant<Outcome>('failed') },
  { weight: 1, arbitrary: fc.constant<Outcome>('partial') },
  { weight: 1, arbitrary: fc.constant<Outcome>('abandoned') },
);

/** A stretch of the backlog, as "matches the filter" flags. */
const segment = fc.oneof(
  // Dense: any mix.
  { weight: 3, arbitrary: fc.array(fc.boolean(), { maxLength: 150 }) },
  // Rare: one match, then a long run the filter leaves out (1 in ~1,000).
  {
    weight: 2,
    arbitrary: fc.integer({ min: 200, max: 2_000 }).map((n) => [true, ...Array<boolean>(n).fill(false)]),
  },
  // Nothing matches for a long while.
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 2_000 }).map((n) => Array<boolean>(n).fill(false)) },
);

const PAD = 'x';
const TAGS = ['1', '5', '9', 'x'];

const scenario = fc.record({
  events: fc
    .tuple(
      fc.array(segment, { maxLength: 6 }),
      // A few events carry large details (Management API operations, Action failures): up to 40 KB.
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1_000, max: 40_000 })), { maxLength: 5 }),
    )
    .map(([segments, large]) => {
      const events = segments.flat().map((matches, i): LogEvent => ({
        log_id: id(i + 1),
        type: matches ? 'f' : 's',
        // What the conditions test, and personal data the obfuscation must catch.
        n: i % 10,
        tag: TAGS[(i * 7) % TAGS.length],
        from: `user${i % 10}@example.com at 203.0.113.${i % 10}`,
      }));
      for (const [at, size] of large) {
        const event = events[at % Math.max(1, events.length)];
        if (event) event['details'] = PAD.repeat(size);
      }
      return events;
    }),
  // Mostly full pages, as Auth0 serves a backlog: a short page means "the head", which flushes the batch.
  pageSizes: fc.array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(100) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 100 }) },
    ),
    { minLength: 1, maxLength: 12 },
  ),
  outcomes: fc.array(outcome, { minLength: 1, maxLength: 60, size: 'max' }),
  faultFree: fc.boolean(),
  format: fc.constantFrom<PayloadFormat>('object', 'array', 'lines'),
  batchSize: fc.integer({ min: 1, max: 100 }),
  concurrency: fc.integer({ min: 1, max: 8 }),
  /** The source throws (Auth0 unreadable) at this page. */
  sourceFailsAt: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
  /** Cancelled (SIGINT) when the deliverer has seen this many requests. */
  cancelAt: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
  startPersisted: fc.boolean(),
  /**
   * A `filter` condition: none, one that narrows (its verdicts remembered per value of `n`, or, reading
   * the event through `$`, evaluated for every event), or one that throws for some events (tag 'x').
   */
  condition: fc.oneof(
    fc.constant<Condition>(undefined),
    fc.integer({ min: 0, max: 10 }).map((k): Condition => ({ kind: 'narrows', k })),
    fc.integer({ min: 0, max: 10 }).map((k): Condition => ({ kind: 'narrows-every-event', k })),
    fc.integer({ min: 0, max: 9 }).map((k): Condition => ({ kind: 'throws', k })),
  ),
  obfuscate: fc.boolean(),
});

type Condition = { kind: 'narrows' | 'narrows-every-event' | 'throws'; k: number } | undefined;

/** The condition as JSONata, and the model of what it keeps (an error keeps the event: fail-open). */
function conditionOf(condition: Condition): { text: string; keeps: (e: LogEvent) => boolean } | undefined {
  if (!condition) return undefined;
  const narrows = (e: LogEvent) => (e['n'] as number) < condition.k;
  switch (condition.kind) {
    case 'narrows':
      return { text: `n < ${condition.k}`, keeps: narrows };
    case 'narrows-every-event':
      return { text: `$lookup($, 'n') < ${condition.k}`, keeps: narrows };
    case 'throws':
      return {
        text: `$number(tag) > ${condition.k}`,
        keeps: (e) => e['tag'] === 'x' || Number(e['tag']) > condition.k,
      };
  }
}

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

interface RunRecord {
  result: PipelineResult;
  fetched: LogEvent[];
  delivered: Map<string, number>;
  persisted: string[];
}

/** One run of the pipeline against the in-memory tenant, its timing in the hands of the scheduler. */
async function runOnce(
  sc: Scenario,
  s: fc.Scheduler,
  run: number,
  start: string,
  startPersisted: boolean,
  faultFree: boolean,
): Promise<RunRecord> {
  const control = new RunControl();
  const fetched: LogEvent[] = [];
  let pagesServed = 0;
  const source: LogSource = {
    async fetchPage(cursor) {
      await s.schedule(Promise.resolve(), `run ${run} page from …${cursor.slice(-4)}`);
      if (!faultFree && sc.sourceFailsAt === pagesServed) throw new Error('Auth0 answered 400');
      const size = sc.pageSizes[(pagesServed + run) % sc.pageSizes.length]!;
      pagesServed++;
      // id(n) is the n-th event: the page after the cursor, without scanning the backlog.
      const after = Number(cursor.slice(3));
      const page = sc.events.slice(after, after + size);
      fetched.push(...page);
      return page;
    },
  };
  const delivered = new Map<string, number>();
  const leaked: string[] = [];
  let requests = 0;
  // Real bodies: what the pipeline holds while a batch waits is the payload, not the events.
  const deliverer: Deliverer<Payload> = {
    prepare: (events) => buildPayload(sc.format, events, { auth0Domain: 'acme.us.auth0.com' }),
    async deliver(payload, onDelivered): Promise<DeliveryOutcome> {
      const batch = eventsOfPayload(sc.format, payload);
      const n = requests++;
      if (!faultFree && sc.cancelAt === n) control.stop('cancelled');
      await s.schedule(
        Promise.resolve(),
        `run ${run} deliver ${batch.length} from …${batch[0]!.log_id!.slice(-4)}`,
      );
      const kind: Outcome = faultFree ? 'delivered' : sc.outcomes[(n + run * 7) % sc.outcomes.length]!;
      const ack = (events: readonly LogEvent[]): void => {
        for (const e of events) delivered.set(e.log_id!, (delivered.get(e.log_id!) ?? 0) + 1);
        if (sc.obfuscate) {
          leaked.push(...events.map((e) => JSON.stringify(e)).filter((t) => /user\d@|113\.\d/.test(t)));
        }
        onDelivered(events.length);
      };
      const failure = { kind: 'failed' as const, failure: failureOf(batch) };
      switch (kind) {
        case 'delivered':
          ack(batch);
          return { kind: 'delivered' };
        case 'failed':
          return failure;
        case 'partial':
          // A 413 split whose first half went through.
          ack(batch.slice(0, Math.floor(batch.length / 2)));
          return failure;
        case 'abandoned':
          // The real sender abandons a request only when the run is stopping or at the deadline.
          control.stop('max-runtime');
          return { kind: 'abandoned' };
      }
    },
  };
  const persisted: string[] = [];
  const condition = conditionOf(sc.condition);
  let ended = false;
  const running = runPipeline({
    source,
    chooser: createChooser({
      selection: createSelection({ logTypes: ['f'], logLevel: undefined }),
      condition: condition && createCondition(compileExpression('filter', condition.text, 'x')),
      obfuscator: sc.obfuscate ? createObfuscator({ classes: ['email', 'ip'], method: 'mask' }) : undefined,
    }),
    deliverer,
    persist: async (checkpoint) => {
      await s.schedule(Promise.resolve(), `run ${run} persist …${checkpoint.slice(-4)}`);
      persisted.push(checkpoint);
    },
    start,
    startPersisted,
    batchSize: sc.format === 'object' ? 1 : sc.batchSize,
    concurrency: sc.concurrency,
    clock: new FakeClock(),
    control,
  }).finally(() => (ended = true));
  // Everything the pipeline waits for goes through the scheduler (its clock is fake). Once nothing
  // is scheduled and nothing more can be, a run that has not ended never will: fail, don't hang.
  // (A page taken with a condition yields to the event loop every few events: a few idle turns are normal.)
  for (let idle = 0; !ended && idle < 25;) {
    await s.waitIdle();
    await new Promise((resolve) => setImmediate(resolve));
    idle = s.count() === 0 ? idle + 1 : 0;
  }
  expect(ended, `run ${run} stalled: waiting with nothing scheduled (checkpoint stuck)`).toBe(true);
  const result = await running;
  expect(leaked, 'personal data reached the deliverer').toEqual([]);
  return { result, fetched, delivered, persisted };
}

const RUNS = 6;

describe('runPipeline checkpoint (property: any page boundaries, outcomes and completion order)', () => {
  it('is exactly the end of the delivered-or-filtered prefix; persisted values never move back; re-runs lose nothing', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.scheduler(), async (sc, s) => {
        const keeps = conditionOf(sc.condition)?.keeps ?? (() => true);
        const matches = (e: LogEvent): boolean => e.type === 'f' && keeps(e);
        const matching = sc.events.filter(matches);
        const everDelivered = new Set<string>();
        let stored: string | undefined = sc.startPersisted ? START : undefined;
        let last: RunRecord | undefined;
        for (let run = 0; run < RUNS; run++) {
          // The last run is fault-free: "Re-run failed jobs" once the receiver is fixed.
          const faultFree = sc.faultFree || run === RUNS - 1;
          const start = stored ?? START;
          const record = await runOnce(sc, s, run, start, stored !== undefined, faultFree);
          const { result, fetched, delivered, persisted } = record;
          last = record;

          // Never back, never before the start of this run.
          let previous = start;
          for (const value of persisted) {
            expect(value >= previous, `run ${run}: persisted ${value} after ${previous}`).toBe(true);
            previous = value;
          }
          // Exactly the end of the done prefix of what this run fetched.
          let expected = start;
          for (const e of fetched) {
            if (matches(e) && !delivered.has(e.log_id!)) break;
            expected = e.log_id!;
          }
          expect(result.checkpoint, `run ${run}`).toBe(expected);
          // The store ends at the checkpoint (a first run persists even when nothing moved).
          if (persisted.length > 0 || stored === undefined) expect(persisted.at(-1)).toBe(result.checkpoint);
          stored = persisted.at(-1) ?? stored;
          // Within a run: once each, only matching events, counted right.
          for (const [logId, times] of delivered) {
            expect(times, `run ${run}: ${logId} delivered ${times} times`).toBe(1);
            expect(logId > start, `run ${run}: ${logId} re-sent although before the start`).toBe(true);
            everDelivered.add(logId);
          }
          for (const logId of delivered.keys()) {
            expect(matches(sc.events[Number(logId.slice(3)) - 1]!), `${logId} does not match`).toBe(true);
          }
          expect(result.delivered).toBe(delivered.size);
          expect(delivered.size).toBeLessThanOrEqual(matching.length);
          if (result.outcome === 'caught-up') {
            expect(result.checkpoint).toBe(sc.events.at(-1)?.log_id ?? start);
            break;
          }
          expect(faultFree, `run ${run} did not catch up without faults: ${result.outcome}`).toBe(false);
        }
        expect(last?.result.outcome).toBe('caught-up');
        // At-least-once: nothing lost over the re-runs.
        expect(matching.filter((e) => !everDelivered.has(e.log_id!)).map((e) => e.log_id)).toEqual([]);
      }),
      {
        numRuns: Number(process.env['A0LW_PROPERTY_RUNS'] ?? '120'),
        seed: Number(process.env['A0LW_PROPERTY_SEED'] ?? '7'),
      },
    );
  }, 60_000);
});

function failureOf(batch: readonly LogEvent[]): Extract<DeliveryOutcome, { kind: 'failed' }>['failure'] {
  return {
    status: 400,
    reason: '400',
    logId: batch[0]!.log_id!,
    type: 'f',
    answer: 'no',
    attempts: 1,
    events: batch.length,
    message: 'failed',
  };
}
