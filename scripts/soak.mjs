#!/usr/bin/env node
// npm run soak [-- --seeds 25 --first 1000 --interruptions 8 --property-runs 2000]
//
// The fault-injection suites (test/faults, test/e2e/faults-*.test.ts) with many more seeds than
// `npm test` runs, then the figures: seeds run, events lost (must be 0), duplicates per
// interruption, the deliveries a SIGKILL in a long run repeats per store (faults-crash-long), the
// longest SIGINT → exit, hostile inputs tried. Reproduce one seed with
// A0LW_SEEDS=<seed> npx vitest run test/e2e/faults-crash.test.ts (or the file that failed).
// Needs a current dist/index.js (npm run bundle).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
function option(name, fallback) {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1] : fallback;
}
const seeds = option('seeds', '25');
const first = option('first', '1000');
const interruptions = option('interruptions', '8');
const propertyRuns = option('property-runs', '2000');
const only = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));

if (!existsSync('dist/index.js')) {
  console.error('dist/index.js is missing: run `npm run bundle` first.');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'a0lw-soak-'));
const reportFile = join(dir, 'figures.jsonl');
const started = Date.now();
const run = spawnSync(
  process.platform === 'win32' ? 'npx.cmd' : 'npx',
  ['vitest', 'run', ...(only.length > 0 ? only : ['test/faults', 'test/e2e/faults-'])],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      A0LW_SOAK: '1',
      A0LW_SOAK_SEEDS: seeds,
      A0LW_SOAK_FIRST_SEED: first,
      A0LW_SOAK_INTERRUPTIONS: interruptions,
      A0LW_PROPERTY_RUNS: propertyRuns,
      A0LW_FAULTS_REPORT: reportFile,
    },
  },
);

const figures = existsSync(reportFile)
  ? readFileSync(reportFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  : [];
rmSync(dir, { recursive: true, force: true });

const of = (test) => figures.filter((f) => f.test === test);
const crash = of('crash');
const chaos = [...of('webhook-chaos'), ...of('auth0-chaos')];
const stops = crash.flatMap((f) => f.interruptions.filter((i) => !i.missed));
const byStop = (stop) => stops.filter((i) => i.stop === stop).map((i) => i.exposed);
const describe = (list) =>
  list.length === 0
    ? 'none'
    : `${list.length} interruptions, duplicates per interruption: mean ${(list.reduce((a, b) => a + b, 0) / list.length).toFixed(1)}, max ${Math.max(...list)}`;
const sigint = [
  ...stops.map((i) => i.sigintToExitMs).filter((ms) => ms !== undefined),
  ...of('time').map((f) => f.sigintToExitMs),
];
const hostile = of('hostile-inputs')[0];

console.log('\n=== soak figures ===');
console.log(`seeds (crash): ${crash.map((f) => f.seed).join(', ') || 'none'}`);
console.log(`seeds (receiver / Auth0 chaos): ${chaos.map((f) => f.seed).join(', ') || 'none'}`);
console.log(`events lost: ${[...crash, ...chaos].reduce((n, f) => n + (f.lost ?? 0), 0)}`);
console.log(`runs of dist/index.js in the crash test: ${crash.reduce((n, f) => n + f.runs, 0)}`);
console.log(`SIGKILL: ${describe(byStop('SIGKILL'))}`);
console.log(`cancel (SIGINT…): ${describe(byStop('cancel'))}`);
console.log(
  `duplicates from receiver faults (timeouts after a 2xx, resets): ${chaos.reduce((n, f) => n + f.duplicates, 0)} over ${chaos.length} runs`,
);
for (const store of ['variable', 'cache']) {
  const kills = of('crash-long').filter((f) => f.store === store);
  if (kills.length === 0) continue;
  const seconds = kills.map((f) => f.repeatedSeconds);
  console.log(
    `SIGKILL in a long run, ${store} store: ${kills.length} kills, duplicates per kill ${kills.map((f) => f.duplicates).join(', ')} = ${seconds.join(', ')} s of deliveries (max ${Math.max(...seconds)} s)`,
  );
}
console.log(`longest SIGINT → exit: ${sigint.length > 0 ? `${Math.max(...sigint)} ms` : 'n/a'}`);
if (hostile)
  console.log(`hostile inputs (matrix): ${hostile.matrix}, plus ${propertyRuns} arbitrary strings per input`);
console.log(`wall time: ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(run.status ?? 1);
