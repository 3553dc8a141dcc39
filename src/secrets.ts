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
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  values.push(username, password);
  if (username || password) values.push(Buffer.from(`${username}:${password}`).toString('base64'));
  if (url.search.length > 1) values.push(url.search.slice(1), ...url.searchParams.values());
  // Longest first, so that redacting a value never leaves the tail of a longer one behind.
  return [...new Set(values.filter((value) => value.length >= MIN_SECRET_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
}

/** Replaces every secret in `text` (e.g. a receiver's answer that echoes a header) with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (result.includes(secret)) result = result.split(secret).join('***');
  return result;
}
