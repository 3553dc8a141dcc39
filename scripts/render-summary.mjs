#!/usr/bin/env node
// Renders a job summary (the Markdown the action writes to GITHUB_STEP_SUMMARY) for a person:
//
//   node scripts/render-summary.mjs summary.md             as text for a terminal (tables aligned)
//   node scripts/render-summary.mjs summary.md --html out.html
//                                                          as an HTML page styled roughly like GitHub's
//   node scripts/render-summary.mjs summary.md --png out.png [--width 1000] [--height 1400]
//                                                          a screenshot of that page by headless Chromium
//                                                          (CHROMIUM=/path, default `chromium`)
//
// Several summary files are rendered one after another. npm run render-summary -- <args> does the same.
// `renderForTerminal(markdown)` is what `npm run demo` prints. Not part of CI: for looking at the
// summary while changing src/report/summary.ts.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { marked } from 'marked';

// ---- terminal ----------------------------------------------------------------------------------

const ENTITIES = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

/**
 * Markdown → plain text for a terminal: headings underlined, tables aligned by display width,
 * lists as bullets, emphasis and code marks dropped (or ANSI bold/cyan with `color`).
 */
export function renderForTerminal(markdown, { color = false, width = 100 } = {}) {
  const bold = (s) => (color ? `\x1b[1m${s}\x1b[22m` : s);
  const cyan = (s) => (color ? `\x1b[36m${s}\x1b[39m` : s);
  const inline = (tokens = []) =>
    tokens
      .map((t) => {
        switch (t.type) {
          case 'strong':
            return bold(inline(t.tokens));
          case 'em':
          case 'del':
          case 'link':
            return inline(t.tokens);
          case 'codespan':
            return cyan(decode(t.text));
          case 'escape':
            return t.text;
          case 'br':
            return '\n';
          case 'text':
            return t.tokens ? inline(t.tokens) : decode(t.text);
          default:
            return decode(t.raw ?? '');
        }
      })
      .join('');

  const out = [];
  const block = (token) => {
    switch (token.type) {
      case 'heading': {
        const text = inline(token.tokens);
        const rule = (token.depth <= 2 ? '═' : '─').repeat(Math.min(width, displayWidth(stripAnsi(text))));
        out.push('', bold(text), rule);
        return;
      }
      case 'paragraph':
        out.push(wrap(inline(token.tokens), width));
        return;
      case 'table':
        out.push(...table(token, inline));
        return;
      case 'list':
        for (const item of token.items) {
          const text = item.tokens.map((t) => (t.tokens ? inline(t.tokens) : decode(t.text ?? ''))).join(' ');
          out.push(wrap(text, width - 4, '  • ', '    '));
        }
        return;
      case 'space':
        out.push('');
        return;
      case 'hr':
        out.push('─'.repeat(width));
        return;
      default:
        out.push(decode(token.raw ?? '').trimEnd());
    }
  };
  for (const token of marked.lexer(markdown)) block(token);
  // One blank line at most between blocks, none at the ends.
  return (
    out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .replace(/^\n+|\n+$/g, '') + '\n'
  );
}

function table(token, inline) {
  const header = token.header.map((cell) => inline(cell.tokens));
  const rows = token.rows.map((row) => row.map((cell) => inline(cell.tokens)));
  const widths = header.map((h, i) =>
    Math.max(displayWidth(stripAnsi(h)), ...rows.map((row) => displayWidth(stripAnsi(row[i] ?? '')))),
  );
  const line = (cells) =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat(Math.max(0, widths[i] - displayWidth(stripAnsi(cell ?? ''))));
        return token.align[i] === 'right' ? pad + cell : i === cells.length - 1 ? cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [
    '  ' + line(header),
    '  ' + widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.map((row) => '  ' + line(row)),
  ];
}

function decode(text) {
  // No-break hyphens (U+2011, in the summary's times) print as plain ones.
  return text
    .replace(/&(lt|gt|amp|quot|#39|nbsp);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/\u2011/g, '-');
}

function stripAnsi(text) {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

/** Columns a string takes in a terminal: wide emoji and CJK count 2, joiners and variation selectors 0. */
export function displayWidth(text) {
  let width = 0;
  for (const char of text) {
    const cp = char.codePointAt(0);
    if (cp === 0xfe0f || cp === 0x200d || (cp >= 0x300 && cp <= 0x36f)) continue;
    const wide =
      cp >= 0x1f000 ||
      cp === 0x2705 ||
      cp === 0x274c ||
      cp === 0x23f8 ||
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xff00 && cp <= 0xff60);
    width += wide ? 2 : 1;
  }
  return width;
}

/** Word-wraps one paragraph (ANSI codes don't count). */
function wrap(text, width, first = '', rest = '') {
  const lines = [];
  for (const paragraph of text.split('\n')) {
    let line = first;
    let prefix = first;
    for (const word of paragraph.split(/ +/)) {
      const candidate = line === prefix ? line + word : `${line} ${word}`;
      if (displayWidth(stripAnsi(candidate)) > width + prefix.length && line !== prefix) {
        lines.push(line);
        prefix = rest;
        line = rest + word;
      } else {
        line = candidate;
      }
    }
    lines.push(line);
    first = rest;
  }
  return lines.join('\n');
}

// ---- HTML and a screenshot ---------------------------------------------------------------------

const CSS = `
body { font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
  font-size: 14px; line-height: 1.5; color: #1f2328; background: #fff; margin: 0; padding: 24px; }
main { max-width: 960px; border: 1px solid #d1d9e0; border-radius: 6px; padding: 16px 24px; }
h2 { font-size: 1.5em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; margin: .5em 0 16px; }
h3 { font-size: 1.25em; margin: 24px 0 16px; }
table { border-collapse: collapse; margin: 0 0 16px; display: block; max-width: 100%; overflow: auto; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
th { font-weight: 600; background: #f6f8fa; }
tr:nth-child(2n) td { background: #f6f8fa; }
code { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 85%; background: rgba(129,139,152,.12); border-radius: 6px; padding: .2em .4em; }
p, ul { margin: 0 0 16px; }
`;

/** The summary as an HTML page (GitHub renders summaries as GitHub Flavored Markdown, like marked). */
export function renderHtml(markdowns) {
  const body = markdowns.map((md) => `<main>${marked.parse(md)}</main>`).join('\n<br>\n');
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>Job summary</title><style>${CSS}</style></head>\n<body>${body}</body></html>\n`;
}

/** Screenshot of an HTML file by headless Chromium (Debian: apt-get install chromium). */
export function screenshot(htmlFile, pngFile, { width = 1000, height = 1400 } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'render-summary-'));
  try {
    execFileSync(
      process.env.CHROMIUM ?? 'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        `--screenshot=${resolve(pngFile)}`,
        `--window-size=${width},${height}`,
        pathToFileURL(resolve(htmlFile)).href,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 },
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

function main(argv) {
  const files = [];
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--')) options[arg.slice(2)] = argv[++i];
    else files.push(arg);
  }
  if (files.length === 0) {
    process.stderr.write(
      'usage: node scripts/render-summary.mjs summary.md [more.md ...] [--html out.html] [--png out.png] [--width 1000] [--height 1400]\n',
    );
    return 2;
  }
  const markdowns = files.map((file) => readFileSync(file, 'utf8'));
  if (!options.html && !options.png) {
    const color = process.stdout.isTTY && !process.env.NO_COLOR;
    process.stdout.write(markdowns.map((md) => renderForTerminal(md, { color })).join('\n'));
    return 0;
  }
  const html = options.html ?? join(mkdtempSync(join(tmpdir(), 'summary-html-')), 'summary.html');
  writeFileSync(html, renderHtml(markdowns));
  process.stdout.write(`HTML: ${html}\n`);
  if (options.png) {
    screenshot(html, options.png, {
      width: Number(options.width ?? 1000),
      height: Number(options.height ?? 1400),
    });
    process.stdout.write(`PNG: ${options.png}\n`);
  }
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = main(process.argv.slice(2));
}
