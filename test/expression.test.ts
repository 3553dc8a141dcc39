import { describe, expect, it } from 'vitest';
import { compileExpression, ExpressionEvaluationError, hasNestedRepeat } from '../src/expression.js';
import { InputError } from '../src/settings.js';

describe('compileExpression', () => {
  it('evaluates against an event', async () => {
    const expression = compileExpression(
      'filter',
      'type = "f" and $contains(description, "x")',
      "type = 'f'",
    );
    await expect(expression.evaluate({ type: 'f', description: 'axb' })).resolves.toBe(true);
    await expect(expression.evaluate({ type: 's', description: 'axb' })).resolves.toBe(false);
  });

  it('has no result for a path the event lacks', async () => {
    const expression = compileExpression('filter', 'details.request.body.x', "type = 'f'");
    await expect(expression.evaluate({ type: 'f' })).resolves.toBeUndefined();
  });

  it('turns a syntax error into an input error naming the input, the position and an example', () => {
    let caught: unknown;
    try {
      compileExpression('filter', 'type = "f" and (', "type = 'f'");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    const message = (caught as Error).message;
    expect(message).toContain("Input 'filter'");
    expect(message).toMatch(/at character \d+/);
    expect(message).toContain("Example of a valid value: type = 'f'");
  });

  it.each([
    [
      'a runaway recursion',
      '($f := function($n){ $n = 0 ? 0 : $f($n - 1) }; $f(100000))',
      /D1011|D1012|deep|timeout/,
    ],
    ['a huge sequence', '$count([1..10000000])', /D2015|sequence|D2014/],
    ['a type error', '$number("a")', /D3030|number/],
  ])('rejects %s with a short ExpressionEvaluationError', async (_name, text, pattern) => {
    const expression = compileExpression('filter', text, 'x');
    const error = await expression.evaluate({}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ExpressionEvaluationError);
    expect((error as Error).message).toMatch(pattern);
    expect((error as Error).message).not.toContain('\n');
  });

  it.each([
    ['a failed cast', '$number(user_name) > 1'],
    ['a comparison of mixed types', 'user_name > 1'],
    ['a signature mismatch', '$number(details)'],
  ])('keeps event values out of the message: %s', async (_name, text) => {
    const event = { user_name: 'jane.doe@example.com', details: { email: 'jane.doe@example.com' } };
    const error = await compileExpression('filter', text, 'x')
      .evaluate(event)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ExpressionEvaluationError);
    expect((error as Error).message).not.toContain('jane');
    expect((error as Error).message).toMatch(/JSONata [A-Z]\d{4}/);
  });
});

// A regular expression runs out of reach of JSONata's guardrails and of every timer: a nested
// repetition on a hostile user name (`aaaa…!`) took 17 s for one event in review, hours for 35 characters.
describe('regular expressions that can backtrack catastrophically', () => {
  it.each(['(a+)+$', '^(a+)+$', '(?:x*y)*', '(a|b+){2,}', '((ab)*c)+', '(\\w+\\s?)*$', '(a{1,3})+'])(
    'refuses /%s/',
    (pattern) => {
      expect(hasNestedRepeat(pattern)).toBe(true);
      expect(() => compileExpression('filter', `$contains(user_name, /${pattern}/)`, "type = 'f'")).toThrow(
        /Input 'filter': has the regular expression .* repeated group inside a repetition/,
      );
    },
  );

  it.each([
    '^a+$',
    '(ab)+',
    '[(a+)+]',
    '\\(a+\\)+',
    '(a|b)*c',
    'auth0\\|[0-9a-f]+',
    '(?:\\d{1,3}\\.){3}\\d{1,3}',
  ])('accepts /%s/', (pattern) => {
    expect(hasNestedRepeat(pattern)).toBe(false);
    expect(() =>
      compileExpression('filter', `$contains(user_name, /${pattern}/)`, "type = 'f'"),
    ).not.toThrow();
  });
});
