// start-from, checkpoint-store, checkpoint-name, github-token: where reading begins and where the
// position is kept between runs.

import { cursorFromDate, dateFromLogId, LOG_ID_LENGTH, OLDEST_CURSOR, utcDate } from '../cursor.js';
import { parseDuration } from '../duration.js';
import { InputError, type CheckpointStoreKind, type Settings } from '../settings.js';
import { checkNoControlCharacters, fail, oneOf, quote, type Inputs } from './read.js';

export type CheckpointSettings = Pick<
  Settings,
  'startCursor' | 'startFromLabel' | 'checkpointStore' | 'checkpointName' | 'githubToken'
>;

/** Cache keys are at most 512 characters (@actions/cache). */
export const MAX_CACHE_KEY_LENGTH = 512;
/**
 * Room kept for what the cache store appends to the prefix: `{run_id}-{run_attempt}` and, for a
 * second save in one run, `-{n}` (e.g. `12345678901-3-2`; run ids may grow to 20 digits).
 */
export const CACHE_KEY_SUFFIX_RESERVE = 40;
/**
 * A `log_id` given as `start-from` may embed a time this far after the runner's clock (the id came
 * from Auth0's clock); beyond it, it is an error like any future time.
 */
const LOG_ID_CLOCK_SKEW_MS = 5 * 60_000;

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

/** `auth0Domain` names the default checkpoint; `now` is the time `start-from` counts back from. */
export function getCheckpointSettings(inputs: Inputs, auth0Domain: string, now: Date): CheckpointSettings {
  const startFromLabel = inputs.value('start-from');
  const startCursor = parseStartFrom(startFromLabel, now);

  const checkpointStore = oneOf('checkpoint-store', inputs.value('checkpoint-store'), [
    'cache',
    'variable',
  ] as const) satisfies CheckpointStoreKind;
  const checkpointName = parseCheckpointName(inputs.value('checkpoint-name'), checkpointStore, auth0Domain);

  const githubToken = inputs.value('github-token');
  if (githubToken === '' && checkpointStore === 'variable') {
    fail(
      'github-token',
      'is empty, but checkpoint-store \'variable\' reads and writes a repository variable with it; pass a fine-grained personal access token or GitHub App token with "Variables: read and write" (GITHUB_TOKEN cannot write variables)',
    );
  }
  if (githubToken !== '' && !/^[\x21-\x7e]+$/.test(githubToken)) {
    fail('github-token', 'contains whitespace, control or non-ASCII characters, which no GitHub token has');
  }
  return { startCursor, startFromLabel, checkpointStore, checkpointName, githubToken };
}

// ---------------------------------------------------------------------------------------------
// start-from

/** `oldest`, `now`, a 56-digit log_id, an ISO-8601 time or date, or a duration back from `now`. */
function parseStartFrom(value: string, now: Date): string {
  const name = 'start-from';
  const lower = value.toLowerCase();
  if (lower === 'oldest') return OLDEST_CURSOR;
  if (lower === 'now') return cursorFromDate(now);

  if (/^\d+$/.test(value) && value.length >= 12) {
    if (value.length !== LOG_ID_LENGTH) {
      fail(name, `${quote(value)} has ${value.length} digits; a log_id has ${LOG_ID_LENGTH}`);
    }
    const embedded = dateFromLogId(value);
    if (embedded && embedded.getTime() > now.getTime() + LOG_ID_CLOCK_SKEW_MS) {
      fail(name, `the log_id ${quote(value)} is from ${embedded.toISOString()}, in the future`);
    }
    return value;
  }

  const iso = ISO_TIME.exec(value);
  if (iso) {
    const time = parseIsoTime(iso);
    if (time === undefined) fail(name, `${quote(value)} is not a real date and time`);
    if (time.getTime() > now.getTime()) {
      fail(name, `${quote(value)} is in the future (now is ${now.toISOString()})`);
    }
    return cursorFor(value, time);
  }

  const back = parseDuration(value);
  if (back !== undefined) return cursorFor(value, new Date(now.getTime() - back));

  fail(
    name,
    `${quote(value)} is not 'oldest', 'now', an ISO-8601 time, a duration like 30m, 24h or 7d, or a 56-digit log_id`,
  );
}

function cursorFor(value: string, time: Date): string {
  if (Number.isNaN(time.getTime()) || time.getTime() < 0) {
    fail(
      'start-from',
      `${quote(value)} is before 1970; use 'oldest' for everything the tenant still retains`,
    );
  }
  return cursorFromDate(time);
}

/** The groups of ISO_TIME to a Date; undefined when a field is out of range. No zone means UTC. */
function parseIsoTime(match: RegExpExecArray): Date | undefined {
  const [, y, mo, d, h = '0', mi = '0', s = '0', z, sign, oh = '0', om = '0'] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = utcDate(year, month, day, hour, minute, second);
  if (!date) return undefined;
  if (z !== undefined || sign === undefined) return date;
  const offsetHours = Number(oh);
  const offsetMinutes = Number(om);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offsetMs = (offsetHours * 60 + offsetMinutes) * 60_000;
  return new Date(date.getTime() - (sign === '-' ? -offsetMs : offsetMs));
}

// ---------------------------------------------------------------------------------------------
// checkpoint-name

function parseCheckpointName(value: string, store: CheckpointStoreKind, auth0Domain: string): string {
  const name = 'checkpoint-name';
  if (store === 'variable') {
    if (value === '') return `AUTH0_LOG_CHECKPOINT_${auth0Domain.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    if (!VARIABLE_NAME.test(value)) {
      throw new InputError(
        name,
        `${quote(value)} is not a valid variable name for checkpoint-store 'variable' (letters, digits and _, not starting with a digit)`,
        'AUTH0_LOG_CHECKPOINT_PROD',
      );
    }
    if (/^github_/i.test(value)) {
      throw new InputError(
        name,
        `${quote(value)} starts with GITHUB_, which GitHub reserves`,
        'AUTH0_LOG_CHECKPOINT_PROD',
      );
    }
    return value;
  }

  if (value === '') return `auth0-log-webhooks-${auth0Domain}-`;
  checkNoControlCharacters(name, value);
  if (value.includes(',')) fail(name, `${quote(value)} contains a comma, which cache keys cannot contain`);
  // A given cache name is used as given, plus a '-' separator unless it already ends with one, so
  // the run id appended by the store stays readable (`prod-12345-1`) and the restore-key prefix
  // `prod-` does not also match another stream's `production-...` keys.
  const prefix = value.endsWith('-') ? value : `${value}-`;
  const maxLength = MAX_CACHE_KEY_LENGTH - CACHE_KEY_SUFFIX_RESERVE;
  if (prefix.length > maxLength) {
    fail(
      name,
      `is ${value.length} characters long; with the run id the store appends, a cache key must stay within ${MAX_CACHE_KEY_LENGTH} characters, so at most ${maxLength - 1} are allowed`,
    );
  }
  return prefix;
}
