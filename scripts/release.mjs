#!/usr/bin/env node
// Release helper for .github/workflows/release.yml (and for trying a release locally).
// Plain ESM JavaScript with no dependencies: Node runs it as is, no build step.
//
//   node scripts/release.mjs check <tag>       the tag is vX.Y.Z, package.json (and src/version.ts) say X.Y.Z,
//                                              CHANGELOG.md has a dated, non-empty [X.Y.Z] entry, the newest one
//   node scripts/release.mjs notes <version>   prints the CHANGELOG.md entry of X.Y.Z (or vX.Y.Z)
//   node scripts/release.mjs move-major <tag>  force-moves the major tag vX to the tag's commit (locally) and
//                                              prints vX; prints nothing when a newer vX.*.* tag exists
//
// Option --repo <dir> (anywhere): the git repository / project directory (default: the current one).
// `check` reads package.json, CHANGELOG.md and src/version.ts at the tag when the tag exists, else from
// the working tree. Errors go to stderr with exit status 1; usage errors exit 2.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const VERSION = /^v?((0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*))$/;
/** `## [1.2.3] - 2026-11-29` (Keep a Changelog); `## [Unreleased]` has no date. */
const ENTRY = /^## \[([^\]]+)\](?:\s+-\s+(\S+))?\s*$/;
/** Link reference definitions at the end (`[1.2.3]: https://...`) are not part of the last entry. */
const LINK_DEFINITION = /^\[[^\]]+\]:\s+\S/;

export class ReleaseError extends Error {}

/** Parses `vX.Y.Z` into its parts; throws a ReleaseError for anything else. */
export function parseTag(tag) {
  const m = TAG.exec(tag);
  if (!m) {
    throw new ReleaseError(
      `'${tag}' is not a release tag: expected vMAJOR.MINOR.PATCH (e.g. v1.2.3), no pre-release or build suffix.`,
    );
  }
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return { tag, version: `${major}.${minor}.${patch}`, major, minor, patch, majorTag: `v${major}` };
}

/** The entries of a Keep a Changelog file, newest first as written: { version, date, body }. */
export function parseChangelog(text) {
  const entries = [];
  let current;
  for (const line of text.split(/\r?\n/)) {
    const heading = ENTRY.exec(line);
    if (heading) {
      current = { version: heading[1], date: heading[2], lines: [] };
      entries.push(current);
    } else if (/^#{1,2} /.test(line) || LINK_DEFINITION.test(line)) {
      current = undefined;
    } else if (current) {
      current.lines.push(line);
    }
  }
  return entries.map(({ version, date, lines }) => ({ version, date, body: lines.join('\n').trim() }));
}

/** The released entries (not `Unreleased`), in file order. */
export function releasedEntries(text) {
  return parseChangelog(text).filter((e) => e.version.toLowerCase() !== 'unreleased');
}

/** The body of the CHANGELOG entry of `version` (X.Y.Z or vX.Y.Z); throws when missing or empty. */
export function releaseNotes(changelog, version) {
  const m = VERSION.exec(version);
  if (!m) throw new ReleaseError(`'${version}' is not a version: expected X.Y.Z or vX.Y.Z.`);
  const wanted = m[1];
  const entry = releasedEntries(changelog).find((e) => e.version === wanted);
  if (!entry) throw new ReleaseError(`CHANGELOG.md has no entry '## [${wanted}] - YYYY-MM-DD'.`);
  if (entry.body === '') throw new ReleaseError(`The CHANGELOG.md entry of ${wanted} is empty.`);
  return entry.body;
}

/**
 * The problems that keep `tag` from being released with these files (empty when none).
 * `files.versionTs` is src/version.ts when the project has one.
 */
export function releaseProblems(tag, files) {
  let parsed;
  try {
    parsed = parseTag(tag);
  } catch (error) {
    return [error.message];
  }
  const problems = [];
  const { version } = parsed;

  let pkgVersion;
  try {
    pkgVersion = JSON.parse(files.packageJson).version;
  } catch (error) {
    problems.push(`package.json is not valid JSON: ${error.message}`);
  }
  if (pkgVersion !== undefined && pkgVersion !== version) {
    problems.push(
      `The tag ${tag} does not match package.json's version ${String(pkgVersion)}: bump one of them.`,
    );
  }

  if (files.versionTs !== undefined) {
    const m = /export const VERSION = '([^']*)'/.exec(files.versionTs);
    if (!m) problems.push(`src/version.ts has no \`export const VERSION = '...'\`.`);
    else if (m[1] !== version)
      problems.push(`src/version.ts says VERSION = '${m[1]}', not ${version} (the User-Agent).`);
  }

  if (files.changelog === undefined) {
    problems.push('There is no CHANGELOG.md.');
    return problems;
  }
  const released = releasedEntries(files.changelog);
  const entry = released.find((e) => e.version === version);
  if (!entry) {
    problems.push(
      `CHANGELOG.md has no entry '## [${version}] - YYYY-MM-DD': move the Unreleased notes under it.`,
    );
  } else {
    if (!isIsoDate(entry.date)) {
      problems.push(`The CHANGELOG.md entry of ${version} needs a date: '## [${version}] - YYYY-MM-DD'.`);
    }
    if (entry.body === '') problems.push(`The CHANGELOG.md entry of ${version} is empty.`);
    if (released[0] !== entry) {
      problems.push(
        `The CHANGELOG.md entry of ${version} is not the newest one (${released[0]?.version} is above it).`,
      );
    }
  }
  return problems;
}

function isIsoDate(text) {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

// ---- git ---------------------------------------------------------------------------------------

function git(repo, args) {
  return execFileSync('git', ['-C', repo, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

function tryGit(repo, args) {
  try {
    return git(repo, args);
  } catch {
    return undefined;
  }
}

/** The commit a tag points at (annotated tags peeled), or undefined when the tag does not exist. */
export function tagCommit(repo, tag) {
  return tryGit(repo, ['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`]);
}

/** The file at the tag when the tag exists (undefined if it has no such file), else in the working tree. */
function readProjectFile(repo, tag, path) {
  if (tag !== undefined && tagCommit(repo, tag) !== undefined) {
    return tryGit(repo, ['show', `refs/tags/${tag}:${path}`]);
  }
  const file = join(repo, path);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** The release tags vMAJOR.*.* of the repository, parsed. */
function releaseTagsOf(repo, major) {
  const out = git(repo, ['tag', '--list', `v${major}.*`]);
  return out
    .split('\n')
    .filter((t) => TAG.test(t))
    .map(parseTag)
    .filter((t) => t.major === major);
}

function compare(a, b) {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/**
 * Points the major tag (v1 for v1.2.3) at the tag's commit, replacing where it was. Returns the
 * major tag's name, or undefined when a newer release of the same major exists (a late patch of an
 * older minor must not move the major tag backwards).
 */
export function moveMajor(repo, tag, log = () => {}) {
  const parsed = parseTag(tag);
  const commit = tagCommit(repo, tag);
  if (commit === undefined) throw new ReleaseError(`There is no tag ${tag} in ${repo}.`);
  const newest = releaseTagsOf(repo, parsed.major).sort(compare).at(-1);
  if (newest && compare(newest, parsed) > 0) {
    log(`${parsed.majorTag} stays where it is: ${newest.tag} is newer than ${tag}.`);
    return undefined;
  }
  const before = tagCommit(repo, parsed.majorTag);
  git(repo, ['tag', '--force', parsed.majorTag, commit]);
  log(
    before === undefined
      ? `${parsed.majorTag} created at ${commit} (${tag}).`
      : before === commit
        ? `${parsed.majorTag} already at ${commit} (${tag}).`
        : `${parsed.majorTag} moved from ${before} to ${commit} (${tag}).`,
  );
  return parsed.majorTag;
}

// ---- command line ------------------------------------------------------------------------------

const USAGE = `usage: node scripts/release.mjs [--repo <dir>] <command> <arg>
  check <tag>        tag vX.Y.Z, package.json, src/version.ts and CHANGELOG.md agree
  notes <version>    print the CHANGELOG.md entry of that version
  move-major <tag>   move vX to the tag's commit (locally); prints vX, or nothing when not moved`;

export function main(argv, out = process.stdout, err = process.stderr) {
  const args = [...argv];
  let repo = process.cwd();
  const at = args.indexOf('--repo');
  if (at !== -1) {
    const dir = args[at + 1];
    if (dir === undefined) return usage(err, '--repo needs a directory');
    repo = resolve(dir);
    args.splice(at, 2);
  }
  const [command, arg, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h') {
    out.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (arg === undefined || rest.length > 0) return usage(err, `${command}: expected exactly one argument`);
  try {
    switch (command) {
      case 'check': {
        const problems = releaseProblems(arg, {
          packageJson: readProjectFile(repo, arg, 'package.json') ?? '{}',
          changelog: readProjectFile(repo, arg, 'CHANGELOG.md'),
          versionTs: readProjectFile(repo, arg, 'src/version.ts'),
        });
        if (problems.length > 0) {
          for (const p of problems) err.write(`error: ${p}\n`);
          return 1;
        }
        const where = tagCommit(repo, arg) === undefined ? 'working tree (no such tag yet)' : `tag ${arg}`;
        out.write(`${arg}: package.json, CHANGELOG.md and the version agree (${where}).\n`);
        return 0;
      }
      case 'notes': {
        const changelog = readProjectFile(repo, undefined, 'CHANGELOG.md');
        if (changelog === undefined) throw new ReleaseError(`There is no CHANGELOG.md in ${repo}.`);
        out.write(`${releaseNotes(changelog, arg)}\n`);
        return 0;
      }
      case 'move-major': {
        const moved = moveMajor(repo, arg, (line) => err.write(`${line}\n`));
        if (moved !== undefined) out.write(`${moved}\n`);
        return 0;
      }
      default:
        return usage(err, `unknown command '${command}'`);
    }
  } catch (error) {
    if (!(error instanceof ReleaseError)) throw error;
    err.write(`error: ${error.message}\n`);
    return 1;
  }
}

function usage(err, message) {
  err.write(`error: ${message}\n${USAGE}\n`);
  return 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
