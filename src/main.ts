import * as core from '@actions/core';
import { Auth0Client } from './auth0/client.js';
import { createCheckpointStore } from './checkpoint/create.js';
import type { CheckpointStore } from './checkpoint/store.js';
import { systemClock, type Clock } from './clock.js';
import { WebhookSender } from './delivery/sender.js';
import { formatDuration } from './duration.js';
import { ActionError, StoppedError } from './errors.js';
import { createChooser, type Chooser } from './choose/index.js';
import { createCondition } from './choose/condition.js';
import { createObfuscator } from './choose/obfuscate.js';
import { createSelection } from './choose/select.js';
import { createDispatcher } from './http.js';
import { getSettings } from './inputs/index.js';
import { RunControl, runPipeline, type PipelineResult, type Progress } from './pipeline.js';
import {
  count,
  describeCheckpoint,
  plural,
  nextSteps,
  times,
  outcomeLine,
  setOutputs,
  writeInputErrorSummary,
  writeSummary,
  type RunReport,
  type RunStats,
} from './report.js';
import { keepHeapSmall } from './heap.js';
import { secretValues } from './secrets.js';
import { InputError, type Settings } from './settings.js';
import { VERSION } from './version.js';

/** Per-request debug lines only when step debug is on: each is a synchronous write on the hot path. */
const debugLog = core.isDebug() ? core.debug : (): void => undefined;

/** Longest a checkpoint store call may take. */
const STORE_TIMEOUT_MS = 30_000;
/** How often progress is logged at most. */
const PROGRESS_EVERY_MS = 5_000;
/** Retry and rate-limit warnings beyond this many are logged at debug level only. */
const MAX_WARNINGS = 20;
/** Events the condition failed for that get a warning each; the rest are counted. */
const MAX_CONDITION_WARNINGS = 5;

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

  const dispatcher = createDispatcher(settings.concurrency + 2);
  const backoffBaseMs = testDuration('AUTH0_LOG_WEBHOOKS_BACKOFF_MS', 1_000);
  let store: CheckpointStore | undefined;
  let previous = settings.startCursor;
  let hint: string | undefined;
  let result: PipelineResult;
  const stats: RunStats = {};
  const progress = progressLogger(clock);
  const startedAt = clock.now();

  try {
    logStart(settings, chooser);
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
          onWarning: warn,
          onDebug: debugLog,
        });
    if (sender) stats.webhook = sender.stats;
    const activeStore = store;
    result = await runPipeline({
      source: auth0,
      chooser,
      onConditionError: conditionWarnings(chooser),
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
      persistEveryMs: testDuration('AUTH0_LOG_WEBHOOKS_SAVE_EVERY_MS', 30_000),
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
    await dispatcher.close().catch(() => undefined);
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
    condition: chooser.condition?.source,
    personalData: chooser.obfuscator?.describe(),
    maxRuntimeMs: settings.maxRuntimeMs,
    now: clock.now(),
    stats,
  };
  setOutputs(report);
  await writeSummary(report);
  logEnd(report);
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

/** What is starting: one aligned block, no secrets (the webhook URL without credentials or query). */
function logStart(settings: Settings, chooser: Chooser): void {
  const request =
    settings.payloadFormat === 'object'
      ? 'one event a request'
      : `up to ${settings.batchSize} events a request`;
  const rows: Array<[string, string]> = [
    ['Auth0 tenant', settings.auth0Domain],
    [
      'Checkpoint',
      settings.checkpointStore === 'cache'
        ? `Actions cache (checkpoint-store: cache), key prefix ${settings.checkpointName}`
        : `repository variable ${settings.checkpointName} (checkpoint-store: variable)`,
    ],
    ['Start point', `${settings.startFromLabel} (used only when no checkpoint is stored)`],
    ['Filter', chooser.selection.describe()],
    ...(chooser.condition
      ? [['Condition', `filter: ${oneLine(chooser.condition.source)}`] as [string, string]]
      : []),
    ...(chooser.obfuscator ? [['Personal data', chooser.obfuscator.describe()] as [string, string]] : []),
    [
      'Webhook',
      `${settings.webhookUrlForLog}: ${settings.payloadFormat} format, ${request}, concurrency ${settings.concurrency}, ` +
        `${settings.maxAttempts} attempts, ${formatDuration(settings.requestTimeoutMs)} timeout${settings.webhookSecrets.length > 0 ? ', signed' : ''}`,
    ],
    ['Max runtime', formatDuration(settings.maxRuntimeMs)],
  ];
  if (settings.dryRun) rows.push(['Dry run', 'yes: fetch and filter only; nothing is delivered or stored']);
  core.info(`auth0-log-webhooks ${VERSION}`);
  for (const [name, value] of rows) core.info(`  ${`${name}:`.padEnd(14)}${value}`);
}

/** The last lines of the log: request counts, then the outcome (a failed run's is its ::error::). */
function logEnd(report: RunReport): void {
  const { auth0, webhook } = report.stats ?? {};
  const extras = (parts: Array<string | false>): string => {
    const shown = parts.filter((part): part is string => part !== false);
    return shown.length > 0 ? ` (${shown.join(', ')})` : '';
  };
  if (auth0) {
    core.info(
      `Auth0: ${plural(auth0.requests, 'request')}${extras([
        auth0.rateLimited > 0 && `answered 429 ${times(auth0.rateLimited)}`,
        auth0.retries > 0 && plural(auth0.retries, 'retry', 'retries'),
        auth0.waitedMs >= 1000 &&
          `waited ${formatDuration(auth0.waitedMs)} ${auth0.retries > 0 ? 'in all (rate limit, retries)' : 'for the rate limit'}`,
      ])}.`,
    );
  }
  if (webhook) {
    core.info(
      `Webhook: ${plural(webhook.requests, 'request')}${extras([webhook.retries > 0 && plural(webhook.retries, 'retry', 'retries')])}.`,
    );
  }
  const after = describeCheckpoint(report.result.checkpoint, report.now);
  core.info(
    report.result.checkpoint === report.previous
      ? `Checkpoint unchanged: ${after}.`
      : `Checkpoint: ${describeCheckpoint(report.previous)} → ${after}${report.dryRun ? ' (dry run: not saved)' : ''}.`,
  );
  const line = outcomeLine(report);
  const { outcome } = report.result;
  if (outcome === 'failed' || outcome === 'cancelled') {
    const steps = nextSteps(report).map((step) => step.replace(/\*\*|`/g, ''));
    core.setFailed(steps.length > 0 ? `${line} What to do: ${steps.join(' ')}` : line);
  } else {
    core.info(line);
  }
}

/** A progress line at most every PROGRESS_EVERY_MS (the pipeline reports every page and delivery). */
function progressLogger(clock: Clock): { onProgress: (progress: Progress) => void } {
  const began = clock.now();
  let last = began;
  return {
    onProgress: (progress) => {
      const now = clock.now();
      if (now - last < PROGRESS_EVERY_MS) return;
      last = now;
      const seconds = Math.max(0.001, (now - began) / 1000);
      core.info(
        `Progress: ${plural(progress.pages, 'page')}, fetched ${count(progress.fetched)} (${count(Math.round(progress.fetched / seconds))}/s), ` +
          `matched ${count(progress.matched)}, delivered ${count(progress.delivered)} (${count(Math.round(progress.delivered / seconds))}/s); ` +
          `checkpoint ${describeCheckpoint(progress.checkpoint, now)}`,
      );
    },
  };
}

/** Warnings (retries, rate-limit waits) as annotations, but not thousands of them on a bad day. */
function limitedWarnings(): (message: string) => void {
  let count = 0;
  return (message) => {
    count++;
    if (count <= MAX_WARNINGS) core.warning(message);
    else if (count === MAX_WARNINGS + 1)
      core.warning(`More retries and waits follow; they are logged at debug level only.`);
    else core.debug(message);
  };
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

/**
 * A warning for each of the first events the condition failed for (naming its log_id and the error,
 * with any e-mail or IP address in the error obfuscated), then one saying the rest are counted.
 */
function conditionWarnings(chooser: Chooser): (logId: string, error: string) => void {
  let count = 0;
  return (logId, error) => {
    count++;
    const text = chooser.obfuscator ? chooser.obfuscator.text(error) : error;
    if (count <= MAX_CONDITION_WARNINGS) {
      core.warning(
        `filter: the condition failed for event ${logId} (${text}); the event is sent anyway (a broken condition never hides an event).`,
      );
    } else if (count === MAX_CONDITION_WARNINGS + 1) {
      core.warning('filter: the condition failed for more events; they are sent and counted in the summary.');
    }
  };
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

function maskSecrets(settings: Settings): void {
  for (const secret of secretValues(settings)) core.setSecret(secret);
}

/**
 * A duration the tests shorten through the environment (not an input: nobody else should):
 * AUTH0_LOG_WEBHOOKS_BACKOFF_MS=0 so retries don't sleep for real, AUTH0_LOG_WEBHOOKS_SAVE_EVERY_MS
 * to see several periodic saves in a short run.
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
