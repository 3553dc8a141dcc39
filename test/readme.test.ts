// The README and action.yml agree with each other and with the product contract (its inputs and outputs,
// copied into test/fixtures/contract.json so that nothing here reads outside the repository):
// action.yml is valid YAML, its inputs and outputs are the SPEC's (names, defaults, required), the
// README's tables are what scripts/readme-tables.mjs generates from it, every workflow example in the
// README uses only real inputs, and every in-page link has a heading to go to.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
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
    // Every 1.0 input is there; a 1.1 input is there once its feature has landed. Nothing else.
    const names = Object.keys(action.inputs);
    const expected = contract.inputs.filter((input) => input.since === '1.0' || names.includes(input.name));
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
  it('has the inputs and outputs tables that scripts/readme-tables.mjs generates from action.yml', async () => {
    // @ts-expect-error -- a plain JavaScript module without type declarations
    const { renderReadme } = (await import('../scripts/readme-tables.mjs')) as {
      renderReadme(readme: string, action: unknown): Promise<string>;
    };
    const rendered = await renderReadme(readme, action);
    expect(readme, 'README.md tables differ from action.yml: run node scripts/readme-tables.mjs').toBe(
      rendered,
    );

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
  });

  it('uses only real inputs in its workflow examples', () => {
    const known = new Set(Object.keys(action.inputs));
    const blocks = [...readme.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    let steps = 0;
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (node === null || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      if (typeof record['uses'] === 'string' && record['uses'].includes('auth0-log-webhooks')) {
        steps++;
        for (const name of Object.keys((record['with'] as Record<string, unknown> | null) ?? {})) {
          expect(known.has(name), `README example uses an unknown input '${name}'`).toBe(true);
        }
      }
      Object.values(record).forEach(visit);
    };
    for (const block of blocks) visit(parseYaml(block) as unknown);
    expect(steps, 'workflow examples found').toBeGreaterThanOrEqual(3);
  });

  it('has a heading for every in-page link', () => {
    const slug = (heading: string): string =>
      heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-');
    const anchors = new Set(
      readme
        .replace(/```[\s\S]*?```/g, '')
        .split('\n')
        .filter((line) => /^#{1,6} /.test(line))
        .map((line) => slug(line.replace(/^#+ /, ''))),
    );
    const links = [...readme.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(anchors.has(link), `no heading for #${link}`).toBe(true);
  });

  it('documents every start-from form, the migration settings and the receiving side', () => {
    const startFrom = section(readme, 'Where the first run begins: `start-from`');
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
    const migration = section(readme, 'Migrating from the Auth0 extension');
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
    const receiving = section(readme, 'Receiving events');
    expect(receiving).toContain("from 'standardwebhooks'");
    expect(receiving).toContain('webhook-id');
    expect(readme).toContain('npm ci && npm run demo');
  });
});
