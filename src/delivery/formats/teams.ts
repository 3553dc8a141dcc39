// Microsoft Teams messages for a Workflows webhook ("When a Teams webhook request is received"): a
// `message` with one Adaptive Card attachment. Limits and answers: see ./limits.ts (Teams connector
// reference, Adaptive Card text features). TextBlock and Fact text interpret a Markdown subset and
// `{{DATE()}}` functions, so event text is backslash-escaped: shown as typed, never a link or a list.

import type { LogEvent } from '../../auth0/log-event.js';
import {
  countsByType,
  CutTracker,
  describeEvent,
  details,
  type ChatContext,
  type EventFacts,
} from './describe.js';
import { TEAMS } from './limits.js';

export type CardElement =
  | {
      type: 'TextBlock';
      text: string;
      wrap: true;
      weight?: 'Bolder';
      size?: 'Medium';
      isSubtle?: boolean;
      spacing?: 'None' | 'Small';
    }
  | { type: 'FactSet'; facts: Array<{ title: string; value: string }> };

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: string;
  body: CardElement[];
  actions?: Array<{ type: 'Action.OpenUrl'; title: string; url: string }>;
  msteams: { width: 'Full' };
}

export interface TeamsMessage {
  type: 'message';
  attachments: Array<{
    contentType: 'application/vnd.microsoft.card.adaptive';
    contentUrl: null;
    content: AdaptiveCard;
  }>;
}

/**
 * Adaptive Card markdown as literal text: CommonMark's backslash escapes for the characters that make
 * emphasis, links, lists, headings, code and `{{…}}` functions; a number that starts the text keeps its dot.
 */
export function escapeCard(text: string): string {
  return text.replace(/[\\*_[\]()~`#>+\-!{}<|]/g, '\\$&').replace(/^(\d+)([.)])/, '$1\\$2');
}

const CUT_NOTE = '✂️ Some text was shortened to fit the Teams message size; the full events are in Auth0.';

export function teamsMessage(events: readonly LogEvent[], context: ChatContext): TeamsMessage {
  const facts = events.map((event) => describeEvent(event, context));
  // Text is cut to an equal share first; if the card is still over the size limit, the share shrinks.
  const fits = (message: TeamsMessage): boolean =>
    Buffer.byteLength(JSON.stringify(message)) <= TEAMS.maxBodyBytes;
  for (let share = facts.length === 1 ? 4_000 : 1_000; share >= 20; share = Math.floor(share * 0.7)) {
    const message = facts.length === 1 ? single(facts[0] as EventFacts, share) : digest(facts, share);
    if (fits(message)) return message;
  }
  // One event's card is far below the limit at the smallest share (its fields are capped).
  if (facts.length === 1) return single(facts[0] as EventFacts, 20);
  // A digest of many events with long type meanings and dashboard links can still be too big (Teams
  // would accept the request and fail to post it): compact lines, and if need be fewer of them with
  // a line that counts the rest, so the limit always holds.
  for (let listed = facts.length; ; listed = Math.max(1, Math.floor(listed * 0.8))) {
    const message = digest(facts, 20, listed);
    if (fits(message) || listed === 1) return message;
  }
}

function wrap(body: CardElement[], link: string | undefined): TeamsMessage {
  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: TEAMS.cardVersion,
    body,
    msteams: { width: 'Full' },
  };
  if (link !== undefined)
    card.actions = [{ type: 'Action.OpenUrl', title: 'Open in the Auth0 dashboard', url: link }];
  return {
    type: 'message',
    attachments: [
      { contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card },
    ],
  };
}

function single(fact: EventFacts, share: number): TeamsMessage {
  const cut = new CutTracker();
  const facts = [...details(fact), ['log_id', fact.logId] as [string, string]].map(([title, value]) => ({
    title: escapeCard(title),
    value: cut.fit(value, Math.min(share, 300), escapeCard),
  }));
  const body: CardElement[] = [
    {
      type: 'TextBlock',
      text: `${fact.emoji} ${escapeCard(fact.meaning)} (${cut.fit(fact.type, 100, escapeCard)})`,
      wrap: true,
      weight: 'Bolder',
      size: 'Medium',
    },
    { type: 'FactSet', facts },
  ];
  if (fact.description !== undefined) {
    body.push({ type: 'TextBlock', text: cut.fit(fact.description, share, escapeCard), wrap: true });
  }
  if (cut.cut) body.push({ type: 'TextBlock', text: CUT_NOTE, wrap: true, isSubtle: true });
  return wrap(body, fact.link);
}

/** `listed` below the number of events: compact lines (no links) for that many, then a count of the rest. */
function digest(facts: readonly EventFacts[], share: number, listed = facts.length): TeamsMessage {
  const compact = listed < facts.length || share <= 20;
  const cut = new CutTracker();
  const body: CardElement[] = [
    {
      type: 'TextBlock',
      text: `${facts.length} Auth0 log events`,
      wrap: true,
      weight: 'Bolder',
      size: 'Medium',
    },
    { type: 'TextBlock', text: cut.fit(countsByType(facts), 500, escapeCard), wrap: true, isSubtle: true },
  ];
  for (const fact of facts.slice(0, listed)) {
    const meaning = compact ? cut.fit(fact.meaning, 40, escapeCard) : escapeCard(fact.meaning);
    const head = `${fact.emoji} **${meaning}** (${cut.fit(fact.type, compact ? 30 : 60, escapeCard)})`;
    const link = fact.link === undefined || compact ? '' : ` [view](${fact.link})`;
    const detail = [fact.user, fact.ip, fact.application, fact.time, fact.description]
      .filter((part) => part !== undefined)
      .join(' · ');
    const room = Math.max(1, share - head.length - link.length - 3);
    const text = detail === '' ? head + link : `${head} · ${cut.fit(detail, room, escapeCard)}${link}`;
    body.push({ type: 'TextBlock', text, wrap: true, spacing: 'Small' });
  }
  if (listed < facts.length) {
    const rest = facts.slice(listed);
    const range = `${rest[0]?.logId ?? '?'} to ${rest[rest.length - 1]?.logId ?? '?'}`;
    body.push({
      type: 'TextBlock',
      text: `…and ${rest.length} more events (log_id ${escapeCard(range)}): see the Auth0 dashboard.`,
      wrap: true,
    });
  }
  if (cut.cut || listed < facts.length)
    body.push({ type: 'TextBlock', text: CUT_NOTE, wrap: true, isSubtle: true });
  return wrap(body, undefined);
}
