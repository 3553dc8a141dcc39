// The one place user-written JSONata expressions (`filter`, `payload-template`) are compiled and
// evaluated. Compiling happens while the inputs are validated, so a syntax error is an input error
// with its position; evaluating is bounded in time, depth and sequence length, so a runaway
// expression (deep recursion, a huge range) ends with an error for that event instead of stalling the run.

import jsonata from 'jsonata';
import { InputError } from './settings.js';

/** Longest one evaluation may take (wall time, checked as the expression steps). */
const DEFAULT_TIME_LIMIT_MS = 500;
/** Deepest the evaluator may nest (recursive functions): far beyond real expressions, well within the stack. */
const DEFAULT_DEPTH_LIMIT = 500;
/** Longest sequence an evaluation may build (a runaway $map or range). */
const DEFAULT_SEQUENCE_LIMIT = 100_000;

export interface CompiledExpression {
  /** The expression as the user wrote it (for messages). */
  readonly source: string;
  /**
   * Evaluates against one event. Resolves with JSONata's result (undefined when it has none);
   * rejects with an ExpressionEvaluationError (a JSONata error, the time box or the depth limit).
   * `redact` sees JSONata's own message first, before it is flattened and cut (a `$error` message
   * built from the event's fields: personal data is replaced while it is still written as it is).
   */
  evaluate(input: unknown, redact?: (message: string) => string): Promise<unknown>;
  /**
   * The field paths whose values alone decide the result (`type = 'f' and details.error` →
   * `[['type'], ['details', 'error']]`), when the expression shows it: see fieldsReadBy. Undefined
   * when it cannot tell (a variable, `$`, a wildcard, a predicate, a function of the clock…).
   */
  readonly fieldsRead: readonly FieldPath[] | undefined;
}

/** A path of field names from the top of the input: `details.request.ip` → ['details', 'request', 'ip']. */
export type FieldPath = readonly string[];

/** An evaluation failed: the message is short, single-line and safe to log (no event data). */
export class ExpressionEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionEvaluationError';
  }
}

export interface CompileOptions {
  timeLimitMs?: number;
  depthLimit?: number;
  sequenceLimit?: number;
}

/**
 * Compiles `text` for the input `input`. A syntax error is an InputError naming the input, the
 * position (1-based character) and the token, with `example` as the valid value to show.
 */
export function compileExpression(
  input: string,
  text: string,
  example: string,
  options: CompileOptions = {},
): CompiledExpression {
  let expression: jsonata.Expression;
  try {
    // JSONata's own guardrails bound an evaluation: wall time, nesting depth and sequence length.
    expression = jsonata(text, {
      timeout: options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
      stack: options.depthLimit ?? DEFAULT_DEPTH_LIMIT,
      sequence: options.sequenceLimit ?? DEFAULT_SEQUENCE_LIMIT,
    });
  } catch (error) {
    throw new InputError(input, `is not a valid JSONata expression: ${describeJsonataError(error)}`, example);
  }
  // A regular expression runs in one go, out of reach of the guardrails and of every timer: one with a
  // repeated group that itself repeats can take hours on a hostile user name (ReDoS). Refuse it here.
  for (const regex of regexLiterals(expression.ast())) {
    if (hasNestedRepeat(regex.source)) {
      throw new InputError(
        input,
        `has the regular expression /${regex.source.slice(0, 60)}/ with a repeated group inside a repetition (like (a+)+), which can take exponential time on some text; write it without the nesting`,
        example,
      );
    }
  }
  return {
    source: text,
    // One promise for JSONata's, one for the error mapping: no async wrapper per evaluation.
    evaluate: (value, redact) =>
      (expression.evaluate(value) as Promise<unknown>).then(undefined, (error: unknown) => {
        throw new ExpressionEvaluationError(describeJsonataError(error, redact));
      }),
    fieldsRead: fieldsReadBy(expression.ast()),
  };
}

/**
 * JSONata's pure built-in functions this analysis trusts, with the fewest arguments that leave no
 * parameter to JSONata's context (`$contains('@')` tests the context itself; `$contains(x, '@')`
 * does not). Functions of the clock or randomness (`$now`, `$millis`, `$random`), `$eval` and every
 * function that takes a function are left out.
 */
const PURE_FUNCTIONS: ReadonlyMap<string, number> = new Map([
  ['boolean', 1],
  ['not', 1],
  ['exists', 1],
  ['string', 1],
  ['number', 1],
  ['length', 1],
  ['lowercase', 1],
  ['uppercase', 1],
  ['trim', 1],
  ['contains', 2],
  ['substring', 2],
  ['substringBefore', 2],
  ['substringAfter', 2],
  ['split', 2],
  ['join', 1],
  ['count', 1],
  ['type', 1],
]);

const PURE_OPERATORS: ReadonlySet<string> = new Set([
  '=', '!=', '<', '<=', '>', '>=', 'and', 'or', 'in', '&', '+', '-', '*', '/', '%',
]); // prettier-ignore

/**
 * The field paths an expression reads, when its result is a function of their values alone: it is
 * built only of literals, the operators above, `? :`, array constructors, blocks, plain paths of
 * field names (no predicate, index, wildcard, variable or `[]`) and calls of PURE_FUNCTIONS with all
 * their arguments. Anything else, and any node with a property this does not know: undefined.
 * test/expression-fields.test.ts checks the claim against JSONata on random expressions and events.
 */
export function fieldsReadBy(ast: unknown): readonly FieldPath[] | undefined {
  const paths: FieldPath[] = [];
  const seen = new Set<string>();
  const visit = (node: unknown, depth: number): boolean => {
    if (depth > 100 || node === null || typeof node !== 'object' || Array.isArray(node)) return false;
    const n = node as Record<string, unknown>;
    const has = (...keys: string[]): boolean => only(n, ['type', 'position', ...keys]);
    const all = (list: unknown): boolean =>
      Array.isArray(list) && list.every((child) => visit(child, depth + 1));
    switch (n['type']) {
      case 'string':
      case 'number':
      case 'value':
        return has('value');
      case 'regex':
        return has('value') && n['value'] instanceof RegExp;
      case 'binary':
        return (
          has('value', 'lhs', 'rhs') &&
          PURE_OPERATORS.has(n['value'] as string) &&
          visit(n['lhs'], depth + 1) &&
          visit(n['rhs'], depth + 1)
        );
      case 'unary':
        if (n['value'] === '-') return has('value', 'expression') && visit(n['expression'], depth + 1);
        return n['value'] === '[' && has('value', 'expressions') && all(n['expressions']);
      case 'condition':
        return (
          has('condition', 'then', 'else') &&
          visit(n['condition'], depth + 1) &&
          visit(n['then'], depth + 1) &&
          (n['else'] === undefined || visit(n['else'], depth + 1))
        );
      case 'block':
        return has('expressions') && all(n['expressions']);
      case 'function': {
        const procedure = n['procedure'] as Record<string, unknown> | undefined;
        const args = n['arguments'];
        const least = PURE_FUNCTIONS.get(procedure?.['value'] as string);
        return (
          has('value', 'procedure', 'arguments') &&
          n['value'] === '(' &&
          procedure?.['type'] === 'variable' &&
          only(procedure, ['type', 'value', 'position']) &&
          least !== undefined &&
          Array.isArray(args) &&
          args.length >= least &&
          all(args)
        );
      }
      case 'path': {
        const steps = n['steps'];
        if (!has('steps') || !Array.isArray(steps) || steps.length === 0) return false;
        const names: string[] = [];
        for (const step of steps as unknown[]) {
          if (step === null || typeof step !== 'object') return false;
          const s = step as Record<string, unknown>;
          if (
            !only(s, ['type', 'value', 'position']) ||
            s['type'] !== 'name' ||
            typeof s['value'] !== 'string'
          )
            return false;
          names.push(s['value']);
        }
        const key = JSON.stringify(names);
        if (!seen.has(key)) {
          seen.add(key);
          paths.push(names);
        }
        return true;
      }
      default:
        return false;
    }
  };
  return visit(ast, 0) ? paths : undefined;
}

/** The regular expression literals of a JSONata syntax tree. */
function regexLiterals(node: unknown, found: RegExp[] = [], depth = 0): RegExp[] {
  if (depth > 1_000 || node === null || typeof node !== 'object') return found;
  if (node instanceof RegExp) {
    found.push(node);
    return found;
  }
  for (const child of Object.values(node)) regexLiterals(child, found, depth + 1);
  return found;
}

/**
 * Whether a pattern repeats a group that itself contains a repetition, where one of the two is
 * unbounded (`(a+)+`, `(?:x*y)*`, `(a|b+){2,}`, `(a{1,3})+`): the shape behind catastrophic
 * backtracking. `(?:\d{1,3}\.){3}` (both bounded) is fine. Escapes and character classes are skipped.
 */
export function hasNestedRepeat(source: string): boolean {
  interface Group {
    repeats: boolean;
    unbounded: boolean;
  }
  const groups: Group[] = [{ repeats: false, unbounded: false }];
  let closed: Group | undefined;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const justClosed = closed;
    closed = undefined;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      continue;
    }
    if (c === '(') {
      groups.push({ repeats: false, unbounded: false });
      continue;
    }
    if (c === ')') {
      closed = groups.pop() ?? { repeats: false, unbounded: false };
      if (groups.length === 0) groups.push({ repeats: false, unbounded: false });
      const parent = groups[groups.length - 1] as Group;
      parent.repeats ||= closed.repeats;
      parent.unbounded ||= closed.unbounded;
      continue;
    }
    const braces = c === '{' ? /^\{\d*(,\d*)?\}/.exec(source.slice(i)) : null;
    if (c !== '*' && c !== '+' && !braces) continue;
    const unbounded = c === '*' || c === '+' || /^\{\d*,\}$/.test(braces?.[0] ?? '');
    if (justClosed?.repeats && (unbounded || justClosed.unbounded)) return true;
    const current = groups[groups.length - 1] as Group;
    current.repeats = true;
    current.unbounded ||= unbounded;
  }
  return false;
}

/** Whether `node` has no property but `keys` (a property set to undefined counts as none: `name` on calls). */
function only(node: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(node).every((key) => node[key] === undefined || keys.includes(key));
}

/** Longest part of a JSONata message that is shown. */
const MAX_MESSAGE = 200;

/** JSONata's own description: message, 1-based position and token when it has them. */
export function describeJsonataError(error: unknown, redact?: (message: string) => string): string {
  if (error instanceof RangeError) return 'nested too deeply (maximum call stack size exceeded)';
  if (error === null || typeof error !== 'object') return String(error);
  const { message, position, token, code, value, value2 } = error as {
    message?: unknown;
    position?: unknown;
    token?: unknown;
    code?: unknown;
    value?: unknown;
    value2?: unknown;
  };
  let text = typeof message === 'string' ? message : 'JSONata error';
  // JSONata quotes the offending values (`Unable to cast value to a number: "jane@example.com"`):
  // they are event data, maybe personal, so they never reach the log.
  for (const quoted of [value, value2]) {
    if (quoted === undefined) continue;
    for (const form of [JSON.stringify(quoted), typeof quoted === 'string' ? quoted : undefined]) {
      if (form !== undefined && form.length > 0) text = text.split(form).join('(value)');
    }
  }
  if (redact) text = redact(text);
  // `$error(…)` builds its message from anything, event fields included: keep it short.
  const flat = text.replace(/\s+/g, ' ').trim();
  const parts = [flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE)}…` : flat];
  if (typeof position === 'number') parts.push(`at character ${position}`);
  // The token is a piece of the user's text: control characters are shown escaped, never raw.
  if (typeof token === 'string' && token !== '') parts.push(`near '${escapeControls(token.slice(0, 40))}'`);
  if (typeof code === 'string') parts.push(`(JSONata ${code})`);
  // The expression's own text comes back in the message and token: keep the message one honest line.
  return parts
    .join(' ')
    .replace(
      /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
}

function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
