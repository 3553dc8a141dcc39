// End to end through dist/index.js: payload-format slack / discord / teams against loopback fakes of
// the services (their documented rules and rate limits), and payload-template reshaping and failing.

import { afterEach, describe, expect, it } from 'vitest';
import { makeEvents, type LogEvent } from '../fakes/events.js';
import type { ChatServiceFake } from '../fakes/chat-service.js';
import { discordMarkup, FakeDiscord } from '../fakes/discord.js';
import { FakeSlack, slackAsSeen, slackMarkup } from '../fakes/slack.js';
import { FakeTeams, teamsMarkup } from '../fakes/teams.js';
import { annotations, describeRun } from './harness.js';
import { expectFailure, expectSuccess, ids, useWorld } from './world.js';

/** Failures and successes, with hostile text in names and descriptions. */
function chatEvents(count: number, seed: number): LogEvent[] {
  return makeEvents(count, { seed, types: ['f', 's', 'limit_wc', 'fp'] }).map((event, n) => {
    if (n === 1) return { ...event, user_name: '<!channel> @everyone <https://evil.example|click>' };
    if (n === 2) return { ...event, description: `[click](https://evil.example) ${'long '.repeat(2_000)}` };
    return event;
  });
}

const fakes: ChatServiceFake[] = [];
async function started<T extends ChatServiceFake>(fake: T): Promise<T> {
  await fake.start();
  fakes.push(fake);
  return fake;
}
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

/** Pacing shortened to the fakes' short refill. */
const FAST = { env: { AUTH0_LOG_WEBHOOKS_PACE_MS: '20', AUTH0_LOG_WEBHOOKS_BACKOFF_MS: '0' } };

describe('chat formats', () => {
  const world = useWorld(() => ({ events: chatEvents(8, 61) }));

  it('slack: one Block Kit message per event, hostile names shown as text, cut text said, the format in the summary', async () => {
    const w = world();
    const slack = await started(new FakeSlack({ burst: 2, refillMs: 20 }));
    const r = await w.run({ 'webhook-url': slack.url, 'payload-format': 'slack', 'log-level': '0' }, FAST);
    expectSuccess(r);
    expect(slack.messages, describeRun(r)).toHaveLength(8);
    expect(slack.requests.every((q) => q.status === 200 || q.status === 429)).toBe(true);
    expect(slack.messages.flatMap(slackMarkup)).toEqual([]);
    const seen = slack.messages.map(slackAsSeen).join('\n');
    expect(seen).toContain('<!channel> @everyone <https://evil.example|click>');
    expect(seen).toMatch(/shortened to fit Slack/);
    expect(seen).toContain('Failed Login');
    expect(r.outputs['checkpoint']).toBe(w.auth0.events[7]!.log_id);
    expect(r.summary).toContain('**Sent as** Slack messages, one per event.');
    expect(r.stdout).toMatch(/Slack messages, one per event, concurrency 5, paced to one request every 20ms/);
  });

  it('discord: a digest per batch-size events, no mention parsed, within the limits', async () => {
    const w = world();
    const discord = await started(new FakeDiscord({ burst: 5, refillMs: 20 }));
    const r = await w.run(
      { 'webhook-url': discord.url, 'payload-format': 'discord', 'batch-size': '3', 'log-level': '0' },
      FAST,
    );
    expectSuccess(r);
    expect(discord.messages, describeRun(r)).toHaveLength(3); // 3 + 3 + 2
    expect(
      discord.messages.every(
        (m) => JSON.stringify((m as { allowed_mentions: unknown }).allowed_mentions) === '{"parse":[]}',
      ),
    ).toBe(true);
    expect(discord.messages.flatMap(discordMarkup)).toEqual([]);
    expect(JSON.stringify(discord.messages)).toContain('3 Auth0 log events');
    expect(discord.requests.filter((q) => q.status === 204)).toHaveLength(3);
  });

  it('teams: an Adaptive Card per event, answered 202', async () => {
    const w = world();
    const teams = await started(new FakeTeams({ burst: 4, refillMs: 20 }));
    const r = await w.run({ 'webhook-url': teams.url, 'payload-format': 'teams', 'log-level': '0' }, FAST);
    expectSuccess(r);
    expect(teams.messages, describeRun(r)).toHaveLength(8);
    expect(teams.messages.flatMap(teamsMarkup)).toEqual([]);
    expect(JSON.stringify(teams.messages)).toContain('shortened to fit the Teams message size');
  });

  it('a dry run shows the first messages and sends nothing', async () => {
    const w = world();
    const slack = await started(new FakeSlack());
    const r = await w.run({
      'webhook-url': slack.url,
      'payload-format': 'slack',
      'log-level': '0',
      'dry-run': 'true',
    });
    expectSuccess(r);
    expect(slack.requests).toHaveLength(0);
    expect(r.summary).toContain('request bodies that would be sent');
    expect(r.summary).toContain('"blocks"');
  });
});

describe('a burst against the rate limit', () => {
  const world = useWorld(() => ({ events: makeEvents(30, { seed: 62, types: ['f'] }) }));

  it('30 messages with concurrency 10 and max-attempts 1: all arrive, paced, few 429s, none spends an attempt', async () => {
    const w = world();
    // One message per 30 ms with a burst of 2: the service's limit, shortened. The action paces at
    // 60 ms (its real intervals keep a margin under each service's rate too), so a loaded machine's
    // jitter does not turn pacing into 429s.
    const slack = await started(new FakeSlack({ burst: 2, refillMs: 30 }));
    const r = await w.run(
      { 'webhook-url': slack.url, 'payload-format': 'slack', concurrency: '10', 'max-attempts': '1' },
      { env: { AUTH0_LOG_WEBHOOKS_PACE_MS: '60' } },
    );
    expectSuccess(r);
    expect(slack.messages, describeRun(r)).toHaveLength(30);
    expect(r.outputs['delivered']).toBe('30');
    // Without pacing, ten requests at once draw a 429 for nearly every message; paced, hardly any.
    expect(slack.rateLimited, describeRun(r)).toBeLessThanOrEqual(10);
  });
});

describe('payload-template', () => {
  const world = useWorld(() => ({ events: makeEvents(6, { seed: 63, types: ['f', 's'] }) }));
  const TEMPLATE = '{"id": log_id, "kind": type, "who": user_name}';
  const shaped = (e: LogEvent): unknown => ({ id: e.log_id, kind: e.type, who: e.user_name });

  it('replaces each event: the body with object, an element with array, a line with lines', async () => {
    const w = world();
    const expected = w.auth0.events.map(shaped);
    for (const [format, name] of [
      ['object', 'CP_OBJECT'],
      ['array', 'CP_ARRAY'],
      ['lines', 'CP_LINES'],
    ] as const) {
      const r = await w.run({
        'payload-format': format,
        'payload-template': TEMPLATE,
        'log-level': '0',
        'checkpoint-name': name,
      });
      expectSuccess(r);
    }
    const [object, array, lines] = [
      w.webhook.requests.filter(
        (q) => !q.body.startsWith('[') && !q.headers['content-type']!.includes('ndjson'),
      ),
      w.webhook.requests.filter((q) => q.body.startsWith('[')),
      w.webhook.requests.filter((q) => q.headers['content-type']!.includes('ndjson')),
    ];
    expect(object.map((q) => JSON.parse(q.body) as unknown)).toEqual(expected);
    expect(array.flatMap((q) => JSON.parse(q.body) as unknown[])).toEqual(expected);
    expect(
      lines.flatMap((q) =>
        q.body
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as unknown),
      ),
    ).toEqual(expected);
    expect(object.map((q) => q.headers['webhook-id'])).toEqual(ids(w.auth0.events));
  });

  it('a template that throws for an event: the run fails naming it, the checkpoint stays before it', async () => {
    const w = world();
    const events = w.auth0.events;
    const bad = events[3]!;
    const r = await w.run({
      'payload-format': 'array',
      'batch-size': '100',
      'log-level': '0',
      'payload-template': `log_id = "${bad.log_id}" ? $error("no can do") : {"id": log_id}`,
    });
    expectFailure(r);
    const errors = annotations(r.stdout, 'error').join('\n');
    expect(errors).toContain(bad.log_id);
    expect(errors).toContain('no can do');
    expect(
      w.webhook.requests.flatMap((q) => JSON.parse(q.body) as Array<{ id: string }>).map((x) => x.id),
    ).toEqual(ids(events.slice(0, 3)));
    expect(r.outputs['checkpoint']).toBe(events[2]!.log_id);
    expect(w.checkpoint()).toBe(events[2]!.log_id);
    expect(r.outputs['failed']).toBe('1');
  });

  it.each([
    [
      'a syntax error',
      { 'payload-template': '{"id": log_id' },
      /payload-template.*not a valid JSONata expression.*character/,
    ],
    [
      'with a chat format',
      { 'payload-template': '$', 'payload-format': 'slack' },
      /payload-template.*cannot be combined with payload-format 'slack'/,
    ],
  ])('%s is an input error: nothing fetched or sent', async (_, inputs, message) => {
    const w = world();
    const r = await w.run(inputs);
    expectFailure(r);
    expect(annotations(r.stdout, 'error').join('\n')).toMatch(message);
    expect(w.auth0.requests).toHaveLength(0);
    expect(w.webhook.requests).toHaveLength(0);
  });
});
