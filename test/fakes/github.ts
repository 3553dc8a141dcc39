// A fake GitHub REST API on 127.0.0.1 for repository variables (the `variable` checkpoint store).
// Routes are a table so later issues can add more (e.g. the Actions cache endpoints) with route().

import type { IncomingMessage, ServerResponse } from 'node:http';
import { flatHeaders, LoopbackServer, sendJson } from './http-util.js';

export interface GithubVariable {
  name: string;
  value: string;
  created_at: string;
  updated_at: string;
}

export interface GithubRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  /** The token the request carried (`token X` or `Bearer X`). */
  token: string | undefined;
  status?: number;
}

export type Access = 'read' | 'write';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  record: GithubRequest;
  params: string[];
  /** Answers JSON (or no body for 204) and records the status. */
  reply: (status: number, body?: unknown, headers?: Record<string, string>) => void;
  /** The caller's access: undefined when the token is unknown or missing. */
  access: Access | undefined;
}

export type RouteHandler = (ctx: RouteContext) => void | Promise<void>;

export interface FakeGithubOptions {
  owner?: string;
  repo?: string;
  /** Tokens that can read and write variables. Default ['ghp_writer']. */
  writeTokens?: string[];
  /** Tokens that can read but not write (like GITHUB_TOKEN). Default ['ghs_readonly']. */
  readTokens?: string[];
}

export class FakeGithub extends LoopbackServer {
  readonly owner: string;
  readonly repo: string;
  readonly writeTokens: Set<string>;
  readonly readTokens: Set<string>;
  /** Variables of owner/repo by upper-cased name. Preset or inspect freely. */
  readonly variables = new Map<string, GithubVariable>();
  readonly requests: GithubRequest[] = [];
  private readonly routes: Array<{ method: string; pattern: RegExp; handler: RouteHandler }> = [];

  constructor(opts: FakeGithubOptions = {}) {
    super();
    this.owner = opts.owner ?? 'acme';
    this.repo = opts.repo ?? 'ops';
    this.writeTokens = new Set(opts.writeTokens ?? ['ghp_writer']);
    this.readTokens = new Set(opts.readTokens ?? ['ghs_readonly']);
    this.installVariableRoutes();
  }

  /** Adds a route; `pattern` is matched against the path (no query), captures become params. */
  route(method: string, pattern: RegExp, handler: RouteHandler): void {
    this.routes.push({ method, pattern, handler });
  }

  /** Value of a variable, or undefined. */
  variable(name: string): string | undefined {
    return this.variables.get(name.toUpperCase())?.value;
  }

  /** Presets a variable. */
  setVariable(name: string, value: string): void {
    const now = new Date().toISOString();
    const prev = this.variables.get(name.toUpperCase());
    this.variables.set(name.toUpperCase(), {
      name: name.toUpperCase(),
      value,
      created_at: prev?.created_at ?? now,
      updated_at: now,
    });
  }

  /** Requests that create or update a variable (successful or not). */
  writeRequests(): GithubRequest[] {
    return this.requests.filter(
      (r) => (r.method === 'POST' || r.method === 'PATCH') && r.path.includes('/actions/variables'),
    );
  }

  protected async handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers = flatHeaders(req);
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(headers['authorization'] ?? '');
    const record: GithubRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
      token: m?.[1],
    };
    this.requests.push(record);
    const reply = (status: number, payload?: unknown, extra: Record<string, string> = {}): void => {
      record.status = status;
      const common = {
        'x-github-request-id': `FAKE:${this.requests.length}`,
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4999',
        ...extra,
      };
      if (payload === undefined) {
        res.writeHead(status, common);
        res.end();
      } else {
        sendJson(res, status, payload, common);
      }
    };
    const token = record.token;
    const access: Access | undefined =
      token === undefined
        ? undefined
        : this.writeTokens.has(token)
          ? 'write'
          : this.readTokens.has(token)
            ? 'read'
            : undefined;

    for (const route of this.routes) {
      if (route.method !== record.method) continue;
      const match = route.pattern.exec(record.path);
      if (!match) continue;
      if (access === undefined) {
        return reply(401, {
          message: 'Bad credentials',
          documentation_url: 'https://docs.github.com/rest',
          status: '401',
        });
      }
      return route.handler({
        req,
        res,
        record,
        params: match.slice(1).map((p) => decodeURIComponent(p ?? '')),
        reply,
        access,
      });
    }
    reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
  }

  private installVariableRoutes(): void {
    const repoOk = (owner: string | undefined, repo: string | undefined): boolean =>
      owner?.toLowerCase() === this.owner.toLowerCase() && repo?.toLowerCase() === this.repo.toLowerCase();
    const notFound = {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/actions/variables',
      status: '404',
    };
    const forbidden = (what: 'create' | 'update'): Record<string, string> => ({
      message: 'Resource not accessible by integration',
      documentation_url: `https://docs.github.com/rest/actions/variables#${what}-a-repository-variable`,
      status: '403',
    });

    this.route('GET', /^\/repos\/([^/]+)\/([^/]+)\/actions\/variables\/([^/]+)$/, ({ params, reply }) => {
      const [owner, repo, name] = params;
      if (!repoOk(owner, repo)) return reply(404, notFound);
      const v = this.variables.get((name ?? '').toUpperCase());
      return v ? reply(200, v) : reply(404, notFound);
    });

    this.route('GET', /^\/repos\/([^/]+)\/([^/]+)\/actions\/variables$/, ({ params, reply }) => {
      const [owner, repo] = params;
      if (!repoOk(owner, repo)) return reply(404, notFound);
      const variables = [...this.variables.values()];
      return reply(200, { total_count: variables.length, variables });
    });

    this.route(
      'POST',
      /^\/repos\/([^/]+)\/([^/]+)\/actions\/variables$/,
      ({ params, reply, access, record }) => {
        const [owner, repo] = params;
        if (!repoOk(owner, repo)) return reply(404, notFound);
        if (access !== 'write') return reply(403, forbidden('create'));
        const json = parseJson(record.body);
        const name = json?.['name'];
        const value = json?.['value'];
        if (typeof name !== 'string' || typeof value !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
          return reply(422, { message: 'Invalid request.', status: '422' });
        }
        if (this.variables.has(name.toUpperCase())) {
          return reply(409, { message: 'Already exists - Variable already exists', status: '409' });
        }
        this.setVariable(name, value);
        return reply(201, {});
      },
    );

    this.route(
      'PATCH',
      /^\/repos\/([^/]+)\/([^/]+)\/actions\/variables\/([^/]+)$/,
      ({ params, reply, access, record }) => {
        const [owner, repo, name] = params;
        if (!repoOk(owner, repo)) return reply(404, notFound);
        if (access !== 'write') return reply(403, forbidden('update'));
        const existing = this.variables.get((name ?? '').toUpperCase());
        if (!existing) return reply(404, notFound);
        const json = parseJson(record.body);
        const value = json?.['value'];
        const newName = json?.['name'];
        if (value !== undefined && typeof value !== 'string')
          return reply(422, { message: 'Invalid request.', status: '422' });
        if (newName !== undefined && typeof newName !== 'string')
          return reply(422, { message: 'Invalid request.', status: '422' });
        const target = (newName ?? existing.name).toUpperCase();
        if (target !== existing.name) this.variables.delete(existing.name);
        this.variables.set(target, {
          ...existing,
          name: target,
          value: value ?? existing.value,
          updated_at: new Date().toISOString(),
        });
        return reply(204);
      },
    );
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
