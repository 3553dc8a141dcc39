// What the operator sees at the end of a run: the outputs, the one-line outcome (log and summary
// headline), and the job summary (SPEC "The run log and the summary").
//
// The summary never shows an event payload: only counts by type, log_ids, and in a dry run the first
// events' id, time, type, user and client (what would be sent). Secrets never reach this module.

import * as core from '@actions/core';
import { LEVEL_NAMES, LOG_TYPES, describeLogType } from './auth0/log-types.js';
import { eventId, type LogEvent } from './auth0/log-event.js';
import { dateFromLogId, OLDEST_CURSOR } from './cursor.js';
import { formatDuration } from './duration.js';
import type { PipelineResult } from './pipeline.js';

/** Request counts of the run, for the summary's "Duration" line and the log's last lines. */
export interface RunStats {
  auth0?: { requests: number; rateLimited: number; retries: number; waitedMs: number };
  webhook?: { requests: number; retries: number };
}

/** What the run log and the summary need besides the pipeline's result. */
export interface RunReport {
  result: PipelineResult;
  previous: string;
  checkpointName: string;
  store: string;
  dryRun: boolean;
  /** What the user should do, when it failed (from the error that ended the run). */
  hint: string | undefined;
  /** Tenant domain as given (`acme.us.auth0.com`): the summary's title, so matrix jobs tell apart. */
  domain?: string;
  /** The filter in words. */
  filter?: string;
  /** The `filter` condition as written, when there is one. */
  condition?: string;
  /** The personal data obfuscation in words, when on. */
  personalData?: string;
  maxRuntimeMs?: number;
  /** When the report is made (ms since epoch): how far the checkpoint is behind now. */
  now?: number;
  stats?: RunStats;
}

/** Rows of the by-type table before the rest is folded into one line. */
const MAX_TYPE_ROWS = 25;
/** Width of the longest bar, in full blocks. */
const BAR_WIDTH = 20;
/** Eighths of a block, for bars finer than one character. */
const PARTIAL_BLOCKS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

export function setOutputs({ result, previous, checkpointName, dryRun }: RunReport): void {
  core.setOutput('checkpoint', result.checkpoint);
  core.setOutput('previous-checkpoint', previous);
  core.setOutput('fetched', result.fetched);
  core.setOutput('matched', result.matched);
  core.setOutput('delivered', dryRun ? 0 : result.delivered);
  core.setOutput('failed', result.failed);
  core.setOutput('caught-up', result.caughtUp);
  core.setOutput('checkpoint-name', checkpointName);
}

/**
 * `1,234`. Not toLocaleString: formatting through ICU maps ~8 MB of Node's ICU data into the
 * process at the end of every run (measured), for a thousands separator.
 */
export function count(n: number): string {
  const [whole = '', fraction] = String(n).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** Most first, then by code (plain code-unit order: type codes are ASCII, no collation needed). */
function byCountThenCode(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

/** `once`, `twice`, `3 times` */
export function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${count(n)} times`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** `answered 400`, `timed out`, `could not be reached`: the failure's reason in words. */
function failureVerb(reason: string): string {
  if (reason === 'timeout') return 'did not answer in time';
  if (reason === 'network error') return 'could not be reached';
  return `answered ${reason}`;
}

/** The run's outcome in one line: the log's last line and the summary's headline. */
export function outcomeLine(report: RunReport): string {
  const { result, dryRun } = report;
  const filteredOut = result.fetched - result.matched;
  const took = formatDuration(result.durationMs);
  const limit = report.maxRuntimeMs === undefined ? '' : ` (${formatDuration(report.maxRuntimeMs)})`;
  if (dryRun) {
    const what = `would deliver ${plural(result.matched, 'event')} (fetched ${count(result.fetched)}, filtered out ${count(filteredOut)})`;
    switch (result.outcome) {
      case 'caught-up':
        return `Dry run, caught up: ${what}. Nothing was sent and no checkpoint was saved.`;
      case 'max-runtime':
        return `Dry run stopped at max-runtime${limit} before catching up: so far ${what}. Nothing was sent.`;
      case 'cancelled':
        return `Dry run cancelled: so far ${what}. Nothing was sent.`;
      case 'failed':
        return `Dry run failed: ${result.error?.message ?? 'unknown error'} (so far ${what}).`;
    }
  }
  const counts = `fetched ${count(result.fetched)}, matched ${count(result.matched)}, delivered ${count(result.delivered)}`;
  switch (result.outcome) {
    case 'caught-up':
      if (result.fetched === 0) return `Caught up: no new log events since the checkpoint (${took}).`;
      if (result.matched === 0) {
        return `Caught up, nothing to deliver: none of the ${plural(result.fetched, 'new event')} matched the filter (${took}).`;
      }
      return `Delivered ${plural(result.delivered, 'event')}; caught up (fetched ${count(result.fetched)}, filtered out ${count(filteredOut)}) in ${took}.`;
    case 'max-runtime':
      return `Stopped at max-runtime${limit} before catching up: ${counts}. The next run continues from the checkpoint.`;
    case 'cancelled':
      return `Cancelled: ${counts}. Progress up to the checkpoint is kept; a re-run continues from it.`;
    case 'failed': {
      const first = result.failures[0];
      if (first) {
        const what =
          first.events === 1 ? `event ${first.logId}` : `${count(first.events)} events from ${first.logId}`;
        return `Failed: the webhook ${failureVerb(first.reason)} for ${what} (type ${first.type}); ${plural(result.failed, 'event')} could not be delivered. ${capitalize(counts)}; the checkpoint stops before the first undelivered event.`;
      }
      const message = result.error?.message ?? 'unknown error';
      return result.fetched === 0 ? `Failed: ${message}` : `Failed: ${message} (${counts}).`;
    }
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What the operator should do now, as bullet points (empty when nothing is needed). */
export function nextSteps(report: RunReport): string[] {
  const { result, dryRun, hint } = report;
  const steps: string[] = [];
  const resume =
    result.checkpoint === report.previous
      ? 'where this run began'
      : `at the checkpoint \`${result.checkpoint}\``;
  if (dryRun) {
    if (result.outcome === 'failed') {
      if (hint) steps.push(hint);
      steps.push('Then run it again.');
      return steps;
    }
    steps.push(
      `Nothing was sent and no checkpoint was saved. To deliver these events, set \`dry-run: false\` (or remove it): the real run begins at the same point, \`${report.previous}\`.`,
    );
    return steps;
  }
  switch (result.outcome) {
    case 'caught-up':
      return steps;
    case 'max-runtime':
      steps.push(
        "Nothing to do: the next run continues from the checkpoint. If runs keep stopping at max-runtime, raise `max-runtime` (and the job's `timeout-minutes`) or schedule runs more often.",
      );
      return steps;
    case 'cancelled':
      steps.push(
        `Re-run the job (or wait for the next scheduled run): it continues ${resume}; nothing after it is lost.`,
      );
      return steps;
    case 'failed': {
      const first = result.failures[0];
      if (first) {
        if (first.reason === 'timeout' || first.reason === 'network error') {
          steps.push(
            `Check that the receiver is up and answers within \`request-timeout\`: it ${failureVerb(first.reason)} on ${first.attempts === 1 ? 'the only attempt' : `all ${first.attempts} attempts`} (\`max-attempts\`).`,
          );
        } else {
          steps.push(
            `Fix the receiver: it refused event \`${first.logId}\` (type \`${first.type}\`) with ${first.reason}; its answer is under Failures.`,
          );
        }
      } else if (hint) {
        steps.push(hint);
      }
      // Not twice: some hints already end with "re-run the failed job".
      const rerun = `**Re-run failed jobs**: the run resumes ${resume}, so no event is skipped.`;
      steps.push(hint && /re-?run/i.test(hint) ? capitalize(rerun) : `Then use ${rerun}`);
      return steps;
    }
  }
}

/** `90020261101001227… (2026-11-01 00:12:27 UTC)` — for the log. */
export function describeCheckpoint(id: string, now?: number): string {
  const time = dateFromLogId(id);
  if (!time) return `${id} (${id === OLDEST_CURSOR ? 'the oldest retained log' : 'embeds no time'})`;
  const behind = now === undefined ? '' : `, ${behindNow(time, now)}`;
  return `${id} (${utc(time)}${behind})`;
}

/** `2026-11-01 00:12:27 UTC` */
export function utc(time: Date): string {
  return time
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
}

/** `3h 12m behind now` (never negative: a clock a little behind Auth0's reads as 0s). */
function behindNow(time: Date, now: number): string {
  return `${formatDuration(Math.max(0, now - time.getTime()))} behind now`;
}

/** A bar of text blocks, `width` eighths long (at least one eighth when count > 0). */
export function bar(value: number, most: number, width = BAR_WIDTH): string {
  if (value <= 0 || most <= 0) return '';
  const eighths = Math.max(1, Math.round((value / most) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + (PARTIAL_BLOCKS[eighths % 8] ?? '');
}

export function buildSummary(report: RunReport): string {
  const { result, previous, checkpointName, store, dryRun } = report;
  const now = report.now ?? Date.now();
  const failed = result.outcome === 'failed' || result.outcome === 'cancelled';
  const icon = failed ? '❌' : dryRun ? '🔍' : result.outcome === 'caught-up' ? '✅' : '⏸️';
  const title = `Auth0 log webhooks${report.domain ? ` · ${escapeCell(report.domain)}` : ''}${dryRun ? ' (dry run)' : ''}`;
  const filteredOut = result.fetched - result.matched;
  const lines: string[] = [`## ${icon} ${title}`, '', `**${escapeText(outcomeLine(report))}**`, ''];
  const steps = nextSteps(report);
  const nextHeading = failed ? '### What to do next' : '### Next';

  if (result.outcome === 'failed' && result.fetched === 0 && result.failures.length === 0) {
    // Failed before reading anything (credentials, permissions, the checkpoint store): no tables of zeros.
    const at = dateFromLogId(previous);
    lines.push(
      `Nothing was fetched or delivered. The checkpoint is unchanged: \`${previous}\` (${at ? utc(at) : 'the oldest retained log'}). ${storeWords(store, checkpointName)}.`,
      '',
      `${nextHeading}`,
      '',
      ...steps.map((step) => `- ${step}`),
    );
    return lines.join('\n') + '\n';
  }

  const deliveredLabel = dryRun ? 'would deliver' : 'delivered';
  const left = dryRun ? 0 : result.matched - result.delivered - result.failed;
  const heads = ['fetched', 'matched', deliveredLabel, 'failed', 'filtered out'];
  const cells = [
    result.fetched,
    result.matched,
    dryRun ? result.matched : result.delivered,
    result.failed,
    filteredOut,
  ];
  if (left > 0) {
    // Fetched and matching but not sent: stopped (max-runtime, cancel, a failure) before them.
    heads.push('not sent yet');
    cells.push(left);
  }
  lines.push(
    `| ${heads.join(' | ')} |`,
    `|${heads.map(() => '---:').join('|')}|`,
    `| ${cells.map(count).join(' | ')} |`,
    '',
  );
  // A failed run's failures and what to do go right here, above the details; other runs' "Next" last.
  const afterCounts = lines.length;
  const problems: string[] = [];

  // An error may have been the save itself: then claim nothing.
  const saved = dryRun
    ? ' (not saved: dry run)'
    : result.checkpoint === previous
      ? ' (unchanged)'
      : result.error
        ? ''
        : ' (saved)';
  lines.push(
    '| checkpoint | log_id | time (UTC) | behind now |',
    '|---|---|---|---|',
    checkpointRow('before', previous, now),
    checkpointRow(`after${saved}`, result.checkpoint, now),
    '',
    `${storeWords(store, checkpointName)}.${result.caughtUp ? ' The run reached the newest log event.' : ''}`,
    '',
  );

  const seconds = result.durationMs / 1000;
  const rate = seconds > 0 ? Math.round(result.fetched / seconds) : result.fetched;
  lines.push(
    [
      `**Duration** ${formatDuration(result.durationMs)}`,
      `**${count(rate)} events/s** fetched`,
      plural(result.pages, 'page'),
    ].join(' · '),
  );
  const requests: string[] = [];
  const { auth0, webhook } = report.stats ?? {};
  if (auth0) {
    // The client's waits: pacing by the rate-limit headers, 429s, and the backoff before retries.
    const why = auth0.retries > 0 ? 'for its rate limit and retries' : 'for its rate limit';
    const waits =
      auth0.rateLimited > 0 || auth0.waitedMs >= 1000
        ? `waited ${formatDuration(auth0.waitedMs)} ${why}${auth0.rateLimited > 0 ? ` (answered 429 ${times(auth0.rateLimited)})` : ''}`
        : 'no rate-limit waits';
    const retries = auth0.retries > 0 ? `, ${plural(auth0.retries, 'retry', 'retries')}` : '';
    requests.push(`Auth0 ${plural(auth0.requests, 'request')}, ${waits}${retries}`);
  }
  if (webhook) {
    requests.push(
      `webhook ${plural(webhook.requests, 'request')}, ${plural(webhook.retries, 'retry', 'retries')}`,
    );
  }
  if (requests.length > 0) lines.push('', `**Requests** ${requests.join(' · ')}`);
  if (report.filter) lines.push('', `**Filter** ${escapeText(report.filter)}.`);
  if (report.condition !== undefined) {
    const effects = [`removed ${plural(result.removedByCondition, 'event')}`];
    if (result.conditionErrors > 0) {
      effects.push(
        `failed for ${plural(result.conditionErrors, 'event')}, ${result.conditionErrors === 1 ? 'which was' : 'which were'} ${dryRun ? 'counted as matching' : 'sent'} anyway (see the warnings)`,
      );
    }
    lines.push('', `**Condition** ${codeSpan(report.condition)}: ${effects.join('; ')}.`);
  }
  if (report.personalData) {
    lines.push(
      '',
      `**Personal data** ${escapeText(report.personalData)} before sending (and in this summary).`,
    );
  }

  if (result.byType.size > 0) {
    const rows = [...result.byType.entries()].sort(byCountThenCode);
    const most = rows[0]?.[1] ?? 1;
    lines.push(
      '',
      `### ${dryRun ? 'Would be sent' : 'Matching events'}, by type`,
      '',
      '| code | meaning | level | count | |',
      '|---|---|---|---:|---|',
    );
    for (const [type, n] of rows.slice(0, MAX_TYPE_ROWS)) {
      const level = LOG_TYPES.get(type)?.level;
      lines.push(
        `| \`${escapeCode(type)}\` | ${escapeCell(describeLogType(type))} | ${level === undefined ? '–' : `${level} ${LEVEL_NAMES[level]}`} | ${count(n)} | ${bar(n, most)} |`,
      );
    }
    const rest = rows.slice(MAX_TYPE_ROWS);
    if (rest.length > 0) {
      lines.push(
        `| … | ${plural(rest.length, 'more type')} | | ${count(rest.reduce((sum, [, n]) => sum + n, 0))} | |`,
      );
    }
  }
  if (result.filteredByType.size > 0) {
    const rows = [...result.filteredByType.entries()].sort(byCountThenCode);
    const shown = rows.slice(0, MAX_TYPE_ROWS).map(([type, n]) => `\`${escapeCode(type)}\` ${count(n)}`);
    if (rows.length > MAX_TYPE_ROWS) shown.push(`${plural(rows.length - MAX_TYPE_ROWS, 'more type')}`);
    const byCondition =
      result.removedByCondition > 0 ? `, ${count(result.removedByCondition)} of them by the condition` : '';
    lines.push('', `**Filtered out** (${count(filteredOut)}${byCondition}): ${shown.join(' · ')}`);
  }

  if (result.failures.length > 0) {
    problems.push(
      '### Failures',
      '',
      "| status or error | events | example log_id | type | attempts | receiver's answer |",
      '|---|---:|---|---|---:|---|',
    );
    const byReason = new Map<string, { events: number; example: (typeof result.failures)[number] }>();
    for (const failure of result.failures) {
      const entry = byReason.get(failure.reason) ?? { events: 0, example: failure };
      entry.events += failure.events;
      byReason.set(failure.reason, entry);
    }
    for (const [reason, { events, example }] of byReason) {
      problems.push(
        `| ${escapeCell(reason)} | ${count(events)} | \`${escapeCode(example.logId)}\` | \`${escapeCode(example.type)}\` | ${example.attempts} | ${escapeCell(example.answer.slice(0, 200)) || '(empty)'} |`,
      );
    }
  }
  // Without failures the headline is the error; with them, the error is news.
  if (result.error && result.failures.length > 0) {
    problems.push('', '### Error', '', escapeText(result.error.message));
  }

  if (dryRun && result.preview.length > 0) {
    const which =
      result.matched > result.preview.length
        ? `The first ${count(result.preview.length)} of ${count(result.matched)} events`
        : `The ${plural(result.preview.length, 'event')}`;
    // All on one UTC day (the usual case): the date goes in the header, the column stays narrow.
    const days = new Set(result.preview.map((event) => eventDate(event)?.toISOString().slice(0, 10)));
    const day = days.size === 1 ? [...days][0] : undefined;
    lines.push(
      '',
      `### ${which} that would be sent`,
      '',
      `| log_id | ${day ? `time (UTC, ${day.replace(/-/g, '\u2011')})` : 'time (UTC)'} | type | user | client |`,
      '|---|---|---|---|---|',
    );
    for (const event of result.preview) lines.push(previewRow(event, day !== undefined));
  }

  const next = steps.length > 0 ? [nextHeading, '', ...steps.map((step) => `- ${step}`)] : [];
  if (failed) {
    const first = [...problems, ...(problems.length > 0 && next.length > 0 ? [''] : []), ...next];
    if (first.length > 0) lines.splice(afterCounts, 0, ...first, '', '### Run details', '');
  } else if (next.length > 0) {
    lines.push('', ...next);
  }
  return lines.join('\n') + '\n';
}

export async function writeSummary(report: RunReport): Promise<void> {
  await write(buildSummary(report));
}

/** The summary of a run that ended at input validation, before anything was read. */
export async function writeInputErrorSummary(message: string): Promise<void> {
  await write(
    [
      '## ❌ Auth0 log webhooks',
      '',
      `**Failed: ${escapeText(message)}**`,
      '',
      'Nothing was fetched, delivered or stored.',
      '',
      '### What to do next',
      '',
      '- Correct the input in the workflow file (the message names it and shows a valid value), then run the workflow again.',
      '',
    ].join('\n'),
  );
}

async function write(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error) {
    // Outside a runner there is no summary file; the log has everything.
    core.debug(`No job summary written: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** `Stored in the repository variable `X`` / `Stored in the Actions cache under the key prefix `X``. */
function storeWords(store: string, name: string): string {
  return store === 'variable'
    ? `Stored in the repository variable \`${escapeCode(name)}\``
    : `Stored in the Actions cache under the key prefix \`${escapeCode(name)}\``;
}

/** A UTC time for a table cell, kept on one line. */
function cellTime(time: Date): string {
  // A no-break space and no-break hyphens (U+2011): a narrow column must not split `2026-11-01`.
  return utc(time).replace(' UTC', '').replace(/-/g, '\u2011').replace(' ', '&nbsp;');
}

function checkpointRow(label: string, id: string, now: number): string {
  const time = dateFromLogId(id);
  return time
    ? `| ${label} | \`${id}\` | ${cellTime(time)} | ${formatDuration(Math.max(0, now - time.getTime()))} |`
    : `| ${label} | \`${id}\` | oldest retained log | – |`;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function eventDate(event: LogEvent): Date | undefined {
  const date = new Date(text(event.date));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function previewRow(event: LogEvent, timeOnly: boolean): string {
  const date = eventDate(event);
  const time = !date ? escapeCell(text(event.date)) : timeOnly ? utc(date).slice(11, 19) : cellTime(date);
  // `\@`: an e-mail address must not become a mailto: link.
  const user = escapeCell(text(event.user_name) || text(event.user_id)).replace(/@/g, '\\@');
  const client = escapeCell(text(event.client_name) || text(event.client_id)).replace(/@/g, '\\@');
  return `| \`${escapeCode(eventId(event) ?? '')}\` | ${time} | \`${escapeCode(text(event.type))}\` | ${user} | ${client} |`;
}

/** Text from outside (an answer, a user name) made inert in a table cell: no HTML, links, emphasis or column breaks. */
function escapeCell(text: string): string {
  return escapeText(text).replace(/\|/g, '\\|');
}

function escapeText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]<>#~]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`));
}

/** Text as one inline code span on one line, shortened. */
function codeSpan(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return `\`${escapeCode(line.length > 200 ? `${line.slice(0, 197)}...` : line)}\``;
}

/** Inside a code span: no backticks or pipes can end it. */
function escapeCode(text: string): string {
  return text.replace(/[`|\r\n]/g, '?');
}
