// Measures the web app in Chromium against a running server (scripts/browser-test.sh --perf):
//
// - the first page (sign-in, cold cache): JavaScript, CSS and HTML transferred;
// - a throttled phone (360 × 740, 1.6 Mbit/s down, 750 kbit/s up, 300 ms round trip, CPU 4×
//   slower): from the click on "Masuk" until the dashboard is usable (its zone counts and
//   ranking painted) and until it is complete (heat map too), and how many API requests it made.
//   Both are timed in the page (from the click event to the frame after the content appears);
//   the same spans as the test driver sees them (it also waits for the page to take the click
//   and polls for the content, all on the throttled CPU) are printed beside them;
// - a desktop (1280 × 900, signed in, unthrottled): the cumulative layout shift of the
//   dashboard's first load and the header's height before and after the session loads;
// - every page's height at 360 px, as each role sees it.
//
// Prints the figures; exits non-zero only when the browser cannot do its part.
import { BASE, PASSWORD, launch, users } from './harness.mjs';

const PHONE_NET = { offline: false, latency: 300, downloadThroughput: (1.6 * 1e6) / 8, uploadThroughput: (750 * 1e3) / 8 };
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };

/** The dashboard is usable once its counts and ranking are there; complete once the heat map is too. */
const USABLE = '[data-testid=ranking] [data-region]';
const COMPLETE = '[data-testid=heatmap] tbody tr, [data-testid=heatmap] [data-region]';

/**
 * Times, in the page, the click on "Masuk" and the first frame painted after the dashboard's
 * ranking and its heat map appear.
 */
const PAINT_PROBE = ([usable, complete]) => {
  const t = (window.__perf = {});
  document.addEventListener('click', (e) => e.target.closest?.('button[type=submit]') && (t.click ??= performance.now()), true);
  const seen = (key, sel) => {
    if (t[key] !== undefined || !document.querySelector(sel)) return;
    t[key] = null;
    requestAnimationFrame(() => setTimeout(() => (t[key] = performance.now())));
  };
  new MutationObserver(() => {
    seen('usable', usable);
    seen('complete', complete);
  }).observe(document, { subtree: true, childList: true });
};

/** Sums layout shifts not caused by input, from the page's own PerformanceObserver. */
const CLS_PROBE = () => {
  window.__cls = 0;
  window.__headerHeights = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
  const watch = () => {
    const h = document.querySelector('.site-header');
    if (!h) return requestAnimationFrame(watch);
    window.__headerHeights.push(Math.round(h.getBoundingClientRect().height));
    new ResizeObserver(() => window.__headerHeights.push(Math.round(h.getBoundingClientRect().height))).observe(h);
  };
  watch();
};

async function cdpFor(context, page, { net, cpu }) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (net) await cdp.send('Network.emulateNetworkConditions', net);
  if (cpu) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
  return cdp;
}

/** Counts what a page transfers, by resource type, and which API calls it makes. */
function meter(cdp) {
  const types = new Map();
  const bytes = { Script: 0, Stylesheet: 0, Document: 0, Fetch: 0, XHR: 0, Other: 0 };
  const api = [];
  cdp.on('Network.requestWillBeSent', (e) => {
    const u = new URL(e.request.url);
    if (u.pathname.startsWith('/api/')) api.push(`${e.request.method} ${u.pathname}${u.search}`);
  });
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
  cdp.on('Network.loadingFinished', (e) => {
    const t = types.get(e.requestId);
    if (t) bytes[t in bytes ? t : 'Other'] += e.encodedDataLength;
  });
  return {
    bytes,
    api,
    reset() {
      api.length = 0;
      for (const k of Object.keys(bytes)) bytes[k] = 0;
    },
  };
}

async function firstPage(browser) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'id-ID' });
  const page = await context.newPage();
  const m = meter(await cdpFor(context, page, {}));
  await page.goto(BASE + '/');
  await page.locator('form button[type=submit]').waitFor();
  await page.waitForLoadState('networkidle');
  await context.close();
  return m.bytes;
}

async function throttledPhone(browser, role, rememberedYear) {
  const context = await browser.newContext({ viewport: PHONE, locale: 'id-ID', isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  // a returning user's browser remembers the year last looked at
  if (rememberedYear) await context.addInitScript((y) => localStorage.setItem('pantau.year', y), String(rememberedYear));
  await context.addInitScript(PAINT_PROBE, [USABLE, COMPLETE]);
  const page = await context.newPage();
  const m = meter(await cdpFor(context, page, { net: PHONE_NET, cpu: 4 }));
  await page.goto(BASE + '/', { timeout: 120_000 });
  await page.getByLabel('E-mail').fill(users[role]);
  await page.getByLabel(/Kata sandi|Password/).fill(PASSWORD);
  m.reset();
  const start = Date.now();
  await page.getByRole('button', { name: /^(Masuk|Sign in)$/ }).click();
  await page.locator(USABLE).first().waitFor({ timeout: 120_000 });
  const drivenUsable = Date.now() - start;
  await page.locator(COMPLETE).first().waitFor({ timeout: 120_000 });
  const drivenComplete = Date.now() - start;
  await page.waitForLoadState('networkidle', { timeout: 120_000 }).catch(() => undefined);
  await page.waitForFunction(() => typeof window.__perf.complete === 'number' && typeof window.__perf.usable === 'number');
  const p = await page.evaluate(() => window.__perf);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await context.close();
  return { usable: Math.round(p.usable - p.click), complete: Math.round(p.complete - p.click), drivenUsable, drivenComplete, api: [...m.api], bytes: { ...m.bytes }, height };
}

async function desktopShift(browser) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'id-ID' });
  const r = await context.request.post(BASE + '/api/v1/auth/login', { data: { email: users.coordinator, password: PASSWORD } });
  if (!r.ok()) throw new Error('login failed ' + r.status());
  await context.addInitScript(CLS_PROBE);
  const page = await context.newPage();
  const m = meter(await cdpFor(context, page, {}));
  await page.goto(BASE + '/');
  await page.locator(COMPLETE).first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(500);
  const { cls, heights } = await page.evaluate(() => ({ cls: window.__cls, heights: window.__headerHeights }));
  await context.close();
  return { cls, heights: [...new Set(heights)], api: [...m.api] };
}

/** Every page's height at 360 px, as the role that uses it. */
async function heights(browser) {
  const pages = [
    [null, '/', 'sign-in', 'form button[type=submit]'],
    [null, '/verify', 'verify', 'main h1'],
    ['coordinator', '/', 'dashboard', COMPLETE],
    ['operator', '/pemda/62.08', 'pemda', 'details[data-indicator]'],
    ['reviewer', '/review', 'review', 'main h1'],
    ['coordinator', '/radar', 'radar', 'main h1'],
    ['coordinator', '/reports', 'reports', 'main h1'],
    ['coordinator', '/commitments', 'commitments', 'main h1'],
    ['admin', '/admin/users', 'admin users', 'main table'],
    ['admin', '/admin/catalogue', 'admin catalogue', 'main table'],
  ];
  const out = [];
  for (const [role, path, name, ready] of pages) {
    const context = await browser.newContext({ viewport: PHONE, locale: 'id-ID' });
    if (role) {
      const r = await context.request.post(BASE + '/api/v1/auth/login', { data: { email: users[role], password: PASSWORD } });
      if (!r.ok()) throw new Error('login failed ' + r.status());
    }
    const page = await context.newPage();
    await page.goto(BASE + path);
    await page.locator(ready).first().waitFor();
    await page.waitForLoadState('networkidle');
    out.push([name, await page.evaluate(() => document.documentElement.scrollHeight)]);
    await context.close();
  }
  return out;
}

const kb = (n) => (n / 1024).toFixed(1) + ' KB';
const browser = await launch();
try {
  const first = await firstPage(browser);
  console.log(`sign-in page, cold: JS ${kb(first.Script)}, CSS ${kb(first.Stylesheet)}, HTML ${kb(first.Document)} (as transferred)`);

  const year = Number(process.env.PANTAU_PERF_YEAR ?? 2019);
  for (const [who, remembered] of [
    ['first sign-in on this phone', null],
    ['returning (year remembered)', year],
  ]) {
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await throttledPhone(browser, 'coordinator', remembered));
    const med = (k) => (runs.map((r) => r[k]).sort((a, b) => a - b)[2] / 1000).toFixed(2);
    console.log(
      `throttled phone (360 px, 1.6 Mbit/s, 300 ms RTT, CPU 4×), ${who}, after "Masuk": usable ${med('usable')} s, complete ${med('complete')} s in the page ` +
        `(median of 5; usable ${runs.map((r) => r.usable).join(' / ')} ms); as the driver sees it ${med('drivenUsable')} s and ${med('drivenComplete')} s; ` +
        `${runs[0].api.length} API requests; page ${runs[0].height} px tall`,
    );
    for (const a of runs[0].api) console.log('  ' + a);
    console.log(`  transferred after "Masuk": JS ${kb(runs[0].bytes.Script)}, API ${kb(runs[0].bytes.Fetch + runs[0].bytes.XHR)}`);
  }

  const desk = await desktopShift(browser);
  console.log(`desktop (1280 px) dashboard load: CLS ${desk.cls.toFixed(4)}; header heights seen ${desk.heights.join(' → ')} px; ${desk.api.length} API requests`);

  console.log('page heights at 360 px:');
  for (const [name, h] of await heights(browser)) console.log(`  ${name.padEnd(16)} ${h} px`);
} finally {
  await browser.close();
}
