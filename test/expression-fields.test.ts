// The claim behind remembered condition verdicts (src/choose/condition.ts): when fieldsReadBy says an
// expression reads only some field paths, two events with the same values there get the same result
// from JSONata itself, whatever else they hold. Checked on random expressions (with constructs the
// analysis must refuse mixed in) and random events, then through createCondition end to end.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCondition, valuesKey, type ConditionVerdict } from '../src/choose/condition.js';
import { compileExpression, fieldsReadBy, type FieldPath } from '../src/expression.js';
import jsonata from 'jsonata';

const RUNS = Number(process.env['FIELDS_RUNS'] ?? 400);

const compile = (text: string) => compileExpression('filter', text, "type = 'f'");

describe('fieldsReadBy', () => {
  it.each([
    ["type = 'f'", [['type']]],
    ["type in ['f', 'fp'] and client_name != 'Health check'", [['type'], ['client_name']]],
    ["$contains(user_name, '@') or $contains(description, /blocked/i)", [['user_name'], ['description']]],
    [
      'details.error.message and $not($exists(details.ok))',
      [
        ['details', 'error', 'message'],
        ['details', 'ok'],
      ],
    ],
    ['`user name` & "x" = "ax" ? true : false', [['user name']]],
    ['-n > 1 and $number(details.count) >= 2', [['n'], ['details', 'count']]],
    ['(type; user_name)', [['type'], ['user_name']]],
    ["type = 'f' or type = 's'", [['type']]],
  ])('%s reads %j', (text, expected) => {
    expect(compile(text).fieldsRead).toEqual(expected);
  });

  it.each([
    ['$', 'the whole event'],
    ['$$.type', 'the root'],
    ['*', 'a wildcard'],
    ['**.email', 'descendants'],
    ['details.list[0]', 'an index'],
    ['details.list[x = 1]', 'a predicate'],
    ['details.list[]', 'a kept array'],
    ['details.(error)', 'a step that is an expression'],
    ['type.$x', 'a variable step'],
    ['$string()', 'a function of the context'],
    ["$contains('@')", 'a function of the context'],
    ['$now() > date', 'the clock'],
    ['$random() > 0.5', 'randomness'],
    ["$eval('type')", '$eval'],
    ['$keys($)', 'the keys of the event'],
    ["$lookup($, 'type')", 'a lookup in the event'],
    ['($x := type; $x)', 'a binding'],
    ['type ~> $string', 'a chain'],
    ["{'a': type}.a", 'an object constructor'],
    ['$map([1], function($v) { $v })', 'a lambda'],
    ['[1..3]', 'a range'],
    ['$filter(details, function($v){ $v })', 'a function taking a function'],
  ])('%s (%s): cannot tell', (text) => {
    expect(compile(text).fieldsRead).toBeUndefined();
  });

  it('refuses a node it does not know the shape of', () => {
    expect(fieldsReadBy({ type: 'path', steps: [{ type: 'name', value: 'a', stages: [] }] })).toBeUndefined();
    expect(fieldsReadBy({ type: 'string', value: 'a', keepArray: true })).toBeUndefined();
    expect(fieldsReadBy(null)).toBeUndefined();
  });
});

// --- random expressions and events --------------------------------------------------------------

const PATHS = [
  'type',
  'user_name',
  'client_name',
  'n',
  'b',
  'details.error',
  'details.error.message',
  'details.n',
  'details.list',
];
const LITERALS = ["'f'", "'@'", "'jane'", "''", '1', '0', '2.5', 'true', 'false', 'null', '/a.e/i'];
// Constructs the analysis must refuse: each can see something besides the paths it names.
const UNSAFE = [
  '$',
  '$$.type',
  '*',
  '**.message',
  'details.list[0]',
  '$string()',
  "$contains('@')",
  '$keys($)',
  "$lookup($, 'other')",
  'other.$x',
  '$count(*)',
];
const OPERATORS = ['=', '!=', '<', '<=', '>', '>=', 'and', 'or', 'in', '&', '+', '-', '*', '/', '%'];
const FUNCTIONS: Array<[string, number]> = [
  ['boolean', 1], ['not', 1], ['exists', 1], ['string', 1], ['number', 1], ['length', 1], ['lowercase', 1],
  ['uppercase', 1], ['trim', 1], ['contains', 2], ['substring', 2], ['substringBefore', 2],
  ['substringAfter', 2], ['split', 2], ['join', 1], ['count', 1], ['type', 1],
]; // prettier-ignore

const expressionArb: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...PATHS),
    fc.constantFrom(...LITERALS),
    fc.constantFrom(...UNSAFE),
    fc.tuple(tie('e'), fc.constantFrom(...OPERATORS), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc
      .tuple(fc.constantFrom(...FUNCTIONS), fc.array(tie('e'), { minLength: 0, maxLength: 3 }))
      .map(([[name], args]) => `$${name}(${args.join(', ')})`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    fc.array(tie('e'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
    tie('e').map((a) => `-(${a})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a}; ${b})`),
  ),
})).e;

const scalar = fc.constantFrom<unknown>(
  'f',
  's',
  'jane@example.com',
  '',
  'ae',
  '3',
  0,
  -0,
  1,
  -1,
  2.5,
  true,
  false,
  null,
);
const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('message', 'x', 'n'), scalar, { maxKeys: 2 }) },
);
const eventArb = fc.record(
  {
    type: valueArb,
    user_name: valueArb,
    client_name: valueArb,
    n: valueArb,
    b: valueArb,
    other: valueArb,
    details: fc.oneof(
      valueArb,
      fc.record(
        {
          error: fc.oneof(valueArb, fc.record({ message: valueArb }, { requiredKeys: [] })),
          n: valueArb,
          list: valueArb,
          x: valueArb,
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

/** `into`, with `from`'s values at `paths` written in (objects made on the way). */
function overlay(
  into: Record<string, unknown>,
  from: unknown,
  paths: readonly FieldPath[],
): Record<string, unknown> {
  const out = structuredClone(into);
  for (const path of paths) {
    let source: unknown = from;
    for (const name of path)
      source =
        source !== null && typeof source === 'object' && !Array.isArray(source)
          ? (source as Record<string, unknown>)[name]
          : undefined;
    let target = out;
    for (const name of path.slice(0, -1)) {
      const next = target[name];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) target[name] = {};
      target = target[name] as Record<string, unknown>;
    }
    const last = path[path.length - 1] as string;
    if (source === undefined) delete target[last];
    else target[last] = structuredClone(source);
  }
  return out;
}

async function outcome(text: string, event: unknown): Promise<string> {
  try {
    return `ok ${JSON.stringify((await jsonata(text).evaluate(event)) ?? '~undefined')}`;
  } catch (error) {
    return `error ${(error as { code?: string }).code ?? ''}`;
  }
}

describe('fieldsReadBy against JSONata', () => {
  it('events with the same values at the fields read get the same result, whatever else they hold', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(expressionArb, eventArb, eventArb, async (text, a, b) => {
        let fields: readonly FieldPath[] | undefined;
        try {
          fields = compile(text).fieldsRead;
        } catch {
          return; // not valid JSONata (the generator can write `- -`): nothing to check
        }
        if (fields === undefined) return;
        const c = overlay(b, a, fields);
        const key = valuesKey(a, fields);
        if (key === undefined || key !== valuesKey(c, fields)) return;
        checked++;
        expect(await outcome(text, c)).toBe(await outcome(text, a));
      }),
      { numRuns: RUNS },
    );
    // The property must have had something to check.
    expect(checked).toBeGreaterThan(RUNS / 10);
  });

  it('a remembering condition gives every event the verdict JSONata gives it', async () => {
    await fc.assert(
      fc.asyncProperty(
        expressionArb,
        fc.array(eventArb, { minLength: 1, maxLength: 30 }),
        async (text, events) => {
          let remembering;
          try {
            remembering = createCondition(compile(text));
          } catch {
            return;
          }
          const fresh = (event: unknown) => createCondition(compile(text)).test(event as never);
          for (const event of events) {
            const got: ConditionVerdict = await remembering.test(event as never);
            const expected = await fresh(event);
            expect(got.kind).toBe(expected.kind);
          }
        },
      ),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });
});

describe('valuesKey', () => {
  it('tells values apart by type and presence', () => {
    const key = (value: unknown) => valuesKey({ a: value }, [['a']]);
    const keys = ['1', 1, 0, -0, true, 'true', null, 'null', '', undefined].map(key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('remembers nothing across an array, for an object or for a long value', () => {
    expect(valuesKey({ a: [{ b: 1 }] }, [['a', 'b']])).toBeUndefined();
    expect(valuesKey({ a: { b: 1 } }, [['a']])).toBeUndefined();
    expect(valuesKey({ a: 'x'.repeat(2_000) }, [['a']])).toBeUndefined();
  });

  it('finds only own properties, as JSONata does', () => {
    expect(valuesKey({}, [['constructor']])).toBe(valuesKey({}, [['nothing']]));
  });
});
