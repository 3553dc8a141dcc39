import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../src/auth0/log-event.js';
import { createObfuscator, PII_CLASSES, type PiiClass, type PiiMethod } from '../src/choose/obfuscate.js';

// Planted personal values, each unmistakable, so that "not in the output" is a real check.
const P = {
  email: 'jane.planted@example.org',
  email2: 'ops.planted@corp.example',
  username: 'janeplantedhandle',
  given: 'Janeplanted',
  family: 'Doeplanted',
  name: 'Jane Plantedfull',
  phone: '+15550001234',
  street: '1 Plantedstreet',
  ipv4: '203.0.113.77',
  ipv4b: '198.51.100.23',
  ipv6: '2001:db8:85a3::8a2e:370:7334',
};

const CLASS_VALUES: Record<PiiClass, string[]> = {
  email: [P.email, P.email2],
  username: [P.username],
  name: [P.given, P.family, P.name],
  phone: [P.phone],
  address: [P.street],
  ip: [P.ipv4, P.ipv4b, P.ipv6],
};

function plantedEvent(): LogEvent {
  return {
    log_id: '90020260101000000000000000000000000000000000000000000001',
    _id: '90020260101000000000000000000000000000000000000000000001',
    type: 'sce',
    date: '2026-01-01T00:00:00.000Z',
    client_id: 'AbCdEf123',
    client_name: 'Production app',
    connection: 'Username-Password-Authentication',
    connection_id: 'con_123',
    user_id: 'auth0|65f0c0ffee',
    user_name: P.username,
    ip: P.ipv4,
    user_agent: 'Chrome 120.0.0 / Mac OS X 10.15.7 Mozilla/5.0 Chrome/120.0.0.0',
    hostname: 'acme.us.auth0.com',
    strategy: 'auth0',
    description: `Email changed to ${P.email2} from ${P.ipv4b} (via ${P.ipv6})`,
    details: {
      email: P.email,
      count: 3,
      ok: true,
      nothing: null,
      request: {
        ip: P.ipv6,
        headers: { 'x-forwarded-for': `${P.ipv4}, 10.0.0.1` },
        body: {
          email: P.email,
          name: P.name,
          given_name: P.given,
          familyName: P.family,
          phone_number: P.phone,
          address: { street_address: P.street, postal_code: 12345 },
          nickname: P.username,
        },
        rawBody: `{"email":"${P.email}","ip":"${P.ipv4b}"}`,
      },
      actions: { executions: [{ name: 'post-login-action', error: { name: 'TypeError' } }] },
      deep: [[{ a: [{ b: { c: { Phone: P.phone, FIRST_NAME: P.given } } }] }]],
    },
  };
}

const KEY = 'k'.repeat(32);

function run(classes: PiiClass[], method: PiiMethod, hashKey: string | undefined = KEY): LogEvent {
  return createObfuscator({ classes, method, hashKey }).event(plantedEvent());
}

describe('createObfuscator', () => {
  describe.each<PiiMethod>(['mask', 'hash'])('%s', (method) => {
    it.each(PII_CLASSES.map((c) => [c]))(
      'removes every planted %s value, at every depth and in free text',
      (cls) => {
        const out = JSON.stringify(run([cls], method));
        for (const value of CLASS_VALUES[cls]) expect(out, value).not.toContain(value);
        // The other classes' values are still there (nothing unrelated is touched).
        for (const other of PII_CLASSES.filter((c) => c !== cls)) {
          for (const value of CLASS_VALUES[other]) {
            // A user name inside an e-mail or the like would be fine to lose; none is planted that way.
            expect(out, `${other} ${value} with ${cls}`).toContain(JSON.stringify(value).slice(1, -1));
          }
        }
      },
    );

    it('with every class, no planted value is left, and the identifiers and unrelated fields are unchanged', () => {
      const original = plantedEvent();
      const out = run([...PII_CLASSES], method);
      const text = JSON.stringify(out);
      for (const value of Object.values(P)) expect(text).not.toContain(value);
      for (const key of [
        'log_id',
        '_id',
        'type',
        'date',
        'client_id',
        'client_name',
        'connection',
        'connection_id',
        'user_id',
        'user_agent',
        'hostname',
        'strategy',
      ] as const) {
        expect(out[key], key).toEqual(original[key]);
      }
      const details = out.details as Record<string, unknown>;
      expect(details.count).toBe(3);
      expect(details.ok).toBe(true);
      expect(details.nothing).toBeNull();
      expect(details.actions).toEqual({
        executions: [{ name: 'post-login-action', error: { name: 'TypeError' } }],
      });
      expect(out.description).toMatch(/^Email changed to \S+ from \S+ \(via \S+\)$/);
    });

    it('does not change its input', () => {
      const event = plantedEvent();
      createObfuscator({ classes: [...PII_CLASSES], method, hashKey: KEY }).event(event);
      expect(event).toEqual(plantedEvent());
    });
  });

  it('mask reveals at most a first character, an e-mail domain and an IPv4 /16', () => {
    const out = run(['email', 'username', 'name', 'ip', 'phone'], 'mask');
    const details = out.details as { email: string; request: { ip: string; body: Record<string, unknown> } };
    expect(details.email).toBe('j***@example.org');
    expect(out.ip).toBe('203.0.*.*');
    expect(out.user_name).toBe('j***');
    expect(details.request.body.given_name).toBe('J***');
    expect(details.request.body.phone_number).toBe('+***');
    expect(details.request.ip).toBe('2***');
    expect(out.description).toBe('Email changed to o***@corp.example from 198.51.*.* (via 2***)');
  });

  it('hash: a short keyed HMAC with a visible prefix, the same for the same value, different across keys', () => {
    const a = run(['email', 'ip', 'username'], 'hash', KEY);
    const again = run(['email', 'ip', 'username'], 'hash', KEY);
    const other = run(['email', 'ip', 'username'], 'hash', 'another key of some length');
    expect(a).toEqual(again);
    expect(a.user_name).toMatch(/^hmac:[A-Za-z0-9_-]{16}$/);
    expect(a.ip).not.toBe(other.ip);
    expect(a.user_name).not.toBe(other.user_name);
    const details = a.details as { email: string; request: { body: { email: string; nickname: string } } };
    // The same person hashes the same wherever they appear: key-matched or found in text, any case.
    expect(details.email).toBe(details.request.body.email);
    expect(details.request.body.nickname).toBe(a.user_name);
    const upper = createObfuscator({ classes: ['email'], method: 'hash', hashKey: KEY }).text(
      P.email.toUpperCase(),
    );
    expect(upper).toBe(details.email);
    // Not an unkeyed hash: the bare SHA-256 of the address is not what is sent.
    const unkeyed = createHash('sha256').update(P.email).digest().subarray(0, 12).toString('base64url');
    expect(JSON.stringify(a)).not.toContain(unkeyed);
  });

  it('hash: an e-mail address hashes lower-cased under any key; long values are hashed all the same', () => {
    const o = createObfuscator({ classes: ['email', 'username'], method: 'hash', hashKey: KEY });
    const out = o.event({ user_name: 'Jane@Example.com', details: { email: 'jane@example.com' } });
    expect(out.user_name).toBe((out.details as { email: string }).email);
    const long = 'x'.repeat(1000);
    const first = o.event({ user_name: long }).user_name;
    expect(first).toMatch(/^hmac:/);
    expect(o.event({ user_name: long }).user_name).toBe(first);
  });

  it('finds addresses in free text but not version numbers or times', () => {
    const o = createObfuscator({ classes: ['ip', 'email'], method: 'mask' });
    expect(o.text('Mozilla/5.0 Chrome/120.0.0.0 Safari/537.36')).toBe(
      'Mozilla/5.0 Chrome/120.0.0.0 Safari/537.36',
    );
    expect(o.text('at 12:30:45 on 2026-01-01, v1.2.3.4.5')).toBe('at 12:30:45 on 2026-01-01, v1.2.3.4.5');
    expect(o.text('from 10.1.2.3: denied; from ::1 and fe80::1; mail a@b.example.')).toBe(
      'from 10.1.*.*: denied; from :*** and f***; mail a***@b.example.',
    );
    expect(o.text('samlp|corp|jane@corp.example')).toBe('samlp|corp|j***@corp.example');
  });

  it('finds URL-encoded e-mail and IP addresses', () => {
    const o = createObfuscator({ classes: ['ip', 'email'], method: 'mask' });
    expect(o.text('/api/v2/users/samlp%7Ccorp%7Cjane%40corp.example')).toBe(
      '/api/v2/users/samlp%7Ccorp%7Cj***%40corp.example',
    );
    expect(o.text('/authorize?login_hint=jane%40example.com&x=1')).toBe(
      '/authorize?login_hint=j***%40example.com&x=1',
    );
    expect(o.text('q=ip%3D10.20.30.40%20and%20ip=10.9.8.7')).toBe('q=ip%3D10.20.*.*%20and%20ip=10.9.*.*');
    const h = createObfuscator({ classes: ['email'], method: 'hash', hashKey: KEY });
    expect(h.text('Jane%40Example.com')).toBe(h.text('jane@example.com'));
  });

  it('personal data in object keys is obfuscated; keys masked alike all stay', () => {
    const o = createObfuscator({ classes: ['ip', 'email'], method: 'mask' });
    expect(o.event({ details: { 'jane@example.com': 3, '10.1.2.3': 1, '10.1.9.9': 2, ok: 0 } })).toEqual({
      details: { 'j***@example.com': 3, '10.1.*.*': 1, '10.1.*.* #2': 2, ok: 0 },
    });
  });

  it('an own `__proto__` key is kept (as data) and obfuscated', () => {
    const o = createObfuscator({ classes: ['email'], method: 'mask' });
    const event = JSON.parse('{"details":{"__proto__":{"email":"jane@example.com"},"a":1}}') as LogEvent;
    const out = o.event(event);
    const details = out.details as Record<string, unknown>;
    expect(Object.keys(details)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(details)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"details":{"__proto__":{"email":"j***@example.com"},"a":1}}');
  });

  it('an IPv6 at the end of a sentence', () => {
    const o = createObfuscator({ classes: ['ip'], method: 'mask' });
    expect(o.text('Blocked from 2001:db8::1. Retry later.')).toBe('Blocked from 2***. Retry later.');
    expect(o.text('at 12:30:45.123')).toBe('at 12:30:45.123');
  });

  it('an IPv4 in a URL path is an address, not a version', () => {
    const o = createObfuscator({ classes: ['ip'], method: 'mask' });
    const event = o.event({ details: { request: { path: '/api/v2/anomaly/blocks/ips/203.0.113.7' } } });
    expect(event).toEqual({ details: { request: { path: '/api/v2/anomaly/blocks/ips/203.0.*.*' } } });
    expect(o.text('blocks/ips/203.0.113.7 (Edge/120.0.0.0) Chrome/120.0.0.0')).toBe(
      'blocks/ips/203.0.*.* (Edge/120.0.0.0) Chrome/120.0.0.0',
    );
  });

  it('a bare `name` only in a user profile', () => {
    const o = createObfuscator({ classes: ['name'], method: 'mask' });
    expect(o.event({ details: { name: 'Some Action' } })).toEqual({ details: { name: 'Some Action' } });
    expect(o.event({ details: { name: 'Jane Doe', user_id: 'auth0|1' } })).toEqual({
      details: { name: 'J***', user_id: 'auth0|1' },
    });
  });

  it('plural (SCIM) containers, spaced keys and more phone and name keys', () => {
    const o = createObfuscator({ classes: ['email', 'phone', 'address', 'name'], method: 'mask' });
    const out = o.event({
      details: {
        emails: [{ value: 'jane@example.com', type: 'work', primary: true }],
        phoneNumbers: [{ value: '+15550001234', type: 'mobile' }],
        phones: ['+15550009999'],
        addresses: [{ formatted: '1 Main St, Springfield', type: 'home' }],
        'Phone Number': '+15550002222',
        'Full Name': 'Jane Doe',
        mobileNumber: '+15550003333',
        telephone: '+15550004444',
        surname: 'Doe',
      },
    });
    expect(out).toEqual({
      details: {
        emails: [{ value: 'j***@example.com', type: 'work', primary: true }],
        phoneNumbers: [{ value: '+***', type: 'mobile' }],
        phones: ['+***'],
        addresses: [{ formatted: '1***', type: 'home' }],
        'Phone Number': '+***',
        'Full Name': 'J***',
        mobileNumber: '+***',
        telephone: '+***',
        surname: 'D***',
      },
    });
  });

  it("a lone `name` in a request or response body is a name; a prompt's name is not", () => {
    const o = createObfuscator({ classes: ['name'], method: 'mask' });
    const out = o.event({
      name: 'Top',
      details: {
        request: { name: 'Req', body: { name: 'Jane Doe', meta: { name: 'Jane' } } },
        response: { body: { name: 'John Roe' } },
        prompts: [{ name: 'login', user_id: 'auth0|1', user_name: 'jane', connection: 'db' }],
      },
    });
    expect(out).toEqual({
      name: 'Top',
      details: {
        request: { name: 'Req', body: { name: 'J***', meta: { name: 'J***' } } },
        response: { body: { name: 'J***' } },
        prompts: [{ name: 'login', user_id: 'auth0|1', user_name: 'jane', connection: 'db' }],
      },
    });
  });

  it('a Management API call about another resource: the `name` in its bodies is that resource’s, not a person’s', () => {
    const o = createObfuscator({ classes: ['name', 'email'], method: 'mask' });
    const call = (path: string, body: Record<string, unknown>) =>
      o.event({
        type: 'sapi',
        details: { request: { method: 'post', path, body }, response: { statusCode: 201, body } },
      }).details as {
        request: { body: Record<string, unknown> };
        response: { body: Record<string, unknown> };
      };
    const app = call('/api/v2/clients', { name: 'Production app', app_type: 'spa' });
    expect(app.request.body['name']).toBe('Production app');
    expect(app.response.body['name']).toBe('Production app');
    expect(call('/api/v2/connections/con_1', { name: 'corp-db' }).request.body['name']).toBe('corp-db');
    // About people: users, organization members and invitations (the inviter's name).
    expect(call('/api/v2/users/auth0|1', { name: 'Jane Doe' }).request.body['name']).toBe('J***');
    const invitation = call('/api/v2/organizations/org_1/invitations', { inviter: { name: 'Jane Doe' } });
    expect(invitation.request.body['inviter']).toEqual({ name: 'J***' });
    // A profile is a profile anywhere, and e-mail addresses are found by value everywhere.
    const profile = call('/api/v2/clients', { owner: { name: 'Jane Doe', email: 'jane@example.com' } });
    expect(profile.request.body['owner']).toEqual({ name: 'J***', email: 'j***@example.com' });
    // Without a path (a signup), a body's `name` is a person's.
    expect(o.event({ details: { request: { body: { name: 'Jane Doe' } } } })).toEqual({
      details: { request: { body: { name: 'J***' } } },
    });
  });

  it('an IPv6 after a URL-encoded `=`, and one with its colons URL-encoded', () => {
    const o = createObfuscator({ classes: ['ip'], method: 'mask' });
    expect(o.text('/authorize?ip%3D2001:db8::7&x=1')).toBe('/authorize?ip%3D2***&x=1');
    expect(o.text('q=ip%3D2001%3Adb8%3A%3A7%26next')).toBe('q=ip%3D2***%26next');
    expect(o.text('from=fe80%3A%3A1')).toBe('from=f***');
    // After any %XX: an encoded bracket, quote or colon; an IPv4-mapped IPv6; encoded JSON.
    expect(o.text('r=http%3A%2F%2F%5B2001%3Adb8%3A%3A1%5D%3A8080')).toBe('r=http%3A%2F%2F%5B2***%5D%3A8080');
    expect(o.text('ip=%3A%3Affff%3A192.0.2.1')).not.toContain('192.0.2.1');
    expect(o.text('%7B%22ip%22%3A%222001%3Adb8%3A%3A1%22%7D')).toBe('%7B%22ip%22%3A%222***%22%7D');
    expect(o.text('%7B%22ip%22%3A%22192.0.2.1%22%7D')).toBe('%7B%22ip%22%3A%22192.0.*.*%22%7D');
    expect(o.text('ip%3A2001:db8::1')).toBe('ip%3A2***');
    // Times and encoded text that is no address stay.
    expect(o.text('at%3D12%3A30%3A45 and a%3Ab%3Ac')).toBe('at%3D12%3A30%3A45 and a%3Ab%3Ac');
    const hashed = createObfuscator({ classes: ['ip'], method: 'hash', hashKey: 'k' });
    expect(hashed.text('ip=2001%3ADB8%3A%3A7')).toBe(hashed.text('ip=2001:db8::7'));
  });

  it("scrub: a message quoting the event's personal data (a condition's `$error`) is obfuscated as the event is", () => {
    const o = createObfuscator({ classes: ['username', 'name', 'phone'], method: 'mask' });
    const event = {
      user_name: 'janeplanted',
      details: {
        request: { body: { given_name: 'Janeplantedgiven', phone_number: '+15550001234', x: 'J' } },
      },
    };
    expect(o.scrub('odd: janeplanted Janeplantedgiven +15550001234 J', event)).toBe('odd: j*** J*** +*** J');
    // Addresses are found by value, as in text().
    const withEmail = createObfuscator({ classes: ['email'], method: 'mask' });
    expect(withEmail.scrub('for jane@example.com', {})).toBe('for j***@example.com');
    expect(createObfuscator({ classes: [], method: 'mask' }).scrub('janeplanted', event)).toBe('janeplanted');
  });

  it('in a call about another resource only the body’s own `name` is left; a person nested in it is a person', () => {
    const o = createObfuscator({ classes: ['name'], method: 'mask' });
    const bodyOf = (path: string, body: unknown) =>
      (
        o.event({ details: { request: { path, body }, response: { body } } }).details as {
          request: { body: unknown };
          response: { body: unknown };
        }
      ).request.body;
    expect(bodyOf('/api/v2/clients', { name: 'App', contact: { name: 'Jane Doe' } })).toEqual({
      name: 'App',
      contact: { name: 'J***' },
    });
    expect(bodyOf('/api/v2/actions/actions/a1/test', { payload: { user: { name: 'Jane Doe' } } })).toEqual({
      payload: { user: { name: 'J***' } },
    });
    // A list of resources (GET /api/v2/clients): each item's own name.
    expect(bodyOf('/api/v2/clients', [{ name: 'App1' }, { name: 'App2' }])).toEqual([
      { name: 'App1' },
      { name: 'App2' },
    ]);
    expect(bodyOf('/api/v2/clients', JSON.stringify({ name: 'App', owner: { name: 'Jane Doe' } }))).toBe(
      JSON.stringify({ name: 'App', owner: { name: 'J***' } }),
    );
  });

  it('JSON text with a duplicate key is written again, so the value JSON.parse dropped does not leave', () => {
    const o = createObfuscator({ classes: ['email', 'name'], method: 'mask' });
    const out = o.event({
      details: { request: { body: '{"email":"jane@example.com","email":null,"name":"Jane","name":null}' } },
    });
    const text = JSON.stringify(out);
    expect(text).not.toContain('jane@example.com');
    expect(text).not.toContain('Jane');
    // Unchanged JSON text written compactly stays byte for byte.
    const plain = '{"a":1,"b":[true,null]}';
    expect((o.event({ details: { x: plain } }).details as { x: string }).x).toBe(plain);
  });

  it('nesting too deep to walk (in the event or in JSON text) is replaced, never a crash', () => {
    const o = createObfuscator({ classes: [...PII_CLASSES], method: 'mask' });
    const deepText = '['.repeat(20_000) + '"jane@example.com"' + ']'.repeat(20_000);
    let deepObject: unknown = { email: 'jane@example.com' };
    for (let i = 0; i < 20_000; i++) deepObject = { a: deepObject };
    const out = o.event({ log_id: '1', details: { text: deepText, object: deepObject, ok: 'kept' } });
    const details = out.details as Record<string, unknown>;
    expect(JSON.stringify(out)).not.toContain('jane@example.com');
    expect(JSON.stringify(out)).toContain('too deep to check for personal data');
    expect(details['ok']).toBe('kept');
    expect(out.log_id).toBe('1');
  });

  it("a value found by key is replaced where the event quotes it too; an address's local part as well", () => {
    const o = createObfuscator({ classes: ['username', 'email'], method: 'mask' });
    const out = o.event({
      type: 'limit_wc',
      description: 'User (plantedhandle) attempted 10 consecutive logins unsuccessfully.',
      user_name: 'plantedhandle',
      details: { body: { email: 'planted.person@corp.example', greeting: 'Hi planted.person' } },
    });
    expect(out.description).toBe('User (p***) attempted 10 consecutive logins unsuccessfully.');
    expect((out.details as { body: { greeting: string } }).body.greeting).toBe('Hi p***');
    // Only where it stands as a word.
    expect(o.event({ user_name: 'bob', description: 'bobcat and bob.' })).toEqual({
      user_name: 'b***',
      description: 'bobcat and b***.',
    });
    // Short values are not looked for in text (`Al` is in too many words).
    const short = o.event({ user_name: 'Al', description: 'Alert for Al' });
    expect(short).toEqual({ user_name: 'A***', description: 'Alert for Al' });
  });

  it('a Gravatar URL (the unkeyed MD5 of an address) and a JWT carrying an address are obfuscated', () => {
    const digest = createHash('md5').update('jane@example.com').digest('hex');
    const picture = `https://s.gravatar.com/avatar/${digest}?s=480&r=pg`;
    expect(createObfuscator({ classes: ['email'], method: 'mask' }).text(picture)).toBe(
      'https://s.gravatar.com/avatar/***?s=480&r=pg',
    );
    const hashed = createObfuscator({ classes: ['email'], method: 'hash', hashKey: 'k' }).text(picture);
    expect(hashed).toMatch(/^https:\/\/s\.gravatar\.com\/avatar\/hmac:[\w-]{16}\?s=480&r=pg$/);
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${b64({ alg: 'RS256' })}.${b64({ sub: 'auth0|1', email: 'jane@example.com' })}.c2ln`;
    const out = createObfuscator({ classes: ['email'], method: 'mask' }).text(
      `/logout?id_token_hint=${token}`,
    );
    const payload = out.split('.')[1] as string;
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toEqual({
      sub: 'auth0|1',
      email: 'j***@example.com',
    });
  });

  it('keys with old/new/… prefixes; an assessor named PhoneNumber is no phone; a thing’s own names are not a person’s', () => {
    const o = createObfuscator({ classes: ['phone', 'username', 'name', 'ip'], method: 'mask' });
    const out = o.event({
      details: {
        body: { old_phone_number: '+15550001111', newUsername: 'janedoe', newUername: 'janedoe2' },
        riskAssessment: { assessments: { PhoneNumber: { code: 'phone_number_unknown', confidence: 'low' } } },
        organization: { name: 'acme', display_name: 'Acme Corp' },
        invitation: { inviter: { name: 'Jane Doe' } },
      },
      location_info: { country_code: 'US', city_name: 'Tucson', latitude: 32.2, longitude: -110.9 },
    });
    expect(out).toEqual({
      details: {
        body: { old_phone_number: '+***', newUsername: 'j***', newUername: 'j***' },
        riskAssessment: { assessments: { PhoneNumber: { code: 'phone_number_unknown', confidence: 'low' } } },
        organization: { name: 'acme', display_name: 'Acme Corp' },
        invitation: { inviter: { name: 'J***' } },
      },
      location_info: { country_code: 'US', city_name: 'T***', latitude: '3***', longitude: '-***' },
    });
  });

  it('review: a body keeps every lone name a person’s below a person or thing; assessors only under riskAssessment', () => {
    const names = createObfuscator({ classes: ['name', 'phone'], method: 'mask' });
    const body = {
      user: { user_metadata: { name: 'Jane Doe' } },
      members: [{ profile: { name: 'Jane Doe' } }],
      app_metadata: { organization: { contact: { name: 'Jane Doe' }, display_name: 'Acme' } },
    };
    expect(names.event({ details: { request: { path: '/api/v2/users', body } } })).toEqual({
      details: {
        request: {
          path: '/api/v2/users',
          body: {
            user: { user_metadata: { name: 'J***' } },
            members: [{ profile: { name: 'J***' } }],
            app_metadata: { organization: { contact: { name: 'J***' }, display_name: 'Acme' } },
          },
        },
      },
    });
    expect(names.event({ user_metadata: { assessments: { phone: '+15551234567' } } })).toEqual({
      user_metadata: { assessments: { phone: '+***' } },
    });
  });

  it('review: values found by key are not looked for in identifiers, user agents or time zones, nor inside hashes', () => {
    const o = createObfuscator({ classes: ['username', 'ip'], method: 'mask' });
    expect(
      o.event({
        user_id: 'auth0|65f',
        strategy: 'auth0',
        hostname: 'acme.us.auth0.com',
        user_agent: 'Mac OS X',
        user_name: 'auth0',
        description: 'Login by auth0',
        location_info: { city_name: 'London', time_zone: 'Europe/London' },
      }),
    ).toEqual({
      user_id: 'auth0|65f',
      strategy: 'auth0',
      hostname: 'acme.us.auth0.com',
      user_agent: 'Mac OS X',
      user_name: 'a***',
      description: 'Login by a***',
      location_info: { city_name: 'L***', time_zone: 'Europe/London' },
    });
    const hashed = createObfuscator({ classes: ['username', 'email'], method: 'hash', hashKey: 'k' });
    const out = hashed.event({ user_name: 'hmac', details: { email: 'x@y.example', note: 'hmac here' } });
    const email = (out.details as { email: string }).email;
    expect(email).toMatch(/^hmac:[\w-]{16}$/);
    expect((out.details as { note: string }).note).toBe(`${out.user_name as string} here`);
  });

  it('review: a JWT after %3D or %20 and its header are walked; an identifier that is a phone number with phone alone', () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const o = createObfuscator({ classes: ['email', 'phone'], method: 'mask' });
    const token = `${b64({ alg: 'RS256', email: 'a.b@c.example' })}.${b64({ email: 'jane@c.example' })}.c2ln`;
    for (const text of [`/logout%3Fid_token_hint%3D${token}`, `Bearer%20${token}`]) {
      const decoded = o
        .text(text)
        .split('.')
        .slice(0, 2)
        .map((part) => Buffer.from(part.replace(/^.*(eyJ)/, '$1'), 'base64url').toString());
      expect(decoded.join(' ')).not.toMatch(/a\.b@|jane@/);
    }
    expect(
      o.event({
        details: { request: { path: '/api/v2/user-blocks', query: { identifier: '+15551234567' } } },
      }),
    ).toEqual({ details: { request: { path: '/api/v2/user-blocks', query: { identifier: '+***' } } } });
  });

  it('any user name, quoted in the text around it, never makes it throw, and does not stay as a word', () => {
    const o = createObfuscator({ classes: [...PII_CLASSES], method: 'mask' });
    const h = createObfuscator({ classes: [...PII_CLASSES], method: 'hash', hashKey: 'k' });
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 3, maxLength: 40 }),
        fc.string({ unit: 'binary', maxLength: 20 }),
        (name, around) => {
          for (const obfuscator of [o, h]) {
            const event = {
              user_name: name,
              description: `User (${name}) ${around}`,
              details: { note: name },
            };
            const out = obfuscator.event(event);
            const message = obfuscator.scrub(`odd: ${name}`, event);
            expect(message).not.toContain(name);
            expect((out.details as { note: string }).note).not.toBe(name);
          }
        },
      ),
      { numRuns: Number(process.env['OBFUSCATE_RUNS'] ?? 300) },
    );
  });

  it('review 3: quoted values in a user_id after its provider; in prompts but their names; a city in text', () => {
    const o = createObfuscator({ classes: ['username', 'ip'], method: 'mask' });
    const out = o.event({
      user_id: 'okta|okta-scim|jdoe@corp.example',
      user_name: 'jdoe@corp.example',
      description: 'Login from Plantedcity',
      location_info: { city_name: 'Plantedcity' },
      details: {
        prompts: [{ name: 'jdoe', note: 'by jdoe@corp.example' }],
        request: { body: { identifier: ['jdoe'] } },
      },
    });
    expect(out.user_id).toBe('okta|okta-scim|j***');
    expect(out.description).toBe('Login from P***');
    expect((out.details as { prompts: unknown[] }).prompts).toEqual([{ name: 'jdoe', note: 'by j***' }]);
    expect((out.details as { request: { body: unknown } }).request.body).toEqual({ identifier: ['j***'] });
  });

  it('review 3: a signup body (details.body), a person’s nested profile and owners are people; decoy JWT segments', () => {
    const o = createObfuscator({ classes: ['name', 'email'], method: 'mask' });
    expect(
      o.event({
        details: {
          body: { user_metadata: { emergency_contact: { name: 'John Roe' } } },
          user: { profile: { name: 'Jane Doe' } },
          client: { owners: [{ name: 'Jane Doe' }], name: 'Acme app' },
        },
      }),
    ).toEqual({
      details: {
        body: { user_metadata: { emergency_contact: { name: 'J***' } } },
        user: { profile: { name: 'J***' } },
        client: { owners: [{ name: 'J***' }], name: 'Acme app' },
      },
    });
    const b64 = (value: unknown, end = '') => Buffer.from(JSON.stringify(value) + end).toString('base64url');
    const token = `eyJx.${b64({ alg: 'RS256' })}.${b64({ email: 'jane@c.example' }, '\n')}.c2ln`;
    const decoded = o
      .text(token)
      .split('.')
      .map((part) => Buffer.from(part, 'base64url').toString());
    expect(decoded.join(' ')).not.toContain('jane@');
  });

  it('final review: a user name that is an address has its local part looked for; values masked as they were do not crowd out the rest', () => {
    const o = createObfuscator({ classes: ['username', 'email'], method: 'mask' });
    expect(o.event({ user_name: 'person7@corp.example', description: 'Wrong password for person7' })).toEqual(
      {
        user_name: 'p***',
        description: 'Wrong password for p***',
      },
    );
    const emails = Array.from({ length: 600 }, (_, n) => `a***@${'d'.repeat(40)}${n}.example`);
    const out = o.event({
      user_name: 'janedoe',
      description: 'Wrong password for janedoe',
      details: { body: { emails } },
    });
    expect(out.description).toBe('Wrong password for j***');
  });

  it('a JSON body kept as text is walked as JSON and written again', () => {
    const o = createObfuscator({ classes: ['email', 'name', 'phone'], method: 'mask' });
    const body = '{"email":"jane@example.com","name":"Jane Doe","phone_number":"+15550001234","n":1}';
    const out = o.event({ details: { request: { body }, note: '[not json', other: '{"ok":true}' } });
    const details = out.details as { request: { body: string }; note: string; other: string };
    expect(JSON.parse(details.request.body)).toEqual({
      email: 'j***@example.com',
      name: 'J***',
      phone_number: '+***',
      n: 1,
    });
    expect(details.note).toBe('[not json');
    expect(details.other).toBe('{"ok":true}');
  });

  it('phone: a user name that is a phone number (passwordless SMS) is masked too', () => {
    const o = createObfuscator({ classes: ['phone'], method: 'mask' });
    expect(o.event({ user_name: '+15550001234', details: { nickname: 'janedoe' } })).toEqual({
      user_name: '+***',
      details: { nickname: 'janedoe' },
    });
  });

  it('an e-mail local part with an apostrophe or any script reveals only its first character', () => {
    const o = createObfuscator({ classes: ['email'], method: 'mask' });
    expect(o.text("from o'brien@x.example and jöhn@bücher.example")).toBe(
      'from o***@x.example and j***@bücher.example',
    );
    expect(o.text('user \'jane@x.example\' ("ann@y.example")')).toBe(
      'user \'j***@x.example\' ("a***@y.example")',
    );
  });

  it('no classes: the event passes as it is', () => {
    const event = plantedEvent();
    expect(createObfuscator({ classes: [], method: 'mask' }).event(event)).toBe(event);
  });

  it('never changes its input; parts that need no change are shared, changed parts are copies', () => {
    const event = plantedEvent();
    const before = JSON.stringify(event);
    const frozen = deepFreeze(event);
    const out = createObfuscator({ classes: [...PII_CLASSES], method: 'hash', hashKey: 'k' }).event(frozen);
    expect(JSON.stringify(frozen)).toBe(before);
    expect(out).not.toBe(event);
    const details = out.details as Record<string, unknown>;
    expect(details).not.toBe(event.details);
    // `details.request.headers` holds an address: copied; a subtree without personal data: shared.
    const untouched = { stats: { loginsCount: 3 }, prompts: [{ name: 'login', elapsedTime: 4 }] };
    const withUntouched = { ...event, details: { ...(event.details as object), ...untouched } } as LogEvent;
    const shared = createObfuscator({ classes: ['email'], method: 'mask' }).event(withUntouched);
    expect((shared.details as typeof untouched).stats).toBe(untouched.stats);
    expect((shared.details as typeof untouched).prompts).toBe(untouched.prompts);
  });

  it('an event without personal data of the chosen classes comes back as it is', () => {
    const event = {
      log_id: '1',
      type: 's',
      description: 'Success Login',
      details: { prompts: [{ name: 'login' }] },
    };
    expect(createObfuscator({ classes: [...PII_CLASSES], method: 'mask' }).event(event)).toBe(event);
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
