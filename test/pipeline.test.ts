import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../src/auth0/log-event.js';
import type { DeliveryOutcome } from '../src/delivery/sender.js';
import { createChooser } from '../src/choose/index.js';
import { createSelection } from '../src/choose/select.js';
import {
  RunControl,
  runPipeline,
  type Deliverer,
  type LogSource,
  type PipelineOptions,
} from '../src/pipeline.js';
import { FakeClock } from './support/fake-clock.js';

const id = (n: number): string => `900${String(n).padStart(53, '0')}`;
const START = id(0);

function events(count: number, types = ['f', 's', 'sapi']): LogEvent[] {
  return Array.from({ length: count }, (_, i) => ({ log_id: id(i + 1), type: types[i % types.length] }));
}

/** An in-memory tenant: pages of up to 100 after the cursor. Counts how far it ran ahead. */
class MemorySource implements LogSource {
  pages = 0;
  constructor(readonly all: LogEvent[]) {}
  async fetchPage(cursor: string): Promise<LogEvent[]> {
    this.pages++;
    await Promise.resolve();
    return this.all.filter((event) => (event.log_id as string) > cursor).slice(0, 100);
  }
}

/** Records what it is given; `answer` decides the outcome per request; `hold` keeps requests pending. */
class MemoryDeliverer implements Deliverer<readonly LogEvent[]> {
  readonly requests: LogEvent[][] = [];
  inFlight = 0;
  maxInFlight = 0;
  constructor(
    private readonly answer: (events: readonly LogEvent[]) => Promise<DeliveryOutcome['kind']> = async () =>
      'delivered',
  ) {}
  prepare(events: readonly LogEvent[]): readonly LogEvent[] {
    return [...events];
  }
  async deliver(batch: readonly LogEvent[], onDelivered: (count: number) => void): Promise<DeliveryOutcome> {
    this.requests.push([...batch]);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const kind = await this.answer(batch);
      if (kind === 'delivered') {
        onDelivered(batch.length);
        return { kind };
      }
      if (kind === 'abandoned') return { kind };
      const first = batch[0] as LogEvent;
      return {
        kind: 'failed',
        failure: {
          status: 400,
          reason: '400',
          logId: first.log_id as string,
          type: String(first.type),
          answer: 'no',
          attempts: 1,
          events: batch.length,
          message: 'failed',
        },
      };
    } finally {
      this.inFlight--;
    }
  }
}

function options(overrides: Partial<PipelineOptions> & Pick<PipelineOptions, 'source'>): PipelineOptions {
  return {
    chooser: createChooser({ selection: createSelection({ logTypes: [], logLevel: undefined }) }),
    deliverer: new MemoryDeliverer(),
    persist: async () => undefined,
    start: START,
    startPersisted: true,
    batchSize: 1,
    concurrency: 5,
    clock: new FakeClock(),
    control: new RunControl(),
    ...overrides,
  };
}

describe('runPipeline', () => {
  it('delivers every matching event once and ends at the last event, filtered or not', async () => {
    const deliverer = new MemoryDeliverer();
    const saved: string[] = [];
    const result = await runPipeline(
      options({
        source: new MemorySource(events(1000)),
        deliverer,
        persist: async (c) => void saved.push(c),
      }),
    );
    const sent = deliverer.requests.flat().map((event) => event.type);
    expect(sent).not.toContain('sapi');
    expect(sent.length).toBe(667);
    expect(result).toMatchObject({
      outcome: 'caught-up',
      caughtUp: true,
      fetched: 1000,
      matched: 667,
      delivered: 667,
      failed: 0,
      checkpoint: id(1000),
    });
    expect(saved.at(-1)).toBe(id(1000));
  });

  it('batches consecutive matching events across page boundaries', async () => {
    const deliverer = new MemoryDeliverer();
    await runPipeline(options({ source: new MemorySource(events(250)), deliverer, batchSize: 30 }));
    const sizes = deliverer.requests.map((batch) => batch.length);
    expect(sizes.slice(0, 5)).toEqual([30, 30, 30, 30, 30]);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(167);
    const ids = deliverer.requests.flat().map((event) => event.log_id);
    expect(ids).toEqual([...ids].sort());
  });

  it('stops before the first failed event and persists the prefix', async () => {
    const all = events(500);
    const bad = all[301] as LogEvent; // type f (index 301 % 3 = 1 → 's'); any matching event will do
    const deliverer = new MemoryDeliverer(async (batch) => (batch.includes(bad) ? 'failed' : 'delivered'));
    const saved: string[] = [];
    const result = await runPipeline(
      options({
        source: new MemorySource(all),
        deliverer,
        concurrency: 1,
        persist: async (c) => void saved.push(c),
      }),
    );
    expect(result.outcome).toBe('failed');
    expect(result.failed).toBe(1);
    expect(result.checkpoint).toBe(id(301));
    expect(saved.at(-1)).toBe(id(301));
    expect(deliverer.requests.flat().some((event) => (event.log_id as string) > (bad.log_id as string))).toBe(
      false,
    );
  });

  it('never lets the checkpoint pass an event still being delivered when later ones complete first', async () => {
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const all = events(300, ['f']);
    const deliverer = new MemoryDeliverer(async (batch) => {
      if (batch[0] === all[10]) {
        await slow;
        return 'abandoned';
      }
      return 'delivered';
    });
    const control = new RunControl();
    const run = runPipeline(options({ source: new MemorySource(all), deliverer, control, concurrency: 10 }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    control.stop('cancelled');
    release();
    const result = await run;
    expect(result.outcome).toBe('cancelled');
    expect(result.checkpoint).toBe(id(10));
  });

  it('holds no more than the in-flight window plus a few pages, however large the backlog', async () => {
    const source = new MemorySource(events(5000, ['f']));
    let releaseAll!: () => void;
    const gate = new Promise<void>((resolve) => (releaseAll = resolve));
    const deliverer = new MemoryDeliverer(async () => {
      await gate;
      return 'delivered';
    });
    const run = runPipeline(options({ source, deliverer, concurrency: 5 }));
    await new Promise((resolve) => setTimeout(resolve, 30));
    // 5 in flight + 3 pages read ahead: at most 5 pages fetched while nothing completes.
    expect(source.pages).toBeLessThanOrEqual(5);
    expect(deliverer.maxInFlight).toBe(5);
    releaseAll();
    const result = await run;
    expect(result.delivered).toBe(5000);
  });

  it('in a dry run counts what would be sent, delivers and persists nothing, and says where the checkpoint would be', async () => {
    const result = await runPipeline(
      options({ source: new MemorySource(events(120)), deliverer: undefined, persist: undefined }),
    );
    expect(result).toMatchObject({ outcome: 'caught-up', matched: 80, delivered: 0, checkpoint: id(120) });
    expect(result.preview).toHaveLength(20);
  });

  it('saves progress along the way while deliveries are still going on', async () => {
    let savedMidRun!: () => void;
    const midRun = new Promise<void>((resolve) => (savedMidRun = resolve));
    const all = events(100, ['f']);
    // Events after the 50th are only acknowledged once the first 50 have been saved by the timer.
    const deliverer = new MemoryDeliverer(async (batch) => {
      if ((batch[0]?.log_id as string) > id(50)) await midRun;
      return 'delivered';
    });
    const saved: string[] = [];
    const persist = async (checkpoint: string): Promise<void> => {
      saved.push(checkpoint);
      if (checkpoint === id(50)) savedMidRun();
    };
    const result = await runPipeline(
      options({ source: new MemorySource(all), deliverer, concurrency: 1, persist, persistEveryMs: 5 }),
    );
    expect(saved).toContain(id(50));
    expect(result.checkpoint).toBe(id(100));
  });

  it('persists the start cursor of a first run that found nothing', async () => {
    const saved: string[] = [];
    await runPipeline(
      options({
        source: new MemorySource([]),
        startPersisted: false,
        persist: async (c) => void saved.push(c),
      }),
    );
    expect(saved).toEqual([START]);
  });

  it('an Auth0 error fails the run but keeps the progress made', async () => {
    const all = events(150, ['f']);
    const source: LogSource = {
      fetchPage: async (cursor) => {
        if (cursor !== START) throw new Error('Auth0 answered 400');
        return all.slice(0, 100);
      },
    };
    const saved: string[] = [];
    const result = await runPipeline(options({ source, persist: async (c) => void saved.push(c) }));
    expect(result.outcome).toBe('failed');
    expect(result.error?.message).toContain('400');
    expect(saved.at(-1)).toBe(id(100));
  });
});

describe('runPipeline following the log (poll-interval)', () => {
  /**
   * A tenant that logs `arrivals[n]` more events just before the n-th poll (a read after an empty
   * one); once they are all read, its next empty answer stops the run (as max-runtime would).
   */
  class GrowingSource implements LogSource {
    reads = 0;
    /** Matching events delivered when each poll began (to see that nothing waits in a partial batch). */
    deliveredAtPoll: number[] = [];
    private polls = 0;
    private lastEmpty = false;
    constructor(
      readonly all: LogEvent[],
      private readonly arrivals: number[],
      private readonly clock: FakeClock,
      private readonly onLastRead: () => void,
      private readonly delivered: () => number,
    ) {}
    async fetchPage(cursor: string): Promise<LogEvent[]> {
      this.reads++;
      if (this.lastEmpty) {
        this.deliveredAtPoll.push(this.delivered());
        const from = this.all.length;
        for (let i = 0; i < (this.arrivals[this.polls] ?? 0); i++) {
          // Logged 2 s before this read: the delivery lag (the fake clock stands still while delivering).
          this.all.push({
            log_id: id(from + i + 1),
            type: 'f',
            date: new Date(this.clock.now() - 2_000).toISOString(),
          });
        }
        this.polls++;
      }
      await Promise.resolve();
      const page = this.all.filter((event) => (event.log_id as string) > cursor).slice(0, 100);
      this.lastEmpty = page.length === 0;
      if (this.lastEmpty && this.polls > this.arrivals.length) {
        // Stop once what was read is delivered: a stop abandons batches still queued.
        while (this.delivered() < this.all.length) await new Promise((resolve) => setImmediate(resolve));
        this.onLastRead();
      }
      return page;
    }
  }

  it('waits, reads again, delivers what arrived once, flushes partial batches, ends followed and caught up', async () => {
    const clock = new FakeClock();
    const control = new RunControl();
    const deliverer = new MemoryDeliverer();
    const delivered = (): number => deliverer.requests.flat().length;
    const source = new GrowingSource(
      [],
      [0, 3, 0, 250, 1],
      clock,
      () => control.stop('max-runtime'),
      delivered,
    );
    const result = await runPipeline(
      options({ source, deliverer, clock, control, batchSize: 10, pollIntervalMs: 30_000 }),
    );
    const ids = deliverer.requests.flat().map((event) => event.log_id);
    expect(ids).toEqual(source.all.map((event) => event.log_id));
    expect(new Set(ids).size).toBe(254);
    expect(result).toMatchObject({
      outcome: 'followed',
      caughtUp: true,
      delivered: 254,
      checkpoint: id(254),
    });
    // The 3 events of the second read went out before the wait, not held for a batch of 10.
    expect(source.deliveredAtPoll.slice(0, 4)).toEqual([0, 0, 3, 3]);
    expect(clock.sleeps.filter((ms) => ms === 30_000).length).toBe(result.polls);
    expect(result.polls).toBeGreaterThanOrEqual(5);
    // Each event was logged 2 s before the read that found it; a delivery may finish after a later wait.
    expect(result.lag?.count).toBe(254);
    expect(result.lag?.medianMs).toBeGreaterThanOrEqual(2_000);
  });

  it('a stop during a read that found events: followed, not caught up', async () => {
    const clock = new FakeClock();
    const control = new RunControl();
    const source = new GrowingSource(
      [],
      [5],
      clock,
      () => undefined,
      () => 0,
    );
    const stopAtSecondRead: LogSource = {
      fetchPage: async (cursor) => {
        const page = await source.fetchPage(cursor);
        if (source.reads === 2) control.stop('max-runtime');
        return page;
      },
    };
    const result = await runPipeline(
      options({ source: stopAtSecondRead, clock, control, pollIntervalMs: 1_000 }),
    );
    expect(result).toMatchObject({ outcome: 'followed', caughtUp: false });
  });

  it('a cancel during the wait ends the run at once, cancelled, progress kept', async () => {
    const control = new RunControl();
    const all = events(30);
    const clock = {
      now: () => Date.now(),
      sleep: (ms: number, signal?: AbortSignal) => {
        // The poll wait: cancelled while it runs.
        if (ms === 3_600_000) setTimeout(() => control.stop('cancelled'), 5);
        return new FakeClock()
          .sleep(0, signal)
          .then(() =>
            ms === 3_600_000
              ? new Promise<boolean>((resolve) => signal?.addEventListener('abort', () => resolve(false)))
              : true,
          );
      },
    };
    const saved: string[] = [];
    const result = await runPipeline(
      options({
        source: new MemorySource(all),
        clock,
        control,
        pollIntervalMs: 3_600_000,
        persist: async (c) => void saved.push(c),
      }),
    );
    expect(result.outcome).toBe('cancelled');
    expect(saved.at(-1)).toBe(id(30));
  });
});
