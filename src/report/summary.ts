// The job summary (SPEC "The run log and the summary"): the outcome, counts, checkpoint, requests,
// events by type, failures and what to do next, as Markdown.
//
// The summary never shows an event payload: only counts by type, log_ids, and in a dry run the first
// events' id, time, type, user and client (what would be sent). Secrets never reach this module.

import * as core from '@actions/core';
import { LEVEL_NAMES, LOG_TYPES, describeLogType } from '../auth0/log-types.js';
import { eventId, type LogEvent } from '../auth0/log-event.js';
import { dateFromLogId } from '../cursor.js';
import { formatDuration } from '../duration.js';
import { escapeCell, escapeCode, escapeText } from './markdown.js';
import { nextSteps, outcomeLine } from './outcome.js';
import type { RunReport } from './run-report.js';
import { count, plural, times, utc } from './words.js';

/** Rows of the by-type table before the rest is folded into one line. */
const MAX_TYPE_ROWS = 25;
/** Width of the longest bar, in full blocks. */
const BAR_WIDTH = 20;
/** Eighths of a block, for bars finer than one character. */
const PARTIAL_BLOCKS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** Most first, then by code (plain code-unit order: type codes are ASCII, no collation needed). */
function byCountThenCode(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
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
  const done = result.outcome === 'caught-up' || result.outcome === 'followed';
  const icon = failed ? '❌' : dryRun ? '🔍' : done ? '✅' : '⏸️';
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
      ...(result.polls
        ? [
            `followed the log: ${plural(result.polls, 'poll')}${report.pollIntervalMs === undefined ? '' : ` every ${formatDuration(report.pollIntervalMs)}`}`,
          ]
        : []),
    ].join(' · '),
  );
  if (!dryRun && result.lag) {
    lines.push(
      '',
      `**Delivery lag** (event time → acknowledgement, ${plural(result.lag.count, 'event')}) median ${formatDuration(result.lag.medianMs)} · p95 ${formatDuration(result.lag.p95Ms)} · max ${formatDuration(result.lag.maxMs)}`,
    );
  }
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
  if (report.format) lines.push('', `**Sent as** ${escapeText(report.format)}.`);

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
  if (dryRun && report.previewBodies && report.previewBodies.length > 0) {
    lines.push(
      '',
      `### The first ${plural(report.previewBodies.length, 'request body', 'request bodies')} that would be sent`,
    );
    for (const body of report.previewBodies) {
      // A fence longer than any backtick run in the body, so that the body cannot end it.
      const fence = '`'.repeat(Math.max(3, ...[...body.matchAll(/`+/g)].map((m) => m[0].length + 1)));
      lines.push('', '<details><summary>body</summary>', '', `${fence}json`, body, fence, '', '</details>');
    }
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

/** Text as one inline code span on one line, shortened. */
function codeSpan(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return `\`${escapeCode(line.length > 200 ? `${line.slice(0, 197)}...` : line)}\``;
}
