// Secret hygiene under faults, with step debug on (RUNNER_DEBUG=1): servers that echo credentials
// back in error answers, which the action quotes. The runner hides a value only after the step
// printed `::add-mask::value`, so the scan (test/faults/mask-scan.ts, run after every test by
// useFaultWorld) replays stdout in order: a secret printed before its mask is a leak.

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeEvents } from '../fakes/events.js';
import { findUnmaskedSecrets } from '../faults/mask-scan.js';
import { useFaultWorld } from '../faults/world.js';
import { annotations, describeRun } from './harness.js';
import { expectFailure, expectSuccess } from './world.js';

const DEBUG = { env: { RUNNER_DEBUG: '1' } };
/** Step debug on, and the servers quote secrets back on purpose: only the ordered scan applies. */
const ECHO = { ...DEBUG, echo: true };

/** The line index of the first `::add-mask::` of `value` and of the first other line containing it. */
function maskOrder(stdout: string, value: string): { mask: number; firstUse: number } {
  const lines = stdout.split('\n');
  return {
    mask: lines.findIndex((l) => l === `::add-mask::${value}`),
    firstUse: lines.findIndex((l) => !l.startsWith('::add-mask::') && l.includes(value)),
  };
}

describe('a receiver that echoes credentials in its error answer', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(12, { seed: 503, types: ['f'] }) }));

  it('the Authorization header quoted back in a 400: redacted from the quoted answer, masked too', async () => {
    const w = world();
    const authorization = `Bearer ${randomBytes(24).toString('hex')}`;
    w.webhook.respond = (req) => ({
      status: 400,
      body: `rejected: Authorization was "${req.headers['authorization']}"`,
    });
    const r = await w.run({ 'webhook-authorization': authorization, concurrency: '1' }, ECHO);
    expectFailure(r);
    const errors = annotations(r.stdout, 'error').join('\n');
    expect(errors, describeRun(r)).toContain('rejected');
    // The answer is redacted before it is quoted: the credential never reaches the log at all.
    const { mask, firstUse } = maskOrder(r.stdout, authorization);
    expect(mask, 'no ::add-mask:: for webhook-authorization').toBeGreaterThanOrEqual(0);
    expect(firstUse, 'the echoed credential reached the log').toBe(-1);
    expect(errors).toContain('Authorization was "***"');
    expect(findUnmaskedSecrets(r.stdout, [authorization])).toEqual([]);
  });

  it('URL credentials (sent as Basic) and query quoted back: masked first', async () => {
    const w = world();
    const password = `pw${randomBytes(12).toString('hex')}`;
    const key = `k${randomBytes(12).toString('hex')}`;
    const url = new URL(w.webhook.url);
    url.username = 'hookuser';
    url.password = password;
    url.search = `?key=${key}`;
    w.webhook.respond = (req) => ({
      status: 403,
      body: `denied ${req.headers['authorization']} for ${req.url}`,
    });
    const r = await w.run({ 'webhook-url': url.href, concurrency: '1' }, ECHO);
    expectFailure(r);
    const basic = Buffer.from(`hookuser:${password}`).toString('base64');
    expect(annotations(r.stdout, 'error').join('\n'), describeRun(r)).toContain('denied');
    expect(findUnmaskedSecrets(r.stdout, [password, key, basic, `key=${key}`])).toEqual([]);
  });
});

describe('an Auth0 that echoes credentials', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(150, { seed: 509 }) }));

  it('the client secret quoted in a token error: masked before', async () => {
    const w = world();
    w.auth0.tokenFaults.push({
      status: 400,
      body: JSON.stringify({
        error: 'invalid_request',
        error_description: `client_secret ${w.auth0.clientSecret} is malformed`,
      }),
    });
    const r = await w.run({}, ECHO);
    expectFailure(r);
    const { mask, firstUse } = maskOrder(r.stdout, w.auth0.clientSecret);
    expect(firstUse, describeRun(r)).toBeGreaterThan(mask);
    expect(mask).toBeGreaterThanOrEqual(0);
  });

  it('the access token quoted in 5xx warnings and a 403 error: masked from the moment it arrived', async () => {
    const w = world();
    const echo = (status: number) => (req: { authorization: string | undefined }) => ({
      status,
      body: JSON.stringify({
        statusCode: status,
        error: 'x',
        message: `token ${req.authorization?.slice(7)} refused`,
      }),
    });
    w.auth0.faults.push('pass', echo(503), echo(502), echo(403));
    const r = await w.run({}, ECHO);
    expectFailure(r);
    const token = w.auth0.tokensIssued[0]!;
    expect(r.stdout, 'the token was not quoted (nothing to check)').toContain(token);
    expect(findUnmaskedSecrets(r.stdout, [token])).toEqual([]);
  });

  it('a run with every secret set, faults everywhere and step debug: nothing shown before its mask', async () => {
    const w = world();
    w.auth0.faults.push({ status: 500 }, { status: 0, destroy: true }, 'pass', { status: 401 });
    let n = 0;
    w.webhook.respond = (req) =>
      n++ % 4 === 0
        ? { status: 503, body: `busy ${req.headers['authorization']}` }
        : { status: 200, body: 'ok' };
    const r = await w.run(
      {
        'webhook-authorization': `Bearer ${randomBytes(20).toString('hex')}`,
        'webhook-secret': `whsec_${randomBytes(32).toString('base64')}`,
        'webhook-url': `${w.webhook.url}?token=${randomBytes(10).toString('hex')}`,
      },
      ECHO,
    );
    expectSuccess(r);
    expect(r.stdout).toContain('::debug::');
    // (useFaultWorld's afterEach runs the ordered scan over every secret of this run.)
  });
});
