// payload-format, batch-size, payload-template: how events are shaped into request bodies.

import { compileExpression } from '../expression.js';
import { isChatFormat } from '../delivery/formats/index.js';
import type { PayloadFormat, Settings } from '../settings.js';
import { fail, integer, oneOf, type Inputs } from './read.js';

export type ShapingSettings = Pick<Settings, 'payloadFormat' | 'batchSize' | 'payloadTemplate'>;

const TEMPLATE_EXAMPLE = '{"id": log_id, "type": type, "user": user_name}';

export function getShapingSettings(inputs: Inputs): ShapingSettings {
  const payloadFormat = oneOf('payload-format', inputs.value('payload-format'), [
    'object',
    'array',
    'lines',
    'slack',
    'discord',
    'teams',
  ] as const) satisfies PayloadFormat;
  const chat = isChatFormat(payloadFormat);
  const batchSizeText = inputs.value('batch-size');
  // A chat message is one event by default: a digest is a choice (batch-size above 1).
  const batchSize =
    batchSizeText === ''
      ? payloadFormat === 'object' || chat
        ? 1
        : 100
      : integer('batch-size', batchSizeText, 1, 100);
  if (payloadFormat === 'object' && batchSize > 1) {
    fail(
      'batch-size',
      `is ${batchSize}, but payload-format 'object' sends one event per request; set payload-format to 'array' or 'lines' to batch`,
    );
  }
  const templateText = inputs.value('payload-template');
  if (templateText !== '' && chat) {
    fail(
      'payload-template',
      `cannot be combined with payload-format '${payloadFormat}', which builds the chat message itself; use payload-format 'object', 'array' or 'lines' with a template`,
    );
  }
  const payloadTemplate =
    templateText === '' ? undefined : compileExpression('payload-template', templateText, TEMPLATE_EXAMPLE);
  return { payloadFormat, batchSize, payloadTemplate };
}
