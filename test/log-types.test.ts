import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { LEVEL_NAMES, LOG_TYPES, describeLogType } from '../src/auth0/log-types.js';

// The team's type table, copied into the repository as a fixture (test/fixtures/README.md names its source).
const tsvUrl = new URL('./fixtures/auth0-log-types.tsv', import.meta.url);

interface TsvRow {
  code: string;
  description: string;
  level: string;
}

function readTsv(): TsvRow[] {
  const lines = readFileSync(tsvUrl, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const [header, ...body] = lines;
  expect(header?.split('\t')).toEqual(['code', 'description', 'category', 'level']);
  return body.map((line) => {
    const [code = '', description = '', , level = ''] = line.split('\t');
    return { code, description, level: level.trim() };
  });
}

const rows = readTsv();

describe('LOG_TYPES', () => {
  it('has every code of the TSV, and nothing else', () => {
    expect(rows.length).toBeGreaterThan(0);
    const missing = rows.map((r) => r.code).filter((code) => !LOG_TYPES.has(code));
    expect(missing).toEqual([]);
    expect(LOG_TYPES.size).toBe(new Set(rows.map((r) => r.code)).size);
  });

  it('keeps every level the TSV gives, unmarked', () => {
    const given = rows.filter((r) => r.level !== '');
    expect(given.length).toBeGreaterThan(0);
    for (const row of given) {
      const info = LOG_TYPES.get(row.code);
      expect({ code: row.code, level: info?.level, levelAssigned: info?.levelAssigned }).toEqual({
        code: row.code,
        level: Number(row.level),
        levelAssigned: false,
      });
    }
  });

  it('assigns a level 0-4 to every code the TSV leaves blank, marked as assigned', () => {
    const blank = rows.filter((r) => r.level === '');
    expect(blank.length).toBeGreaterThan(0);
    for (const row of blank) {
      const info = LOG_TYPES.get(row.code);
      expect(info?.levelAssigned, row.code).toBe(true);
      expect([0, 1, 2, 3, 4], row.code).toContain(info?.level);
    }
  });

  it('uses the TSV description up to the first colon', () => {
    for (const row of rows) {
      const expected = row.description.split(':')[0]?.trim();
      expect(LOG_TYPES.get(row.code)?.description, row.code).toBe(expected);
    }
  });
});

describe('describeLogType', () => {
  it.each([
    ['f', 'Failed Login'],
    ['cls', 'Code/Link Sent'],
    ['api_limit', 'Rate Limit on the Authentication or Management APIs'],
    ['no_such_code', 'Unknown type'],
    ['', 'Unknown type'],
  ])('%j -> %j', (code, expected) => {
    expect(describeLogType(code)).toBe(expected);
  });
});

describe('LEVEL_NAMES', () => {
  it('names levels 0-4', () => {
    expect(LEVEL_NAMES).toEqual(['debug', 'info', 'warning', 'error', 'critical']);
  });
});
