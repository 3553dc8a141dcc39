// Delivery lag: for each delivered event, the time from its `date` (when Auth0 logged it) to the
// webhook's acknowledgement. A run may deliver millions of events, so the figures come from a
// fixed-bucket histogram (constant memory), not from a list of every lag.

/** Lags below this share the first bucket (its figure is reported as the bucket's upper end). */
const FIRST_BUCKET_MS = 100;
/** Each bucket is this much wider than the one before: figures are within ~2.5 % of the truth. */
const GROWTH = 1.05;
/** Enough buckets to reach ~4 months (beyond Auth0's longest log retention); longer lags share the last. */
const BUCKETS = 380;
const LOG_GROWTH = Math.log(GROWTH);

export interface LagFigures {
  /** Events measured. */
  count: number;
  medianMs: number;
  p95Ms: number;
  /** Exact. */
  maxMs: number;
}

/** Collects lags and answers median, 95th percentile and maximum; memory does not grow with the count. */
export class LagHistogram {
  private readonly buckets = new Uint32Array(BUCKETS);
  private total = 0;
  private max = 0;

  /**
   * Adds one lag; a negative one (the runner's clock behind Auth0's) counts as 0, and one that is not a
   * number (an event whose `date` does not parse) is not counted.
   */
  add(lagMs: number): void {
    if (!Number.isFinite(lagMs)) return;
    const lag = Math.max(0, lagMs);
    this.buckets[bucketOf(lag)]!++;
    this.total++;
    if (lag > this.max) this.max = lag;
  }

  get count(): number {
    return this.total;
  }

  /** Undefined when nothing was measured. */
  figures(): LagFigures | undefined {
    if (this.total === 0) return undefined;
    return {
      count: this.total,
      medianMs: this.quantile(0.5),
      p95Ms: this.quantile(0.95),
      maxMs: this.max,
    };
  }

  /** The upper end of the bucket holding the q-th lag (nearest rank), never above the maximum. */
  private quantile(q: number): number {
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.buckets[i]!;
      if (seen >= rank) return Math.min(this.max, upperEdge(i));
    }
    return this.max;
  }
}

function bucketOf(lagMs: number): number {
  if (lagMs < FIRST_BUCKET_MS) return 0;
  return Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(lagMs / FIRST_BUCKET_MS) / LOG_GROWTH));
}

function upperEdge(bucket: number): number {
  return FIRST_BUCKET_MS * GROWTH ** bucket;
}

/** A run this far behind the log says so plainly (a backlog, a stalled schedule, a slow receiver). */
export const FAR_BEHIND_MS = 60 * 60_000;
