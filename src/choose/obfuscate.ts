// Stage 3 of choosing: personal data (`pii-fields`) masked or hashed before anything leaves the
// runner: the body, a chat message, the dry-run preview and the summary all see this stage's output.
//
// Two ways a value is found:
// - by key, at any depth: a field whose name (case, `_` and `-` ignored) is one of a class's keys has
//   its whole value obfuscated (every string and number under it, when it is an object or array);
// - by value, for `email` and `ip`: every e-mail address and IPv4/IPv6 address inside any other
//   string (a description, a request body kept as text, a user_id that embeds an address).
// Keys the pipeline needs (log_id, _id, type, date, client_id, connection) are never touched, at any
// depth; everything else passes unchanged.
//
// Which fields carry personal data: Auth0's "Personally Identifiable Information in Auth0 Logs" page
// names name, phone number, e-mail address, IP address and custom user data; the Log Streams PII
// settings name first_name, last_name, username, email, phone and address. The keys below cover
// those at the top level (user_name, ip) and in `details` (request/response bodies, profiles).

import { createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { LogEvent } from '../auth0/log-event.js';

export const PII_CLASSES = ['email', 'username', 'name', 'phone', 'address', 'ip'] as const;
export type PiiClass = (typeof PII_CLASSES)[number];
export const PII_METHODS = ['mask', 'hash'] as const;
export type PiiMethod = (typeof PII_METHODS)[number];

/**
 * Field names per class, normalized: lower case, without `_`, `-`, `.` and spaces. Plural (SCIM)
 * containers such as `emails: [{ value, type }]` count too: everything under them is the class.
 */
const KEYS: Readonly<Record<PiiClass, readonly string[]>> = {
  email: ['email', 'emailaddress', 'emails', 'emailaddresses'],
  // `newUername`: Auth0's own spelling in the failed-username-change (`fcu`) event.
  username: ['username', 'nickname', 'preferredusername', 'screenname', 'newuername'],
  name: [
    'givenname',
    'familyname',
    'firstname',
    'lastname',
    'middlename',
    'fullname',
    'displayname',
    'surname',
  ],
  phone: [
    'phone',
    'phonenumber',
    'mobile',
    'mobilephone',
    'mobilenumber',
    'telephone',
    'phones',
    'phonenumbers',
  ],
  address: ['address', 'streetaddress', 'postaladdress', 'homeaddress', 'addresses'],
  ip: [
    'ip',
    'clientip',
    'ipaddress',
    'remoteip',
    'remoteaddress',
    'xforwardedfor',
    'xrealip',
    'trueclientip',
    'cfconnectingip',
    // Where the address puts the person (`location_info`): the city and coordinates; the country stays.
    'cityname',
    'latitude',
    'longitude',
  ],
};

/** `old_phone_number`, `newUsername`…: a class key after one of these is that class's key too. */
const KEY_PREFIXES = [
  'old',
  'new',
  'previous',
  'prev',
  'current',
  'updated',
  'original',
  'primary',
  'secondary',
  'verified',
  'unverified',
  'pending',
  'requested',
  'alternate',
  'backup',
] as const;

/** An object under one of these keys is a person: its lone `name` is theirs (`inviter: { name }`). */
const PERSON_KEYS: ReadonlySet<string> = new Set([
  'inviter',
  'invitee',
  'user',
  'users',
  'owner',
  'owners',
  'author',
  'requester',
  'member',
  'members',
  'createdby',
  'updatedby',
  'modifiedby',
  'actor',
]);

/**
 * An object under one of these keys is a thing, not a person: its own `name` and `display_name` are
 * the thing's (an organization's display name, an Action's dependency or secret, a trigger binding).
 */
const RESOURCE_KEYS: ReadonlySet<string> = new Set([
  'organization',
  'organizations',
  'client',
  'clients',
  'application',
  'applications',
  'connection',
  'connections',
  'tenant',
  'action',
  'actions',
  'binding',
  'bindings',
  'trigger',
  'triggers',
  'dependencies',
  'secrets',
  'role',
  'roles',
  'resourceserver',
  'resourceservers',
  'api',
  'hook',
  'hooks',
  'rule',
  'rules',
  'grant',
  'grants',
  'flow',
  'flows',
  'form',
  'forms',
  'domain',
  'domains',
]);

/** A Gravatar URL names its person by the unkeyed MD5 (or SHA-256) of their address: a guessable hash. */
const GRAVATAR = /(gravatar\.com(?:\/|%2F)avatar(?:\/|%2F))([0-9a-f]{64}|[0-9a-f]{32})/gi;
/** Runs of base64url characters and dots: where a JWT (`eyJ….eyJ….…`) can be; linear to find. */
const TOKEN_RUN = /[\w.-]+/g;
/** Tokens decoded at most in one run of text: a bound on the work a crafted string can cause. */
const JWT_TRIES = 100;
/** Values found by key are looked for in the event's text only from this long (`Al` is in too much). */
const QUOTED_MIN = 3;
/** At most this many of them (the longest) are looked for: a bound on the work per event. */
const QUOTED_MAX = 500;

/**
 * A bare `name` is personal only in a user profile (Auth0's `name` claim); elsewhere it names an
 * Action, an error, a connection… An object with `name` and one of these keys is taken as a profile.
 * Inside `details.request.body` / `details.response.body` (a signup, a profile update) any `name` is
 * taken as a person's; inside `details.prompts` (`{ name: "login", user_id, … }`) none is.
 */
const PROFILE_KEYS: ReadonlySet<string> = new Set([
  'email',
  'userid',
  'username',
  'givenname',
  'familyname',
  'nickname',
  'phonenumber',
  'picture',
  'emailverified',
]);

/** Identifiers the pipeline and receivers need: never obfuscated, wherever they are. */
export const NEVER_TOUCHED: ReadonlySet<string> = new Set([
  'log_id',
  '_id',
  'type',
  'date',
  'client_id',
  'connection',
]);

/**
 * Fields that are not free text, where a value found elsewhere is not looked for: `user_id`
 * (`auth0|…` is no user named auth0), the strategy, host, user agent, scopes, time zone…
 */
const NOT_FREE_TEXT: ReadonlySet<string> = new Set([
  ...NEVER_TOUCHED,
  'strategy',
  'strategy_type',
  'hostname',
  'connection_id',
  'client_name',
  'tenant_name',
  'audience',
  'scope',
  'user_agent',
  'time_zone',
  'country_code',
  'country_code3',
  'country_name',
  'continent_code',
  'subdivision_code',
  'subdivision_name',
  '$event_schema',
]);

// An address in free text, also URL-encoded (`jane%40corp.example`). The local part leaves out `|` and
// `%` so that `samlp|jane@corp.example` and `samlp%7Cjane%40corp.example` keep their prefix (and does
// not start inside a `%7C`); letters and digits are any script's. It starts only where a run of
// local-part characters starts (or after a `%XX`), so a long text is scanned in linear time.
const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?';
const EMAIL = new RegExp(
  `(?:(?<![\\p{L}\\p{N}._+%-])|(?<=%[0-9A-Fa-f]{2}))[\\p{L}\\p{N}._+-]+(?:'[\\p{L}\\p{N}._+-]+)*(?:@|%40)${LABEL}(?:\\.${LABEL})+`,
  'giu',
);
/** `@`, or `%40` in a URL-encoded address. */
const AT = /@|%40/i;
// Candidates, confirmed by node:net. Not after a word, a dot or a user agent's version token
// (`Chrome/120.0.0.0`: a product name starting the text or after a space or `(`); a path segment
// (`/blocks/ips/203.0.113.7`) is not a product. URL-encoded, after any `%XX` (`%3D` `=`, `%22` `"`,
// `%5B` `[`, `%3A` `:` …).
const IPV4 =
  /(?:(?<=%[0-9A-Fa-f]{2})|(?<![\w.]|(?:^|[\s(])[A-Za-z][\w-]*\/))(?:\d{1,3}\.){3}\d{1,3}(?![\w.]*\d)/g;
// An IPv6 may end a sentence: a `.` after it is punctuation unless a hex digit follows. Also after
// any `%XX`, as IPv4.
const IPV6 =
  /(?:(?<=%[0-9A-Fa-f]{2})|(?<![\w:.]))[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?::(?:\d{1,3}\.){3}\d{1,3})?(?![\w:]|\.[0-9A-Fa-f])/g;
// An IPv6 with its colons URL-encoded (`ip=2001%3Adb8%3A%3A1`, `%3A%3Affff%3A192.0.2.1`), checked
// once decoded.
const IPV6_ENCODED =
  /(?:(?<=%[0-9A-Fa-f]{2})|(?<![\w%.]))[0-9A-Fa-f]{0,4}(?:%3[Aa][0-9A-Fa-f]{0,4}){1,7}(?:%3[Aa](?:\d{1,3}\.){3}\d{1,3})?(?!\w|%3[Aa]|\.[0-9A-Fa-f])/g;

/** A phone number in E.164 form: a passwordless SMS user's user name is one. */
const E164 = /^\+\d{8,15}$/;
const USERNAME_KEYS: ReadonlySet<string> = new Set(KEYS.username);

/** Objects and arrays nested deeper than this (in the event or in JSON text in it) are replaced by TOO_DEEP. */
const MAX_DEPTH = 100;
const TOO_DEEP = `[removed: nested more than ${MAX_DEPTH} levels deep, too deep to check for personal data]`;

/** Text up to this long that starts with `{` or `[` is tried as JSON. */
const JSON_TEXT_MAX = 64 * 1024;

/** Hashes (and key facts) remembered at most, of values this long at most (a few megabytes). */
const MEMO_SIZE = 10_000;
const MEMO_VALUE_MAX = 256;

interface KeyFacts {
  /** The class a field of this name holds, if any. */
  readonly cls: PiiClass | undefined;
  /** Its name is `name` or `display_name` (a resource's own names are not a person's). */
  readonly ownName: boolean;
  /** An object under it is a person (PERSON_KEYS) or a thing (RESOURCE_KEYS). */
  readonly holds: 'person' | 'resource' | undefined;
  /** One of the keys that make an object with a `name` a user profile. */
  readonly profile: boolean;
  /** A user name key (an E.164 value under it is a phone number). */
  readonly username: boolean;
  readonly neverTouched: boolean;
  /** The key as it leaves (obfuscated when it holds an e-mail or IP address). */
  readonly outKey: string;
}

export interface ObfuscateOptions {
  classes: readonly PiiClass[];
  method: PiiMethod;
  /** Required with `hash`. */
  hashKey?: string;
}

export interface Obfuscator {
  /** The event with the chosen classes obfuscated. The input is not changed; parts of it that need no change are shared, not copied. */
  event(event: LogEvent): LogEvent;
  /** Free text (a warning, a receiver's answer) with e-mail and IP addresses obfuscated. */
  text(text: string): string;
  /**
   * Free text that may quote `event` (a condition's error built with `$error(user_name)`): every value
   * of the chosen classes found in the event is replaced as it is in the event, then as text().
   */
  scrub(text: string, event: LogEvent): string;
  /** In words, for the run log. */
  describe(): string;
}

/** No classes chosen: events pass as they are (no copy). */
const IDENTITY: Obfuscator = {
  event: (event) => event,
  text: (text) => text,
  scrub: (text) => text,
  describe: () => 'off',
};

export function createObfuscator(options: ObfuscateOptions): Obfuscator {
  const classes = new Set(options.classes);
  if (classes.size === 0) return IDENTITY;
  if (options.method === 'hash' && !options.hashKey)
    throw new Error('hash needs a key (the inputs check it)');

  const keyClass = new Map<string, PiiClass>();
  for (const cls of classes) for (const key of KEYS[cls]) keyClass.set(key, cls);
  const withName = classes.has('name');
  const withUsername = classes.has('username');
  /** The class an `identifier` (user name, phone number or e-mail address) is obfuscated as, if chosen. */
  const identifierClass = (value: unknown): PiiClass | undefined =>
    withUsername
      ? 'username'
      : typeof value === 'string' && E164.test(value) && classes.has('phone')
        ? 'phone'
        : undefined;
  const byValueEmail = classes.has('email');
  const byValueIp = classes.has('ip');
  const phoneInUsername = classes.has('phone') && !classes.has('username');
  const hashKey = options.hashKey ?? '';

  // The same people and addresses recur from event to event: remember recent hashes (bounded).
  const hashes = new Map<string, string>();
  const hash = (value: string): string => {
    let hashed = hashes.get(value);
    if (hashed === undefined) {
      hashed = `hmac:${createHmac('sha256', hashKey).update(value).digest().subarray(0, 12).toString('base64url')}`;
      if (value.length <= MEMO_VALUE_MAX) {
        if (hashes.size >= MEMO_SIZE) hashes.clear();
        hashes.set(value, hashed);
      }
    }
    return hashed;
  };

  /** An address, `@` or URL-encoded `%40`: the encoded form hashes as the plain one. */
  const obfuscateEmail = (address: string): string => {
    const at = address.search(AT);
    const separator = address[at] === '@' ? 1 : 3;
    const local = address.slice(0, at);
    // The local part alone is often the default nickname (`jane.doe`): looked for in the event too.
    // Obfuscated as a user name would be, so that a nickname and its mention in text agree.
    if (seen !== undefined && local.length >= QUOTED_MIN && !seen.has(local)) seen.set(local, 'username');
    if (options.method === 'hash') {
      return hash(`${local}@${address.slice(at + separator)}`.toLowerCase());
    }
    return `${firstCharacter(address)}***${address.slice(at)}`;
  };
  const obfuscateIp = (address: string): string => {
    if (options.method === 'hash') return hash(address.toLowerCase());
    if (isIPv4(address)) return address.split('.').slice(0, 2).join('.') + '.*.*';
    return `${firstCharacter(address)}***`;
  };

  /** While event() or scrub() walks: each value obfuscated by key (and local part), and what it became. */
  let seen: Map<string, PiiClass> | undefined;
  /** While event() walks: the free text it met (to tell whether any of `seen` is quoted there). */
  let texts: string[] | undefined;

  /** A whole field's value of class `cls`. */
  const whole = (value: string, cls: PiiClass): string => {
    if (value === '') return value;
    const obfuscated = wholeValue(value, cls);
    if (seen !== undefined) {
      if (!seen.has(value)) seen.set(value, cls);
      // A user name that is an address: its local part is looked for too, as for `email`.
      const at = value.indexOf('@');
      if (at >= QUOTED_MIN && /^[^@\s]+@[^@\s]+$/.test(value) && !seen.has(value.slice(0, at)))
        seen.set(value.slice(0, at), 'username');
    }
    return obfuscated;
  };
  const wholeValue = (value: string, cls: PiiClass): string => {
    // An address is hashed lower-cased whatever key holds it (a user name that is an e-mail hashes
    // as the same person's `email`).
    const isEmail = /^[^@\s]+@[^@\s]+$/.test(value);
    if (isEmail && (cls === 'email' || options.method === 'hash')) return obfuscateEmail(value);
    if (cls === 'ip' && (isIPv4(value) || isIPv6(value))) return obfuscateIp(value);
    return options.method === 'hash' ? hash(value) : `${firstCharacter(value)}***`;
  };

  const text = (value: string): string => {
    let result = value;
    if (result.includes('.eyJ')) result = result.replace(TOKEN_RUN, jwts);
    if (byValueEmail && AT.test(result)) result = result.replace(EMAIL, obfuscateEmail);
    if (byValueEmail && /gravatar/i.test(result)) {
      result = result.replace(GRAVATAR, (_, prefix: string, digest: string) =>
        options.method === 'hash' ? `${prefix}${hash(digest.toLowerCase())}` : `${prefix}***`,
      );
    }
    if (byValueIp) {
      if (/\d\.\d/.test(result)) {
        result = result.replace(IPV4, (found) => (isIPv4(found) ? obfuscateIp(found) : found));
      }
      if (result.includes(':')) {
        result = result.replace(IPV6, (found) => (isFullIPv6(found) ? obfuscateIp(found) : found));
      }
      if (/%3a/i.test(result)) {
        result = result.replace(IPV6_ENCODED, (found) => {
          const address = found.replace(/%3a/gi, ':');
          return isFullIPv6(address) ? obfuscateIp(address) : found;
        });
      }
    }
    return result;
  };

  /**
   * The JWTs in a run of base64url characters and dots (also after `%3D`, `%20`: the run then starts
   * with `3D`, `20`): a payload that holds personal data is obfuscated like an event, its own values
   * looked for in its own text (the signature no longer fits). Split on dots: linear in the run.
   */
  const jwts = (run: string): string => {
    if (!run.includes('.eyJ')) return run;
    const parts = run.split('.');
    let changed = false;
    let tries = 0;
    for (let i = 0; i + 2 < parts.length && tries < JWT_TRIES; i++) {
      const first = parts[i] as string;
      const start = first.indexOf('eyJ');
      if (start < 0 || !(parts[i + 1] as string).startsWith('eyJ')) continue;
      tries++;
      // The header too (it says alg and kid, but nothing stops it from saying more).
      const header = jwtSegment(first.slice(start));
      const payload = jwtSegment(parts[i + 1] as string);
      // Not a token (a decoy `eyJx.` before a real one): look again from the next segment.
      if (header === undefined || payload === undefined) continue;
      if (header !== false) parts[i] = first.slice(0, start) + header;
      if (payload !== false) parts[i + 1] = payload;
      changed ||= header !== false || payload !== false;
      i += 2;
    }
    return changed ? parts.join('.') : run;
  };
  /**
   * A JWT segment: undefined when it is no base64url JSON object, false when it holds nothing to hide,
   * else the segment rewritten.
   */
  const jwtSegment = (segment: string): string | false | undefined => {
    const json = Buffer.from(segment, 'base64url').toString('utf8').trim();
    // Not a JSON object with a member: no parse (and no throw) needed.
    if (!json.endsWith('}') || !json.includes('":')) return undefined;
    let claims: unknown;
    try {
      claims = JSON.parse(json);
    } catch {
      return undefined;
    }
    if (claims === null || typeof claims !== 'object') return undefined;
    const walked = obfuscateWhole(claims, MAX_DEPTH - 10);
    return walked === claims ? false : Buffer.from(JSON.stringify(walked)).toString('base64url');
  };

  // What a key says, worked out once per distinct key (events repeat the same few dozen keys).
  const keyFacts = new Map<string, KeyFacts>();
  const factsOf = (key: string): KeyFacts => {
    let facts = keyFacts.get(key);
    if (facts === undefined) {
      const normalized = normalize(key);
      const prefix = KEY_PREFIXES.find(
        (p) => normalized.startsWith(p) && keyClass.has(normalized.slice(p.length)),
      );
      facts = {
        cls: keyClass.get(normalized) ?? (prefix && keyClass.get(normalized.slice(prefix.length))),
        ownName: normalized === 'name' || normalized === 'displayname',
        holds: PERSON_KEYS.has(normalized)
          ? 'person'
          : RESOURCE_KEYS.has(normalized)
            ? 'resource'
            : undefined,
        profile: PROFILE_KEYS.has(normalized),
        username: USERNAME_KEYS.has(normalized),
        neverTouched: NEVER_TOUCHED.has(key),
        // A key can be personal data too (`{"jane@example.com": 3}`).
        outKey: text(key),
      };
      if (key.length <= MEMO_VALUE_MAX) {
        if (keyFacts.size >= MEMO_SIZE) keyFacts.clear();
        keyFacts.set(key, facts);
      }
    }
    return facts;
  };

  // Returns `value` itself when nothing in it changes, so unchanged parts of an event are shared
  // with the original, not copied (nothing downstream changes an event). Strings compare by content,
  // so "not the same" always means "obfuscated".
  const walk = (value: unknown, cls: PiiClass | undefined, place?: Place, depth = 0): unknown => {
    // Deeper than any real event: not walked (the stack would overflow), not sent either.
    if (depth > MAX_DEPTH && value !== null && typeof value === 'object') return TOO_DEEP;
    if (typeof value === 'string') {
      if (cls) return whole(value, cls);
      // A JSON body kept as text is walked as JSON (its keys count), then written again.
      const json = parseJson(value);
      if (json === undefined) {
        texts?.push(value);
        return text(value);
      }
      const walked = walk(json.value, undefined, place, depth + 1);
      // Kept as written only when it says exactly what was walked: a duplicate key
      // (`{"email":"jane@…","email":null}`) or odd spacing would hide text from the walk.
      return walked === json.value && JSON.stringify(json.value) === value ? value : JSON.stringify(walked);
    }
    if (typeof value === 'number') return cls ? whole(String(value), cls) : value;
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        const walked = walk(item, cls, place, depth + 1);
        if (out === undefined && walked !== item) out = value.slice(0, i);
        out?.push(walked);
      }
      return out ?? value;
    }
    if (value === null || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    const isProfile =
      withName &&
      cls === undefined &&
      place !== 'prompts' &&
      'name' in object &&
      keys.some((key) => factsOf(key).profile);
    let out: Record<string, unknown> | undefined;
    // A thing's own `name`/`display_name`; an assessor's name (`assessments.PhoneNumber`) is no phone.
    const ownNamesFree = place === 'resource' || place === 'resourceBody' || place === 'bodyResource';
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const field = object[key];
      const facts = factsOf(key);
      const keyCls = place === 'assessments' || (ownNamesFree && facts.ownName) ? undefined : facts.cls;
      let value: unknown;
      if (facts.neverTouched) value = field;
      else if (cls !== undefined) value = walk(field, cls, undefined, depth + 1);
      else if ((isProfile || (withName && (place === 'body' || place === 'person'))) && key === 'name')
        value = walk(field, 'name', undefined, depth + 1);
      else if (place === 'body' && key === 'identifier' && identifierClass(field))
        // `/api/v2/user-blocks?identifier=`: a user name, phone number or e-mail address (or several).
        value = walk(field, identifierClass(field), undefined, depth + 1);
      else if (phoneInUsername && facts.username && typeof field === 'string' && E164.test(field))
        value = whole(field, 'phone');
      else value = walk(field, keyCls, childPlace(place, key, object, facts), depth + 1);
      if (out === undefined) {
        if (value === field && facts.outKey === key) continue;
        // The first change: the object is copied from here on (the keys before it as they were).
        out = {};
        for (let j = 0; j < i; j++) setOwn(out, keys[j] as string, object[keys[j] as string]);
      }
      // Two keys masked alike both stay.
      let outKey = facts.outKey;
      for (let n = 2; Object.hasOwn(out, outKey); n++) outKey = `${facts.outKey} #${n}`;
      setOwn(out, outKey, value);
    }
    return out ?? object;
  };

  const method = options.method === 'hash' ? 'hashed (HMAC-SHA256)' : 'masked';
  const summary = `${[...classes].join(', ')} ${method}`;
  /**
   * `value` walked, with the values obfuscated by key in it (and the class each was obfuscated as) and
   * the free text met. Re-entrant: a JWT inside an event is walked so too, and what it finds is looked
   * for in the event as well.
   */
  const walkCollecting = (
    value: unknown,
    depth: number,
  ): { out: unknown; found: Map<string, PiiClass>; met: string[] } => {
    const outer = { seen, texts };
    const found = new Map<string, PiiClass>();
    const met: string[] = [];
    seen = found;
    texts = met;
    try {
      return { out: walk(value, undefined, depth === 0 ? 'top' : undefined, depth), found, met };
    } finally {
      seen = outer.seen;
      texts = outer.texts;
      for (const [plain, cls] of found) if (seen !== undefined && !seen.has(plain)) seen.set(plain, cls);
    }
  };

  /**
   * The found values worth looking for (from QUOTED_MIN characters), longest first (so that a value
   * inside another is not replaced first), at most QUOTED_MAX, with what each becomes.
   */
  const quotable = (found: ReadonlyMap<string, PiiClass>): Array<[string, string]> =>
    [...found]
      .filter(([plain]) => plain.length >= QUOTED_MIN)
      .map(([plain, cls]): [string, string] => [plain, wholeValue(plain, cls)])
      .filter(([plain, obfuscated]) => plain !== obfuscated)
      .sort(([a], [b]) => b.length - a.length)
      .slice(0, QUOTED_MAX);

  /**
   * `value` obfuscated, then the values found by key replaced where it quotes them (Auth0 writes "User
   * (jane) attempted 10 consecutive logins"; the default nickname is the e-mail's local part).
   */
  const obfuscateWhole = (value: unknown, depth: number): unknown => {
    const { out, found, met } = walkCollecting(value, depth);
    if (found.size === 0 || met.length === 0) return out;
    // Most events quote nothing: when the found values are few, tell so before obfuscating them.
    if (found.size <= QUOTED_MAX && !met.some((text) => someIn(text, found.keys()))) return out;
    const quoted = quotable(found);
    // The cheap test first: is any of them (at most QUOTED_MAX) in the text met at all?
    if (!met.some((text) => quoted.some(([plain]) => text.includes(plain)))) return out;
    return replaceQuoted(out, quotedWords(quoted), new Map(quoted), depth === 0 ? 'top' : undefined);
  };

  /**
   * One pass per string over the found values, longest first: where they stand as words in an event
   * (a user named `bob` is not in "bobcat"), anywhere in a message for the log (`scrub`). A hash this
   * stage wrote (`hmac:…`) is matched first and kept, so that a user named `hmac` cannot rewrite it.
   */
  const quotedWords = (found: Array<[string, string]>, anywhere = false): RegExp => {
    const values = `(?:${found.map(([plain]) => escapeRegExp(plain)).join('|')})`;
    const quoted = anywhere ? values : `(?<![\\p{L}\\p{N}])${values}(?![\\p{L}\\p{N}])`;
    return new RegExp(`hmac:[\\w-]{16}(?![\\w-])|${quoted}`, 'gu');
  };

  /** Every free-text string in `value` with the quoted values replaced (identifiers, prompts aside). */
  const replaceQuoted = (
    value: unknown,
    words: RegExp,
    by: ReadonlyMap<string, string>,
    place: 'top' | 'details' | 'prompts' | undefined,
  ): unknown => {
    if (typeof value === 'string') return value.replace(words, (plain) => by.get(plain) ?? plain);
    if (Array.isArray(value)) {
      const items = value.map((item) =>
        replaceQuoted(item, words, by, place === 'prompts' ? place : undefined),
      );
      return items.some((item, i) => item !== value[i]) ? items : value;
    }
    if (value === null || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    const keys = Object.keys(object);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const field = object[key];
      const child =
        place === 'top' && key === 'details'
          ? 'details'
          : place === 'details' && key === 'prompts'
            ? 'prompts'
            : undefined;
      let replaced: unknown;
      // A prompt's `name` is a step of the flow (`login`), not text.
      if (NOT_FREE_TEXT.has(key) || (place === 'prompts' && key === 'name')) replaced = field;
      else if (key === 'user_id' && typeof field === 'string') {
        // `samlp|corp|jane.doe`: the provider and connection before the last `|` are not the person.
        const bar = field.lastIndexOf('|') + 1;
        replaced = field.slice(0, bar) + (replaceQuoted(field.slice(bar), words, by, undefined) as string);
        if (replaced === field) replaced = field;
      } else replaced = replaceQuoted(field, words, by, child);
      if (out === undefined) {
        if (replaced === field) continue;
        out = {};
        for (let j = 0; j < i; j++) setOwn(out, keys[j] as string, object[keys[j] as string]);
      }
      setOwn(out, key, replaced);
    }
    return out ?? object;
  };

  const event = (input: LogEvent): LogEvent => obfuscateWhole(input, 0) as LogEvent;

  const scrub = (message: string, input: LogEvent): string => {
    const quoted = quotable(walkCollecting(input, 0).found);
    const by = new Map(quoted);
    const replaced =
      quoted.length === 0
        ? message
        : message.replace(quotedWords(quoted, true), (plain) => by.get(plain) ?? plain);
    return text(replaced);
  };

  return {
    event,
    text,
    scrub,
    describe: () => summary,
  };
}

/** Whether `text` holds any of `values` that is long enough to look for. */
function someIn(text: string, values: Iterable<string>): boolean {
  for (const plain of values) if (plain.length >= QUOTED_MIN && text.includes(plain)) return true;
  return false;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** An IPv6 address written out (with `::` or all eight groups), not a time like `12:30:45`. */
function isFullIPv6(text: string): boolean {
  return isIPv6(text) && (text.includes('::') || text.split(':').length === 8);
}

function normalize(key: string): string {
  return key.toLowerCase().replace(/[-_.\s]/g, '');
}

function parseJson(text: string): { value: unknown } | undefined {
  if (text.length > JSON_TEXT_MAX) return undefined;
  // The first character after JSON's whitespace, without copying the text.
  let i = 0;
  let c = text.charCodeAt(0);
  while (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) c = text.charCodeAt(++i);
  if (c !== 0x7b /* { */ && c !== 0x5b /* [ */) return undefined;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** Where in the event a value is, as far as the `name` rule cares. */
/**
 * `resourceExchange`/`resourceBody`: a Management API call about another resource (an application, a
 * connection), whose body's own `name` (or its items' in a list) names that resource; deeper, a body
 * is a body.
 */
type Place =
  | 'top'
  | 'details'
  | 'exchange'
  | 'body'
  | 'prompts'
  | 'resourceExchange'
  | 'resourceBody'
  | 'person'
  | 'resource'
  | 'bodyResource'
  | 'riskAssessment'
  | 'assessments';

function childPlace(
  place: Place | undefined,
  key: string,
  parent: Record<string, unknown>,
  facts: KeyFacts,
): Place | undefined {
  if (place === 'prompts') return place;
  // In a body every lone `name` is a person's, however deep: a person stays a body, a thing keeps
  // only its own names (`bodyResource`), and what is under it is a body again.
  const inBody = place === 'body' || place === 'bodyResource' || place === 'resourceBody';
  if (facts.holds === 'resource') return inBody ? 'bodyResource' : 'resource';
  if (facts.holds === 'person') return inBody ? 'body' : 'person';
  if (inBody) return 'body';
  // Adaptive MFA's assessors (`riskAssessment.assessments.PhoneNumber`) are names, not data.
  if (key === 'riskAssessment') return 'riskAssessment';
  if (place === 'riskAssessment' && key === 'assessments') return 'assessments';
  if (place === 'person') return 'person';
  if (place === 'top' && key === 'details') return 'details';
  // A signup's or profile change's request (`ss`, `fs`, `scpr`, `sce`…) is `details.body`.
  if (place === 'details' && key === 'body') return 'body';
  if (place === 'details' && (key === 'request' || key === 'response')) {
    return aboutPeople(parent) ? 'exchange' : 'resourceExchange';
  }
  if (place === 'details' && key === 'prompts') return 'prompts';
  if (place === 'exchange' && (key === 'body' || key === 'query')) return 'body';
  if (place === 'resourceExchange' && key === 'body') return 'resourceBody';
  return undefined;
}

/** `object[key] = value`, also for an own `__proto__` key (kept as data, not taken as the prototype). */
function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

/**
 * Whether a request/response pair (`details` of a `sapi` event) is about people: not when it is a
 * Management API call about another resource (`POST /api/v2/clients` names an application,
 * `/api/v2/connections` a connection), where the body's own `name` is the resource's (anything
 * nested in the body is still a body's). Paths about users, members and invitations, and exchanges
 * without a path (a signup), are.
 */
function aboutPeople(details: Record<string, unknown>): boolean {
  const request = details['request'];
  const path =
    request !== null && typeof request === 'object'
      ? (request as Record<string, unknown>)['path']
      : undefined;
  if (typeof path !== 'string' || !/^\/api\/v2\//i.test(path)) return true;
  return /user|member|invitation/i.test(path);
}

function firstCharacter(value: string): string {
  return String.fromCodePoint(value.codePointAt(0) ?? 0x2a);
}
