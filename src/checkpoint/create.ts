import { ActionError } from '../errors.js';
import type { Settings } from '../settings.js';
import type { CheckpointStore } from './store.js';

/** The store `checkpoint-store` names, wired to the runner's environment. */
export async function createCheckpointStore(
  settings: Settings,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CheckpointStore> {
  // Loaded on demand (ncc makes them separate chunks): @actions/cache with the Azure storage SDK and
  // Octokit are most of the bundle, and compiling what the run does not use is most of the start-up.
  if (settings.checkpointStore === 'variable') {
    const { VariableStore } = await import('./variable-store.js');
    return new VariableStore(settings.checkpointName, settings.githubToken, repository(env));
  }
  const run = {
    runId: env.GITHUB_RUN_ID || '0',
    runAttempt: env.GITHUB_RUN_ATTEMPT || '1',
    domain: settings.auth0Domain,
  };
  const [{ CacheStore }, { RestCachePruner }] = await Promise.all([
    import('./cache-store.js'),
    import('./cache-pruner.js'),
  ]);
  // Without a token, older entries are simply not pruned (the cache evicts them after 7 days unused).
  const pruner =
    settings.githubToken && env.GITHUB_REPOSITORY
      ? new RestCachePruner(settings.githubToken, repository(env), env.GITHUB_REF)
      : undefined;
  return new CacheStore(settings.checkpointName, run, pruner);
}

function repository(env: NodeJS.ProcessEnv): { owner: string; repo: string } {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) {
    throw new ActionError(
      'GITHUB_REPOSITORY is not set: the store needs to know the repository (owner/name).',
    );
  }
  return { owner, repo };
}
