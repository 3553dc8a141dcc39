/**
 * The checkpoint arithmetic. Events enter in log_id order; each is done at once (filtered out) or
 * later (delivered). The checkpoint is the id of the last event of the done prefix: it never passes
 * an event that is not done and, as ids ascend, never moves back.
 */
export class ProgressTracker {
  private ids: string[] = [];
  private done: boolean[] = [];
  /** Index in `ids` of the first event not yet in the done prefix. */
  private head = 0;
  /** Sequence number of ids[0]. */
  private base = 0;
  private current: string;

  constructor(start: string) {
    this.current = start;
  }

  get checkpoint(): string {
    return this.current;
  }

  /** Events entered but not yet in the done prefix (what the read-ahead bound counts). */
  get outstanding(): number {
    return this.ids.length - this.head;
  }

  /** Enters the next event; returns its sequence number for complete(). */
  add(id: string, done: boolean): number {
    this.ids.push(id);
    this.done.push(done);
    const seq = this.base + this.ids.length - 1;
    if (done) this.advance();
    return seq;
  }

  complete(seq: number): void {
    const index = seq - this.base;
    if (index < 0 || index >= this.ids.length) return;
    this.done[index] = true;
    this.advance();
  }

  private advance(): void {
    while (this.head < this.ids.length && this.done[this.head]) {
      this.current = this.ids[this.head] as string;
      this.head++;
    }
    // Drop the done prefix now and then so memory follows the outstanding window, not the backlog.
    if (this.head > 1024 && this.head * 2 > this.ids.length) {
      this.ids = this.ids.slice(this.head);
      this.done = this.done.slice(this.head);
      this.base += this.head;
      this.head = 0;
    }
  }
}
