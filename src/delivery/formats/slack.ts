// Slack incoming-webhook messages (Block Kit): `text` is the notification fallback, `blocks` what a
// person reads. Limits and answers: see ./limits.ts (Slack's Block Kit reference, "Escaping text",
// incoming-webhook errors, rate limits). Event text is escaped (`&`, `<`, `>`), so a user named
// `<!channel>` or `<https://evil.example|click>` is shown as typed: no ping, no link.

import type { LogEvent } from '../../auth0/log-event.js';
import {
  countsByType,
  CutTracker,
  describeEvent,
  details,
  type ChatContext,
  type EventFacts,
} from './describe.js';
import { SLACK } from './limits.js';

interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
  /** true: Slack does not turn bare URLs, #channels or @names in the text into links or mentions. */
  verbatim?: boolean;
}
export type SlackBlock =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'divider' };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/**
 * Event text as Slack shows it literally: its three control characters as entities (other entities
 * are shown as typed), and `*` as the look-alike `∗` (U+2217). mrkdwn has no escape for `*`, and a
 * masked address (`203.0.*.*`, `pii-fields`) would otherwise turn bold (`203.0..`).
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\*/g, '\u2217');
}

const FIELD_TEXT = 2_000;
/** One event's line in a digest: long enough to read, short enough that 100 fit in 50 blocks. */
const DIGEST_LINE = 600;

// Verbatim: event text may hold `https://…`, `www.…` or `#channel`, which Slack would otherwise link.
// Our own `<url|label>` links are explicit markup and still work.
const mrkdwn = (text: string): TextObject => ({ type: 'mrkdwn', text, verbatim: true });

export function slackMessage(events: readonly LogEvent[], context: ChatContext): SlackMessage {
  const facts = events.map((event) => describeEvent(event, context));
  return facts.length === 1 ? single(facts[0] as EventFacts) : digest(facts);
}

function single(fact: EventFacts): SlackMessage {
  const cut = new CutTracker();
  const title = `${fact.emoji} *${escapeSlack(fact.meaning)}* (\`${cut.fit(fact.type, 200, escapeSlack)}\`)`;
  const fields = [...details(fact)].map(([name, value]) =>
    mrkdwn(`*${name}*\n${cut.fit(value, FIELD_TEXT - name.length - 3, escapeSlack)}`),
  );
  const blocks: SlackBlock[] = [{ type: 'section', text: mrkdwn(title) }];
  if (fields.length > 0) blocks.push({ type: 'section', fields });
  if (fact.description !== undefined) {
    blocks.push({ type: 'section', text: mrkdwn(cut.fit(fact.description, SLACK.sectionText, escapeSlack)) });
  }
  blocks.push({ type: 'context', elements: [mrkdwn(footer(fact, cut))] });
  const fallback = [fact.emoji, fact.meaning, `(${fact.type})`, fact.user].filter(Boolean).join(' ');
  return { text: cut.fit(fallback, SLACK.fallbackText, escapeSlack), blocks: withCutNote(blocks, cut) };
}

function footer(fact: EventFacts, cut: CutTracker): string {
  const id = `log_id ${cut.fit(fact.logId, 100, escapeSlack)}`;
  // The link is ours (canonical domain, URL-encoded log_id): no `|` or `>` can end it early.
  return fact.link === undefined ? id : `<${fact.link}|Open in the Auth0 dashboard> · ${id}`;
}

function digestLine(fact: EventFacts, cut: CutTracker): string {
  const parts = [fact.user, fact.ip, fact.application, fact.time].filter((part) => part !== undefined);
  let line = `${fact.emoji} *${escapeSlack(fact.meaning)}* \`${cut.fit(fact.type, 60, escapeSlack)}\``;
  const link = fact.link === undefined ? '' : ` <${fact.link}|view>`;
  const room = DIGEST_LINE - line.length - link.length - 3;
  const detail = [...parts, fact.description].filter((part) => part !== undefined).join(' · ');
  if (detail !== '') line += ` · ${cut.fit(detail, room, escapeSlack)}`;
  return line + link;
}

function digest(facts: readonly EventFacts[]): SlackMessage {
  const cut = new CutTracker();
  const headline = `${facts.length} Auth0 log events`;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: headline } },
    { type: 'context', elements: [mrkdwn(cut.fit(countsByType(facts), SLACK.sectionText, escapeSlack))] },
  ];
  // Lines packed into sections of at most 3,000 characters; two blocks stay free for the notes.
  let section = '';
  let shown = 0;
  for (const fact of facts) {
    const line = digestLine(fact, cut);
    if (section !== '' && section.length + 1 + line.length > SLACK.sectionText) {
      if (blocks.length >= SLACK.maxBlocks - 3) break;
      blocks.push({ type: 'section', text: mrkdwn(section) });
      section = '';
    }
    section = section === '' ? line : `${section}\n${line}`;
    shown++;
  }
  if (section !== '') blocks.push({ type: 'section', text: mrkdwn(section) });
  if (shown < facts.length) {
    cut.cut = true;
    const rest = facts.slice(shown);
    blocks.push({
      type: 'context',
      elements: [
        mrkdwn(
          `…and ${rest.length} more, log_id ${escapeSlack(rest[0]?.logId ?? '')} to ${escapeSlack(rest[rest.length - 1]?.logId ?? '')}`,
        ),
      ],
    });
  }
  const fallback = `${headline}: ${countsByType(facts)}`;
  return { text: cut.fit(fallback, SLACK.fallbackText, escapeSlack), blocks: withCutNote(blocks, cut) };
}

function withCutNote(blocks: SlackBlock[], cut: CutTracker): SlackBlock[] {
  if (cut.cut) {
    blocks.push({
      type: 'context',
      elements: [
        mrkdwn('✂️ Some text was shortened to fit Slack’s message limits; the full events are in Auth0.'),
      ],
    });
  }
  return blocks;
}
