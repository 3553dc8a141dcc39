// A loopback Discord webhook (Execute Webhook). What it enforces, from Discord's documentation
// (sources in src/delivery/formats/limits.ts, numbers copied here on purpose):
//   - POST application/json; `content` ≤2,000 characters; ≤10 embeds; `content` or an embed required
//     (50006 "Cannot send an empty message").
//   - Embeds: title ≤256, description ≤4,096, ≤25 fields (name 1–256, value 1–1,024), footer text
//     ≤2,048, author name ≤256, all of those across the message ≤6,000; `url` an http(s) URL;
//     `timestamp` ISO-8601. Otherwise 400 `{"code":50035,"message":"Invalid Form Body",…}`.
//   - Accepted: 204 (no body). Rate: a per-webhook bucket (5 requests per 2 seconds), announced in
//     X-RateLimit-Limit / -Remaining / -Reset-After; beyond it 429 with Retry-After and
//     `{"message":"You are being rate limited.","retry_after":<seconds>,"global":false}`.

import { ChatServiceFake, retryAfterSeconds, type Answer, type RateLimit } from './chat-service.js';

export const DISCORD_RATE: RateLimit = { burst: 5, refillMs: 400 };

export class FakeDiscord extends ChatServiceFake {
  constructor(rate: RateLimit = DISCORD_RATE) {
    super(rate);
  }
  protected check(body: unknown): Answer | undefined {
    const problem = discordProblem(body);
    if (problem === undefined) return undefined;
    const code = problem === 'empty' ? 50006 : 50035;
    const message = problem === 'empty' ? 'Cannot send an empty message' : 'Invalid Form Body';
    return json(400, { code, message, errors: { _errors: [{ message: problem }] } });
  }
  protected accepted(): Answer {
    return { status: 204, body: '', headers: this.limitHeaders() };
  }
  protected tooMany(ms: number): Answer {
    return json(
      429,
      { message: 'You are being rate limited.', retry_after: ms / 1000, global: false },
      { 'retry-after': retryAfterSeconds(ms), 'x-ratelimit-scope': 'shared', ...this.limitHeaders() },
    );
  }
  protected unreadable(): Answer {
    return json(400, { code: 50109, message: 'The request body contains invalid JSON.' });
  }
  private limitHeaders(): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.rate.burst),
      'x-ratelimit-reset-after': retryAfterSeconds(this.rate.refillMs),
    };
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return { status, body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const len = (value: unknown): number => (typeof value === 'string' ? value.length : 0);

/** Why Discord would refuse a body ('empty', or the broken rule), or undefined when it would post it. */
export function discordProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'not an object';
  const { content, embeds } = body;
  if (content !== undefined && (typeof content !== 'string' || content.length > 2_000))
    return 'content over 2000';
  if (embeds !== undefined && (!Array.isArray(embeds) || embeds.length > 10)) return 'more than 10 embeds';
  const list = (embeds as unknown[] | undefined) ?? [];
  if (len(content) === 0 && list.length === 0) return 'empty';
  let total = 0;
  for (const embed of list) {
    if (!isObject(embed)) return 'embed not an object';
    if (len(embed.title) > 256) return 'title over 256';
    if (len(embed.description) > 4_096) return 'description over 4096';
    if (embed.url !== undefined && (typeof embed.url !== 'string' || !/^https?:\/\/\S+$/.test(embed.url)))
      return 'url not http(s)';
    if (
      embed.timestamp !== undefined &&
      (typeof embed.timestamp !== 'string' || Number.isNaN(Date.parse(embed.timestamp)))
    )
      return 'bad timestamp';
    const footer = isObject(embed.footer) ? embed.footer.text : undefined;
    if (len(footer) > 2_048) return 'footer over 2048';
    const author = isObject(embed.author) ? embed.author.name : undefined;
    if (len(author) > 256) return 'author over 256';
    total += len(embed.title) + len(embed.description) + len(footer) + len(author);
    const fields = embed.fields ?? [];
    if (!Array.isArray(fields) || fields.length > 25) return 'more than 25 fields';
    for (const field of fields as unknown[]) {
      if (!isObject(field)) return 'field not an object';
      if (len(field.name) < 1 || len(field.name) > 256) return 'field name not 1-256';
      if (len(field.value) < 1 || len(field.value) > 1_024) return 'field value not 1-1024';
      total += len(field.name) + len(field.value);
    }
  }
  if (total > 6_000) return `embeds total ${total} over 6000`;
  return undefined;
}

/** Every text of a message that Discord renders as markdown (content, titles, descriptions, fields). */
export function discordTexts(body: unknown): string[] {
  if (!isObject(body)) return [];
  const texts = typeof body.content === 'string' ? [body.content] : [];
  for (const embed of Array.isArray(body.embeds) ? (body.embeds as Json[]) : []) {
    for (const text of [embed.title, embed.description]) if (typeof text === 'string') texts.push(text);
    for (const field of (embed.fields as Json[] | undefined) ?? [])
      texts.push(String(field.name), String(field.value));
  }
  return texts;
}

/**
 * Mentions Discord would parse in a message's texts when allowed (`@everyone`, `@here`, `<@id>`,
 * `<@&id>`), and masked links `[label](url)` not preceded by a backslash.
 */
export function discordMarkup(body: unknown): string[] {
  return discordTexts(body).flatMap(
    (text) =>
      text.match(
        /(?<!\\)\[[^\]]*(?<!\\)\]\((?!https:\/\/manage\.auth0\.com\/)[^)]*\)|@everyone|@here|<@[!&]?\d+>/g,
      ) ?? [],
  );
}
