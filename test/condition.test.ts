import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { createCondition, isTruthy } from '../src/choose/condition.js';
import { compileExpression } from '../src/expression.js';
import type { LogEvent } from '../src/auth0/log-event.js';

const compile = (text: string) => createCondition(compileExpression('filter', text, "type = 'f'"));

describe('isTruthy', () => {
  // JSONata's own $boolean is the reference: the table must agree with it value for value.
  const values: Array<[string, unknown]> = [
    ['no result', undefined],
    ['null', null],
    ['true', true],
    ['false', false],
    ['0', 0],
    ['1', 1],
    ['-0.5', -0.5],
    ['empty string', ''],
    ['string', 'a'],
    ['string "false"', 'false'],
    ['empty array', []],
    ['[false]', [false]],
    ['[0, 0]', [0, 0]],
    ['[0, 1]', [0, 1]],
    ['[[]]', [[]]],
    ['[[1]]', [[1]]],
    ['empty object', {}],
    ['object', { a: 1 }],
    ['object with a false member', { a: false }],
  ];
  const reference = jsonata('$boolean(v)');
  it.each(values)('%s is what $boolean says', async (_name, value) => {
    const expected = Boolean(await reference.evaluate({ v: value }));
    expect(isTruthy(value)).toBe(expected);
  });

  it('a function is false, as for $boolean', async () => {
    expect(Boolean(await jsonata('$boolean(function($x){$x})').evaluate({}))).toBe(false);
    expect(isTruthy(() => 1)).toBe(false);
  });
});

describe('createCondition', () => {
  const event = { log_id: '1', type: 'f', client_name: 'Production', details: { error: { message: 'x' } } };

  it('keeps an event the expression is truthy for, removes one it is not', async () => {
    expect(await compile("type = 'f'").test(event)).toEqual({ kind: 'kept' });
    expect(await compile("type = 's'").test(event)).toEqual({ kind: 'removed' });
    expect(await compile('client_name').test(event)).toEqual({ kind: 'kept' });
    expect(await compile('user_name').test(event)).toEqual({ kind: 'removed' }); // no result
    expect(await compile('details.error').test(event)).toEqual({ kind: 'kept' });
  });

  it('fails open: an expression that throws keeps the event and says why', async () => {
    const verdict = await compile('$number(client_name) > 1').test(event);
    expect(verdict.kind).toBe('failed-open');
    expect(verdict.kind === 'failed-open' && verdict.error).toMatch(/number/i);
    const thrown = await compile('$error("boom")').test(event);
    expect(thrown).toEqual({ kind: 'failed-open', error: expect.stringContaining('boom') as unknown });
  });

  describe('remembered verdicts', () => {
    /** A compiled expression that counts its JSONata evaluations. */
    const counted = (text: string) => {
      const expression = compileExpression('filter', text, "type = 'f'");
      const calls = { n: 0 };
      const condition = createCondition({
        ...expression,
        evaluate: (input) => {
          calls.n++;
          return expression.evaluate(input);
        },
      });
      return { condition, calls };
    };

    it('an event with the same values in the fields read gets the verdict at once, without JSONata', async () => {
      const { condition, calls } = counted("type = 'f' and client_name = 'Production'");
      expect(await condition.test({ log_id: '1', type: 'f', client_name: 'Production' })).toEqual({
        kind: 'kept',
      });
      const again = condition.test({ log_id: '2', type: 'f', client_name: 'Production', other: 'x' });
      expect(again).toEqual({ kind: 'kept' }); // not a promise
      expect(await condition.test({ log_id: '3', type: 'f', client_name: 'Staging' })).toEqual({
        kind: 'removed',
      });
      expect(condition.test({ log_id: '4', type: 'f', client_name: 'Staging' })).toEqual({ kind: 'removed' });
      expect(calls.n).toBe(2);
    });

    it('a failure is never remembered: each failing event is evaluated and warned about', async () => {
      const { condition, calls } = counted('$number(client_name) > 1');
      for (const id of ['1', '2', '3']) {
        const verdict = await condition.test({ log_id: id, client_name: 'Production' });
        expect(verdict.kind).toBe('failed-open');
      }
      expect(calls.n).toBe(3);
    });

    it('an expression that may read more than named fields is evaluated for every event', async () => {
      const { condition, calls } = counted("$contains($string($), 'Production')");
      await condition.test({ log_id: '1', client_name: 'Production' });
      await condition.test({ log_id: '1', client_name: 'Production' });
      expect(calls.n).toBe(2);
    });

    it('0 and -0 are different values (JSONata: 1 / -0 < 0)', async () => {
      const condition = compile('1 / details.score < 0');
      const zero = JSON.parse('{"log_id":"1","details":{"score":0}}') as LogEvent;
      const minusZero = JSON.parse('{"log_id":"2","details":{"score":-0}}') as LogEvent;
      expect(await condition.test(zero)).toEqual({ kind: 'removed' });
      expect(await condition.test(minusZero)).toEqual({ kind: 'kept' });
    });
  });
});
