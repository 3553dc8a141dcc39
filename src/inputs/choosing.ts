// log-types, log-level: which events are forwarded.

import type { Settings } from '../settings.js';
import { fail, quote, type Inputs } from './read.js';

export type ChoosingSettings = Pick<Settings, 'logTypes' | 'logLevel'>;

const LOG_TYPE_CODE = /^[a-z0-9_]+$/i;

export function getChoosingSettings(inputs: Inputs): ChoosingSettings {
  return {
    logTypes: parseLogTypes(inputs.value('log-types')),
    logLevel: parseLogLevel(inputs.value('log-level')),
  };
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
