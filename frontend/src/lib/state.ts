// App state: the signed-in user with its CSRF token, the chosen year, the periods, the reads
// the first screen needs (asked for early, at once), and what each role may do.
import { signal, type Signal } from '@preact/signals';
import { createApi, ok, type Api, type ApiOptions } from './api';
import type { Me, Period, Summary, Todo, User, ZoneSchemes } from './types';
import { lang } from '../i18n';

export interface Store {
  api: Api;
  /** undefined while the session is being restored, null when signed out. */
  session: Signal<Me | null | undefined>;
  /** set when a signed-in call found the session ended */
  expired: Signal<boolean>;
  year: Signal<number | null>;
  periods: Signal<Period[] | null>;
  restore(): Promise<void>;
  signIn(email: string, password: string): Promise<Me>;
  signOut(): Promise<void>;
  loadPeriods(): Promise<Period[]>;
  /** A year's summary: the one asked for early when there is one, else a new request. */
  summary(year: number): Promise<Summary>;
  /** A year's zone bands, the same way. */
  zones(year: number): Promise<ZoneSchemes>;
  /** What waits for the user's action in a year, the same way. */
  todo(year: number): Promise<Todo>;
  /** Starts a first screen's reads at once: the periods, for the dashboard the last-viewed year's summary, zone bands and what waits for the user; more, a page's own reads of the year (each under its key and the year, "items:2020"). */
  prefetch(page?: 'dashboard' | 'region', more?: YearReads): void;
  /** A read prefetch started under this key (used once), else a new one. */
  take<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** Whether this browser was signed in when last seen: only then are reads worth asking for before the session is known (signed out, they would only be refused). */
  wasSignedIn: boolean;
  /** Whether the server wrote into the page that the browser sent a session cookie for it (a browser that remembers nothing may still be signed in). */
  cookieSeen: boolean;
}

/** A page's reads of a year, by name, that prefetch may start before the page asks for them. */
export type YearReads = Record<string, (year: number) => Promise<unknown>>;

export interface StoreOptions extends Omit<ApiOptions, 'csrf' | 'onUnauthenticated'> {
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
  /** The server wrote into the page that the browser sent a session cookie for it. */
  cookieSeen?: boolean;
}

export function createStore(opts: StoreOptions): Store {
  const session = signal<Me | null | undefined>(undefined);
  const expired = signal(false);
  const stored = Number(opts.storage?.getItem('pantau.year'));
  const year = signal<number | null>(Number.isInteger(stored) && stored > 0 ? stored : null);
  const periods = signal<Period[] | null>(null);
  const api = createApi({
    ...opts,
    csrf: () => session.value?.csrf_token ?? null,
    onUnauthenticated: () => {
      if (session.value) {
        session.value = null;
        expired.value = true;
      }
    },
  });
  year.subscribe((y) => {
    if (y) opts.storage?.setItem('pantau.year', String(y));
  });
  const wasSignedIn = opts.storage?.getItem('pantau.signedIn') === '1';
  session.subscribe((s) => {
    if (s !== undefined) opts.storage?.setItem('pantau.signedIn', s ? '1' : '0');
  });

  // Reads started before a page asked for them; each is used once. One made before sign-in may
  // have been refused: the page then asks again.
  const early = new Map<string, Promise<unknown>>();
  function once<T>(key: string, load: () => Promise<T>): Promise<T> {
    const p = early.get(key) as Promise<T> | undefined;
    if (!p) return load();
    early.delete(key);
    return p.catch(load);
  }
  // Reads in flight, shared: two parts of a page asking for the same thing at once (the
  // dashboard and its province picker, the year's summary) make one request.
  const inflight = new Map<string, Promise<unknown>>();
  function shared<T>(key: string, load: () => Promise<T>): Promise<T> {
    const p = inflight.get(key) as Promise<T> | undefined;
    if (p) return p;
    const q = load();
    inflight.set(key, q);
    const done = () => inflight.delete(key);
    q.then(done, done);
    return q;
  }
  function start<T>(key: string, load: () => Promise<T>) {
    const p = load();
    p.catch(() => undefined);
    early.set(key, p);
  }
  const reads = {
    periods: () => ok(api.GET('/api/v1/periods')),
    summary: (y: number) => ok(api.GET('/api/v1/periods/{year}/summary', { params: { path: { year: y } } })),
    zones: (y: number) => ok(api.GET('/api/v1/periods/{year}/zones', { params: { path: { year: y } } })),
    todo: (y: number) => ok(api.GET('/api/v1/periods/{year}/todo', { params: { path: { year: y } } })),
  };
  function prefetch(page: 'dashboard' | 'region' = 'dashboard', more: YearReads = {}) {
    const startYear = (y: number) => {
      for (const [k, read] of Object.entries(more)) start(`${k}:${y}`, () => read(y));
      if (page !== 'dashboard') return;
      start(`summary:${y}`, () => reads.summary(y));
      start(`zones:${y}`, () => reads.zones(y));
      start(`todo:${y}`, () => reads.todo(y));
    };
    const known = year.value;
    // Without a remembered year, the year's reads start the moment the periods arrive, before
    // any page has rendered them.
    start('periods', () =>
      reads.periods().then((ps) => {
        const y = pickYear(ps, known);
        if (!known && y) startYear(y);
        return ps;
      }),
    );
    if (known) startYear(known);
  }

  return {
    api,
    session,
    expired,
    year,
    periods,
    prefetch,
    take: once,
    wasSignedIn,
    cookieSeen: !!opts.cookieSeen,
    async restore() {
      try {
        session.value = await ok(api.GET('/api/v1/me'));
      } catch {
        session.value = null;
      }
    },
    async signIn(email, password) {
      const r = await ok(api.POST('/api/v1/auth/login', { body: { email, password } }));
      const me: Me = { ...r.user, csrf_token: r.csrf_token, unread_notifications: r.unread_notifications };
      expired.value = false;
      periods.value = null;
      early.clear();
      session.value = me;
      prefetch();
      return me;
    },
    async signOut() {
      try {
        await ok(api.POST('/api/v1/auth/logout'));
      } finally {
        session.value = null;
        periods.value = null;
        early.clear();
      }
    },
    summary: (y) => shared(`summary:${y}`, () => once(`summary:${y}`, () => reads.summary(y))),
    zones: (y) => once(`zones:${y}`, () => reads.zones(y)),
    todo: (y) => once(`todo:${y}`, () => reads.todo(y)),
    async loadPeriods() {
      const ps = (await once('periods', reads.periods)).slice().sort((a, b) => b.year - a.year);
      periods.value = ps;
      year.value = pickYear(ps, year.value);
      return ps;
    },
  };
}

/** The year to show: the remembered one while it is a period, else the latest period's (null when there is none). */
export function pickYear(periods: Period[], remembered: number | null): number | null {
  if (remembered !== null && periods.some((p) => p.year === remembered)) return remembered;
  return periods.reduce<number | null>((y, p) => (y === null || p.year > y ? p.year : y), null);
}

// What each role may do (the API decides; the app only hides what would be refused).
export const can = {
  claim: (u: User | null | undefined, region: string) =>
    !!u &&
    (u.role === 'admin' ||
      (u.role === 'coordinator' && (!u.province || region.split('.')[0] === u.province)) ||
      (u.role === 'operator' && u.region_code === region)),
  review: (u: User | null | undefined) => !!u && (u.role === 'admin' || u.role === 'reviewer'),
  manage: (u: User | null | undefined) => !!u && (u.role === 'admin' || u.role === 'coordinator'),
  admin: (u: User | null | undefined) => !!u && u.role === 'admin',
  sign: (u: User | null | undefined) => !!u && u.role === 'signatory',
  /** claims from a spreadsheet (the import page; the catalogue too for those who keep it) */
  import: (u: User | null | undefined) => !!u && (u.role === 'admin' || u.role === 'coordinator' || (u.role === 'operator' && !!u.region_code)),
};

export interface NavEntry {
  href: string;
  key: 'nav.dashboard' | 'nav.myRegion' | 'nav.review' | 'nav.radar' | 'nav.reports' | 'nav.commitments' | 'nav.import' | 'nav.admin';
}

/** The navigation a role sees, in order. */
export function navFor(u: User): NavEntry[] {
  const nav: NavEntry[] = [{ href: '/', key: 'nav.dashboard' }];
  if (u.role === 'operator' && u.region_code) nav.push({ href: `/pemda/${u.region_code}`, key: 'nav.myRegion' });
  if (can.review(u)) nav.push({ href: '/review', key: 'nav.review' });
  if (can.manage(u)) nav.push({ href: '/radar', key: 'nav.radar' });
  nav.push({ href: '/reports', key: 'nav.reports' });
  if (can.import(u)) nav.push({ href: '/import', key: 'nav.import' });
  if (u.role !== 'operator' && u.role !== 'reviewer') nav.push({ href: '/commitments', key: 'nav.commitments' });
  if (can.manage(u)) nav.push({ href: '/admin', key: 'nav.admin' });
  return nav;
}

const browserStorage = typeof localStorage === 'undefined' ? undefined : localStorage;
// The server writes this data block into the page it sends a browser with a session cookie.
const cookieSeen = typeof document !== 'undefined' && !!document.getElementById('pantau-session');

/** The app's one store. */
export const store = createStore({ lang: () => lang.value, storage: browserStorage, cookieSeen });
