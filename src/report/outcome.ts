// The run's outcome in one line and what to do next: shared by the log's end and the summary.

import { formatDuration } from '../duration.js';
import { escapeCode } from './markdown.js';
import type { RunReport } from './run-report.js';
import { count, plural } from './words.js';

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
            `Fix the receiver: it refused event \`${escapeCode(first.logId)}\` (type \`${escapeCode(first.type)}\`) with ${first.reason}; its answer is under Failures.`,
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
