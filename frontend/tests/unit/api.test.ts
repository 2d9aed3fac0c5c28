import { describe, expect, it, vi } from 'vitest';
import { ApiError, createClient, filenameFrom } from '../../src/lib/api';

type Call = { url: string; init: RequestInit };

function fakeFetch(responses: (Response | Error)[]) {
  const calls: Call[] = [];
  const fn = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const r = responses.shift();
    if (!r) throw new Error('no more responses');
    if (r instanceof Error) throw r;
    return r;
  });
  return { fn: fn as unknown as typeof fetch, calls };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const headers = (c: Call) => c.init.headers as Record<string, string>;

describe('API client', () => {
  it('sends the language, and the CSRF token only on state-changing calls', async () => {
    const f = fakeFetch([json(200, [{ year: 2019 }]), json(201, { ok: true })]);
    const c = createClient({ fetch: f.fn, lang: () => 'en', csrf: () => 'tok123' });
    await c.get('/api/v1/periods');
    await c.post('/api/v1/periods', { year: 2020, name: 'x' });
    expect(headers(f.calls[0])['Accept-Language']).toBe('en');
    expect(headers(f.calls[0])['X-CSRF-Token']).toBeUndefined();
    expect(f.calls[1].init.method).toBe('POST');
    expect(headers(f.calls[1])['X-CSRF-Token']).toBe('tok123');
    expect(headers(f.calls[1])['Content-Type']).toBe('application/json');
    expect(f.calls[1].init.body).toBe('{"year":2020,"name":"x"}');
    expect(f.calls[1].init.credentials).toBe('same-origin');
  });

  it("turns the contract's error body into an ApiError with its fields", async () => {
    const f = fakeFetch([json(422, { error: { code: 'validation_failed', message: 'Beberapa isian tidak valid.', fields: { progress: 'Harus antara 0 dan 100.' } } })]);
    const c = createClient({ fetch: f.fn, lang: () => 'id', csrf: () => 't' });
    const err = await c.patch('/x', { progress: 120 }).catch((e) => e);
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
    const c = createClient({ fetch: f.fn, lang: () => 'id', csrf: () => null, onUnauthenticated: gone });
    await expect(c.get('/api/v1/me')).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(gone).toHaveBeenCalledTimes(1);
    await expect(c.post('/api/v1/auth/login', {})).rejects.toMatchObject({ status: 401 });
    expect(gone).toHaveBeenCalledTimes(1);
  });

  it('names network failures and bodies that are not the contract', async () => {
    const f = fakeFetch([new TypeError('Failed to fetch'), new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })]);
    const c = createClient({ fetch: f.fn, lang: () => 'id', csrf: () => null });
    await expect(c.get('/a')).rejects.toMatchObject({ code: 'network', status: 0 });
    await expect(c.get('/b')).rejects.toMatchObject({ code: 'internal', status: 502 });
  });

  it('answers 204 with undefined', async () => {
    const f = fakeFetch([new Response(null, { status: 204 })]);
    const c = createClient({ fetch: f.fn, lang: () => 'id', csrf: () => 't' });
    expect(await c.post('/api/v1/auth/logout')).toBeUndefined();
  });

  it('downloads blobs with their headers and file name', async () => {
    const f = fakeFetch([
      new Response('%PDF-1.4', { status: 200, headers: { 'Content-Type': 'application/pdf', 'X-Verification-Code': 'K7QM-2XPA-9RTD', 'Content-Disposition': 'attachment; filename="laporan 2019.pdf"' } }),
    ]);
    const c = createClient({ fetch: f.fn, lang: () => 'id', csrf: () => null });
    const r = await c.blob('/api/v1/periods/2019/reports/progress.pdf');
    expect(r.headers.get('X-Verification-Code')).toBe('K7QM-2XPA-9RTD');
    expect(r.filename).toBe('laporan 2019.pdf');
    expect(await r.blob.text()).toBe('%PDF-1.4');
    expect(filenameFrom("attachment; filename*=UTF-8''bukti%20%C3%A9.pdf")).toBe('bukti é.pdf');
    expect(filenameFrom(null)).toBeNull();
  });

  it('uploads with progress and the CSRF header', async () => {
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
      body: FormData | null = null;
      constructor() {
        FakeXHR.last = this;
      }
      open(m: string, u: string) {
        this.method = m;
        this.url = u;
      }
      setRequestHeader(k: string, v: string) {
        this.headers[k] = v;
      }
      send(b: FormData) {
        this.body = b;
      }
      abort() {
        this.onabort?.();
      }
    }
    const c = createClient({ lang: () => 'id', csrf: () => 'tok', xhr: () => new FakeXHR() as unknown as XMLHttpRequest });
    const seen: number[] = [];
    const file = new Blob(['x'.repeat(1000)], { type: 'application/pdf' });
    const up = c.upload<{ id: number }>('/api/v1/periods/2019/regions/62.08/items/PTSP.2/evidence', file, 'sop.pdf', (p) => seen.push(p.loaded));
    const x = FakeXHR.last;
    expect(x.method).toBe('POST');
    expect(x.headers['X-CSRF-Token']).toBe('tok');
    expect((x.body!.get('file') as File).name).toBe('sop.pdf');
    x.upload.onprogress!({ loaded: 400, total: 1000, lengthComputable: true });
    x.status = 201;
    x.responseText = '{"id":7}';
    x.onload!();
    expect(await up.promise).toEqual({ id: 7 });
    expect(seen).toEqual([400, 1000]);

    // other fields go before the file, in order; empty ones are left out
    c.upload('/u', file, 'rev.pdf', undefined, { replaces: 12, effective_date: '2025-01-31', note: '' });
    expect([...FakeXHR.last.body!.keys()]).toEqual(['replaces', 'effective_date', 'file']);
    expect(FakeXHR.last.body!.get('replaces')).toBe('12');
    c.upload('/u', file, 'plain.pdf', undefined, { effective_date: '' });
    expect([...FakeXHR.last.body!.keys()]).toEqual(['file']);

    const tooBig = c.upload('/u', file, 'big.pdf');
    FakeXHR.last.status = 413;
    FakeXHR.last.responseText = '{"error":{"code":"too_large","message":"Berkas terlalu besar."}}';
    FakeXHR.last.onload!();
    await expect(tooBig.promise).rejects.toMatchObject({ code: 'too_large', message: 'Berkas terlalu besar.' });
  });
});
