// What the run log shows: the block at the start, progress lines, rate-limited warnings, and the
// request counts and outcome at the end. No secrets: the webhook URL appears as its origin only.

import * as core from '@actions/core';
import { describeFormat } from '../delivery/preview.js';
import type { Clock } from '../clock.js';
import { formatDuration } from '../duration.js';
import type { Progress } from '../pipeline.js';
import type { Settings } from '../settings.js';
import { VERSION } from '../version.js';
import { nextSteps, outcomeLine } from './outcome.js';
import type { RunReport } from './run-report.js';
import { count, describeCheckpoint, plural, times } from './words.js';

/** How often progress is logged at most. */
const PROGRESS_EVERY_MS = 5_000;
/** Retry and rate-limit warnings beyond this many are logged at debug level only. */
const MAX_WARNINGS = 20;
/** Events the `filter` condition failed for that get a warning each; the rest are counted. */
const MAX_CONDITION_WARNINGS = 5;

/** What the choosing stages do, in words (src/choose/index.ts). */
export interface ChoosingWords {
  /** The selection (types, categories, level). */
  filter: string;
  /** The `filter` condition as written. */
  condition?: string | undefined;
  /** The personal data obfuscation. */
  personalData?: string | undefined;
}

/** What is starting: one aligned block, no secrets (the webhook URL as its origin only). */
export function logStart(settings: Settings, choosing: ChoosingWords, pace: number): void {
  const rows: Array<[string, string]> = [
    ['Auth0 tenant', settings.auth0Domain],
    [
      'Checkpoint',
      settings.checkpointStore === 'cache'
        ? `Actions cache (checkpoint-store: cache), key prefix ${settings.checkpointName}`
        : `repository variable ${settings.checkpointName} (checkpoint-store: variable)`,
    ],
    ['Start point', `${settings.startFromLabel} (used only when no checkpoint is stored)`],
    ['Filter', choosing.filter],
    [
      'Webhook',
      `${settings.webhookUrlForLog}: ${describeFormat(settings)}, concurrency ${settings.concurrency}, ` +
        (pace > 0 ? `paced to one request every ${formatDuration(pace)}, ` : '') +
        `${settings.maxAttempts} attempts, ${formatDuration(settings.requestTimeoutMs)} timeout${settings.webhookSecrets.length > 0 ? ', signed' : ''}`,
    ],
    ['Max runtime', formatDuration(settings.maxRuntimeMs)],
  ];
  // After the filter row: what narrows it and what is hidden.
  const extra: Array<[string, string]> = [];
  if (choosing.condition !== undefined) extra.push(['Condition', `filter: ${oneLine(choosing.condition)}`]);
  if (choosing.personalData !== undefined) extra.push(['Personal data', choosing.personalData]);
  rows.splice(rows.findIndex(([name]) => name === 'Filter') + 1, 0, ...extra);
  if (settings.pollIntervalMs !== undefined) {
    rows.push([
      'Following',
      `once caught up, reads again every ${formatDuration(settings.pollIntervalMs)} until max-runtime (poll-interval)`,
    ]);
  }
  if (settings.dryRun) rows.push(['Dry run', 'yes: fetch and filter only; nothing is delivered or stored']);
  core.info(`auth0-log-webhooks ${VERSION}`);
  for (const [name, value] of rows) core.info(`  ${`${name}:`.padEnd(14)}${value}`);
}

/** The last lines of the log: request counts, then the outcome (a failed run's is its ::error::). */
export function logEnd(report: RunReport): void {
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
  const line = outcomeLine(report, true);
  const { outcome } = report.result;
  if (outcome === 'failed' || outcome === 'cancelled') {
    const steps = nextSteps(report).map((step) => step.replace(/\*\*|`/g, ''));
    core.setFailed(steps.length > 0 ? `${line} What to do: ${steps.join(' ')}` : line);
  } else {
    core.info(line);
  }
}

/** A progress line at most every PROGRESS_EVERY_MS (the pipeline reports every page and delivery). */
export function progressLogger(clock: Clock): { onProgress: (progress: Progress) => void } {
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
export function limitedWarnings(): (message: string) => void {
  let count = 0;
  return (message) => {
    count++;
    if (count <= MAX_WARNINGS) core.warning(message);
    else if (count === MAX_WARNINGS + 1)
      core.warning(`More retries and waits follow; they are logged at debug level only.`);
    else core.debug(message);
  };
}

/**
 * A warning for each of the first events the `filter` condition failed for (its log_id and the
 * error, passed through `scrub` so no e-mail or IP address in it shows), then one saying the rest
 * are counted in the summary.
 */
export function conditionWarnings(scrub: (text: string) => string): (logId: string, error: string) => void {
  let count = 0;
  return (logId, error) => {
    count++;
    if (count <= MAX_CONDITION_WARNINGS) {
      core.warning(
        `filter: the condition failed for event ${logId} (${scrub(error)}); the event is sent anyway (a broken condition never hides an event).`,
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
