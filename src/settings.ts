// The one typed, validated configuration object that getSettings() (src/inputs/index.ts) produces.
// Everything downstream reads this; nothing else reads action inputs.

import type { PiiClass, PiiMethod } from './choose/obfuscate.js';
import type { CompiledExpression } from './expression.js';

/** How events become request bodies: raw JSON (`object`, `array`, `lines`) or a chat message. */
export type PayloadFormat = 'object' | 'array' | 'lines' | 'slack' | 'discord' | 'teams';
export type CheckpointStoreKind = 'cache' | 'variable';

export interface Settings {
  /** Tenant origin without a trailing slash, e.g. `https://acme.us.auth0.com` (http only for loopback). */
  auth0Origin: string;
  /** Host part as the user gave it, lower-cased (`acme.us.auth0.com`, `127.0.0.1:4000`); used for names and the log. */
  auth0Domain: string;
  clientId: string;
  clientSecret: string;

  /** The webhook URL as given (credentials, path and query may be secret: never log it, use webhookUrlForLog). */
  webhookUrl: URL;
  /** The webhook's origin, plus `/…` when it has a path or query (they may be secret): safe to print. */
  webhookUrlForLog: string;
  /** Sent verbatim as `Authorization`, or undefined. */
  webhookAuthorization: string | undefined;
  /** Extra headers in the order given, names as given. */
  webhookHeaders: Array<[name: string, value: string]>;
  /** Decoded Standard Webhooks signing keys (one per line of `webhook-secret`); empty = unsigned. */
  webhookSecrets: Buffer[];

  /** Type codes listed in `log-types` (deduplicated, in order). */
  logTypes: string[];
  /** 0–4, or undefined when `log-level` is empty. */
  logLevel: number | undefined;
  /** Log Streams category names from `log-categories` (validated, deduplicated, in order). */
  logCategories: string[];
  /** The `filter` condition, compiled; undefined when empty. */
  filter: CompiledExpression | undefined;
  /** Personal data classes to obfuscate (`pii-fields`); empty = off. */
  piiFields: PiiClass[];
  piiMethod: PiiMethod;
  /** The HMAC key for `pii-method: hash` (a secret); '' otherwise. */
  piiHashKey: string;

  payloadFormat: PayloadFormat;
  /** Resolved: 1 for object and the chat formats, 100 for array/lines when empty. */
  batchSize: number;
  /** `payload-template` compiled: its result replaces each event (object/array/lines only). */
  payloadTemplate: CompiledExpression | undefined;
  concurrency: number;
  maxAttempts: number;
  requestTimeoutMs: number;

  /** Where to begin when no checkpoint is stored, already turned into a 56-digit cursor. */
  startCursor: string;
  /** The `start-from` value as given, for the log ("oldest", "24h", ...). */
  startFromLabel: string;

  checkpointStore: CheckpointStoreKind;
  /** Cache key prefix (`auth0-log-webhooks-{domain}-`) or variable name (`AUTH0_LOG_CHECKPOINT_...`). */
  checkpointName: string;
  githubToken: string;

  maxRuntimeMs: number;
  dryRun: boolean;
  /** Follow the log: after catching up, wait this long and read again until max-runtime. Undefined: off. */
  pollIntervalMs: number | undefined;
}

/** An input problem: names the input, says what is wrong and shows a valid example. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    problem: string,
    example: string,
  ) {
    super(`Input '${input}': ${problem}. Example of a valid value: ${example}`);
    this.name = 'InputError';
  }
}
