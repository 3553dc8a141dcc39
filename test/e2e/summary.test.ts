// End to end: what the operator sees — the job summary and the run log of dist/index.js for each
// outcome (delivered and caught up, nothing new, max-runtime, a permanent failure, Auth0 refusing,
// a dry run, an invalid input), and that no event payload field ever reaches the log.

import { describe, expect, it } from 'vitest';
import { makeEvents, withType, type LogEvent } from '../fakes/events.js';
import { OK } from '../fakes/webhook.js';
import { annotations, describeRun, type RunResult } from './harness.js';
import {
  defaultMatch,
  expectFailure,
  expectSuccess,
  OLDEST,
  READONLY_TOKEN,
  sleep,
  useWorld,
} from './world.js';

/** The summary with `&nbsp;` as a space and no-break hyphens as `-` (times are kept on one line). */
function summaryOf(r: RunResult): string {
  return r.summary.replace(/&nbsp;/g, ' ').replace(/\u2011/g, '-');
}

/** `2026-11-01 00:07:27`: how the summary shows an event's (or its log_id's) time. */
function shown(event: LogEvent): string {
  return event.date.replace('T', ' ').replace(/\.\d{3}Z$/, '');
}

/** stdout without the lines a runner never shows (masks) — what a person reads in the log. */
function log(r: RunResult): string {
  return r.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

/** Values of payload fields that must never be printed in the log (user, ip, agent, ids). */
function expectNoPayloadInLog(r: RunResult, events: readonly LogEvent[]): void {
  const text = log(r) + r.stderr;
  for (const event of events) {
    for (const value of [event.user_name, event.ip, event.user_id, event.user_agent, event.client_name]) {
      expect(text.includes(value), `payload value ${value} appears in the log\n${describeRun(r)}`).toBe(
        false,
      );
    }
  }
}

function countBy(events: readonly LogEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
  return counts;
}

describe('job summary and run log', () => {
  const world = useWorld(() => ({ events: makeEvents(150, { seed: 41 }) }));

  it('delivered and caught up, then nothing new: counts, checkpoint times and lag, types, start block', async () => {
    const w = world();
    const events = w.auth0.events;
    const matching = events.filter(defaultMatch);
    const last = events[events.length - 1]!;
    const r = await w.run({}, { env: { RUNNER_DEBUG: '1' } });
    expectSuccess(r);
    const s = summaryOf(r);

    // Headline and the counts table: fetched · matched · delivered · failed · filtered out.
    expect(s).toMatch(/^## ✅ Auth0 log webhooks · 127\.0\.0\.1:\d+$/m);
    const headline = `Delivered ${matching.length} events; caught up (fetched 150, filtered out ${150 - matching.length})`;
    expect(s, s).toContain(`**${headline}`);
    expect(s).toContain('| fetched | matched | delivered | failed | filtered out |');
    expect(s).toContain(`| 150 | ${matching.length} | ${matching.length} | 0 | ${150 - matching.length} |`);

    // Checkpoint before → after, with the UTC times the ids embed and how far behind now.
    expect(s).toContain(`| before | \`${OLDEST}\` | oldest retained log | – |`);
    expect(s).toMatch(
      new RegExp(`\\| after \\(saved\\) \\| \`${last.log_id}\` \\| ${shown(last)} \\| \\d+d( \\d+h)? \\|`),
    );
    expect(s).toContain('Stored in the repository variable `AUTH0_CP`');

    // Duration, rate, requests; the filter in words.
    expect(s).toMatch(/\*\*Duration\*\* [\d.]+m?s · \*\*[\d,]+ events\/s\*\* fetched · 2 pages/);
    expect(s).toMatch(
      /\*\*Requests\*\* Auth0 \d+ requests, no rate-limit waits · webhook \d+ requests, 0 retries/,
    );
    expect(s).toContain('**Filter** every event except Management API operations');

    // Events by type: code, meaning, level, count, a bar; the biggest type has the full bar.
    const byType = [...countBy(matching)].sort((a, b) => b[1] - a[1]);
    const [topType, topCount] = byType[0]!;
    expect(s).toMatch(
      new RegExp(`^\\| \`${topType}\` \\| [^|]+ \\| \\d \\w+ \\| ${topCount} \\| █{20} \\|$`, 'm'),
    );
    expect(s).toMatch(
      new RegExp(
        `^\\| \`f\` \\| Failed Login \\| 3 error \\| ${countBy(matching).get('f')} \\| [█▏▎▍▌▋▊▉]+ \\|$`,
        'm',
      ),
    );
    const filtered = countBy(events.filter((e) => !defaultMatch(e)));
    expect(s).toContain(`**Filtered out** (${150 - matching.length}):`);
    expect(s).toContain(`\`sapi\` ${filtered.get('sapi')}`);
    expect(s).not.toContain('What to do next');

    // The log: a start block, the start point, per-request debug lines, one outcome line at the end.
    const text = log(r);
    for (const line of [
      /^auth0-log-webhooks \d+\.\d+\.\d+$/m,
      /^ {2}Auth0 tenant: +127\.0\.0\.1:\d+$/m,
      /^ {2}Checkpoint: +repository variable AUTH0_CP \(checkpoint-store: variable\)$/m,
      /^ {2}Start point: +oldest \(used only when no checkpoint is stored\)$/m,
      /^ {2}Filter: +every event except Management API operations/m,
      /^ {2}Webhook: +http:\/\/127\.0\.0\.1:\d+\/…: object format, one event a request, concurrency 5, 5 attempts, 10s timeout$/m,
      /^No checkpoint stored yet: beginning at start-from 'oldest'/m,
      /^::debug::Auth0 GET \/api\/v2\/logs → 200 in \d+ms$/m,
      /^::debug::Webhook POST \d{56} → 200 in \d+ms$/m,
    ]) {
      expect(text, describeRun(r)).toMatch(line);
    }
    expect(text.trimEnd().split('\n').at(-1)).toBe(`${headline} in ${/in ([\d.]+m?s)\./.exec(text)?.[1]}.`);
    expect(annotations(r.stdout, 'warning')).toEqual([]);
    expectNoPayloadInLog(r, events);

    // Nothing new: caught up, checkpoint unchanged.
    const again = await w.run();
    expectSuccess(again);
    const s2 = summaryOf(again);
    expect(s2).toContain('**Caught up: no new log events since the checkpoint');
    expect(s2).toContain(`| after (unchanged) | \`${last.log_id}\` | ${shown(last)} |`);
    expect(log(again)).toMatch(
      new RegExp(`^Checkpoint restored: ${last.log_id} \\(${shown(last)} UTC, .* behind now\\)\\.$`, 'm'),
    );
    expect(log(again).trimEnd().split('\n').at(-1)).toMatch(
      /^Caught up: no new log events since the checkpoint/,
    );
  });

  it('stopped at max-runtime: says so, shows what is left, and that the next run continues', async () => {
    const w = world();
    w.webhook.respond = async (req, i) => {
      await sleep(60);
      return OK(req, i);
    };
    const r = await w.run({ 'max-runtime': '3s', concurrency: '1' });
    expectSuccess(r);
    expect(r.outputs['caught-up']).toBe('false');
    const s = summaryOf(r);
    expect(s).toMatch(/^## ⏸️ Auth0 log webhooks/m);
    expect(s).toContain('**Stopped at max-runtime (3s) before catching up:');
    expect(s).toContain('| fetched | matched | delivered | failed | filtered out | not sent yet |');
    expect(s).toContain('### Next');
    expect(s).toContain('the next run continues from the checkpoint');
    expect(s).toContain('raise `max-runtime`');
    expect(log(r).trimEnd().split('\n').at(-1)).toMatch(
      /^Stopped at max-runtime \(3s\) before catching up: /,
    );
    expectNoPayloadInLog(r, w.auth0.events);
  });

  it('a permanent failure: the status, the event, the answer cut to 200 characters, and what to do', async () => {
    const w = world();
    const events = w.auth0.events;
    events[60] = withType(events[60]!, 'limit_wc');
    const target = events[60];
    const answer = `{"error":"schema mismatch","detail":"${'x'.repeat(300)}"}`;
    w.webhook.respond = (req, i) =>
      req.headers['webhook-id'] === target.log_id ? { status: 422, body: answer } : OK(req, i);
    const r = await w.run({ concurrency: '1' });
    expectFailure(r);
    const s = summaryOf(r);
    expect(s).toMatch(/^## ❌ Auth0 log webhooks/m);
    expect(s).toContain(
      `**Failed: the webhook answered 422 for event ${target.log_id} (type limit\\_wc); 1 event could not be delivered.`,
    );
    const row = s.split('\n').find((line) => line.startsWith('| 422 |'));
    expect(row, s).toBeDefined();
    expect(row).toContain(`| 1 | \`${target.log_id}\` | \`limit_wc\` | 1 |`);
    expect(row).toContain(answer.slice(0, 30));
    const cell = row!.split(' | ').at(-1)!.replace(/ \|$/, '');
    expect(cell.length, 'the answer is cut to 200 characters').toBeLessThanOrEqual(201);
    expect(s).toContain('### What to do next');
    expect(s).toContain('**Re-run failed jobs**');
    expect(s).toMatch(/Fix the receiver: it refused event `\d{56}` \(type `limit_wc`\) with 422/);

    // The log: an ::error:: naming the event and the answer, the outcome with what to do as the last one.
    const errors = annotations(r.stdout, 'error');
    expect(errors[0], describeRun(r)).toContain(target.log_id);
    expect(errors[0]).toContain('schema mismatch');
    expect(errors.at(-1)).toMatch(
      /^Failed: the webhook answered 422 .* What to do: Fix the receiver.*Re-run failed jobs/,
    );
    expectNoPayloadInLog(r, events);
  });

  it('Auth0 or the store refuses: a short summary with the fix (credentials, read:logs, a token for variables)', async () => {
    const w = world();
    const credentials = await w.run({ 'auth0-client-secret': 'wrong-secret-value' });
    expectFailure(credentials);
    let s = summaryOf(credentials);
    expect(s).toContain('**Failed: Auth0 rejected the client credentials (401 access\\_denied');
    expect(s).toContain('Nothing was fetched or delivered.');
    expect(s).not.toContain('| fetched |');
    expect(s).toMatch(/### What to do next\n\n- Check auth0-client-id and auth0-client-secret/);
    expect(annotations(credentials.stdout, 'error').join('\n')).toMatch(/What to do: Check auth0-client-id/);

    w.auth0.missingScope = true;
    const scope = await w.run();
    expectFailure(scope);
    s = summaryOf(scope);
    expect(s).toContain('Auth0 refused to read logs (403');
    expect(s).toMatch(/- Grant the application the read:logs scope/);

    w.auth0.missingScope = false;
    const token = await w.run({ 'github-token': READONLY_TOKEN });
    expectFailure(token);
    s = summaryOf(token);
    expect(s).toContain('GITHUB\\_TOKEN cannot write repository variables');
    expect(s).toMatch(/- Pass github-token: a fine-grained personal access token or a GitHub App token/);
    expect(w.webhook.requests).toHaveLength(0);
  });

  it('a dry run: what would be sent (types, the first 20 events), nothing delivered or stored; no payload in the log', async () => {
    const w = world();
    const events = w.auth0.events;
    const matching = events.filter(defaultMatch);
    const r = await w.run({ 'dry-run': 'true' });
    expectSuccess(r);
    expect(w.webhook.requests).toHaveLength(0);
    expect(w.checkpoint()).toBeUndefined();
    const s = summaryOf(r);
    expect(s).toMatch(/^## 🔍 Auth0 log webhooks · 127\.0\.0\.1:\d+ \(dry run\)$/m);
    expect(s).toContain(`**Dry run, caught up: would deliver ${matching.length} events (fetched 150`);
    expect(s).toContain('| fetched | matched | would deliver | failed | filtered out |');
    expect(s).toContain('| after (not saved: dry run) |');
    expect(s).toContain('### Would be sent, by type');
    expect(s).toContain(`### The first 20 of ${matching.length} events that would be sent`);
    // The 20 events are of one UTC day: the date is in the header, each row has the time.
    expect(s).toContain(
      `| log_id | time (UTC, ${shown(matching[0]!).slice(0, 10)}) | type | user | client |`,
    );
    for (const event of matching.slice(0, 20)) {
      const user = event.user_name.replace('@', '\\@'); // escaped: no mailto: link
      expect(s).toContain(
        `| \`${event.log_id}\` | ${shown(event).slice(11)} | \`${event.type}\` | ${user} | ${event.client_name} |`,
      );
    }
    expect(s).not.toContain(matching[20]!.log_id);
    expect(s).toContain('set `dry-run: false`');
    expect(log(r)).toMatch(/^ {2}Dry run: +yes: fetch and filter only; nothing is delivered or stored$/m);
    expectNoPayloadInLog(r, events);
  });

  it('an invalid input: the summary says so and what to do', async () => {
    const w = world();
    const r = await w.run({ concurrency: 'lots' });
    expectFailure(r);
    const s = summaryOf(r);
    expect(s).toContain("**Failed: Input 'concurrency':");
    expect(s).toContain('Nothing was fetched, delivered or stored.');
    expect(s).toContain('### What to do next');
    expect(w.auth0.requests).toHaveLength(0);
  });
});
