import pLimit from 'p-limit';
import type { Clock } from './clock.js';
import { ActionError, StoppedError } from './errors.js';
import { eventId, type LogEvent } from './auth0/log-event.js';
import { PAGE_SIZE } from './auth0/client.js';
import type { DeliveryFailure, DeliveryOutcome } from './delivery/sender.js';
import { LagHistogram, type LagFigures } from './lag.js';
import type { Choice, Chooser } from './choose/index.js';
import { ProgressTracker } from './progress.js';

export type StopReason = 'max-runtime' | 'cancelled' | 'failed';

/**
 * Who may stop the run, and how: `stopping` ends fetching and new attempts, `abort` cuts requests in
 * flight. Created at the start of the run with its max-runtime, so every wait (the token included)
 * ends at the deadline.
 */
export class RunControl {
  readonly stopping = new AbortController();
  readonly abort = new AbortController();
  /**
   * Ends even the last save: a few seconds after a cancel (SIGTERM follows SIGINT ~7.5 s later),
   * or a while after max-runtime. Until then a save may finish while the run stops.
   */
  readonly hardStop = new AbortController();
  reason: StopReason | undefined;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(maxRuntimeMs?: number) {
    if (maxRuntimeMs !== undefined) {
      this.after(maxRuntimeMs, () => this.stop('max-runtime'));
      this.after(maxRuntimeMs + AFTER_MAX_RUNTIME_MS, () => this.hardStop.abort());
    }
  }

  /**
   * Aborts when time is up (max-runtime or a cancel), whatever stopped the run first: requests still
   * in flight then get a grace and are cut.
   */
  readonly timeUp = new AbortController();
  /** A cancel was asked for (perhaps after the run had already stopped for another reason). */
  cancelRequested = false;

  stop(reason: StopReason): void {
    if (reason === 'cancelled' && !this.cancelRequested) {
      this.cancelRequested = true;
      this.after(AFTER_CANCEL_MS, () => this.hardStop.abort());
    }
    if (reason === 'cancelled' || reason === 'max-runtime') this.timeUp.abort();
    this.reason ??= reason;
    this.stopping.abort();
  }

  /** The run is over: no timer fires any more. */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  private after(ms: number, action: () => void): void {
    const timer = setTimeout(action, ms);
    timer.unref();
    this.timers.push(timer);
  }
}

/** Budget after a cancel: grace for requests in flight, then the save, before SIGTERM. */
const AFTER_CANCEL_MS = 7_000;
/** Budget after max-runtime: grace for requests in flight, then the save. */
const AFTER_MAX_RUNTIME_MS = 15_000;

export interface LogSource {
  fetchPage(cursor: string): Promise<LogEvent[]>;
}

/**
 * Sends batches of consecutive matching events. `prepare` runs as soon as a batch is complete and its
 * result is all the pipeline keeps while the batch waits for a slot: the parsed events can go at once.
 */
export interface Deliverer<Batch = unknown> {
  prepare(events: readonly LogEvent[]): Batch;
  /** `onDelivered(count)`: the next `count` events of the batch were acknowledged (parts come in order). */
  deliver(batch: Batch, onDelivered: (count: number) => void): Promise<DeliveryOutcome>;
}

export interface PipelineOptions {
  source: LogSource;
  /** Select → condition → obfuscate (src/choose/index.ts): what of each event is sent, if anything. */
  chooser: Chooser;
  /** Undefined in a dry run: matching events count as handled, nothing is sent. */
  deliverer: Deliverer | undefined;
  /** Undefined in a dry run. */
  persist: ((checkpoint: string) => Promise<void>) | undefined;
  start: string;
  /** True when `start` is already stored; otherwise the end of the run persists even if nothing moved. */
  startPersisted: boolean;
  batchSize: number;
  concurrency: number;
  clock: Clock;
  control: RunControl;
  /** How often a long run persists its progress. */
  persistEveryMs?: number;
  /** Follow the log: once caught up, wait this long and read again, until the run is stopped. */
  pollIntervalMs?: number;
  /** How long requests in flight get after max-runtime or a cancel before they are cut. */
  graceMs?: number;
  /** The `filter` condition failed for an event, which is sent anyway (fail-open). */
  onConditionError?(logId: string, error: string): void;
  /** After each page and each acknowledged delivery (often: the caller throttles what it logs). */
  onProgress?(progress: Progress): void;
}

export interface Progress {
  pages: number;
  fetched: number;
  matched: number;
  delivered: number;
  checkpoint: string;
}

export interface PipelineResult extends Progress {
  /** `followed`: with a poll interval, the run caught up and kept reading until max-runtime. */
  outcome: 'caught-up' | 'followed' | 'max-runtime' | 'cancelled' | 'failed';
  /** The run reached the newest log and handled everything up to it. */
  caughtUp: boolean;
  /** Matching events that permanently failed. */
  failed: number;
  failures: DeliveryFailure[];
  /** An error that ended the run (Auth0, persisting): already user-facing. */
  error: Error | undefined;
  /** Matching events by type code. */
  byType: Map<string, number>;
  /** Events the filter left out, by type code (for the summary: "why was X not sent?"). */
  filteredByType: Map<string, number>;
  /** Of the filtered out: selected by type, but the `filter` condition was false. */
  removedByCondition: number;
  /** Matching events sent although the `filter` condition failed for them (fail-open). */
  conditionErrors: number;
  /** In a dry run, the first matching events (what would have been sent), obfuscated. */
  preview: LogEvent[];
  durationMs: number;
  /** Delivery lag of the delivered events (event `date` → acknowledgement); undefined when none. */
  lag?: LagFigures;
  /** Reads made after catching up, while following (poll-interval). */
  polls?: number;
}

const PREVIEW_SIZE = 20;
/** Conditions evaluated between two turns of the event loop (each is time-boxed, see src/expression.ts). */
const CONDITION_YIELD_EVERY = 10;
/** Pages fetched ahead of deliveries, on top of the in-flight window. */
const READ_AHEAD_PAGES = 3;
const CANCEL_GRACE_MS = 2_500;

/**
 * fetch → filter → deliver → checkpoint. Fetching overlaps delivery; the events held at once are
 * bounded by the in-flight window plus a few pages, so memory is flat however large the backlog.
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const { source, chooser, deliverer, persist, clock, control } = options;
  const persistEveryMs = options.persistEveryMs ?? 30_000;
  const graceMs = options.graceMs ?? 5_000;
  const startedAt = clock.now();
  const tracker = new ProgressTracker(options.start);
  const limit = pLimit(options.concurrency);
  const inflight = new Set<Promise<void>>();
  const byType = new Map<string, number>();
  const filteredByType = new Map<string, number>();
  const preview: LogEvent[] = [];
  const failures: DeliveryFailure[] = [];
  const maxOutstanding = options.concurrency * options.batchSize + READ_AHEAD_PAGES * PAGE_SIZE;
  const counts = {
    pages: 0,
    fetched: 0,
    matched: 0,
    delivered: 0,
    failed: 0,
    removedByCondition: 0,
    conditionErrors: 0,
  };
  let error: Error | undefined;
  let batch: LogEvent[] = [];
  /** The tracker's sequence numbers of the events in `batch`. */
  let batchSeqs: number[] = [];
  /** When Auth0 logged each event in `batch` (ms), for the delivery lag. */
  let batchDates: number[] = [];
  const lag = new LagHistogram();
  /** The last read that completed reached the head of the log (empty; when following, also short). */
  let lastReadAtHead = false;
  const following = options.pollIntervalMs !== undefined;
  let polls = 0;
  let cursor = options.start;
  let reachedEnd = false;
  let persisted = options.startPersisted ? options.start : undefined;
  /** Saves run one after another: the periodic timer and the final save never overlap. */
  let saving: Promise<void> = Promise.resolve();
  let wake: (() => void) | undefined;

  const fail = (reason: unknown): void => {
    error ??= asError(reason);
    control.stop('failed');
  };

  /**
   * Set when an event could not be taken in or prepared: nothing more is fetched or sent, but the
   * requests for events before it still go (their progress counts), then the run fails.
   */
  let halted = false;
  const halt = (reason: unknown): void => {
    error ??= asError(reason);
    halted = true;
    wake?.();
  };

  /** Progress goes to the caller's logger: a throw there fails the run, it never unwinds a delivery. */
  const report = (): void => {
    try {
      options.onProgress?.({ ...counts, checkpoint: tracker.checkpoint });
    } catch (caught) {
      fail(caught);
    }
  };

  const dispatch = (events: LogEvent[], seqs: number[], dates: number[]): void => {
    if (!deliverer || halted) return;
    let prepared: unknown;
    try {
      prepared = deliverer.prepare(events);
    } catch (caught) {
      // E.g. an event nested deeper than JSON.stringify can go. These events stay undone, so the
      // checkpoint stops before them; what is before them still goes, then the run fails.
      const first = events[0] ?? {};
      const which = events.length === 1 ? 'event' : `${events.length} events from`;
      halt(
        new ActionError(
          `Could not build the request for ${which} ${eventId(first) ?? '?'} (type ${String(first.type)}): ${asError(caught).message}.`,
          'Every run stops at this event until it can be sent: to move past it, leave its type out (`log-types`, `log-level`) for one run, and report the event (its type and shape, not its content) as an issue.',
        ),
      );
      return;
    }
    let acknowledged = 0;
    const task = limit(async () => {
      if (control.stopping.signal.aborted) return;
      const outcome = await deliverer.deliver(prepared, (count) => {
        counts.delivered += count;
        const now = clock.now();
        for (const end = acknowledged + count; acknowledged < end; acknowledged++) {
          tracker.complete(seqs[acknowledged] ?? -1);
          lag.add(now - (dates[acknowledged] ?? NaN));
        }
        report();
      });
      if (outcome.kind === 'failed') {
        // Inside the slot, so that the next queued request already sees the stop.
        failures.push(outcome.failure);
        counts.failed += outcome.failure.events;
        control.stop('failed');
      } else if (outcome.kind === 'abandoned' && !control.stopping.signal.aborted) {
        // A retry that would end past max-runtime: the run is out of time, so it stops as at
        // max-runtime (nothing after the hole is sent to be sent again, the order of concurrency 1 holds).
        control.stop('max-runtime');
      }
    })
      .catch(fail)
      .finally(() => {
        inflight.delete(task);
        wake?.();
      });
    inflight.add(task);
  };

  const flush = (): void => {
    if (batch.length > 0) dispatch(batch, batchSeqs, batchDates);
    batch = [];
    batchSeqs = [];
    batchDates = [];
  };

  const nextCompletion = (): Promise<void> => new Promise((resolve) => (wake = resolve));
  control.stopping.signal.addEventListener('abort', () => wake?.(), { once: true });

  const save = (): Promise<void> => {
    // After the previous save settles, failed or not: one failed save must not skip the later ones.
    saving = saving
      .catch(() => undefined)
      .then(async () => {
        const checkpoint = tracker.checkpoint;
        if (!persist || checkpoint === persisted) return;
        await persist(checkpoint);
        persisted = checkpoint;
      });
    return saving;
  };
  // Progress is saved along the way, so a killed job repeats little; a failed save fails the run.
  // A tick while a save is still running is skipped: slow saves must not queue up behind each other.
  let periodicSaving = false;
  const periodic = setInterval(() => {
    if (periodicSaving) return;
    periodicSaving = true;
    save()
      .catch(fail)
      .finally(() => (periodicSaving = false));
  }, persistEveryMs);
  // From here on every path ends in the finally below (timer stopped) and the final save.
  periodic.unref();

  /** Takes in one event with what the chooser made of it; `choice.event` is what may leave the runner. */
  const accept = (event: LogEvent, choice: Choice): void => {
    counts.fetched++;
    const type = typeof event.type === 'string' ? event.type : undefined;
    const id = eventId(event) as string;
    const seq = tracker.add(id, choice.kind !== 'chosen' || !deliverer);
    if (choice.kind !== 'chosen') {
      // Left out by the selection or the condition: done, so the checkpoint moves past it.
      if (choice.kind === 'removed') counts.removedByCondition++;
      filteredByType.set(type ?? '(none)', (filteredByType.get(type ?? '(none)') ?? 0) + 1);
      return;
    }
    if (choice.conditionError !== undefined) {
      counts.conditionErrors++;
      options.onConditionError?.(id, choice.conditionError);
    }
    counts.matched++;
    byType.set(type ?? '(none)', (byType.get(type ?? '(none)') ?? 0) + 1);
    if (!deliverer) {
      if (preview.length < PREVIEW_SIZE) preview.push(choice.event);
      return;
    }
    batch.push(choice.event);
    batchSeqs.push(seq);
    batchDates.push(typeof event.date === 'string' ? Date.parse(event.date) : NaN);
    if (batch.length >= options.batchSize) flush();
  };

  /**
   * Holds fetching while more than maxOutstanding events wait for the done prefix. Something must be
   * able to end the wait: when nothing is in flight, the events held are in the unfilled batch (a
   * sparse match followed by many filtered events), so it goes now, partial. Under backpressure with
   * requests in flight, batches stay full.
   */
  const waitForRoom = async (): Promise<void> => {
    while (tracker.outstanding > maxOutstanding && !control.stopping.signal.aborted && !halted) {
      if (inflight.size === 0) flush();
      if (halted) return; // the batch could not be built: nothing was sent, nothing will wake us
      // Never wait for a completion while nothing is in flight: nothing would ever end the wait.
      if (inflight.size === 0)
        throw new Error(`Internal error: ${tracker.outstanding} events are neither delivered nor in flight.`);
      await nextCompletion();
    }
  };

  try {
    try {
      await fetchAll();
    } catch (caught) {
      // Auth0 could not be read (or an event could not be taken in): stop fetching, but deliver what
      // was already fetched, then fail.
      if (!(caught instanceof StoppedError)) error ??= asError(caught);
    }
    await drain();
  } catch (caught) {
    // Nothing above should throw; if it does, the run still ends as a failure with its save below.
    fail(caught);
    control.abort.abort();
  } finally {
    clearInterval(periodic);
  }

  // Also when nothing moved but nothing was stored yet: a quiet tenant must not re-anchor every run.
  await save().catch((caught: unknown) => {
    error ??= asError(caught);
  });

  // A following run ends at max-runtime by design: caught up when its last read was.
  const followed = following && reachedEnd;
  const caughtUp =
    lastReadAtHead &&
    tracker.checkpoint === cursor &&
    (control.reason === undefined || (followed && control.reason === 'max-runtime'));
  let outcome: PipelineResult['outcome'];
  if (control.reason === 'cancelled') outcome = 'cancelled';
  else if (error || failures.length > 0) outcome = 'failed';
  else if (followed) outcome = 'followed';
  else if (caughtUp) outcome = 'caught-up';
  else outcome = 'max-runtime';

  return {
    ...counts,
    checkpoint: tracker.checkpoint,
    outcome,
    caughtUp,
    failures,
    error,
    byType,
    filteredByType,
    preview,
    durationMs: clock.now() - startedAt,
    lag: lag.figures(),
    polls,
  };

  /**
   * Every event of a page, in order. A choice is a promise only with a condition (JSONata evaluates
   * asynchronously); those are awaited one by one, so the order and the page bound hold, and a page
   * is always taken whole (each evaluation is time-boxed by src/expression.ts).
   */
  async function takePage(page: readonly LogEvent[]): Promise<void> {
    let evaluated = 0;
    for (const event of page) {
      if (halted) return;
      const choice = chooser.choose(event);
      if (!(choice instanceof Promise)) {
        accept(event, choice);
        continue;
      }
      accept(event, await choice);
      // JSONata's awaits never let timers or signals in: yield now and then, so a cancel or
      // max-runtime is seen mid-page. The events not taken yet are read again by the next run (the
      // checkpoint comes from what was taken).
      if (++evaluated % CONDITION_YIELD_EVERY === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        if (control.stopping.signal.aborted) return;
      }
    }
  }

  async function fetchAll(): Promise<void> {
    while (!control.stopping.signal.aborted && !halted) {
      await waitForRoom();
      if (control.stopping.signal.aborted || halted) break;
      const page = await source.fetchPage(cursor);
      if (page.length > 0) {
        await takePage(page);
        cursor = eventId(page[page.length - 1] as LogEvent) as string;
        counts.pages++;
        // A short page means we are at the head of the stream: don't hold a partial batch back.
        if (page.length < PAGE_SIZE) flush();
        report();
      }
      // At the head: an empty page; when following, a short one too, so that a poll is one read.
      lastReadAtHead = page.length === 0 || (following && page.length < PAGE_SIZE);
      if (!lastReadAtHead) continue;
      reachedEnd = true;
      if (!following) break;
      // Following: nothing is held back while waiting, then one more (paced) read.
      flush();
      if (halted || !(await clock.sleep(options.pollIntervalMs ?? 0, control.stopping.signal))) break;
      polls++;
    }
  }

  /** Sends what is left and waits for the requests in flight (cut after the grace when stopping). */
  async function drain(): Promise<void> {
    if (!control.stopping.signal.aborted) flush();
    const settled = (): Promise<unknown> => Promise.all([...inflight]);
    // Requests in flight finish, unless time runs out (max-runtime, or a cancel): also after a failure,
    // when a slow request could otherwise hold the run for its whole request-timeout.
    await Promise.race([settled(), untilAborted(control.timeUp.signal)]);
    if (control.timeUp.signal.aborted) {
      // A cancelled job gets SIGTERM ~7.5 s after SIGINT: leave time to save.
      const grace = control.cancelRequested ? Math.min(graceMs, CANCEL_GRACE_MS) : graceMs;
      await Promise.race([settled(), clock.sleep(grace)]);
      control.abort.abort();
    }
    await settled();
  }
}

function asError(caught: unknown): Error {
  return caught instanceof Error ? caught : new Error(String(caught));
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
