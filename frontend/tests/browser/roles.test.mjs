// Browser tests of each role's day as issue 10 describes it: the reviewer's newest document,
// the phone layout and the undo; the operator's stale messages; the dashboard on a phone and
// its requests; and the small things (robots.txt, the public page's requests, lazy pages
// offline, the English catalogue, one date format). They run after app.test.mjs, on the demo
// data it leaves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, PASSWORD, api, axe, sharedBrowser, shot, signIn, tinyPDF, users } from './harness.mjs';

const { openPage, as } = sharedBrowser();
const PHONE = { width: 360, height: 740 };

async function clean(page, where) {
  const v = await axe(page);
  assert.deepEqual(v, [], `${where}: ${JSON.stringify(v, null, 1)}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${where} scrolls sideways by ${overflow}px`);
}

const item = async (page, region, code) => (await api(page, 'GET', `/api/v1/periods/2020/regions/${region}/items`)).body.find((i) => i.indicator_code === code);

test('the reviewer sees the newest waiting document first, takes a decision back, and on a phone sees the evidence above the decision', async () => {
  // a claim with an accepted document gets a new one: the new one is what the reviewer must see
  const coord = await as('coordinator');
  const up = await api(coord, 'POST', '/api/v1/periods/2020/regions/62.01/items/PTSP.4/evidence', undefined, { name: 'oss-umk-oktober.pdf', b64: tinyPDF('OSS UMK Oktober').toString('base64') });
  assert.equal(up.status, 201, JSON.stringify(up.body));
  await coord.context().close();

  const page = await as('reviewer');
  await page.goto(BASE + '/review');
  await page.getByTestId('queue-entry').filter({ hasText: 'Kotawaringin Barat' }).click();
  const panel = page.getByTestId('review-panel');
  const shown = panel.locator('.evidence-list li.shown');
  await shown.getByText('oss-umk-oktober.pdf').waitFor();
  await shown.locator('.badge', { hasText: 'Baru' }).waitFor();
  assert.equal(await panel.locator('.evidence-list li').first().getAttribute('data-evidence'), String(up.body.id), 'the newest document is listed first');
  await panel.locator('[data-testid=preview] iframe').waitFor();
  await panel.getByText('Menyetujui klaim ini juga menerima 1 dokumen').waitFor();
  // the r key is shown on "Tolak", and takes the reviewer to the reason
  assert.equal(await panel.getByRole('button', { name: 'Tolak', exact: true }).locator('kbd').innerText(), 'r');
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  await page.keyboard.press('r');
  await page.waitForFunction(() => document.activeElement?.id === 'reason');
  await page.keyboard.type('Coba batalkan.');
  await panel.getByRole('button', { name: 'Tolak', exact: true }).click();
  // the confirmation takes the focus and offers to take the decision back
  const flash = page.getByTestId('review-flash');
  await flash.getByText('PTSP.4 — Kabupaten Kotawaringin Barat ditolak.').waitFor();
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'review-flash');
  await flash.getByRole('button', { name: 'Batalkan' }).click();
  await flash.waitFor({ state: 'detached' });
  await page.getByTestId('queue-entry').filter({ hasText: 'Kotawaringin Barat' }).waitFor();
  await page.waitForTimeout(9000); // longer than the undo seconds: nothing was sent
  assert.equal((await item(page, '62.01', 'PTSP.4')).status, 'submitted');
  await clean(page, 'review after an undo');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();

  const phone = await as('reviewer', PHONE);
  await phone.goto(BASE + '/review');
  await phone.getByTestId('queue-entry').filter({ hasText: 'Kotawaringin Barat' }).click();
  const p = phone.getByTestId('review-panel');
  await p.getByTestId('preview-link').getByText('Buka PDF oss-umk-oktober.pdf').waitFor(); // a link, not an empty viewer
  assert.equal(await p.locator('[data-testid=preview] iframe').count(), 0);
  const docs = await p.locator('.docs').boundingBox();
  const decide = await p.getByRole('button', { name: 'Setujui' }).boundingBox();
  assert.ok(docs.y + docs.height <= decide.y, `evidence (${docs.y}+${docs.height}) above the decision (${decide.y})`);
  await shot(phone, 'review-phone');
  await clean(phone, 'review at 360');
  await phone.context().close();

  // a touch screen shows no keyboard hints; the queue says how long a claim has waited in words
  const touch = await openPage({ ...PHONE, touch: true });
  await signIn(touch, 'reviewer');
  await touch.goto(BASE + '/review');
  const entry = touch.getByTestId('queue-entry').filter({ hasText: 'Kotawaringin Barat' });
  await entry.getByText(/^(masuk hari ini|menunggu \d+ hari)$/).waitFor();
  await touch.getByTestId('review-panel').getByRole('button', { name: 'Tolak', exact: true }).waitFor();
  assert.equal(await touch.getByTestId('review-panel').locator('.actions kbd').filter({ visible: true }).count(), 0, 'no key hints on a touch screen');
  assert.ok(!(await touch.getByRole('button', { name: 'Pintasan papan ketik' }).isVisible()));
  await touch.context().close();
});

test("the operator's item forgets what no longer holds: an old upload error, a rejection's reason, a waiting badge on a rejected claim", async () => {
  const page = await as('operator');
  await page.goto(BASE + '/pemda/62.08');
  await page.locator('details[data-indicator]').first().waitFor();
  const codes = await page.locator('section.area:not(.outside) details[data-indicator]').evaluateAll((ds) => ds.map((d) => d.dataset.indicator));
  const code = codes.filter((c) => c !== 'PTSP.2').at(-1);
  const card = page.locator(`details[data-indicator="${code}"]`);
  if (!(await card.evaluate((d) => d.open))) await card.locator('summary').first().click();

  // a refused upload, then a successful claim: the refusal goes
  await card.locator('input[type=file]').setInputFiles({ name: 'catatan.txt', mimeType: 'text/plain', buffer: Buffer.from('bukan bukti') });
  const refused = card.getByText(/Jenis berkas tidak didukung/);
  await refused.waitFor();
  await card.locator('input[type=file]').setInputFiles({ name: 'sk-tim.pdf', mimeType: 'application/pdf', buffer: tinyPDF('SK tim') });
  await card.getByText('sk-tim.pdf terunggah.').waitFor();
  await refused.waitFor({ state: 'detached' });
  await card.getByLabel('Capaian (%)').fill('70');
  await card.getByRole('button', { name: 'Ajukan untuk diverifikasi' }).click();
  await card.locator('.badge', { hasText: 'Menunggu verifikasi' }).first().waitFor();
  await card.locator('.evidence-list li', { hasText: 'sk-tim.pdf' }).locator('.badge', { hasText: 'Menunggu verifikasi' }).waitFor();

  // the reviewer rejects the claim: its document no longer says it is waiting
  const reviewer = await as('reviewer');
  const it = await item(reviewer, '62.08', code);
  const rej = await api(reviewer, 'POST', `/api/v1/periods/2020/regions/62.08/items/${code}/reviews`, { decision: 'reject', comment: 'Lampirkan SK yang sudah bernomor.', version: it.version });
  assert.equal(rej.status, 201, JSON.stringify(rej.body));
  await reviewer.context().close();

  await page.reload();
  if (!(await card.evaluate((d) => d.open))) await card.locator('summary').first().click();
  await card.getByText('Lampirkan SK yang sudah bernomor.').waitFor();
  const doc = card.locator('.evidence-list li', { hasText: 'sk-tim.pdf' });
  await doc.waitFor();
  assert.equal(await doc.locator('.badge', { hasText: 'Menunggu' }).count(), 0, 'a document of a rejected claim is not "Menunggu"');
  // an upload now sends the item back at once: said before it happens
  await card.getByText('Mengunggah bukti baru langsung mengajukannya kembali untuk diverifikasi').waitFor();
  await shot(page, 'pemda-rejected');
  // the dates read as in the PDF: "1 Desember 2026 pukul 05.49 WIB"
  await card.locator('.history summary').click();
  const when = await card.locator('.timeline time').first().innerText();
  assert.match(when, /^\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) \d{4} pukul \d{2}\.\d{2} WIB$/);

  // sent again: the old reason goes from the card (the history keeps it)
  await card.getByRole('button', { name: 'Ajukan untuk diverifikasi' }).click();
  await card.locator('.item-figures .badge', { hasText: 'Menunggu verifikasi' }).waitFor();
  await card.locator('.review-note').waitFor({ state: 'detached' });
  await card.locator('.timeline li', { hasText: 'Ditolak: Lampirkan SK yang sudah bernomor.' }).waitFor();
  await clean(page, 'Pemda page after a resubmission');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('the dashboard on a phone: few requests, cards for the ranking in rank order, named heat-map columns, a legend with thresholds', async () => {
  const page = await openPage(PHONE);
  await page.goto(BASE + '/');
  await page.getByLabel('E-mail').fill(users.coordinator);
  await page.getByLabel('Kata sandi').fill(PASSWORD);
  const asked = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/')) asked.push(`${r.method()} ${u.pathname}`);
  });
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.locator('[data-testid=heatmap] [data-region]').first().waitFor();
  await page.waitForLoadState('networkidle');
  assert.ok(asked.length <= 5, `the dashboard asked ${asked.length} times: ${asked.join(', ')}`);

  const summary = (await api(page, 'GET', '/api/v1/periods/2020/summary')).body;
  const byRank = summary.regions.slice().sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || a.name.localeCompare(b.name, 'id')).map((r) => r.code);
  assert.deepEqual(await page.locator('[data-testid=ranking] tr[data-region]').evaluateAll((rs) => rs.map((r) => r.dataset.region)), byRank);
  assert.deepEqual(await page.locator('[data-testid=heatmap] tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.region)), byRank);
  const heads = await page.locator('[data-testid=heatmap] thead th').allInnerTexts();
  assert.deepEqual(heads.slice(1), summary.areas.map((a) => a.name));
  // the ranking is cards: every figure in view without scrolling sideways
  const card = await page.locator('[data-testid=ranking] tr[data-region]').first().boundingBox();
  assert.ok(card.width <= 360, `a ranking card is ${card.width}px wide`);
  assert.ok(await page.locator('[data-testid=ranking] tr[data-region]').first().locator('td[data-label="Delegasi"] .chip').isVisible());
  // the names stay in place while the areas scroll
  assert.equal(await page.locator('[data-testid=heatmap] tbody th').first().evaluate((th) => getComputedStyle(th).position), 'sticky');
  // and every name is there whole (on a few lines), so that Kotawaringin Barat and Timur stay apart
  const cut = await page.locator('[data-testid=heatmap] tbody th a').evaluateAll((as) => as.filter((a) => a.scrollHeight > a.clientHeight + 1 || a.scrollWidth > a.clientWidth + 1).map((a) => a.textContent));
  assert.deepEqual(cut, [], 'heat-map names cut short');
  await page.getByTestId('legend').getByText('75% ≤ p < 100%').waitFor();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  // the national view: eighteen Pemda's cards, the provinces at a glance and one area's figures (was 3200 for fifteen Pemda alone)
  assert.ok(height < 5000, `the dashboard is ${height}px tall at 360 px`);
  await shot(page, 'dashboard-phone');
  await clean(page, 'dashboard at 360');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test("the header keeps its height while a remembered session loads (no layout shift)", async () => {
  const page = await as('coordinator');
  await page.addInitScript(() => {
    window.__heights = [];
    const watch = () => {
      const h = document.querySelector('.site-header');
      if (!h) return requestAnimationFrame(watch);
      new ResizeObserver(() => window.__heights.push(Math.round(h.getBoundingClientRect().height))).observe(h);
    };
    watch();
  });
  await page.reload();
  await page.locator('[data-testid=heatmap] [data-region]').first().waitFor();
  await page.waitForTimeout(300);
  const heights = [...new Set(await page.evaluate(() => window.__heights))];
  assert.equal(heights.length, 1, `header heights ${heights.join(' → ')}`);
  const right = await page.evaluate(() => {
    const h = document.querySelector('.site-header').getBoundingClientRect();
    return { width: h.width, page: document.documentElement.clientWidth };
  });
  assert.equal(right.width, right.page, 'the header spans the page, with no strip at its right edge');
  await page.context().close();
});

test('small things: robots.txt, the public page asks for no session, lazy pages offline, English only when chosen, a read-only page offline', async () => {
  const robots = await fetch(BASE + '/robots.txt');
  assert.equal(robots.status, 200);
  assert.match(robots.headers.get('content-type'), /^text\/plain/);
  assert.match(await robots.text(), /^User-agent: \*\nDisallow: \//);

  // the public verification page: no /api/v1/me, no 401 in the console
  let page = await openPage();
  const asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(BASE + '/verify');
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.waitForLoadState('networkidle');
  assert.ok(!asked.includes('/api/v1/me'), asked.join(' '));
  assert.ok(!asked.some((p) => /\/assets\/en-/.test(p)), 'the English catalogue is not loaded for an Indonesian reader');
  assert.deepEqual(page.jsErrors, []);
  // English loads when chosen
  await page.getByTestId('lang-switch').click();
  await page.getByRole('heading', { level: 1, name: 'Check a document' }).waitFor();
  assert.ok(asked.some((p) => /\/assets\/en-[\w-]+\.js$/.test(p)), 'the English catalogue came when chosen');
  await page.getByTestId('lang-switch').click();
  await page.context().close();

  // a page whose code cannot load says so, and loads on retry
  page = await as('coordinator');
  await page.route(/\/assets\/Radar-[\w-]+\.js$/, (r) => r.abort());
  await page.getByRole('link', { name: 'Radar koordinator' }).click();
  const note = page.locator('.error-note', { hasText: 'Halaman ini tidak dapat dimuat' });
  await note.waitFor();
  await shot(page, 'lazy-offline');
  await page.unroute(/\/assets\/Radar-[\w-]+\.js$/);
  await note.getByRole('button', { name: 'Coba lagi' }).click();
  await page.locator('table.radar tbody tr').first().waitFor();

  // a page that only reads says the server is gone, without promising that typing was kept
  await page.goto(BASE + '/reports');
  await page.getByRole('button', { name: 'Unduh PDF' }).first().waitFor();
  await page.context().setOffline(true);
  await page.getByRole('button', { name: 'Unduh PDF' }).first().click();
  const gone = page.getByText('Server tidak dapat dihubungi. Periksa koneksi lalu coba lagi.');
  await gone.waitFor();
  assert.ok(!(await gone.innerText()).includes('isian Anda tidak hilang'));
  await page.context().setOffline(false);
  await page.context().close();
});

test('settings on a phone: every field and button of the zones and periods is in view without scrolling sideways', async () => {
  const page = await as('admin', PHONE);
  for (const [path, ready] of [
    ['/admin/zones', 'table.bands tbody tr'],
    ['/admin/periods', 'tr[data-year]'],
  ]) {
    await page.goto(BASE + path);
    await page.locator(ready).first().waitFor();
    const out = await page.locator('main table :is(input, button)').evaluateAll((els) =>
      els.filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth).map((e) => e.getAttribute('aria-label') ?? e.textContent),
    );
    assert.deepEqual(out, [], `${path}: out of view at 360 px`);
    await clean(page, `${path} at 360`);
  }
  await page.context().close();
});

test('settings: the catalogue as a tree, copied forward into a new year; an extension, closing and (admin) reopening with a reason', async () => {
  const page = await as('coordinator');
  // 2020's tree: PTSP.A holds PTSP.1 and PTSP.2, each with the evidence it asks for
  await page.goto(BASE + '/admin/catalogue');
  const tree = page.getByTestId('catalogue-tree');
  await tree.locator('summary').click();
  const ptspA = tree.locator('li[data-code="PTSP.A"]');
  assert.deepEqual(await ptspA.locator(':scope > ul > li').evaluateAll((ls) => ls.map((l) => l.dataset.code)), ['PTSP.1', 'PTSP.2']);
  await ptspA.locator('li[data-code="PTSP.1"] .requirement').getByText(/Peraturan kepala daerah beserta lampiran/).waitFor();
  assert.equal(await tree.locator(':scope > ul > li').count(), 8, 'eight areas');

  // a new year starts empty and copies 2020's catalogue forward
  const made = await api(page, 'POST', '/api/v1/periods', { year: 2021, name: 'MCP 2021 (uji)' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  await page.reload();
  await page.getByLabel('Tahun', { exact: true }).selectOption('2021');
  const copy = page.getByTestId('catalogue-copy');
  await copy.getByLabel('Salin dari tahun').selectOption('2020');
  await copy.getByRole('button', { name: 'Salin katalog' }).click();
  await page.getByTestId('catalogue-tree').locator('summary').click();
  await page.getByTestId('catalogue-tree').locator('li[data-code="PTSP.2"]').waitFor();
  assert.equal(await page.getByTestId('catalogue-tree').locator(':scope > ul > li').count(), 8);
  await shot(page, 'admin-catalogue-tree');
  await clean(page, 'catalogue tree');

  // 2021's lifecycle: an extension for Seruyan, then the period is closed
  await page.goto(BASE + '/admin/periods');
  await page.getByRole('button', { name: /2021/ }).first().click();
  const life = page.getByTestId('lifecycle');
  await life.getByRole('heading', { name: 'Status periode 2021' }).waitFor();
  await life.getByLabel('Pemda').selectOption('62.08');
  await life.getByRole('button', { name: 'Beri perpanjangan' }).click();
  await life.getByText('Wajib diisi.').first().waitFor();
  await life.getByLabel('Sampai tanggal').fill('2021-12-15');
  await life.getByLabel('Alasan perpanjangan').fill('Banjir di Kuala Pembuang (uji).');
  await life.getByRole('button', { name: 'Beri perpanjangan' }).click();
  await life.locator('li[data-region="62.08"]').getByText(/Kabupaten Seruyan: diperpanjang sampai 15 Desember 2021/).waitFor();
  await shot(page, 'admin-periods-lifecycle');
  await clean(page, 'periods lifecycle');
  await life.getByRole('button', { name: 'Tutup periode 2021' }).click();
  await page.locator('tr[data-year="2021"] .badge', { hasText: 'FINAL' }).waitFor();
  assert.equal(await life.getByRole('button', { name: /Buka kembali/ }).count(), 0, 'only an admin reopens');
  await page.context().close();

  const admin = await as('admin');
  await admin.goto(BASE + '/admin/periods');
  await admin.getByRole('button', { name: /2021/ }).first().click();
  const alife = admin.getByTestId('lifecycle');
  await alife.getByRole('button', { name: 'Buka kembali periode 2021' }).click();
  await alife.getByText('Wajib diisi.').waitFor();
  await alife.getByLabel('Alasan membuka kembali').fill('Koreksi data Seruyan (uji).');
  await alife.getByRole('button', { name: 'Buka kembali periode 2021' }).click();
  await alife.getByTestId('period-status').getByText(/Terbuka/).waitFor();
  assert.equal(await admin.locator('tr[data-year="2021"] .badge', { hasText: 'FINAL' }).count(), 0);
  assert.deepEqual(admin.jsErrors, []);
  await admin.context().close();
});
