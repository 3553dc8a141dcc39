// What each chat service documents about incoming-webhook messages: structure, size limits,
// answers and rate limits. The format modules build within these numbers; the loopback fakes in
// test/fakes/ keep their own copy of them (a fake that read these constants could not catch a wrong one).
//
// Slack incoming webhooks
//   - Body: JSON `{text, blocks}`. With `blocks`, `text` is the notification fallback
//     (docs.slack.dev "Sending messages using incoming webhooks"; api.slack.com/reference/surfaces/formatting).
//   - Block Kit: at most 50 blocks a message; a `section` text at most 3,000 characters, section
//     `fields` at most 10 of 2,000 characters; a `header` is plain_text of at most 150 characters; a
//     `context` block at most 10 elements (api.slack.com/reference/block-kit/blocks: section, header, context).
//   - `text` is cut by Slack after 40,000 characters (chat.postMessage "Truncating content"); we stay far below.
//   - mrkdwn control characters: `&`, `<`, `>` must be sent as `&amp;`, `&lt;`, `&gt;` when they are
//     not meant as markup (`<!channel>`, `<url|label>`, `<@U…>`): "Escaping text" in api.slack.com/reference/surfaces/formatting.
//   - Answers: 200 with body `ok`; errors are text bodies: 400 `invalid_payload`, `no_text`,
//     `user_not_found`; 403 `action_prohibited`, `invalid_token`; 404 `channel_not_found`,
//     `no_service`; 410 `channel_is_archived`; 500 `rollup_error` (api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks).
//   - Rate: "Posting messages: 1 per second, short bursts >1 allowed"; beyond it 429 with
//     `Retry-After` seconds (api.slack.com/docs/rate-limits, "Incoming webhooks").
//
// Discord webhooks (Execute Webhook, discord.com/developers/docs/resources/webhook#execute-webhook)
//   - Body: JSON with at least one of `content`, `embeds` (files aside). `content` at most 2,000
//     characters, at most 10 embeds. `allowed_mentions: {parse: []}` means no mention in the message pings anyone.
//   - Embed limits (docs/resources/message#embed-object-embed-limits): title 256, description 4,096,
//     at most 25 fields (name 256, value 1,024), footer text 2,048, author name 256; the sum of those
//     across all embeds of a message at most 6,000 characters. Webhook embeds are `rich`.
//   - Answers: 204 No Content (200 with the message when `?wait=true`); 400 `{"code":50035,"message":"Invalid Form Body",…}`.
//   - Rate (docs/topics/rate-limits): per-webhook bucket, observed 5 requests per 2 seconds, announced
//     in `X-RateLimit-Limit`, `-Remaining`, `-Reset`, `-Reset-After` headers; beyond it 429 with a
//     `Retry-After` header and JSON `{message, retry_after (seconds, float), global}`. Docs say not to
//     hard-code limits; we pace at the announced figure and obey every 429.
//
// Microsoft Teams Workflows webhook ("When a Teams webhook request is received" → "Post card in a
// chat or channel"; the replacement of the retired Office 365 connectors)
//   - Body: JSON `{type: "message", attachments: [{contentType: "application/vnd.microsoft.card.adaptive",
//     content: <AdaptiveCard>}]}` (learn.microsoft.com/connectors/teams "Microsoft Teams webhook").
//   - Adaptive Card: `type: "AdaptiveCard"`, `version` (Teams renders up to 1.5; Workflows' "Post card"
//     documents 1.4, which we use), `body` of elements (TextBlock, FactSet, Container, ActionSet).
//   - TextBlock text, Fact title and value interpret a Markdown subset (bold, italic, lists, links)
//     and `{{DATE()}}`/`{{TIME()}}` functions (learn.microsoft.com/adaptive-cards/create/textfeatures;
//     learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format): event text is escaped.
//   - Message size about 28 KB; beyond it the flow fails with "Request Entity too large" (413)
//     (learn.microsoft.com/connectors/teams "Known issues and limitations"; add-incoming-webhook notes).
//   - Answers: 202 Accepted (the flow runs afterwards). Rate: incoming webhooks are throttled beyond
//     4 requests a second (add-incoming-webhook, "rate limiting"); 429 with Retry-After.

export const SLACK = {
  maxBlocks: 50,
  sectionText: 3_000,
  headerText: 150,
  contextElements: 10,
  /** Our own bound on the fallback `text` (Slack's is 40,000). */
  fallbackText: 3_000,
} as const;

export const DISCORD = {
  content: 2_000,
  maxEmbeds: 10,
  title: 256,
  description: 4_096,
  maxFields: 25,
  fieldName: 256,
  fieldValue: 1_024,
  footer: 2_048,
  totalEmbedChars: 6_000,
} as const;

export const TEAMS = {
  cardVersion: '1.4',
  /** Bytes of the whole JSON body; Teams refuses about 28 KB, we keep a margin. */
  maxBodyBytes: 26_000,
} as const;

/**
 * Shortest interval between two requests to one webhook (ms), from each service's documented rate:
 * Slack 1 a second, Discord 5 per 2 seconds (with a margin), Teams 4 a second (with a margin).
 */
export const MIN_INTERVAL_MS = {
  slack: 1_000,
  discord: 450,
  teams: 300,
} as const;
