import { describe, expect, it, vi } from 'vitest';
import { Capabilities, can, createStore, navFor } from '../../src/lib/state';
import type { User } from '../../src/lib/types';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const user = (role: User['role'], region_code: string | null = null): User => ({ id: 1, email: `${role}@x.id`, name: role, role, region_code });

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

describe('session state', () => {
  it('signs in, sends the CSRF token it got, and signs out', async () => {
    const seen: RequestInit[] = [];
    const responses = [
      json(200, { token: 'bearer', csrf_token: 'csrf-1', expires_at: '', user: user('operator', '62.08') }),
      json(200, { indicator_code: 'PTSP.2' }),
      new Response(null, { status: 204 }),
    ];
    const fetch = vi.fn(async (_u: RequestInfo | URL, init?: RequestInit) => {
      seen.push(init ?? {});
      return responses.shift()!;
    }) as unknown as typeof globalThis.fetch;
    const s = createStore({ fetch, lang: () => 'id' });
    expect(s.session.value).toBeUndefined();
    const me = await s.signIn('operator.seruyan@demo.pantau.id', 'pw');
    expect(me.csrf_token).toBe('csrf-1');
    expect(s.session.value?.region_code).toBe('62.08');
    await s.client.patch('/api/v1/periods/2019/regions/62.08/items/PTSP.2', { progress: 50 });
    expect((seen[1].headers as Record<string, string>)['X-CSRF-Token']).toBe('csrf-1');
    await s.signOut();
    expect(s.session.value).toBeNull();
  });

  it('restores a session from /me, and drops it when a call finds it ended', async () => {
    const responses = [json(200, { ...user('reviewer'), csrf_token: 'c' }), json(401, { error: { code: 'unauthenticated', message: '…' } })];
    const fetch = vi.fn(async () => responses.shift()!) as unknown as typeof globalThis.fetch;
    const s = createStore({ fetch, lang: () => 'id' });
    await s.restore();
    expect(s.session.value?.role).toBe('reviewer');
    await expect(s.client.get('/api/v1/periods/2019/summary')).rejects.toMatchObject({ status: 401 });
    expect(s.session.value).toBeNull();
    expect(s.expired.value).toBe(true);
  });

  it('chooses the latest period, keeps a stored one, and remembers the choice', async () => {
    const periods = [
      { year: 2019, name: 'a' },
      { year: 2021, name: 'c' },
      { year: 2020, name: 'b' },
    ];
    const storage = memoryStorage();
    const s = createStore({ fetch: (async () => json(200, periods)) as unknown as typeof fetch, lang: () => 'id', storage });
    await s.loadPeriods();
    expect(s.periods.value?.map((p) => p.year)).toEqual([2021, 2020, 2019]);
    expect(s.year.value).toBe(2021);
    s.year.value = 2019;
    expect(storage.m.get('pantau.year')).toBe('2019');
    const again = createStore({ fetch: (async () => json(200, periods)) as unknown as typeof fetch, lang: () => 'id', storage });
    await again.loadPeriods();
    expect(again.year.value).toBe(2019);
  });

  it('reads capabilities from the OpenAPI document, once', async () => {
    const fetch = vi.fn(async () => json(200, { paths: { '/api/v1/periods/{year}/reports/progress.pdf': { get: {} }, '/api/v1/commitments': { post: {} } } }));
    const s = createStore({ fetch: fetch as unknown as typeof globalThis.fetch, lang: () => 'id' });
    const caps = await s.capabilities();
    await s.capabilities();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(caps.has('GET', '/api/v1/periods/{year}/reports/progress.pdf')).toBe(true);
    expect(caps.has('post', '/api/v1/commitments')).toBe(true);
    expect(caps.has('GET', '/api/v1/commitments')).toBe(false);
    expect(Capabilities.fromOpenAPI({}).has('GET', '/x')).toBe(false);
  });
});

describe('roles', () => {
  it('lets each role do what the API allows', () => {
    expect(can.claim(user('operator', '62.08'), '62.08')).toBe(true);
    expect(can.claim(user('operator', '62.08'), '62.71')).toBe(false);
    expect(can.claim(user('coordinator'), '62.71')).toBe(true);
    expect(can.claim(user('reviewer'), '62.08')).toBe(false);
    expect(can.review(user('reviewer'))).toBe(true);
    expect(can.review(user('coordinator'))).toBe(false);
    expect(can.manage(user('coordinator'))).toBe(true);
    expect(can.admin(user('coordinator'))).toBe(false);
    expect(can.sign(user('signatory'))).toBe(true);
    expect(can.claim(null, '62')).toBe(false);
  });
  it('shows each role its navigation', () => {
    const hrefs = (u: User) => navFor(u).map((n) => n.href);
    expect(hrefs(user('operator', '62.08'))).toEqual(['/', '/pemda/62.08', '/reports']);
    expect(hrefs(user('reviewer'))).toEqual(['/', '/review', '/reports']);
    expect(hrefs(user('coordinator'))).toEqual(['/', '/radar', '/reports', '/commitments', '/admin']);
    expect(hrefs(user('signatory'))).toEqual(['/', '/reports', '/commitments']);
    expect(hrefs(user('admin'))).toEqual(['/', '/review', '/radar', '/reports', '/commitments', '/admin']);
  });
});
