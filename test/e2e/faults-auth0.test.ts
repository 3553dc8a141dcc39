// Fault injection at Auth0, seeded: transient faults are retried and lose nothing; pages that break
// the contract (ids that do not ascend, do not pass the cursor, are missing) fail the run with a
// clear error and a checkpoint that never passes what was delivered; an empty page ends the run and
// the next run picks up the late arrivals.

import { describe, expect, it } from 'vitest';
import type { Fault } from '../fakes/auth0.js';
import { makeEvents, type LogEvent } from '../fakes/events.js';
import { queueAuth0Faults, seeds, SOAK } from '../faults/chaos.js';
import { Ledger, report, useFaultWorld } from '../faults/world.js';
import { annotations, describeRun } from './harness.js';
import { defaultMatch, expectFailure, expectSuccess, ids, OLDEST, sorted } from './world.js';

describe('a flaky tenant, seeded', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(330, { seed: 211 }) }));

  for (const seed of seeds([11, 12])) {
    it(`seed ${seed}: transient faults on every kind of request, nothing lost`, async () => {
      const w = world();
      const matching = w.auth0.events.filter(defaultMatch);
      const ledger = new Ledger(w, () => matching);
      const { kinds } = queueAuth0Faults(w.auth0, seed, 5, 0.7);
      const r = await w.run(
        { 'payload-format': 'array', 'batch-size': '30' },
        { env: seed % 2 === 1 ? { RUNNER_DEBUG: '1' } : {}, timeoutMs: 30_000 },
      );
      expectSuccess(r);
      ledger.afterRun(r);
      expect(r.outputs, describeRun(r)).toMatchObject({ fetched: '330', 'caught-up': 'true', failed: '0' });
      expect(w.checkpoint()).toBe(w.auth0.events.at(-1)!.log_id);
      const { duplicates } = ledger.expectAllDelivered();
      expect(duplicates, 'Auth0 faults must not cause duplicate deliveries').toBe(0);
      report({ test: 'auth0-chaos', seed, faults: kinds, duplicates, lost: 0 });
    });
  }

  it.runIf(SOAK)(
    'every issued token expires mid-run (a real 401, not a scripted one): a new token, nothing lost',
    async () => {
      const w = world();
      const matching = w.auth0.events.filter(defaultMatch);
      w.auth0.onLogsRequest = (_req, index) => {
        if (index === 2) w.auth0.revokeAllTokens();
      };
      const r = await w.run();
      expectSuccess(r);
      expect(w.auth0.tokensIssued).toHaveLength(2);
      expect(sorted([...new Set(w.webhook.deliveredIds())])).toEqual(ids(matching));
    },
  );

  it('a fresh token rejected too: the run fails clearly, keeping what it delivered', async () => {
    const w = world();
    const matching = w.auth0.events.filter(defaultMatch);
    const ledger = new Ledger(w, () => matching);
    w.auth0.faults.push('pass', 'pass', { status: 401 }, { status: 401 });
    const r = await w.run({ concurrency: '1' });
    expectFailure(r);
    const errors = annotations(r.stdout, 'error').join('\n');
    expect(errors, describeRun(r)).toMatch(/401/);
    expect(errors).toMatch(/token/i);
    const stored = ledger.afterRun(r);
    expect(stored).toBe(w.auth0.events[199]!.log_id);
    const again = await w.run();
    expectSuccess(again);
    ledger.afterRun(again);
    ledger.expectAllDelivered();
  });
});

/** A page as Auth0 would serve it from `from`, then altered by `change`. */
function altered(
  events: readonly LogEvent[],
  change: (page: Record<string, unknown>[], from: string) => unknown,
): Fault {
  return (req) => {
    const from = req.query['from'] ?? OLDEST;
    const page = events.filter((e) => e.log_id > from).slice(0, 100) as unknown as Record<string, unknown>[];
    return { status: 200, body: JSON.stringify(change(structuredClone(page), from)) };
  };
}

interface BrokenPage {
  label: string;
  change: (page: Record<string, unknown>[], from: string) => unknown;
  /** What the ::error:: must mention. */
  error: RegExp;
}

const ALL_BROKEN_PAGES: BrokenPage[] = [
  {
    label: 'ids that go down within the page',
    change: (page) => {
      [page[40], page[41]] = [page[41]!, page[40]!];
      return page;
    },
    error: /ascend/,
  },
  {
    label: 'the same id twice',
    change: (page) => {
      page[30] = { ...page[29] };
      return page;
    },
    error: /ascend/,
  },
  {
    label: 'a first id equal to the cursor (does not pass it)',
    change: (page, from) => [{ ...page[0], log_id: from }, ...page],
    error: /ascend|cursor/,
  },
  {
    label: 'an old event served again, before the cursor',
    change: (page, from) => [{ ...page[0], log_id: `${from.slice(0, -3)}000` }, ...page],
    error: /ascend|cursor/,
  },
  {
    label: 'an event without log_id (nor _id)',
    change: (page) => {
      delete page[10]!['log_id'];
      return page;
    },
    error: /log_id/,
  },
  {
    label: 'a log_id that is not digits',
    change: (page) => {
      page[10]!['log_id'] = '5f1e2d3c4b5a69788796a5b4';
      return page;
    },
    error: /log_id/,
  },
  { label: 'an object instead of an array', change: (page) => ({ logs: page }), error: /array/ },
  {
    label: 'null in the array',
    change: (page) => {
      page.splice(5, 0, null as unknown as Record<string, unknown>);
      return page;
    },
    error: /log_id/,
  },
];

/** `npm test` runs two (ids going down, an id not past the cursor); `npm run soak` all. */
const BROKEN_PAGES = SOAK ? ALL_BROKEN_PAGES : [0, 2].map((i) => ALL_BROKEN_PAGES[i]!);

describe('a page that breaks the contract', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(160, { seed: 223 }) }));

  for (const broken of BROKEN_PAGES) {
    it(`${broken.label}: the run fails naming it, checkpoint covered, a re-run catches up`, async () => {
      const w = world();
      const events = w.auth0.events;
      const matching = events.filter(defaultMatch);
      const ledger = new Ledger(w, () => matching);
      w.auth0.faults.push('pass', altered(events, broken.change));
      const r = await w.run({ concurrency: '3' });
      expectFailure(r);
      const errors = annotations(r.stdout, 'error').join('\n');
      expect(errors, describeRun(r)).toMatch(broken.error);
      const stored = ledger.afterRun(r);
      // Nothing of the broken page counts: the first page is the most that can be done.
      expect(stored! <= events[99]!.log_id, `checkpoint ${stored} is inside the broken page`).toBe(true);
      expect(
        w.webhook.sentIds().every((id) => id <= events[99]!.log_id),
        'an event of the broken page was sent',
      ).toBe(true);
      // Auth0 behaves again: the next run resumes and nothing is lost.
      const again = await w.run();
      expectSuccess(again);
      ledger.afterRun(again);
      ledger.expectAllDelivered();
    });
  }
});

describe('late arrivals', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(150, { seed: 227 }) }));

  it('an empty page ends the run caught up; the next runs get what arrived after, nothing lost', async () => {
    const w = world();
    const matching = (): LogEvent[] => w.auth0.events.filter(defaultMatch);
    const ledger = new Ledger(w, matching);
    // The second page comes back empty although events exist (Auth0 had not indexed them yet).
    w.auth0.faults.push('pass', { status: 200, body: '[]' });
    const first = await w.run();
    expectSuccess(first);
    expect(first.outputs).toMatchObject({ fetched: '100', 'caught-up': 'true' });
    expect(ledger.afterRun(first)).toBe(w.auth0.events[99]!.log_id);

    const second = await w.run();
    expectSuccess(second);
    expect(second.outputs).toMatchObject({ fetched: '50', 'caught-up': 'true' });
    ledger.afterRun(second);

    // More events arrive between two scheduled runs.
    w.auth0.addEvents(makeEvents(40, { after: w.auth0.events.at(-1)! }));
    const third = await w.run();
    expectSuccess(third);
    expect(third.outputs).toMatchObject({ fetched: '40', 'caught-up': 'true' });
    expect(ledger.afterRun(third)).toBe(w.auth0.events.at(-1)!.log_id);
    const { duplicates } = ledger.expectAllDelivered();
    expect(duplicates).toBe(0);
  });

  it.runIf(SOAK)('events arriving while a run is going are delivered by it or by the next one', async () => {
    const w = world();
    const matching = (): LogEvent[] => w.auth0.events.filter(defaultMatch);
    const ledger = new Ledger(w, matching);
    w.auth0.onLogsRequest = (_req, index) => {
      if (index <= 3) w.auth0.addEvents(makeEvents(30, { after: w.auth0.events.at(-1)! }));
    };
    const r = await w.run({ 'payload-format': 'lines', 'batch-size': '25' });
    expectSuccess(r);
    ledger.afterRun(r);
    w.auth0.onLogsRequest = undefined;
    const again = await w.run();
    expectSuccess(again);
    ledger.afterRun(again);
    ledger.expectAllDelivered();
    expect(w.checkpoint()).toBe(w.auth0.events.at(-1)!.log_id);
  });
});
