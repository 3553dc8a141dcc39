// The README, docs/ and action.yml agree with each other, with the code and with the product contract
// (its inputs and outputs, copied into test/fixtures/contract.json so that nothing here reads outside
// the repository): action.yml is valid YAML, its inputs and outputs are the SPEC's (names, defaults,
// required), the README's tables are what scripts/readme-tables.mjs generates from action.yml and
// src/auth0/log-types.ts, every workflow example uses only real inputs and is a complete file, and the
// sample request's signature is real. test/docs-links.test.ts checks every link.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { LEVEL_NAMES, LOG_TYPES } from '../src/auth0/log-types.js';
import { signatureHeader } from '../src/delivery/signing.js';
import { REPO_ROOT } from './e2e/harness.js';

interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}
interface ActionYml {
  name: string;
  description: string;
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string };
}

const read = (path: string): string => readFileSync(join(REPO_ROOT, path), 'utf8');
const action = parseYaml(read('action.yml')) as ActionYml;
const readme = read('README.md');
const docs = readdirSync(join(REPO_ROOT, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => `docs/${name}`);
interface Contract {
  inputs: Array<{ name: string; default: string; since: string }>;
  outputs: string[];
}
const contract = JSON.parse(read('test/fixtures/contract.json')) as Contract;

/** The `## title` section of a Markdown document, up to the next `## `. */
function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`no section '## ${title}'`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** Rows of the first pipe table in `markdown`, cells trimmed (the header and separator left out). */
function tableRows(markdown: string): string[][] {
  const lines = markdown.split('\n').filter((line) => line.startsWith('|'));
  return lines.slice(2).map((line) =>
    line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim()),
  );
}

describe('action.yml', () => {
  it('is valid YAML for a node24 action running dist/index.js', () => {
    const documents = parseAllDocuments(read('action.yml'));
    expect(documents).toHaveLength(1);
    expect(documents[0]!.errors).toEqual([]);
    expect(documents[0]!.warnings).toEqual([]);
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(typeof input.description, name).toBe('string');
      if (input.default !== undefined)
        expect(typeof input.default, `${name} default is a string`).toBe('string');
    }
  });

  it("has the contract's inputs, with its defaults and required ones, in its order", () => {
    // Every input of the contract (1.0 and 1.1), in its order, and nothing else.
    const names = Object.keys(action.inputs);
    const expected = contract.inputs;
    expect(names).toEqual(expected.map((input) => input.name));
    for (const { name, default: fallback } of expected) {
      const input = action.inputs[name]!;
      if (fallback === 'required') {
        expect(input.required, name).toBe(true);
      } else {
        expect(input.required ?? false, name).toBe(false);
        expect(input.default, name).toBe(fallback.replace(/^`(.*)`$/, '$1').replace(/^''$/, ''));
      }
    }
  });

  it("has the contract's outputs", () => {
    expect(contract.outputs.length).toBeGreaterThanOrEqual(8);
    expect(Object.keys(action.outputs)).toEqual(contract.outputs);
  });
});
describe('README.md', () => {
  it('has the tables that scripts/readme-tables.mjs generates from action.yml and src/auth0/log-types.ts', async () => {
    // @ts-expect-error -- a plain JavaScript module without type declarations
    const { renderReadme } = (await import('../scripts/readme-tables.mjs')) as {
      renderReadme(readme: string, action: unknown): Promise<string>;
    };
    const rendered = await renderReadme(readme, action);
    expect(readme, 'README.md generated tables differ: run node scripts/readme-tables.mjs').toBe(rendered);

    // And independently of the formatting: the rows are action.yml's, in order.
    const region = (name: string): string =>
      readme.slice(readme.indexOf(`<!-- ${name}:start -->`), readme.indexOf(`<!-- ${name}:end -->`));
    const inputs = tableRows(region('inputs'));
    expect(inputs.map((row) => row[0])).toEqual(Object.keys(action.inputs).map((name) => `\`${name}\``));
    for (const [name, fallback] of inputs) {
      const input = action.inputs[name!.replace(/`/g, '')]!;
      expect(fallback, name).toBe(input.required ? '**required**' : `\`${input.default || "''"}\``);
    }
    const outputs = tableRows(region('outputs'));
    expect(outputs.map((row) => row[0])).toEqual(Object.keys(action.outputs).map((name) => `\`${name}\``));

    // The level table: each row is the code's meaning and level in src/auth0/log-types.ts (¹: assigned).
    const levels = tableRows(region('log-levels'));
    expect(levels.length).toBeGreaterThanOrEqual(15);
    for (const [code, meaning, level] of levels) {
      const info = LOG_TYPES.get(code!.replace(/`/g, ''));
      expect(info, code).toBeDefined();
      expect(meaning, code).toBe(info!.description);
      const name = LEVEL_NAMES[info!.level!];
      expect(level, code).toBe(`${info!.level} ${name}${info!.levelAssigned ? ' ¹' : ''}`);
    }
    for (const code of ['f', 'fp', 'fu', 'limit_wc', 'limit_sul', 'limit_mu', 'sapi']) {
      expect(
        levels.map((row) => row[0]),
        code,
      ).toContain(`\`${code}\``);
    }
    expect(readme).toContain('https://auth0.com/docs/deploy-monitor/logs/log-event-type-codes');
  });

  it('uses only real inputs in the workflow examples of the README and docs/, in complete files', () => {
    const known = new Set(Object.keys(action.inputs));
    const stepsIn = (file: string): number => {
      const blocks = [...read(file).matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1]!);
      let steps = 0;
      const visit = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(visit);
        if (node === null || typeof node !== 'object') return;
        const record = node as Record<string, unknown>;
        if (typeof record['uses'] === 'string' && record['uses'].includes('auth0-log-webhooks')) {
          steps++;
          expect(record['uses'], `${file}: where the action is used from`).toBe(
            'OWNER/auth0-log-webhooks@v1',
          );
          for (const name of Object.keys((record['with'] as Record<string, unknown> | null) ?? {})) {
            expect(known.has(name), `${file} example uses an unknown input '${name}'`).toBe(true);
          }
        }
        Object.values(record).forEach(visit);
      };
      for (const block of blocks) {
        const workflow = parseYaml(block) as unknown;
        // A block with jobs is a workflow file a reader copies whole: it must not lack the schedule or
        // the concurrency group that keeps runs from overlapping.
        if (workflow !== null && typeof workflow === 'object' && 'jobs' in workflow) {
          for (const key of ['name', 'on', 'concurrency', 'permissions']) {
            expect(Object.keys(workflow), `${file}: a workflow example without '${key}'`).toContain(key);
          }
        }
        visit(workflow);
      }
      return steps;
    };
    expect(stepsIn('README.md'), 'README workflow examples').toBeGreaterThanOrEqual(2);
    const inDocs = docs.map(stepsIn).reduce((a, b) => a + b, 0);
    expect(inDocs, 'docs/ workflow examples').toBeGreaterThanOrEqual(1);
  });

  it('has a sample request whose signature is real', () => {
    const sample = section(readme, 'What the receiver gets');
    const http = /```http\n([\s\S]*?)```/.exec(sample)![1]!;
    const headers = new Map(
      http
        .split('\n')
        .slice(1)
        .filter((line) => line.includes(': '))
        .map((line) => [line.slice(0, line.indexOf(': ')).toLowerCase(), line.slice(line.indexOf(': ') + 2)]),
    );
    const event = JSON.parse(/```json\n([\s\S]*?)```/.exec(sample)![1]!) as { log_id: string; type: string };
    const secret = /`whsec_([A-Za-z0-9+/=]+)`/.exec(sample)![1]!;
    expect(headers.get('webhook-id')).toBe(event.log_id);
    expect(LOG_TYPES.has(event.type)).toBe(true);
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.get('webhook-signature')).toBe(
      signatureHeader(
        [Buffer.from(secret, 'base64')],
        event.log_id,
        Number(headers.get('webhook-timestamp')),
        JSON.stringify(event),
      ),
    );
  });

  it('says how late events arrive and what it costs, before the Quick start', () => {
    const intro = readme.slice(0, readme.indexOf('\n## Quick start\n'));
    expect(intro).toContain('**How late**');
    expect(intro).toMatch(/2,900\s+billed\s+minutes\s+a\s+month/);
    expect(intro).toMatch(/2,000\s+included\s+in\s+GitHub\s+Free/);
    // The Quick start's cron is every 15 minutes: 96 runs a day, 2,880 in 30 days (the "about 2,900").
    const minutes = /cron: '([\d,]+) \* \* \* \*'/.exec(readme)![1]!.split(',');
    expect(minutes.length * 24 * 30).toBe(2880);
  });

  it('keeps the two local commands (CI runs the test command)', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm ci && npm test');
  });
});

describe('docs/', () => {
  it('documents every start-from form, the migration settings and the receiving side', () => {
    const startFrom = section(read('docs/checkpoints.md'), 'Where the first run begins: `start-from`');
    for (const form of [
      '`oldest`',
      '`now`',
      '`24h`',
      '`7d`',
      '`2026-11-01`',
      '`2026-11-01T08:30:00Z`',
      '56-digit `log_id`',
    ]) {
      expect(startFrom, form).toContain(form);
    }
    const migration = read('docs/migrating.md');
    for (const setting of [
      'LOG_TYPES',
      'LOG_LEVEL',
      'WEBHOOK_URL',
      'AUTHORIZATION',
      'SEND_AS_BATCH',
      'WEBHOOK_CONCURRENT_CALLS',
      'BATCH_SIZE',
      'START_FROM',
    ]) {
      expect(migration, setting).toContain(`\`${setting}\``);
    }
    const receiving = section(read('docs/receiving.md'), 'Writing a receiver');
    expect(receiving).toContain("from 'standardwebhooks'");
    expect(receiving).toContain('webhook-id');
  });
});
