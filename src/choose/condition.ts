// Stage 2 of choosing: the `filter` input, a JSONata condition evaluated on each selected event as
// Auth0 returned it (before obfuscation). The event goes on when the result is truthy by JSONata's
// `$boolean`. It fails open: when the expression throws for an event, the event goes on (a broken
// condition must never hide a security event) and the verdict carries the error for a warning.
//
// Verdicts are remembered: when the expression's result depends only on a few fields (see
// fieldsReadBy in src/expression.ts) and those fields hold the same values as in an event already
// judged, the verdict is that event's, given at once (no JSONata evaluation, no promise). Streams
// repeat their types, clients and connections, so most events of a typical condition are answered
// this way. Failures are never remembered: each one is evaluated and warned about on its own.

import type { LogEvent } from '../auth0/log-event.js';
import type { CompiledExpression, FieldPath } from '../expression.js';

export type ConditionVerdict =
  | { readonly kind: 'kept' }
  | { readonly kind: 'removed' }
  /** The expression threw: the event is kept, and `error` says why (short, no event data). */
  | { readonly kind: 'failed-open'; readonly error: string };

/** Rewrites a message that may quote `event`'s values (the obfuscator's scrub). */
export type Redact = (message: string, event: LogEvent) => string;

export interface Condition {
  /** The expression as written, for the log and the summary. */
  readonly source: string;
  /**
   * The verdict: at once when it is remembered, else after JSONata's (asynchronous) evaluation.
   * `redact` rewrites an error message that may quote the event (see CompiledExpression.evaluate).
   */
  test(event: LogEvent, redact?: Redact): ConditionVerdict | Promise<ConditionVerdict>;
}

const KEPT: ConditionVerdict = { kind: 'kept' };
const REMOVED: ConditionVerdict = { kind: 'removed' };

/** Verdicts remembered at most (then forgotten all at once); longest remembered key, in characters. */
const MEMO_SIZE = 4_096;
const MEMO_KEY_MAX = 1_024;

export function createCondition(expression: CompiledExpression): Condition {
  const judge = (verdict: unknown): ConditionVerdict => (isTruthy(verdict) ? KEPT : REMOVED);
  const failOpen = (error: unknown): ConditionVerdict => ({
    kind: 'failed-open',
    error: error instanceof Error ? error.message : String(error),
  });
  const evaluate = (event: LogEvent, redact?: Redact): Promise<ConditionVerdict> =>
    expression.evaluate(event, redact && ((message) => redact(message, event))).then(judge, failOpen);

  const fields = expression.fieldsRead;
  if (fields === undefined) return { source: expression.source, test: evaluate };

  const verdicts = new Map<string, ConditionVerdict>();
  return {
    source: expression.source,
    test(event, redact) {
      const key = valuesKey(event, fields);
      if (key === undefined) return evaluate(event, redact);
      const known = verdicts.get(key);
      if (known !== undefined) return known;
      return evaluate(event, redact).then((verdict) => {
        if (verdict.kind !== 'failed-open') {
          if (verdicts.size >= MEMO_SIZE) verdicts.clear();
          verdicts.set(key, verdict);
        }
        return verdict;
      });
    },
  };
}

/**
 * The values at `paths` as one string, equal for two events exactly when JSONata sees the same values
 * there. Undefined (not remembered) when a path crosses an array (JSONata maps over it), ends on an
 * object or array, or the values are long: cheap to build, whatever the event. A step into anything
 * but an object's own property finds nothing, as JSONata's does.
 */
export function valuesKey(event: unknown, paths: readonly FieldPath[]): string | undefined {
  let key = '';
  for (const path of paths) {
    let value: unknown = event;
    for (const name of path) {
      if (Array.isArray(value)) return undefined;
      value =
        value !== null && typeof value === 'object' && Object.hasOwn(value, name)
          ? (value as Record<string, unknown>)[name]
          : undefined;
    }
    switch (typeof value) {
      case 'undefined':
        key += '~'; // never JSON's output: "nothing there"
        break;
      case 'string':
        if (value.length > MEMO_KEY_MAX) return undefined;
        key += JSON.stringify(value);
        break;
      case 'number':
        // String(-0) is "0", but JSONata tells them apart (1 / -0 < 0).
        key += Object.is(value, -0) ? '-0' : String(value);
        break;
      case 'boolean':
        key += String(value);
        break;
      default:
        if (value !== null) return undefined;
        key += 'null';
    }
    key += '\u0000';
    if (key.length > MEMO_KEY_MAX) return undefined;
  }
  return key;
}

/**
 * JSONata's `$boolean` (its documented casting rules), without a second evaluation per event: no
 * result, null, false, 0, '' and empty arrays/objects are false, as are functions; an array is true
 * when any member is. test/condition.test.ts compares it with JSONata's own `$boolean`.
 */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(isTruthy);
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'string':
      return value.length > 0;
    case 'number':
      return Number.isFinite(value) && value !== 0;
    case 'object':
      return value !== null && Object.keys(value).length > 0;
    default:
      return false;
  }
}
