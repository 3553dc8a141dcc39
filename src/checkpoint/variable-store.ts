import { getOctokit } from '@actions/github';
import { ActionError } from '../errors.js';
import type { CheckpointStore } from './store.js';
import { validateStoredCheckpoint } from './store.js';

type Octokit = ReturnType<typeof getOctokit>;

/** The checkpoint as the plain log_id in a repository variable, through the REST API. */
export class VariableStore implements CheckpointStore {
  readonly kind = 'variable';
  private readonly octokit: Octokit;
  private exists = false;

  constructor(
    readonly name: string,
    token: string,
    private readonly repository: { owner: string; repo: string },
  ) {
    this.octokit = getOctokit(token, { request: { retries: 0 } });
  }

  async load(signal: AbortSignal): Promise<string | undefined> {
    try {
      const { data } = await this.octokit.rest.actions.getRepoVariable({
        ...this.repository,
        name: this.name,
        request: { signal },
      });
      this.exists = true;
      return validateStoredCheckpoint(data.value, `the repository variable ${this.name}`);
    } catch (error) {
      if (error instanceof ActionError) throw error;
      if (statusOf(error) === 404) return undefined;
      throw this.explain(error, 'read', signal);
    }
  }

  async prepare(start: string, _stored: boolean, signal: AbortSignal): Promise<void> {
    // Writing the current value back (or creating the variable) proves the token can write
    // before anything is delivered; otherwise every run would re-send the same events.
    await this.write(start, signal);
  }

  async save(checkpoint: string, signal: AbortSignal): Promise<void> {
    await this.write(checkpoint, signal);
  }

  private async write(value: string, signal: AbortSignal): Promise<void> {
    const params = { ...this.repository, name: this.name, value, request: { signal } };
    try {
      if (this.exists) {
        await this.octokit.rest.actions.updateRepoVariable(params);
      } else {
        await this.octokit.rest.actions.createRepoVariable(params);
        this.exists = true;
      }
    } catch (error) {
      throw this.explain(error, 'write', signal);
    }
  }

  private explain(error: unknown, action: 'read' | 'write', signal: AbortSignal): ActionError {
    if (signal.aborted) {
      return new ActionError(
        `GitHub did not answer in time to ${action} the repository variable ${this.name} (or the run was stopping).`,
        'Re-run the failed job; the checkpoint is unchanged, so nothing is skipped.',
      );
    }
    const status = statusOf(error);
    const message = error instanceof Error ? error.message : String(error);
    const where = `the repository variable ${this.name} in ${this.repository.owner}/${this.repository.repo}`;
    if (status === 403 && /not accessible by integration/i.test(message)) {
      return new ActionError(
        `Could not ${action} ${where}: GITHUB_TOKEN cannot write repository variables (403 Resource not accessible by integration).`,
        'Pass github-token: a fine-grained personal access token or a GitHub App token with "Variables: read and write" on this repository (e.g. github-token: ${{ secrets.CHECKPOINT_TOKEN }}), or use checkpoint-store: cache.',
      );
    }
    if (status === 401 || status === 403 || status === 404) {
      return new ActionError(
        `Could not ${action} ${where}: ${status} ${message}`,
        'github-token needs "Variables: read and write" on this repository (fine-grained PAT or GitHub App token).',
      );
    }
    return new ActionError(`Could not ${action} ${where}: ${status ?? ''} ${message}`.replace(/\s+/g, ' '));
  }
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}
