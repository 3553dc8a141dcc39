// `pii-fields` against the shapes users will have: test/fixtures/auth0-sample-events.json holds Auth0
// tenant log events as Auth0 writes them (its `sources` name where each shape comes from), with every
// personal value replaced by a planted one. For every class alone and all six, masked and hashed:
// (a) no planted value of a chosen class can still be read anywhere in an obfuscated event: not as
//     planted, in any case, URL-encoded, as a phone number's digits, as an e-mail address's local part
//     or MD5 (a Gravatar URL), nor inside the payload of a JWT;
// (b) identifiers and every field without personal data arrive unchanged;
// (c) with no class chosen nothing changes.
// Where a realistic shape leaks today (KNOWN_GAPS) or a field without personal data is changed
// (OVER_MASKED), the case is listed with its field path and asserted as it is now, so that fixing
// obfuscate.ts turns that assertion red and the entry is moved back into the main checks.

import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../src/auth0/log-event.js';
import { createObfuscator, PII_CLASSES, type PiiClass, type PiiMethod } from '../src/choose/obfuscate.js';
import { corpus, EVENTS, forms, PLANTED, readable } from './support/pii-corpus.js';

const METHODS: readonly PiiMethod[] = ['mask', 'hash'];
const ALL: readonly PiiClass[] = [...PII_CLASSES];
const CLASS_SETS: readonly (readonly PiiClass[])[] = [...PII_CLASSES.map((cls) => [cls]), ALL];
const HASH_KEY = 'corpus-test-hash-key-0123456789';

/** Fields the pipeline and receivers need, never obfuscated at any depth. */
const IDENTIFIERS: ReadonlySet<string> = new Set([
  'log_id',
  '_id',
  'type',
  'date',
  'client_id',
  'connection',
]);

const ALL_FORMS: readonly string[] = PII_CLASSES.flatMap((cls) =>
  PLANTED[cls].flatMap((value) => forms(value, cls)),
).map((form) => form.toLowerCase());

interface Leaf {
  /** `details.prompts[1].user_name`. */
  path: string;
  value: unknown;
  /** The field's own name (for an array item, its array's). */
  key: string;
}

/** Every primitive in `value` with its path; object keys are leaves too (`… (key)`), as a key can be personal data. */
function leaves(value: unknown, path = '', key = '', out: Leaf[] = []): Leaf[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => leaves(item, `${path}[${i}]`, key, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [name, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${name}` : name;
      out.push({ path: `${childPath} (key)`, value: name, key: name });
      leaves(child, childPath, name, out);
    }
  } else {
    out.push({ path, value, key });
  }
  return out;
}

interface Survivor {
  path: string;
  cls: PiiClass;
  form: string;
}

/** Where planted values of `classes` can still be read in `event`. */
function survivors(event: LogEvent, classes: readonly PiiClass[]): Survivor[] {
  const found: Survivor[] = [];
  for (const leaf of leaves(event)) {
    const text = readable(leaf.value);
    for (const cls of classes) {
      for (const value of PLANTED[cls]) {
        for (const form of forms(value, cls)) {
          if (text.includes(form.toLowerCase())) found.push({ path: leaf.path, cls, form });
        }
      }
    }
  }
  return found;
}

/** An event of the corpus, named by its type and, where the type is not enough, its description or connection. */
interface EventRef {
  type: string;
  description?: string;
  connection?: string;
}

function eventOf(ref: EventRef): LogEvent {
  const matching = EVENTS.filter(
    (event) =>
      event.type === ref.type &&
      (ref.description === undefined || event['description'] === ref.description) &&
      (ref.connection === undefined || event['connection'] === ref.connection),
  );
  if (matching.length !== 1) throw new Error(`${JSON.stringify(ref)} names ${matching.length} events`);
  return matching[0] as LogEvent;
}

function label(event: LogEvent): string {
  const description = event['description'];
  return `${event.type ?? '?'} "${typeof description === 'string' ? description : ''}"`;
}

/** A planted value of `cls` that can still be read at `path` in a realistic shape: a finding. */
interface Gap extends EventRef {
  path: string;
  cls: PiiClass;
  /** What is read there (a planted value or one of its forms). */
  form: string;
  /** A class that, chosen as well, covers the field: the gap is only without it. */
  unlessAlso?: PiiClass;
  why: string;
}

const KNOWN_GAPS: readonly Gap[] = [
  {
    type: 'sapi',
    description: 'Update a user',
    path: 'details.response.body.nickname',
    cls: 'email',
    form: 'planted.person',
    unlessAlso: 'username',
    why: "the nickname is the local part of the user's former address, which the event does not hold: choose `username` as well",
  },
];

/** A field without personal data that choosing `cls` changes. */
interface OverMasked extends EventRef {
  path: string;
  cls: PiiClass;
  why: string;
}

const OVER_MASKED: readonly OverMasked[] = [
  ...['request', 'response'].map((side): OverMasked => ({
    type: 'sapi',
    description: 'Update Suspicious IP Throttling settings',
    path: `details.${side}.body.allowlist[0]`,
    cls: 'ip',
    why: 'an attack-protection allowlist range (documented: every IPv4 address in text)',
  })),
  {
    type: 'sscim',
    path: 'details.request.body.addresses[0].country',
    cls: 'address',
    why: 'the country under a SCIM address (documented: all of an address)',
  },
];

const applies = (gap: Gap, classes: readonly PiiClass[]): boolean =>
  classes.includes(gap.cls) && (gap.unlessAlso === undefined || !classes.includes(gap.unlessAlso));

const isKnownGap = (event: LogEvent, survivor: Survivor, classes: readonly PiiClass[]): boolean =>
  KNOWN_GAPS.some(
    (gap) =>
      applies(gap, classes) &&
      eventOf(gap) === event &&
      gap.path === survivor.path &&
      gap.cls === survivor.cls,
  );

const isOverMasked = (event: LogEvent, path: string, classes: readonly PiiClass[]): boolean =>
  OVER_MASKED.some((entry) => classes.includes(entry.cls) && eventOf(entry) === event && entry.path === path);

const setName = (classes: readonly PiiClass[]): string =>
  classes.length === ALL.length ? 'all six' : classes[0]!;

describe('the corpus', () => {
  it('names its sources', () => {
    expect(corpus.sources.length).toBeGreaterThan(5);
    for (const source of corpus.sources) expect(source.url).toMatch(/^https:\/\//);
  });

  it('covers the event types users will have', () => {
    const types = new Set(EVENTS.map((event) => event.type));
    for (const type of [
      's',
      'f',
      'fp',
      'fu',
      'ss',
      'fs',
      'sapi',
      'seacft',
      'sepft',
      'scoa',
      'fcoa',
      'gd_send_sms',
      'gd_send_voice',
      'pwd_leak',
      'limit_wc',
      'sv',
      'fv',
      'scpr',
      'fcpr',
      'mfar',
      'du',
      'slo',
      'sce',
      'fce',
    ]) {
      expect(types, type).toContain(type);
    }
    expect(new Set(EVENTS.map((event) => event.log_id)).size).toBe(EVENTS.length);
  });

  it('holds every planted value where the checks look for it, and nothing but its control event is without one', () => {
    // Without this, "nothing survives" could pass because nothing was there.
    for (const cls of PII_CLASSES) {
      for (const value of PLANTED[cls]) {
        const holders = EVENTS.filter((event) =>
          survivors(event, [cls]).some((found) => found.form === value),
        );
        expect(holders.length, `${cls} ${value}`).toBeGreaterThan(0);
      }
    }
    const without = EVENTS.filter((event) => survivors(event, ALL).length === 0).map(label);
    expect(without).toEqual(['api_limit "You passed the limit of allowed calls to \'/api/v2/users\'"']);
  });

  it('names each known gap and over-masked field at a place that exists and holds what it says', () => {
    for (const gap of KNOWN_GAPS) {
      const found = survivors(eventOf(gap), [gap.cls]);
      expect(found, JSON.stringify(gap)).toContainEqual({ path: gap.path, cls: gap.cls, form: gap.form });
    }
    for (const entry of OVER_MASKED) {
      const leaf = leaves(eventOf(entry)).find((candidate) => candidate.path === entry.path);
      expect(leaf, entry.path).toBeDefined();
      expect(
        ALL_FORMS.some((form) => readable(leaf?.value).includes(form)),
        entry.path,
      ).toBe(false);
    }
  });
});

describe.each(METHODS)('%s', (method) => {
  describe.each(CLASS_SETS.map((classes) => [setName(classes), classes] as const))('%s', (_name, classes) => {
    const obfuscator = createObfuscator({ classes, method, hashKey: HASH_KEY });

    it('(a) leaves no planted value of a chosen class readable in any event (known gaps aside)', () => {
      const leaks = EVENTS.flatMap((event) =>
        survivors(obfuscator.event(event), classes)
          .filter((survivor) => !isKnownGap(event, survivor, classes))
          .map((survivor) => `${label(event)} ${survivor.path}: ${survivor.cls} "${survivor.form}"`),
      );
      expect(leaks).toEqual([]);
    });

    it('(b) leaves identifiers and every field without personal data as they were, and the event itself untouched', () => {
      const changed: string[] = [];
      for (const event of EVENTS) {
        const before = structuredClone(event);
        const after = new Map(leaves(obfuscator.event(event)).map((leaf) => [leaf.path, leaf.value]));
        expect(event).toEqual(before);
        for (const leaf of leaves(event)) {
          const personal = ALL_FORMS.some((form) => readable(leaf.value).includes(form));
          const identifier = IDENTIFIERS.has(leaf.key) && !leaf.path.endsWith('(key)');
          if (personal && !identifier) continue;
          if (!identifier && isOverMasked(event, leaf.path, classes)) continue;
          if (!after.has(leaf.path) || after.get(leaf.path) !== leaf.value) {
            changed.push(
              `${label(event)} ${leaf.path}: ${JSON.stringify(leaf.value)} -> ${JSON.stringify(after.get(leaf.path))}`,
            );
          }
        }
      }
      expect(changed).toEqual([]);
    });
  });

  it('(c) changes nothing when no class is chosen', () => {
    const obfuscator = createObfuscator({ classes: [], method, hashKey: HASH_KEY });
    for (const event of EVENTS) {
      const before = JSON.stringify(event);
      expect(obfuscator.event(event)).toBe(event);
      expect(JSON.stringify(event)).toBe(before);
    }
  });
});

// Findings: each asserts today's behaviour. When obfuscate.ts covers one, its test here fails: delete
// the entry, and the main checks above then hold that field to the rule.
describe('known gaps: planted values still readable in realistic shapes', () => {
  const cases = KNOWN_GAPS.flatMap((gap) =>
    METHODS.flatMap((method) =>
      CLASS_SETS.filter((classes) => applies(gap, classes)).map(
        (classes) =>
          [
            `${label(eventOf(gap))} ${gap.path} (${gap.cls}, ${setName(classes)}, ${method})`,
            gap,
            classes,
            method,
          ] as const,
      ),
    ),
  );

  it.each(cases)('%s', (_name, gap, classes, method) => {
    const out = createObfuscator({ classes, method, hashKey: HASH_KEY }).event(eventOf(gap));
    expect(survivors(out, [gap.cls])).toContainEqual({ path: gap.path, cls: gap.cls, form: gap.form });
  });
});

describe('known over-masking: fields without personal data that are changed', () => {
  const cases = OVER_MASKED.flatMap((entry) =>
    METHODS.flatMap((method) =>
      CLASS_SETS.filter((classes) => classes.includes(entry.cls)).map(
        (classes) =>
          [
            `${label(eventOf(entry))} ${entry.path} (${entry.cls}, ${setName(classes)}, ${method})`,
            entry,
            classes,
            method,
          ] as const,
      ),
    ),
  );

  it.each(cases)('%s', (_name, entry, classes, method) => {
    const event = eventOf(entry);
    const before = leaves(event).find((leaf) => leaf.path === entry.path)?.value;
    const out = createObfuscator({ classes, method, hashKey: HASH_KEY }).event(event);
    const after = leaves(out).find((leaf) => leaf.path === entry.path)?.value;
    expect(after).not.toBe(before);
  });
});
