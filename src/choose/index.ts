// Choosing what is sent, per event, in one visible order (SPEC "Choosing what is sent"):
//
//   select (types, categories, level) → condition (`filter`) → obfuscate (`pii-fields`)
//
// then the pipeline hands the chosen event to the deliverer, which shapes and sends it. The
// condition sees the event as Auth0 returned it; everything after it sees only the obfuscated copy.
// Without a condition the choice is synchronous: no promise per event.

import type { LogEvent } from '../auth0/log-event.js';
import type { Condition } from './condition.js';
import type { Obfuscator } from './obfuscate.js';
import type { Selection } from './select.js';

export type Choice =
  /** Not selected by type, category or level. */
  | { readonly kind: 'unselected' }
  /** Selected, but the condition was false for it. */
  | { readonly kind: 'removed' }
  /** To be sent: `event` is the obfuscated copy; `conditionError` when the condition failed open. */
  | { readonly kind: 'chosen'; readonly event: LogEvent; readonly conditionError?: string };

export interface Chooser {
  choose(event: LogEvent): Choice | Promise<Choice>;
  readonly selection: Selection;
  readonly condition: Condition | undefined;
  readonly obfuscator: Obfuscator | undefined;
}

export interface ChooserStages {
  selection: Selection;
  condition?: Condition | undefined;
  obfuscator?: Obfuscator | undefined;
}

const UNSELECTED: Choice = { kind: 'unselected' };
const REMOVED: Choice = { kind: 'removed' };

export function createChooser(stages: ChooserStages): Chooser {
  const { selection, condition, obfuscator } = stages;
  const obfuscate = obfuscator ? (event: LogEvent) => obfuscator.event(event) : (event: LogEvent) => event;
  const selected = (event: LogEvent): boolean =>
    selection.matches(typeof event.type === 'string' ? event.type : undefined);

  const choose = condition
    ? async (event: LogEvent): Promise<Choice> => {
        if (!selected(event)) return UNSELECTED;
        const verdict = await condition.test(event);
        if (verdict.kind === 'removed') return REMOVED;
        const chosen = obfuscate(event);
        return verdict.kind === 'failed-open'
          ? { kind: 'chosen', event: chosen, conditionError: verdict.error }
          : { kind: 'chosen', event: chosen };
      }
    : (event: LogEvent): Choice =>
        selected(event) ? { kind: 'chosen', event: obfuscate(event) } : UNSELECTED;

  return { choose, selection, condition, obfuscator };
}
