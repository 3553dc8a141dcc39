// The harness itself, against a stub action that uses @actions/core like the real one (no dist needed).

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actionInputs,
  annotations,
  inputEnvName,
  parseOutputFile,
  REPO_ROOT,
  runAction,
  startAction,
} from './harness.js';

let dir = '';
let stub = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'a0lw-harness-'));
  stub = join(dir, 'stub.mjs');
  const core = pathToFileURL(join(REPO_ROOT, 'node_modules', '@actions', 'core', 'lib', 'core.js')).href;
  await writeFile(
    stub,
    `import * as core from ${JSON.stringify(core)};
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(INPUT_|GITHUB_|RUNNER_|AUTH0_)/.test(k)));
core.setOutput('env', JSON.stringify(env));
core.setOutput('multi', 'line one\\nline two');
core.setSecret('hidden-value');
core.warning('careful: 100%');
await core.summary.addHeading('Done').write();
if (process.env['INPUT_WAIT'] === 'yes') {
  process.on('SIGINT', () => { core.error('got SIGINT'); process.exit(3); });
  console.log('waiting');
  setInterval(() => {}, 1000);
} else {
  core.setFailed('it failed\\nsecond line');
}
`,
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('harness', () => {
  it('reads action.yml inputs and defaults', () => {
    const defs = new Map(actionInputs().map((d) => [d.name, d]));
    expect(defs.get('auth0-domain')).toEqual({ name: 'auth0-domain', required: true, default: undefined });
    expect(defs.get('concurrency')?.default).toBe('5');
    expect(defs.get('webhook-headers')?.default).toBe('');
    expect(defs.get('github-token')?.default).toBe('${{ github.token }}');
    expect(defs.get('dry-run')?.default).toBe('false');
    expect(inputEnvName('auth0-domain')).toBe('INPUT_AUTH0-DOMAIN');
  });

  it('parses GITHUB_OUTPUT heredocs and plain lines', () => {
    expect(parseOutputFile('a<<ghadelimiter_1\nx\ny\nghadelimiter_1\nb=2\n')).toEqual({ a: 'x\ny', b: '2' });
  });

  it('runs a script with runner-like env, defaults, outputs and summary', async () => {
    const r = await runAction({
      entry: stub,
      inputs: { 'auth0-domain': 'http://127.0.0.1:1', concurrency: '2' },
      env: { GITHUB_TOKEN: 'ghs_fromenv' },
    });
    expect(r.code).toBe(1);
    const env = JSON.parse(r.outputs['env'] ?? '{}') as Record<string, string>;
    expect(env['INPUT_AUTH0-DOMAIN']).toBe('http://127.0.0.1:1');
    expect(env['INPUT_CONCURRENCY']).toBe('2');
    expect(env['INPUT_PAYLOAD-FORMAT']).toBe('object');
    expect(env['INPUT_WEBHOOK-HEADERS']).toBe('');
    expect(env['INPUT_GITHUB-TOKEN']).toBe('ghs_fromenv');
    expect(env['INPUT_WEBHOOK-URL']).toBeUndefined();
    expect(env['GITHUB_REPOSITORY']).toBe('acme/ops');
    expect(env['AUTH0_LOG_WEBHOOKS_BACKOFF_MS']).toBe('0');
    expect(env['RUNNER_TEMP']).toBeTruthy();
    expect(r.outputs['multi']).toBe('line one\nline two');
    expect(r.summary).toContain('Done');
    expect(r.stdout).toContain('::add-mask::hidden-value');
    expect(annotations(r.stdout, 'warning')).toEqual(['careful: 100%']);
    expect(annotations(r.stdout, 'error')).toEqual(['it failed\nsecond line']);
  });

  it('can signal a running action', async () => {
    const started = await startAction({ entry: stub, inputs: {}, env: { INPUT_WAIT: 'yes' } });
    for (let i = 0; i < 200 && !started.stdout().includes('waiting'); i++)
      await new Promise((r) => setTimeout(r, 25));
    started.kill('SIGINT');
    const r = await started.done;
    expect(r.code).toBe(3);
    expect(annotations(r.stdout, 'error')).toEqual(['got SIGINT']);
  });
});
