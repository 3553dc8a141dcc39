// End to end: log-types / log-level select what is forwarded; everything else still moves the
// checkpoint.

import { describe, expect, it } from 'vitest';
import { makeEvents } from '../fakes/events.js';
import { annotations, describeRun } from './harness.js';
import { expectSuccess, ids, levelOf, sorted, useWorld } from './world.js';

// Only types whose level the type table fixture gives (no level assigned by the implementation involved).
const TYPES = [
  's',
  'f',
  'fp',
  'fu',
  'limit_wc',
  'limit_mu',
  'sapi',
  'fapi',
  'seacft',
  'w',
  'depnote',
  'du',
  'api_limit',
  'cls',
  'slo',
];

describe('filters', () => {
  const world = useWorld(() => ({ events: makeEvents(180, { types: TYPES, seed: 11 }) }));

  it('log-types f,fp: only those types', async () => {
    const w = world();
    const r = await w.run({ 'log-types': 'f,fp' });
    expectSuccess(r);
    const expected = w.auth0.events.filter((e) => e.type === 'f' || e.type === 'fp');
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(expected));
    expect(r.outputs).toMatchObject({
      fetched: '180',
      matched: String(expected.length),
      delivered: String(expected.length),
    });
    // Filtered-out events still advance the checkpoint.
    expect(r.outputs['checkpoint']).toBe(w.auth0.events[179]!.log_id);
    expect(w.checkpoint()).toBe(w.auth0.events[179]!.log_id);
  });

  it('log-level 3: only types of level 3 or more', async () => {
    const w = world();
    const r = await w.run({ 'log-level': '3' });
    expectSuccess(r);
    const expected = w.auth0.events.filter((e) => levelOf(e.type) >= 3);
    expect(new Set(expected.map((e) => e.type))).toEqual(
      new Set(['f', 'fp', 'fu', 'limit_wc', 'limit_mu', 'fapi', 'api_limit']),
    );
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(expected));
    expect(r.outputs['matched']).toBe(String(expected.length));
  });

  it('log-types s with log-level 4: s OR level 4', async () => {
    const w = world();
    const r = await w.run({ 'log-types': 's', 'log-level': '4' });
    expectSuccess(r);
    const expected = w.auth0.events.filter((e) => e.type === 's' || levelOf(e.type) >= 4);
    expect(new Set(expected.map((e) => e.type))).toEqual(new Set(['s', 'limit_wc', 'limit_mu', 'api_limit']));
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(expected));
  });

  it('an unknown code in log-types is a warning naming it, not an error', async () => {
    const w = world();
    const r = await w.run({ 'log-types': 'f,zzz_new' });
    expectSuccess(r);
    const warnings = annotations(r.stdout, 'warning');
    expect(
      warnings.some((line) => line.includes('zzz_new')),
      `no ::warning:: naming zzz_new\n${describeRun(r)}`,
    ).toBe(true);
    expect(annotations(r.stdout, 'error')).toEqual([]);
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(w.auth0.events.filter((e) => e.type === 'f')));
  });
});
