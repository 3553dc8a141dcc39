// Stage 2 of choosing: the `filter` input, a JSONata condition evaluated on each selected event as
// Auth0 returned it (before obfuscation). The event goes on when the result is truthy by JSONata's
// `$boolean`. It fails open: when the expression throws for an event, the event goes on (a broken
// condition must never hide a security event) and the verdict carries the error for a warning.

import type { LogEvent } from '../auth0/log-event.js';
import type { CompiledExpression } from '../expression.js';

export type ConditionVerdict =
  | { readonly kind: 'kept' }
  | { readonly kind: 'removed' }
  /** The expression threw: the event is kept, and `error` says why (short, no event data). */
  | { readonly kind: 'failed-open'; readonly error: string };

export interface Condition {
  /** The expression as written, for the log and the summary. */
  readonly source: string;
  test(event: LogEvent): Promise<ConditionVerdict>;
}

const KEPT: ConditionVerdict = { kind: 'kept' };
const REMOVED: ConditionVerdict = { kind: 'removed' };

export function createCondition(expression: CompiledExpression): Condition {
  return {
    source: expression.source,
    async test(event) {
      try {
        return isTruthy(await expression.evaluate(event)) ? KEPT : REMOVED;
      } catch (error) {
        return { kind: 'failed-open', error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
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
