// What the run log and the summary are made from: the pipeline's result and the run's context.

import type { PipelineResult } from '../pipeline.js';

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
  /** How events were sent, in words (`Slack messages, one per event`, `array: up to 100 events a request`). */
  format?: string;
  /** In a dry run, the first request bodies that would have been sent. */
  previewBodies?: string[];
  /** The `filter` condition as written, when there is one. */
  condition?: string;
  /** The personal data obfuscation in words, when on. */
  personalData?: string;
  maxRuntimeMs?: number;
  /** poll-interval, when the run followed the log. */
  pollIntervalMs?: number;
  /** When the report is made (ms since epoch): how far the checkpoint is behind now. */
  now?: number;
  stats?: RunStats;
}
