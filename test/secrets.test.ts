import { describe, expect, it } from 'vitest';
import { redact, secretValues, urlForLog } from '../src/secrets.js';

const settings = {
  clientSecret: 'client-secret-value',
  githubToken: 'ghp_token',
  piiHashKey: 'pii-hash-key-value-16',
  webhookAuthorization: 'Bearer tok-123456',
  webhookSecrets: [Buffer.alloc(24, 7)],
  webhookHeaders: [
    ['X-Api-Key', 'key-abcdef'],
    ['X-Env', 'on'],
  ] as Array<[string, string]>,
  webhookUrl: new URL('https://user:p%40ss@hooks.example.com/x?key=abc123xyz'),
};

describe('secretValues and redact', () => {
  it('lists every secret form, skipping values too short to mask', () => {
    const values = secretValues(settings);
    for (const expected of [
      'client-secret-value',
      'ghp_token',
      'pii-hash-key-value-16',
      'Bearer tok-123456',
      'tok-123456',
      'key-abcdef',
      'user',
      'p@ss',
      'abc123xyz',
      'key=abc123xyz',
      Buffer.alloc(24, 7).toString('base64'),
    ]) {
      expect(values).toContain(expected);
    }
    expect(values).not.toContain('on');
  });

  it('redacts a credential the receiver echoes, with or without its scheme', () => {
    const text = 'denied: token tok-123456 and header key-abcdef; auth was Bearer tok-123456';
    const redacted = redact(text, secretValues(settings));
    expect(redacted).not.toContain('tok-123456');
    expect(redacted).not.toContain('key-abcdef');
    expect(redacted).toBe('denied: token *** and header ***; auth was ***');
  });
});

describe("the webhook URL's path", () => {
  const slack = (url: string): string[] =>
    secretValues({
      webhookAuthorization: undefined,
      webhookSecrets: [],
      webhookHeaders: [],
      webhookUrl: new URL(url),
    });

  it('is a secret as a whole, with and without its slash, and so is each segment that looks like a token', () => {
    const values = slack('https://hooks.slack.com/services/T0ABCDEFG/B0ABCDEFG/s3cr3tPath%2Bx?token=q');
    for (const expected of [
      '/services/T0ABCDEFG/B0ABCDEFG/s3cr3tPath%2Bx',
      'services/T0ABCDEFG/B0ABCDEFG/s3cr3tPath%2Bx',
      '/services/T0ABCDEFG/B0ABCDEFG/s3cr3tPath+x',
      'T0ABCDEFG',
      'B0ABCDEFG',
      's3cr3tPath%2Bx',
      's3cr3tPath+x',
      'token=q',
    ]) {
      expect(values).toContain(expected);
    }
    // Plain words would blank ordinary text out of the log.
    expect(values).not.toContain('services');
    expect(slack('https://example.com/incoming-webhooks/x')).not.toContain('incoming-webhooks');
    expect(slack('https://example.com/hook')).toEqual(['/hook']);
  });

  it('adds nothing for a bare origin', () => {
    expect(slack('https://hooks.example.com/')).toEqual([]);
  });
});

describe('urlForLog', () => {
  it.each([
    ['https://hooks.slack.com/services/T0/B0/s3cr3t', 'https://hooks.slack.com/…'],
    ['https://discord.com/api/webhooks/1/tok', 'https://discord.com/…'],
    ['https://user:pw@hooks.example.com/', 'https://hooks.example.com'],
    ['https://hooks.example.com/?key=k', 'https://hooks.example.com/…'],
    ['https://hooks.example.com/#frag', 'https://hooks.example.com/…'],
    ['https://hooks.example.com:8443', 'https://hooks.example.com:8443'],
    ['javascript:alert(1)', 'a javascript: address'],
  ])('%s → %s', (url, shown) => {
    expect(urlForLog(new URL(url))).toBe(shown);
  });
});
