// A World (test/e2e/world.ts) with the fault-injecting fakes, a ledger that checks the checkpoint
// invariants after every run and at every write, and a secret scan that honours the order of
// `::add-mask::` commands.

import { expect } from 'vitest';
import { appendFileSync } from 'node:fs';
import type { LogEvent } from '../fakes/events.js';
import { describeRun, type RunResult } from '../e2e/harness.js';
import {
  CHECKPOINT_NAME,
  expectCheckpointCovered,
  World,
  type Inputs,
  type RunExtras,
  type RunRecord,
  type WorldOptions,
  useWorldOf,
} from '../e2e/world.js';
import { ChaosAuth0, ChaosGithub, ChaosWebhook } from './chaos.js';
import { findUnmaskedSecrets } from './mask-scan.js';

export class FaultWorld extends World {
  declare readonly auth0: ChaosAuth0;
  declare readonly github: ChaosGithub;
  declare readonly webhook: ChaosWebhook;

  constructor(opts: WorldOptions = {}) {
    super(opts);
    this.auth0 = new ChaosAuth0({ ...opts.auth0, events: opts.events ?? [] });
    this.github = new ChaosGithub(opts.github);
    this.webhook = new ChaosWebhook();
  }

  /** Runs whose output quotes secrets on purpose (an echoing server): only the ordered scan applies. */
  private readonly echoRuns = new Set<RunRecord>();

  /**
   * Runs the action; `echo: true` for a run whose servers quote secrets back: World's scan (no
   * secret anywhere) is skipped for it, the ordered scan (no secret before its mask) still applies.
   */
  override async run(
    overrides: Inputs = {},
    extras: RunExtras & { echo?: boolean } = {},
  ): Promise<RunResult> {
    if (!extras.echo) return super.run(overrides, extras);
    const result = await super.run(overrides, { ...extras, checkSecrets: false });
    this.echoRuns.add(this.runs.at(-1)!);
    return result;
  }

  /** Fails when a run's stdout shows a secret before the `::add-mask::` that would hide it. */
  assertMaskedInOrder(): void {
    for (const [i, run] of this.runs.entries()) {
      if (!run.checkSecrets && !this.echoRuns.has(run)) continue;
      const leaks = findUnmaskedSecrets(run.result.stdout, this.secretsFor(run.inputs));
      expect(leaks, `run #${i + 1}: secrets shown before they were masked`).toEqual([]);
    }
  }
}

/** useWorld() with a FaultWorld; afterEach also runs the ordered mask scan. */
export function useFaultWorld(setup: () => WorldOptions = () => ({})): () => FaultWorld {
  return useWorldOf(
    () => new FaultWorld(setup()),
    (w) => {
      w.assertNoSecretsLeaked();
      w.assertMaskedInOrder();
    },
  );
}

/**
 * The checkpoint invariants over a series of runs against one tenant:
 * - at every write (ChaosGithub.check): the value never passes a matching event the receiver has
 *   not acknowledged, and never moves back;
 * - after every run: the same for the stored value;
 * - at the end: every matching event was acknowledged at least once.
 */
export class Ledger {
  /** The stored checkpoint after each run (undefined before the first write). */
  readonly history: Array<string | undefined> = [];
  /** Per run: matching events acknowledged in that run beyond the checkpoint it left (re-sent later). */
  readonly exposed: number[] = [];
  private highest: string | undefined;
  private ackedBefore = 0;

  constructor(
    private readonly world: FaultWorld,
    private readonly matching: () => readonly LogEvent[],
    private readonly name = CHECKPOINT_NAME,
  ) {
    world.github.check = (variable, value) => this.checkWrite(variable, value);
  }

  private checkWrite(variable: string, value: string): string | undefined {
    if (variable.toUpperCase() !== this.name.toUpperCase()) return undefined;
    if (this.highest !== undefined && value < this.highest)
      return `moved back from ${this.highest} to ${value}`;
    this.highest = value;
    const acked = new Set(this.world.webhook.deliveredIds());
    const passed = this.matching().find((e) => e.log_id <= value && !acked.has(e.log_id));
    return passed ? `${value} passes ${passed.log_id}, not acknowledged at the time of the write` : undefined;
  }

  /** Checks the invariants after a run; returns the stored checkpoint. */
  afterRun(r: RunResult): string | undefined {
    const violations = this.world.github.writes.filter((w) => w.violation !== undefined);
    expect(
      violations.map((v) => v.violation),
      describeRun(r),
    ).toEqual([]);
    const stored = this.world.checkpoint(this.name);
    const previous = this.history.findLast((h) => h !== undefined);
    if (previous !== undefined) {
      expect(stored, `the checkpoint disappeared\n${describeRun(r)}`).toBeDefined();
      expect(
        stored! >= previous,
        `the checkpoint moved back: ${previous} → ${stored}\n${describeRun(r)}`,
      ).toBe(true);
    }
    if (stored !== undefined)
      expectCheckpointCovered(stored, this.matching(), this.world.webhook.deliveredIds());
    this.history.push(stored);
    const acks = this.world.webhook.acknowledged();
    const thisRun = acks.slice(this.ackedBefore);
    this.ackedBefore = acks.length;
    const ids = new Set(this.matching().map((e) => e.log_id));
    this.exposed.push(
      new Set(
        thisRun
          .flatMap((req) => deliveredIdsOf(req.body, req.headers['content-type']))
          .filter((id) => ids.has(id) && (stored === undefined || id > stored)),
      ).size,
    );
    return stored;
  }

  /** Every matching event acknowledged at least once; returns the duplicate deliveries. */
  expectAllDelivered(): { duplicates: number; lost: string[] } {
    const counts = this.world.webhook.ackCounts();
    const lost = this.matching()
      .filter((e) => !counts.has(e.log_id))
      .map((e) => e.log_id);
    expect(lost, `events never acknowledged (lost)`).toEqual([]);
    let duplicates = 0;
    for (const n of counts.values()) duplicates += n - 1;
    return { duplicates, lost };
  }
}

function deliveredIdsOf(body: string, contentType: string | undefined): string[] {
  if ((contentType ?? '').startsWith('application/x-ndjson')) {
    return body
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => (JSON.parse(l) as LogEvent).log_id);
  }
  const parsed = JSON.parse(body) as LogEvent | LogEvent[];
  return (Array.isArray(parsed) ? parsed : [parsed]).map((e) => e.log_id);
}

/**
 * Figures for the closing report: one JSON line per call to `A0LW_FAULTS_REPORT` (a file path) when
 * set, and always to the test's console.
 */
export function report(figures: Record<string, unknown>): void {
  const line = JSON.stringify(figures);
  console.log(`[faults] ${line}`);
  const file = process.env['A0LW_FAULTS_REPORT'];
  if (file) appendFileSync(file, `${line}\n`);
}
