// End to end: behind a proxy (a self-hosted runner with HTTPS_PROXY / HTTP_PROXY), Auth0 and the
// webhook are reached through it; NO_PROXY exempts hosts.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectProxy } from '../fakes/connect-proxy.js';
import { makeEvents } from '../fakes/events.js';
import { HttpsWebhook, opensslMissing, selfSigned, type Certificate } from '../faults/tls.js';
import { describeRun } from './harness.js';
import { expectFailure, expectSuccess, ids, sorted, useWorld } from './world.js';

describe('a proxy in the environment', () => {
  const world = useWorld(() => ({ events: makeEvents(40, { seed: 41, types: ['f', 's'] }) }));
  let proxy: ConnectProxy;
  beforeEach(async () => {
    proxy = new ConnectProxy();
    await proxy.start();
  });
  afterEach(async () => {
    await proxy.close();
  });

  const hostOf = (origin: string): string => new URL(origin).host;

  it('HTTPS_PROXY and HTTP_PROXY: Auth0 and the webhook are reached through the proxy', async () => {
    const w = world();
    const r = await w.run(
      {},
      { env: { HTTPS_PROXY: proxy.origin, HTTP_PROXY: proxy.origin, NO_PROXY: '', no_proxy: '' } },
    );
    expectSuccess(r);
    expect(sorted(w.webhook.deliveredIds()), describeRun(r)).toEqual(ids(w.auth0.events));
    // http targets (the fakes) are forwarded; https ones (real Auth0 and receivers) are tunnelled.
    expect(proxy.forwarded).toContain(hostOf(w.auth0.origin));
    expect(proxy.forwarded).toContain(hostOf(w.webhook.origin));
  });

  it('NO_PROXY exempts the hosts it lists', async () => {
    const w = world();
    const r = await w.run(
      {},
      {
        env: {
          HTTPS_PROXY: proxy.origin,
          HTTP_PROXY: proxy.origin,
          NO_PROXY: '127.0.0.1',
          no_proxy: '127.0.0.1',
        },
      },
    );
    expectSuccess(r);
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(w.auth0.events));
    expect([...proxy.tunnels, ...proxy.forwarded]).toEqual([]);
  });

  it('an unreachable proxy fails the run as a network error; nothing is delivered', async () => {
    const w = world();
    const closed = proxy.origin;
    await proxy.close();
    const r = await w.run(
      { 'max-attempts': '2' },
      { env: { HTTPS_PROXY: closed, HTTP_PROXY: closed, NO_PROXY: '', no_proxy: '' } },
    );
    expect(r.code, describeRun(r)).not.toBe(0);
    expect(w.webhook.deliveredIds()).toEqual([]);
  });
});

const missing = opensslMissing();

describe.skipIf(missing !== undefined)('an https receiver behind the proxy (CONNECT)', () => {
  const world = useWorld(() => ({ events: makeEvents(6, { seed: 43, types: ['f'] }) }));
  const PROXY_ENV = { NO_PROXY: '', no_proxy: '' };
  let proxy: ConnectProxy;
  let certificate: Certificate;
  let hook: HttpsWebhook;
  beforeEach(async () => {
    proxy = new ConnectProxy();
    await proxy.start();
    certificate = selfSigned('IP:127.0.0.1');
    hook = new HttpsWebhook(certificate);
    await hook.start();
  });
  afterEach(async () => {
    await Promise.all([proxy.close(), hook.close()]);
    certificate.dispose();
  });

  it('is reached through a tunnel, its certificate verified end to end', async () => {
    const w = world();
    const r = await w.run(
      { 'webhook-url': hook.url() },
      { env: { ...PROXY_ENV, HTTPS_PROXY: proxy.origin, NODE_EXTRA_CA_CERTS: certificate.certFile } },
    );
    expectSuccess(r);
    expect(hook.requests).toHaveLength(6);
    expect(new Set(proxy.tunnels)).toEqual(new Set([new URL(hook.url()).host]));
  });

  it('a certificate the runner does not trust is refused through the tunnel too', async () => {
    const w = world();
    const r = await w.run(
      { 'webhook-url': hook.url(), 'max-attempts': '2' },
      { env: { ...PROXY_ENV, HTTPS_PROXY: proxy.origin, NODE_TLS_REJECT_UNAUTHORIZED: '0' } },
    );
    expectFailure(r);
    expect(hook.requests, describeRun(r)).toEqual([]);
    expect(proxy.tunnels.length).toBeGreaterThanOrEqual(1);
  });
});
