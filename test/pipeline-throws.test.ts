// Whatever throws in the per-event path, runPipeline resolves with a failed run: the checkpoint is the
// end of the done prefix (never past the event that failed), that checkpoint is saved, and the
// periodic save timer is stopped (issue #14 item 6). One failed save does not skip the later ones
// (item 7).

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogEvent } from '../src/auth0/log-event.js';
import type { DeliveryOutcome } from '../src/delivery/sender.js';
import { createChooser } from '../src/choose/index.js';
import { createSelection, type Selection } from '../src/choose/select.js';
import {
  RunControl,
  runPipeline,
  type Deliverer,
  type LogSource,
  type PipelineOptions,
  type PipelineResult,
} from '../src/pipeline.js';
import { FakeClock } from './support/fake-clock.js';

const id = (n: number): string => `900${String(n).padStart(53, '0')}`;
const START = id(0);
const COUNT = 250;
/** The event at which each stage throws (on the second page). */
const BAD = 150;
const PERSIST_EVERY_MS = 1_000;
const injected = (): Error => new Error('injected failure');

interface Harness {
  options: PipelineOptions;
  delivered: Set<string>;
  saved: string[];
}

type Stage = 'source' | 'filter' | 'prepare' | 'deliver' | 'persist' | 'report';

/** 250 matching events in pages of 100, delivered one by one in order; `stage` throws at event 150. */
function harness(stage: Stage | undefined): Harness {
  const all: LogEvent[] = Array.from({ length: COUNT }, (_, i) => ({
    log_id: id(i + 1),
    type: stage === 'filter' && i + 1 === BAD ? 'boom' : 'f',
  }));
  const source: LogSource = {
    async fetchPage(cursor) {
      await Promise.resolve();
      if (stage === 'source' && cursor >= id(100)) throw injected();
      // The periodic save fires while the second page is read.
      if (cursor === id(100)) vi.advanceTimersByTime(PERSIST_EVERY_MS);
      return all.filter((event) => (event.log_id as string) > cursor).slice(0, 100);
    },
  };
  const base = createSelection({ logTypes: [], logLevel: undefined });
  const selection: Selection = {
    ...base,
    describe: () => base.describe(),
    matches(type) {
      if (type === 'boom') throw injected();
      return base.matches(type);
    },
  };
  const delivered = new Set<string>();
  const deliverer: Deliverer<readonly LogEvent[]> = {
    prepare(events) {
      if (stage === 'prepare' && events.some((e) => e.log_id === id(BAD))) throw injected();
      return [...events];
    },
    // Not async: a synchronous throw, the harshest kind.
    deliver(batch, onDelivered): Promise<DeliveryOutcome> {
      if (stage === 'deliver' && batch.some((e) => e.log_id === id(BAD))) throw injected();
      for (const e of batch) delivered.add(e.log_id as string);
      onDelivered(batch.length);
      return Promise.resolve({ kind: 'delivered' });
    },
  };
  const saved: string[] = [];
  let persistCalls = 0;
  const options: PipelineOptions = {
    source,
    chooser: createChooser({ selection }),
    deliverer,
    persist: async (checkpoint) => {
      await Promise.resolve();
      if (stage === 'persist' && persistCalls++ === 0) throw injected();
      saved.push(checkpoint);
    },
    start: START,
    startPersisted: true,
    batchSize: 1,
    concurrency: 1,
    clock: new FakeClock(),
    control: new RunControl(),
    persistEveryMs: PERSIST_EVERY_MS,
    onProgress: (progress) => {
      if (stage === 'report' && progress.checkpoint === id(BAD)) throw injected();
    },
  };
  return { options, delivered, saved };
}

/** The checkpoint never passes an event that was not delivered. */
function expectCovered(result: PipelineResult, delivered: Set<string>): void {
  for (let n = 1; n <= COUNT && id(n) <= result.checkpoint; n++) {
    expect(delivered.has(id(n)), `checkpoint ${result.checkpoint} passes undelivered ${id(n)}`).toBe(true);
  }
}

describe('runPipeline when a stage throws', () => {
  beforeEach(() => {
    // Only the interval is faked: vi.getTimerCount() then says whether the periodic save was stopped.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs to the end without a fault (the harness itself)', async () => {
    const { options, delivered, saved } = harness(undefined);
    const result = await runPipeline(options);
    expect(result.outcome).toBe('caught-up');
    expect(delivered.size).toBe(COUNT);
    expect(saved.at(-1)).toBe(id(COUNT));
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each<[Stage, string]>([
    ['source', id(100)],
    ['filter', id(BAD - 1)],
    ['prepare', id(BAD - 1)],
    ['deliver', id(BAD - 1)],
    ['report', id(BAD)],
  ])('%s: a failed run, checkpoint %s saved, timer stopped', async (stage, checkpoint) => {
    const { options, delivered, saved } = harness(stage);
    const result = await runPipeline(options);
    expect(result.outcome).toBe('failed');
    expect(result.error?.message).toContain('injected failure');
    expect(result.checkpoint).toBe(checkpoint);
    expectCovered(result, delivered);
    expect(saved.at(-1)).toBe(result.checkpoint);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('prepare: names the event, and nothing after it is sent', async () => {
    const { options, delivered } = harness('prepare');
    const result = await runPipeline(options);
    expect(result.error?.message).toContain(id(BAD));
    expect([...delivered].filter((logId) => logId >= id(BAD))).toEqual([]);
  });

  it('persist: a failed periodic save fails the run, and the final save still runs', async () => {
    const { options, delivered, saved } = harness('persist');
    const result = await runPipeline(options);
    expect(result.outcome).toBe('failed');
    expect(result.error?.message).toContain('injected failure');
    expect(result.checkpoint > START).toBe(true);
    expectCovered(result, delivered);
    // The first (periodic) save threw; the final one stored the checkpoint.
    expect(saved).toEqual([result.checkpoint]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('persist: a failed final save is the run’s error, not a rejection', async () => {
    const { options } = harness(undefined);
    const result = await runPipeline({ ...options, persist: () => Promise.reject(injected()) });
    expect(result.outcome).toBe('failed');
    expect(result.error?.message).toContain('injected failure');
    expect(vi.getTimerCount()).toBe(0);
  });
});
