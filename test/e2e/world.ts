// A "world" for one e2e test: fake Auth0 + recording webhook + fake GitHub on loopback, the minimal
// valid inputs pointing at them, and a run() that remembers every run so afterEach can check that no
// secret leaked into any run's log or summary.
//
//   const world = useWorld(() => ({ events: makeEvents(200) }));
//   it('...', async () => {
//     const r = await world().run({ 'log-types': 'f' });
//   });

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { FakeAuth0, type FakeAuth0Options } from '../fakes/auth0.js';
import type { LogEvent } from '../fakes/events.js';
import { FakeGithub, type FakeGithubOptions } from '../fakes/github.js';
import { FakeWebhook } from '../fakes/webhook.js';
import {
  describeRun,
  REPO_ROOT,
  runAction,
  startAction,
  type RunResult,
  type StartedAction,
} from './harness.js';

export const OLDEST = '0'.repeat(56);
export const CHECKPOINT_NAME = 'AUTH0_CP';
export const WRITE_TOKEN = 'ghp_writer';
export const READONLY_TOKEN = 'ghs_readonly';
/** Types the action forwards when neither log-types nor log-level is given. */
export const MANAGEMENT_API_TYPES: ReadonlySet<string> = new Set(['sapi', 'fapi', 'mgmt_api_read']);

/** Inputs; `undefined` removes one from the defaults (then action.yml's default applies). */
export type Inputs = Record<string, string | undefined>;

export interface WorldOptions {
  events?: LogEvent[];
  auth0?: Omit<FakeAuth0Options, 'events'>;
  github?: FakeGithubOptions;
}

export interface RunExtras {
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Check this run's stdout/stderr/summary for secrets in afterEach (default true). */
  checkSecrets?: boolean;
}

export interface RunRecord {
  inputs: Record<string, string>;
  result: RunResult;
  checkSecrets: boolean;
}

export class World {
  readonly auth0: FakeAuth0;
  readonly webhook = new FakeWebhook();
  readonly github: FakeGithub;
  readonly runs: RunRecord[] = [];
  /** Extra strings that must never appear in any run's output (add per test). */
  readonly extraSecrets: string[] = [];

  constructor(opts: WorldOptions = {}) {
    this.auth0 = new FakeAuth0({ ...opts.auth0, events: opts.events ?? [] });
    this.github = new FakeGithub(opts.github);
  }

  async start(): Promise<void> {
    await Promise.all([this.auth0.start(), this.webhook.start(), this.github.start()]);
  }

  async close(): Promise<void> {
    await Promise.all([this.auth0.close(), this.webhook.close(), this.github.close()]);
  }

  /** The minimal valid inputs (variable store, writable token) with overrides applied. */
  inputs(overrides: Inputs = {}): Record<string, string> {
    const base: Inputs = {
      'auth0-domain': this.auth0.origin,
      'auth0-client-id': this.auth0.clientId,
      'auth0-client-secret': this.auth0.clientSecret,
      'webhook-url': this.webhook.url,
      'checkpoint-store': 'variable',
      'checkpoint-name': CHECKPOINT_NAME,
      'github-token': WRITE_TOKEN,
      ...overrides,
    };
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(base)) if (v !== undefined) out[k] = v;
    return out;
  }

  private env(extra: Record<string, string> | undefined): Record<string, string> {
    return { GITHUB_API_URL: this.github.origin, ...extra };
  }

  /** Runs the action to the end with inputs(overrides). */
  async run(overrides: Inputs = {}, extras: RunExtras = {}): Promise<RunResult> {
    const inputs = this.inputs(overrides);
    const result = await runAction({ inputs, env: this.env(extras.env), timeoutMs: extras.timeoutMs });
    this.runs.push({ inputs, result, checkSecrets: extras.checkSecrets ?? true });
    expect(result.timedOut, `the action timed out\n${describeRun(result)}`).toBe(false);
    return result;
  }

  /** Starts the action (for signals); the result is recorded when it ends. */
  async startRun(overrides: Inputs = {}, extras: RunExtras = {}): Promise<StartedAction> {
    const inputs = this.inputs(overrides);
    const started = await startAction({ inputs, env: this.env(extras.env), timeoutMs: extras.timeoutMs });
    const done = started.done.then((result) => {
      this.runs.push({ inputs, result, checkSecrets: extras.checkSecrets ?? true });
      return result;
    });
    return { ...started, done };
  }

  /** The stored checkpoint variable. */
  checkpoint(name = CHECKPOINT_NAME): string | undefined {
    return this.github.variable(name);
  }

  /** Secrets that must not appear in a run with these inputs. */
  secretsFor(inputs: Record<string, string>): string[] {
    const s: string[] = [this.auth0.clientSecret, ...this.auth0.tokensIssued, ...this.extraSecrets];
    const add = (v: string | undefined): void => {
      if (v !== undefined && v.trim().length >= 6) s.push(v.trim());
    };
    add(inputs['auth0-client-secret']);
    add(inputs['github-token']);
    const auth = inputs['webhook-authorization'];
    if (auth) {
      add(auth);
      add(auth.replace(/^\S+\s+/, '')); // the credentials after "Bearer "/"Basic "
    }
    for (const line of (inputs['webhook-secret'] ?? '').split(/\r?\n/)) {
      add(line);
      add(line.trim().replace(/^whsec_/, ''));
    }
    const url = inputs['webhook-url'];
    if (url) {
      try {
        const u = new URL(url);
        add(decodeURIComponent(u.password));
        for (const value of u.searchParams.values()) add(value);
      } catch {
        // not a URL: nothing to extract
      }
    }
    return [...new Set(s)];
  }

  /** Fails when a secret appears in a run's stdout (outside ::add-mask:: lines), stderr or summary. */
  assertNoSecretsLeaked(): void {
    for (const [i, run] of this.runs.entries()) {
      if (!run.checkSecrets) continue;
      const stdout = run.result.stdout
        .split(/\r?\n/)
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n');
      const stderr = run.result.stderr
        .split(/\r?\n/)
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n');
      for (const secret of this.secretsFor(run.inputs)) {
        for (const [where, text] of [
          ['stdout', stdout],
          ['stderr', stderr],
          ['summary', run.result.summary],
        ] as const) {
          expect(
            text.includes(secret),
            `run #${i + 1}: a secret (${redact(secret)}) appears in ${where}`,
          ).toBe(false);
        }
      }
    }
  }
}

function redact(secret: string): string {
  return `${secret.slice(0, 3)}…(${secret.length} chars)`;
}

/**
 * Registers beforeEach/afterEach for a fresh world per test; returns the current world.
 * afterEach closes the servers and checks every run of the test for leaked secrets.
 */
export function useWorld(setup: () => WorldOptions = () => ({})): () => World {
  return useWorldOf(() => new World(setup()));
}

/** useWorld() for a World subclass: `create` makes it, `check` runs after each test, before closing. */
export function useWorldOf<W extends World>(
  create: () => W,
  check: (world: W) => void = (world) => world.assertNoSecretsLeaked(),
): () => W {
  let current: W | undefined;
  beforeEach(async () => {
    current = create();
    await current.start();
  });
  afterEach(async () => {
    const w = current;
    current = undefined;
    if (!w) return;
    try {
      check(w);
    } finally {
      await w.close();
    }
  });
  return () => {
    if (!current) throw new Error('world used outside a test');
    return current;
  };
}

// ---- expectations helpers ----------------------------------------------------------------------

let levels: Map<string, number | undefined> | undefined;

/** Levels from the type table fixture, test/fixtures/auth0-log-types.tsv (undefined where it is blank). */
export function tsvLevels(): Map<string, number | undefined> {
  if (levels) return levels;
  const text = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'auth0-log-types.tsv'), 'utf8');
  const map = new Map<string, number | undefined>();
  for (const line of text.split(/\r?\n/).slice(1)) {
    if (line.trim() === '') continue;
    const cols = line.split('\t');
    const code = cols[0]!;
    const level = (cols[3] ?? '').trim();
    map.set(code, level === '' ? undefined : Number(level));
  }
  levels = map;
  return map;
}

/** Level of a type from the TSV; throws for a type whose level the TSV leaves blank (ambiguous). */
export function levelOf(type: string): number {
  const level = tsvLevels().get(type);
  if (level === undefined) throw new Error(`test setup: type ${type} has no level in the TSV`);
  return level;
}

/** The default filter: everything except Management API operations. */
export function defaultMatch(e: LogEvent): boolean {
  return !MANAGEMENT_API_TYPES.has(e.type);
}

export function ids(events: readonly LogEvent[]): string[] {
  return events.map((e) => e.log_id);
}

/** Sorted copy (log_ids of one width sort as strings). */
export function sorted(list: readonly string[]): string[] {
  return [...list].sort();
}

/** Checks the run succeeded, with the whole log in the message when not. */
export function expectSuccess(r: RunResult): void {
  expect(r.code, `expected exit 0\n${describeRun(r)}`).toBe(0);
}

/** Checks the run failed, with the whole log in the message when not. */
export function expectFailure(r: RunResult): void {
  expect(r.code, `expected a non-zero exit\n${describeRun(r)}`).not.toBe(0);
  expect(r.timedOut, `timed out\n${describeRun(r)}`).toBe(false);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 20 ms; throws after `timeoutMs` (a bound, not an assertion on timing). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * The checkpoint invariant (SPEC "One run" 7): every matching event up to the checkpoint was
 * acknowledged. Returns the matching events after the checkpoint.
 */
export function expectCheckpointCovered(
  checkpoint: string,
  matching: readonly LogEvent[],
  acknowledged: readonly string[],
): LogEvent[] {
  const acked = new Set(acknowledged);
  for (const e of matching) {
    if (e.log_id > checkpoint) break;
    expect(acked.has(e.log_id), `checkpoint ${checkpoint} passes undelivered event ${e.log_id}`).toBe(true);
  }
  return matching.filter((e) => e.log_id > checkpoint);
}
