// Runs the bundled action (dist/index.js) as a child process the way the Actions runner does:
// inputs as INPUT_<NAME> env vars (action.yml defaults applied), GITHUB_OUTPUT / GITHUB_STEP_SUMMARY
// files, fresh RUNNER_TEMP / GITHUB_WORKSPACE, and nothing inherited from the outer GITHUB_* / INPUT_*.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST_ENTRY = join(REPO_ROOT, 'dist', 'index.js');
export const ACTION_YML = join(REPO_ROOT, 'action.yml');

export interface RunOptions {
  /** Inputs by their action.yml name (`auth0-domain`). Omitted ones get their action.yml default. */
  inputs: Record<string, string>;
  /** Extra env (overrides the harness's). GITHUB_TOKEN here also fills `${{ github.token }}` defaults. */
  env?: Record<string, string>;
  /** SIGKILL after this long (default 45 s); the result then has timedOut=true. */
  timeoutMs?: number;
  /** Script to run instead of dist/index.js (for testing the harness itself). */
  entry?: string;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** The env the child got (for debugging failed tests). */
  env: Record<string, string>;
}

export interface StartedAction {
  child: ChildProcess;
  /** stdout so far. */
  stdout(): string;
  /** Sends a signal to the child (for cancellation tests). */
  kill(signal: NodeJS.Signals): void;
  done: Promise<RunResult>;
}

export interface ActionInputDef {
  name: string;
  required: boolean;
  default: string | undefined;
}

let cachedInputs: ActionInputDef[] | undefined;

/** The inputs of action.yml (a small line reader: `inputs:` → `  name:` → `    default: value`). */
export function actionInputs(): ActionInputDef[] {
  if (cachedInputs) return cachedInputs;
  const lines = readFileSync(ACTION_YML, 'utf8').split(/\r?\n/);
  const defs: ActionInputDef[] = [];
  let inInputs = false;
  let current: ActionInputDef | undefined;
  for (const line of lines) {
    if (/^\S/.test(line)) {
      inInputs = /^inputs:\s*$/.test(line);
      current = undefined;
      continue;
    }
    if (!inInputs) continue;
    const name = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line);
    if (name) {
      current = { name: name[1]!, required: false, default: undefined };
      defs.push(current);
      continue;
    }
    const prop = /^ {4}(default|required):\s*(.*?)\s*$/.exec(line);
    if (prop && current) {
      const value = unquote(prop[2]!);
      if (prop[1] === 'default') current.default = value;
      else current.required = value === 'true';
    }
  }
  if (defs.length === 0) throw new Error(`no inputs found in ${ACTION_YML}`);
  cachedInputs = defs;
  return defs;
}

function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return JSON.parse(v) as string;
  return v;
}

/** `auth0-domain` → `INPUT_AUTH0-DOMAIN` (as @actions/core reads it: spaces → `_`, upper-cased). */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Parses a GITHUB_OUTPUT file: `name<<DELIM\nvalue\nDELIM` blocks and `name=value` lines. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      i++;
      while (i < lines.length && lines[i]!.replace(/\r$/, '') !== delim) {
        value.push(lines[i]!.replace(/\r$/, ''));
        i++;
      }
      if (i >= lines.length) throw new Error(`GITHUB_OUTPUT: unterminated value for ${name}`);
      out[name] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
    else throw new Error(`GITHUB_OUTPUT: cannot parse line ${JSON.stringify(line)}`);
  }
  return out;
}

/** The process env without the outer runner's variables and proxies. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(INPUT_|GITHUB_|RUNNER_|ACTIONS_|STATE_)/i.test(k)) continue;
    if (/^(https?_proxy|all_proxy|no_proxy)$/i.test(k)) continue;
    if (/^(VITEST|NODE_OPTIONS$|NODE_V8_COVERAGE$|TEST$)/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

/** Starts dist/index.js; `done` resolves when it exits (temp files read and removed). */
export async function startAction(opts: RunOptions): Promise<StartedAction> {
  // E2E_ACTION_ENTRY: run another build (e.g. a deliberately broken copy, to check the tests catch it).
  const entry = opts.entry ?? process.env['E2E_ACTION_ENTRY'] ?? DIST_ENTRY;
  if (!existsSync(entry)) {
    throw new Error(`${entry} does not exist: run \`npm run bundle\` before the e2e tests`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'a0lw-e2e-'));
  const outputFile = join(dir, 'github_output');
  const summaryFile = join(dir, 'step_summary');
  const runnerTemp = join(dir, 'runner_temp');
  const workspace = join(dir, 'workspace');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  await mkdir(runnerTemp);
  await mkdir(workspace);

  const extra = opts.env ?? {};
  const githubToken = extra['GITHUB_TOKEN'] ?? '';
  const env: Record<string, string> = {
    ...baseEnv(),
    NO_PROXY: '127.0.0.1,localhost,::1',
    no_proxy: '127.0.0.1,localhost,::1',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: 'acme/ops',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_API_URL: 'http://127.0.0.1:9', // discard port: fails fast unless a fake is given
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: String(1_000_000 + Math.floor(Math.random() * 1_000_000)),
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'auth0 logs',
    GITHUB_JOB: 'forward',
    GITHUB_EVENT_NAME: 'schedule',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_ACTION: 'auth0-log-webhooks',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    AUTH0_LOG_WEBHOOKS_BACKOFF_MS: '0',
    ...extra,
  };
  for (const def of actionInputs()) {
    const given = opts.inputs[def.name];
    if (given !== undefined) continue;
    if (def.default !== undefined) {
      env[inputEnvName(def.name)] = def.default.replace(/\$\{\{\s*github\.token\s*\}\}/g, githubToken);
    }
  }
  const known = new Set(actionInputs().map((d) => d.name));
  for (const [name, value] of Object.entries(opts.inputs)) {
    if (!known.has(name)) throw new Error(`harness: input ${name} is not in action.yml`);
    env[inputEnvName(name)] = value;
  }

  const child = spawn(process.execPath, [entry], {
    cwd: workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, opts.timeoutMs ?? 45_000);

  const done = new Promise<RunResult>((resolveDone, rejectDone) => {
    child.on('error', (e) => {
      clearTimeout(timer);
      rejectDone(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      void (async () => {
        const outputText = await readFile(outputFile, 'utf8');
        const summary = await readFile(summaryFile, 'utf8');
        await rm(dir, { recursive: true, force: true });
        resolveDone({
          code,
          signal,
          timedOut,
          stdout,
          stderr,
          outputs: parseOutputFile(outputText),
          summary,
          env,
        });
      })().catch(rejectDone);
    });
  });

  return {
    child,
    stdout: () => stdout,
    kill: (signal) => {
      child.kill(signal);
    },
    done,
  };
}

/** Runs dist/index.js to the end. */
export async function runAction(opts: RunOptions): Promise<RunResult> {
  return (await startAction(opts)).done;
}

/** `::error::` lines of a run's stdout (also `::error file=...::`), message unescaped. */
export function annotations(stdout: string, kind: 'error' | 'warning' | 'notice'): string[] {
  const out: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = new RegExp(`^::${kind}(?: [^:]*)?::(.*)$`).exec(line);
    if (m) out.push(unescapeData(m[1]!));
  }
  return out;
}

/** Reverses @actions/core's command escaping (%25 %0D %0A). */
export function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** A one-paragraph description of a run for assertion messages. */
export function describeRun(r: RunResult): string {
  const tail = (s: string): string => (s.length > 4000 ? `…${s.slice(-4000)}` : s);
  return `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}${r.timedOut ? ' TIMED OUT' : ''}\noutputs ${JSON.stringify(r.outputs)}\n--- stdout\n${tail(r.stdout)}\n--- stderr\n${tail(r.stderr)}`;
}
