// End to end through dist/index.js: log-categories (alone and OR'ed with log-types/log-level), the
// `filter` condition (narrowing, failing open), personal data obfuscation, and their input errors.

import { describe, expect, it } from 'vitest';
import { PII_CLASSES } from '../../src/choose/obfuscate.js';
import { makeEvents, type LogEvent } from '../fakes/events.js';
import { FakeSlack } from '../fakes/slack.js';
import { EVENTS, forms as plantedForms, PLANTED, readable } from '../support/pii-corpus.js';
import { annotations, describeRun } from './harness.js';
import { expectFailure, expectSuccess, ids, levelOf, sorted, useWorld } from './world.js';

const TYPES = [
  's',
  'f',
  'fp',
  'fu',
  'fcoa',
  'w',
  'sapi',
  'limit_wc',
  'api_limit',
  'pwd_leak',
  'gd_send_sms',
  'du',
];
// From test/fixtures/auth0-log-stream-categories.tsv (pwd_leak, gd_send_sms and du are in no category: `other`).
const LOGIN_FAIL = new Set(['f', 'fp', 'fu', 'fcoa']);
const OTHER = new Set(['pwd_leak', 'gd_send_sms', 'du']);

// Planted personal data: unmistakable strings, so that "nowhere in the output" is a real check.
const PLANT = {
  email: 'planted.person@victim.example',
  otherEmail: 'second.planted@victim.example',
  ipv4: '198.51.100.77',
  ipv6: '2001:db8:feed::77',
  given: 'Plantedgiven',
  family: 'Plantedfamily',
  phone: '+15550009876',
  street: '77 Plantedstreet Road',
  nick: 'plantednick',
};

function withPlantedData(events: LogEvent[]): LogEvent[] {
  return events.map((event, i) =>
    i % 3 !== 0
      ? event
      : {
          ...event,
          user_name: PLANT.email,
          ip: PLANT.ipv4,
          description: `Login by ${PLANT.otherEmail} from ${PLANT.ipv6}`,
          details: {
            ...event.details,
            attempt: i % 2 === 0 ? i : 'not a number',
            request: {
              ip: PLANT.ipv4,
              body: {
                email: PLANT.email,
                given_name: PLANT.given,
                family_name: PLANT.family,
                nickname: PLANT.nick,
                phone_number: PLANT.phone,
                address: { street_address: PLANT.street },
              },
            },
          },
        },
  );
}

describe('choosing what is sent', () => {
  const world = useWorld(() => ({ events: withPlantedData(makeEvents(96, { types: TYPES, seed: 5 })) }));

  it('log-categories alone: exactly the categories’ types; the summary names them', async () => {
    const w = world();
    const r = await w.run({ 'log-categories': 'auth.login.fail' });
    expectSuccess(r);
    const expected = w.auth0.events.filter((e) => LOGIN_FAIL.has(e.type));
    expect(expected.length).toBeGreaterThan(0);
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(expected));
    expect(r.summary).toContain('**Filter** category auth.login.fail.');
    expect(w.checkpoint()).toBe(w.auth0.events.at(-1)!.log_id);
  });

  it('log-categories OR log-types OR log-level', async () => {
    const w = world();
    const r = await w.run({
      'log-categories': 'auth.login.notification, other',
      'log-types': 's',
      'log-level': '4',
    });
    expectSuccess(r);
    const expected = w.auth0.events.filter(
      (e) => e.type === 'w' || OTHER.has(e.type) || e.type === 's' || levelOf(e.type) >= 4,
    );
    expect(new Set(expected.map((e) => e.type))).toEqual(
      new Set(['w', 'pwd_leak', 'gd_send_sms', 'du', 's', 'limit_wc', 'api_limit']),
    );
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(expected));
    expect(r.summary).toContain(
      '**Filter** type s or categories auth.login.notification, other or level &gt;= 4 (critical).',
    );
  });

  it.each([
    [
      'an unknown category',
      { 'log-categories': 'auth.login.fail, auth.login.failure' },
      'log-categories',
      'auth.login.notification',
    ],
    ['a filter with a syntax error', { filter: "type = 'f' and (" }, 'filter', 'at character'],
    ['hash without a key', { 'pii-fields': 'email', 'pii-method': 'hash' }, 'pii-hash-key', 'required'],
  ])('%s: an input error before any request', async (_name, overrides, input, words) => {
    const w = world();
    const r = await w.run(overrides);
    expectFailure(r);
    const errors = annotations(r.stdout, 'error');
    expect(
      errors.some((line) => line.includes(`'${input}'`) && line.includes(words)),
      describeRun(r),
    ).toBe(true);
    expect(w.auth0.requests).toHaveLength(0);
    expect(w.webhook.requests).toHaveLength(0);
    expect(w.github.writeRequests()).toHaveLength(0);
  });

  it('a condition narrows the selection; what it removed still moves the checkpoint', async () => {
    const w = world();
    const r = await w.run({
      'log-categories': 'auth.login.fail',
      filter: "client_name = 'Acme Web' and type != 'fcoa'",
    });
    expectSuccess(r);
    const selected = w.auth0.events.filter((e) => LOGIN_FAIL.has(e.type));
    const expected = selected.filter((e) => e.client_name === 'Acme Web' && e.type !== 'fcoa');
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(selected.length);
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(expected));
    expect(r.outputs).toMatchObject({ fetched: '96', matched: String(expected.length) });
    expect(r.summary).toContain(`removed ${selected.length - expected.length} events`);
    expect(w.checkpoint()).toBe(w.auth0.events.at(-1)!.log_id);
  });

  it('a condition that throws for some events: they are sent, warned about by log_id and counted', async () => {
    const w = world();
    const r = await w.run({ filter: '$number(details.attempt) > 10' });
    expectSuccess(r);
    const selected = w.auth0.events.filter((e) => e.type !== 'sapi');
    const broken = selected.filter((e) => e.details['attempt'] === 'not a number');
    const expected = selected.filter((e) => broken.includes(e) || Number(e.details['attempt']) > 10);
    expect(broken.length).toBeGreaterThan(5);
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(expected));
    const warnings = annotations(r.stdout, 'warning').filter((line) => line.startsWith('filter:'));
    // The first five by log_id and error, then one line saying the rest are counted.
    expect(warnings).toHaveLength(6);
    expect(warnings[0]).toContain(broken[0]!.log_id);
    expect(warnings[0]).toContain('D3030');
    expect(warnings.join('\n')).not.toContain('not a number');
    expect(r.summary).toContain(`failed for ${broken.length} events, which were sent anyway`);
  });

  it('a failing condition that quotes the event warns without its personal data; a filter naming an address is shown obfuscated', async () => {
    const w = world();
    const r = await w.run({
      'log-types': 'f,fp,fu,s,w,du',
      'pii-fields': 'email, username, name, phone, address, ip',
      filter:
        `user_name = '${PLANT.otherEmail}' or ` +
        "$error('odd: ' & user_name & ' ' & details.request.body.given_name & ' ' & details.request.body.phone_number & ' ' & ip)",
    });
    expectSuccess(r);
    const warnings = annotations(r.stdout, 'warning').filter((line) => line.startsWith('filter:'));
    expect(warnings.length).toBe(6);
    expect(warnings[0]).toContain('odd: p*** P*** +*** 198.51.*.*'); // the user name as the event shows it
    const shown = r.stdout + r.stderr + r.summary;
    for (const value of Object.values(PLANT)) expect(shown.includes(value), value).toBe(false);
    expect(r.summary).toContain('s***@victim.example');
  });

  it('obfuscation: no planted value reaches the receiver, the log or the summary; other fields arrive unchanged', async () => {
    const w = world();
    const key = 'e2e-pii-hash-key-0123456789';
    w.extraSecrets.push(key);
    const inputs = {
      'log-types': 'f,fp,fu,s,w,du',
      'pii-fields': 'email, username, name, phone, address, ip',
      'pii-method': 'hash',
      'pii-hash-key': key,
      filter: "type != 'w'",
    };
    const preview = await w.run({ ...inputs, 'dry-run': 'true' });
    expectSuccess(preview);
    expect(preview.summary).toMatch(/\| hmac:[A-Za-z0-9_-]{16} \|/);
    const r = await w.run(inputs);
    expectSuccess(r);
    const sent = w.webhook.deliveredEvents();
    expect(sent.length).toBeGreaterThan(20);
    const bodies = w.webhook.requests.map((req) => req.body).join('\n');
    for (const [where, text] of [
      ['the receiver', bodies],
      ['the log', r.stdout + r.stderr + preview.stdout + preview.stderr],
      ['the summary', r.summary + preview.summary],
    ] as const) {
      for (const value of Object.values(PLANT))
        expect(text.includes(value), `${value} in ${where}`).toBe(false);
    }
    const original = new Map(w.auth0.events.map((e) => [e.log_id, e]));
    for (const event of sent) {
      const before = original.get(event.log_id)!;
      for (const field of [
        'log_id',
        'type',
        'date',
        'client_id',
        'client_name',
        'connection',
        'user_id',
        'user_agent',
        'hostname',
      ] as const) {
        expect(event[field], field).toEqual(before[field]);
      }
      expect(event['user_name']).toMatch(/^hmac:[A-Za-z0-9_-]{16}$/);
    }
  });
});

describe('personal data in the shapes Auth0 writes, end to end', () => {
  // The 42 events of test/fixtures/auth0-sample-events.json, every type sent, all six classes hashed.
  const world = useWorld(() => ({ events: structuredClone(EVENTS) as unknown as LogEvent[] }));

  it('no planted value, in any form it could be read, reaches the receiver, the log or the summary', async () => {
    const w = world();
    const key = 'e2e-corpus-hash-key-0123456789';
    w.extraSecrets.push(key);
    const inputs = {
      'log-level': '0',
      'log-types': 'sapi,fapi,mgmt_api_read',
      'pii-fields': 'email, username, name, phone, address, ip',
      'pii-method': 'hash',
      'pii-hash-key': key,
      'payload-format': 'array',
      'batch-size': '10',
    };
    const preview = await w.run({ ...inputs, 'dry-run': 'true' });
    expectSuccess(preview);
    const r = await w.run(inputs);
    expectSuccess(r);
    expect(w.webhook.deliveredEvents()).toHaveLength(EVENTS.length);
    const bodies = w.webhook.requests.map((req) => req.body).join('\n');
    const forms = PII_CLASSES.flatMap((cls) => PLANTED[cls].flatMap((value) => plantedForms(value, cls)));
    for (const [where, text] of [
      ['the receiver', bodies],
      ['the log', r.stdout + r.stderr + preview.stdout + preview.stderr],
      ['the summary', r.summary + preview.summary],
    ] as const) {
      const seen = readable(text);
      for (const form of forms) expect(seen.includes(form.toLowerCase()), `${form} in ${where}`).toBe(false);
    }
  });

  it('as Slack digests, masked: no planted value in the messages a channel shows', async () => {
    const w = world();
    const slack = new FakeSlack({ burst: 20, refillMs: 1 });
    await slack.start();
    try {
      const r = await w.run(
        {
          'webhook-url': slack.url,
          'payload-format': 'slack',
          'batch-size': '10',
          'log-level': '0',
          'log-types': 'sapi,fapi,mgmt_api_read',
          'pii-fields': 'email, username, name, phone, address, ip',
        },
        { env: { AUTH0_LOG_WEBHOOKS_PACE_MS: '1' } },
      );
      expectSuccess(r);
      expect(slack.messages.length).toBe(Math.ceil(EVENTS.length / 10));
      const seen = readable(JSON.stringify(slack.messages) + r.stdout + r.summary);
      const forms = PII_CLASSES.flatMap((cls) => PLANTED[cls].flatMap((value) => plantedForms(value, cls)));
      for (const form of forms) expect(seen.includes(form.toLowerCase()), form).toBe(false);
    } finally {
      await slack.close();
    }
  });
});
