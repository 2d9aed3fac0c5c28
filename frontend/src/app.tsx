import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorBoundary, LocationProvider, Route, Router, lazy, useLocation } from 'preact-iso';
import { lang, roleLabel, t } from './i18n';
import { navFor, store } from './lib/state';
import type { Me } from './lib/types';
import { Loading } from './components/ui';
import { Login } from './pages/Login';
import { Dashboard } from './pages/Dashboard';

// Pages other than the sign-in and the dashboard load when first visited.
const Region = lazy(() => import('./pages/Region'));
const Review = lazy(() => import('./pages/Review'));
const Radar = lazy(() => import('./pages/Radar'));
const Reports = lazy(() => import('./pages/Reports'));
const Commitments = lazy(() => import('./pages/Commitments'));
const Admin = lazy(() => import('./pages/Admin'));
const Verify = lazy(() => import('./pages/Verify'));
const Password = lazy(() => import('./pages/Password'));
const NotFound = lazy(() => import('./pages/NotFound'));

export function App() {
  useEffect(() => {
    // On a slow connection every round trip counts: ask for the session, the periods and the
    // last-viewed year's summary at once instead of one after the other.
    const y = store.year.value;
    if (location.pathname === '/') {
      store.warm('/api/v1/periods');
      if (y) {
        store.warm(`/api/v1/periods/${y}/summary`);
        store.warm(`/api/v1/periods/${y}/zones`);
      }
    }
    store.restore();
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
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const onRouteChange = () => {
    // Move focus to the new page so that keyboard and screen-reader users start at its top.
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  };
  const isPublic = loc.path === '/verify' || loc.path.startsWith('/verify/');

  let body;
  if (isPublic) {
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
        <Route path="/commitments" component={Commitments} />
        <Route path="/commitments/:id" component={Commitments} />
        <Route path="/admin" component={Admin} />
        <Route path="/admin/:tab" component={Admin} />
        <Route path="/account/password" component={Password} />
        <Route default component={NotFound} />
      </Router>
    );
  }
  return (
    <>
      <a class="skip-link" href="#content">
        {t('nav.skip')}
      </a>
      <Header user={session ?? null} />
      <main id="content" ref={main} tabIndex={-1}>
        {store.expired.value && session === null ? (
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
  return (
    <button type="button" class="lang-switch" lang={other} onClick={() => (lang.value = other)} data-testid="lang-switch">
      {other === 'en' ? 'English' : 'Bahasa Indonesia'}
    </button>
  );
}

function Header({ user }: { user: Me | null }) {
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
      ) : null}
    </header>
  );
}
