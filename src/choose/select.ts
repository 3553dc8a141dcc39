// Stage 1 of choosing: which Auth0 log events are forwarded by type (SPEC "Filtering", and
// "Choosing what is sent" for `log-categories`).
//
// - None of `log-types`, `log-categories`, `log-level`: every event except Management API
//   operations (sapi, fapi, mgmt_api_read), as the original extension did. Events without a type, or
//   with a type the table does not know, match in this mode.
// - Otherwise: the event's type is listed in `log-types`, OR it is in one of the `log-categories`
//   (src/choose/categories.ts), OR its level (src/auth0/log-types.ts) is at least `log-level`. A type
//   with no known level never matches by level; an event without a type never matches. A type code
//   the tables do not know is in category `other` (no category lists it).
//
// matches() runs once per event, so everything is resolved up front into one Set.

import { LEVEL_NAMES, LOG_TYPES } from '../auth0/log-types.js';
import { CATEGORIZED_TYPES, LOG_CATEGORIES, OTHER_CATEGORY } from './categories.js';

export interface SelectOptions {
  logTypes: string[];
  logLevel: number | undefined;
  /** Log Streams category names, already validated against LOG_CATEGORIES. */
  logCategories?: string[];
}

export interface Selection {
  matches(type: string | undefined): boolean;
  /** Codes in logTypes that the table does not know (deduplicated, in the order given). */
  readonly unknownCodes: string[];
  /** The selection in words, for the run log and the summary. */
  describe(): string;
}

/** Management API operations, excluded when no selection is configured. */
export const DEFAULT_EXCLUDED_TYPES: readonly string[] = ['sapi', 'fapi', 'mgmt_api_read'];

export function createSelection(options: SelectOptions): Selection {
  const { logTypes, logLevel } = options;
  const listed = [...new Set(logTypes)];
  const categories = [...new Set(options.logCategories ?? [])];
  const unknownCodes = listed.filter((code) => !LOG_TYPES.has(code));

  if (listed.length === 0 && categories.length === 0 && logLevel === undefined) {
    const excluded = new Set(DEFAULT_EXCLUDED_TYPES);
    const text = `every event except Management API operations (${DEFAULT_EXCLUDED_TYPES.join(', ')})`;
    return {
      matches: (type) => type === undefined || !excluded.has(type),
      unknownCodes,
      describe: () => text,
    };
  }

  // Every known type that matches: the listed ones, the categories' and those at or above the level.
  const matching = new Set(listed);
  for (const name of categories) {
    const category = LOG_CATEGORIES.get(name);
    if (!category) throw new Error(`Unknown log category '${name}' (the inputs validate them)`);
    for (const code of category.codes) matching.add(code);
  }
  if (logLevel !== undefined) {
    for (const [code, info] of LOG_TYPES) {
      if (info.level !== undefined && info.level >= logLevel) matching.add(code);
    }
  }
  // `other` also takes the codes newer than the tables: no category lists them either.
  const unlistedAreOther = categories.includes(OTHER_CATEGORY);

  const parts: string[] = [];
  if (listed.length > 0) parts.push(`${listed.length === 1 ? 'type' : 'types'} ${listed.join(', ')}`);
  if (categories.length > 0) {
    parts.push(`${categories.length === 1 ? 'category' : 'categories'} ${categories.join(', ')}`);
  }
  if (logLevel !== undefined) {
    const name = LEVEL_NAMES[logLevel];
    parts.push(`level >= ${logLevel}${name === undefined ? '' : ` (${name})`}`);
  }
  const text = parts.join(' or ');

  return {
    matches: (type) =>
      type !== undefined &&
      (matching.has(type) || (unlistedAreOther && !CATEGORIZED_TYPES.has(type) && !LOG_TYPES.has(type))),
    unknownCodes,
    describe: () => text,
  };
}
