import * as core from '@actions/core';
import { dateFromLogId, isLogId, OLDEST_CURSOR } from '../cursor.js';
import { ActionError } from '../errors.js';
import type { CheckpointStoreKind } from '../settings.js';

/** Where the checkpoint (the log_id of the last fully handled event) lives between runs. */
export interface CheckpointStore {
  /** `cache` or `variable`, for the log. */
  readonly kind: string;
  /** The cache key prefix or variable name. */
  readonly name: string;
  /**
   * The stored checkpoint, or undefined when none is stored. Throws on a malformed value. Every
   * call takes a signal that ends it (a timeout, max-runtime, a cancel), so no store call can hold the job.
   */
  load(signal: AbortSignal): Promise<string | undefined>;
  /**
   * Called once before anything is delivered, with the checkpoint the run starts from: a store
   * that can fail to write proves here that it can, so a read-only token fails at once.
   */
  prepare(start: string, stored: boolean, signal: AbortSignal): Promise<void>;
  save(checkpoint: string, signal: AbortSignal): Promise<void>;
}

/**
 * How often a run saves its progress along the way (when it moved), per store: what a job killed
 * outright (SIGKILL, a runner lost) sends again on the next run is about this much of deliveries.
 * - `variable`: one small REST write each time, so often: at most ~5 s of deliveries repeat. Costs
 *   up to 12 writes a minute of the token's REST budget (5,000 an hour) while events flow.
 * - `cache`: every save is a new cache entry (keys are immutable) plus a prune of the one before,
 *   several requests and an upload each, so less often: up to ~30 s repeat.
 */
export const SAVE_EVERY_MS: Readonly<Record<CheckpointStoreKind, number>> = {
  variable: 5_000,
  cache: 30_000,
};

/** A stored value must be a 56-digit log_id: anything else is reported, never silently replaced. */
export function validateStoredCheckpoint(value: string, where: string, now: Date = new Date()): string {
  const trimmed = value.trim();
  if (!isLogId(trimmed)) {
    const shown = trimmed.length > 80 ? `${trimmed.slice(0, 80)}…` : trimmed;
    throw new ActionError(
      `The checkpoint stored in ${where} is not a 56-digit log_id: "${shown.replace(/[\u0000-\u001f\u007f]/g, '?')}".`,
      `Set it to a valid log_id (e.g. the last log_id you received), or delete it to begin at start-from.`,
    );
  }
  // A well-formed id that embeds no real time, or a time in the future, would make every run
  // "caught up" and skip every event from then on: report it, never use it.
  const time = dateFromLogId(trimmed);
  if (trimmed !== OLDEST_CURSOR && (time === undefined || time.getTime() > now.getTime() + CLOCK_SKEW_MS)) {
    throw new ActionError(
      `The checkpoint stored in ${where} (${trimmed}) ${time ? `embeds a time in the future (${time.toISOString()})` : 'embeds no valid time'}: reading from it would skip every event.`,
      `Set it to a log_id you received (they begin with 900 and the UTC time), or delete it to begin at start-from.`,
    );
  }
  if (time && time.getTime() < AUTH0_EPOCH) {
    // Harmless (Auth0 answers with the oldest events it keeps) but probably not what was meant.
    core.warning(
      `The checkpoint stored in ${where} embeds ${time.toISOString()}, before any Auth0 log: reading from the oldest log the tenant keeps.`,
    );
  }
  return trimmed;
}

/** No Auth0 log is older than this (2013-01-01). */
const AUTH0_EPOCH = Date.UTC(2013, 0, 1);

/** Auth0's clock may run a little ahead of the runner's. */
const CLOCK_SKEW_MS = 5 * 60_000;
