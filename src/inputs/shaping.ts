// payload-format, batch-size: how events are shaped into request bodies.

import type { PayloadFormat, Settings } from '../settings.js';
import { fail, integer, oneOf, type Inputs } from './read.js';

export type ShapingSettings = Pick<Settings, 'payloadFormat' | 'batchSize'>;

export function getShapingSettings(inputs: Inputs): ShapingSettings {
  const payloadFormat = oneOf('payload-format', inputs.value('payload-format'), [
    'object',
    'array',
    'lines',
  ] as const) satisfies PayloadFormat;
  const batchSizeText = inputs.value('batch-size');
  const batchSize =
    batchSizeText === ''
      ? payloadFormat === 'object'
        ? 1
        : 100
      : integer('batch-size', batchSizeText, 1, 100);
  if (payloadFormat === 'object' && batchSize > 1) {
    fail(
      'batch-size',
      `is ${batchSize}, but payload-format 'object' sends one event per request; set payload-format to 'array' or 'lines' to batch`,
    );
  }
  return { payloadFormat, batchSize };
}
