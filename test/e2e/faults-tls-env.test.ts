// OBSERVATION: NODE_TLS_REJECT_UNAUTHORIZED=0 in the job's env (one line in a workflow) turns off
// certificate verification for the action: an untrusted receiver gets every event.
// Expected (SPEC: no option disables verification): the delivery fails as with the variable unset.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEvents } from '../fakes/events.js';
import { HttpsWebhook, selfSigned, type Certificate } from '../faults/tls.js';
import { useFaultWorld } from '../faults/world.js';
import { annotations, describeRun } from './harness.js';

describe('NODE_TLS_REJECT_UNAUTHORIZED=0', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(6, { seed: 701, types: ['f'] }) }));
  let certificate: Certificate;
  let hook: HttpsWebhook;
  beforeEach(async () => {
    certificate = selfSigned('IP:127.0.0.1');
    hook = new HttpsWebhook(certificate);
    await hook.start();
  });
  afterEach(async () => {
    await hook.close();
    certificate.dispose();
  });

  it('does not disable certificate verification', async () => {
    const w = world();
    const r = await w.run(
      { 'webhook-url': hook.url(), 'max-attempts': '2' },
      { env: { NODE_TLS_REJECT_UNAUTHORIZED: '0' } },
    );
    console.log(annotations(r.stdout, 'error'), annotations(r.stdout, 'warning'), r.stderr.slice(0, 300));
    expect(hook.requests, describeRun(r)).toEqual([]);
    expect(r.code).not.toBe(0);
  });
});
