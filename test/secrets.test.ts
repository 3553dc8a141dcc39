import { describe, expect, it } from 'vitest';
import { redact, secretValues } from '../src/secrets.js';

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
