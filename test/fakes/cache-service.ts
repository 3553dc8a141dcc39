// A fake GitHub Actions cache on 127.0.0.1 that the REAL @actions/cache 6 talks to, as on github.com:
//
// - the v2 twirp CacheService (JSON): CreateCacheEntry, FinalizeCacheEntryUpload,
//   GetCacheEntryDownloadURL under /twirp/github.actions.results.api.v1.CacheService/ — the client
//   finds it through ACTIONS_CACHE_SERVICE_V2 + ACTIONS_RESULTS_URL and sends ACTIONS_RUNTIME_TOKEN
//   as a bearer token;
// - blob storage behind signed URLs (path-style, like the Azure emulator: /{account}/{container}/{blob}
//   ?sv=..&sp=..&sig=..): the PUT the Azure SDK's BlockBlobClient sends (single shot with
//   x-ms-blob-type: BlockBlob, or Put Block + Put Block List), and GET/HEAD with ranges;
// - the GitHub REST endpoints for listing and deleting cache entries (point GITHUB_API_URL here).
//
// As the real service: a (key, version, scope) is immutable (a second CreateCacheEntry answers
// 409 already_exists); a lookup tries the key exactly, then the key as a prefix, then each restore
// key as a prefix (newest created first), same version only, in the run's ref and then the default
// branch; a miss answers ok:false. Faults are switched on per test (refuseSaves, failUploads,
// failDownloads, failLookups).

import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { flatHeaders, LoopbackServer, sendJson } from './http-util.js';

export const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.CacheService/';
/** A token that may delete cache entries through the REST API (actions: write). */
export const ACTIONS_WRITE_TOKEN = 'ghp_actions_write';
const ACCOUNT = 'devstoreaccount1';
const CONTAINER = 'actions-cache';
const EPOCH_MS = Date.UTC(2026, 10, 1, 0, 0, 0);

/** How CreateCacheEntry refuses a save (what the real service answers in each case). */
export type SaveRefusal =
  /** 200 ok:false "cache write denied: ..." (a token without writable cache scopes). */
  | 'write-denied'
  /** 409 already_exists for every key (as if another job had created it). */
  | 'conflict'
  /** 429 resource_exhausted "insufficient usage ..." (the repository's cache quota). */
  | 'quota';

/** How GetCacheEntryDownloadURL fails (non-retryable answers: the client gives up at once). */
export type LookupFault =
  /** 401 unauthenticated (an expired runtime token). */
  | 'unauthenticated'
  /** 403 permission_denied "cache read denied: ..." (a token without readable cache scopes). */
  | 'read-denied';

/** How a blob GET fails once an entry was found. */
export type DownloadFault =
  /** 500 InternalError (the blob store is down). */
  | 'server-error'
  /** 200 with bytes that are not the archive (tar cannot extract them). */
  | 'corrupt';

export interface FakeCacheServiceOptions {
  /** The bearer token twirp calls must carry (ACTIONS_RUNTIME_TOKEN). Default: an unsigned JWT. */
  runtimeToken?: string;
  /** The scope (ref) of the run's token: new entries get it. Default refs/heads/main. */
  ref?: string;
  /** Entries of this ref are readable from every ref. Default refs/heads/main. */
  defaultBranchRef?: string;
  owner?: string;
  repo?: string;
  /** REST tokens that may delete entries. Default [ACTIONS_WRITE_TOKEN]; any other token may list. */
  writeTokens?: string[];
}

export interface CacheEntryInfo {
  /** The entry id (REST `id`, twirp `entry_id`). */
  id: number;
  key: string;
  version: string;
  ref: string;
  /** Creation order across the service (1, 2, ...): the larger, the newer. */
  created: number;
  createdAt: string;
  lastAccessedAt: string;
  /** Archive size once finalized. */
  size: number | undefined;
  finalized: boolean;
}

export interface CacheRequest {
  kind: 'twirp' | 'blob' | 'rest';
  method: string;
  /** Path without the query. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The twirp method (CreateCacheEntry ...) for kind 'twirp'. */
  rpc?: string;
  /** The parsed JSON body of a twirp call. */
  json?: Record<string, unknown>;
  /** The REST token (`token X` / `Bearer X`) for kind 'rest'. */
  token?: string;
  status?: number;
}

interface Entry extends CacheEntryInfo {
  blobName: string;
  /** Committed blob content. */
  blob: Buffer | undefined;
  /** Staged blocks (Put Block) by block id. */
  blocks: Map<string, Buffer>;
}

/** An unsigned JWT shaped like a runner's ACTIONS_RUNTIME_TOKEN (the client only forwards it). */
export function fakeRuntimeToken(ref = 'refs/heads/main'): string {
  const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const claims = {
    scp: `Actions.Results:fake-run:fake-job Actions.GenericRead:00000000-0000-0000-0000-000000000000`,
    ac: JSON.stringify([{ Scope: ref, Permission: 3 }]),
    iss: 'vstoken.actions.githubusercontent.com',
    exp: 4102444800,
  };
  return `${b64({ typ: 'JWT', alg: 'none' })}.${b64(claims)}.`;
}

export class FakeCacheService extends LoopbackServer {
  readonly runtimeToken: string;
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranchRef: string;
  readonly writeTokens: Set<string>;
  /** The ref new entries are created in and lookups search first (the run's scope). */
  ref: string;
  /** Makes CreateCacheEntry refuse every save (true = 'write-denied'). */
  refuseSaves: boolean | SaveRefusal = false;
  /** Makes blob PUTs answer 403 AuthenticationFailed (the Azure SDK does not retry a 403). */
  failUploads = false;
  /** Makes GetCacheEntryDownloadURL fail (true = 'unauthenticated'). */
  failLookups: boolean | LookupFault = false;
  /** Makes the blob GET of a found entry fail (true = 'server-error'). */
  failDownloads: boolean | DownloadFault = false;
  readonly requests: CacheRequest[] = [];
  /** Requests it says yes to are recorded and never answered (a stalled service). */
  stall: ((req: CacheRequest) => boolean) | undefined;
  /** Requests left unanswered by `stall`. */
  stalled = 0;

  private readonly store: Entry[] = [];
  private readonly signingKey = randomBytes(16);
  private nextId = 101;
  private ticks = 0;

  constructor(opts: FakeCacheServiceOptions = {}) {
    super();
    this.ref = opts.ref ?? 'refs/heads/main';
    this.defaultBranchRef = opts.defaultBranchRef ?? 'refs/heads/main';
    this.runtimeToken = opts.runtimeToken ?? fakeRuntimeToken(this.ref);
    this.owner = opts.owner ?? 'acme';
    this.repo = opts.repo ?? 'ops';
    this.writeTokens = new Set(opts.writeTokens ?? [ACTIONS_WRITE_TOKEN]);
  }

  /** ACTIONS_RESULTS_URL as the runner gives it (with a trailing slash). */
  get resultsUrl(): string {
    return `${this.origin}/`;
  }

  /** The env a runner gives a step for the cache (v2) plus GITHUB_API_URL for the REST endpoints. */
  env(): Record<string, string> {
    return {
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: this.resultsUrl,
      ACTIONS_RUNTIME_TOKEN: this.runtimeToken,
      GITHUB_API_URL: this.origin,
    };
  }

  /** Every entry (finalized or only reserved), oldest first. */
  entries(): CacheEntryInfo[] {
    return this.store.map((e) => ({
      id: e.id,
      key: e.key,
      version: e.version,
      ref: e.ref,
      created: e.created,
      createdAt: e.createdAt,
      lastAccessedAt: e.lastAccessedAt,
      size: e.size,
      finalized: e.finalized,
    }));
  }

  /** Keys of the finalized entries, oldest first. */
  keys(): string[] {
    return this.store.filter((e) => e.finalized).map((e) => e.key);
  }

  /** The archive of a finalized entry (by key; the newest if several versions). */
  archive(key: string): Buffer | undefined {
    return this.newest(this.store.filter((e) => e.finalized && e.key === key))?.blob;
  }

  /** Requests of one kind (and twirp method). */
  calls(kind: CacheRequest['kind'], rpc?: string): CacheRequest[] {
    return this.requests.filter((r) => r.kind === kind && (rpc === undefined || r.rpc === rpc));
  }

  // ---- dispatch ----------------------------------------------------------------------------------

  protected async handle(
    req: IncomingMessage,
    res: ServerResponse,
    _text: string,
    body: Buffer,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record: CacheRequest = {
      kind: 'rest',
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: flatHeaders(req),
    };
    this.requests.push(record);
    if (url.pathname.startsWith(TWIRP_PREFIX)) {
      record.kind = 'twirp';
      record.rpc = url.pathname.slice(TWIRP_PREFIX.length);
    } else if (url.pathname.startsWith(`/${ACCOUNT}/${CONTAINER}/`)) {
      record.kind = 'blob';
    }
    if (this.stall?.(record)) {
      this.stalled++;
      return;
    }
    if (record.kind === 'twirp') return this.twirp(record, res, body);
    if (record.kind === 'blob') return this.blob(record, req, res, body, url);
    return this.rest(record, res);
  }

  // ---- twirp -------------------------------------------------------------------------------------

  private twirp(record: CacheRequest, res: ServerResponse, body: Buffer): void {
    const reply = (status: number, payload: unknown): void => {
      record.status = status;
      sendJson(res, status, payload);
    };
    const error = (status: number, code: string, msg: string): void => reply(status, { code, msg });
    if (record.method !== 'POST')
      return error(404, 'bad_route', `no handler for ${record.method} ${record.path}`);
    if (record.headers['authorization'] !== `Bearer ${this.runtimeToken}`) {
      return error(401, 'unauthenticated', 'invalid or missing runtime token');
    }
    let json: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      json = parsed as Record<string, unknown>;
    } catch {
      return error(400, 'malformed', 'the request body is not a JSON object');
    }
    record.json = json;
    const key = typeof json['key'] === 'string' ? json['key'] : '';
    const version = typeof json['version'] === 'string' ? json['version'] : '';
    if (key === '' || version === '') return error(400, 'invalid_argument', 'key and version are required');

    switch (record.rpc) {
      case 'CreateCacheEntry': {
        const refusal = this.refuseSaves === true ? 'write-denied' : this.refuseSaves;
        if (refusal === 'write-denied')
          return reply(200, { ok: false, message: 'cache write denied: token has no writable scopes' });
        if (refusal === 'quota')
          return error(429, 'resource_exhausted', 'insufficient usage to create cache entry');
        if (
          refusal === 'conflict' ||
          this.store.some((e) => e.key === key && e.version === version && e.ref === this.ref)
        ) {
          return error(
            409,
            'already_exists',
            'cache entry with the same key, version, and scope already exists',
          );
        }
        const { seq, iso } = this.tick();
        const id = this.nextId++;
        const entry: Entry = {
          id,
          key,
          version,
          ref: this.ref,
          created: seq,
          createdAt: iso,
          lastAccessedAt: iso,
          size: undefined,
          finalized: false,
          blobName: `${id}-${randomBytes(6).toString('hex')}`,
          blob: undefined,
          blocks: new Map(),
        };
        this.store.push(entry);
        return reply(200, { ok: true, signed_upload_url: this.signedUrl(entry, 'cw') });
      }
      case 'FinalizeCacheEntryUpload': {
        const entry = this.store.find(
          (e) => e.key === key && e.version === version && e.ref === this.ref && !e.finalized,
        );
        if (!entry) return error(404, 'not_found', 'cache entry not found');
        const size = Number(json['size_bytes'] ?? NaN);
        if (!entry.blob) return error(412, 'failed_precondition', 'the cache entry has no uploaded content');
        if (size !== entry.blob.length) {
          return error(
            400,
            'invalid_argument',
            `size_bytes ${String(json['size_bytes'])} does not match the uploaded ${entry.blob.length} bytes`,
          );
        }
        entry.finalized = true;
        entry.size = size;
        return reply(200, { ok: true, entry_id: String(entry.id) });
      }
      case 'GetCacheEntryDownloadURL': {
        const fault = this.failLookups === true ? 'unauthenticated' : this.failLookups;
        if (fault === 'unauthenticated')
          return error(401, 'unauthenticated', 'the runtime token has expired');
        if (fault === 'read-denied')
          return error(403, 'permission_denied', 'cache read denied: token has no readable scopes');
        const restoreKeys = Array.isArray(json['restore_keys'])
          ? json['restore_keys'].filter((k) => typeof k === 'string')
          : [];
        const entry = this.lookup(key, restoreKeys, version);
        if (!entry) return reply(200, { ok: false, signed_download_url: '', matched_key: '' });
        entry.lastAccessedAt = this.tick().iso;
        return reply(200, {
          ok: true,
          signed_download_url: this.signedUrl(entry, 'r'),
          matched_key: entry.key,
        });
      }
      default:
        return error(404, 'bad_route', `no handler for ${record.path}`);
    }
  }

  /** Exact key, then the key as a prefix, then each restore key as a prefix; in the run's ref, then the default branch. */
  private lookup(key: string, restoreKeys: string[], version: string): Entry | undefined {
    const refs = this.ref === this.defaultBranchRef ? [this.ref] : [this.ref, this.defaultBranchRef];
    for (const ref of refs) {
      const candidates = this.store.filter((e) => e.finalized && e.ref === ref && e.version === version);
      const exact = this.newest(candidates.filter((e) => e.key === key));
      if (exact) return exact;
      for (const prefix of [key, ...restoreKeys]) {
        const hit = this.newest(candidates.filter((e) => e.key.startsWith(prefix)));
        if (hit) return hit;
      }
    }
    return undefined;
  }

  private newest(list: Entry[]): Entry | undefined {
    return list.reduce<Entry | undefined>(
      (best, e) => (!best || e.created > best.created ? e : best),
      undefined,
    );
  }

  private tick(): { seq: number; iso: string } {
    this.ticks++;
    return { seq: this.ticks, iso: new Date(EPOCH_MS + this.ticks * 1000).toISOString() };
  }

  // ---- blobs -------------------------------------------------------------------------------------

  private signature(blobName: string, permissions: string): string {
    return createHmac('sha256', this.signingKey).update(`${permissions}\n${blobName}`).digest('base64');
  }

  private signedUrl(entry: Entry, permissions: 'cw' | 'r'): string {
    const q = new URLSearchParams({
      sv: '2025-01-05',
      se: new Date(EPOCH_MS + 86_400_000).toISOString(),
      sr: 'b',
      sp: permissions,
      sig: this.signature(entry.blobName, permissions),
    });
    return `${this.origin}/${ACCOUNT}/${CONTAINER}/${entry.blobName}?${q.toString()}`;
  }

  private blob(
    record: CacheRequest,
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    url: URL,
  ): void {
    const requestId = `fake-${this.requests.length}`;
    const common = {
      'x-ms-request-id': requestId,
      'x-ms-version': '2025-01-05',
      date: new Date().toUTCString(),
    };
    const storageError = (status: number, code: string, message: string): void => {
      record.status = status;
      const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:${requestId}</Message></Error>`;
      res.writeHead(status, {
        ...common,
        'x-ms-error-code': code,
        'content-type': 'application/xml',
        'content-length': String(Buffer.byteLength(xml)),
      });
      res.end(req.method === 'HEAD' ? undefined : xml);
    };
    const blobName = url.pathname.slice(`/${ACCOUNT}/${CONTAINER}/`.length);
    const entry = this.store.find((e) => e.blobName === blobName);
    const sp = url.searchParams.get('sp') ?? '';
    const sig = url.searchParams.get('sig') ?? '';
    if (!entry || sig !== this.signature(blobName, sp)) {
      return storageError(
        403,
        'AuthenticationFailed',
        'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.',
      );
    }
    const etag = `"0x8D${entry.id.toString(16).toUpperCase().padStart(12, '0')}"`;
    const lastModified = new Date(entry.createdAt).toUTCString();

    if (record.method === 'PUT') {
      if (!sp.includes('w'))
        return storageError(
          403,
          'AuthorizationPermissionMismatch',
          'This request is not authorized to perform this operation using this permission.',
        );
      if (this.failUploads)
        return storageError(403, 'AuthenticationFailed', 'Signed expiry time has passed.');
      if (entry.finalized)
        return storageError(
          409,
          'BlobImmutableDueToPolicy',
          'The blob of a finalized cache entry cannot be changed.',
        );
      const comp = url.searchParams.get('comp');
      const created = (): void => {
        record.status = 201;
        res.writeHead(201, {
          ...common,
          etag,
          'last-modified': lastModified,
          'x-ms-request-server-encrypted': 'true',
          'content-length': '0',
        });
        res.end();
      };
      if (comp === 'block') {
        const blockId = url.searchParams.get('blockid') ?? '';
        if (blockId === '') return storageError(400, 'InvalidQueryParameterValue', 'blockid is required');
        entry.blocks.set(blockId, body);
        return created();
      }
      if (comp === 'blocklist') {
        const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//g)].map(
          (m) => m[1] ?? '',
        );
        const parts: Buffer[] = [];
        for (const id of ids) {
          const block = entry.blocks.get(id);
          if (!block) return storageError(400, 'InvalidBlockList', `block ${id} was not staged`);
          parts.push(block);
        }
        entry.blob = Buffer.concat(parts);
        entry.blocks.clear();
        return created();
      }
      if (comp !== null)
        return storageError(400, 'InvalidQueryParameterValue', `comp=${comp} is not supported`);
      if ((record.headers['x-ms-blob-type'] ?? '') !== 'BlockBlob') {
        return storageError(
          400,
          'MissingRequiredHeader',
          'An HTTP header that is mandatory for this request is not specified: x-ms-blob-type',
        );
      }
      entry.blob = body;
      return created();
    }

    if (record.method === 'GET' || record.method === 'HEAD') {
      if (!sp.includes('r'))
        return storageError(
          403,
          'AuthorizationPermissionMismatch',
          'This request is not authorized to perform this operation using this permission.',
        );
      if (!entry.finalized || !entry.blob)
        return storageError(404, 'BlobNotFound', 'The specified blob does not exist.');
      const fault = this.failDownloads === true ? 'server-error' : this.failDownloads;
      if (fault === 'server-error')
        return storageError(
          500,
          'InternalError',
          'The server encountered an internal error. Please retry the request.',
        );
      const content = fault === 'corrupt' ? Buffer.alloc(entry.blob.length, 0x5a) : entry.blob;
      const headers: Record<string, string> = {
        ...common,
        etag,
        'last-modified': lastModified,
        'accept-ranges': 'bytes',
        'content-type': 'application/octet-stream',
        'x-ms-blob-type': 'BlockBlob',
        'x-ms-server-encrypted': 'true',
      };
      const range = /^bytes=(\d+)-(\d*)$/.exec(record.headers['x-ms-range'] ?? record.headers['range'] ?? '');
      let status = 200;
      let slice = content;
      if (range) {
        const start = Number(range[1]);
        const end = range[2] ? Math.min(Number(range[2]), content.length - 1) : content.length - 1;
        if (start >= content.length || end < start) {
          res.setHeader('content-range', `bytes */${content.length}`);
          return storageError(
            416,
            'InvalidRange',
            'The range specified is invalid for the current size of the resource.',
          );
        }
        status = 206;
        slice = content.subarray(start, end + 1);
        headers['content-range'] = `bytes ${start}-${end}/${content.length}`;
      }
      headers['content-length'] = String(slice.length);
      record.status = status;
      res.writeHead(status, headers);
      res.end(record.method === 'HEAD' ? undefined : slice);
      return;
    }
    return storageError(405, 'UnsupportedHttpVerb', `${record.method} is not supported`);
  }

  // ---- REST: list and delete ---------------------------------------------------------------------

  private rest(record: CacheRequest, res: ServerResponse): void {
    const reply = (status: number, payload?: unknown, extra: Record<string, string> = {}): void => {
      record.status = status;
      const headers = {
        'x-github-request-id': `FAKE:${this.requests.length}`,
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4999',
        ...extra,
      };
      if (payload === undefined) {
        res.writeHead(status, headers);
        res.end();
      } else {
        sendJson(res, status, payload, headers);
      }
    };
    const notFound = (): void =>
      reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(record.headers['authorization'] ?? '');
    record.token = m?.[1];

    const list = /^\/repos\/([^/]+)\/([^/]+)\/actions\/caches$/.exec(record.path);
    const one = /^\/repos\/([^/]+)\/([^/]+)\/actions\/caches\/(\d+)$/.exec(record.path);
    const match = list ?? one;
    if (!match) return notFound();
    if (record.token === undefined) {
      return reply(401, {
        message: 'Requires authentication',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      });
    }
    if (
      decodeURIComponent(match[1] ?? '').toLowerCase() !== this.owner.toLowerCase() ||
      decodeURIComponent(match[2] ?? '').toLowerCase() !== this.repo.toLowerCase()
    ) {
      return notFound();
    }

    if (list && record.method === 'GET') {
      const { key, ref } = record.query;
      const perPage = Math.min(Math.max(Number(record.query['per_page'] ?? 30) || 30, 1), 100);
      const page = Math.max(Number(record.query['page'] ?? 1) || 1, 1);
      const sortBy = record.query['sort'] ?? 'last_accessed_at';
      const ascending = record.query['direction'] === 'asc';
      const field = (e: Entry): string | number =>
        sortBy === 'created_at' ? e.created : sortBy === 'size_in_bytes' ? (e.size ?? 0) : e.lastAccessedAt;
      const matching = this.store
        .filter(
          (e) =>
            e.finalized &&
            (key === undefined || e.key.startsWith(key)) &&
            (ref === undefined || e.ref === ref),
        )
        .sort((a, b) => {
          const fa = field(a);
          const fb = field(b);
          const c = fa < fb ? -1 : fa > fb ? 1 : a.created - b.created;
          return ascending ? c : -c;
        });
      const pageItems = matching.slice((page - 1) * perPage, page * perPage);
      const lastPage = Math.max(1, Math.ceil(matching.length / perPage));
      const headers: Record<string, string> = {};
      if (page < lastPage) {
        const link = (p: number): string => {
          const q = new URLSearchParams({ ...record.query, page: String(p) });
          return `${this.origin}${record.path}?${q.toString()}`;
        };
        headers['link'] = `<${link(page + 1)}>; rel="next", <${link(lastPage)}>; rel="last"`;
      }
      return reply(
        200,
        {
          total_count: matching.length,
          actions_caches: pageItems.map((e) => ({
            id: e.id,
            ref: e.ref,
            key: e.key,
            version: e.version,
            last_accessed_at: e.lastAccessedAt,
            created_at: e.createdAt,
            size_in_bytes: e.size ?? 0,
          })),
        },
        headers,
      );
    }

    if (one && record.method === 'DELETE') {
      if (!this.writeTokens.has(record.token)) {
        return reply(403, {
          message: 'Resource not accessible by integration',
          documentation_url:
            'https://docs.github.com/rest/actions/cache#delete-a-github-actions-cache-for-a-repository-using-a-cache-id',
          status: '403',
        });
      }
      const id = Number(one[3]);
      const index = this.store.findIndex((e) => e.id === id && e.finalized);
      if (index < 0) return notFound();
      this.store.splice(index, 1);
      return reply(204);
    }
    return notFound();
  }
}
