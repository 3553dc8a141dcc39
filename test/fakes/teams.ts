// A loopback Microsoft Teams Workflows webhook ("When a Teams webhook request is received" → "Post
// card in a chat or channel"). What it enforces, from Microsoft's documentation (sources in
// src/delivery/formats/limits.ts, numbers copied here on purpose):
//   - POST application/json `{type: "message", attachments: [{contentType:
//     "application/vnd.microsoft.card.adaptive", content: AdaptiveCard}]}`; otherwise 400.
//   - The card: `type: "AdaptiveCard"`, `version` 1.0–1.5, `body` of TextBlock (text), FactSet
//     (facts of title/value), Container (items); `actions` of Action.OpenUrl (an https URL).
//   - Message at most 28 KB: 413 "Request Entity Too Large".
//   - Accepted: 202 (empty). Rate: about 4 requests a second; beyond it 429 with Retry-After.

import { ChatServiceFake, retryAfterSeconds, type Answer, type RateLimit } from './chat-service.js';

export const TEAMS_RATE: RateLimit = { burst: 4, refillMs: 250 };
const MAX_BYTES = 28 * 1024;

export class FakeTeams extends ChatServiceFake {
  constructor(rate: RateLimit = TEAMS_RATE) {
    super(rate);
  }
  protected check(body: unknown, bytes: number): Answer | undefined {
    if (bytes > MAX_BYTES) return error(413, 'RequestEntityTooLarge', 'Request Entity too large');
    const problem = teamsProblem(body);
    return problem === undefined ? undefined : error(400, 'InvalidRequestContent', problem);
  }
  protected accepted(): Answer {
    return { status: 202, body: '' };
  }
  protected tooMany(ms: number): Answer {
    return {
      ...error(429, 'TooManyRequests', 'Rate limit is exceeded.'),
      headers: { 'retry-after': retryAfterSeconds(ms) },
    };
  }
  protected unreadable(): Answer {
    return error(400, 'InvalidRequestContent', 'The input body for trigger is not valid JSON.');
  }
}

function error(status: number, code: string, message: string): Answer {
  return {
    status,
    body: JSON.stringify({ error: { code, message } }),
    headers: { 'content-type': 'application/json' },
  };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function elementProblem(element: unknown): string | undefined {
  if (!isObject(element)) return 'element not an object';
  switch (element.type) {
    case 'TextBlock':
      return typeof element.text === 'string' ? undefined : 'TextBlock without text';
    case 'FactSet':
      return Array.isArray(element.facts) &&
        element.facts.every((f) => isObject(f) && typeof f.title === 'string' && typeof f.value === 'string')
        ? undefined
        : 'FactSet facts need title and value';
    case 'Container':
      return Array.isArray(element.items)
        ? element.items.map(elementProblem).find(Boolean)
        : 'Container without items';
    default:
      return `unknown element type ${String(element.type)}`;
  }
}

/** Why the flow would refuse a body, or undefined when it would post the card. */
export function teamsProblem(body: unknown): string | undefined {
  if (!isObject(body) || body.type !== 'message') return "type must be 'message'";
  const attachments = body.attachments;
  if (!Array.isArray(attachments) || attachments.length < 1) return 'attachments required';
  for (const attachment of attachments) {
    if (!isObject(attachment) || attachment.contentType !== 'application/vnd.microsoft.card.adaptive')
      return 'contentType must be application/vnd.microsoft.card.adaptive';
    const card = attachment.content;
    if (!isObject(card) || card.type !== 'AdaptiveCard') return "content.type must be 'AdaptiveCard'";
    if (typeof card.version !== 'string' || !/^1\.[0-5]$/.test(card.version))
      return 'card version must be 1.0-1.5';
    if (!Array.isArray(card.body)) return 'card body required';
    const problem = card.body.map(elementProblem).find(Boolean);
    if (problem) return problem;
    for (const action of (card.actions as unknown[] | undefined) ?? []) {
      if (
        !isObject(action) ||
        action.type !== 'Action.OpenUrl' ||
        !/^https:\/\/\S+$/.test(String(action.url))
      )
        return 'actions must be Action.OpenUrl with an https url';
    }
  }
  return undefined;
}

/** Every text of a card that Teams renders as markdown (TextBlocks, fact titles and values). */
export function teamsTexts(body: unknown): string[] {
  const texts: string[] = [];
  const visit = (element: unknown): void => {
    if (!isObject(element)) return;
    if (typeof element.text === 'string') texts.push(element.text);
    for (const fact of (element.facts as Json[] | undefined) ?? [])
      texts.push(String(fact.title), String(fact.value));
    for (const item of (element.items as unknown[] | undefined) ?? []) visit(item);
  };
  if (isObject(body) && Array.isArray(body.attachments)) {
    for (const attachment of body.attachments as Json[]) {
      const card = attachment.content;
      if (isObject(card) && Array.isArray(card.body)) card.body.forEach(visit);
    }
  }
  return texts;
}

/** Markdown links and `{{…}}` functions not escaped with a backslash (our own dashboard links aside). */
export function teamsMarkup(body: unknown): string[] {
  return teamsTexts(body).flatMap(
    (text) =>
      text.match(/(?<!\\)\[[^\]]*(?<!\\)\]\((?!https:\/\/manage\.auth0\.com\/)[^)]*\)|(?<!\\)\{(?<!\\)\{/g) ??
      [],
  );
}
