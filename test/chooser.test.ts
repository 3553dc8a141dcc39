import { describe, expect, it } from 'vitest';
import { createChooser } from '../src/choose/index.js';
import { createCondition } from '../src/choose/condition.js';
import { createObfuscator } from '../src/choose/obfuscate.js';
import { createSelection } from '../src/choose/select.js';
import { compileExpression } from '../src/expression.js';

const selection = createSelection({ logTypes: ['f'], logLevel: undefined });
const obfuscator = createObfuscator({ classes: ['email'], method: 'mask' });
const event = { log_id: '1', type: 'f', user_name: 'jane@corp.example' };

describe('createChooser: select → condition → obfuscate', () => {
  it('without a condition, chooses synchronously (no promise per event)', () => {
    const chooser = createChooser({ selection, obfuscator });
    expect(chooser.choose(event)).toEqual({
      kind: 'chosen',
      event: { ...event, user_name: 'j***@corp.example' },
    });
    expect(chooser.choose({ ...event, type: 's' })).toEqual({ kind: 'unselected' });
  });

  it('the condition sees the event as Auth0 returned it; what is sent is obfuscated', async () => {
    const condition = createCondition(compileExpression('filter', "user_name = 'jane@corp.example'", 'x'));
    const chooser = createChooser({ selection, condition, obfuscator });
    expect(await chooser.choose(event)).toEqual({
      kind: 'chosen',
      event: { ...event, user_name: 'j***@corp.example' },
    });
    expect(await chooser.choose({ ...event, user_name: 'bob@corp.example' })).toEqual({ kind: 'removed' });
    // Not selected: the condition is not asked (it would throw here).
    const throwing = createChooser({
      selection,
      condition: createCondition(compileExpression('filter', '$error("no")', 'x')),
    });
    expect(await throwing.choose({ ...event, type: 's' })).toEqual({ kind: 'unselected' });
  });

  it('a condition that throws: chosen, obfuscated, with the error', async () => {
    const condition = createCondition(compileExpression('filter', '$number(user_name) > 1', 'x'));
    const choice = await createChooser({ selection, condition, obfuscator }).choose(event);
    expect(choice).toMatchObject({ kind: 'chosen', event: { user_name: 'j***@corp.example' } });
    expect(choice.kind === 'chosen' && choice.conditionError).toMatch(/D3030/);
  });

  it("a condition's own message quoting the event leaves as the event does: before it is flattened and cut", async () => {
    const condition = createCondition(
      compileExpression('filter', "$error(user_name & ' / ' & details.body.address)", 'x'),
    );
    const personal = createObfuscator({ classes: ['username', 'address'], method: 'mask' });
    const chooser = createChooser({ selection, condition, obfuscator: personal });
    const long = `Jane${'x'.repeat(300)}`;
    for (const [userName, address] of [
      ['Jane  Doe', '1 Main St\nSpringfield'], // spaces and a line break the message flattens
      ['Jane\u0007Doe', '1 Main St'], // a control character it escapes
      [long, '1 Main St'], // longer than the 200 characters it keeps
    ]) {
      const choice = await chooser.choose({ ...event, user_name: userName, details: { body: { address } } });
      const error = choice.kind === 'chosen' ? (choice.conditionError ?? '') : '';
      expect(error).toContain('J*** / 1***');
      for (const part of ['Doe', 'Main', 'Springfield', 'xxxx']) expect(error).not.toContain(part);
    }
  });
});
