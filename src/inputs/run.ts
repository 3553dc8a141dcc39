// max-runtime, dry-run, poll-interval: how the run as a whole behaves.

import { formatDuration } from '../duration.js';
import type { Settings } from '../settings.js';
import { duration, fail, oneOf, quote, type Inputs } from './read.js';

export type RunSettings = Pick<Settings, 'maxRuntimeMs' | 'dryRun' | 'pollIntervalMs'>;

export const MAX_RUNTIME_MS = 6 * 3_600_000;
/** Shortest poll-interval: each poll is an Auth0 read from a budget shared with the tenant's other clients. */
export const MIN_POLL_INTERVAL_MS = 1_000;

export function getRunSettings(inputs: Inputs): RunSettings {
  const maxRuntimeMs = duration('max-runtime', inputs.value('max-runtime'), MAX_RUNTIME_MS, '6h');
  return {
    maxRuntimeMs,
    dryRun: oneOf('dry-run', inputs.value('dry-run'), ['true', 'false'] as const) === 'true',
    pollIntervalMs: pollInterval(inputs.value('poll-interval'), maxRuntimeMs),
  };
}

/** Off when empty; otherwise at least a second and less than max-runtime (a run must poll at least once). */
function pollInterval(text: string, maxRuntimeMs: number): number | undefined {
  if (text === '') return undefined;
  const ms = duration('poll-interval', text, MAX_RUNTIME_MS, '6h');
  if (ms < MIN_POLL_INTERVAL_MS) fail('poll-interval', `${quote(text)} is less than the 1s allowed`);
  if (ms >= maxRuntimeMs) {
    fail(
      'poll-interval',
      `${quote(text)} is not less than max-runtime (${formatDuration(maxRuntimeMs)}): a run follows the log until max-runtime, polling every poll-interval`,
    );
  }
  return ms;
}
