import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProgressTracker } from '../src/progress.js';

const id = (n: number): string => `900${String(n).padStart(53, '0')}`;

describe('ProgressTracker', () => {
  it('starts at the start cursor and follows filtered-out events at once', () => {
    const tracker = new ProgressTracker(id(0));
    expect(tracker.checkpoint).toBe(id(0));
    tracker.add(id(1), true);
    tracker.add(id(2), true);
    expect(tracker.checkpoint).toBe(id(2));
    expect(tracker.outstanding).toBe(0);
  });

  it('never passes an event that is not done, whatever completes after it', () => {
    const tracker = new ProgressTracker(id(0));
    const a = tracker.add(id(1), false);
    tracker.add(id(2), true);
    const c = tracker.add(id(3), false);
    tracker.complete(c);
    expect(tracker.checkpoint).toBe(id(0));
    tracker.complete(a);
    expect(tracker.checkpoint).toBe(id(3));
  });

  it('is exactly the end of the done prefix for any completion order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ filtered: fc.boolean(), completes: fc.boolean() }), { maxLength: 3000 }),
        fc.infiniteStream(fc.nat()),
        (events, picks) => {
          const tracker = new ProgressTracker(id(0));
          const pending: number[] = [];
          events.forEach((event, index) => {
            const seq = tracker.add(id(index + 1), event.filtered);
            if (!event.filtered && event.completes) pending.push(seq);
          });
          // Complete the deliverable ones in an arbitrary order, checking monotonicity as we go.
          let previous = tracker.checkpoint;
          const iterator = picks[Symbol.iterator]();
          while (pending.length > 0) {
            const pick = (iterator.next().value as number) % pending.length;
            tracker.complete(pending.splice(pick, 1)[0] as number);
            expect(tracker.checkpoint >= previous).toBe(true);
            previous = tracker.checkpoint;
          }
          const firstUndone = events.findIndex((event) => !event.filtered && !event.completes);
          const expected = firstUndone === -1 ? events.length : firstUndone;
          expect(tracker.checkpoint).toBe(id(expected));
          expect(tracker.outstanding).toBe(firstUndone === -1 ? 0 : events.length - firstUndone);
        },
      ),
      { numRuns: 200, seed: 42 },
    );
  });
});
