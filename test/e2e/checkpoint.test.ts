// End to end: the variable checkpoint store, start-from, dry-run.

import { describe, expect, it } from 'vitest';
import { makeEvents } from '../fakes/events.js';
import { annotations, describeRun } from './harness.js';
import {
  CHECKPOINT_NAME,
  defaultMatch,
  expectFailure,
  expectSuccess,
  ids,
  OLDEST,
  READONLY_TOKEN,
  sorted,
  useWorld,
} from './world.js';

describe('variable checkpoint store', () => {
  const world = useWorld(() => ({ events: makeEvents(200, { seed: 21 }) }));

  it('resumes from a stored checkpoint', async () => {
    const w = world();
    const stored = w.auth0.events[99]!.log_id;
    w.github.setVariable(CHECKPOINT_NAME, stored);
    const r = await w.run();
    expectSuccess(r);
    const expected = w.auth0.events.slice(100).filter(defaultMatch);
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(expected));
    expect(r.outputs).toMatchObject({
      'previous-checkpoint': stored,
      fetched: '100',
      checkpoint: w.auth0.events[199]!.log_id,
    });
    expect(w.checkpoint()).toBe(w.auth0.events[199]!.log_id);
    expect(w.auth0.logRequests[0]!.query['from']).toBe(stored);
  });

  it('an empty checkpoint-name derives the variable name from the domain', async () => {
    const w = world();
    const r = await w.run({ 'checkpoint-name': undefined });
    expectSuccess(r);
    const name = `AUTH0_LOG_CHECKPOINT_127_0_0_1_${w.auth0.domain.split(':')[1]}`;
    expect(r.outputs['checkpoint-name']).toBe(name);
    expect(w.github.variable(name)).toBe(w.auth0.events[199]!.log_id);
    expect(w.checkpoint()).toBeUndefined();
  });

  it('a read-only token (GITHUB_TOKEN) fails at once and delivers nothing', async () => {
    const w = world();
    const r = await w.run({ 'github-token': READONLY_TOKEN });
    expectFailure(r);
    const errors = annotations(r.stdout, 'error').join('\n');
    expect(errors, describeRun(r)).toContain('GITHUB_TOKEN');
    expect(errors).toMatch(/variable/i);
    expect(w.webhook.requests).toHaveLength(0);
    expect(w.checkpoint()).toBeUndefined();
  });

  it('a read-only token with an existing variable: fails, delivers nothing, value unchanged', async () => {
    const w = world();
    const stored = w.auth0.events[9]!.log_id;
    w.github.setVariable(CHECKPOINT_NAME, stored);
    const r = await w.run({ 'github-token': READONLY_TOKEN });
    expectFailure(r);
    expect(annotations(r.stdout, 'error').join('\n'), describeRun(r)).toContain('GITHUB_TOKEN');
    expect(w.webhook.requests).toHaveLength(0);
    expect(w.checkpoint()).toBe(stored);
  });

  it('a malformed stored checkpoint is an error, never replaced', async () => {
    const w = world();
    w.github.setVariable(CHECKPOINT_NAME, 'not-a-log-id');
    const r = await w.run();
    expectFailure(r);
    expect(annotations(r.stdout, 'error').length, describeRun(r)).toBeGreaterThan(0);
    expect(w.webhook.requests).toHaveLength(0);
    expect(w.checkpoint()).toBe('not-a-log-id');
  });

  it('start-from an ISO time when nothing is stored', async () => {
    const w = world();
    // One event every 3 s from 2026-11-01T00:00:00Z: index 100 is at 00:05:00.
    const r = await w.run({ 'start-from': '2026-11-01T00:05:00Z' });
    expectSuccess(r);
    expect(r.outputs['previous-checkpoint']).toBe(`90020261101000500${'0'.repeat(39)}`);
    expect(sorted(w.webhook.deliveredIds())).toEqual(ids(w.auth0.events.slice(100).filter(defaultMatch)));
  });

  it('dry-run: nothing delivered or persisted, outputs say what would be', async () => {
    const w = world();
    const stored = w.auth0.events[49]!.log_id;
    w.github.setVariable(CHECKPOINT_NAME, stored);
    const r = await w.run({ 'dry-run': 'true' });
    expectSuccess(r);
    expect(w.webhook.requests).toHaveLength(0);
    expect(w.checkpoint()).toBe(stored);
    expect(w.github.writeRequests(), 'a dry run wrote the variable').toHaveLength(0);
    const matched = w.auth0.events.slice(50).filter(defaultMatch).length;
    expect(r.outputs).toMatchObject({
      'previous-checkpoint': stored,
      fetched: '150',
      matched: String(matched),
      checkpoint: w.auth0.events[199]!.log_id,
    });
    expect(Number(r.outputs['matched'])).toBeGreaterThan(0);
  });

  it('dry-run with nothing stored creates no variable', async () => {
    const w = world();
    const r = await w.run({ 'dry-run': 'true' });
    expectSuccess(r);
    expect(w.webhook.requests).toHaveLength(0);
    expect(w.checkpoint()).toBeUndefined();
    expect(w.github.writeRequests()).toHaveLength(0);
  });
});

describe('a quiet tenant', () => {
  const world = useWorld(() => ({ events: [] }));

  it('a first run persists its start cursor even when it found nothing', async () => {
    const w = world();
    const r = await w.run();
    expectSuccess(r);
    expect(r.outputs).toMatchObject({
      fetched: '0',
      matched: '0',
      delivered: '0',
      'caught-up': 'true',
      checkpoint: OLDEST,
    });
    expect(w.checkpoint()).toBe(OLDEST);
  });

  it('start-from now on a quiet tenant persists a cursor of about now', async () => {
    const w = world();
    const before = Date.now();
    const r = await w.run({ 'start-from': 'now' });
    expectSuccess(r);
    const stored = w.checkpoint();
    expect(stored).toMatch(/^900\d{53}$/);
    const t = stored!.slice(3, 17);
    const embedded = Date.UTC(
      +t.slice(0, 4),
      +t.slice(4, 6) - 1,
      +t.slice(6, 8),
      +t.slice(8, 10),
      +t.slice(10, 12),
      +t.slice(12, 14),
    );
    expect(Math.abs(embedded - before)).toBeLessThan(10 * 60_000);
    expect(r.outputs['checkpoint']).toBe(stored);
  });
});
