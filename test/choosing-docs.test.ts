// docs/choosing.md agrees with the code: its category table is the code's table, and every condition
// example compiles and sends exactly the sample events it says.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOG_CATEGORIES, OTHER_CATEGORY } from '../src/choose/categories.js';
import { createCondition } from '../src/choose/condition.js';
import { compileExpression } from '../src/expression.js';

const doc = readFileSync(new URL('../docs/choosing.md', import.meta.url), 'utf8');

/** The rows of the table between the markers, as trimmed cells (Prettier pads them). */
function region(name: string): string[][] {
  const start = doc.indexOf(`<!-- ${name}:start -->`);
  const end = doc.indexOf(`<!-- ${name}:end -->`);
  expect(start, `marker ${name}:start`).toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  return doc
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-{3}/.test(line))
    .slice(1)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

describe('docs/choosing.md', () => {
  it('lists every category with its dashboard name and codes, as the code has them', () => {
    const expected = [...LOG_CATEGORIES.values()].map((category) => [
      `\`${category.name}\``,
      category.dashboardName,
      category.name === OTHER_CATEGORY
        ? 'every type no category lists'
        : category.codes.map((code) => `\`${code}\``).join(', '),
    ]);
    expect(region('categories')).toEqual(expected);
  });

  // Sample events and, per example, the ones it sends. A new example needs its line here.
  const SAMPLES: Record<string, Record<string, unknown>> = {
    prodLogin: {
      type: 's',
      client_name: 'Production',
      client_id: 'Pr0d',
      connection: 'google-oauth2',
      ip: '203.0.113.5',
      user_name: 'ann@example.com',
    },
    healthCheck: {
      type: 's',
      client_name: 'Health check',
      client_id: 'hEaLtHcHeCk0123456789abcdefABCDEF',
      ip: '198.51.100.10',
    },
    dbFailure: {
      type: 'fp',
      client_name: 'Staging',
      client_id: 'St4g',
      connection: 'Username-Password-Authentication',
      ip: '198.51.100.11',
      user_name: 'bob@other.example',
      details: { error: { message: 'Wrong email or password.' } },
    },
    socialFailure: {
      type: 'f',
      client_name: 'Production',
      client_id: 'Pr0d',
      connection: 'github',
      ip: '192.0.2.9',
    },
  };
  const SENDS: Record<string, string[]> = {
    "client_name = 'Production'": ['prodLogin', 'socialFailure'],
    "client_id != 'hEaLtHcHeCk0123456789abcdefABCDEF'": ['prodLogin', 'dbFailure', 'socialFailure'],
    "type in ['f', 'fp', 'fu'] and connection = 'Username-Password-Authentication'": ['dbFailure'],
    "$not(ip in ['198.51.100.10', '198.51.100.11'])": ['prodLogin', 'socialFailure'],
    '$contains(user_name, /@example\\.com$/)': ['prodLogin'],
    '$exists(details.error)': ['dbFailure'],
  };

  const examples = region('condition-examples').map(([cell = '']) => {
    expect(cell, cell).toMatch(/^`.+`$/);
    return cell.slice(1, -1);
  });

  it('has the examples this test knows', () => {
    expect(examples).toEqual(Object.keys(SENDS));
  });

  it.each(Object.entries(SENDS))('%s sends what the docs say', async (text, sends) => {
    const condition = createCondition(compileExpression('filter', text, 'x'));
    const sent: string[] = [];
    for (const [name, event] of Object.entries(SAMPLES)) {
      const verdict = await condition.test(event);
      expect(verdict.kind, `${name}: ${JSON.stringify(verdict)}`).not.toBe('failed-open');
      if (verdict.kind === 'kept') sent.push(name);
    }
    expect(sent).toEqual(sends);
  });
});
