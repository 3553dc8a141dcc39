// max-runtime, dry-run: how the run as a whole behaves.

import type { Settings } from '../settings.js';
import { duration, oneOf, type Inputs } from './read.js';

export type RunSettings = Pick<Settings, 'maxRuntimeMs' | 'dryRun'>;

export const MAX_RUNTIME_MS = 6 * 3_600_000;

export function getRunSettings(inputs: Inputs): RunSettings {
  return {
    maxRuntimeMs: duration('max-runtime', inputs.value('max-runtime'), MAX_RUNTIME_MS, '6h'),
    dryRun: oneOf('dry-run', inputs.value('dry-run'), ['true', 'false'] as const) === 'true',
  };
}
