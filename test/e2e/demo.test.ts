// `npm run demo` (scripts/demo.mjs) works with nothing but this repository: two runs of dist/index.js
// against its embedded tenant, receiver and variables API; the second delivers only the new events.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './harness.js';

interface DemoRun {
  code: number | null;
  output: string;
}

function runDemo(): Promise<DemoRun> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(INPUT_|GITHUB_|RUNNER_|ACTIONS_)/.test(k)) env[k] = v;
  }
  env['NO_COLOR'] = '1';
  const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'demo.mjs')], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
  const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

describe('npm run demo', () => {
  it('runs the bundled action twice: run 1 delivers everything, run 2 only the new events', async () => {
    const { code, output } = await runDemo();
    expect(code, output).toBe(0);
    expect(output).toContain('✔ Demo OK');

    const first = /Run 1 delivered (\d+) events \(all (\d+) matching of 1000\)/.exec(output);
    const second = /run 2 delivered (\d+): only the (\d+) new matching events/.exec(output);
    expect(first, output).not.toBeNull();
    expect(second, output).not.toBeNull();
    expect(Number(first![1])).toBe(Number(first![2]));
    expect(Number(second![1])).toBe(Number(second![2]));
    expect(Number(second![1])).toBeGreaterThan(0);
    expect(Number(second![1])).toBeLessThan(Number(first![1]));

    // Both runs' logs and summaries, the summary as text (no Markdown table syntax or HTML entities).
    expect(output).toContain('Job summary of run 1:');
    expect(output).toContain('Job summary of run 2:');
    expect(output).toMatch(/No checkpoint stored yet: beginning at start-from 'oldest'/);
    expect(output).toMatch(/Checkpoint restored: \d{56} \(/);
    expect(output).toMatch(new RegExp(`Delivered ${first![1]} events; caught up`));
    expect(output).toMatch(new RegExp(`Delivered ${second![1]} events; caught up`));
    expect(output).toMatch(/Warning: Auth0 rate limit reached \(429\)/);
    expect(output).toMatch(/^ +fetched +matched +delivered +failed +filtered out$/m);
    expect(output).toMatch(/^ +after \(saved\) +\d{56} +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +/m);
    expect(output).toMatch(/Matching events, by type\n +─+/);
    // The delivery lag, in the log's outcome line and in the summary.
    expect(output).toMatch(/Delivery lag \(event time → acknowledgement\): median \S/);
    expect(output).toMatch(/Delivery lag \(event time → acknowledgement, \d+ events\) median \S/);
    expect(output).not.toMatch(/\|---|&nbsp;|\*\*|::(debug|warning|error|add-mask)::/);
    // Run 3: the new errors of one application as Slack digests, addresses masked, shown as a person
    // reads them.
    const slack = /Run 3 sent (\d+) errors of Acme Web as (\d+) Slack messages/.exec(output);
    expect(slack, output).not.toBeNull();
    expect(Number(slack![2])).toBe(Math.ceil(Number(slack![1]) / 10));
    expect(output).toMatch(/What the channel shows \(\d+ messages\):\n\n +\d+ Auth0 log events/);
    const channel = output.slice(
      output.indexOf('What the channel shows'),
      output.indexOf('▶ What the receiver got'),
    );
    expect(channel).toMatch(/· [a-z]∗∗∗@example\.com · 203\.0\.∗\.∗ · Acme Web ·/);
    expect(channel).not.toMatch(/[a-z]{2}@example\.com|203\.0\.113\.\d|Acme Mobile/);
  }, 45_000);
});
