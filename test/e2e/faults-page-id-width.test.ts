// Regression (found by the fault tests, fixed): Auth0 page validation accepts any all-digit log_id greater than the cursor, so a
// 57-digit id (longer ids compare greater) is delivered and persisted as the checkpoint. The next
// run then fails "not a 56-digit log_id" and the stream is stuck until someone edits the variable.
// Expected: the page is refused like any other contract breach (ids must be 56-digit log_ids):
// the run fails at that page, the stored checkpoint stays a valid 56-digit id, the next run works.
import { describe, expect, it } from 'vitest';
import { makeEvents } from '../fakes/events.js';
import { useFaultWorld } from '../faults/world.js';
import { describeRun } from './harness.js';

describe('a log_id of the wrong width in a page', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(30, { seed: 903 }) }));

  it('is refused; the stored checkpoint stays a 56-digit id and the next run works', async () => {
    const w = world();
    w.auth0.faults.push(() => {
      const page = w.auth0.events.slice(0, 10).map((e) => ({ ...e }));
      page[9]!.log_id = `9${page[9]!.log_id}`;
      return { status: 200, body: JSON.stringify(page) };
    });
    const first = await w.run();
    expect(w.checkpoint(), describeRun(first)).toMatch(/^\d{56}$/);
    expect(first.code, `a 57-digit id was accepted\n${describeRun(first)}`).not.toBe(0);
    const second = await w.run();
    expect(second.code, describeRun(second)).toBe(0);
  });
});
