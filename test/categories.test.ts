import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { CATEGORIZED_TYPES, LOG_CATEGORIES, OTHER_CATEGORY } from '../src/choose/categories.js';
import { LOG_TYPES } from '../src/auth0/log-types.js';

// Auth0's "Log Stream Filters" page, copied into the repository as a fixture (test/fixtures/README.md).
const tsvUrl = new URL('./fixtures/auth0-log-stream-categories.tsv', import.meta.url);

function readTsv(): Array<{ category: string; dashboardName: string; code: string }> {
  const [header, ...body] = readFileSync(tsvUrl, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  expect(header?.split('\t')).toEqual(['category', 'dashboard_name', 'code']);
  return body.map((line) => {
    const [category = '', dashboardName = '', code = ''] = line.split('\t');
    return { category, dashboardName, code };
  });
}

describe('LOG_CATEGORIES', () => {
  it('equals the fixture: every category, its dashboard name and its codes', () => {
    const fromFixture = new Map<string, { dashboardName: string; codes: string[] }>();
    for (const row of readTsv()) {
      const entry = fromFixture.get(row.category) ?? { dashboardName: row.dashboardName, codes: [] };
      entry.codes.push(row.code);
      fromFixture.set(row.category, entry);
    }
    expect(fromFixture.size).toBeGreaterThan(10);
    const fromCode = new Map(
      [...LOG_CATEGORIES.values()]
        .filter((category) => category.name !== OTHER_CATEGORY)
        .map((category) => [
          category.name,
          { dashboardName: category.dashboardName, codes: [...category.codes].sort() },
        ]),
    );
    for (const entry of fromFixture.values()) entry.codes.sort();
    expect(fromCode).toEqual(fromFixture);
  });

  it("'other' is every known type that no category lists", () => {
    const other = LOG_CATEGORIES.get(OTHER_CATEGORY);
    expect(other).toBeDefined();
    const expected = [...LOG_TYPES.keys()].filter((code) => !CATEGORIZED_TYPES.has(code));
    expect(other?.codes).toEqual(expected);
    expect(other?.codes).toContain('acls_summary');
    expect(other?.codes).not.toContain('f');
    // Every known type is in exactly one category.
    const all = [...LOG_CATEGORIES.values()].flatMap((category) => category.codes);
    expect(new Set(all).size).toBe(all.length);
  });
});
