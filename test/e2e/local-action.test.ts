// `npm run local-action` (GitHub's @github/local-action running src/main.ts, not dist/) against the
// loopback fakes, once: a .env like .env.example's, the variable store on the fake GitHub, and the
// events must reach the fake webhook. Bounded: the child is killed after CHILD_TIMEOUT_MS.
//
// local-action quirks this test works with (see README "Running it locally"):
// - its @actions/github stand-in reads GITHUB_API_URL before the .env is loaded: it goes in the
//   process environment, not in the .env;
// - setFailed() does not change its exit status: failure shows as ::error:: lines;
// - its @actions/cache stand-in has no isFeatureAvailable(), so the cache store cannot run under it.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEvents } from '../fakes/events.js';
import { actionInputs, inputEnvName, REPO_ROOT, type RunResult } from './harness.js';
import { CHECKPOINT_NAME, defaultMatch, ids, sorted, useWorld } from './world.js';

const CHILD_TIMEOUT_MS = 60_000;
/** The env file argument in package.json's `local-action` script. */
const DOTENV_ARG = '.env';

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/** The environment without the outer runner's variables (an outer INPUT_* or GITHUB_* would leak in). */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(INPUT_|GITHUB_|RUNNER_|ACTIONS_|STATE_|LOCAL_ACTION_)/i.test(k)) continue;
    if (/^(https?_proxy|all_proxy|no_proxy|FORCE_COLOR|NODE_OPTIONS|NODE_V8_COVERAGE)$/i.test(k)) continue;
    if (/^VITEST/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

/** Runs a command in its own process group; kills the whole group after timeoutMs. */
function runChild(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, stdout, stderr });
    });
  });
}

/** `name::value` of local-action's `::set-output name=…::…` lines. */
function outputsOf(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of stdout.matchAll(/^::set-output name=([^:]+)::(.*)$/gm)) out[m[1]!] = m[2]!;
  return out;
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

describe('npm run local-action', () => {
  const world = useWorld(() => ({ events: makeEvents(40, { seed: 11 }) }));
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'a0lw-local-action-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs src/main.ts with a .env of every input and delivers to the webhook', async () => {
    const w = world();
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const script = pkg.scripts['local-action'];
    expect(script).toBe(`local-action run . src/main.ts ${DOTENV_ARG}`);

    // The .env a user writes from .env.example: every input listed, the given ones filled in.
    const example = readFileSync(join(REPO_ROOT, '.env.example'), 'utf8');
    const inputs = w.inputs({
      concurrency: '3',
      'start-from': 'oldest',
      'dry-run': 'false',
      'max-runtime': '1m',
    });
    const lines: string[] = [];
    for (const def of actionInputs()) {
      const name = inputEnvName(def.name);
      expect(example, `.env.example lists ${name}`).toMatch(new RegExp(`^${name}=`, 'm'));
      lines.push(`${name}=${inputs[def.name] ?? ''}`);
    }
    const summaryFile = join(dir, 'summary.md');
    lines.push(`GITHUB_REPOSITORY=${w.github.owner}/${w.github.repo}`, `GITHUB_STEP_SUMMARY=${summaryFile}`);
    const envFile = join(dir, '.env');
    await writeFile(envFile, lines.join('\n') + '\n');

    const args = script!.split(' ').map((arg) => (arg === DOTENV_ARG ? envFile : arg));
    const started = Date.now();
    const child = await runChild(
      'npx',
      ['--no-install', ...args],
      {
        ...cleanEnv(),
        // Read by local-action's @actions/github stand-in when it loads, before the .env.
        GITHUB_API_URL: w.github.origin,
        NO_PROXY: '127.0.0.1,localhost,::1',
        no_proxy: '127.0.0.1,localhost,::1',
        NO_COLOR: '1',
      },
      CHILD_TIMEOUT_MS,
    );
    const stdout = stripAnsi(child.stdout);
    const describe = `exit ${child.code} after ${Date.now() - started} ms${child.timedOut ? ' TIMED OUT' : ''}\n--- stdout\n${stdout.slice(-6000)}\n--- stderr\n${child.stderr.slice(-3000)}`;
    const summary = await readFile(summaryFile, 'utf8').catch(() => '');

    // Recorded with the world's runs: afterEach checks no secret leaked into this output either.
    const record: RunResult = {
      code: child.code,
      signal: child.signal,
      timedOut: child.timedOut,
      stdout,
      stderr: child.stderr,
      outputs: outputsOf(stdout),
      summary,
      env: {},
    };
    w.runs.push({ inputs, result: record, checkSecrets: true });

    expect(child.timedOut, describe).toBe(false);
    expect(child.code, describe).toBe(0);
    expect(stdout, describe).toContain('Running Action');
    expect(stdout.match(/^::error.*$/gm) ?? [], describe).toEqual([]);

    const expected = w.auth0.events.filter(defaultMatch);
    expect(sorted(w.webhook.deliveredIds()), describe).toEqual(ids(expected));
    const last = w.auth0.events.at(-1)!.log_id;
    expect(w.checkpoint(CHECKPOINT_NAME)).toBe(last);
    expect(record.outputs, describe).toMatchObject({
      checkpoint: last,
      fetched: String(w.auth0.events.length),
      matched: String(expected.length),
      delivered: String(expected.length),
      failed: '0',
      'caught-up': 'true',
      'checkpoint-name': CHECKPOINT_NAME,
    });
    expect(summary, 'the job summary was written').not.toBe('');
  }, 90_000);
});
