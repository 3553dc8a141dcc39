import { createHmac } from 'node:crypto';

/**
 * Standard Webhooks `webhook-signature`: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`,
 * one per secret (key rotation), space-separated.
 */
export function signatureHeader(
  secrets: readonly Buffer[],
  webhookId: string,
  timestamp: number,
  body: string,
): string {
  const content = `${webhookId}.${timestamp}.${body}`;
  return secrets
    .map((secret) => `v1,${createHmac('sha256', secret).update(content).digest('base64')}`)
    .join(' ');
}
