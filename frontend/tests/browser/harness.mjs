// Shared pieces of the browser tests: Debian's Chromium through playwright-core, sign-in per
// role, axe-core checks and screenshots. The server is started by scripts/browser-test.sh,
// which passes PANTAU_URL and PANTAU_DEMO_PASSWORD.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const BASE = process.env.PANTAU_URL ?? 'http://127.0.0.1:8080';
export const PASSWORD = process.env.PANTAU_DEMO_PASSWORD ?? '';
export const SHOTS = process.env.PANTAU_UI_SHOTS ?? '';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const users = {
  admin: 'admin@demo.pantau.id',
  coordinator: 'koordinator@demo.pantau.id',
  operator: 'operator.seruyan@demo.pantau.id',
  reviewer: 'reviewer@demo.pantau.id',
  signatory: 'bupati.seruyan@demo.pantau.id',
};

/**
 * Starts Chromium the way this machine allows: headless, no sandbox, no background traffic.
 * Playwright itself gives every launch a new, empty --user-data-dir (it refuses the flag).
 */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return browser;
}

/** A fresh context (cookies, storage) at a width; Indonesian unless told otherwise; `touch` makes it a touch screen without a mouse. */
export async function newPage(browser, { width = 1280, height = 900, lang = 'id-ID', touch = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: lang, acceptDownloads: true, hasTouch: touch, isMobile: touch });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) errors.push(m.text());
  });
  page.jsErrors = errors;
  return page;
}

export async function signIn(page, role) {
  await page.goto(BASE + '/');
  await page.getByLabel('E-mail').fill(users[role]);
  await page.getByLabel(/Kata sandi|Password/).fill(PASSWORD);
  await page.getByRole('button', { name: /^(Masuk|Sign in)$/ }).click();
  await page.getByRole('heading', { level: 1, name: /Ringkasan|Overview/ }).waitFor();
}

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core on the page; returns the serious and critical violations. */
export async function axe(page) {
  // Evaluated through the DevTools protocol, so the page's Content-Security-Policy (which the
  // tests keep on) does not block it.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Saves a full-page screenshot under PANTAU_UI_SHOTS (outside the repository), when set. A
 * full-page capture resizes the view through the DevTools protocol and so drops a touch
 * screen's emulation: take a touch page's pictures screen by screen instead.
 */
export async function shot(page, name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  const w = page.viewportSize()?.width ?? 0;
  // the whole page as a reader scrolling down sees it: content-visibility (the dashboard's
  // lower parts) would leave what lies beyond the window blank in a full-page capture
  await page.screenshot({ path: join(SHOTS, `${name}-${w}.png`), fullPage: true, style: '* { content-visibility: visible !important; }' });
}

/** Calls the API from the page with the session's CSRF token; JSON or multipart (a `file` entry). */
export async function api(page, method, path, body, file) {
  return page.evaluate(
    async ([method, path, body, file]) => {
      const me = await fetch('/api/v1/me').then((r) => r.json());
      const headers = { 'X-CSRF-Token': me.csrf_token ?? '' };
      let payload;
      if (file) {
        payload = new FormData();
        payload.append('file', new File([Uint8Array.from(atob(file.b64), (c) => c.charCodeAt(0))], file.name, { type: 'application/pdf' }));
      } else if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        payload = JSON.stringify(body);
      }
      const r = await fetch(path, { method, headers, body: payload });
      const text = await r.text();
      let parsed = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = text; // not JSON: a file, or a page
      }
      return { status: r.status, body: parsed };
    },
    [method, path, body, file],
  );
}

/** A tiny valid PDF, made here so that the tests need no fixture files. */
export function tinyPDF(text) {
  const stream = `BT /F1 18 Tf 40 760 Td (${text}) Tj ET`;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

// sharedBrowser launches one Chromium for a test file, closed after its tests, and returns
// `openPage(opts)` for a new page and `as(role, opts)` for a new page signed in as a demo role.
export function sharedBrowser() {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });
  const openPage = (opts) => newPage(browser, opts);
  const as = async (role, opts) => {
    const page = await openPage(opts);
    await signIn(page, role);
    return page;
  };
  return { openPage, as };
}
