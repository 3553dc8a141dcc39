// End to end: shapes of backlog and events that once left the run hanging or crashing. Whatever the
// events, the run ends with a summary and outputs, and the checkpoint never passes an undelivered
// matching event (issue #14 items 1 and 6).

import { describe, expect, it } from 'vitest';
import { makeEvents, withType } from '../fakes/events.js';
import { annotations, describeRun } from './harness.js';
import { expectCheckpointCovered, expectFailure, expectSuccess, useWorld } from './world.js';

describe('the run always ends', () => {
  describe('a sparse match in a batch, then many filtered events', () => {
    // One blocked account, then 900 successful logins, then another: with batches of 100 and
    // concurrency 1 the read-ahead bound is 400 events, reached while the first match waits in an
    // unfilled batch and nothing is in flight.
    const events = makeEvents(902, { types: ['s'] });
    events[0] = withType(events[0]!, 'f');
    events[901] = withType(events[901]!, 'f');
    const world = useWorld(() => ({ events }));

    it.each(['array', 'lines'])('payload-format %s: delivered and caught up', async (format) => {
      const w = world();
      const r = await w.run({
        'payload-format': format,
        'batch-size': '100',
        concurrency: '1',
        'log-types': 'f',
      });
      expectSuccess(r);
      expect(w.webhook.deliveredIds()).toEqual([events[0]!.log_id, events[901]!.log_id]);
      expect(r.outputs).toMatchObject({
        fetched: '902',
        matched: '2',
        delivered: '2',
        'caught-up': 'true',
        checkpoint: events[901]!.log_id,
      });
      expect(w.checkpoint()).toBe(events[901]!.log_id);
      expect(r.summary).not.toBe('');
    });
  });

  describe('an event nested deeper than JSON.stringify can go', () => {
    const events = makeEvents(30, { types: ['f'] });
    const world = useWorld(() => ({ events }));

    it('fails cleanly: summary, outputs, the checkpoint before it saved', async () => {
      const w = world();
      const deep = events[20]!;
      // 100,000 levels: JSON.parse reads it, JSON.stringify throws RangeError (stack) on it.
      const depth = 100_000;
      const { log_id: _id, ...rest } = deep;
      const head = JSON.stringify({ log_id: deep.log_id, ...rest }).slice(0, -1);
      w.auth0.rawEvents.set(deep.log_id, `${head},"details":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`);
      const r = await w.run({ concurrency: '1' });
      expectFailure(r);
      expect(r.code, describeRun(r)).toBe(1);
      // Everything before it went; the checkpoint stops before it and is stored.
      const delivered = w.webhook.deliveredIds();
      expect(delivered).toEqual(events.slice(0, 20).map((e) => e.log_id));
      const after = expectCheckpointCovered(r.outputs['checkpoint']!, events, delivered);
      expect(after[0]?.log_id).toBe(deep.log_id);
      expect(w.checkpoint()).toBe(r.outputs['checkpoint']);
      expect(r.outputs).toMatchObject({ delivered: '20', 'caught-up': 'false' });
      expect(r.summary).toContain('Failed');
      const errors = annotations(r.stdout, 'error');
      expect(
        errors.some((line) => line.includes(deep.log_id)),
        describeRun(r),
      ).toBe(true);
    });
  });
});
