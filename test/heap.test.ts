import { describe, expect, it } from 'vitest';
import { HEAP_FLAGS, keepHeapSmall } from '../src/heap.js';

describe('keepHeapSmall', () => {
  it('sets both flags on the V8 it was measured on (Node 24)', () => {
    const set: string[] = [];
    expect(keepHeapSmall('13.6.233.17-node.53', (flag) => set.push(flag))).toBe(true);
    expect(set).toEqual([...HEAP_FLAGS]);
  });

  it.each(['12.4.254.21-node.33', '14.1.0', ''])('leaves V8 %j alone', (version) => {
    const set: string[] = [];
    expect(keepHeapSmall(version, (flag) => set.push(flag))).toBe(false);
    expect(set).toEqual([]);
  });

  it('names flags this Node knows (an unknown flag would print a warning on every run)', async () => {
    // `node --v8-options` lists the flags; run under the project's Node 24, as the tests are.
    const { execFileSync } = await import('node:child_process');
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    for (const flag of HEAP_FLAGS) {
      const name = flag.slice(2).split('=')[0] ?? '';
      expect(options).toContain(`--${name} `);
    }
  });
});
