import { describe, expect, it } from 'vitest';
import { marked } from 'marked';
import { OLDEST_CURSOR } from '../src/cursor.js';
import type { DeliveryFailure } from '../src/delivery/sender.js';
import type { PipelineResult } from '../src/pipeline.js';
import { nextSteps } from '../src/report/outcome.js';
import type { RunReport } from '../src/report/run-report.js';
import { buildSummary } from '../src/report/summary.js';
import { count } from '../src/report/words.js';

describe('count', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1000, '1,000'],
    [12345, '12,345'],
    [1234567, '1,234,567'],
    [1000000000, '1,000,000,000'],
    [-1234, '-1,234'],
    [1234.5, '1,234.5'],
  ])('%d → %s (what toLocaleString("en-US") writes)', (n, text) => {
    expect(count(n)).toBe(text);
    expect(count(n)).toBe(n.toLocaleString('en-US', { maximumFractionDigits: 20 }));
  });
});

describe('text from outside stays inert in the summary (#14 item 9)', () => {
  const ID = `900${'1'.repeat(53)}`;
  const result = (over: Partial<PipelineResult>): PipelineResult => ({
    outcome: 'caught-up',
    caughtUp: true,
    pages: 1,
    fetched: 1,
    matched: 1,
    delivered: 0,
    failed: 0,
    checkpoint: ID,
    failures: [],
    error: undefined,
    byType: new Map([['s', 1]]),
    filteredByType: new Map(),
    removedByCondition: 0,
    conditionErrors: 0,
    preview: [],
    durationMs: 1_000,
    ...over,
  });
  const report = (r: PipelineResult, dryRun = false): RunReport => ({
    result: r,
    previous: OLDEST_CURSOR,
    checkpointName: 'CP',
    store: 'variable',
    dryRun,
    hint: undefined,
    now: Date.parse('2026-11-02T00:00:00Z'),
  });
  /** GitHub-flavoured Markdown to HTML, as GitHub renders a job summary (autolinks included). */
  const html = (markdown: string): string => marked.parse(markdown, { gfm: true, async: false });

  it('an event type cannot end the code span it is quoted in under "What to do next"', () => {
    const type = 'f` **bold** <img src=x> `';
    const failure: DeliveryFailure = {
      status: 400,
      reason: '400',
      logId: ID,
      type,
      answer: 'no',
      attempts: 1,
      events: 1,
      message: 'refused',
    };
    const r = report(result({ outcome: 'failed', caughtUp: false, failed: 1, failures: [failure] }));
    const step = nextSteps(r)[0] ?? '';
    expect(step).toContain('(type `f? **bold** <img src=x> ?`)');
    const rendered = html(buildSummary(r));
    expect(rendered).not.toContain('<img');
    expect(rendered).not.toContain('<strong>bold</strong>');
  });

  it('bare www. and https:// in dry-run user and client names do not become links', () => {
    const event = {
      log_id: ID,
      date: '2026-11-01T00:00:00.000Z',
      type: 's',
      user_name: 'www.evil.example',
      client_name: 'https://phish.example/login',
    };
    const summary = buildSummary(report(result({ preview: [event] }), true));
    const rendered = html(summary);
    expect(rendered).not.toMatch(/<a\b/);
    const text = rendered.replace(/<[^>]+>/g, '');
    expect(text).toContain('www.evil.example');
    expect(text).toContain('https://phish.example/login');
  });
});
