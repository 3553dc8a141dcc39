// Discord webhook messages: a short `content` line and embeds, with `allowed_mentions: {parse: []}`
// so that nothing in the message can ping anyone. Limits and answers: see ./limits.ts (Discord's
// Execute Webhook, embed limits and rate limits). Event text is escaped as Discord markdown and
// `@everyone` / `@here` are broken with a zero-width space anyway: shown as typed, never a ping or a link.

import type { LogEvent } from '../../auth0/log-event.js';
import {
  countsByType,
  CutTracker,
  describeEvent,
  details,
  LEVEL_COLORS,
  type ChatContext,
  type EventFacts,
} from './describe.js';
import { DISCORD } from './limits.js';

export interface DiscordEmbed {
  title?: string;
  url?: string;
  description?: string;
  color?: number;
  timestamp?: string;
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
  footer?: { text: string };
}

export interface DiscordMessage {
  content: string;
  embeds: DiscordEmbed[];
  allowed_mentions: { parse: [] };
}

const ZERO_WIDTH_SPACE = '\u200b';

/** Discord markdown as literal text: markup characters backslash-escaped, mass mentions broken. */
export function escapeDiscord(text: string): string {
  return neutralizeMentions(text.replace(/[\\*_~`|>#\-[\]()<:]/g, '\\$&'));
}

/** For text Discord does not render as markdown (the footer): only the mass mentions are broken. */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZERO_WIDTH_SPACE}$1`);
}

const DIGEST_LINE = 300;

export function discordMessage(events: readonly LogEvent[], context: ChatContext): DiscordMessage {
  const facts = events.map((event) => describeEvent(event, context));
  return facts.length === 1 ? single(facts[0] as EventFacts) : digest(facts);
}

const color = (fact: EventFacts): number | undefined =>
  fact.level === undefined ? undefined : LEVEL_COLORS[fact.level];

function single(fact: EventFacts): DiscordMessage {
  const cut = new CutTracker();
  const title = `${fact.emoji} ${escapeDiscord(fact.meaning)} (${cut.fit(fact.type, 100, escapeDiscord)})`;
  const fields = [...details(fact)]
    // 256 each keeps five fields, title and footer well inside the 6,000 total, leaving the description room.
    .map(([name, value]) => ({ name, value: cut.fit(value, 256, escapeDiscord), inline: true }));
  const footerText = neutralizeMentions(cut.fit(`log_id ${fact.logId}`, 120, (text) => text));
  const used =
    title.length + footerText.length + fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0);
  const embed: DiscordEmbed = { title: title.slice(0, DISCORD.title), fields, footer: { text: footerText } };
  if (fact.link !== undefined) embed.url = fact.link;
  const embedColor = color(fact);
  if (embedColor !== undefined) embed.color = embedColor;
  if (fact.isoTime !== undefined) embed.timestamp = fact.isoTime;
  const noteRoom = CUT_NOTE.length + 2;
  if (fact.description !== undefined) {
    const room = Math.min(DISCORD.description, DISCORD.totalEmbedChars - used) - noteRoom;
    embed.description = cut.fit(fact.description, room, escapeDiscord);
  }
  if (cut.cut)
    embed.description = embed.description === undefined ? CUT_NOTE : `${embed.description}\n\n${CUT_NOTE}`;
  const content = cut.fit(
    [fact.emoji, `${fact.meaning} (${fact.type})`, fact.user].filter(Boolean).join(' '),
    DISCORD.content,
    escapeDiscord,
  );
  return { content, embeds: [embed], allowed_mentions: { parse: [] } };
}

const CUT_NOTE = '✂️ Some text was shortened to fit Discord’s limits; the full events are in Auth0.';

function digestLine(fact: EventFacts, room: number, cut: CutTracker): string {
  const head = `${fact.emoji} ${cut.fit(fact.type, 40, escapeDiscord)}`;
  const link = fact.link !== undefined && room >= 200 ? ` [view](${fact.link})` : '';
  const detail = [fact.user, fact.ip, fact.application, fact.time, fact.description]
    .filter((part) => part !== undefined)
    .join(' · ');
  const rest = room - head.length - link.length - 1;
  return detail === '' || rest <= 1 ? head + link : `${head} ${cut.fit(detail, rest, escapeDiscord)}${link}`;
}

function digest(facts: readonly EventFacts[]): DiscordMessage {
  const cut = new CutTracker();
  const title = `${facts.length} Auth0 log events`;
  const summary = cut.fit(countsByType(facts), 500, escapeDiscord);
  // Every line gets an equal share of what the embeds may hold in total (6,000 characters).
  const budget = DISCORD.totalEmbedChars - title.length - CUT_NOTE.length - 4;
  const room = Math.min(DIGEST_LINE, Math.floor(budget / facts.length) - 1);
  const lines = facts.map((fact) => digestLine(fact, room, cut));
  const embeds: DiscordEmbed[] = [];
  let description = '';
  for (const line of lines) {
    if (description !== '' && description.length + 1 + line.length > DISCORD.description) {
      embeds.push({ description });
      description = '';
    }
    description = description === '' ? line : `${description}\n${line}`;
  }
  if (cut.cut) description = `${description}\n${CUT_NOTE}`;
  embeds.push({ description });
  const first = embeds[0] as DiscordEmbed;
  first.title = title;
  const worst = Math.max(...facts.map((fact) => fact.level ?? -1));
  if (worst >= 0) first.color = LEVEL_COLORS[worst];
  return {
    content: `**${title}**: ${summary}`.slice(0, DISCORD.content),
    embeds,
    allowed_mentions: { parse: [] },
  };
}
