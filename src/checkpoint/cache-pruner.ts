import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { isCheckpointKey, type CachePruner } from './cache-store.js';

/**
 * Deletes older checkpoint entries through the REST API (needs `actions: write`). Pruning is
 * housekeeping: without the permission it is skipped quietly, and it never fails the run.
 */
export class RestCachePruner implements CachePruner {
  private readonly octokit: ReturnType<typeof getOctokit>;
  private allowed = true;

  constructor(
    token: string,
    private readonly repository: { owner: string; repo: string },
    private readonly ref: string | undefined,
  ) {
    this.octokit = getOctokit(token, { request: { retries: 0 } });
  }

  async pruneOlder(prefix: string, keep: string): Promise<void> {
    if (!this.allowed) return;
    try {
      const entries = await this.octokit.paginate(this.octokit.rest.actions.getActionsCacheList, {
        ...this.repository,
        key: prefix,
        ...(this.ref ? { ref: this.ref } : {}),
        per_page: 100,
      });
      for (const entry of entries) {
        if (
          entry.id === undefined ||
          entry.key === undefined ||
          entry.key === keep ||
          !isCheckpointKey(prefix, entry.key)
        )
          continue;
        await this.octokit.rest.actions.deleteActionsCacheById({ ...this.repository, cache_id: entry.id });
        core.debug(`Pruned the older checkpoint cache entry ${entry.key}.`);
      }
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status === 401 || status === 403 || status === 404) this.allowed = false;
      const message = error instanceof Error ? error.message : 'unknown error';
      core.debug(`Older checkpoint cache entries not pruned (${message}); pruning needs actions: write.`);
    }
  }
}
