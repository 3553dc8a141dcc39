// Regression (found by the fault tests, fixed): a receiver's answer (quoted in the ::error::, first 200 characters, whitespace
// collapsed) can show webhook credentials in a form the registered masks do not cover.
// The runner hides only exact registered values (here: the whole webhook-authorization value).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeEvents } from '../fakes/events.js';
import { findUnmaskedSecrets } from '../faults/mask-scan.js';
import { useFaultWorld } from '../faults/world.js';
import { annotations, describeRun } from './harness.js';

const ECHO = { env: { RUNNER_DEBUG: '1' }, echo: true };

describe('credentials echoed by the receiver, in forms the masks miss', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(5, { seed: 601, types: ['f'] }) }));

  it('the token alone (without "Bearer "): only "Bearer <token>" is masked', async () => {
    const w = world();
    const token = randomBytes(24).toString('hex');
    w.webhook.respond = () => ({ status: 401, body: `{"error":"token ${token} has expired"}` });
    const r = await w.run({ 'webhook-authorization': `Bearer ${token}`, concurrency: '1' }, ECHO);
    expect(annotations(r.stdout, 'error').join('\n'), describeRun(r)).toContain('expired');
    expect(findUnmaskedSecrets(r.stdout, [token])).toEqual([]);
  });

  it('an authorization with two spaces: the quoted answer collapses them, the mask no longer matches', async () => {
    const w = world();
    const token = randomBytes(24).toString('hex');
    w.webhook.respond = (req) => ({ status: 400, body: `bad header: ${req.headers['authorization']}` });
    const r = await w.run({ 'webhook-authorization': `Bearer  ${token}`, concurrency: '1' }, ECHO);
    expect(annotations(r.stdout, 'error').join('\n'), describeRun(r)).toContain('bad header');
    expect(findUnmaskedSecrets(r.stdout, [token])).toEqual([]);
  });

  it('the 200-character cut falls inside the echoed credential: its first part shows', async () => {
    const w = world();
    const token = randomBytes(32).toString('hex');
    w.webhook.respond = (req) => ({
      status: 400,
      body: `${'.'.repeat(170)} ${req.headers['authorization']}`,
    });
    const r = await w.run({ 'webhook-authorization': `Bearer ${token}`, concurrency: '1' }, ECHO);
    const prefix = token.slice(0, 16);
    expect(annotations(r.stdout, 'error').join('\n'), describeRun(r)).toContain('....');
    expect(findUnmaskedSecrets(r.stdout, [prefix])).toEqual([]);
  });

  it('a webhook-headers credential (X-Api-Key) echoed back is never masked', async () => {
    const w = world();
    const key = `hk_${randomBytes(16).toString('hex')}`;
    w.webhook.respond = (req) => ({ status: 403, body: `unknown api key ${req.headers['x-api-key']}` });
    const r = await w.run({ 'webhook-headers': `X-Api-Key: ${key}`, concurrency: '1' }, ECHO);
    expect(annotations(r.stdout, 'error').join('\n'), describeRun(r)).toContain('unknown api key');
    expect(findUnmaskedSecrets(r.stdout, [key])).toEqual([]);
  });
});
