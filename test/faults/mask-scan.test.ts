import { describe, expect, it } from 'vitest';
import { findUnmaskedSecrets } from './mask-scan.js';

describe('findUnmaskedSecrets (the scan itself)', () => {
  const secret = 'tok_9f8e7d6c5b4a';

  it('a secret after its mask is hidden', () => {
    expect(
      findUnmaskedSecrets(`::add-mask::${secret}\n::error::answered 400: ${secret}\n`, [secret]),
    ).toEqual([]);
  });

  it('a secret before its mask is a leak, with the line number', () => {
    const leaks = findUnmaskedSecrets(`::debug::sending ${secret}\n::add-mask::${secret}\n`, [secret]);
    expect(leaks).toHaveLength(1);
    expect(leaks[0]!.line).toBe(1);
    expect(leaks[0]!.secret).not.toContain(secret);
  });

  it('a mask of a longer value does not hide a shorter or altered form of it', () => {
    const stdout = `::add-mask::Bearer  ${secret}\n::error::answered 400: Bearer ${secret}\n`;
    expect(findUnmaskedSecrets(stdout, [secret])).toHaveLength(1);
  });

  it('masks apply inside escaped command data, and multi-line masks line by line', () => {
    const stdout = `::add-mask::first%0A${secret}\n::error::line one%0A${secret} 100%25\n`;
    expect(findUnmaskedSecrets(stdout, [secret])).toEqual([]);
    expect(findUnmaskedSecrets(`::error::x%0A${secret}\n`, [secret])).toHaveLength(1);
  });

  it('a secret that is only part of a masked value is hidden when the mask covers it', () => {
    expect(findUnmaskedSecrets(`::add-mask::${secret}\nvalue ${secret}x\n`, [secret])).toEqual([]);
  });
});
