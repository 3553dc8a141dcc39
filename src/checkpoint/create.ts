import { ActionError } from '../errors.js';
import type { Settings } from '../settings.js';
import { RestCachePruner } from './cache-pruner.js';
import { CacheStore } from './cache-store.js';
import type { CheckpointStore } from './store.js';
import { VariableStore } from './variable-store.js';

/** The store `checkpoint-store` names, wired to the runner's environment. */
export function createCheckpointStore(
  settings: Settings,
  env: NodeJS.ProcessEnv = process.env,
): CheckpointStore {
  if (settings.checkpointStore === 'variable') {
    return new VariableStore(settings.checkpointName, settings.githubToken, repository(env));
  }
  const run = {
    runId: env.GITHUB_RUN_ID || '0',
    runAttempt: env.GITHUB_RUN_ATTEMPT || '1',
    domain: settings.auth0Domain,
  };
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
