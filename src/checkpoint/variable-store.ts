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

  async load(): Promise<string | undefined> {
    try {
      const { data } = await this.octokit.rest.actions.getRepoVariable({
        ...this.repository,
        name: this.name,
      });
      this.exists = true;
      return validateStoredCheckpoint(data.value, `the repository variable ${this.name}`);
    } catch (error) {
      if (error instanceof ActionError) throw error;
      if (statusOf(error) === 404) return undefined;
      throw this.explain(error, 'read');
    }
  }

  async prepare(start: string): Promise<void> {
    // Writing the current value back (or creating the variable) proves the token can write
    // before anything is delivered; otherwise every run would re-send the same events.
    await this.write(start);
  }

  async save(checkpoint: string): Promise<void> {
    await this.write(checkpoint);
  }

  private async write(value: string): Promise<void> {
    try {
      if (this.exists) {
        await this.octokit.rest.actions.updateRepoVariable({ ...this.repository, name: this.name, value });
      } else {
        await this.octokit.rest.actions.createRepoVariable({ ...this.repository, name: this.name, value });
        this.exists = true;
      }
    } catch (error) {
      throw this.explain(error, 'write');
    }
  }

  private explain(error: unknown, action: 'read' | 'write'): ActionError {
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
