// Regressions from the review of the #14 fixes: waits that nothing could end, and stops that came
// too late or not at all. Each case hangs (the test times out) or ends wrongly on the code before.
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../src/auth0/log-event.js';
import { createChooser } from '../src/choose/index.js';
import { createSelection } from '../src/choose/select.js';
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

function pagesOf(all: readonly LogEvent[]): LogSource {
  return {
    async fetchPage(cursor) {
      await Promise.resolve();
      return all.filter((event) => (event.log_id as string) > cursor).slice(0, 100);
    },
  };
}

/** runPipeline with this file's usual options: only `f` chosen, one event a request, nothing stored. */
function runWith(
  options: Partial<PipelineOptions> & Pick<PipelineOptions, 'source' | 'control'>,
): Promise<PipelineResult> {
  return runPipeline({
    chooser: onlyF,
    deliverer: undefined,
    persist: async () => undefined,
    start: START,
    startPersisted: true,
    batchSize: 1,
    concurrency: 1,
    clock: new FakeClock(),
    ...options,
  });
}

/** A receiver that acknowledges every batch at once. */
function acknowledging(): Deliverer<LogEvent[]> {
  return {
    prepare: (events) => [...events],
    async deliver(batch, onDelivered) {
      await Promise.resolve();
      onDelivered(batch.length);
      return { kind: 'delivered' };
    },
  };
}

const onlyF = createChooser({ selection: createSelection({ logTypes: ['f'], logLevel: undefined }) });

describe('runPipeline after the review', () => {
  it('a batch that cannot be built while the read-ahead is full ends the run (no wait on nothing)', async () => {
    // One match, then 1,000 filtered events: the read-ahead fills with the match in an unfilled batch.
    const all: LogEvent[] = Array.from({ length: 1001 }, (_, i) => ({
      log_id: id(i + 1),
      type: i === 0 ? 'f' : 's',
    }));
    const deliverer: Deliverer = {
      prepare() {
        throw new RangeError('Maximum call stack size exceeded');
      },
      deliver: () => Promise.resolve({ kind: 'delivered' }),
    };
    const saved: string[] = [];
    const control = new RunControl();
    const result = await runWith({
      source: pagesOf(all),
      deliverer,
      persist: async (checkpoint) => void saved.push(checkpoint),
      batchSize: 100,
      control,
    });
    control.dispose();
    expect(result.outcome).toBe('failed');
    expect(result.error?.message).toMatch(/Could not build the request/);
    expect(result.checkpoint).toBe(START); // never past the event that could not be sent
    expect(saved).toEqual([]);
  });

  it('a retry abandoned at the deadline stops the run as at max-runtime: nothing after the hole is sent', async () => {
    const all: LogEvent[] = Array.from({ length: 1000 }, (_, i) => ({ log_id: id(i + 1), type: 'f' }));
    const sent: string[] = [];
    const deliverer: Deliverer<LogEvent[]> = {
      prepare: (events) => [...events],
      async deliver(batch, onDelivered) {
        await Promise.resolve();
        if (batch[0]!.log_id === id(1)) return { kind: 'abandoned' };
        sent.push(...batch.map((event) => event.log_id as string));
        onDelivered(batch.length);
        return { kind: 'delivered' };
      },
    };
    const control = new RunControl(60_000);
    const result = await runWith({
      source: pagesOf(all),
      deliverer,
      control,
    });
    control.dispose();
    expect(result.outcome).toBe('max-runtime');
    expect(result.error).toBeUndefined();
    expect(sent).toEqual([]);
    expect(result.checkpoint).toBe(START);
  });

  it(
    'a cancel after a failure still cuts a request in flight after the grace',
    { timeout: 20_000 },
    async () => {
      const all: LogEvent[] = [
        { log_id: id(1), type: 'f' },
        { log_id: id(2), type: 'f' },
      ];
      let control = new RunControl();
      const deliverer: Deliverer<LogEvent[]> = {
        prepare: (events) => [...events],
        async deliver(batch) {
          if (batch[0]!.log_id === id(1)) {
            // Refused while the other request hangs; then the job is cancelled.
            setImmediate(() => setImmediate(() => control.stop('cancelled')));
            return {
              kind: 'failed',
              failure: { status: 400, message: 'refused', events: 1 } as never,
            };
          }
          // A slow receiver: only the run's abort ends this request.
          await new Promise<void>((resolve) =>
            control.abort.signal.addEventListener('abort', () => resolve(), { once: true }),
          );
          return { kind: 'abandoned' };
        },
      };
      control = new RunControl();
      const result = await runWith({
        source: pagesOf(all),
        deliverer,
        concurrency: 2,
        control,
      });
      control.dispose();
      expect(control.abort.signal.aborted).toBe(true);
      expect(result.outcome).toBe('failed'); // the failure came first and is what the summary reports
      expect(result.checkpoint).toBe(START);
    },
  );

  it('following: a poll is one read, also when it finds a few events (a short page is the head)', async () => {
    const all: LogEvent[] = [];
    const control = new RunControl();
    const clock = new FakeClock();
    let reads = 0;
    const source: LogSource = {
      async fetchPage(cursor) {
        reads++;
        all.push({ log_id: id(all.length + 1), type: 'f' }); // one new event before every read
        if (reads === 20) control.stop('max-runtime');
        await Promise.resolve();
        return all.filter((event) => (event.log_id as string) > cursor).slice(0, 100);
      },
    };
    const deliverer = acknowledging();
    const result = await runWith({
      source,
      deliverer,
      clock,
      control,
      pollIntervalMs: 30_000,
    });
    control.dispose();
    // Every read after the first comes after one wait: no second, empty read before each wait.
    expect(clock.sleeps.filter((ms) => ms === 30_000)).toHaveLength(reads - 1);
    expect(result.polls).toBe(reads - 1);
    expect(result.outcome).toBe('followed');
  });

  it('a cancel while a page is being taken with a slow condition is seen mid-page', async () => {
    const all: LogEvent[] = Array.from({ length: 100 }, (_, i) => ({ log_id: id(i + 1), type: 'f' }));
    const control = new RunControl();
    let evaluated = 0;
    const chooser = {
      ...onlyF,
      choose: async (event: LogEvent) => {
        evaluated++;
        if (evaluated === 15) control.stop('cancelled'); // the signal arrives during the page
        await Promise.resolve();
        return { kind: 'chosen' as const, event };
      },
    };
    const deliverer = acknowledging();
    const result = await runWith({
      source: pagesOf(all),
      chooser,
      deliverer,
      control,
    });
    control.dispose();
    expect(evaluated).toBeLessThan(30); // not the whole page of 100
    expect(result.outcome).toBe('cancelled');
    // Nothing past what was taken counts as done.
    expect(result.checkpoint <= id(evaluated)).toBe(true);
  });
});
