// App state: the signed-in user with its CSRF token, the chosen year, the periods, the API's
// capabilities (read from its OpenAPI document), and what each role may do.
import { signal, type Signal } from '@preact/signals';
import { createClient, type Client, type ClientOptions } from './api';
import type { LoginResponse, Me, Period, Role, User } from './types';
import { lang } from '../i18n';

export interface Store {
  client: Client;
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
  capabilities(): Promise<Capabilities>;
  /** Starts GET path now; the next get(path) uses that answer (once). */
  warm(path: string): void;
  /** get through the warmed answer when there is one. */
  get<T>(path: string): Promise<T>;
}

/** The API's routes, as "METHOD /api/v1/path/{param}" — features appear as their routes land. */
export class Capabilities {
  constructor(private readonly routes: Set<string>) {}
  has(method: string, path: string): boolean {
    return this.routes.has(`${method.toUpperCase()} ${path}`);
  }
  static fromOpenAPI(doc: { paths?: Record<string, Record<string, unknown>> }): Capabilities {
    const routes = new Set<string>();
    for (const [p, ops] of Object.entries(doc.paths ?? {})) {
      for (const m of Object.keys(ops)) routes.add(`${m.toUpperCase()} ${p}`);
    }
    return new Capabilities(routes);
  }
}

export interface StoreOptions extends Omit<ClientOptions, 'csrf' | 'onUnauthenticated'> {
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
}

export function createStore(opts: StoreOptions): Store {
  const session = signal<Me | null | undefined>(undefined);
  const expired = signal(false);
  const stored = Number(opts.storage?.getItem('pantau.year'));
  const year = signal<number | null>(Number.isInteger(stored) && stored > 0 ? stored : null);
  const periods = signal<Period[] | null>(null);
  const client = createClient({
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
  let caps: Promise<Capabilities> | null = null;
  const warmed = new Map<string, Promise<unknown>>();
  const get = <T>(path: string): Promise<T> => {
    const w = warmed.get(path);
    if (w) {
      warmed.delete(path);
      // A warmed call made before sign-in may have been refused: then ask again.
      return (w as Promise<T>).catch(() => client.get<T>(path));
    }
    return client.get<T>(path);
  };

  return {
    client,
    session,
    expired,
    year,
    periods,
    async restore() {
      try {
        session.value = await client.get<Me>('/api/v1/me');
      } catch {
        session.value = null;
      }
    },
    async signIn(email, password) {
      const r = await client.post<LoginResponse>('/api/v1/auth/login', { email, password });
      const me: Me = { ...r.user, csrf_token: r.csrf_token };
      expired.value = false;
      periods.value = null;
      warmed.clear();
      session.value = me;
      return me;
    },
    async signOut() {
      try {
        await client.post('/api/v1/auth/logout');
      } finally {
        session.value = null;
        periods.value = null;
      }
    },
    warm(path) {
      const p = client.get(path);
      p.catch(() => undefined);
      warmed.set(path, p);
    },
    get,
    async loadPeriods() {
      const ps = (await get<Period[]>('/api/v1/periods')).slice().sort((a, b) => b.year - a.year);
      periods.value = ps;
      if (ps.length && (year.value === null || !ps.some((p) => p.year === year.value))) year.value = ps[0].year;
      return ps;
    },
    capabilities() {
      caps ??= client
        .get<{ paths?: Record<string, Record<string, unknown>> }>('/api/openapi.json')
        .then(Capabilities.fromOpenAPI)
        .catch((e) => {
          caps = null;
          throw e;
        });
      return caps;
    },
  };
}

// What each role may do (the API decides; the app only hides what would be refused).
export const can = {
  claim: (u: User | null | undefined, region: string) =>
    !!u && (u.role === 'admin' || u.role === 'coordinator' || (u.role === 'operator' && u.region_code === region)),
  review: (u: User | null | undefined) => !!u && (u.role === 'admin' || u.role === 'reviewer'),
  manage: (u: User | null | undefined) => !!u && (u.role === 'admin' || u.role === 'coordinator'),
  admin: (u: User | null | undefined) => !!u && u.role === 'admin',
  sign: (u: User | null | undefined) => !!u && u.role === 'signatory',
};

export interface NavEntry {
  href: string;
  key:
    | 'nav.dashboard'
    | 'nav.myRegion'
    | 'nav.review'
    | 'nav.radar'
    | 'nav.reports'
    | 'nav.commitments'
    | 'nav.admin';
}

/** The navigation a role sees, in order. */
export function navFor(u: User): NavEntry[] {
  const nav: NavEntry[] = [{ href: '/', key: 'nav.dashboard' }];
  const role: Role = u.role;
  if (role === 'operator' && u.region_code) nav.push({ href: `/pemda/${u.region_code}`, key: 'nav.myRegion' });
  if (can.review(u)) nav.push({ href: '/review', key: 'nav.review' });
  if (can.manage(u)) nav.push({ href: '/radar', key: 'nav.radar' });
  nav.push({ href: '/reports', key: 'nav.reports' });
  if (role !== 'operator' && role !== 'reviewer') nav.push({ href: '/commitments', key: 'nav.commitments' });
  if (can.manage(u)) nav.push({ href: '/admin', key: 'nav.admin' });
  return nav;
}

const browserStorage = typeof localStorage === 'undefined' ? undefined : localStorage;

/** The app's one store. */
export const store = createStore({ lang: () => lang.value, storage: browserStorage });
