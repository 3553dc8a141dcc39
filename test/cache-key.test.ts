import { describe, expect, it } from 'vitest';
import { isCheckpointKey } from '../src/checkpoint/cache-store.js';

describe('isCheckpointKey', () => {
  it.each([
    ['prod-', 'prod-123-1', true],
    ['prod-', 'prod-123-2-3', true],
    ['prod-', 'prod-eu-123-1', false],
    ['prod-', 'prod-123', false],
    ['prod-', 'other-123-1', false],
    ['auth0-log-webhooks-acme.us.auth0.com-', 'auth0-log-webhooks-acme.us.auth0.com-99-1', true],
  ])('prefix %s, key %s → %s', (prefix, key, expected) => {
    expect(isCheckpointKey(prefix, key)).toBe(expected);
  });
});
