// Auth0's "Retrieve logs by checkpoint" pages by link: only the first request is made by hand
// (`from` + `take`), every later one with the `Link: <…>; rel="next"` URL of the answer before it
// (an empty page links to the same URL again). The bearer token goes with that request, so a next
// URL is used only on the tenant's own origin and path, and only when it continues where the page
// ended; anything else is ignored and the reader pages by `from`/`take` itself.

export const LOGS_PATH = '/api/v2/logs';

/** What to make of an answer's Link header. */
export type NextLink = { kind: 'use'; path: string } | { kind: 'none' } | { kind: 'ignored'; why: string };

/**
 * The `rel="next"` target of a Link header (RFC 8288: `<uri>; param; rel="a b", <uri2>; …`),
 * resolved against `base` (the request URL). Undefined when there is none.
 */
export function nextTarget(header: string | string[] | undefined, base: string): URL | undefined {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  for (const value of values) {
    for (const link of value.split(/,(?=\s*<)/)) {
      const match = /^\s*<([^>]*)>(.*)$/s.exec(link);
      if (!match) continue;
      const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(match[2] ?? '');
      const relations = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
      if (!relations.includes('next')) continue;
      try {
        return new URL(match[1] ?? '', base);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Decides whether the next request follows the Link: same origin as the tenant, path /api/v2/logs,
 * and a checkpoint read (exactly one `from`, where this page ended), so that following it can
 * neither send the token elsewhere nor skip events.
 */
export function followNext(
  header: string | string[] | undefined,
  requestUrl: string,
  origin: string,
  endedAt: string,
): NextLink {
  const target = nextTarget(header, requestUrl);
  if (!target) return { kind: 'none' };
  if (target.origin !== new URL(origin).origin) {
    return { kind: 'ignored', why: `it points to another origin (${target.origin})` };
  }
  if (target.pathname !== LOGS_PATH) {
    return { kind: 'ignored', why: `it points to another path (${target.pathname})` };
  }
  const problem = checkpointParameters(target.searchParams, endedAt);
  if (problem) return { kind: 'ignored', why: problem };
  return { kind: 'use', path: `${target.pathname}${target.search}` };
}

/** Parameters that turn a logs read into a search (another slice of the log, or fewer fields). */
const SEARCH_PARAMETERS = new Set([
  'q',
  'page',
  'per_page',
  'sort',
  'fields',
  'include_fields',
  'include_totals',
  'search_engine',
]);

/**
 * Why the query is not a checkpoint read that continues at `endedAt` (undefined when it is). Without
 * its one `from`, Auth0 would answer another slice of the log, which page validation cannot tell
 * from the next one: events would be skipped silently.
 */
function checkpointParameters(params: URLSearchParams, endedAt: string): string | undefined {
  for (const key of new Set(params.keys())) {
    const lower = key.toLowerCase();
    if (SEARCH_PARAMETERS.has(lower)) return `it is a search, not a checkpoint read (${key})`;
    if ((lower === 'from' || lower === 'take') && key !== lower) return `it spells ${lower} as ${key}`;
  }
  const from = params.getAll('from');
  if (from.length !== 1) return from.length === 0 ? 'it has no from' : 'it has several from values';
  if (from[0] !== endedAt) return `its from (${from[0]}) is not where the page ended (${endedAt})`;
  const take = params.getAll('take');
  if (take.length > 1 || (take.length === 1 && !/^(?:[1-9]\d?|100)$/.test(take[0] ?? '')))
    return 'its take is not one number from 1 to 100';
  return undefined;
}
