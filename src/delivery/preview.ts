// The dry run's "what would be sent": the first request bodies, built by the same code as a real run
// (chat messages, template results), for the job summary.

import type { LogEvent } from '../auth0/log-event.js';
import type { Settings } from '../settings.js';
import { isChatFormat } from './formats/index.js';
import { buildPayload } from './payload.js';
import { applyTemplate } from './template.js';

const PREVIEW_BODIES = 3;
const PREVIEW_CHARS = 4_000;

/** Up to three bodies, pretty-printed and cut for reading; a failing template says so instead. */
export async function previewBodies(
  settings: Pick<Settings, 'payloadFormat' | 'payloadTemplate' | 'batchSize' | 'auth0Domain'>,
  events: readonly LogEvent[],
): Promise<string[]> {
  const bodies: string[] = [];
  for (let start = 0; start < events.length && bodies.length < PREVIEW_BODIES; start += settings.batchSize) {
    const batch = events.slice(start, start + settings.batchSize);
    let shaped: unknown[] | undefined;
    if (settings.payloadTemplate !== undefined) {
      const outcome = await applyTemplate(settings.payloadTemplate, batch);
      if (outcome.kind === 'failed') {
        bodies.push(
          `payload-template fails for event ${outcome.logId} (type ${outcome.type}): ${outcome.problem}`,
        );
        break;
      }
      if (outcome.kind === 'stopped') break; // (only with a stop signal, which the preview has not)
      shaped = outcome.results;
    }
    let readable: string;
    try {
      const { body } = buildPayload(settings.payloadFormat, batch, settings, shaped);
      readable = settings.payloadFormat === 'lines' ? body : JSON.stringify(JSON.parse(body), null, 2);
    } catch (error) {
      // E.g. an event nested deeper than JSON.stringify can go: a real run fails at this event too.
      const first = batch[0] ?? {};
      bodies.push(
        `The body for event ${String(first.log_id)} (type ${String(first.type)}) cannot be built: ${error instanceof Error ? error.message : String(error)}`,
      );
      break;
    }
    bodies.push(
      readable.length > PREVIEW_CHARS ? `${readable.slice(0, PREVIEW_CHARS)}\n… (cut here)` : readable,
    );
  }
  return bodies;
}

/** The format in words, for the log and the summary. */
export function describeFormat(
  settings: Pick<Settings, 'payloadFormat' | 'payloadTemplate' | 'batchSize'>,
): string {
  const { payloadFormat: format, batchSize } = settings;
  if (isChatFormat(format)) {
    const name = { slack: 'Slack', discord: 'Discord', teams: 'Microsoft Teams' }[format];
    return batchSize === 1
      ? `${name} messages, one per event`
      : `${name} messages, a digest of up to ${batchSize} events each`;
  }
  const shape = settings.payloadTemplate === undefined ? '' : ', each event reshaped by payload-template';
  return format === 'object'
    ? `object format, one event a request${shape}`
    : `${format} format, up to ${batchSize} events a request${shape}`;
}
