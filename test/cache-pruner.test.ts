// RestCachePruner against the loopback cache service's REST endpoints: pruning is housekeeping and
// must end when its signal does, even when GitHub never answers (issue #14, item 8).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS_WRITE_TOKEN, FakeCacheService } from './fakes/cache-service.js';

let cache: FakeCacheService;
const savedApiUrl = process.env.GITHUB_API_URL;

beforeEach(async () => {
  cache = new FakeCacheService();
  await cache.start();
  // @actions/github reads the API URL when it is first loaded: set it before the pruner's import.
  process.env.GITHUB_API_URL = cache.origin;
});
afterEach(async () => {
  if (savedApiUrl === undefined) delete process.env.GITHUB_API_URL;
  else process.env.GITHUB_API_URL = savedApiUrl;
  await cache.close();
});

describe('RestCachePruner', () => {
  it('a GitHub API that never answers: pruning ends when its signal aborts, quietly', async () => {
    const { RestCachePruner } = await import('../src/checkpoint/cache-pruner.js');
    cache.stall = (req) => req.kind === 'rest';
    const pruner = new RestCachePruner(
      ACTIONS_WRITE_TOKEN,
      { owner: 'acme', repo: 'ops' },
      'refs/heads/main',
    );
    const controller = new AbortController();
    const pruning = pruner.pruneOlder('prefix-', 'prefix-1-1', controller.signal);
    await expect.poll(() => cache.stalled).toBe(1);
    const settled = { done: false };
    void pruning.then(() => (settled.done = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled.done, 'pruning ended before its signal aborted').toBe(false);
    controller.abort();
    await expect(pruning).resolves.toBeUndefined();
    expect(cache.calls('rest').map((r) => r.path)).toEqual(['/repos/acme/ops/actions/caches']);
  });
});
