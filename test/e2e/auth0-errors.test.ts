// End to end: Auth0 refusing the application, and secrets kept out of the log and summary.

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeEvents } from '../fakes/events.js';
import { annotations, describeRun } from './harness.js';
import { defaultMatch, expectFailure, expectSuccess, ids, sorted, useWorld } from './world.js';

describe('Auth0 refuses', () => {
  const world = useWorld(() => ({ events: makeEvents(20, { seed: 31 }) }));

  it('wrong client secret: fails naming the credentials, delivers nothing', async () => {
    const w = world();
    const wrong = `wrong_${randomBytes(16).toString('hex')}`;
    const r = await w.run({ 'auth0-client-secret': wrong });
    expectFailure(r);
    const errors = annotations(r.stdout, 'error').join('\n');
    expect(errors, describeRun(r)).toMatch(/credential|client.?(id|secret)/i);
    expect(w.webhook.requests).toHaveLength(0);
    expect(w.auth0.logRequests).toHaveLength(0);
  });

  it('no client grant for the Management API (403): says to authorize the application for read:logs', async () => {
    const w = world();
    w.auth0.grantMissing = true;
    const r = await w.run();
    expectFailure(r);
    const errors = annotations(r.stdout, 'error').join('\n');
    expect(errors, describeRun(r)).toMatch(/read:logs|authori[sz]/i);
    expect(w.webhook.requests).toHaveLength(0);
  });

  it('token without read:logs (403 on /api/v2/logs): names read:logs', async () => {
    const w = world();
    w.auth0.missingScope = true;
    const r = await w.run();
    expectFailure(r);
    const errors = annotations(r.stdout, 'error').join('\n');
    expect(errors, describeRun(r)).toContain('read:logs');
    expect(w.webhook.requests).toHaveLength(0);
  });

  it('an unreachable tenant: fails with an error, delivers nothing', async () => {
    const w = world();
    const origin = w.auth0.origin;
    await w.auth0.close(); // the port is free now: connection refused
    const r = await w.run({ 'auth0-domain': origin });
    expectFailure(r);
    expect(annotations(r.stdout, 'error').length, describeRun(r)).toBeGreaterThan(0);
    expect(w.webhook.requests).toHaveLength(0);
  });
});

describe('secrets stay out of the log and the summary', () => {
  const world = useWorld(() => ({ events: makeEvents(60, { seed: 37 }) }));

  it('with every secret input set, on success and on failure', async () => {
    const w = world();
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const inputs = {
      'webhook-url': `${w.webhook.url}?key=abc123xyz`,
      'webhook-authorization': `Bearer ${randomBytes(20).toString('hex')}`,
      'webhook-secret': secret,
    };
    const ok = await w.run(inputs);
    expectSuccess(ok);
    expect(w.webhook.requests[0]!.url).toBe('/hook?key=abc123xyz');
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(w.auth0.events.filter(defaultMatch)));

    // A failing run prints errors: they must not carry secrets either.
    w.auth0.addEvents(makeEvents(5, { after: w.auth0.events[59]!, types: ['f'] }));
    w.webhook.respond = () => ({ status: 401, body: 'denied' });
    const failed = await w.run(inputs);
    expectFailure(failed);

    for (const r of [ok, failed]) {
      const text = [
        r.stdout
          .split('\n')
          .filter((l) => !l.startsWith('::add-mask::'))
          .join('\n'),
        r.stderr,
        r.summary,
      ].join('\n');
      expect(text).not.toContain('abc123xyz');
      expect(text).not.toContain(w.auth0.clientSecret);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice('whsec_'.length));
      expect(text).not.toContain(inputs['webhook-authorization'].slice('Bearer '.length));
      for (const token of w.auth0.tokensIssued) expect(text).not.toContain(token);
    }
    expect(w.auth0.tokensIssued.length).toBeGreaterThanOrEqual(2);
    // (afterEach checks the same for every run of every e2e test.)
  });
});
