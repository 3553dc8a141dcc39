import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];

/**
 * One keep-alive pool per process; both Auth0 and the webhook go through it. Behind a proxy (a
 * self-hosted runner with HTTPS_PROXY / HTTP_PROXY, NO_PROXY for exceptions) requests are tunnelled
 * through it, as the runner and the GitHub toolkit do for their own requests.
 */
export function createDispatcher(connections: number, env: NodeJS.ProcessEnv = process.env): Dispatcher {
  // Certificates are always verified, whatever NODE_TLS_REJECT_UNAUTHORIZED says in the job's env.
  const options = {
    connections,
    keepAliveTimeout: 30_000,
    pipelining: 1,
    connect: { rejectUnauthorized: true },
  };
  if (!PROXY_VARIABLES.some((name) => env[name])) return new Agent(options);
  return new EnvHttpProxyAgent({
    ...options,
    httpProxy: env.http_proxy ?? env.HTTP_PROXY,
    httpsProxy: env.https_proxy ?? env.HTTPS_PROXY,
    noProxy: env.no_proxy ?? env.NO_PROXY,
    requestTls: { rejectUnauthorized: true },
    proxyTls: { rejectUnauthorized: true },
  });
}

export function headerValue(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A short, single-line description of a network error (code and message), safe to log. */
export function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const cause = (error as { cause?: unknown }).cause;
    const causeCode = cause instanceof Error ? (cause as { code?: unknown }).code : undefined;
    const parts = [
      typeof code === 'string' ? code : typeof causeCode === 'string' ? causeCode : undefined,
      error.message,
    ];
    return parts.filter(Boolean).join(': ');
  }
  return String(error);
}

/** Most a Management API answer may take: a logs page is at most 100 events, however large each is. */
export const PAGE_BYTES_CAP = 32 * 1024 * 1024;
/** Enough of an error answer to quote its first 200 characters. */
export const QUOTE_BYTES_CAP = 4 * 1024;

export interface CappedText {
  text: string;
  /** False when the body went on past the cap: `text` is only its beginning and the rest was not read. */
  complete: boolean;
}

/**
 * Reads a body as UTF-8 text, at most `maxBytes` of it. Past the cap nothing more is read or kept:
 * the body is destroyed (the connection closes), so a server cannot make the runner hold more than
 * the cap, however much it sends.
 */
export async function readCapped(
  body: Dispatcher.ResponseData['body'],
  maxBytes: number,
): Promise<CappedText> {
  const chunks: Buffer[] = [];
  let size = 0;
  let complete = true;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = maxBytes - size;
    if (chunk.length > room) {
      if (room > 0) chunks.push(chunk.subarray(0, room));
      size = maxBytes;
      complete = false;
      break; // ends the iteration, which destroys the body
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  if (!complete) body.destroy();
  return { text: Buffer.concat(chunks, size).toString('utf8'), complete };
}

/** Collapses whitespace and cuts to `max` characters: for quoting a server's answer in one line. */
export function snippet(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export interface RequestSignal {
  signal: AbortSignal;
  /** True when the time limit (not the parent) aborted it. */
  readonly timedOut: boolean;
  /** Clears the timer and the parent's listener: call when the request and its body are done. */
  dispose(): void;
}

/**
 * Aborts when `parent` aborts or after `ms`. Unlike AbortSignal.any([parent, AbortSignal.timeout(ms)]),
 * nothing outlives the request: AbortSignal.timeout keeps its timer, and the composite signal it is
 * part of stays registered on the long-lived parent, until the time limit passes, request done or not.
 */
export function requestSignal(parent: AbortSignal, ms: number): RequestSignal {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = (): void => controller.abort(parent.reason);
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`The operation timed out after ${ms} ms.`, 'TimeoutError'));
  }, ms);
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    dispose() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
    },
  };
}
