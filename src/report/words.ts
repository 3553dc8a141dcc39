// Numbers, times and checkpoints in words, the same in the log and the summary.

import { dateFromLogId, OLDEST_CURSOR } from '../cursor.js';
import { formatDuration } from '../duration.js';

/**
 * `1,234`. Not toLocaleString: formatting through ICU maps ~8 MB of Node's ICU data into the
 * process at the end of every run (measured), for a thousands separator.
 */
export function count(n: number): string {
  const [whole = '', fraction] = String(n).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** `once`, `twice`, `3 times` */
export function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${count(n)} times`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** `90020261101001227… (2026-11-01 00:12:27 UTC)` — for the log. */
export function describeCheckpoint(id: string, now?: number): string {
  const time = dateFromLogId(id);
  if (!time) return `${id} (${id === OLDEST_CURSOR ? 'the oldest retained log' : 'embeds no time'})`;
  const behind = now === undefined ? '' : `, ${behindNow(time, now)}`;
  return `${id} (${utc(time)}${behind})`;
}

/** `2026-11-01 00:12:27 UTC` */
export function utc(time: Date): string {
  return time
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
}

/** `3h 12m behind now` (never negative: a clock a little behind Auth0's reads as 0s). */
function behindNow(time: Date, now: number): string {
  return `${formatDuration(Math.max(0, now - time.getTime()))} behind now`;
}
