// docs/templates.md: every recipe (a ```jsonata <name> block) compiles with the template engine and
// gives what its receiver needs for a realistic event. The YAML example carries the same expression.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../src/auth0/log-event.js';
import { applyTemplate } from '../src/delivery/template.js';
import { compileExpression } from '../src/expression.js';

const doc = readFileSync(new URL('../docs/templates.md', import.meta.url), 'utf8');
const recipes = new Map(
  [...doc.matchAll(/```jsonata (\S+)\n([\s\S]*?)```/g)].map((m) => [m[1] as string, m[2] as string]),
);

const EVENT = {
  log_id: '90020261101000000123456789012345678901234567890123456789',
  _id: '90020261101000000123456789012345678901234567890123456789',
  type: 'f',
  date: '2026-11-01T00:00:03.000Z',
  description: 'Wrong email or password.',
  user_name: 'jane@example.com',
  ip: '203.0.113.7',
  client_name: 'Storefront',
  connection: 'Username-Password-Authentication',
  hostname: 'acme.us.auth0.com',
  details: { error: { message: 'Wrong email or password.' } },
};

async function shape(name: string, event: LogEvent = EVENT): Promise<Record<string, unknown>> {
  const source = recipes.get(name);
  if (source === undefined) throw new Error(`no recipe ${name}`);
  const outcome = await applyTemplate(compileExpression('payload-template', source, '$'), [event]);
  if (outcome.kind !== 'shaped') throw new Error(outcome.kind === 'failed' ? outcome.problem : outcome.kind);
  return JSON.parse(JSON.stringify(outcome.results[0])) as Record<string, unknown>;
}

describe('docs/templates.md recipes', () => {
  it('has the four recipes', () => {
    expect([...recipes.keys()]).toEqual(['pagerduty', 'opsgenie', 'splunk-hec', 'subset']);
  });

  it('PagerDuty Events v2: a trigger with the required fields, a valid severity, the log_id as dedup key', async () => {
    const body = await shape('pagerduty');
    expect(body).toMatchObject({ event_action: 'trigger', dedup_key: EVENT.log_id });
    const payload = body['payload'] as Record<string, unknown>;
    expect(payload['summary']).toBe('Auth0 f: Wrong email or password. (jane@example.com)');
    expect(String(payload['summary']).length).toBeLessThanOrEqual(1024);
    expect(payload['source']).toBe('acme.us.auth0.com');
    expect(payload['severity']).toBe('error');
    expect((await shape('pagerduty', { ...EVENT, type: 'limit_wc' }))['payload']).toMatchObject({
      severity: 'critical',
    });
    expect((await shape('pagerduty', { ...EVENT, type: 's' }))['payload']).toMatchObject({
      severity: 'warning',
    });
    expect(payload['custom_details']).toEqual(EVENT);
    // The YAML example carries the same expression (with the secret in place of the test key).
    const yaml = doc.slice(doc.indexOf('```yaml'), doc.indexOf('```jsonata pagerduty'));
    const normalize = (text: string): string => text.replace(/\s+/g, '');
    expect(normalize(yaml)).toContain(
      normalize(
        recipes
          .get('pagerduty')!
          .replace('R0UTINGKEY0000000000000000000000', '${{ secrets.PAGERDUTY_ROUTING_KEY }}'),
      ),
    );
  });

  it('Opsgenie: message within 130 characters, alias, a P1-P5 priority', async () => {
    const body = await shape('opsgenie', { ...EVENT, user_name: 'x'.repeat(300) });
    expect(String(body['message']).length).toBeLessThanOrEqual(130);
    expect(body).toMatchObject({ alias: EVENT.log_id, priority: 'P3', tags: ['auth0', 'f'] });
  });

  it('Splunk HEC: epoch seconds, sourcetype, the event whole', async () => {
    const body = await shape('splunk-hec');
    expect(body).toEqual({
      time: Date.parse(EVENT.date) / 1000,
      host: 'acme.us.auth0.com',
      source: 'auth0',
      sourcetype: 'auth0:log',
      event: EVENT,
    });
  });

  it('the field subset: only those fields', async () => {
    expect(await shape('subset')).toEqual({
      id: EVENT.log_id,
      type: 'f',
      at: EVENT.date,
      user: 'jane@example.com',
      ip: '203.0.113.7',
      application: 'Storefront',
    });
  });
});
