import * as core from '@actions/core';
import { Auth0Client } from './auth0/client.js';
import { createCheckpointStore } from './checkpoint/create.js';
import { SAVE_EVERY_MS, type CheckpointStore } from './checkpoint/store.js';
import { systemClock, type Clock } from './clock.js';
import { minIntervalMs } from './delivery/formats/index.js';
import { describeFormat, previewBodies } from './delivery/preview.js';
import { WebhookSender } from './delivery/sender.js';
import { formatDuration } from './duration.js';
import { ActionError, StoppedError } from './errors.js';
import { createChooser, type Chooser } from './choose/index.js';
import { createCondition } from './choose/condition.js';
import { createObfuscator } from './choose/obfuscate.js';
import { createSelection } from './choose/select.js';
import { createDispatcher } from './http.js';
import type { Dispatcher } from 'undici';
import { getSettings } from './inputs/index.js';
import { RunControl, runPipeline, type PipelineResult } from './pipeline.js';
import { conditionWarnings, limitedWarnings, logEnd, logStart, progressLogger } from './report/log.js';
import { setOutputs } from './report/outputs.js';
import type { RunReport, RunStats } from './report/run-report.js';
import { writeInputErrorSummary, writeSummary } from './report/summary.js';
import { describeCheckpoint } from './report/words.js';
import { keepHeapSmall } from './heap.js';
import { secretValues } from './secrets.js';
import { InputError, type Settings } from './settings.js';

/** Per-request debug lines only when step debug is on: each is a synchronous write on the hot path. */
const debugLog = core.isDebug() ? core.debug : (): void => undefined;

/** Longest a checkpoint store call may take. */
const STORE_TIMEOUT_MS = 30_000;

/** The action: inputs → pipeline → report. The only place that fails the step. */
export async function run(clock: Clock = systemClock): Promise<void> {
  keepHeapSmall();
  let settings: Settings;
  try {
    settings = getSettings();
  } catch (error) {
    if (error instanceof InputError) {
      core.setFailed(error.message);
      await writeInputErrorSummary(error.message);
      return;
    }
    throw error;
  }
  maskSecrets(settings);

  const chooser = chooserFor(settings);
  const filter = chooser.selection;
  for (const code of filter.unknownCodes) {
    core.warning(
      `log-types: '${code}' is not a known Auth0 log type code (a newer type, or a typo?). Events of that type are still sent if they occur.`,
    );
  }

  const warn = limitedWarnings();
  const control = new RunControl(settings.maxRuntimeMs);
  const onSignal = (signal: string): void => {
    core.warning(`${signal} received: stopping, finishing requests in flight and saving the checkpoint.`);
    control.stop('cancelled');
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  let dispatcher: Dispatcher | undefined;
  const backoffBaseMs = testDuration('AUTH0_LOG_WEBHOOKS_BACKOFF_MS', 1_000);
  // A chat service's documented rate, whatever the concurrency (the tests shorten it).
  const paceMs = testDuration('AUTH0_LOG_WEBHOOKS_PACE_MS', minIntervalMs(settings.payloadFormat));
  let store: CheckpointStore | undefined;
  let previous = settings.startCursor;
  let hint: string | undefined;
  let result: PipelineResult;
  const stats: RunStats = {};
  const progress = progressLogger(clock);
  const startedAt = clock.now();

  try {
    logStart(
      settings,
      {
        filter: filter.describe(),
        condition: shownCondition(chooser),
        personalData: chooser.obfuscator?.describe(),
      },
      paceMs,
    );
    // Inside the try: a malformed HTTPS_PROXY fails the run with a summary like any other error.
    dispatcher = createDispatcher(settings.concurrency + 2);
    const auth0 = new Auth0Client({
      origin: settings.auth0Origin,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      dispatcher,
      clock,
      backoffBaseMs,
      signal: control.stopping.signal,
      onToken: (token) => core.setSecret(token),
      onWarning: warn,
      onDebug: debugLog,
    });
    stats.auth0 = auth0.stats;
    // The token request goes out first; loading the store's code and restoring the checkpoint overlap it.
    const token = auth0.authenticate();
    token.catch(() => undefined); // awaited below; only keeps an early store error from leaving it unhandled
    store = await createCheckpointStore(settings);
    const [stored] = await Promise.all([loadCheckpoint(store, settings.dryRun, storeSignal(control)), token]);
    previous = stored ?? settings.startCursor;
    core.info(
      stored
        ? `Checkpoint restored: ${describeCheckpoint(previous, clock.now())}.`
        : `No checkpoint stored yet: beginning at start-from '${settings.startFromLabel}' = ${describeCheckpoint(previous, clock.now())}.`,
    );
    if (!settings.dryRun) await store.prepare(previous, stored !== undefined, storeSignal(control));

    const sender = settings.dryRun
      ? undefined
      : new WebhookSender({
          settings,
          dispatcher,
          clock,
          backoffBaseMs,
          stopping: control.stopping.signal,
          abort: control.abort.signal,
          deadline: startedAt + settings.maxRuntimeMs,
          minIntervalMs: paceMs,
          onWarning: warn,
          onDebug: debugLog,
        });
    if (sender) stats.webhook = sender.stats;
    const activeStore = store;
    result = await runPipeline({
      source: auth0,
      chooser,
      onConditionError: conditionWarnings((text) => chooser.obfuscator?.text(text) ?? text),
      deliverer: sender,
      persist: settings.dryRun
        ? undefined
        : (checkpoint) => activeStore.save(checkpoint, saveSignal(control)),
      start: previous,
      startPersisted: stored !== undefined,
      batchSize: settings.batchSize,
      concurrency: settings.concurrency,
      clock,
      control,
      onProgress: progress.onProgress,
      persistEveryMs: testDuration(
        'AUTH0_LOG_WEBHOOKS_SAVE_EVERY_MS',
        SAVE_EVERY_MS[settings.checkpointStore],
      ),
      pollIntervalMs:
        settings.pollIntervalMs === undefined
          ? undefined
          : testDuration('AUTH0_LOG_WEBHOOKS_POLL_INTERVAL_MS', settings.pollIntervalMs),
    });
    for (const failure of result.failures) core.error(failure.message);
    if (result.error) hint = result.error instanceof ActionError ? result.error.hint : undefined;
  } catch (error) {
    // Before the pipeline: a failed checkpoint read must not leave token retries running, or the reverse.
    const stoppedBy = control.reason;
    control.stop('failed');
    let failure = error instanceof Error ? error : new Error(String(error));
    if (failure instanceof StoppedError && stoppedBy === 'max-runtime') {
      failure = new ActionError(
        `Reached max-runtime (${formatDuration(settings.maxRuntimeMs)}) before the run could start: Auth0 or the checkpoint store did not answer in time (see the warnings above).`,
      );
    }
    hint = failure instanceof ActionError ? failure.hint : undefined;
    result = emptyResult(previous, failure, clock.now() - startedAt, stoppedBy === 'cancelled');
  } finally {
    control.dispose();
    await dispatcher?.close().catch(() => undefined);
  }

  const report: RunReport = {
    result,
    previous,
    checkpointName: settings.checkpointName,
    store: settings.checkpointStore,
    dryRun: settings.dryRun,
    hint,
    domain: settings.auth0Domain,
    filter: filter.describe(),
    format: describeFormat(settings),
    previewBodies:
      settings.dryRun && result.preview.length > 0
        ? await previewBodies(settings, result.preview)
        : undefined,
    condition: shownCondition(chooser),
    personalData: chooser.obfuscator?.describe(),
    maxRuntimeMs: settings.maxRuntimeMs,
    pollIntervalMs: settings.pollIntervalMs,
    now: clock.now(),
    stats,
  };
  // Each part of the report on its own: whatever throws in one, the others still happen and the step
  // fails with a message (a run never ends without outputs, summary and outcome line).
  const parts: Array<[string, () => void | Promise<void>]> = [
    ['setting the outputs', () => setOutputs(report)],
    ['writing the job summary', () => writeSummary(report)],
    ['logging the outcome', () => logEnd(report)],
  ];
  for (const [what, part] of parts) {
    try {
      await part();
    } catch (error) {
      core.setFailed(`Unexpected error ${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Reading or proving the store ends at its timeout or when the run stops. */
function storeSignal(control: RunControl): AbortSignal {
  return AbortSignal.any([control.stopping.signal, AbortSignal.timeout(STORE_TIMEOUT_MS)]);
}

/** Saving goes on while the run stops (that is when it matters most), until the run's hard stop. */
function saveSignal(control: RunControl): AbortSignal {
  return AbortSignal.any([control.hardStop.signal, AbortSignal.timeout(STORE_TIMEOUT_MS)]);
}

async function loadCheckpoint(
  store: CheckpointStore,
  dryRun: boolean,
  signal: AbortSignal,
): Promise<string | undefined> {
  try {
    return await store.load(signal);
  } catch (error) {
    if (!dryRun) throw error;
    core.warning(
      `Dry run: could not read the stored checkpoint (${error instanceof Error ? error.message : String(error)}); using start-from.`,
    );
    return undefined;
  }
}

/** The per-event stages from the settings: select → condition → obfuscate (src/choose/index.ts). */
function chooserFor(settings: Settings): Chooser {
  return createChooser({
    selection: createSelection({
      logTypes: settings.logTypes,
      logLevel: settings.logLevel,
      logCategories: settings.logCategories,
    }),
    condition: settings.filter && createCondition(settings.filter),
    obfuscator:
      settings.piiFields.length > 0
        ? createObfuscator({
            classes: settings.piiFields,
            method: settings.piiMethod,
            hashKey: settings.piiHashKey,
          })
        : undefined,
  });
}

function maskSecrets(settings: Settings): void {
  for (const secret of secretValues(settings)) core.setSecret(secret);
}

/**
 * A duration the tests shorten through the environment (not an input: nobody else should):
 * AUTH0_LOG_WEBHOOKS_BACKOFF_MS=0 so retries don't sleep for real, AUTH0_LOG_WEBHOOKS_SAVE_EVERY_MS
 * to see several periodic saves in a short run, AUTH0_LOG_WEBHOOKS_POLL_INTERVAL_MS for a following
 * run that polls faster than the 1s poll-interval allows.
 */
function testDuration(name: string, otherwise: number): number {
  const text = process.env[name];
  const value = Number(text);
  return text !== undefined && text !== '' && Number.isFinite(value) && value >= 0 ? value : otherwise;
}

function emptyResult(
  checkpoint: string,
  error: Error,
  durationMs: number,
  cancelled: boolean,
): PipelineResult {
  return {
    outcome: cancelled ? 'cancelled' : 'failed',
    caughtUp: false,
    pages: 0,
    fetched: 0,
    matched: 0,
    delivered: 0,
    failed: 0,
    checkpoint,
    failures: [],
    error,
    byType: new Map(),
    filteredByType: new Map(),
    removedByCondition: 0,
    conditionErrors: 0,
    preview: [],
    durationMs,
  };
}

/** The `filter` as the log and summary show it: an e-mail or IP address written in it is obfuscated too. */
function shownCondition(chooser: Chooser): string | undefined {
  const source = chooser.condition?.source;
  return source === undefined || chooser.obfuscator === undefined ? source : chooser.obfuscator.text(source);
}
