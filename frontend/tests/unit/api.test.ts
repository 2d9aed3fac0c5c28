import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApi, download, filenameFrom, multipart, ok, uploader } from '../../src/lib/api';

const BASE = 'http://pantau.test';

function fakeFetch(responses: (Response | Error)[]) {
  const calls: Request[] = [];
  const fn = vi.fn(async (r: Request) => {
    calls.push(r);
    const x = responses.shift();
    if (!x) throw new Error('no more responses');
    if (x instanceof Error) throw x;
    return x;
  });
  return { fn, calls };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('API client (openapi-fetch over the generated types)', () => {
  it('sends the language, and the CSRF token only on state-changing calls', async () => {
    const f = fakeFetch([json(200, [{ year: 2019, name: 'x', deadline: null, version: 1 }]), json(201, { year: 2020 })]);
    const api = createApi({ base: BASE, fetch: f.fn, lang: () => 'en', csrf: () => 'tok123' });
    const periods = await ok(api.GET('/api/v1/periods'));
    expect(periods[0].year).toBe(2019);
    await ok(api.POST('/api/v1/periods', { body: { year: 2020, name: 'x' } }));
    expect(f.calls[0].url).toBe(`${BASE}/api/v1/periods`);
    expect(f.calls[0].headers.get('Accept-Language')).toBe('en');
    expect(f.calls[0].headers.get('X-CSRF-Token')).toBeNull();
    expect(f.calls[1].method).toBe('POST');
    expect(f.calls[1].headers.get('X-CSRF-Token')).toBe('tok123');
    expect(f.calls[1].headers.get('Content-Type')).toBe('application/json');
    expect(await f.calls[1].text()).toBe('{"year":2020,"name":"x"}');
    expect(f.calls[1].credentials).toBe('same-origin');
  });

  it('fills path parameters, escaping them, and query parameters', async () => {
    const f = fakeFetch([json(200, []), json(200, [])]);
    const api = createApi({ base: BASE, fetch: f.fn, lang: () => 'id', csrf: () => null });
    await ok(api.GET('/api/v1/periods/{year}/regions/{code}/items', { params: { path: { year: 2019, code: '62.08' } } }));
    await ok(api.GET('/api/v1/periods/{year}/review-queue', { params: { path: { year: 2019 }, query: { limit: 5 } } }));
    expect(f.calls[0].url).toBe(`${BASE}/api/v1/periods/2019/regions/62.08/items`);
    expect(f.calls[1].url).toBe(`${BASE}/api/v1/periods/2019/review-queue?limit=5`);
  });

  it("turns the contract's error body into an ApiError with its fields", async () => {
    const f = fakeFetch([json(422, { error: { code: 'validation_failed', message: 'Beberapa isian tidak valid.', fields: { progress: 'Harus antara 0 dan 100.' } } })]);
    const api = createApi({ base: BASE, fetch: f.fn, lang: () => 'id', csrf: () => 't' });
    const err = await ok(api.PATCH('/api/v1/periods/{year}/regions/{code}/items/{indicator}', { params: { path: { year: 2019, code: '62', indicator: 'X' } }, body: { progress: 120 } })).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.code).toBe('validation_failed');
    expect(err.message).toBe('Beberapa isian tidak valid.');
    expect(err.field('progress')).toBe('Harus antara 0 dan 100.');
  });

  it('reports a 401 on a signed-in call, but not a failed sign-in', async () => {
    const gone = vi.fn();
    const unauth = { error: { code: 'unauthenticated', message: 'Silakan masuk terlebih dahulu.' } };
    const f = fakeFetch([json(401, unauth), json(401, unauth)]);
    const api = createApi({ base: BASE, fetch: f.fn, lang: () => 'id', csrf: () => null, onUnauthenticated: gone });
    await expect(ok(api.GET('/api/v1/me'))).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(gone).toHaveBeenCalledTimes(1);
    await expect(ok(api.POST('/api/v1/auth/login', { body: { email: 'a@b.c', password: 'x' } }))).rejects.toMatchObject({ status: 401 });
    expect(gone).toHaveBeenCalledTimes(1);
  });

  it('names network failures and bodies that are not the contract', async () => {
    const f = fakeFetch([new TypeError('Failed to fetch'), new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })]);
    const api = createApi({ base: BASE, fetch: f.fn, lang: () => 'id', csrf: () => null });
    await expect(ok(api.GET('/api/v1/periods'))).rejects.toMatchObject({ code: 'network', status: 0 });
    await expect(ok(api.GET('/api/v1/regions'))).rejects.toMatchObject({ code: 'internal', status: 502 });
  });

  it('answers 204 with undefined', async () => {
    const f = fakeFetch([new Response(null, { status: 204 })]);
    const api = createApi({ base: BASE, fetch: f.fn, lang: () => 'id', csrf: () => 't' });
    expect(await ok(api.POST('/api/v1/auth/logout'))).toBeUndefined();
  });

  it('downloads blobs with their headers and file name', async () => {
    const f = fakeFetch([
      new Response('%PDF-1.4', { status: 200, headers: { 'Content-Type': 'application/pdf', 'X-Verification-Code': 'K7QM-2XPA-9RTD', 'Content-Disposition': 'attachment; filename="laporan 2019.pdf"' } }),
    ]);
    const api = createApi({ base: BASE, fetch: f.fn, lang: () => 'id', csrf: () => null });
    const r = await download(api.GET('/api/v1/periods/{year}/reports/progress.pdf', { params: { path: { year: 2019 } }, parseAs: 'blob' }));
    expect(r.headers.get('X-Verification-Code')).toBe('K7QM-2XPA-9RTD');
    expect(r.filename).toBe('laporan 2019.pdf');
    expect(await r.blob.text()).toBe('%PDF-1.4');
    expect(filenameFrom("attachment; filename*=UTF-8''bukti%20%C3%A9.pdf")).toBe('bukti é.pdf');
    expect(filenameFrom(null)).toBeNull();
  });

  it('puts multipart fields before the file, in order, and leaves empty ones out', async () => {
    const file = new File(['x'], 'rev.pdf', { type: 'application/pdf' });
    const form = multipart({ replaces: 12, effective_date: '2025-01-31', note: '', file });
    expect([...form.keys()]).toEqual(['replaces', 'effective_date', 'file']);
    expect(form.get('replaces')).toBe('12');
    expect((form.get('file') as File).name).toBe('rev.pdf');
    expect([...multipart({ file, effective_date: undefined }).keys()]).toEqual(['file']);
  });
});

class FakeXHR {
  static last: FakeXHR;
  headers: Record<string, string> = {};
  upload: { onprogress: ((e: Partial<ProgressEvent>) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  statusText = '';
  responseText = '';
  withCredentials = false;
  method = '';
  url = '';
  body: Blob | null = null;
  sent: Promise<void>;
  private resolveSent!: () => void;
  constructor() {
    FakeXHR.last = this;
    this.sent = new Promise((r) => (this.resolveSent = r));
  }
  open(m: string, u: string) {
    this.method = m;
    this.url = u;
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k.toLowerCase()] = v;
  }
  getAllResponseHeaders() {
    return 'content-type: application/json\r\n';
  }
  send(b: Blob) {
    this.body = b;
    this.resolveSent();
  }
  abort() {
    this.onabort?.();
  }
  answer(status: number, body: string) {
    this.status = status;
    this.responseText = body;
    this.onload!();
  }
}

describe('uploads', () => {
  it('go through XMLHttpRequest with progress, the CSRF header and the multipart body', async () => {
    const api = createApi({ base: BASE, lang: () => 'id', csrf: () => 'tok' });
    const seen: number[] = [];
    const up = uploader((p) => seen.push(p.loaded), () => new FakeXHR() as unknown as XMLHttpRequest);
    const file = new File(['x'.repeat(1000)], 'sop.pdf', { type: 'application/pdf' });
    const call = ok(
      api.POST('/api/v1/periods/{year}/regions/{code}/items/{indicator}/evidence', {
        params: { path: { year: 2019, code: '62.08', indicator: 'PTSP.2' } },
        body: { file, effective_date: '2025-01-31' },
        bodySerializer: multipart,
        fetch: up.fetch,
      }),
    );
    await new Promise((r) => setTimeout(r, 0));
    const x = FakeXHR.last;
    await x.sent;
    expect(x.method).toBe('POST');
    expect(x.url).toBe(`${BASE}/api/v1/periods/2019/regions/62.08/items/PTSP.2/evidence`);
    expect(x.headers['x-csrf-token']).toBe('tok');
    expect(x.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const sent = await new Response(x.body, { headers: { 'Content-Type': x.headers['content-type'] } }).formData();
    expect([...sent.keys()]).toEqual(['effective_date', 'file']);
    expect((sent.get('file') as File).name).toBe('sop.pdf');
    x.upload.onprogress!({ loaded: 400, total: 1000, lengthComputable: true });
    x.answer(201, '{"id":7}');
    expect(await call).toMatchObject({ id: 7 });
    expect(seen[0]).toBe(400);
    expect(seen.at(-1)).toBe(x.body!.size);
  });

  it('turn a refusal into an ApiError and an abort into "aborted"', async () => {
    const api = createApi({ base: BASE, lang: () => 'id', csrf: () => 'tok' });
    const file = new File(['x'], 'big.pdf');
    const send = (u: ReturnType<typeof uploader>) => ok(api.POST('/api/v1/verify', { body: { file }, bodySerializer: multipart, fetch: u.fetch }));
    const big = send(uploader(undefined, () => new FakeXHR() as unknown as XMLHttpRequest));
    await new Promise((r) => setTimeout(r, 0));
    await FakeXHR.last.sent;
    FakeXHR.last.answer(413, '{"error":{"code":"too_large","message":"Berkas terlalu besar."}}');
    await expect(big).rejects.toMatchObject({ code: 'too_large', message: 'Berkas terlalu besar.' });

    const u = uploader(undefined, () => new FakeXHR() as unknown as XMLHttpRequest);
    const cancelled = send(u);
    await new Promise((r) => setTimeout(r, 0));
    await FakeXHR.last.sent;
    u.abort();
    await expect(cancelled).rejects.toMatchObject({ code: 'aborted' });
  });
});
