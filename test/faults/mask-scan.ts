// The runner hides a value in the log only from the moment the step printed `::add-mask::value`:
// a secret printed before its mask command is visible to anyone who can read the log. This scan
// replays a run's stdout line by line the way the runner does and reports every secret that would
// still be readable.

export interface Leak {
  /** 1-based line of stdout. */
  line: number;
  /** The secret, shortened so the report does not repeat it. */
  secret: string;
  /** How the runner would print the line (masks applied), shortened around the secret. */
  shown: string;
}

/** Reverses the escaping of workflow command data and properties. */
function unescapeCommand(text: string): string {
  return text
    .replace(/%0D/gi, '\r')
    .replace(/%0A/gi, '\n')
    .replace(/%3A/gi, ':')
    .replace(/%2C/gi, ',')
    .replace(/%25/g, '%');
}

function redact(secret: string): string {
  return `${secret.slice(0, 3)}…(${secret.length} chars)`;
}

/**
 * Secrets (at least 4 characters) readable in `stdout` once the runner has applied the masks
 * registered so far. Stricter than the runner, which also masks some encodings of each value.
 */
export function findUnmaskedSecrets(stdout: string, secrets: readonly string[]): Leak[] {
  const masks: string[] = [];
  const leaks: Leak[] = [];
  const wanted = [...new Set(secrets.filter((s) => s.length >= 4))];
  for (const [index, raw] of stdout.split('\n').entries()) {
    const line = raw.replace(/\r$/, '');
    const mask = /^::add-mask::(.*)$/.exec(line);
    if (mask) {
      const value = unescapeCommand(mask[1] ?? '');
      // The runner masks each line of a multi-line value separately too.
      for (const part of [value, ...value.split(/\r?\n/)]) if (part.trim() !== '') masks.push(part);
      masks.sort((a, b) => b.length - a.length);
      continue;
    }
    let shown = line.startsWith('::') ? unescapeCommand(line) : line;
    for (const m of masks) shown = shown.split(m).join('***');
    for (const secret of wanted) {
      const at = shown.indexOf(secret);
      if (at === -1) continue;
      leaks.push({
        line: index + 1,
        secret: redact(secret),
        shown: shown
          .slice(Math.max(0, at - 40), at)
          .concat('<SECRET>', shown.slice(at + secret.length, at + secret.length + 40)),
      });
    }
  }
  return leaks;
}
