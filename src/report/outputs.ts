// The action's outputs (SPEC "Outputs").

import * as core from '@actions/core';
import type { RunReport } from './run-report.js';

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
