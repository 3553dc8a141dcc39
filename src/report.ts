import * as core from '@actions/core';
import { LEVEL_NAMES, LOG_TYPES, describeLogType } from './auth0/log-types.js';
import { eventId } from './auth0/log-event.js';
import { dateFromLogId } from './cursor.js';
import { formatDuration } from './duration.js';
import type { PipelineResult } from './pipeline.js';

/** What the run log and the summary need besides the pipeline's result. */
export interface RunReport {
  result: PipelineResult;
  previous: string;
  checkpointName: string;
  store: string;
  dryRun: boolean;
  /** What the user should do, when it failed. */
  hint: string | undefined;
}

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

/** The run's outcome in one line: for the log and the summary's headline. */
export function outcomeLine({ result, dryRun }: RunReport): string {
  const counts = `fetched ${result.fetched}, matched ${result.matched}, ${dryRun ? 'would deliver' : 'delivered'} ${dryRun ? result.matched : result.delivered}`;
  const prefix = dryRun ? 'Dry run: ' : '';
  switch (result.outcome) {
    case 'caught-up':
      return `${prefix}Caught up: ${counts} in ${formatDuration(result.durationMs)}.`;
    case 'max-runtime':
      return `${prefix}Stopped at max-runtime before catching up: ${counts}; the next run continues from the checkpoint.`;
    case 'cancelled':
      return `${prefix}Cancelled: ${counts}; progress up to the checkpoint is kept.`;
    case 'failed':
      return result.failures.length > 0
        ? `Failed: ${result.failed} matching event(s) could not be delivered; ${counts}. The checkpoint stops before the first of them.`
        : `Failed: ${result.error?.message ?? 'unknown error'} (${counts}).`;
  }
}

export function describeCheckpoint(id: string): string {
  const time = dateFromLogId(id);
  return time ? `${id} (${time.toISOString().replace('.000Z', 'Z')})` : `${id} (the oldest retained log)`;
}

export async function writeSummary(report: RunReport): Promise<void> {
  const { result, previous, checkpointName, store, dryRun, hint } = report;
  const seconds = result.durationMs / 1000;
  const rate = seconds > 0 ? Math.round(result.fetched / seconds) : result.fetched;
  const icon = result.outcome === 'failed' || result.outcome === 'cancelled' ? '❌' : result.outcome === 'caught-up' ? '✅' : '⏸️';
  const lines: string[] = [
    `## ${icon} Auth0 log webhooks${dryRun ? ' (dry run)' : ''}`,
    '',
    outcomeLine(report),
    '',
    '| fetched | matched | filtered out | ' + (dryRun ? 'would deliver' : 'delivered') + ' | failed |',
    '|---:|---:|---:|---:|---:|',
    `| ${result.fetched} | ${result.matched} | ${result.fetched - result.matched} | ${dryRun ? result.matched : result.delivered} | ${result.failed} |`,
    '',
    `**Checkpoint** (${store} \`${checkpointName}\`): ${describeCheckpoint(previous)} → ${describeCheckpoint(result.checkpoint)}${dryRun ? ' (not saved: dry run)' : ''}`,
    '',
    `**Duration** ${formatDuration(result.durationMs)}, ${rate} events/s, ${result.pages} page(s).`,
  ];
  if (result.byType.size > 0) {
    const rows = [...result.byType.entries()].sort((a, b) => b[1] - a[1]);
    const most = rows[0]?.[1] ?? 1;
    lines.push('', `### ${dryRun ? 'Would be sent' : 'Matching events'} by type`, '', '| type | meaning | level | count | |', '|---|---|---|---:|---|');
    for (const [type, count] of rows) {
      const level = LOG_TYPES.get(type)?.level;
      const bar = '█'.repeat(Math.max(1, Math.round((count / most) * 20)));
      lines.push(`| \`${type}\` | ${describeLogType(type)} | ${level === undefined ? '–' : `${level} ${LEVEL_NAMES[level]}`} | ${count} | ${bar} |`);
    }
  }
  if (result.failures.length > 0) {
    lines.push('', '### Failures', '', '| status | events | example log_id | type | answer |', '|---|---:|---|---|---|');
    const byReason = new Map<string, { events: number; example: (typeof result.failures)[number] }>();
    for (const failure of result.failures) {
      const entry = byReason.get(failure.reason) ?? { events: 0, example: failure };
      entry.events += failure.events;
      byReason.set(failure.reason, entry);
    }
    for (const [reason, { events, example }] of byReason) {
      lines.push(`| ${reason} | ${events} | \`${example.logId}\` | \`${example.type}\` | ${escapeCell(example.answer)} |`);
    }
  }
  if (dryRun && result.preview.length > 0) {
    lines.push('', `### First ${result.preview.length} event(s) that would be sent`, '', '| log_id | time | type | user | client |', '|---|---|---|---|---|');
    for (const event of result.preview) {
      lines.push(
        `| \`${eventId(event) ?? ''}\` | ${typeof event.date === 'string' ? event.date : ''} | \`${typeof event.type === 'string' ? event.type : ''}\` | ${escapeCell(String(event.user_name ?? ''))} | ${escapeCell(String(event.client_name ?? ''))} |`,
      );
    }
  }
  if (hint) lines.push('', `### What to do next`, '', hint);
  try {
    await core.summary.addRaw(lines.join('\n') + '\n').write();
  } catch (error) {
    // Outside a runner there is no summary file; the log has everything.
    core.debug(`No job summary written: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/</g, '&lt;');
}
