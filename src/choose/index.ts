// Choosing what is sent, per event, in one visible order (SPEC "Choosing what is sent"):
//
//   select (types, categories, level) → condition (`filter`) → obfuscate (`pii-fields`)
//
// then the pipeline hands the chosen event to the deliverer, which shapes and sends it. The
// condition sees the event as Auth0 returned it; everything after it sees only the obfuscated copy.
// The choice is synchronous (no promise per event) unless the condition has to run JSONata.

import type { LogEvent } from '../auth0/log-event.js';
import type { Condition, ConditionVerdict } from './condition.js';
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

  // A condition's error may quote the event (`$error(user_name)`): it leaves as the event does.
  const scrub = obfuscator
    ? (message: string, event: LogEvent) => obfuscator.scrub(message, event)
    : undefined;
  const decide = (event: LogEvent, verdict: ConditionVerdict): Choice => {
    if (verdict.kind === 'removed') return REMOVED;
    const chosen = obfuscate(event);
    return verdict.kind === 'failed-open'
      ? { kind: 'chosen', event: chosen, conditionError: verdict.error }
      : { kind: 'chosen', event: chosen };
  };

  const choose = condition
    ? (event: LogEvent): Choice | Promise<Choice> => {
        if (!selected(event)) return UNSELECTED;
        const verdict = condition.test(event, scrub);
        return verdict instanceof Promise
          ? verdict.then((known) => decide(event, known))
          : decide(event, verdict);
      }
    : (event: LogEvent): Choice =>
        selected(event) ? { kind: 'chosen', event: obfuscate(event) } : UNSELECTED;

  return { choose, selection, condition, obfuscator };
}
