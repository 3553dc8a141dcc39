// The fake cache service against the REAL @actions/cache (in this process), plus its blob and REST
// endpoints by hand: what the e2e tests of the cache store rely on.

import * as cache from '@actions/cache';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACTIONS_WRITE_TOKEN, FakeCacheService, TWIRP_PREFIX } from './cache-service.js';

const ENV_KEYS = [
  'ACTIONS_CACHE_SERVICE_V2',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_CACHE_URL',
  'ACTIONS_CACHE_MODE',
  'GITHUB_SERVER_URL',
  'GITHUB_WORKSPACE',
  'RUNNER_TEMP',
  'RUNNER_DEBUG',
];

let service: FakeCacheService;
let dir: string;
let workspace: string;
let saved: Record<string, string | undefined>;

beforeEach(async () => {
  service = new FakeCacheService();
  await service.start();
  dir = await mkdtemp(join(tmpdir(), 'a0lw-fake-cache-'));
  workspace = join(dir, 'workspace');
  await mkdir(workspace);
  await mkdir(join(dir, 'temp'));
  saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
  Object.assign(process.env, {
    ACTIONS_CACHE_SERVICE_V2: 'true',
    ACTIONS_RESULTS_URL: service.resultsUrl,
    ACTIONS_RUNTIME_TOKEN: service.runtimeToken,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: join(dir, 'temp'),
  });
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const k of ENV_KEYS) {
    const v = saved[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await service.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs fn with stdout captured (what @actions/core prints: ::warning:: etc.). */
async function quiet<T>(fn: () => Promise<T>): Promise<{ value: T; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    return { value: await fn(), out };
  } finally {
    spy.mockRestore();
  }
}

function warnings(out: string): string[] {
  return out.split('\n').filter((l) => l.startsWith('::warning::') || l.startsWith('::error::'));
}

/** Writes `name` in the workspace and saves it under `key`; the cache id or -1. */
async function save(key: string, content: string, name = 'data.txt'): Promise<{ id: number; out: string }> {
  const file = join(workspace, name);
  await writeFile(file, content);
  const { value, out } = await quiet(() => cache.saveCache([file], key));
  await rm(file, { force: true });
  return { id: value, out };
}

async function restore(
  key: string,
  restoreKeys: string[] = [],
  opts: { name?: string; lookupOnly?: boolean } = {},
): Promise<{ key: string | undefined; content: string | undefined; out: string }> {
  const file = join(workspace, opts.name ?? 'data.txt');
  await rm(file, { force: true });
  const { value, out } = await quiet(() =>
    cache.restoreCache([file], key, restoreKeys, { lookupOnly: opts.lookupOnly ?? false }),
  );
  const content = await readFile(file, 'utf8').catch(() => undefined);
  return { key: value, content, out };
}

async function twirp(
  rpc: string,
  body: unknown,
  token = service.runtimeToken,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${service.origin}${TWIRP_PREFIX}${rpc}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function rest(method: string, path: string, token: string | undefined): Promise<Response> {
  return fetch(`${service.origin}${path}`, {
    method,
    headers: token === undefined ? {} : { authorization: `token ${token}` },
  });
}

describe('FakeCacheService with the real @actions/cache (v2)', () => {
  it('saves and restores a file; the entry is finalized with its size and version', async () => {
    expect(cache.isFeatureAvailable()).toBe(true);
    const { id } = await save('k-1-1', 'hello cache');
    expect(id).toBeGreaterThan(0);
    const [entry] = service.entries();
    expect(entry).toMatchObject({ id, key: 'k-1-1', ref: 'refs/heads/main', finalized: true });
    expect(entry?.version).toMatch(/^[0-9a-f]{64}$/);
    expect(entry?.size).toBe(service.archive('k-1-1')?.length);
    const r = await restore('k-1-1');
    expect(r.key).toBe('k-1-1');
    expect(r.content).toBe('hello cache');
    expect(warnings(r.out)).toEqual([]);
    expect(service.calls('twirp').map((c) => [c.rpc, c.status])).toEqual([
      ['CreateCacheEntry', 200],
      ['FinalizeCacheEntryUpload', 200],
      ['GetCacheEntryDownloadURL', 200],
    ]);
    // The Azure SDK uploaded with one PUT (x-ms-blob-type: BlockBlob); the download was a plain GET.
    expect(service.calls('blob').map((c) => [c.method, c.headers['x-ms-blob-type'], c.status])).toEqual([
      ['PUT', 'BlockBlob', 201],
      ['GET', undefined, 200],
    ]);
  });

  it('keys are immutable per (key, version): a second save answers 409 and saveCache returns -1', async () => {
    expect((await save('k-2-1', 'first')).id).toBeGreaterThan(0);
    const second = await save('k-2-1', 'second');
    expect(second.id).toBe(-1);
    expect(second.out).toContain('Failed to save: Unable to reserve cache with key k-2-1');
    expect(service.calls('twirp', 'CreateCacheEntry').map((c) => c.status)).toEqual([200, 409]);
    expect((await restore('k-2-1')).content).toBe('first');
    // Another path list is another version: the same key is free there, and invisible from here.
    expect((await save('k-2-1', 'other', 'other.txt')).id).toBeGreaterThan(0);
    expect((await restore('k-2-1')).content).toBe('first');
    expect((await restore('k-2-1', [], { name: 'other.txt' })).content).toBe('other');
  });

  it('lookup: exact key, then the key as a prefix, then restore keys in order; the newest created wins', async () => {
    await save('p-99-1', 'A');
    await save('p-100-1', 'B');
    await save('p-100-1-2', 'C');
    await save('q-5-1', 'D');
    expect(await restore('p-101-1', ['p-'])).toMatchObject({ key: 'p-100-1-2', content: 'C' });
    expect(await restore('p-99-1', ['p-'])).toMatchObject({ key: 'p-99-1', content: 'A' });
    expect((await restore('p-100', [], { lookupOnly: true })).key).toBe('p-100-1-2');
    expect((await restore('x', ['q-', 'p-'], { lookupOnly: true })).key).toBe('q-5-1');
    expect((await restore('x', ['z-', 'p-9'], { lookupOnly: true })).key).toBe('p-99-1');
    expect((await restore('p-101-1', ['p-'], { name: 'other.txt', lookupOnly: true })).key).toBeUndefined();
  });

  it('a miss returns undefined without a warning; lookupOnly never touches the blob', async () => {
    await save('m-1-1', 'x');
    const blobCalls = service.calls('blob').length;
    const miss = await restore('n-1-1', ['n-']);
    expect(miss.key).toBeUndefined();
    expect(warnings(miss.out)).toEqual([]);
    expect((await restore('m-2-1', ['m-'], { lookupOnly: true })).key).toBe('m-1-1');
    expect(service.calls('blob')).toHaveLength(blobCalls);
  });

  it('refused saves and rejected uploads make saveCache return -1 (it does not throw)', async () => {
    for (const refusal of ['write-denied', 'conflict', 'quota'] as const) {
      service.refuseSaves = refusal;
      expect((await save(`r-${refusal}`, 'x')).id).toBe(-1);
    }
    service.refuseSaves = false;
    service.failUploads = true;
    const upload = await save('r-upload', 'x');
    expect(upload.id).toBe(-1);
    expect(upload.out).toContain('::warning::');
    expect(service.keys()).toEqual([]);
  });

  it('a download fault makes restoreCache warn and return undefined; lookupOnly still finds the key', async () => {
    await save('d-1-1', 'x');
    for (const fault of ['server-error', 'corrupt'] as const) {
      service.failDownloads = fault;
      const r = await restore('d-2-1', ['d-']);
      expect(r.key).toBeUndefined();
      expect(warnings(r.out).join('\n')).toContain('Failed to restore');
      expect((await restore('d-2-1', ['d-'], { lookupOnly: true })).key).toBe('d-1-1');
    }
  });

  it('a lookup fault makes restoreCache (and lookupOnly) warn and return undefined, like a miss', async () => {
    await save('l-1-1', 'x');
    for (const fault of ['unauthenticated', 'read-denied'] as const) {
      service.failLookups = fault;
      for (const lookupOnly of [false, true]) {
        const r = await restore('l-2-1', ['l-'], { lookupOnly });
        expect(r.key).toBeUndefined();
        expect(warnings(r.out).join('\n')).toMatch(
          /Failed to restore: Failed to GetCacheEntryDownloadURL: .*\((401|403)\)/,
        );
      }
    }
  });
});

describe('FakeCacheService protocol details', () => {
  it('twirp needs the runtime token and answers twirp errors', async () => {
    expect((await twirp('GetCacheEntryDownloadURL', { key: 'a', version: 'v' }, 'wrong')).status).toBe(401);
    expect((await twirp('GetCacheEntryDownloadURL', { key: 'a', version: 'v' })).json).toMatchObject({
      ok: false,
    });
    expect((await twirp('CreateCacheEntry', { key: '', version: 'v' })).json).toMatchObject({
      code: 'invalid_argument',
    });
    expect((await twirp('Nope', { key: 'a', version: 'v' })).status).toBe(404);
  });

  it('blobs: Put Block + Put Block List, ranged GET, signatures and permissions checked', async () => {
    const created = await twirp('CreateCacheEntry', { key: 'b-1', version: 'v1' });
    const upload = String(created.json['signed_upload_url']);
    const put = (query: string, body: string, headers: Record<string, string> = {}): Promise<Response> =>
      fetch(`${upload}&${query}`, { method: 'PUT', body, headers });
    expect((await put('comp=block&blockid=QQ%3D%3D', 'hello ')).status).toBe(201);
    expect((await put('comp=block&blockid=Qg%3D%3D', 'world')).status).toBe(201);
    const list =
      '<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>QQ==</Latest><Latest>Qg==</Latest></BlockList>';
    expect((await put('comp=blocklist', list)).status).toBe(201);
    // Finalizing checks the size.
    expect(
      (await twirp('FinalizeCacheEntryUpload', { key: 'b-1', version: 'v1', size_bytes: '3' })).status,
    ).toBe(400);
    const fin = await twirp('FinalizeCacheEntryUpload', { key: 'b-1', version: 'v1', size_bytes: '11' });
    expect(fin.json).toMatchObject({ ok: true, entry_id: expect.stringMatching(/^\d+$/) as unknown });
    // A finalized blob cannot be changed.
    expect(
      (await fetch(upload, { method: 'PUT', body: 'x', headers: { 'x-ms-blob-type': 'BlockBlob' } })).status,
    ).toBe(409);

    const found = await twirp('GetCacheEntryDownloadURL', {
      key: 'b-2',
      restore_keys: ['b-'],
      version: 'v1',
    });
    expect(found.json).toMatchObject({ ok: true, matched_key: 'b-1' });
    const download = String(found.json['signed_download_url']);
    expect(await (await fetch(download)).text()).toBe('hello world');
    const ranged = await fetch(download, { headers: { 'x-ms-range': 'bytes=6-10' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe('bytes 6-10/11');
    expect(await ranged.text()).toBe('world');
    const head = await fetch(download, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe('11');
    // The download URL cannot write, the upload URL cannot read, a forged signature is refused.
    expect(
      (await fetch(download, { method: 'PUT', body: 'x', headers: { 'x-ms-blob-type': 'BlockBlob' } }))
        .status,
    ).toBe(403);
    expect((await fetch(upload)).status).toBe(403);
    const forged = new URL(download);
    forged.searchParams.set('sig', 'forged');
    const refused = await fetch(forged);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-ms-error-code')).toBe('AuthenticationFailed');
  });

  it('REST: lists by key prefix and ref with pagination; only a write token deletes', async () => {
    for (const key of ['s-1-1', 's-2-1', 's-3-1', 'other-1-1']) {
      const c = await twirp('CreateCacheEntry', { key, version: 'v' });
      await fetch(String(c.json['signed_upload_url']), {
        method: 'PUT',
        body: key,
        headers: { 'x-ms-blob-type': 'BlockBlob' },
      });
      await twirp('FinalizeCacheEntryUpload', { key, version: 'v', size_bytes: String(key.length) });
    }
    service.ref = 'refs/heads/feature';
    const c = await twirp('CreateCacheEntry', { key: 's-9-1', version: 'v' });
    await fetch(String(c.json['signed_upload_url']), {
      method: 'PUT',
      body: 'f',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
    });
    await twirp('FinalizeCacheEntryUpload', { key: 's-9-1', version: 'v', size_bytes: '1' });

    expect((await rest('GET', '/repos/acme/ops/actions/caches', undefined)).status).toBe(401);
    const page1 = await rest(
      'GET',
      '/repos/acme/ops/actions/caches?key=s-&ref=refs%2Fheads%2Fmain&per_page=2',
      'ghs_any',
    );
    expect(page1.status).toBe(200);
    const body1 = (await page1.json()) as {
      total_count: number;
      actions_caches: Array<{ id: number; key: string; ref: string }>;
    };
    expect(body1.total_count).toBe(3);
    expect(body1.actions_caches.map((e) => e.key)).toEqual(['s-3-1', 's-2-1']);
    const next = /<([^>]+)>; rel="next"/.exec(page1.headers.get('link') ?? '')?.[1];
    expect(next).toBeDefined();
    const body2 = (await (
      await fetch(next!, { headers: { authorization: 'token ghs_any' } })
    ).json()) as typeof body1;
    expect(body2.actions_caches.map((e) => e.key)).toEqual(['s-1-1']);
    const all = (await (
      await rest('GET', '/repos/acme/ops/actions/caches?key=s-', 'ghs_any')
    ).json()) as typeof body1;
    expect(all.actions_caches.map((e) => [e.ref, e.key])).toContainEqual(['refs/heads/feature', 's-9-1']);

    const id = body2.actions_caches[0]!.id;
    const denied = await rest('DELETE', `/repos/acme/ops/actions/caches/${id}`, 'ghs_any');
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ message: 'Resource not accessible by integration' });
    expect((await rest('DELETE', `/repos/acme/ops/actions/caches/${id}`, ACTIONS_WRITE_TOKEN)).status).toBe(
      204,
    );
    expect((await rest('DELETE', `/repos/acme/ops/actions/caches/${id}`, ACTIONS_WRITE_TOKEN)).status).toBe(
      404,
    );
    expect(service.keys()).toEqual(['s-2-1', 's-3-1', 'other-1-1', 's-9-1']);
    expect((await rest('GET', '/repos/acme/other/actions/caches', 'ghs_any')).status).toBe(404);
  });
});
