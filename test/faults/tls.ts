// An HTTPS webhook receiver on 127.0.0.1 with a certificate made by `openssl` at test time (Node
// cannot make X.509 certificates by itself). It records the TLS handshakes that failed and the
// requests that got through.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Certificate {
  /** PEM files (also usable as NODE_EXTRA_CA_CERTS: a self-signed certificate is its own CA). */
  certFile: string;
  key: Buffer;
  cert: Buffer;
  dispose(): void;
}

/** Why openssl cannot be used here, or undefined when it can. */
export function opensslMissing(): string | undefined {
  const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  if (probe.error) return `openssl is not installed (${probe.error.message})`;
  if (probe.status !== 0) return `openssl version failed: ${probe.stderr}`;
  return undefined;
}

/** A self-signed P-256 certificate for `subjectAltName` (e.g. `IP:127.0.0.1`, `DNS:localhost`). */
export function selfSigned(subjectAltName: string): Certificate {
  const dir = mkdtempSync(join(tmpdir(), 'a0lw-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  const cn = subjectAltName.replace(/^(IP|DNS):/, '');
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      `subjectAltName=${subjectAltName}`,
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl req failed: ${made.stderr}`);
  return {
    certFile,
    key: readFileSync(keyFile),
    cert: readFileSync(certFile),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export class HttpsWebhook {
  /** TLS handshakes the client aborted (certificate refused) or that failed otherwise. */
  readonly handshakeErrors: string[] = [];
  /** Requests that got through TLS (each answered 200). */
  readonly requests: Array<{ url: string; body: string }> = [];
  private server: Server | undefined;

  constructor(private readonly certificate: Certificate) {}

  async start(): Promise<void> {
    const server = createServer({ key: this.certificate.key, cert: this.certificate.cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests.push({ url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      });
    });
    server.on('tlsClientError', (error) => this.handshakeErrors.push(String(error.message)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
  }

  url(host = '127.0.0.1'): string {
    const port = (this.server?.address() as AddressInfo).port;
    return `https://${host}:${port}/hook`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
