import { isLogId } from '../cursor.js';
import { ActionError } from '../errors.js';

/** Where the checkpoint (the log_id of the last fully handled event) lives between runs. */
export interface CheckpointStore {
  /** `cache` or `variable`, for the log. */
  readonly kind: string;
  /** The cache key prefix or variable name. */
  readonly name: string;
  /** The stored checkpoint, or undefined when none is stored. Throws on a malformed value. */
  load(): Promise<string | undefined>;
  /**
   * Called once before anything is delivered, with the checkpoint the run starts from: a store
   * that can fail to write proves here that it can, so a read-only token fails at once.
   */
  prepare(start: string, stored: boolean): Promise<void>;
  save(checkpoint: string): Promise<void>;
}

/** A stored value must be a 56-digit log_id: anything else is reported, never silently replaced. */
export function validateStoredCheckpoint(value: string, where: string): string {
  const trimmed = value.trim();
  if (!isLogId(trimmed)) {
    const shown = trimmed.length > 80 ? `${trimmed.slice(0, 80)}…` : trimmed;
    throw new ActionError(
      `The checkpoint stored in ${where} is not a 56-digit log_id: "${shown.replace(/[\u0000-\u001f\u007f]/g, '?')}".`,
      `Set it to a valid log_id (e.g. the last log_id you received), or delete it to begin at start-from.`,
    );
  }
  return trimmed;
}
