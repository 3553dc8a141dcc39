#!/usr/bin/env node
// The README's generated tables come from the code, so they cannot drift: the inputs and outputs from
// action.yml, the level of each common security log type from src/auth0/log-types.ts.
//
//   node scripts/readme-tables.mjs          rewrites README.md between <!-- inputs:start --> and
//                                           <!-- inputs:end --> (and the outputs and log-levels markers)
//   node scripts/readme-tables.mjs --check  exits 1 when README.md is not what it would write
//
// It imports the TypeScript type table, which Node 24 runs as is (it strips the types); an older `node`
// on the PATH hands over to the repository's Node 24 (the `node` dev dependency).
// test/readme.test.ts runs the same comparison. Tables are formatted with the repository's Prettier
// configuration, so `npm run format` leaves them as they are.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as prettier from 'prettier';
import { parse as parseYaml } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A Markdown table cell: one line, no column breaks. */
function cell(text) {
  return String(text)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
}

function code(text) {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** The inputs table: name, default (or **required**), description. */
export function inputsTable(action) {
  const rows = Object.entries(action.inputs ?? {}).map(([name, def]) => {
    const fallback =
      def.required === true
        ? '**required**'
        : code(def.default === undefined ? "''" : String(def.default) || "''");
    return `| ${code(name)} | ${fallback} | ${cell(def.description ?? '')} |`;
  });
  return ['| input | default | description |', '| --- | --- | --- |', ...rows].join('\n');
}

export function outputsTable(action) {
  const rows = Object.entries(action.outputs ?? {}).map(
    ([name, def]) => `| ${code(name)} | ${cell(def.description ?? '')} |`,
  );
  return ['| output | description |', '| --- | --- |', ...rows].join('\n');
}

/**
 * The log type codes a security team asks about first, in the order the README lists them: failed
 * logins, breached passwords, blocks, MFA failures, account changes, Management API operations.
 * A code here that src/auth0/log-types.ts does not have is an error.
 */
export const SECURITY_CODES = [
  'f',
  'fp',
  'fu',
  'pwd_leak',
  'signup_pwd_leak',
  'reset_pwd_leak',
  'limit_wc',
  'limit_sul',
  'limit_mu',
  'ublkdu',
  'gd_auth_failed',
  'gd_auth_rejected',
  'gd_otp_rate_limit_exceed',
  'fcp',
  'scp',
  'du',
  'fapi',
  'sapi',
  's',
  'ss',
];

/** The level table: code, meaning and level (¹ when this project assigned the level). */
export async function logLevelsTable(codes = SECURITY_CODES) {
  const { LEVEL_NAMES, LOG_TYPES: logTypes } = await import('../src/auth0/log-types.ts');
  const rows = codes.map((type) => {
    const info = logTypes.get(type);
    if (!info) throw new Error(`src/auth0/log-types.ts has no type '${type}'`);
    const level = info.level === undefined ? '?' : `${info.level} ${LEVEL_NAMES[info.level]}`;
    return `| ${code(type)} | ${cell(info.description)} | ${level}${info.levelAssigned ? ' ¹' : ''} |`;
  });
  return ['| code | meaning | level |', '| --- | --- | --- |', ...rows].join('\n');
}

/** README.md with every generated region replaced (throws when a marker is missing). */
export async function renderReadme(readme, action) {
  const options = { ...((await prettier.resolveConfig(join(ROOT, 'README.md'))) ?? {}), parser: 'markdown' };
  const format = async (table) => (await prettier.format(table, options)).trimEnd();
  let out = readme;
  for (const [name, table] of [
    ['inputs', inputsTable(action)],
    ['outputs', outputsTable(action)],
    ['log-levels', await logLevelsTable()],
  ]) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} region`);
    out = `${out.slice(0, from + start.length)}\n\n${await format(table)}\n\n${out.slice(to)}`;
  }
  return out;
}

async function main(argv) {
  const readmeFile = join(ROOT, 'README.md');
  const readme = readFileSync(readmeFile, 'utf8');
  const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
  const rendered = await renderReadme(readme, action);
  if (argv.includes('--check')) {
    if (rendered !== readme) {
      process.stderr.write(
        'README.md generated tables differ from action.yml or src/auth0/log-types.ts: run node scripts/readme-tables.mjs\n',
      );
      return 1;
    }
    return 0;
  }
  if (rendered !== readme) writeFileSync(readmeFile, rendered);
  process.stdout.write(
    rendered === readme
      ? 'README.md tables are up to date.\n'
      : 'README.md tables rewritten from action.yml.\n',
  );
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const repositoryNode = join(ROOT, 'node_modules', '.bin', 'node');
  if (Number(process.versions.node.split('.')[0]) < 24 && existsSync(repositoryNode)) {
    const child = spawnSync(repositoryNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
      stdio: 'inherit',
    });
    process.exitCode = child.status ?? 1;
  } else {
    process.exitCode = await main(process.argv.slice(2));
  }
}
