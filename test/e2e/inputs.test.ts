// End to end: an invalid input fails before anything is fetched, delivered or persisted, with an
// ::error:: that names the input.

import { describe, expect, it } from 'vitest';
import { makeEvents } from '../fakes/events.js';
import { annotations, describeRun } from './harness.js';
import { expectFailure, useWorld, type Inputs } from './world.js';

interface BadInput {
  /** The input the error must name. */
  input: string;
  overrides: Inputs;
  /** The bad value is itself a would-be secret: don't hold its echo against the run. */
  secretValue?: boolean;
}

const CASES: BadInput[] = [
  { input: 'auth0-domain', overrides: { 'auth0-domain': '' } },
  { input: 'auth0-domain', overrides: { 'auth0-domain': 'http://acme.us.auth0.com' } },
  { input: 'auth0-client-secret', overrides: { 'auth0-client-secret': '' } },
  { input: 'webhook-url', overrides: { 'webhook-url': '' } },
  { input: 'webhook-url', overrides: { 'webhook-url': 'ftp://x' } },
  { input: 'webhook-url', overrides: { 'webhook-url': 'file:///etc/passwd' } },
  { input: 'webhook-url', overrides: { 'webhook-url': 'http://hooks.example.com/in' } },
  { input: 'concurrency', overrides: { concurrency: '0' } },
  { input: 'concurrency', overrides: { concurrency: '101' } },
  { input: 'concurrency', overrides: { concurrency: 'abc' } },
  { input: 'batch-size', overrides: { 'batch-size': '5', 'payload-format': 'object' } },
  { input: 'batch-size', overrides: { 'batch-size': '101', 'payload-format': 'array' } },
  { input: 'payload-format', overrides: { 'payload-format': 'xml' } },
  { input: 'log-level', overrides: { 'log-level': '7' } },
  { input: 'start-from', overrides: { 'start-from': 'tomorrow' } },
  { input: 'checkpoint-store', overrides: { 'checkpoint-store': 's3' } },
  { input: 'checkpoint-name', overrides: { 'checkpoint-name': 'GITHUB_CHECKPOINT' } },
  { input: 'checkpoint-name', overrides: { 'checkpoint-name': 'has space' } },
  { input: 'webhook-secret', overrides: { 'webhook-secret': 'whsec_short' }, secretValue: true },
  { input: 'webhook-headers', overrides: { 'webhook-headers': 'X-Env: prod\nX-Team sec' } },
  {
    input: 'webhook-authorization',
    overrides: { 'webhook-authorization': 'Bearer abc123\nX-Injected: 1' },
    secretValue: true,
  },
  { input: 'request-timeout', overrides: { 'request-timeout': 'forever' } },
  { input: 'max-attempts', overrides: { 'max-attempts': '0' } },
  { input: 'max-attempts', overrides: { 'max-attempts': '21' } },
  { input: 'max-runtime', overrides: { 'max-runtime': 'soon' } },
  { input: 'dry-run', overrides: { 'dry-run': 'maybe' } },
];

describe('invalid inputs', () => {
  const world = useWorld(() => ({ events: makeEvents(10) }));

  for (const c of CASES) {
    const label = Object.entries(c.overrides)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(' ');
    it(`${label} → ::error:: naming ${c.input}, nothing fetched, delivered or persisted`, async () => {
      const w = world();
      w.github.setVariable('AUTH0_CP', w.auth0.events[4]!.log_id);
      const r = await w.run(c.overrides, { checkSecrets: !c.secretValue });
      expectFailure(r);
      const errors = annotations(r.stdout, 'error');
      expect(
        errors.some((line) => line.includes(c.input)),
        `no ::error:: line names ${c.input}\n${describeRun(r)}`,
      ).toBe(true);
      expect(w.auth0.requests, 'Auth0 was contacted').toHaveLength(0);
      expect(w.webhook.requests, 'the webhook was contacted').toHaveLength(0);
      expect(w.github.writeRequests(), 'the checkpoint was written').toHaveLength(0);
      expect(w.checkpoint()).toBe(w.auth0.events[4]!.log_id);
      // The client secret never shows, whatever else the error says.
      expect(
        r.stdout
          .split('\n')
          .filter((l) => !l.startsWith('::add-mask::'))
          .join('\n'),
      ).not.toContain(w.auth0.clientSecret);
    });
  }
});
