// Every relative link in the README, docs/*.md and CONTRIBUTING.md goes somewhere: the file or folder
// exists, and a `#anchor` names a heading of the target Markdown file as GitHub slugs it (lower case,
// punctuation dropped, spaces as hyphens, repeats numbered -1, -2 …). Links to other sites are left
// alone: checking them would need the network.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './e2e/harness.js';

const DOCUMENTS = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(REPO_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** Markdown with fenced code blocks and inline code spans blanked out (links there are not links). */
function withoutCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading's text (the rules of github-slugger, which github.com follows). */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link or image counts by its text
    .replace(/<[^>]+>/g, '') // inline HTML tags
    .replace(/`/g, '');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a Markdown document has, with GitHub's -1, -2 … for repeated headings. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const line of prose.split('\n')) {
    const match = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!match) continue;
    const base = githubSlug(match[1]!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** The link targets of a Markdown document: inline `[text](target)` and reference definitions. */
export function linkTargets(markdown: string): string[] {
  const prose = withoutCode(markdown);
  const inline = [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const references = [...prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map(
    (m) => m[1]!,
  );
  return [...inline, ...references];
}

/** Problems with the relative links of `file` (repository-relative), given a way to read files. */
export function brokenLinks(file: string, read: (path: string) => string | undefined): string[] {
  const markdown = read(file);
  if (markdown === undefined) return [`${file}: cannot be read`];
  const problems: string[] = [];
  for (const target of linkTargets(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …: another site
    const hash = target.indexOf('#');
    const path = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
    const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
    const resolved = path === '' ? file : normalize(join(dirname(file), path)).replace(/\\/g, '/');
    if (resolved.startsWith('..')) {
      problems.push(`${file}: ${target} leaves the repository`);
      continue;
    }
    if (path !== '' && !existsSync(join(REPO_ROOT, resolved)) && read(resolved) === undefined) {
      problems.push(`${file}: ${target}: no file ${resolved}`);
      continue;
    }
    if (anchor === undefined) continue;
    if (!resolved.endsWith('.md')) {
      problems.push(`${file}: ${target}: an anchor into a file that is not Markdown`);
      continue;
    }
    const anchors = anchorsOf(read(resolved) ?? '');
    if (!anchors.has(anchor)) problems.push(`${file}: ${target}: ${resolved} has no heading #${anchor}`);
  }
  return problems;
}

const readRepositoryFile = (path: string): string | undefined => {
  try {
    return readFileSync(join(REPO_ROOT, path), 'utf8');
  } catch {
    return undefined;
  }
};

describe('GitHub heading slugs', () => {
  it.each([
    ['Quick start', 'quick-start'],
    ['1. Create the Auth0 application', '1-create-the-auth0-application'],
    ['Or: keep the checkpoint in a repository variable', 'or-keep-the-checkpoint-in-a-repository-variable'],
    ['Where the first run begins: `start-from`', 'where-the-first-run-begins-start-from'],
    ['`cache` (default)', 'cache-default'],
    ['With your tenant: `@github/local-action`', 'with-your-tenant-githublocal-action'],
    ['Schedule, latency, cost and limits', 'schedule-latency-cost-and-limits'],
    ['Many tenants or destinations', 'many-tenants-or-destinations'],
    ['See [the docs](docs/x.md) now', 'see-the-docs-now'],
    ['snake_case and – dashes', 'snake_case-and--dashes'],
  ])('%s → #%s', (heading, slug) => {
    expect(githubSlug(heading)).toBe(slug);
  });

  it('numbers repeated headings and ignores headings in code blocks', () => {
    const anchors = anchorsOf('# A\n## Notes\n```md\n## Hidden\n```\n## Notes\n### Notes\n');
    expect([...anchors]).toEqual(['a', 'notes', 'notes-1', 'notes-2']);
  });
});

describe('the link check', () => {
  const files: Record<string, string> = {
    'README.md': '# Top\n## Start here\n[ok](#start-here) [docs](docs/a.md#part-two) `[no](#code)`\n',
    'docs/a.md': '# A\n## Part two\n[back](../README.md#top) [web](https://example.com/#x)\n',
    'docs/bad.md':
      '# Bad\n[gone](missing.md) [no anchor](a.md#part-three) [here](#nowhere) [up](../../x.md)\n```\n[in code](#ignored)\n```\n',
  };
  const read = (path: string): string | undefined => files[path];

  it('accepts links to existing files and headings, skipping code and other sites', () => {
    expect(brokenLinks('README.md', read)).toEqual([]);
    expect(brokenLinks('docs/a.md', read)).toEqual([]);
  });

  it('reports a missing file, a missing anchor (here or there) and a link out of the repository', () => {
    expect(brokenLinks('docs/bad.md', read)).toEqual([
      'docs/bad.md: missing.md: no file docs/missing.md',
      'docs/bad.md: a.md#part-three: docs/a.md has no heading #part-three',
      'docs/bad.md: #nowhere: docs/bad.md has no heading #nowhere',
      'docs/bad.md: ../../x.md leaves the repository',
    ]);
  });
});

describe('the documentation', () => {
  it('has docs/ pages, each linked from the README and linking back to it', () => {
    const readme = readRepositoryFile('README.md')!;
    const pages = DOCUMENTS.filter((file) => file !== 'README.md');
    expect(pages.length).toBeGreaterThanOrEqual(9);
    for (const page of pages) {
      expect(readme, `README.md links to ${page}`).toContain(`](${page}`);
      const back = relative(dirname(page), 'README.md').replace(/\\/g, '/');
      expect(readRepositoryFile(page), `${page} links back to the README`).toContain(`](${back}`);
    }
  });

  it.each(DOCUMENTS)('%s: every relative link and anchor resolves', (file) => {
    expect(linkTargets(readRepositoryFile(file)!).length).toBeGreaterThan(0);
    expect(brokenLinks(file, readRepositoryFile)).toEqual([]);
  });
});
