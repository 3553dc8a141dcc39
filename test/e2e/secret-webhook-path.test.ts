// Issue #14 item 5: Slack, Discord and Teams keep a webhook's secret in its URL's path. The log and
// the summary show the webhook as its origin only; path and query are masked as soon as the inputs
// are read; a refused redirect whose Location echoes the path is quoted by origin only.

import { describe, expect, it } from 'vitest';
import { makeEvents } from '../fakes/events.js';
import { useFaultWorld } from '../faults/world.js';
import { annotations, describeRun, type RunResult } from './harness.js';
import { expectFailure, expectSuccess } from './world.js';

const SECRET_PATH = '/services/T000/B000/s3cr3tPath';
const QUERY = 'token=q';
/** Every part of the path and query that must not be readable anywhere. */
const PARTS = ['services/', 'T000', 'B000', 's3cr3tPath', QUERY];

/** Fails naming the part and the place when any part of the secret path or query shows. */
function expectNoPathOrQuery(r: RunResult): void {
  const notMasks = (text: string): string =>
    text
      .split(/\r?\n/)
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
  for (const [where, text] of [
    ['stdout', notMasks(r.stdout)],
    ['stderr', notMasks(r.stderr)],
    ['summary', r.summary],
  ] as const) {
    for (const part of PARTS) {
      expect(text.includes(part), `'${part}' appears in ${where}\n${describeRun(r)}`).toBe(false);
    }
  }
}

describe('a webhook URL with a secret path and query (Slack-like)', () => {
  const world = useFaultWorld(() => ({ events: makeEvents(6, { seed: 1401, types: ['f'] }) }));
  const secretUrl = (origin: string): string => `${origin}${SECRET_PATH}?${QUERY}`;

  it.each([
    ['on', { RUNNER_DEBUG: '1' }],
    ['off', {}],
  ])('step debug %s: delivered, and the log shows the origin only', async (_, env) => {
    const w = world();
    const r = await w.run({ 'webhook-url': secretUrl(w.webhook.origin), concurrency: '1' }, { env });
    expectSuccess(r);
    expect(w.webhook.requests[0]?.url, 'the path and query are sent').toBe(`${SECRET_PATH}?${QUERY}`);
    const escaped = w.webhook.origin.replace(/[.]/g, '\\.');
    expect(r.stdout).toMatch(new RegExp(`^ {2}Webhook: +${escaped}/…: object format`, 'm'));
    expect(r.stdout.split('\n'), 'the path is masked').toContain(`::add-mask::${SECRET_PATH}`);
    expectNoPathOrQuery(r);
  });

  it('a 302 whose Location echoes the secret path and query: the error quotes its origin only', async () => {
    const w = world();
    w.webhook.respond = (req) => ({ status: 302, headers: { location: `${w.webhook.origin}${req.url}` } });
    const r = await w.run(
      { 'webhook-url': secretUrl(w.webhook.origin), concurrency: '1' },
      { env: { RUNNER_DEBUG: '1' } },
    );
    expectFailure(r);
    const errors = annotations(r.stdout, 'error').join('\n');
    expect(errors, describeRun(r)).toContain(`redirect to ${w.webhook.origin}/… (not followed)`);
    expectNoPathOrQuery(r);
  });
});
