import { describe, expect, it, vi } from 'vitest';
import { can, createStore, navFor, pickYear } from '../../src/lib/state';
import type { User } from '../../src/lib/types';

const BASE = 'http://pantau.test';
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const user = (role: User['role'], region_code: string | null = null): User => ({ id: 1, email: `${role}@x.id`, name: role, role, region_code, created_at: '' });

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

/** A fetch that answers by path, and records what was asked. */
function server(routes: Record<string, () => Response>) {
  const asked: Request[] = [];
  const fetch = vi.fn(async (r: Request) => {
    asked.push(r);
    const path = new URL(r.url).pathname;
    const h = routes[`${r.method} ${path}`];
    if (!h) throw new Error(`unexpected ${r.method} ${path}`);
    return h();
  });
  return { fetch, asked, paths: () => asked.map((r) => `${r.method} ${new URL(r.url).pathname}`) };
}

describe('session state', () => {
  it('signs in, sends the CSRF token it got, and signs out', async () => {
    const s0 = server({
      'POST /api/v1/auth/login': () => json(200, { token: 'bearer', csrf_token: 'csrf-1', expires_at: '', user: user('operator', '62.08') }),
      'GET /api/v1/periods': () => json(200, []),
      'PATCH /api/v1/periods/2019/regions/62.08/items/PTSP.2': () => json(200, { indicator_code: 'PTSP.2' }),
      'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }),
    });
    const s = createStore({ base: BASE, fetch: s0.fetch, lang: () => 'id' });
    expect(s.session.value).toBeUndefined();
    const me = await s.signIn('operator.seruyan@demo.pantau.id', 'pw');
    expect(me.csrf_token).toBe('csrf-1');
    expect(s.session.value?.region_code).toBe('62.08');
    await s.api.PATCH('/api/v1/periods/{year}/regions/{code}/items/{indicator}', { params: { path: { year: 2019, code: '62.08', indicator: 'PTSP.2' } }, body: { progress: 50 } });
    const patch = s0.asked.find((r) => r.method === 'PATCH')!;
    expect(patch.headers.get('X-CSRF-Token')).toBe('csrf-1');
    await s.signOut();
    expect(s.session.value).toBeNull();
  });

  it("makes one request for a year's summary asked for twice at once, and a new one afterwards", async () => {
    const s0 = server({ 'GET /api/v1/periods/2019/summary': () => json(200, { year: 2019, regions: [] }) });
    const s = createStore({ base: BASE, fetch: s0.fetch, lang: () => 'id' });
    const [a, b] = await Promise.all([s.summary(2019), s.summary(2019)]);
    expect(a).toBe(b);
    expect(s0.paths()).toEqual(['GET /api/v1/periods/2019/summary']);
    await s.summary(2019); // after a write, a page reads the figures again
    expect(s0.paths()).toHaveLength(2);
  });

  it('restores a session from /me, and drops it when a call finds it ended', async () => {
    const responses = [json(200, { ...user('reviewer'), csrf_token: 'c' }), json(401, { error: { code: 'unauthenticated', message: '…' } })];
    const s = createStore({ base: BASE, fetch: async () => responses.shift()!, lang: () => 'id' });
    await s.restore();
    expect(s.session.value?.role).toBe('reviewer');
    await expect(s.summary(2019)).rejects.toMatchObject({ status: 401 });
    expect(s.session.value).toBeNull();
    expect(s.expired.value).toBe(true);
  });

  it('chooses the latest period, keeps a stored one, and remembers the choice', async () => {
    const periods = [
      { year: 2019, name: 'a', deadline: null, version: 1 },
      { year: 2021, name: 'c', deadline: null, version: 1 },
      { year: 2020, name: 'b', deadline: null, version: 1 },
    ];
    const storage = memoryStorage();
    const s = createStore({ base: BASE, fetch: async () => json(200, periods), lang: () => 'id', storage });
    await s.loadPeriods();
    expect(s.periods.value?.map((p) => p.year)).toEqual([2021, 2020, 2019]);
    expect(s.year.value).toBe(2021);
    s.year.value = 2019;
    expect(storage.m.get('pantau.year')).toBe('2019');
    const again = createStore({ base: BASE, fetch: async () => json(200, periods), lang: () => 'id', storage });
    await again.loadPeriods();
    expect(again.year.value).toBe(2019);
  });

  it("asks for the first screen's reads at once, and uses each early answer once", async () => {
    const storage = memoryStorage();
    storage.setItem('pantau.year', '2019');
    const srv = server({
      'GET /api/v1/periods': () => json(200, [{ year: 2019, name: 'a', deadline: null, version: 1 }]),
      'GET /api/v1/periods/2019/summary': () => json(200, { year: 2019, regions: [] }),
      'GET /api/v1/periods/2019/zones': () => json(200, { action_plan: [], delegation: [] }),
      'GET /api/v1/periods/2019/todo': () => json(200, { year: 2019, items: [] }),
    });
    const s = createStore({ base: BASE, fetch: srv.fetch, lang: () => 'id', storage });
    s.prefetch();
    await new Promise((r) => setTimeout(r, 0)); // the calls go out together, before anything answers
    expect(srv.paths()).toEqual(['GET /api/v1/periods', 'GET /api/v1/periods/2019/summary', 'GET /api/v1/periods/2019/zones', 'GET /api/v1/periods/2019/todo']);
    await s.loadPeriods();
    await s.summary(2019);
    await s.zones(2019);
    await s.todo(2019);
    expect(srv.asked.length).toBe(4); // the early answers were used
    await s.summary(2019);
    await s.todo(2019);
    expect(srv.asked.length).toBe(6); // and only once: a later visit asks again
  });

  it("asks a Pemda page's reads only: the periods, not the country's summary", async () => {
    const storage = memoryStorage();
    storage.setItem('pantau.year', '2019');
    const srv = server({
      'GET /api/v1/periods': () => json(200, [{ year: 2019, name: 'a', deadline: null, version: 1 }]),
      'GET /api/v1/periods/2019/summary': () => json(200, { year: 2019, regions: [] }),
    });
    const s = createStore({ base: BASE, fetch: srv.fetch, lang: () => 'id', storage });
    s.prefetch('region');
    await s.loadPeriods();
    await new Promise((r) => setTimeout(r, 0));
    expect(srv.paths()).toEqual(['GET /api/v1/periods']);
  });
});

describe("a page's own early reads", () => {
  it("starts them with the year's reads, and hands each one once to the page that takes it", async () => {
    const srv = server({
      'GET /api/v1/periods': () => json(200, [{ year: 2020, name: 'b', deadline: null, version: 1 }]),
      'GET /api/v1/periods/2020/summary': () => json(200, { year: 2020, regions: [] }),
      'GET /api/v1/periods/2020/areas': () => json(200, [{ code: 'A', name: 'a', weight: 1, version: 1 }]),
    });
    const s = createStore({ base: BASE, fetch: srv.fetch, lang: () => 'id', storage: memoryStorage() });
    const areas = (y: number) => s.api.GET('/api/v1/periods/{year}/areas', { params: { path: { year: y } } }).then((r) => r.data);
    s.prefetch('region', { '62.08/areas': areas });
    await s.loadPeriods();
    await new Promise((r) => setTimeout(r, 0));
    expect(srv.paths()).toEqual(['GET /api/v1/periods', 'GET /api/v1/periods/2020/areas']);
    expect(await s.take('62.08/areas:2020', () => areas(2020))).toEqual([{ code: 'A', name: 'a', weight: 1, version: 1 }]);
    expect(srv.asked.length).toBe(2); // the early answer was used
    await s.take('62.08/areas:2020', () => areas(2020));
    expect(srv.asked.length).toBe(3); // once only: taking it again asks again
    await s.take('62.71/areas:2020', () => areas(2020));
    expect(srv.asked.length).toBe(4); // another key has nothing early
  });
});

describe('remembering a sign-in', () => {
  it('knows whether this browser was signed in when last seen', async () => {
    const storage = memoryStorage();
    const srv = server({
      'POST /api/v1/auth/login': () => json(200, { token: 't', csrf_token: 'c', expires_at: '', user: user('reviewer') }),
      'GET /api/v1/periods': () => json(200, []),
      'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }),
    });
    expect(createStore({ base: BASE, fetch: srv.fetch, lang: () => 'id', storage }).wasSignedIn).toBe(false);
    const s = createStore({ base: BASE, fetch: srv.fetch, lang: () => 'id', storage });
    await s.signIn('reviewer@demo.pantau.id', 'pw');
    expect(createStore({ base: BASE, fetch: srv.fetch, lang: () => 'id', storage }).wasSignedIn).toBe(true);
    await s.signOut();
    expect(createStore({ base: BASE, fetch: srv.fetch, lang: () => 'id', storage }).wasSignedIn).toBe(false);
    // a page the server sent with a session cookie says so, whatever this browser remembers
    expect(createStore({ base: BASE, fetch: srv.fetch, lang: () => 'id', storage, cookieSeen: true }).cookieSeen).toBe(true);
    expect(createStore({ base: BASE, fetch: srv.fetch, lang: () => 'id', storage }).cookieSeen).toBe(false);
  });
});

describe('first screen without a remembered year', () => {
  it("asks for the latest year's summary as soon as the periods arrive", async () => {
    const srv = server({
      'GET /api/v1/periods': () => json(200, [{ year: 2019, name: 'a', deadline: null, version: 1 }, { year: 2020, name: 'b', deadline: null, version: 1 }]),
      'GET /api/v1/periods/2020/summary': () => json(200, { year: 2020, regions: [] }),
      'GET /api/v1/periods/2020/zones': () => json(200, { action_plan: [], delegation: [] }),
      'GET /api/v1/periods/2020/todo': () => json(200, { year: 2020, items: [] }),
    });
    const s = createStore({ base: BASE, fetch: srv.fetch, lang: () => 'id', storage: memoryStorage() });
    s.prefetch();
    await s.loadPeriods();
    expect(s.year.value).toBe(2020);
    expect(srv.paths()).toEqual(['GET /api/v1/periods', 'GET /api/v1/periods/2020/summary', 'GET /api/v1/periods/2020/zones', 'GET /api/v1/periods/2020/todo']);
    await s.summary(2020);
    expect(srv.asked.length).toBe(4);
    expect(pickYear([], null)).toBeNull();
    expect(pickYear([{ year: 2019, name: '', deadline: null, version: 1 }], 2018)).toBe(2019);
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
    expect(hrefs(user('operator', '62.08'))).toEqual(['/', '/pemda/62.08', '/reports', '/import']);
    expect(hrefs(user('reviewer'))).toEqual(['/', '/review', '/reports']);
    expect(hrefs(user('coordinator'))).toEqual(['/', '/radar', '/reports', '/import', '/commitments', '/admin']);
    expect(hrefs(user('signatory'))).toEqual(['/', '/reports', '/commitments']);
    expect(hrefs(user('admin'))).toEqual(['/', '/review', '/radar', '/reports', '/import', '/commitments', '/admin']);
  });
});
