// End to end: the `cache` checkpoint store over dist/index.js, with the REAL @actions/cache 6 talking
// to the loopback FakeCacheService (twirp v2 + blob PUT/GET + the REST list/delete the pruner uses).
//
// Each run goes through a small wrapper entry that imports dist/index.js unchanged and, when the
// process exits, records what is left in the workspace (the harness removes the workspace as soon as
// the child ends, so the check has to happen inside the child).

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { ACTIONS_WRITE_TOKEN, FakeCacheService } from '../fakes/cache-service.js';
import { makeEvents, type LogEvent } from '../fakes/events.js';
import { annotations, describeRun, DIST_ENTRY, runAction, type RunResult } from './harness.js';
import { expectFailure, expectSuccess, OLDEST, World, type Inputs } from './world.js';

const CHECKPOINT_DIR = '.auth0-log-webhooks-checkpoint';
/** A token the fake lets list but not delete (like GITHUB_TOKEN without actions: write). */
const READ_TOKEN = 'ghs_actions_read';
/** Only types the default filter forwards, so delivered = fetched. */
const TYPES = ['f', 'fp', 's', 'fu', 'limit_wc'];

/** dist/index.js, or the harness's E2E_ACTION_ENTRY (another build, e.g. a deliberately broken one). */
function actionEntry(): string {
  return process.env['E2E_ACTION_ENTRY'] ?? DIST_ENTRY;
}

let probeDir = '';
let probeEntry = '';
let probeCount = 0;

beforeAll(async () => {
  if (!existsSync(actionEntry())) {
    throw new Error(`${actionEntry()} does not exist: run \`npm run bundle\` before the e2e tests`);
  }
  probeDir = await mkdtemp(join(tmpdir(), 'a0lw-cache-probe-'));
  probeEntry = join(probeDir, 'probe.mjs');
  await writeFile(
    probeEntry,
    [
      "import { readdirSync, writeFileSync } from 'node:fs';",
      "import { pathToFileURL } from 'node:url';",
      "process.on('exit', () => {",
      '  const out = { cwd: process.cwd(), workspace: readdirSync(process.env.GITHUB_WORKSPACE) };',
      '  writeFileSync(process.env.A0LW_PROBE_OUT, JSON.stringify(out));',
      '});',
      'await import(pathToFileURL(process.env.A0LW_PROBE_ENTRY).href);',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  if (probeDir) await rm(probeDir, { recursive: true, force: true });
});

interface CacheRunOptions {
  runId: string;
  attempt?: string;
  /** Input overrides on top of the cache-store inputs (undefined removes one). */
  inputs?: Inputs;
  env?: Record<string, string>;
}

interface CacheRunResult extends RunResult {
  /** Names in the workspace when the process exited. */
  workspace: string[];
  /** Webhook requests this run made. */
  webhookRequests: number;
}

interface Ctx {
  w: World;
  cache: FakeCacheService;
  /** The derived checkpoint-name: `auth0-log-webhooks-127.0.0.1:PORT-`. */
  prefix: string;
  run(opts: CacheRunOptions): Promise<CacheRunResult>;
}

/** Fresh fakes for one test (closed, and checked for leaked secrets, when it finishes). */
async function setup(t: TestContext, events: LogEvent[]): Promise<Ctx> {
  const w = new World({ events });
  const cache = new FakeCacheService();
  await Promise.all([w.start(), cache.start()]);
  t.onTestFinished(async () => {
    try {
      w.assertNoSecretsLeaked();
    } finally {
      await Promise.all([w.close(), cache.close()]);
    }
  });
  w.extraSecrets.push(cache.runtimeToken);
  const prefix = `auth0-log-webhooks-${new URL(w.auth0.origin).host}-`;

  const run = async (opts: CacheRunOptions): Promise<CacheRunResult> => {
    const inputs = w.inputs({
      'checkpoint-store': 'cache',
      'checkpoint-name': undefined,
      'github-token': '',
      ...opts.inputs,
    });
    const probeOut = join(probeDir, `probe-${++probeCount}.json`);
    const before = w.webhook.requests.length;
    const result = await runAction({
      inputs,
      entry: probeEntry,
      env: {
        ...cache.env(),
        GITHUB_RUN_ID: opts.runId,
        GITHUB_RUN_ATTEMPT: opts.attempt ?? '1',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_REPOSITORY: 'acme/ops',
        A0LW_PROBE_ENTRY: actionEntry(),
        A0LW_PROBE_OUT: probeOut,
        ...opts.env,
      },
      timeoutMs: 30_000,
    });
    w.runs.push({ inputs, result, checkSecrets: true });
    expect(result.timedOut, `the action timed out\n${describeRun(result)}`).toBe(false);
    expect(existsSync(probeOut), `the probe did not run\n${describeRun(result)}`).toBe(true);
    const probe = JSON.parse(await readFile(probeOut, 'utf8')) as { workspace: string[] };
    return { ...result, workspace: probe.workspace, webhookRequests: w.webhook.requests.length - before };
  };
  return { w, cache, prefix, run };
}

function events(count: number, after?: LogEvent): LogEvent[] {
  return makeEvents(count, { types: TYPES, ...(after ? { after } : { seed: 5 }) });
}

function last(w: World): LogEvent {
  const e = w.auth0.events[w.auth0.events.length - 1];
  if (!e) throw new Error('no events');
  return e;
}

function allIds(w: World): string[] {
  return w.auth0.events.map((e) => e.log_id);
}

const execFileAsync = promisify(execFile);

/** The checkpoint file inside a saved archive (tar + gzip/zstd, as @actions/cache made it). */
async function checkpointFileIn(archive: Buffer | undefined): Promise<Record<string, unknown>> {
  if (!archive) throw new Error('no archive');
  const dir = await mkdtemp(join(tmpdir(), 'a0lw-cache-archive-'));
  try {
    const file = join(dir, 'cache.archive');
    await writeFile(file, archive);
    const { stdout } = await execFileAsync('tar', ['-xOf', file, '--wildcards', '*checkpoint.json']);
    return JSON.parse(stdout) as Record<string, unknown>;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function expectNoCheckpointLeft(r: CacheRunResult): void {
  expect(r.workspace, `the checkpoint file stayed in the workspace\n${describeRun(r)}`).not.toContain(
    CHECKPOINT_DIR,
  );
}

function missWarnings(r: RunResult): string[] {
  return annotations(r.stdout, 'warning').filter((m) => /No checkpoint in the Actions cache/.test(m));
}

describe.concurrent('cache checkpoint store (real @actions/cache, loopback cache service)', () => {
  it('run 1 saves, run 2 (new run id) restores and continues with no repeats', async (t) => {
    const { w, cache, prefix, run } = await setup(t, events(30));
    const first = await run({ runId: '4100' });
    expectSuccess(first);
    const firstEnd = last(w).log_id;
    // A genuine miss: a warning that says where it begins, nothing else.
    const miss = missWarnings(first);
    expect(miss, describeRun(first)).toHaveLength(1);
    expect(miss[0]).toContain('beginning at start-from');
    expect(miss[0]).toContain(prefix);
    expect(annotations(first.stdout, 'error'), describeRun(first)).toEqual([]);
    expect(first.outputs).toMatchObject({
      'checkpoint-name': prefix,
      'previous-checkpoint': OLDEST,
      checkpoint: firstEnd,
      delivered: '30',
    });
    expect(cache.keys()).toEqual([`${prefix}4100-1`]);
    expectNoCheckpointLeft(first);
    expect(await checkpointFileIn(cache.archive(`${prefix}4100-1`))).toMatchObject({
      checkpoint: firstEnd,
      runId: '4100',
      runAttempt: '1',
      domain: new URL(w.auth0.origin).host,
    });

    w.auth0.addEvents(events(20, last(w)));
    const second = await run({ runId: '4101' });
    expectSuccess(second);
    expect(missWarnings(second), describeRun(second)).toEqual([]);
    expect(annotations(second.stdout, 'warning'), describeRun(second)).toEqual([]);
    expect(second.stdout).toContain(`Cache hit for restore-key: ${prefix}4100-1`);
    expect(second.outputs).toMatchObject({
      'checkpoint-name': prefix,
      'previous-checkpoint': firstEnd,
      checkpoint: last(w).log_id,
      delivered: '20',
    });
    // Continued from the checkpoint: nothing delivered twice, nothing missed.
    const delivered = w.webhook.deliveredIds();
    expect(new Set(delivered).size, 'an event was delivered twice').toBe(delivered.length);
    expect([...delivered].sort()).toEqual(allIds(w));
    expect(cache.keys()).toEqual([`${prefix}4100-1`, `${prefix}4101-1`]);
    expectNoCheckpointLeft(second);
    // Save and restore agree on the version (it hashes the path list and the compression).
    expect(new Set(cache.entries().map((e) => e.version)).size).toBe(1);
  });

  it('a re-run of the same run id with a higher attempt restores the first attempt and saves under a new key', async (t) => {
    const { w, cache, prefix, run } = await setup(t, events(10));
    const first = await run({ runId: '5000', attempt: '1' });
    expectSuccess(first);
    const firstEnd = last(w).log_id;
    w.auth0.addEvents(events(10, last(w)));
    const rerun = await run({ runId: '5000', attempt: '2' });
    expectSuccess(rerun);
    expect(rerun.outputs).toMatchObject({
      'previous-checkpoint': firstEnd,
      checkpoint: last(w).log_id,
      delivered: '10',
    });
    expect(cache.keys()).toEqual([`${prefix}5000-1`, `${prefix}5000-2`]);
    expect(cache.calls('twirp', 'CreateCacheEntry').map((r) => r.status)).toEqual([200, 200]);
    const delivered = w.webhook.deliveredIds();
    expect(new Set(delivered).size).toBe(delivered.length);
    expect([...delivered].sort()).toEqual(allIds(w));
    expectNoCheckpointLeft(rerun);
  });

  it('restore with the prefix picks the newest of several entries, not the greatest key', async (t) => {
    const { w, cache, prefix, run } = await setup(t, events(5));
    // Run ids grow: '99-1' sorts after '100-1' as a string, but 100 is the newer entry.
    for (const runId of ['99', '100']) {
      const r = await run({ runId });
      expectSuccess(r);
      w.auth0.addEvents(events(5, last(w)));
    }
    const secondEnd = w.auth0.events[9]!.log_id;
    const third = await run({ runId: '101' });
    expectSuccess(third);
    expect(third.stdout).toContain(`Cache hit for restore-key: ${prefix}100-1`);
    expect(third.outputs).toMatchObject({
      'previous-checkpoint': secondEnd,
      checkpoint: last(w).log_id,
      delivered: '5',
    });
    expect(cache.keys()).toEqual([`${prefix}99-1`, `${prefix}100-1`, `${prefix}101-1`]);
    const delivered = w.webhook.deliveredIds();
    expect(new Set(delivered).size).toBe(delivered.length);
    expect([...delivered].sort()).toEqual(allIds(w));
  });

  it('a long run saves several times (-2, -3 … keys); the next run restores the newest and repeats nothing', async (t) => {
    const { w, cache, prefix, run } = await setup(t, events(24));
    // One event a request, one request at a time, each answered after 60 ms: the run lasts well over
    // a second, so saving every 150 ms must save more than once whatever the machine's speed.
    w.webhook.respond = async () => {
      await new Promise((resolve) => setTimeout(resolve, 60));
      return { status: 200, body: 'ok' };
    };
    const first = await run({
      runId: '4300',
      inputs: { concurrency: '1', 'payload-format': 'object' },
      env: { AUTH0_LOG_WEBHOOKS_SAVE_EVERY_MS: '150' },
    });
    expectSuccess(first);
    const keys = cache.keys();
    expect(keys.length, describeRun(first)).toBeGreaterThanOrEqual(2);
    expect(keys).toEqual(keys.map((_, i) => (i === 0 ? `${prefix}4300-1` : `${prefix}4300-1-${i + 1}`)));
    // Each save holds a checkpoint at or past the one before; the newest is the last event.
    const saved: string[] = [];
    for (const key of keys) saved.push(String((await checkpointFileIn(cache.archive(key))).checkpoint));
    expect([...saved].sort()).toEqual(saved);
    expect(saved.at(-1)).toBe(last(w).log_id);

    w.webhook.respond = async () => ({ status: 200, body: 'ok' });
    const second = await run({ runId: '4301' });
    expectSuccess(second);
    expect(second.stdout).toContain(`Cache hit for restore-key: ${keys.at(-1)}`);
    expect(second.outputs).toMatchObject({ 'previous-checkpoint': last(w).log_id, delivered: '0' });
    expect(second.webhookRequests).toBe(0);
  });

  it('a genuine miss with a start-from log_id begins after it and says so', async (t) => {
    const { w, cache, prefix, run } = await setup(t, events(20));
    const from = w.auth0.events[11]!.log_id;
    const r = await run({ runId: '6000', inputs: { 'start-from': from } });
    expectSuccess(r);
    const miss = missWarnings(r);
    expect(miss, describeRun(r)).toHaveLength(1);
    expect(miss[0]).toContain('beginning at start-from');
    expect(r.outputs).toMatchObject({
      'previous-checkpoint': from,
      checkpoint: last(w).log_id,
      delivered: '8',
    });
    expect(w.webhook.deliveredIds().sort()).toEqual(allIds(w).slice(12));
    expect(cache.keys()).toEqual([`${prefix}6000-1`]);
    expectNoCheckpointLeft(r);
  });

  it.for(['write-denied', 'conflict', 'quota'] as const)(
    'a service that refuses the save (%s) fails the run with a clear error',
    async (refusal, t) => {
      const { w, cache, prefix, run } = await setup(t, events(10));
      cache.refuseSaves = refusal;
      const r = await run({ runId: '7000' });
      expectFailure(r);
      const errors = annotations(r.stdout, 'error').join('\n');
      expect(errors, describeRun(r)).toMatch(/cache/i);
      expect(errors).toContain(`${prefix}7000-1`);
      expect(errors).toMatch(/again/);
      expect(cache.keys()).toEqual([]);
      // The events went out before the save: the next run re-sends them (at least once).
      expect(w.webhook.deliveredIds()).toHaveLength(10);
      expect(r.outputs['checkpoint']).toBe(last(w).log_id);
      expectNoCheckpointLeft(r);
    },
  );

  it('an upload the blob store rejects fails the run with a clear error', async (t) => {
    const { cache, prefix, run } = await setup(t, events(5));
    cache.failUploads = true;
    const r = await run({ runId: '7100' });
    expectFailure(r);
    const errors = annotations(r.stdout, 'error').join('\n');
    expect(errors, describeRun(r)).toMatch(/cache/i);
    expect(errors).toContain(`${prefix}7100-1`);
    expect(cache.keys()).toEqual([]);
    expectNoCheckpointLeft(r);
  });

  it.for(['server-error', 'corrupt'] as const)(
    'a checkpoint that exists but cannot be downloaded (%s) fails the run and delivers nothing',
    async (fault, t) => {
      const { w, cache, prefix, run } = await setup(t, events(10));
      expectSuccess(await run({ runId: '8000' }));
      w.auth0.addEvents(events(10, last(w)));
      cache.failDownloads = fault;
      const r = await run({ runId: '8001' });
      expectFailure(r);
      expect(r.webhookRequests, 'delivered although the checkpoint was not restored').toBe(0);
      const errors = annotations(r.stdout, 'error').join('\n');
      expect(errors, describeRun(r)).toContain(`${prefix}8000-1`);
      expect(errors).toMatch(/could not be restored/);
      // Not mistaken for a miss.
      expect(missWarnings(r)).toEqual([]);
      expect(cache.keys()).toEqual([`${prefix}8000-1`]);
      expectNoCheckpointLeft(r);
    },
  );

  // @actions/cache turns a failed lookup into a warning and a miss; the store must not take it for one.
  it.for(['unauthenticated', 'read-denied', 'unreachable'] as const)(
    'a cache lookup that fails (%s) is not a miss: the run fails and delivers nothing',
    async (fault, t) => {
      const { w, cache, prefix, run } = await setup(t, events(10));
      expectSuccess(await run({ runId: '8100' }));
      w.auth0.addEvents(events(10, last(w)));
      if (fault === 'unreachable') cache.failLookups = false;
      else cache.failLookups = fault;
      const r = await run({
        runId: '8101',
        env: fault === 'unreachable' ? { ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/' } : {},
      });
      expect(r.webhookRequests, `re-sent from start-from after a failed lookup\n${describeRun(r)}`).toBe(0);
      expectFailure(r);
      expect(missWarnings(r)).toEqual([]);
      expect(cache.keys()).toEqual([`${prefix}8100-1`]);
    },
  );

  // With a cache-mode that does not permit reads, @actions/cache skips the restore and returns a miss.
  it.for(['write-only', 'none'] as const)(
    'ACTIONS_CACHE_MODE=%s (no reads) is not taken for a miss: the run fails and delivers nothing',
    async (mode, t) => {
      const { w, run } = await setup(t, events(10));
      expectSuccess(await run({ runId: '8200' }));
      w.auth0.addEvents(events(10, last(w)));
      const r = await run({ runId: '8201', env: { ACTIONS_CACHE_MODE: mode } });
      expect(
        r.webhookRequests,
        `re-sent from start-from although the cache could not be read\n${describeRun(r)}`,
      ).toBe(0);
      expectFailure(r);
      expect(annotations(r.stdout, 'error').join('\n')).toMatch(/cache-mode|ACTIONS_CACHE_MODE/);
    },
  );

  it('ACTIONS_CACHE_MODE=read (no writes) fails before anything is delivered', async (t) => {
    const { w, run } = await setup(t, events(10));
    const r = await run({ runId: '8250', env: { ACTIONS_CACHE_MODE: 'read' } });
    expectFailure(r);
    expect(w.webhook.requests.length, describeRun(r)).toBe(0);
    expect(annotations(r.stdout, 'error').join('\n')).toMatch(/ACTIONS_CACHE_MODE 'read'/);
  });

  it('a checkpoint-name that is the beginning of another stream fails clearly and delivers nothing', async (t) => {
    const { w, cache, run } = await setup(t, events(5));
    expectSuccess(await run({ runId: '8300', inputs: { 'checkpoint-name': 'prod-eu' } }));
    const before = w.webhook.requests.length;
    const r = await run({ runId: '8301', inputs: { 'checkpoint-name': 'prod' } });
    expectFailure(r);
    expect(w.webhook.requests.length - before, describeRun(r)).toBe(0);
    const errors = annotations(r.stdout, 'error').join('\n');
    expect(errors, describeRun(r)).toContain("'prod-eu-8300-1'");
    expect(errors).toMatch(/another stream/);
    expect(cache.keys()).toEqual(['prod-eu-8300-1']);
    expectNoCheckpointLeft(r);
  });

  it('pruning with a token that may delete leaves exactly one entry of the prefix', async (t) => {
    const { w, cache, prefix, run } = await setup(t, events(5));
    const first = await run({ runId: '9000', inputs: { 'github-token': ACTIONS_WRITE_TOKEN } });
    expectSuccess(first);
    expect(cache.keys()).toEqual([`${prefix}9000-1`]);
    w.auth0.addEvents(events(5, last(w)));
    const second = await run({ runId: '9001', inputs: { 'github-token': ACTIONS_WRITE_TOKEN } });
    expectSuccess(second);
    expect(cache.keys()).toEqual([`${prefix}9001-1`]);
    const lists = cache.calls('rest').filter((r) => r.method === 'GET');
    expect(lists.length).toBeGreaterThanOrEqual(2);
    for (const list of lists) {
      expect(list.query).toMatchObject({ key: prefix, ref: 'refs/heads/main' });
      expect(list.token).toBe(ACTIONS_WRITE_TOKEN);
    }
    const deletes = cache.calls('rest').filter((r) => r.method === 'DELETE');
    expect(deletes.map((d) => d.status)).toEqual([204]);
    expect(annotations(second.stdout, 'warning'), describeRun(second)).toEqual([]);
    // The restored entry was the one pruned later: a third run still finds the survivor.
    w.auth0.addEvents(events(5, last(w)));
    const third = await run({ runId: '9002', inputs: { 'github-token': ACTIONS_WRITE_TOKEN } });
    expectSuccess(third);
    expect(third.outputs['delivered']).toBe('5');
    expect(cache.keys()).toEqual([`${prefix}9002-1`]);
    const delivered = w.webhook.deliveredIds();
    expect(new Set(delivered).size).toBe(delivered.length);
    expect([...delivered].sort()).toEqual(allIds(w));
  });

  it('pruning only touches entries of the run ref', async (t) => {
    const { w, cache, prefix, run } = await setup(t, events(5));
    cache.ref = 'refs/heads/feature';
    const feature = await run({
      runId: '9100',
      inputs: { 'github-token': ACTIONS_WRITE_TOKEN },
      env: { GITHUB_REF: 'refs/heads/feature' },
    });
    expectSuccess(feature);
    cache.ref = 'refs/heads/main';
    for (const runId of ['9101', '9102']) {
      w.auth0.addEvents(events(2, last(w)));
      expectSuccess(await run({ runId, inputs: { 'github-token': ACTIONS_WRITE_TOKEN } }));
    }
    expect(cache.entries().map((e) => [e.ref, e.key])).toEqual([
      ['refs/heads/feature', `${prefix}9100-1`],
      ['refs/heads/main', `${prefix}9102-1`],
    ]);
  });

  it.for([
    ['a token without actions: write', READ_TOKEN],
    ['no token', ''],
  ] as const)('pruning with %s leaves every entry and the run still succeeds', async ([, token], t) => {
    const { w, cache, prefix, run } = await setup(t, events(5));
    expectSuccess(await run({ runId: '9200', inputs: { 'github-token': token } }));
    w.auth0.addEvents(events(5, last(w)));
    const second = await run({ runId: '9201', inputs: { 'github-token': token } });
    expectSuccess(second);
    expect(cache.keys()).toEqual([`${prefix}9200-1`, `${prefix}9201-1`]);
    expect(annotations(second.stdout, 'warning'), describeRun(second)).toEqual([]);
    expect(annotations(second.stdout, 'error'), describeRun(second)).toEqual([]);
    const rest = cache.calls('rest');
    if (token === '') {
      expect(rest).toEqual([]);
    } else {
      // Tried, refused with 403, and not tried again in the same run.
      expect(rest.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([403]);
    }
  });
  // Regression (issue #14, item 8): @actions/cache takes no abort signal, and the store did not pass
  // one either: a cache service that never answers held the job past max-runtime and the hard stop.
  it('a cache service that never answers the lookup: the run ends at max-runtime, failed, naming the cache', async (t) => {
    const { w, cache, run } = await setup(t, events(5));
    cache.stall = (req) => req.rpc === 'GetCacheEntryDownloadURL';
    // run() fails the test if the action is still going after its 30 s bound.
    const r = await run({ runId: '9300', inputs: { 'max-runtime': '5s' } });
    expectFailure(r);
    expect(cache.stalled, describeRun(r)).toBeGreaterThanOrEqual(1);
    expect(w.webhook.requests.length, describeRun(r)).toBe(0);
    expect(annotations(r.stdout, 'error').join('\n'), describeRun(r)).toMatch(
      /Actions cache did not answer in time to restore/,
    );
    expect(cache.keys()).toEqual([]);
  });
});
