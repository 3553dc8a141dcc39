// Text from outside (receivers' answers, user names, event types) made inert in the job summary's
// Markdown.

/** Text from outside (an answer, a user name) made inert in a table cell: no HTML, links, emphasis or column breaks. */
export function escapeCell(text: string): string {
  return breakAutolinks(escapeText(text).replace(/\|/g, '\\|'));
}

/**
 * GitHub turns a bare `www.x` or `https://x` into a link (GFM autolinks): an escaped `.` or `:`
 * keeps it plain text that reads the same.
 */
function breakAutolinks(text: string): string {
  return text.replace(/\b(www)\./gi, '$1\\.').replace(/\b(https?|ftp):\/\//gi, '$1\\://');
}

export function escapeText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]<>#~]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`));
}

/** Inside a code span: no backticks or pipes can end it. */
export function escapeCode(text: string): string {
  return text.replace(/[`|\r\n]/g, '?');
}
