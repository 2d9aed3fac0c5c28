// Measures the first loads in Chromium: JavaScript transferred for the first page (the sign-in
// page, cold cache), and the dashboard's first load over a throttled "Slow 3G"-like connection
// (DevTools' preset: 2 000 ms latency, 400 kbit/s down and up) until its table is usable.
// Run by scripts/browser-test.sh --perf against a running server; prints the figures.
import { BASE, PASSWORD, launch, users } from './harness.mjs';

const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: (400 * 1000) / 8, uploadThroughput: (400 * 1000) / 8 };

async function measure(browser, { throttle, signedIn }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID' });
  if (signedIn) {
    const r = await context.request.post(BASE + '/api/v1/auth/login', { data: { email: users.coordinator, password: PASSWORD } });
    if (!r.ok()) throw new Error('login failed ' + r.status());
  }
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (throttle) await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
  const types = new Map();
  const bytes = { Script: 0, Stylesheet: 0, Document: 0, Fetch: 0, XHR: 0, Other: 0 };
  const scripts = [];
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, { type: e.type, url: e.response.url, enc: e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] }));
  cdp.on('Network.loadingFinished', (e) => {
    const t = types.get(e.requestId);
    if (!t) return;
    const k = t.type in bytes ? t.type : 'Other';
    bytes[k] += e.encodedDataLength;
    if (t.type === 'Script') scripts.push(`${t.url.replace(BASE, '')} ${e.encodedDataLength} B${t.enc ? ' ' + t.enc : ''}`);
  });
  const start = Date.now();
  await page.goto(BASE + '/', { waitUntil: 'commit', timeout: 120_000 });
  const ready = signedIn ? '[data-testid=ranking] tbody tr' : 'form button[type=submit]';
  await page.locator(ready).first().waitFor({ timeout: 120_000 });
  const usable = Date.now() - start;
  await page.waitForLoadState('networkidle', { timeout: 120_000 }).catch(() => undefined);
  await context.close();
  return { usable, bytes, scripts };
}

const kb = (n) => (n / 1024).toFixed(1) + ' KB';
const browser = await launch();
try {
  const first = await measure(browser, { throttle: false, signedIn: false });
  console.log(`first page (sign-in), cold: JavaScript transferred ${kb(first.bytes.Script)} (gzip), CSS ${kb(first.bytes.Stylesheet)}, HTML ${kb(first.bytes.Document)}`);
  for (const s of first.scripts) console.log('  ' + s);
  const fast = await measure(browser, { throttle: false, signedIn: true });
  console.log(`dashboard, unthrottled loopback: table usable after ${fast.usable} ms; JS ${kb(fast.bytes.Script)}, API ${kb(fast.bytes.Fetch + fast.bytes.XHR)}`);
  const slow = await measure(browser, { throttle: true, signedIn: true });
  console.log(`dashboard over Slow 3G (2 s latency, 400 kbit/s): table usable after ${(slow.usable / 1000).toFixed(1)} s; JS ${kb(slow.bytes.Script)}, CSS ${kb(slow.bytes.Stylesheet)}, API ${kb(slow.bytes.Fetch + slow.bytes.XHR)}`);
} finally {
  await browser.close();
}
