// Auth0 log_ids and the cursors made from times.
//
// An Auth0 log_id is a 56-digit decimal string that embeds its UTC time:
// `900` + `YYYYMMDDhhmmss` + 39 more digits. Ids of one tenant ascend with time, so a cursor made
// from a time (`900` + that time + 39 zeros) sorts just before every event of that second and later:
// `GET /api/v2/logs?from={cursor}` returns exactly the events from that second on.

export const LOG_ID_LENGTH = 56;
/** The all-zero cursor: every event the tenant still retains is newer. */
export const OLDEST_CURSOR = '0'.repeat(LOG_ID_LENGTH);

const TIME_CURSOR_PREFIX = '900';
const TIME_OFFSET = TIME_CURSOR_PREFIX.length;
const TIME_DIGITS = 14; // YYYYMMDDhhmmss
const TAIL_ZEROS = '0'.repeat(LOG_ID_LENGTH - TIME_OFFSET - TIME_DIGITS); // 39

const LOG_ID = /^\d{56}$/;

/** Exactly 56 ASCII digits. */
export function isLogId(s: string): boolean {
  return LOG_ID.test(s);
}

/**
 * The cursor for a time: `900` + UTC `YYYYMMDDhhmmss` + 39 zeros. Milliseconds are dropped (the
 * cursor is then at the start of that second, so no event of that second is skipped). Throws a
 * RangeError for an invalid date or a year outside 0–9999.
 */
export function cursorFromDate(d: Date): string {
  const t = d.getTime();
  if (Number.isNaN(t)) throw new RangeError('cursorFromDate: invalid date');
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`cursorFromDate: year ${year} is outside 0-9999`);
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    TIME_CURSOR_PREFIX +
    String(year).padStart(4, '0') +
    two(d.getUTCMonth() + 1) +
    two(d.getUTCDate()) +
    two(d.getUTCHours()) +
    two(d.getUTCMinutes()) +
    two(d.getUTCSeconds()) +
    TAIL_ZEROS
  );
}

/**
 * The UTC time (whole seconds) a log_id embeds in digits 4–17. `undefined` when `id` is not a
 * 56-digit id, is the all-zero cursor, or the embedded digits are not a real time (month 13,
 * February 30th, hour 24, second 60, ...). The leading digits are not checked to be `900`.
 */
export function dateFromLogId(id: string): Date | undefined {
  if (!isLogId(id) || id === OLDEST_CURSOR) return undefined;
  const digits = id.slice(TIME_OFFSET, TIME_OFFSET + TIME_DIGITS);
  const num = (from: number, length: number): number => Number(digits.slice(from, from + length));
  const [year, month, day, hour, minute, second] = [
    num(0, 4),
    num(4, 2),
    num(6, 2),
    num(8, 2),
    num(10, 2),
    num(12, 2),
  ] as [number, number, number, number, number, number];
  return utcDate(year, month, day, hour, minute, second);
}

/**
 * The UTC time of these calendar fields, or undefined when one is out of range (month 13,
 * February 30th, hour 24...): the date must round-trip field by field.
 */
export function utcDate(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): Date | undefined {
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const roundTrips =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return roundTrips ? date : undefined;
}

/**
 * Orders log_ids (and cursors): a shorter digit string first, then lexicographically, which for
 * same-length digit strings is numeric order. Returns -1, 0 or 1.
 */
export function compareLogIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
