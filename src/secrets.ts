import type { Settings } from './settings.js';

/** Shorter values are not treated as secrets: masking "prod" or "on" would blank out the whole log. */
const MIN_SECRET_LENGTH = 4;

/**
 * Every secret value the settings carry, in every form it may show up in text: the runner masks
 * them in the log, and the receiver's answers are redacted of them before they are quoted.
 */
export function secretValues(
  settings: Pick<Settings, 'webhookAuthorization' | 'webhookSecrets' | 'webhookHeaders' | 'webhookUrl'> &
    Partial<Pick<Settings, 'clientSecret' | 'githubToken' | 'piiHashKey'>>,
): string[] {
  // The hash key: whoever has it can hash a list of guesses and find the people behind the hashes.
  const values = [settings.clientSecret ?? '', settings.githubToken ?? '', settings.piiHashKey ?? ''];
  if (settings.webhookAuthorization) {
    values.push(settings.webhookAuthorization);
    // The credential alone, without its scheme ("Bearer", "Basic"): a receiver may quote just that.
    const credential = /^\S+\s+(.+)$/.exec(settings.webhookAuthorization)?.[1];
    if (credential) values.push(credential.trim());
  }
  for (const secret of settings.webhookSecrets) values.push(secret.toString('base64'));
  // Custom headers often carry API keys.
  for (const [, value] of settings.webhookHeaders) values.push(value);
  const url = settings.webhookUrl;
  const username = decoded(url.username);
  const password = decoded(url.password);
  values.push(url.username, url.password, username, password);
  if (username || password) values.push(Buffer.from(`${username}:${password}`).toString('base64'));
  if (url.search.length > 1) values.push(url.search.slice(1), ...url.searchParams.values());
  // Chat webhooks (Slack, Discord, Teams) keep their secret in the path: the whole path, and each
  // segment that looks like a token rather than a word, for a receiver that quotes just that.
  // (Not a one-segment path without its slash: masking `hook` would blank `webhooks` out of the log.)
  if (url.pathname !== '/') {
    const path = url.pathname.slice(1);
    values.push(url.pathname, decoded(url.pathname));
    if (path.includes('/')) values.push(path, decoded(path));
    for (const segment of path.split('/'))
      if (looksLikeToken(segment)) values.push(segment, decoded(segment));
  }
  // Longest first, so that redacting a value never leaves the tail of a longer one behind.
  return [...new Set(values.filter((value) => value.length >= MIN_SECRET_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
}

/** `abc%2Fd` → `abc/d`; a malformed escape leaves the text as it is. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A path segment worth masking on its own: long enough, and not a plain word like `services`,
 * `webhooks` or `incoming-webhook` (masking those would blank ordinary words out of the log).
 */
function looksLikeToken(segment: string): boolean {
  return segment.length >= 8 && !/^[a-z]+(?:[-_.][a-z]+)*$/.test(segment);
}

/**
 * A URL as the log and summary may show it: its origin, and `/…` when it has a path, query or
 * fragment (`https://hooks.slack.com/…`). Credentials, path and query may all be secret.
 */
export function urlForLog(url: URL): string {
  if (url.origin === 'null') return `a ${url.protocol} address`;
  const rest = url.pathname !== '/' || url.search !== '' || url.hash !== '';
  return rest ? `${url.origin}/…` : url.origin;
}

/** Replaces every secret in `text` (e.g. a receiver's answer that echoes a header) with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (result.includes(secret)) result = result.split(secret).join('***');
  return result;
}
