// payload-template: a JSONata expression (compiled with the inputs by src/expression.ts) whose result
// replaces each event in the body. Evaluated per event, after the choosing stages and obfuscation:
// it sees the event exactly as it would otherwise be sent. An error, or no result, is a permanent
// failure of that event: a template bug must stop the checkpoint, never skip events.

import { eventId, type LogEvent } from '../auth0/log-event.js';
import type { CompiledExpression } from '../expression.js';

export type TemplateOutcome =
  | { kind: 'shaped'; results: unknown[] }
  /** `stop` aborted before every event was shaped (max-runtime, a cancel): nothing is sent. */
  | { kind: 'stopped' }
  /** `results` holds the results of the events before the failing one (they can still be sent). */
  | { kind: 'failed'; results: unknown[]; index: number; logId: string; type: string; problem: string };

/**
 * Shapes `events` one after another. Each evaluation is time-boxed (src/expression.ts), but a batch of
 * 100 slow ones would still hold a stopping run for up to 50 s: `stop` is checked between events.
 */
export async function applyTemplate(
  template: CompiledExpression,
  events: readonly LogEvent[],
  stop?: AbortSignal,
): Promise<TemplateOutcome> {
  const results: unknown[] = [];
  for (const [index, event] of events.entries()) {
    if (stop?.aborted) return { kind: 'stopped' };
    let problem: string | undefined;
    try {
      const result = await template.evaluate(event);
      if (result === undefined) problem = 'the expression has no result for this event';
      else if (JSON.stringify(result) === undefined) problem = 'the result is not JSON (a function?)';
      else results.push(result);
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    if (problem !== undefined) {
      const type = typeof event.type === 'string' ? event.type : '?';
      return { kind: 'failed', results, index, logId: eventId(event) ?? '?', type, problem };
    }
  }
  return { kind: 'shaped', results };
}
