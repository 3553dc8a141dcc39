// log-types, log-level, log-categories, filter, pii-fields, pii-method, pii-hash-key: which events
// are forwarded, and what of them (SPEC "Filtering" and "Choosing what is sent").

import { LOG_CATEGORIES } from '../choose/categories.js';
import { PII_CLASSES, PII_METHODS, type PiiClass } from '../choose/obfuscate.js';
import { compileExpression } from '../expression.js';
import type { Settings } from '../settings.js';
import { checkNoControlCharacters, fail, oneOf, quote, type Inputs } from './read.js';

export type ChoosingSettings = Pick<
  Settings,
  'logTypes' | 'logLevel' | 'logCategories' | 'filter' | 'piiFields' | 'piiMethod' | 'piiHashKey'
>;

const LOG_TYPE_CODE = /^[a-z0-9_]+$/i;
/** Shortest `pii-hash-key`: a short key makes a keyed hash guessable again. */
export const MIN_HASH_KEY_LENGTH = 16;

export function getChoosingSettings(inputs: Inputs): ChoosingSettings {
  const logTypes = parseLogTypes(inputs.value('log-types'));
  const logLevel = parseLogLevel(inputs.value('log-level'));
  const logCategories = parseLogCategories(inputs.value('log-categories'));
  const filterText = inputs.value('filter');
  const filter =
    filterText === ''
      ? undefined
      : compileExpression('filter', filterText, "client_name = 'Production' and type in ['f', 'fp']");
  const piiFields = parsePiiFields(inputs.value('pii-fields'));
  const piiMethod = oneOf('pii-method', inputs.value('pii-method'), PII_METHODS);
  const piiHashKey = inputs.value('pii-hash-key');
  if (piiMethod === 'hash' && piiFields.length > 0) {
    if (piiHashKey === '') fail('pii-hash-key', "is required with pii-method 'hash' but empty");
    checkNoControlCharacters('pii-hash-key', piiHashKey);
    if (piiHashKey.length < MIN_HASH_KEY_LENGTH) {
      fail('pii-hash-key', `is shorter than ${MIN_HASH_KEY_LENGTH} characters: too easy to guess`);
    }
  }
  return { logTypes, logLevel, logCategories, filter, piiFields, piiMethod, piiHashKey };
}

/** Codes separated by commas (whitespace and line breaks also separate), lower-cased, deduplicated. */
function parseLogTypes(value: string): string[] {
  const codes: string[] = [];
  for (const part of value.split(/[\s,]+/)) {
    if (part === '') continue;
    if (!LOG_TYPE_CODE.test(part)) {
      fail(
        'log-types',
        `${quote(part)} is not a log type code (letters, digits and _ only, comma-separated)`,
      );
    }
    const code = part.toLowerCase();
    if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}

/** 0–4, or undefined when empty. */
function parseLogLevel(value: string): number | undefined {
  if (value === '') return undefined;
  if (!/^[0-4]$/.test(value)) {
    fail(
      'log-level',
      `${quote(value)} is not a level from 0 to 4 (0 debug, 1 info, 2 warning, 3 error, 4 critical)`,
    );
  }
  return Number(value);
}

/**
 * Log Streams category names, as a Log Stream's filter list has them: separated by commas or white
 * space, lower-cased, deduplicated. A name not in the table is an error listing the valid ones.
 */
function parseLogCategories(value: string): string[] {
  return list(value).map((name) => {
    if (!LOG_CATEGORIES.has(name)) {
      fail(
        'log-categories',
        `${quote(name)} is not an Auth0 Log Streams category; the categories are ${[...LOG_CATEGORIES.keys()].join(', ')}`,
      );
    }
    return name;
  });
}

function parsePiiFields(value: string): PiiClass[] {
  return list(value).map((name) => {
    const found = PII_CLASSES.find((cls) => cls === name);
    if (found === undefined) {
      fail(
        'pii-fields',
        `${quote(name)} is not a personal data class; the classes are ${PII_CLASSES.join(', ')}`,
      );
    }
    return found;
  });
}

/** Items separated by commas or white space, lower-cased, deduplicated. */
function list(value: string): string[] {
  return [
    ...new Set(
      value
        .split(/[\s,]+/)
        .filter((part) => part !== '')
        .map((part) => part.toLowerCase()),
    ),
  ];
}
