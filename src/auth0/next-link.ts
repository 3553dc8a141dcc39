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
 * and its `from` (when it has one) where this page ended, so that following it can neither send the
 * token elsewhere nor skip events.
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
  const from = target.searchParams.get('from');
  if (from !== null && from !== endedAt) {
    return { kind: 'ignored', why: `its from (${from}) is not where the page ended (${endedAt})` };
  }
  return { kind: 'use', path: `${target.pathname}${target.search}` };
}
