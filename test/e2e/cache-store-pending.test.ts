// The `cache` checkpoint store outside a job with the Actions cache service (no ACTIONS_RESULTS_URL /
// ACTIONS_RUNTIME_TOKEN, as here): choosing it must fail clearly and deliver nothing. A later issue
// replaces this file with the cache store's e2e tests against a fake cache service.

import { describe, expect, it } from 'vitest';
import { makeEvents } from '../fakes/events.js';
import { annotations, describeRun } from './harness.js';
import { expectFailure, useWorld } from './world.js';

describe('checkpoint-store: cache without the Actions cache service', () => {
  const world = useWorld(() => ({ events: makeEvents(10) }));

  it('fails with a clear error and delivers nothing', async () => {
    const w = world();
    const r = await w.run({ 'checkpoint-store': 'cache' });
    expectFailure(r);
    const errors = annotations(r.stdout, 'error').join('\n');
    expect(errors, describeRun(r)).toMatch(/cache/i);
    expect(w.webhook.requests).toHaveLength(0);
    expect(w.github.writeRequests()).toHaveLength(0);
  });
});
