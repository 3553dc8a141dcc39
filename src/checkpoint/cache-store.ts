import * as cache from '@actions/cache';
import * as core from '@actions/core';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ActionError } from '../errors.js';
import type { CheckpointStore } from './store.js';
import { validateStoredCheckpoint } from './store.js';

/**
 * The cache version hashes the path strings: save and restore must pass this identical list.
 * Relative to the working directory (the workspace on a runner).
 */
const CHECKPOINT_DIR = '.auth0-log-webhooks-checkpoint';
const CHECKPOINT_PATHS = [`${CHECKPOINT_DIR}/checkpoint.json`];
/** Longest pruning may take after a save. */
const PRUNE_TIMEOUT_MS = 10_000;

export interface CacheRun {
  runId: string;
  runAttempt: string;
  domain: string;
}

/** Deletes cache entries by key; undefined when pruning is not possible (no token). */
export interface CachePruner {
  /** Deletes the entries of `prefix` other than `keep`; skipped quietly when the token may not. Ends when `signal` aborts. */
  pruneOlder(prefix: string, keep: string, signal: AbortSignal): Promise<void>;
}

interface CheckpointFile {
  checkpoint: string;
  savedAt: string;
  runId: string;
  runAttempt: string;
  domain: string;
}

/**
 * The checkpoint as a small JSON file in the GitHub Actions cache. Keys are immutable, so every save
 * gets a new key `{prefix}{run_id}-{run_attempt}` (`-{n}` for further saves in one run) and a restore
 * with the restore key `{prefix}` picks the newest entry.
 */
export class CacheStore implements CheckpointStore {
  readonly kind = 'cache';
  private saves = 0;

  constructor(
    readonly name: string,
    private readonly run: CacheRun,
    private readonly pruner: CachePruner | undefined,
  ) {}

  async load(signal: AbortSignal): Promise<string | undefined> {
    if (!cache.isFeatureAvailable()) {
      throw new ActionError(
        'The GitHub Actions cache service is not available to this step (ACTIONS_RESULTS_URL / ACTIONS_RUNTIME_TOKEN are not set).',
        'Run the action in a GitHub Actions job, or use checkpoint-store: variable.',
      );
    }
    if (!cacheModeAllows('read')) {
      throw new ActionError(
        `ACTIONS_CACHE_MODE '${cacheMode()}' does not permit cache reads: the checkpoint could not be restored, and every run would begin at start-from again.`,
        'Allow cache reads and writes for this workflow, or use checkpoint-store: variable.',
      );
    }
    try {
      const {
        result: matched,
        failure,
        hit,
      } = await watchRestoreFailures(() =>
        untilAborted(cache.restoreCache([...CHECKPOINT_PATHS], this.key(1), [this.name]), signal, 'restore'),
      );
      if (failure !== undefined) {
        throw new ActionError(
          hit
            ? `The checkpoint in the Actions cache (${hit}) could not be restored: ${failure}`
            : `Could not look up the checkpoint in the Actions cache: ${failure}`,
          'This is usually a passing fault of the cache service: re-run the failed job. If it persists, use checkpoint-store: variable.',
        );
      }
      if (matched === undefined) {
        core.warning(
          `No checkpoint in the Actions cache under '${this.name}': beginning at start-from. Expected on a first run; otherwise the entry was evicted (unused for 7 days) and events since start-from may be sent again.`,
        );
        return undefined;
      }
      if (!isCheckpointKey(this.name, matched)) {
        // A restore key is a prefix: another stream whose name starts with ours could match.
        throw new ActionError(
          `The cache entry '${matched}' matched the checkpoint prefix '${this.name}' but belongs to another stream.`,
          'Give each stream a checkpoint-name that is not the beginning of another one.',
        );
      }
      const file = JSON.parse(
        await readFile(CHECKPOINT_PATHS[0] as string, 'utf8'),
      ) as Partial<CheckpointFile>;
      return validateStoredCheckpoint(String(file.checkpoint ?? ''), `the cache entry ${matched}`);
    } catch (error) {
      if (error instanceof ActionError) throw error;
      if (error instanceof SyntaxError) {
        throw new ActionError(`The checkpoint in the cache under '${this.name}' is not valid JSON.`);
      }
      throw new ActionError(`Could not restore the checkpoint from the cache: ${(error as Error).message}`);
    } finally {
      await removeCheckpointFile();
    }
  }

  /** Saves can only be proven by saving; what can be known beforehand is the cache mode. */
  prepare(): Promise<void> {
    if (!cacheModeAllows('write')) {
      return Promise.reject(
        new ActionError(
          `ACTIONS_CACHE_MODE '${cacheMode()}' does not permit cache writes: the checkpoint could not be saved, and the next run would send these events again.`,
          'Allow cache reads and writes for this workflow, or use checkpoint-store: variable.',
        ),
      );
    }
    return Promise.resolve();
  }

  async save(checkpoint: string, signal: AbortSignal): Promise<void> {
    this.saves++;
    const key = this.key(this.saves);
    const file: CheckpointFile = {
      checkpoint,
      savedAt: new Date().toISOString(),
      runId: this.run.runId,
      runAttempt: this.run.runAttempt,
      domain: this.run.domain,
    };
    let id: number;
    try {
      await mkdir(CHECKPOINT_DIR, { recursive: true });
      await writeFile(CHECKPOINT_PATHS[0] as string, JSON.stringify(file) + '\n');
      id = await untilAborted(cache.saveCache([...CHECKPOINT_PATHS], key), signal, 'save');
    } catch (error) {
      if (error instanceof ActionError) throw error;
      throw new ActionError(
        `Could not save the checkpoint to the Actions cache (key ${key}): ${(error as Error).message}`,
        'Re-run the failed job; if it keeps failing, use checkpoint-store: variable.',
      );
    } finally {
      await removeCheckpointFile();
    }
    if (id === -1) {
      throw new ActionError(
        `The Actions cache did not save the checkpoint (key ${key}); the next run would send these events again.`,
        'Re-run the failed job; if it keeps failing (cache quota, service outage), use checkpoint-store: variable.',
      );
    }
    core.debug(`Checkpoint ${checkpoint} saved to the cache under ${key}.`);
    // Housekeeping after the save: it never holds the run for long.
    await this.pruner?.pruneOlder(
      this.name,
      key,
      AbortSignal.any([signal, AbortSignal.timeout(PRUNE_TIMEOUT_MS)]),
    );
  }

  /** `{prefix}{run_id}-{run_attempt}`, and `-{n}` for the n-th save of one run. */
  private key(n: number): string {
    const base = `${this.name}${this.run.runId}-${this.run.runAttempt}`;
    return n <= 1 ? base : `${base}-${n}`;
  }
}

/** A key this stream saved: `{prefix}{run_id}-{run_attempt}[-{n}]` (a longer name sharing the prefix is not). */
export function isCheckpointKey(prefix: string, key: string): boolean {
  return key.startsWith(prefix) && /^\d+-\d+(-\d+)?$/.test(key.slice(prefix.length));
}

function cacheMode(): string {
  return (process.env.ACTIONS_CACHE_MODE ?? '').trim().toLowerCase();
}

/** The runner's cache mode (`read`, `write-only`, `none`, ...); unknown or unset values permit both, as in @actions/cache. */
function cacheModeAllows(access: 'read' | 'write'): boolean {
  const mode = cacheMode();
  if (mode === 'none') return false;
  if (access === 'read') return mode !== 'write-only';
  return mode !== 'read';
}

/**
 * restoreCache reports every failure (service refused, unreachable, download or extraction failed)
 * only as a `Failed to restore: …` warning or error and then returns a miss. A miss here would mean
 * beginning at start-from and re-sending everything since, so that line is watched for and turned
 * into an error.
 */
async function watchRestoreFailures<T>(
  restore: () => Promise<T>,
): Promise<{ result: T; failure: string | undefined; hit: string | undefined }> {
  const stdout = process.stdout;
  const write = stdout.write.bind(stdout);
  let failure: string | undefined;
  let hit: string | undefined;
  stdout.write = (chunk: string | Uint8Array, ...rest: never[]) => {
    const match = /::(?:warning|error)[^:]*::Failed to restore: ([^\r\n]*)/.exec(String(chunk));
    if (match) failure ??= match[1];
    hit ??= /Cache hit for(?: restore-key)?: (\S+)/.exec(String(chunk))?.[1];
    return write(chunk, ...rest);
  };
  try {
    const result = await restore();
    return { result, failure, hit };
  } finally {
    stdout.write = write;
  }
}

/**
 * @actions/cache takes no abort signal: when `signal` aborts (the store's timeout, max-runtime's hard
 * stop, a cancel), the run stops waiting for it; the request is left behind and ends with the process.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal, action: 'restore' | 'save'): Promise<T> {
  if (signal.aborted) return Promise.reject(notAnswered(action));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(notAnswered(action));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function notAnswered(action: 'restore' | 'save'): ActionError {
  return new ActionError(
    `The GitHub Actions cache did not answer in time to ${action} the checkpoint (or the run was stopping).`,
    'This is usually a passing fault of the cache service: re-run the failed job; the checkpoint is unchanged, so nothing is skipped. If it persists, use checkpoint-store: variable.',
  );
}

async function removeCheckpointFile(): Promise<void> {
  await rm(path.resolve(CHECKPOINT_DIR), { recursive: true, force: true });
}
