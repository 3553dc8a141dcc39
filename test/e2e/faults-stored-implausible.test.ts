// Regression (found by the fault tests, fixed): a stored checkpoint that is a well-formed 56-digit id but implausible is used as is.
// - From the future (2099, or all nines): every run asks Auth0 for ids after it, gets nothing,
//   reports "caught up" and succeeds: every event until then is skipped silently, forever.
// - Embedded time that is not a date (month 13) or not the `900` prefix: described in the log as
//   "(the oldest retained log)", which it is not.
// Expected: the future / undated ones fail the run with an ::error:: naming the variable (like
// start-from does for a future log_id), value left as is; a very old one (before 2013) at least warns.
import { describe, expect, it } from 'vitest';
import { makeEvents } from '../fakes/events.js';
import { useFaultWorld } from '../faults/world.js';
import { annotations, describeRun } from './harness.js';

const Z39 = '0'.repeat(39);

describe('an implausible but well-formed stored checkpoint', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(20, { seed: 901 }) }));

  for (const [label, value] of [
    ['from 2099 (in the future)', `90020990101000000${Z39}`],
    ['all nines', '9'.repeat(56)],
    ['month 13 (not a time)', `90020261399999999${Z39}`],
  ] as const) {
    it(`${label}: the run fails naming the variable, nothing is skipped silently`, async () => {
      const w = world();
      w.github.setVariable('AUTH0_CP', value);
      const r = await w.run();
      expect(r.code, `accepted and reported success, delivering nothing\n${describeRun(r)}`).not.toBe(0);
      expect(annotations(r.stdout, 'error').join('\n')).toContain('AUTH0_CP');
      expect(w.checkpoint()).toBe(value);
    });
  }

  it('from 2001 (before Auth0 existed): a warning at least', async () => {
    const w = world();
    w.github.setVariable('AUTH0_CP', `90020010101000000${Z39}`);
    const r = await w.run();
    expect(annotations(r.stdout, 'warning').join('\n'), describeRun(r)).toMatch(/checkpoint/i);
  });

  it('not a 900 id: not described as "the oldest retained log"', async () => {
    const w = world();
    w.github.setVariable('AUTH0_CP', `12345678901234567${Z39}`);
    const r = await w.run();
    expect(r.stdout, describeRun(r)).not.toMatch(/12345678901234567\d+ \(the oldest retained log\)/);
  });
});
