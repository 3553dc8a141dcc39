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

  async pruneOlder(prefix: string, keep: string, signal: AbortSignal): Promise<void> {
    if (!this.allowed) return;
    try {
      for (const entry of await this.listEntries(prefix, signal)) {
        if (
          entry.id === undefined ||
          entry.key === undefined ||
          entry.key === keep ||
          !isCheckpointKey(prefix, entry.key)
        )
          continue;
        await this.octokit.rest.actions.deleteActionsCacheById({
          ...this.repository,
          cache_id: entry.id,
          request: { signal },
        });
        core.debug(`Pruned the older checkpoint cache entry ${entry.key}.`);
      }
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status === 401 || status === 403 || status === 404) this.allowed = false;
      const message = error instanceof Error ? error.message : 'unknown error';
      core.debug(`Older checkpoint cache entries not pruned (${message}); pruning needs actions: write.`);
    }
  }

  /**
   * The entries whose key begins with `prefix`, a bounded number of pages. Page by page rather than
   * with octokit.paginate, which does not pass the abort signal on to its requests.
   */
  private async listEntries(prefix: string, signal: AbortSignal) {
    const entries = [];
    for (let page = 1; page <= MAX_LIST_PAGES; page++) {
      const { data } = await this.octokit.rest.actions.getActionsCacheList({
        ...this.repository,
        key: prefix,
        ...(this.ref ? { ref: this.ref } : {}),
        per_page: PER_PAGE,
        page,
        request: { signal },
      });
      entries.push(...data.actions_caches);
      if (data.actions_caches.length < PER_PAGE) break;
    }
    return entries;
  }
}

const PER_PAGE = 100;
/** Each save prunes, so there is normally one older entry; what is left past this goes next time. */
const MAX_LIST_PAGES = 5;
