// Reads and validates every action input (SPEC "Inputs") into one Settings object, one concern at a
// time. Pure apart from the default reader: no logging, no masking, no network.

import * as core from '@actions/core';
import type { Settings } from '../settings.js';
import { getAuth0Settings } from './auth0.js';
import { getCheckpointSettings } from './checkpoint.js';
import { getChoosingSettings } from './choosing.js';
import { readInputs, type InputReader } from './read.js';
import { getRunSettings } from './run.js';
import { getShapingSettings } from './shaping.js';
import { getDeliverySettings, getWebhookSettings } from './webhook.js';

export {
  INPUT_DEFAULTS,
  INPUT_NAMES,
  SECRET_INPUTS,
  quote,
  type InputName,
  type InputReader,
} from './read.js';

/**
 * Reads every input and returns the validated Settings. Throws an InputError for the first invalid
 * input: first any oversized value, then the inputs in the order of action.yml.
 */
export function getSettings(
  read: InputReader = (name) => core.getInput(name),
  now: Date = new Date(),
): Settings {
  const inputs = readInputs(read);
  const auth0 = getAuth0Settings(inputs);
  const webhook = getWebhookSettings(inputs);
  const choosing = getChoosingSettings(inputs);
  const shaping = getShapingSettings(inputs);
  const delivery = getDeliverySettings(inputs);
  const checkpoint = getCheckpointSettings(inputs, auth0.auth0Domain, now);
  const run = getRunSettings(inputs);
  return { ...auth0, ...webhook, ...choosing, ...shaping, ...delivery, ...checkpoint, ...run };
}
