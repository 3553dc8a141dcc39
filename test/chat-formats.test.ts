// The chat formats as pure functions: every message they can build is one the service accepts (the
// fakes' own copies of the documented limits judge it), event text is never markup, cut text says so.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../src/auth0/log-event.js';
import { dashboardLogUrl, describeEvent, fit } from '../src/delivery/formats/describe.js';
import { discordMessage, escapeDiscord } from '../src/delivery/formats/discord.js';
import { chatMessage, CHAT_FORMATS, type ChatFormat } from '../src/delivery/formats/index.js';
import { escapeSlack, slackMessage } from '../src/delivery/formats/slack.js';
import { escapeCard, teamsMessage } from '../src/delivery/formats/teams.js';
import { TEAMS } from '../src/delivery/formats/limits.js';
import { LOG_TYPES } from '../src/auth0/log-types.js';
import { discordMarkup, discordProblem, discordTexts } from './fakes/discord.js';
import { slackAsSeen, slackMarkup, slackProblem, slackTexts } from './fakes/slack.js';
import { teamsMarkup, teamsProblem, teamsTexts } from './fakes/teams.js';

const CONTEXT = { auth0Domain: 'acme.eu.auth0.com' };
const LOG_ID = '90020260131120000123456789012345678901234567890123456789';

function event(overrides: Partial<LogEvent> = {}, n = 0): LogEvent {
  return {
    log_id: `${LOG_ID.slice(0, -4)}${String(n).padStart(4, '0')}`,
    type: 'f',
    date: '2026-01-31T12:00:05.123Z',
    user_name: 'jane@example.com',
    ip: '203.0.113.7',
    client_name: 'Storefront',
    connection: 'Username-Password-Authentication',
    description: 'Wrong email or password.',
    ...overrides,
  };
}

const HOSTILE = [
  '<!channel>',
  '<!here|here>',
  '@everyone',
  '@here',
  '<@123456789012345678>',
  '<https://evil.example|click>',
  '[click](https://evil.example)',
  '**bold** _it_ ~~s~~ `code` > quote # head - item 1. item',
  '{{DATE(2017-02-14T06:00:00Z, SHORT)}}',
  'a & b < c > d',
];

/** The problem the service's fake finds in a body, or undefined. */
function problem(format: ChatFormat, body: unknown): string | undefined {
  const json = JSON.stringify(body);
  if (format === 'slack') return slackProblem(JSON.parse(json));
  if (format === 'discord') return discordProblem(JSON.parse(json));
  if (Buffer.byteLength(json) > 28 * 1024) return 'over 28 KB';
  return teamsProblem(JSON.parse(json));
}

function markup(format: ChatFormat, body: unknown): string[] {
  if (format === 'slack') return slackMarkup(body).filter((m) => !m.startsWith('<https://manage.auth0.com/'));
  if (format === 'discord') return discordMarkup(body);
  return teamsMarkup(body);
}

function texts(format: ChatFormat, body: unknown): string[] {
  if (format === 'slack') return slackTexts(body);
  if (format === 'discord') return discordTexts(body);
  return teamsTexts(body);
}

describe('describeEvent', () => {
  it('says what happened, who, where, which application and connection, when (UTC), with a dashboard link', () => {
    const facts = describeEvent(event(), CONTEXT);
    expect(facts).toMatchObject({
      emoji: '🔴',
      meaning: 'Failed Login',
      type: 'f',
      user: 'jane@example.com',
      ip: '203.0.113.7',
      application: 'Storefront',
      connection: 'Username-Password-Authentication',
      time: '2026-01-31 12:00:05 UTC',
      link: `https://manage.auth0.com/dashboard/eu/acme/logs/${LOG_ID.slice(0, -4)}0000`,
    });
  });

  it('links to the dashboard only for canonical domains ({tenant}.auth0.com is the US region)', () => {
    expect(dashboardLogUrl('acme.auth0.com', 'x')).toBe('https://manage.auth0.com/dashboard/us/acme/logs/x');
    expect(dashboardLogUrl('acme.au.auth0.com', 'a/b')).toBe(
      'https://manage.auth0.com/dashboard/au/acme/logs/a%2Fb',
    );
    expect(dashboardLogUrl('login.example.com', 'x')).toBeUndefined();
    expect(dashboardLogUrl('127.0.0.1:4000', 'x')).toBeUndefined();
    expect(dashboardLogUrl('evil.auth0.com.example.net', 'x')).toBeUndefined();
  });

  it('reads only strings and numbers, and removes control and bidi-override characters', () => {
    const facts = describeEvent(
      event({ user_name: { $ne: 1 } as unknown as string, ip: 'a\u202eb\u0000c\nd', description: '\ud800x' }),
      CONTEXT,
    );
    expect(facts.user).toBeUndefined();
    expect(facts.ip).toBe('a b c d');
    expect(facts.description).toBe('\ufffdx');
    expect(describeEvent({ type: 'nope' }, CONTEXT)).toMatchObject({
      emoji: '❔',
      meaning: 'Unknown type',
      logId: '?',
    });
  });
});

describe('fit', () => {
  it('cuts the raw text so that the escaped text with an ellipsis fits, never half an escape', () => {
    const { text, cut } = fit('&&&&&&&&&&', 12, escapeSlack);
    expect(cut).toBe(true);
    expect(text).toBe('&amp;&amp;…');
    expect(fit('😀😀😀', 4, (t) => t).text).toBe('😀…');
    expect(fit('short', 10, escapeSlack)).toEqual({ text: 'short', cut: false });
  });
});

describe.each(CHAT_FORMATS)('%s', (format) => {
  it('builds one valid message for one event, with the dashboard link', () => {
    const body = chatMessage(format, [event()], CONTEXT);
    expect(problem(format, body)).toBeUndefined();
    expect(JSON.stringify(body)).toContain('https://manage.auth0.com/dashboard/eu/acme/logs/');
    expect(texts(format, body).join('\n')).toContain('Failed Login');
  });

  it.each(HOSTILE)('shows %j as text: no ping, no link, no markup', (hostile) => {
    const one = chatMessage(
      format,
      [event({ user_name: hostile, description: hostile, client_name: hostile })],
      CONTEXT,
    );
    const many = chatMessage(
      format,
      [event({ user_name: hostile }, 1), event({ description: hostile }, 2)],
      CONTEXT,
    );
    for (const body of [one, many]) {
      expect(problem(format, body)).toBeUndefined();
      expect(markup(format, body)).toEqual([]);
    }
  });

  it('cuts a long description to fit and says so', () => {
    const body = chatMessage(format, [event({ description: 'x'.repeat(50_000) })], CONTEXT);
    expect(problem(format, body)).toBeUndefined();
    const all = texts(format, body).join('\n');
    expect(all).toContain('…');
    expect(all).toMatch(/shortened to fit/);
  });

  it('does not say it cut anything when nothing was cut', () => {
    expect(texts(format, chatMessage(format, [event()], CONTEXT)).join('\n')).not.toMatch(/shortened/);
  });

  it('makes a digest of 100 events within the limits', () => {
    const events = Array.from({ length: 100 }, (_, n) => event({ description: 'd'.repeat(n * 40) }, n));
    const body = chatMessage(format, events, CONTEXT);
    expect(problem(format, body)).toBeUndefined();
    const all = texts(format, body).join('\n');
    expect(all).toContain('100 Auth0 log events');
  });

  it('property: any events, any batch up to 100, every body is one the service accepts and has no markup', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.constantFrom(...HOSTILE),
      fc.string({
        unit: fc.constantFrom(
          '<',
          '>',
          '&',
          '@',
          '*',
          '_',
          '[',
          ']',
          '(',
          ')',
          '{',
          '`',
          '\\',
          '😀',
          '\ud800',
        ),
        maxLength: 3000,
      }),
      fc.nat(6_000).map((n) => 'y'.repeat(n)),
    );
    const anyEvent = fc.record(
      {
        type: fc.oneof(fc.constantFrom('f', 's', 'limit_wc', 'fp', 'sapi'), text),
        date: fc.oneof(fc.constant('2026-01-31T12:00:00Z'), text),
        user_name: text,
        ip: text,
        client_name: text,
        connection: text,
        description: text,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(anyEvent, { minLength: 1, maxLength: 100 }), (events) => {
        const body = chatMessage(
          format,
          events.map((e, n) => ({ ...e, log_id: `${LOG_ID.slice(0, -4)}${String(n).padStart(4, '0')}` })),
          CONTEXT,
        );
        expect(problem(format, body)).toBeUndefined();
        expect(markup(format, body)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});

describe('escaping', () => {
  it('Slack: only &, <, > become entities; `*` a look-alike, so that masked values do not turn bold', () => {
    expect(escapeSlack('<!channel> & *b*')).toBe('&lt;!channel&gt; &amp; \u2217b\u2217');
    expect(escapeSlack('j***@example.com from 203.0.*.*')).toBe('j∗∗∗@example.com from 203.0.∗.∗');
    expect(slackAsSeen(slackMessage([event({ user_name: '<!channel>' })], CONTEXT))).toContain('<!channel>');
  });

  it('Discord: markdown escaped, @everyone and @here broken, and no mention parsed anyway', () => {
    expect(escapeDiscord('[click](https://evil)')).toBe('\\[click\\]\\(https\\://evil\\)');
    expect(escapeDiscord('@everyone @here')).toBe('@\u200beveryone @\u200bhere');
    expect(discordMessage([event()], CONTEXT).allowed_mentions).toEqual({ parse: [] });
  });

  it('Teams: markdown and {{…}} functions escaped, a leading number keeps its dot', () => {
    expect(escapeCard('[a](b) **c** {{DATE(x)}}')).toBe(
      '\\[a\\]\\(b\\) \\*\\*c\\*\\* \\{\\{DATE\\(x\\)\\}\\}',
    );
    expect(escapeCard('1. item')).toBe('1\\. item');
    const card = teamsMessage([event()], CONTEXT).attachments[0]?.content;
    expect(card?.actions?.[0]?.url).toMatch(/^https:\/\/manage\.auth0\.com\/dashboard\/eu\/acme\/logs\//);
  });
});

// Review of #16: a Teams digest of 100 events with a long type meaning and a long canonical tenant
// (dashboard links on every line) was over the size limit, and Teams answers 202 before posting.
describe('every format stays within its limits for every type code, 100 events, a long tenant name', () => {
  const context = { auth0Domain: 'contoso-customer-identity.eu.auth0.com' };
  it.each(CHAT_FORMATS)('%s', (format) => {
    for (const type of LOG_TYPES.keys()) {
      const events = Array.from({ length: 100 }, (_, n) => event({ type }, n));
      const body = chatMessage(format, events, context);
      expect(problem(format, body), `${format}, 100 × ${type}`).toBeUndefined();
      if (format === 'teams')
        expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThanOrEqual(TEAMS.maxBodyBytes);
    }
  });
});
