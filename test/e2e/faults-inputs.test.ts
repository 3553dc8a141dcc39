// Hostile input through dist/index.js (the big matrix is test/faults/hostile-inputs.test.ts): refused
// before any network, the input named in the ::error::, no stack trace; and a stored checkpoint that
// is malformed is reported, never overwritten.

import { describe, expect, it } from 'vitest';
import { makeEvents } from '../fakes/events.js';
import { SOAK } from '../faults/chaos.js';
import { useFaultWorld } from '../faults/world.js';
import { annotations, describeRun, type RunResult } from './harness.js';
import { CHECKPOINT_NAME, expectFailure, type Inputs } from './world.js';

const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

function expectNoStack(r: RunResult): void {
  expect(r.stdout, `a stack trace in stdout\n${describeRun(r)}`).not.toMatch(STACK);
  expect(r.stderr, `a stack trace in stderr\n${describeRun(r)}`).not.toMatch(STACK);
  expect(r.stdout).not.toMatch(/Unexpected error|TypeError|RangeError|SyntaxError/);
}

const HUGE = 'x'.repeat(100_000);

interface Case {
  input: string;
  label: string;
  overrides: Inputs;
  secretValue?: boolean;
  /** Only in `npm run soak`. */
  soak?: true;
}

const CASES: Case[] = [
  {
    input: 'webhook-headers',
    label: 'header injection with CRLF',
    overrides: { 'webhook-headers': 'X-Env: prod\r\nX-Injected: 1\r\n\r\nGET / HTTP/1.1' },
  },
  {
    input: 'webhook-authorization',
    label: 'header injection with a bare LF',
    overrides: { 'webhook-authorization': 'Bearer abc123def456\nX-Injected: 1' },
    secretValue: true,
  },
  { input: 'webhook-headers', label: '100 kB of headers', overrides: { 'webhook-headers': `X-A: ${HUGE}` } },
  {
    input: 'auth0-client-secret',
    label: '100 kB secret',
    overrides: { 'auth0-client-secret': HUGE },
    secretValue: true,
    soak: true,
  },
  // (A NUL cannot reach the action at all: environment variables cannot carry one.)
  {
    input: 'auth0-client-id',
    label: 'an ANSI escape in the client id',
    overrides: { 'auth0-client-id': 'abc\u001b[2Jdef' },
    soak: true,
  },
  { input: 'webhook-url', label: 'data: URL', overrides: { 'webhook-url': 'data:text/plain,hello' } },
  {
    input: 'webhook-url',
    label: 'http:// to the cloud metadata address',
    overrides: { 'webhook-url': 'http://169.254.169.254/latest' },
  },
  {
    input: 'webhook-url',
    label: 'http:// with a loopback look-alike',
    overrides: { 'webhook-url': 'http://127.0.0.1.evil.example/hook' },
    soak: true,
  },
  { input: 'auth0-domain', label: 'file: URL', overrides: { 'auth0-domain': 'file:///etc/passwd' } },
  { input: 'concurrency', label: 'a JSON array', overrides: { concurrency: '[5]' }, soak: true },
  { input: 'request-timeout', label: 'an exponent', overrides: { 'request-timeout': '1e9' }, soak: true },
  { input: 'max-runtime', label: 'negative', overrides: { 'max-runtime': '-10m' }, soak: true },
  {
    input: 'start-from',
    label: 'a log_id in 2099',
    overrides: { 'start-from': `90020990101000000${'0'.repeat(39)}` },
    soak: true,
  },
  {
    input: 'checkpoint-name',
    label: 'a line break',
    overrides: { 'checkpoint-name': 'AUTH0\nCP' },
    soak: true,
  },
];

describe('hostile inputs through dist: refused before any network', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(10, { seed: 801 }) }));

  for (const c of CASES.filter((x) => SOAK || !x.soak)) {
    it(`${c.input}: ${c.label}`, async () => {
      const w = world();
      const stored = w.auth0.events[4]!.log_id;
      w.github.setVariable(CHECKPOINT_NAME, stored);
      const r = await w.run(c.overrides, { checkSecrets: !c.secretValue });
      expectFailure(r);
      const errors = annotations(r.stdout, 'error');
      expect(
        errors.some((l) => l.includes(`'${c.input}'`)),
        `no ::error:: naming ${c.input}\n${describeRun(r)}`,
      ).toBe(true);
      expect(errors.join('\n').length).toBeLessThan(2_000);
      expectNoStack(r);
      expect(w.auth0.requests, 'Auth0 was contacted').toEqual([]);
      expect(w.webhook.requests, 'the webhook was contacted').toEqual([]);
      expect(w.github.requests, 'GitHub was contacted').toEqual([]);
      expect(w.checkpoint()).toBe(stored);
    });
  }
});

describe('a malformed stored checkpoint is reported, never overwritten', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(10, { seed: 803 }) }));

  const VALUES: Array<[string, string]> = [
    ['empty', ''],
    ['55 digits', '9'.repeat(55)],
    ['57 digits', `9${'0'.repeat(56)}`],
    ['hex (a Mongo _id)', '5f1e2d3c4b5a69788796a5b4'],
    ['JSON of the cache file', `{"checkpoint":"${'9'.repeat(56)}"}`],
    ['two ids', `${'1'.repeat(56)}\n${'2'.repeat(56)}`],
    ['an ANSI escape and a workflow command', '\u001b[31m\n::set-output name=checkpoint::1'],
    ['100 kB', 'x'.repeat(100_000)],
  ];

  // `npm test`: empty, 57 digits, a workflow command; `npm run soak`: all.
  const chosen = SOAK ? VALUES : VALUES.filter(([label]) => /^(empty|57 digits|an ANSI)/.test(label));
  for (const [label, value] of chosen) {
    it(label, async () => {
      const w = world();
      w.github.setVariable(CHECKPOINT_NAME, value);
      const r = await w.run();
      expectFailure(r);
      const errors = annotations(r.stdout, 'error').join('\n');
      expect(errors, describeRun(r)).toMatch(/checkpoint/i);
      expect(errors).toContain(CHECKPOINT_NAME);
      expect(errors.length).toBeLessThan(2_000);
      expectNoStack(r);
      expect(r.stdout.split('\n').filter((l) => l.startsWith('::set-output'))).toEqual([]);
      expect(w.webhook.requests).toEqual([]);
      expect(w.github.writeRequests(), 'the stored value was overwritten').toEqual([]);
      expect(w.checkpoint()).toBe(value);
    });
  }
});
