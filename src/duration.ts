// Durations as users write them in inputs (`90s`, `10m`, `2h`, `7d`, bare seconds `30`) and as the
// log prints them (`250ms`, `2.1s`, `1m 30s`).

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const UNIT_MS: Readonly<Record<string, number>> = { s: SECOND, m: MINUTE, h: HOUR, d: DAY };

/**
 * One non-negative number (integer or decimal, `1.5h`) with an optional unit `s`, `m`, `h` or `d`
 * (lower-case only: `M` could be read as months); no unit means seconds. Whitespace around the
 * value and between number and unit is tolerated.
 */
const DURATION = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/;

/**
 * Parses a duration into whole milliseconds (rounded). `undefined` for anything else: empty text,
 * negative numbers, other units (`ms`, `w`), compound forms (`1h30m`), exponents, garbage, or a
 * value too large to represent exactly. `0s` parses to 0: callers that need a positive duration
 * check that themselves.
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = UNIT_MS[match[2] || 's'];
  if (unit === undefined || !Number.isFinite(amount)) return undefined;
  const ms = Math.round(amount * unit);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/**
 * Short human form for the log and the summary: `250ms`, `2.1s`, `45s`, `1m 30s`, `2m`, `1h 5m`,
 * `2d 3h`. Negative durations get a leading `-`; non-finite values print as given.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return `${ms}ms`;
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (Math.round(ms) < SECOND) return `${Math.round(ms)}ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)}s`;
  const seconds = Math.round(ms / SECOND);
  if (seconds < 3600) return pair(Math.floor(seconds / 60), 'm', seconds % 60, 's');
  if (seconds < 86400) return pair(Math.floor(seconds / 3600), 'h', Math.floor((seconds % 3600) / 60), 'm');
  return pair(Math.floor(seconds / 86400), 'd', Math.floor((seconds % 86400) / 3600), 'h');
}

function pair(big: number, bigUnit: string, small: number, smallUnit: string): string {
  return small === 0 ? `${big}${bigUnit}` : `${big}${bigUnit} ${small}${smallUnit}`;
}
