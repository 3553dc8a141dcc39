// scripts/release.mjs against throwaway git repositories (check, notes, move-major), and the
// release metadata of this repository: action.yml, package.json, CHANGELOG.md and src/version.ts.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VERSION } from '../src/version.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCRIPT = join(REPO_ROOT, 'scripts', 'release.mjs');

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the script as the workflow does: `node scripts/release.mjs <args>`, in `cwd`. */
function release(cwd: string, ...args: string[]): Result {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function show(r: Result): string {
  return `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Release Test',
      GIT_AUTHOR_EMAIL: 'release@example.invalid',
      GIT_COMMITTER_NAME: 'Release Test',
      GIT_COMMITTER_EMAIL: 'release@example.invalid',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
    },
  }).trim();
}

const CHANGELOG_1_2_3 = `# Changelog

## [Unreleased]

## [1.2.3] - 2026-11-20

### Fixed

- A fix.

## [1.2.2] - 2026-11-01

### Added

- Something.

[1.2.3]: https://github.com/acme/action/compare/v1.2.2...v1.2.3
[1.2.2]: https://github.com/acme/action/releases/tag/v1.2.2
`;

const CHANGELOG_1_3_0 = CHANGELOG_1_2_3.replace(
  '## [Unreleased]\n',
  '## [Unreleased]\n\n## [1.3.0] - 2026-11-28\n\n### Added\n\n- A feature.\n',
);

describe('scripts/release.mjs', () => {
  let repo: string;

  /** Commits package.json (version) and CHANGELOG.md; returns the commit. */
  function commit(version: string, changelog: string, message = `release ${version}`): string {
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'action', version }, null, 2) + '\n');
    writeFileSync(join(repo, 'CHANGELOG.md'), changelog);
    git(repo, 'add', 'package.json', 'CHANGELOG.md');
    git(repo, 'commit', '--quiet', '-m', message);
    return git(repo, 'rev-parse', 'HEAD');
  }

  function tag(name: string): void {
    git(repo, 'tag', '-a', name, '-m', name);
  }

  function commitOf(ref: string): string {
    return git(repo, 'rev-parse', `refs/tags/${ref}^{commit}`);
  }

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'a0lw-release-'));
    git(repo, 'init', '--quiet', '--initial-branch=main');
  });
  afterEach(() => {
    rmSync(repo, { recursive: true, force: true });
  });

  it('check, notes and move-major for a first release, then a second one moves v1 again', () => {
    const first = commit('1.2.3', CHANGELOG_1_2_3);
    tag('v1.2.3');

    const check = release(repo, 'check', 'v1.2.3');
    expect(check.status, show(check)).toBe(0);
    expect(check.stdout).toContain('tag v1.2.3');

    const notes = release(repo, 'notes', 'v1.2.3');
    expect(notes.status, show(notes)).toBe(0);
    expect(notes.stdout).toBe('### Fixed\n\n- A fix.\n');
    expect(release(repo, 'notes', '1.2.2').stdout).toBe('### Added\n\n- Something.\n'); // link definitions excluded

    const move = release(repo, 'move-major', 'v1.2.3');
    expect(move.status, show(move)).toBe(0);
    expect(move.stdout).toBe('v1\n');
    expect(commitOf('v1')).toBe(first);

    const second = commit('1.3.0', CHANGELOG_1_3_0);
    tag('v1.3.0');
    expect(release(repo, 'check', 'v1.3.0').status).toBe(0);
    expect(release(repo, 'notes', 'v1.3.0').stdout).toBe('### Added\n\n- A feature.\n');
    const again = release(repo, 'move-major', 'v1.3.0');
    expect(again.status, show(again)).toBe(0);
    expect(again.stdout).toBe('v1\n');
    expect(again.stderr).toContain(`moved from ${first} to ${second}`);
    expect(commitOf('v1')).toBe(second);
    expect(commitOf('v1.2.3')).toBe(first); // the release tag itself never moves
  });

  it('--repo points at the repository from elsewhere, like `npm run release -- --repo <dir>`', () => {
    commit('1.2.3', CHANGELOG_1_2_3);
    tag('v1.2.3');
    const r = release(tmpdir(), '--repo', repo, 'move-major', 'v1.2.3');
    expect(r.status, show(r)).toBe(0);
    expect(commitOf('v1')).toBe(commitOf('v1.2.3'));
  });

  it('a late patch of an older minor does not move the major tag backwards', () => {
    commit('1.2.3', CHANGELOG_1_2_3);
    tag('v1.2.3');
    const newer = commit('1.3.0', CHANGELOG_1_3_0);
    tag('v1.3.0');
    expect(release(repo, 'move-major', 'v1.3.0').stdout).toBe('v1\n');

    git(repo, 'checkout', '--quiet', '-b', 'release-1.2', 'v1.2.3');
    commit(
      '1.2.4',
      CHANGELOG_1_2_3.replace(
        '## [Unreleased]\n',
        '## [Unreleased]\n\n## [1.2.4] - 2026-11-29\n\n- Patch.\n',
      ),
    );
    tag('v1.2.4');
    expect(release(repo, 'check', 'v1.2.4').status).toBe(0);
    const r = release(repo, 'move-major', 'v1.2.4');
    expect(r.status, show(r)).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('v1.3.0 is newer');
    expect(commitOf('v1')).toBe(newer);
  });

  it('a tag that does not match package.json fails', () => {
    commit('1.2.3', CHANGELOG_1_2_3);
    tag('v1.2.4');
    const r = release(repo, 'check', 'v1.2.4');
    expect(r.status, show(r)).toBe(1);
    expect(r.stderr).toContain("does not match package.json's version 1.2.3");
  });

  it('a version without a CHANGELOG entry fails check and notes', () => {
    commit('1.2.4', CHANGELOG_1_2_3);
    tag('v1.2.4');
    const check = release(repo, 'check', 'v1.2.4');
    expect(check.status, show(check)).toBe(1);
    expect(check.stderr).toContain("CHANGELOG.md has no entry '## [1.2.4] - YYYY-MM-DD'");
    const notes = release(repo, 'notes', 'v1.2.4');
    expect(notes.status, show(notes)).toBe(1);
    expect(notes.stdout).toBe('');
  });

  it('check reads the files at the tag, not the working tree', () => {
    commit('1.2.3', CHANGELOG_1_2_3);
    tag('v1.2.3');
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ version: '9.9.9' }));
    expect(release(repo, 'check', 'v1.2.3').status).toBe(0);
    expect(release(repo, 'check', 'v9.9.9').status).toBe(1); // no such tag: the working tree, no entry
  });

  it('rejects an undated, empty or not-newest entry, a bad src/version.ts, and non-release tags', () => {
    commit('1.2.3', CHANGELOG_1_2_3.replace('## [1.2.3] - 2026-11-20', '## [1.2.3]'));
    expect(release(repo, 'check', 'v1.2.3').stderr).toContain('needs a date');

    commit('1.2.3', CHANGELOG_1_2_3.replace('### Fixed\n\n- A fix.\n', ''));
    expect(release(repo, 'check', 'v1.2.3').stderr).toContain('is empty');

    commit('1.2.2', CHANGELOG_1_2_3);
    expect(release(repo, 'check', 'v1.2.2').stderr).toContain('not the newest one (1.2.3 is above it)');

    commit('1.2.3', CHANGELOG_1_2_3);
    mkdirSync(join(repo, 'src'));
    writeFileSync(join(repo, 'src', 'version.ts'), "export const VERSION = '1.2.2';\n");
    expect(release(repo, 'check', 'v1.2.3').stderr).toContain("src/version.ts says VERSION = '1.2.2'");

    for (const bad of ['1.2.3', 'v1.2', 'v01.2.3', 'v1.2.3-rc.1', 'latest']) {
      const r = release(repo, 'check', bad);
      expect(r.status, `${bad}\n${show(r)}`).toBe(1);
      expect(r.stderr).toContain('is not a release tag');
    }
    expect(release(repo, 'move-major', 'v7.0.0').stderr).toContain('There is no tag v7.0.0');
    expect(release(repo, 'frobnicate', 'v1.2.3').status).toBe(2);
    expect(release(repo, 'check').status).toBe(2);
  });
});

// ---- this repository's release metadata ----------------------------------------------------------

/** Top-level `key: value` and `branding:` children of action.yml (a small line reader, like the harness's). */
function actionMetadata(): Record<string, string> {
  const out: Record<string, string> = {};
  let section = '';
  for (const line of readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8').split(/\r?\n/)) {
    const top = /^([a-z-]+):\s*(.*?)\s*$/.exec(line);
    if (top) {
      section = top[1]!;
      if (top[2] !== '') out[section] = unquote(top[2]!);
      continue;
    }
    const child = /^ {2}([a-z-]+):\s*(.*?)\s*$/.exec(line);
    if (child && section === 'branding') out[`branding.${child[1]}`] = unquote(child[2]!);
  }
  return out;
}

function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return JSON.parse(v) as string;
  return v;
}

/** The colors GitHub Marketplace accepts for `branding.color`. */
const BRANDING_COLORS = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark'];

describe('release metadata of this repository', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
    license: string;
  };

  it('action.yml has the Marketplace metadata: name, description under 125 characters, author, branding', () => {
    const meta = actionMetadata();
    expect(meta['name']).toBeTruthy();
    expect(meta['description']).toBeTruthy();
    expect(meta['description']!.length).toBeLessThan(125);
    expect(meta['author']).toBeTruthy();
    expect(meta['branding.icon']).toMatch(/^[a-z0-9-]+$/);
    expect(BRANDING_COLORS).toContain(meta['branding.color']);
  });

  it('package.json, the newest CHANGELOG entry and src/version.ts (the User-Agent) agree', () => {
    const changelog = readFileSync(join(REPO_ROOT, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(/^## \[Unreleased\]$/m);
    const newest = /^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$/m.exec(changelog);
    expect(newest, 'a released entry `## [X.Y.Z] - YYYY-MM-DD`').not.toBeNull();
    expect(newest![1]).toBe(pkg.version);
    expect(VERSION).toBe(pkg.version);
    expect(pkg.license).toBe('MIT');

    // The release script agrees too (what the release workflow runs on the tag).
    const check = release(REPO_ROOT, 'check', `v${pkg.version}`);
    expect(check.status, show(check)).toBe(0);
    const notes = release(REPO_ROOT, 'notes', pkg.version);
    expect(notes.status, show(notes)).toBe(0);
    expect(notes.stdout.trim()).not.toBe('');
  });
});
