// TLS: a certificate the runner does not trust is a failure, never a silent success. The delivery
// is retried as a network error up to max-attempts, then fails the run naming the certificate
// problem; nothing is acknowledged and the checkpoint does not move past the event.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEvents } from '../fakes/events.js';
import { HttpsWebhook, opensslMissing, selfSigned, type Certificate } from '../faults/tls.js';
import { useFaultWorld } from '../faults/world.js';
import { annotations, describeRun } from './harness.js';
import { expectFailure, expectSuccess, OLDEST } from './world.js';

const missing = opensslMissing();
if (missing) console.warn(`faults-tls: skipped: ${missing}`);

describe.skipIf(missing !== undefined)('HTTPS webhook with a certificate the runner does not trust', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(6, { seed: 701, types: ['f'] }) }));
  let certificate: Certificate;
  let hook: HttpsWebhook;
  /** Never let an outer NODE_TLS_REJECT_UNAUTHORIZED=0 turn these tests into no-ops. */
  const VERIFY = { NODE_TLS_REJECT_UNAUTHORIZED: '1' };

  beforeEach(async () => {
    certificate = selfSigned('IP:127.0.0.1');
    hook = new HttpsWebhook(certificate);
    await hook.start();
  });
  afterEach(async () => {
    await hook.close();
    certificate.dispose();
  });

  it('self-signed: retried max-attempts times as a network error, then fails naming the certificate', async () => {
    const w = world();
    const r = await w.run(
      { 'webhook-url': hook.url(), 'max-attempts': '3', concurrency: '1' },
      { env: VERIFY },
    );
    expectFailure(r);
    const errors = annotations(r.stdout, 'error').join('\n');
    expect(errors, describeRun(r)).toMatch(/certificate|CERT/i);
    expect(errors).toContain(w.auth0.events[0]!.log_id);
    expect(errors).toMatch(/after 3 attempts/);
    expect(hook.requests, 'a request got through an untrusted certificate').toEqual([]);
    expect(hook.handshakeErrors.length).toBeGreaterThanOrEqual(3);
    expect(r.outputs).toMatchObject({ delivered: '0', failed: '1' });
    expect(w.checkpoint()).toBe(OLDEST);
  });

  it('trusted (NODE_EXTRA_CA_CERTS) but issued for another name: refused the same way', async () => {
    const w = world();
    const other = selfSigned('DNS:hooks.example.com');
    const otherHook = new HttpsWebhook(other);
    await otherHook.start();
    try {
      const r = await w.run(
        { 'webhook-url': otherHook.url(), 'max-attempts': '2', concurrency: '1' },
        { env: { ...VERIFY, NODE_EXTRA_CA_CERTS: other.certFile } },
      );
      expectFailure(r);
      expect(annotations(r.stdout, 'error').join('\n'), describeRun(r)).toMatch(
        /altname|certificate|CERT|Hostname/i,
      );
      expect(otherHook.requests).toEqual([]);
      expect(w.checkpoint()).toBe(OLDEST);
    } finally {
      await otherHook.close();
      other.dispose();
    }
  });

  it('control: the same receiver with its certificate trusted gets every event (the failures above are TLS)', async () => {
    const w = world();
    const r = await w.run(
      { 'webhook-url': hook.url() },
      { env: { ...VERIFY, NODE_EXTRA_CA_CERTS: certificate.certFile } },
    );
    expectSuccess(r);
    expect(hook.requests).toHaveLength(6);
    expect(w.checkpoint()).toBe(w.auth0.events.at(-1)!.log_id);
  });
});
