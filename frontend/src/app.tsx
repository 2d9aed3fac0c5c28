import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorBoundary, LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { chooseLang, lang, roleLabel, t } from './i18n';
import { labelTables, loadLabels } from './lib/labels';
import { navFor, store } from './lib/state';
import { earlyRegionReads } from './lib/region';
import type { Me } from './lib/types';
import { ErrorNote, Loading } from './components/ui';
import { Login } from './pages/Login';
import { Dashboard } from './pages/Dashboard';

/** A page whose code loads when it is first visited; preload starts that early. */
type LazyPage = ComponentType & { preload(): void };

/**
 * A page whose code loads when it is first visited. Meanwhile it shows a placeholder; when its
 * code cannot load (offline, or a newer build replaced it) it says so, with a retry.
 */
function lazyPage(importPage: () => Promise<{ default: ComponentType }>): LazyPage {
  let loaded: ComponentType | null = null;
  // A preload's import, used once by the page's first attempt (a retry imports again).
  let early: Promise<{ default: ComponentType }> | null = null;
  const load = () => {
    const p = early ?? importPage();
    early = null;
    return p;
  };
  function Page() {
    const [page, setPage] = useState<{ c: ComponentType } | null>(loaded ? { c: loaded } : null);
    const [failed, setFailed] = useState<unknown>(null);
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (page) return;
      let live = true;
      setFailed(null);
      load().then(
        (m) => {
          loaded = m.default;
          if (live) setPage({ c: m.default });
        },
        (e) => live && setFailed(e),
      );
      return () => {
        live = false;
      };
      // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [attempt]);
    if (page) return <page.c />;
    if (failed) return <ErrorNote error={failed} message={t('page.loadFailed')} onRetry={() => setAttempt((n) => n + 1)} />;
    return <Loading label={t('page.loading')} />;
  }
  Page.preload = () => {
    if (loaded || early) return;
    early = importPage();
    // Once there, the page shows at its first render, without a placeholder's frame.
    early.then((m) => void (loaded ??= m.default), () => undefined);
  };
  return Page;
}

const Region = lazyPage(() => import('./pages/Region'));
const Review = lazyPage(() => import('./pages/Review'));
const Radar = lazyPage(() => import('./pages/Radar'));
const Reports = lazyPage(() => import('./pages/Reports'));
const Commitments = lazyPage(() => import('./pages/Commitments'));
const Admin = lazyPage(() => import('./pages/admin'));
const Import = lazyPage(() => import('./pages/Import'));
const Notifications = lazyPage(() => import('./pages/Notifications'));
const Verify = lazyPage(() => import('./pages/Verify'));
const Password = lazyPage(() => import('./pages/Password'));
const NotFound = lazyPage(() => import('./pages/NotFound'));

const isPublic = (path: string) => path === '/verify' || path.startsWith('/verify/');

let begun = false;

/**
 * Asks for the session, once, and only for a page that needs one: the public verification page
 * never asks (nor logs a 401 for a visitor who is not signed in). Called once the first screen
 * has painted: asked for before it, the reads and the Pemda page's code delayed the first paint
 * in Lighthouse's simulation of a phone (first contentful paint 1.4 → 1.7 s, median of 17 runs
 * on a busy machine) and brought its largest paint no sooner.
 */
function begin(path: string, query: Record<string, string>) {
  if (begun || isPublic(path)) return;
  begun = true;
  // On a slow connection every round trip counts: the periods and the last-viewed year's
  // summary (on the dashboard its zone bands and to-do list too), and a Pemda page's code and
  // reads, are asked for together with the session, not after it — when this browser was
  // signed in last time (a signed-out visitor would only be refused). A Pemda page also does so
  // when the page says the browser sent a session cookie; the dashboard does not: measured with
  // Lighthouse on a browser that remembers nothing, its largest paint came no sooner and more
  // of its work counted as blocking.
  if (path === '/' && store.wasSignedIn) store.prefetch();
  // (a link into another year, ?year=, would not use the remembered year's reads)
  const pemda = /^\/pemda\/([^/]+)$/.exec(path);
  if (pemda && !query.year && (store.wasSignedIn || store.cookieSeen)) {
    store.prefetch('region', earlyRegionReads(decodeURIComponent(pemda[1])));
    Region.preload();
  }
  store.restore();
}

export function App() {
  // The names of states come from the server's label table: asked for at once, signed in or
  // not (it needs no session), so that it is there before any page shows a zone or a status.
  useEffect(() => {
    loadLabels(store.api).catch(() => undefined);
  }, []);
  return (
    <LocationProvider>
      <Shell />
    </LocationProvider>
  );
}

function Shell() {
  const loc = useLocation();
  const session = store.session.value;
  const open = isPublic(loc.path);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (!open && session === undefined) begin(loc.path, loc.query);
  }, [open, session]);
  const onRouteChange = () => {
    // Move focus to the new page so that keyboard and screen-reader users start at its top.
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  };

  const [labelsFailed, setLabelsFailed] = useState<unknown>(null);
  const labelsReady = labelTables.value !== null;
  const retryLabels = () => {
    setLabelsFailed(null);
    loadLabels(store.api).catch(setLabelsFailed);
  };
  useEffect(() => {
    if (!labelsReady) loadLabels(store.api).catch(setLabelsFailed);
  }, [labelsReady]);

  let body;
  if (labelsFailed && !labelsReady && session !== null) {
    body = <ErrorNote error={labelsFailed} onRetry={retryLabels} />;
  } else if (!labelsReady && session !== null) {
    body = <Loading />;
  } else if (open) {
    body = (
      <Router onRouteChange={onRouteChange}>
        <Route path="/verify" component={Verify} />
        <Route path="/verify/:code" component={Verify} />
      </Router>
    );
  } else if (session === undefined) {
    body = <Loading />;
  } else if (session === null) {
    body = <Login />;
  } else {
    body = (
      <Router onRouteChange={onRouteChange}>
        <Route path="/" component={Dashboard} />
        <Route path="/login" component={Dashboard} />
        <Route path="/pemda/:code" component={Region} />
        <Route path="/review" component={Review} />
        <Route path="/radar" component={Radar} />
        <Route path="/reports" component={Reports} />
        <Route path="/import" component={Import} />
        <Route path="/notifications" component={Notifications} />
        <Route path="/commitments" component={Commitments} />
        <Route path="/commitments/:id" component={Commitments} />
        <Route path="/admin" component={Admin} />
        <Route path="/admin/:tab" component={Admin} />
        <Route path="/account/password" component={Password} />
        <Route default component={NotFound} />
      </Router>
    );
  }
  // While a session is restored the navigation's row is kept; a public page never restores one.
  const reserve = session === undefined && !open;
  return (
    <>
      <a class="skip-link" href="#content">
        {t('nav.skip')}
      </a>
      <Header user={session ?? null} reserve={reserve} />
      <main id="content" ref={main} tabIndex={-1}>
        {store.expired.value && session === null && !open ? (
          <p class="notice" role="status">
            {t('login.expired')}
          </p>
        ) : null}
        <ErrorBoundary>{body}</ErrorBoundary>
      </main>
      <footer class="site-footer">
        <span>{t('app.footer')}</span> · <a href="/verify">{t('nav.verify')}</a>
      </footer>
    </>
  );
}

function LangSwitch() {
  const other = lang.value === 'id' ? 'en' : 'id';
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      class="lang-switch"
      lang={other}
      disabled={busy}
      onClick={() => {
        setBusy(true);
        chooseLang(other).finally(() => setBusy(false));
      }}
      data-testid="lang-switch"
    >
      {other === 'en' ? 'English' : 'Bahasa Indonesia'}
    </button>
  );
}

function Header({ user, reserve }: { user: Me | null; reserve: boolean }) {
  const loc = useLocation();
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [loc.path]);
  const nav = user ? navFor(user) : [];
  const current = (href: string) => (href === '/' ? loc.path === '/' : loc.path === href || loc.path.startsWith(href + '/'));
  return (
    <header class="site-header">
      <div class="bar">
        <a class="brand" href="/">
          <span class="logo" aria-hidden="true">
            P
          </span>
          Pantau
        </a>
        {user ? (
          <button type="button" class="menu-toggle" aria-expanded={open} aria-controls="site-nav" onClick={() => setOpen(!open)}>
            {t('nav.menu')}
            {user.unread_notifications ? (
              <span class="count" aria-label={t('nav.unread', { n: user.unread_notifications })}>
                {user.unread_notifications}
              </span>
            ) : null}
          </button>
        ) : null}
        <div class="bar-end">
          <LangSwitch />
        </div>
      </div>
      {user ? (
        <nav id="site-nav" class={open ? 'open' : ''} aria-label={t('nav.label')}>
          <ul>
            {nav.map((n) => (
              <li key={n.href}>
                <a href={n.href} aria-current={current(n.href) ? 'page' : undefined}>
                  {t(n.key)}
                </a>
              </li>
            ))}
          </ul>
          <div class="who">
            <span class="who-id">
              <span class="who-name">{user.name}</span>
              <span class="who-role">{roleLabel(user.role)}</span>
            </span>
            <a
              class="who-link notif-link"
              href="/notifications"
              aria-current={loc.path === '/notifications' ? 'page' : undefined}
              title={t('nav.notifications')}
              data-testid="notif-link"
            >
              <svg class="bell" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z" fill="currentColor" />
              </svg>
              <span class="visually-hidden">{t('nav.notifications')}</span>
              {user.unread_notifications ? (
                <span class="count" aria-label={t('nav.unread', { n: user.unread_notifications })}>
                  {user.unread_notifications}
                </span>
              ) : null}
            </a>
            <a class="who-link" href="/account/password" aria-current={loc.path === '/account/password' ? 'page' : undefined}>
              {t('nav.password')}
            </a>
            <button
              type="button"
              class="link"
              onClick={() => {
                store.signOut().then(() => loc.route('/'));
              }}
            >
              {t('nav.signOut')}
            </button>
          </div>
        </nav>
      ) : reserve ? (
        <div class="nav-placeholder" aria-hidden="true" />
      ) : (
        // Signed out, the second row holds what anyone may do: the header keeps one height on
        // every page, so nothing below it moves when a session comes or goes.
        <nav id="site-nav" class="public-nav" aria-label={t('nav.label')}>
          <ul>
            <li>
              <a href="/" aria-current={loc.path === '/' ? 'page' : undefined}>
                {t('login.submit')}
              </a>
            </li>
            <li>
              <a href="/verify" aria-current={loc.path.startsWith('/verify') ? 'page' : undefined}>
                {t('nav.verify')}
              </a>
            </li>
          </ul>
        </nav>
      )}
    </header>
  );
}
