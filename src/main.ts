import * as core from '@actions/core';
import { Auth0Client } from './auth0/client.js';
import { createCheckpointStore } from './checkpoint/create.js';
import type { CheckpointStore } from './checkpoint/store.js';
import { systemClock, type Clock } from './clock.js';
import { WebhookSender } from './delivery/sender.js';
import { formatDuration } from './duration.js';
import { ActionError, StoppedError } from './errors.js';
import { createFilter } from './filter.js';
import { createDispatcher } from './http.js';
import { getSettings } from './inputs.js';
import { RunControl, runPipeline, type PipelineResult, type Progress } from './pipeline.js';
import { describeCheckpoint, outcomeLine, setOutputs, writeSummary } from './report.js';
import { InputError, type Settings } from './settings.js';

/** How often progress is logged at most. */
const PROGRESS_EVERY_MS = 5_000;
/** Retry and rate-limit warnings beyond this many are logged at debug level only. */
const MAX_WARNINGS = 20;

/** The action: inputs → pipeline → report. The only place that fails the step. */
export async function run(clock: Clock = systemClock): Promise<void> {
  let settings: Settings;
  try {
    settings = getSettings();
  } catch (error) {
    if (error instanceof InputError) {
      core.setFailed(error.message);
      return;
    }
    throw error;
  }
  maskSecrets(settings);

  const filter = createFilter({ logTypes: settings.logTypes, logLevel: settings.logLevel });
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
  const backoffBaseMs = backoffBase();
  let store: CheckpointStore | undefined;
  let previous = settings.startCursor;
  let hint: string | undefined;
  let result: PipelineResult;
  const startedAt = clock.now();

  try {
    store = createCheckpointStore(settings);
    logStart(settings, filter.describe());
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
      onDebug: core.debug,
    });
    // Restoring the checkpoint and getting the token overlap.
    const [stored] = await Promise.all([loadCheckpoint(store, settings.dryRun), auth0.authenticate()]);
    previous = stored ?? settings.startCursor;
    core.info(
      stored
        ? `Checkpoint restored: ${describeCheckpoint(previous)}.`
        : `No checkpoint stored yet: beginning at start-from '${settings.startFromLabel}' = ${describeCheckpoint(previous)}.`,
    );
    if (!settings.dryRun) await store.prepare(previous, stored !== undefined);

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
          onDebug: core.debug,
        });
    const activeStore = store;
    result = await runPipeline({
      source: auth0,
      filter,
      deliverer: sender,
      persist: settings.dryRun ? undefined : (checkpoint) => activeStore.save(checkpoint),
      start: previous,
      startPersisted: stored !== undefined,
      batchSize: settings.batchSize,
      concurrency: settings.concurrency,
      clock,
      control,
      onProgress: progressLogger(clock),
    });
    for (const failure of result.failures) core.error(failure.message);
    if (result.failures.length > 0) {
      hint = `Fix the receiver (it answered ${result.failures[0]?.reason}), then use **Re-run failed jobs**: the run resumes from the checkpoint, before the first undelivered event.`;
    }
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

  const report = {
    result,
    previous,
    checkpointName: settings.checkpointName,
    store: settings.checkpointStore,
    dryRun: settings.dryRun,
    hint,
  };
  setOutputs(report);
  await writeSummary(report);
  const line = outcomeLine(report);
  if (result.outcome === 'failed' || result.outcome === 'cancelled') {
    if (result.error) core.error(result.error.message + (hint ? ` ${hint}` : ''));
    core.setFailed(line);
  } else {
    core.info(line);
  }
}

async function loadCheckpoint(store: CheckpointStore, dryRun: boolean): Promise<string | undefined> {
  try {
    return await store.load();
  } catch (error) {
    if (!dryRun) throw error;
    core.warning(
      `Dry run: could not read the stored checkpoint (${error instanceof Error ? error.message : String(error)}); using start-from.`,
    );
    return undefined;
  }
}

function logStart(settings: Settings, filter: string): void {
  core.info(`Auth0 tenant: ${settings.auth0Origin}`);
  core.info(`Webhook: ${settings.webhookUrlForLog} (${settings.payloadFormat}, batch-size ${settings.batchSize}, concurrency ${settings.concurrency}${settings.webhookSecrets.length > 0 ? ', signed' : ''})`);
  core.info(`Filter: ${filter}`);
  core.info(`Checkpoint: ${settings.checkpointStore} store, name ${settings.checkpointName}`);
  core.info(`Start point when none is stored: ${settings.startFromLabel}`);
  core.info(`Max runtime: ${formatDuration(settings.maxRuntimeMs)}${settings.dryRun ? ' (dry run: nothing is delivered or saved)' : ''}`);
}

function progressLogger(clock: Clock): (progress: Progress) => void {
  const began = clock.now();
  let last = began;
  return (progress) => {
    const now = clock.now();
    if (now - last < PROGRESS_EVERY_MS) return;
    last = now;
    const rate = Math.round(progress.fetched / Math.max(0.001, (now - began) / 1000));
    core.info(
      `Progress: ${progress.pages} pages, fetched ${progress.fetched} (${rate}/s), matched ${progress.matched}, delivered ${progress.delivered}, checkpoint ${describeCheckpoint(progress.checkpoint)}`,
    );
  };
}

/** Warnings (retries, rate-limit waits) as annotations, but not thousands of them on a bad day. */
function limitedWarnings(): (message: string) => void {
  let count = 0;
  return (message) => {
    count++;
    if (count <= MAX_WARNINGS) core.warning(message);
    else if (count === MAX_WARNINGS + 1) core.warning(`More retries and waits follow; they are logged at debug level only.`);
    else core.debug(message);
  };
}

function maskSecrets(settings: Settings): void {
  core.setSecret(settings.clientSecret);
  if (settings.webhookAuthorization) core.setSecret(settings.webhookAuthorization);
  for (const secret of settings.webhookSecrets) core.setSecret(secret.toString('base64'));
  const url = settings.webhookUrl;
  if (url.password) core.setSecret(decodeURIComponent(url.password));
  if (url.username) core.setSecret(decodeURIComponent(url.username));
  if (url.username || url.password) {
    core.setSecret(Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64'));
  }
  if (url.search.length > 1) {
    core.setSecret(url.search.slice(1));
    for (const value of url.searchParams.values()) if (value.length >= 3) core.setSecret(value);
  }
  if (settings.githubToken) core.setSecret(settings.githubToken);
}

/** Retry backoff base; tests set AUTH0_LOG_WEBHOOKS_BACKOFF_MS=0 so retries don't sleep for real. */
function backoffBase(): number {
  const value = Number(process.env.AUTH0_LOG_WEBHOOKS_BACKOFF_MS);
  return Number.isFinite(value) && value >= 0 && process.env.AUTH0_LOG_WEBHOOKS_BACKOFF_MS !== '' ? value : 1_000;
}

function emptyResult(checkpoint: string, error: Error, durationMs: number, cancelled: boolean): PipelineResult {
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
    preview: [],
    durationMs,
  };
}
