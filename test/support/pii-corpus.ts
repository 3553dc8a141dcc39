// The event corpus (test/fixtures/auth0-sample-events.json) and its planted personal values, shared by
// test/obfuscate-corpus.test.ts (every class and method, field by field) and the end-to-end run of the
// corpus through dist/index.js (test/e2e/choosing.test.ts).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LogEvent } from '../../src/auth0/log-event.js';
import type { PiiClass } from '../../src/choose/obfuscate.js';

export interface Corpus {
  about: string;
  sources: { url: string; used_for: string }[];
  events: LogEvent[];
}

export const corpus = JSON.parse(
  readFileSync(new URL('../fixtures/auth0-sample-events.json', import.meta.url), 'utf8'),
) as Corpus;
export const EVENTS = corpus.events;

/** Every personal value planted in the corpus, by the class it belongs to. */
export const PLANTED: Readonly<Record<PiiClass, readonly string[]>> = {
  email: [
    'planted.person@corp.example',
    'planted.admin@corp.example',
    'planted.new@corp.example',
    'planted.invitee@corp.example',
  ],
  username: ['plantedhandle', 'plantednewhandle'],
  name: ['PlantedGiven', 'PlantedFamily', 'PlantedAdmin', 'PlantedInviter'],
  // The last one is written as a JSON number (gd_enrollment_complete).
  phone: ['+15550001111', '+15550002222', '15550003333'],
  address: ['77 Planted Street', 'Plantedville', 'PLANTED77'],
  ip: [
    '203.0.113.77',
    '2001:db8::77',
    '198.51.100.77',
    '2001:0db8:9702:ee80:0000:1f55:93a7:0077',
    // Where the address puts the person (location_info): the city and coordinates.
    'Plantedcity',
    'Plantedtown',
    '32.2217',
    '-110.9265',
  ],
};

export const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/**
 * How a receiver could still read `value`, compared in any case: as planted, URL-encoded, a phone
 * number's digits (`tel:`, `%2B`), an e-mail address's local part (Auth0's default nickname) and
 * its MD5 (Auth0's default picture is the Gravatar URL of the address).
 */
export function forms(value: string, cls: PiiClass): string[] {
  const found = new Set([value, encodeURIComponent(value)]);
  if (cls === 'phone') found.add(value.replace(/\D/g, ''));
  if (cls === 'email') {
    found.add(value.slice(0, value.indexOf('@')));
    found.add(md5(value.trim().toLowerCase()));
  }
  return [...found];
}

/** A leaf as a receiver reads it: the payload of any JWT in it (`eyJ….eyJ….…`) decoded and read too. */
export function readable(value: unknown): string {
  const text = String(value);
  const payloads = [...text.matchAll(/eyJ[\w-]+\.(eyJ[\w-]+)\.[\w-]*/g)].map((match) =>
    Buffer.from(match[1] ?? '', 'base64url').toString('utf8'),
  );
  return [text, ...payloads].join('\n').toLowerCase();
}
