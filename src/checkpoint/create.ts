import { ActionError } from '../errors.js';
import type { Settings } from '../settings.js';
import type { CheckpointStore } from './store.js';
import { VariableStore } from './variable-store.js';

/** The store `checkpoint-store` names. */
export function createCheckpointStore(settings: Settings): CheckpointStore {
  if (settings.checkpointStore === 'variable') {
    return new VariableStore(settings.checkpointName, settings.githubToken, repository());
  }
  throw new ActionError(
    "checkpoint-store 'cache' is not available in this version yet.",
    'Use checkpoint-store: variable with a github-token that can write repository variables (see the README).',
  );
}

function repository(): { owner: string; repo: string } {
  const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) {
    throw new ActionError('GITHUB_REPOSITORY is not set: the variable store needs to know the repository (owner/name).');
  }
  return { owner, repo };
}
