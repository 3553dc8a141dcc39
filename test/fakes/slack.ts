// A loopback Slack incoming webhook. What it enforces, from Slack's documentation (sources in
// src/delivery/formats/limits.ts, numbers copied here on purpose):
//   - POST application/json; a body that is not JSON: 400 `invalid_payload`.
//   - `text` or `blocks` required: 400 `no_text`.
//   - Block Kit: at most 50 blocks; `header` plain_text ≤150; `section` text ≤3,000 or ≤10 fields of
//     ≤2,000; `context` 1–10 elements ≤3,000; `divider`; any other shape: 400 `invalid_blocks`.
//   - Accepted: 200 `ok`. Rate: 1 message a second with a short burst; beyond it 429 `rate_limited`
//     with Retry-After (seconds).

import { ChatServiceFake, retryAfterSeconds, type Answer, type RateLimit } from './chat-service.js';

export const SLACK_RATE: RateLimit = { burst: 3, refillMs: 1_000 };

export class FakeSlack extends ChatServiceFake {
  constructor(rate: RateLimit = SLACK_RATE) {
    super(rate);
  }
  protected check(body: unknown): Answer | undefined {
    const problem = slackProblem(body);
    return problem === undefined ? undefined : { status: 400, body: problem };
  }
  protected accepted(): Answer {
    return { status: 200, body: 'ok', headers: { 'content-type': 'text/html' } };
  }
  protected tooMany(ms: number): Answer {
    return { status: 429, body: 'rate_limited', headers: { 'retry-after': retryAfterSeconds(ms) } };
  }
  protected unreadable(): Answer {
    return { status: 400, body: 'invalid_payload' };
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function textObject(value: unknown, max: number, types: readonly string[]): boolean {
  return (
    isObject(value) &&
    types.includes(value.type as string) &&
    typeof value.text === 'string' &&
    value.text.length >= 1 &&
    value.text.length <= max
  );
}

/** Slack's error text for a body, or undefined when Slack would post it. */
export function slackProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'invalid_payload';
  const { text, blocks } = body;
  const hasText = typeof text === 'string' && text.trim() !== '';
  if (blocks === undefined) return hasText ? undefined : 'no_text';
  if (!Array.isArray(blocks) || blocks.length > 50) return 'invalid_blocks';
  if (!hasText && blocks.length === 0) return 'no_text';
  for (const block of blocks) {
    if (!isObject(block)) return 'invalid_blocks';
    switch (block.type) {
      case 'header':
        if (!textObject(block.text, 150, ['plain_text'])) return 'invalid_blocks';
        break;
      case 'section': {
        const okText = block.text === undefined || textObject(block.text, 3_000, ['mrkdwn', 'plain_text']);
        const fields = block.fields;
        const okFields =
          fields === undefined ||
          (Array.isArray(fields) &&
            fields.length >= 1 &&
            fields.length <= 10 &&
            fields.every((f) => textObject(f, 2_000, ['mrkdwn', 'plain_text'])));
        if (!okText || !okFields || (block.text === undefined && fields === undefined))
          return 'invalid_blocks';
        break;
      }
      case 'context': {
        const elements = block.elements;
        if (
          !Array.isArray(elements) ||
          elements.length < 1 ||
          elements.length > 10 ||
          !elements.every((e) => textObject(e, 3_000, ['mrkdwn', 'plain_text']))
        )
          return 'invalid_blocks';
        break;
      }
      case 'divider':
        break;
      default:
        return 'invalid_blocks';
    }
  }
  return undefined;
}

/** Every mrkdwn text of a message (the fallback, sections, fields, context elements). */
export function slackTexts(body: unknown): string[] {
  if (!isObject(body)) return [];
  const texts = typeof body.text === 'string' ? [body.text] : [];
  for (const block of Array.isArray(body.blocks) ? (body.blocks as Json[]) : []) {
    for (const item of [
      block.text,
      ...((block.fields as unknown[]) ?? []),
      ...((block.elements as unknown[]) ?? []),
    ]) {
      if (isObject(item) && typeof item.text === 'string') texts.push(item.text);
    }
  }
  return texts;
}

/**
 * What Slack would treat as markup in a message: every `<…>` sequence (links, `<!channel>`, `<@U…>`).
 * Escaped text has none: `&lt;` is shown as `<`.
 */
export function slackMarkup(body: unknown): string[] {
  return slackTexts(body).flatMap((text) => text.match(/<[^>]*>/g) ?? []);
}

/** A message as a person would roughly see it: entities decoded, link labels shown. */
export function slackAsSeen(body: unknown): string {
  return slackTexts(body)
    .slice(1)
    .map((text) =>
      text
        .replace(/<([^|>]+)\|([^>]+)>/g, '$2')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&'),
    )
    .join('\n');
}
