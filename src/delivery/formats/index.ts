// The chat formats in one place: which builder, which pacing. The sender knows none of this.

import type { LogEvent } from '../../auth0/log-event.js';
import type { ChatContext } from './describe.js';
import { discordMessage } from './discord.js';
import { MIN_INTERVAL_MS } from './limits.js';
import { slackMessage } from './slack.js';
import { teamsMessage } from './teams.js';

export type ChatFormat = 'slack' | 'discord' | 'teams';
export const CHAT_FORMATS: readonly ChatFormat[] = ['slack', 'discord', 'teams'];

export function isChatFormat(format: string): format is ChatFormat {
  return (CHAT_FORMATS as readonly string[]).includes(format);
}

/** The message body (a JSON value) for consecutive events: one event's message, or a digest. */
export function chatMessage(format: ChatFormat, events: readonly LogEvent[], context: ChatContext): unknown {
  switch (format) {
    case 'slack':
      return slackMessage(events, context);
    case 'discord':
      return discordMessage(events, context);
    case 'teams':
      return teamsMessage(events, context);
  }
}

/**
 * Shortest interval between two requests to the webhook: a chat service's documented rate (./limits.ts);
 * 0 (no pacing) for a JSON receiver.
 */
export function minIntervalMs(format: string): number {
  return isChatFormat(format) ? MIN_INTERVAL_MS[format] : 0;
}
