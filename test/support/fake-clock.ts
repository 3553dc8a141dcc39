import type { Clock } from '../../src/clock.js';

/** A clock whose sleeps return at once and move virtual time forward: retries and waits cost nothing. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(private time = Date.now()) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return false;
    this.sleeps.push(ms);
    this.time += Math.max(0, ms);
    await Promise.resolve();
    return !signal?.aborted;
  }
}
