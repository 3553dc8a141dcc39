// Small shared pieces of the loopback fakes: start/close a node:http server on 127.0.0.1:0,
// read a request body, answer JSON.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';

/** `body` is the request body as UTF-8 text; `raw` the same bytes (for blob uploads). */
export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  raw: Buffer,
) => void | Promise<void>;

/**
 * A node:http server on 127.0.0.1, an ephemeral port, that reads the whole body before handling:
 * the base of every loopback fake, which only says how it answers.
 */
export abstract class LoopbackServer {
  private server: Server | undefined;
  private portNumber = 0;

  protected abstract handle(...args: Parameters<Handler>): ReturnType<Handler>;

  get port(): number {
    if (this.portNumber === 0) throw new Error('server not started');
    return this.portNumber;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('error', () => res.destroy());
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        Promise.resolve()
          .then(() => this.handle(req, res, raw.toString('utf8'), raw))
          .catch((error: unknown) => {
            if (!res.headersSent) {
              res.writeHead(500, { 'content-type': 'text/plain' });
              res.end(`fake server error: ${String(error)}`);
            } else {
              res.destroy();
            }
          });
      });
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.portNumber = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

export function send(
  res: ServerResponse,
  status: number,
  body: string | undefined,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, headers);
  res.end(body ?? '');
}

/** Header value as one string (first of repeated ones). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Headers as a plain lower-cased record, repeated ones joined with ", ". */
export function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** A body of a given size, streamed: `head`, then filler up to `bytes`. */
export interface StreamedBody {
  bytes: number;
  /** The beginning of the body (default empty). */
  head?: string;
  /** What the rest is made of (default `x`). */
  filler?: string;
}

const PIECE = 64 * 1024;

/**
 * Answers with a body of `body.bytes` bytes (Content-Length set), written 64 KB at a time as the
 * client takes them: a 60 MB answer never sits whole in the test's memory. Resolves with the
 * bytes written before the body ended or the client closed the connection.
 */
export async function sendStreamed(
  res: ServerResponse,
  status: number,
  body: StreamedBody,
  headers: Record<string, string> = {},
): Promise<number> {
  const head = Buffer.from(body.head ?? '');
  const piece = Buffer.alloc(PIECE, body.filler ?? 'x');
  res.writeHead(status, { ...headers, 'content-length': String(Math.max(body.bytes, head.length)) });
  let sent = 0;
  const closed = once(res, 'close').then(() => undefined);
  res.on('error', () => undefined); // the client hanging up mid-body is the point
  const write = async (chunk: Buffer): Promise<boolean> => {
    if (res.destroyed || res.writableEnded) return false;
    sent += chunk.length;
    if (!res.write(chunk)) await Promise.race([once(res, 'drain'), closed]);
    return !res.destroyed;
  };
  if (head.length > 0 && !(await write(head))) return sent;
  while (sent < body.bytes) {
    const left = body.bytes - sent;
    if (!(await write(left >= PIECE ? piece : piece.subarray(0, left)))) return sent;
  }
  if (!res.destroyed) res.end();
  return sent;
}
