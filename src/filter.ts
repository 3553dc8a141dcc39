// Which Auth0 log events are forwarded (SPEC "Filtering").
//
// - Neither `log-types` nor `log-level`: every event except Management API operations
//   (sapi, fapi, mgmt_api_read), as the original extension did. Events without a type, or with a
//   type the table does not know, match in this mode.
// - Otherwise: the event's type is listed in `log-types` OR its level (src/auth0/log-types.ts) is at
//   least `log-level`. A type with no known level never matches by level; an event without a type
//   never matches.
//
// matches() runs once per event, so everything is resolved up front into one Set.

import { LEVEL_NAMES, LOG_TYPES } from './auth0/log-types.js';

export interface FilterOptions {
  logTypes: string[];
  logLevel: number | undefined;
}

export interface EventFilter {
  matches(type: string | undefined): boolean;
  /** Codes in logTypes that the table does not know (deduplicated, in the order given). */
  readonly unknownCodes: string[];
  /** The filter in words, for the run log. */
  describe(): string;
}

/** Management API operations, excluded when no filter is configured. */
export const DEFAULT_EXCLUDED_TYPES: readonly string[] = ['sapi', 'fapi', 'mgmt_api_read'];

export function createFilter(options: FilterOptions): EventFilter {
  const { logTypes, logLevel } = options;
  const listed = [...new Set(logTypes)];
  const unknownCodes = listed.filter((code) => !LOG_TYPES.has(code));

  if (listed.length === 0 && logLevel === undefined) {
    const excluded = new Set(DEFAULT_EXCLUDED_TYPES);
    const text = `every event except Management API operations (${DEFAULT_EXCLUDED_TYPES.join(', ')})`;
    return {
      matches: (type) => type === undefined || !excluded.has(type),
      unknownCodes,
      describe: () => text,
    };
  }

  // Every type that matches: the listed ones plus every known type at or above the level.
  const matching = new Set(listed);
  if (logLevel !== undefined) {
    for (const [code, info] of LOG_TYPES) {
      if (info.level !== undefined && info.level >= logLevel) matching.add(code);
    }
  }

  const parts: string[] = [];
  if (listed.length > 0) parts.push(`${listed.length === 1 ? 'type' : 'types'} ${listed.join(', ')}`);
  if (logLevel !== undefined) {
    const name = LEVEL_NAMES[logLevel];
    parts.push(`level >= ${logLevel}${name === undefined ? '' : ` (${name})`}`);
  }
  const text = parts.join(' or ');

  return {
    matches: (type) => type !== undefined && matching.has(type),
    unknownCodes,
    describe: () => text,
  };
}
