// The delivery lag and following in the outcome line and the job summary (src/report.ts).

import { describe, expect, it } from 'vitest';
import type { PipelineResult } from '../src/pipeline.js';
import { outcomeLine } from '../src/report/outcome.js';
import type { RunReport } from '../src/report/run-report.js';
import { buildSummary } from '../src/report/summary.js';

const NOW = Date.parse('2026-11-01T12:00:00Z');
/** A log_id embedding `time` (Auth0's ids carry their UTC time after `900`). */
const idAt = (time: string, n = 1): string =>
  `900${time.replace(/\D/g, '').slice(0, 14)}${String(n).padStart(39, '0')}`;

function report(result: Partial<PipelineResult>, extra: Partial<RunReport> = {}): RunReport {
  return {
    result: {
      outcome: 'caught-up',
      caughtUp: true,
      pages: 2,
      fetched: 120,
      matched: 100,
      delivered: 100,
      failed: 0,
      checkpoint: idAt('2026-11-01T11:59:58Z'),
      failures: [],
      error: undefined,
      byType: new Map([['f', 100]]),
      filteredByType: new Map(),
      preview: [],
      removedByCondition: 0,
      conditionErrors: 0,
      durationMs: 3_000,
      ...result,
    },
    previous: idAt('2026-11-01T11:50:00Z'),
    checkpointName: 'AUTH0_CP',
    store: 'variable',
    dryRun: false,
    hint: undefined,
    maxRuntimeMs: 300_000,
    now: NOW,
    ...extra,
  };
}

const LAG = { count: 100, medianMs: 1_200, p95Ms: 2_000, maxMs: 3_400 };

describe('delivery lag in the report', () => {
  it('the log line gives median, p95 and max; the headline leaves them to the summary line', () => {
    const r = report({ lag: LAG });
    expect(outcomeLine(r, true)).toMatch(
      /Delivery lag \(event time → acknowledgement\): median 1\.2s, p95 2s, max 3\.4s\.$/,
    );
    expect(outcomeLine(r)).not.toMatch(/lag/);
    const summary = buildSummary(r);
    expect(summary).toContain(
      '**Delivery lag** (event time → acknowledgement, 100 events) median 1.2s · p95 2s · max 3.4s',
    );
  });

  it('no lag line when nothing was delivered, nor in a dry run', () => {
    expect(buildSummary(report({ delivered: 0 }))).not.toContain('Delivery lag');
    expect(outcomeLine(report({ lag: LAG }, { dryRun: true }), true)).not.toContain('lag');
  });

  it('a run that delivered old events says it is far behind', () => {
    const r = report({
      lag: { count: 100, medianMs: 3 * 3_600_000, p95Ms: 5 * 3_600_000, maxMs: 6 * 3_600_000 },
    });
    expect(outcomeLine(r)).toMatch(/Far behind: half the events delivered were more than 3h old/);
    expect(buildSummary(r)).toContain('Far behind');
    expect(outcomeLine(report({ lag: LAG }))).not.toContain('Far behind');
  });

  it('a run stopped with its checkpoint hours behind now says so', () => {
    const r = report({ outcome: 'max-runtime', caughtUp: false, checkpoint: idAt('2026-11-01T08:00:00Z') });
    expect(outcomeLine(r)).toMatch(/Far behind: the checkpoint is 4h behind now/);
  });
});

describe('a following run in the report', () => {
  it('says it followed, how often it read, and whether the last read was caught up', () => {
    const r = report({ outcome: 'followed', polls: 9, lag: LAG }, { pollIntervalMs: 30_000 });
    expect(outcomeLine(r)).toMatch(
      /^Followed the log for 3s, reading every 30s when caught up: fetched 120, matched 100, delivered 100; the last read was caught up\.$/,
    );
    const summary = buildSummary(r);
    expect(summary).toMatch(/^## ✅/);
    expect(summary).toContain('followed the log: 9 polls every 30s');
    expect(summary).not.toContain('### Next');
    const cut = report({ outcome: 'followed', caughtUp: false, polls: 3 }, { pollIntervalMs: 30_000 });
    expect(outcomeLine(cut)).toMatch(/max-runtime came during a read; the next run continues/);
  });
});
