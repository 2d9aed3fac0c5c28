// Browser tests: Debian's Chromium, driven by playwright-core, against a real `pantau serve
// --demo` on a throwaway SQLite database (scripts/browser-test.sh starts it). They walk each
// role's work, check every main page with axe-core and, when PANTAU_UI_SHOTS is set, save
// screenshots at desktop and phone widths there.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, api, axe, sharedBrowser, shot, signIn, tinyPDF, users } from './harness.mjs';

const { openPage, as } = sharedBrowser();

async function noSeriousViolations(page, where) {
  const v = await axe(page);
  assert.deepEqual(v, [], `${where}: ${JSON.stringify(v, null, 1)}`);
}

const count = (page, metric, zone) => page.locator(`[data-testid=counts-${metric}] [data-zone=${zone}] .count`).innerText();

async function openItem(page, code) {
  const item = page.locator(`details[data-indicator="${code}"]`);
  if (!(await item.evaluate((d) => d.open))) await item.locator('summary').first().click();
  return item;
}

let seruyanBefore;

test('every role signs in and sees its own navigation', async () => {
  const expected = {
    admin: ['Ringkasan', 'Antrean verifikasi', 'Radar koordinator', 'Laporan', 'Impor', 'Komitmen', 'Pengaturan'],
    coordinator: ['Ringkasan', 'Radar koordinator', 'Laporan', 'Impor', 'Komitmen', 'Pengaturan'],
    operator: ['Ringkasan', 'Pemda saya', 'Laporan', 'Impor'],
    reviewer: ['Ringkasan', 'Antrean verifikasi', 'Laporan'],
    signatory: ['Ringkasan', 'Laporan', 'Komitmen'],
  };
  for (const role of Object.keys(users)) {
    const page = await as(role);
    const nav = await page.locator('#site-nav ul a').allInnerTexts();
    assert.deepEqual(nav, expected[role], role);
    await page.locator('[data-testid=ranking] tbody tr').first().waitFor();
    if (role === 'coordinator') seruyanBefore = await page.locator('[data-testid=ranking] tr[data-region="62.08"] .verified').innerText();
    assert.deepEqual(page.jsErrors, [], role);
    await page.context().close();
  }
  // 2020, the open year, is the default; Seruyan stands at 66 (demo) before the operator's claim
  assert.match(seruyanBefore, /^66%\s*Kuning$/);
});

test('a wrong password is refused next to the form, and a missing field next to the field', async () => {
  const page = await openPage();
  await page.goto(BASE + '/');
  await page.getByLabel('E-mail').fill(users.operator);
  await page.getByLabel('Kata sandi').fill('salah-sekali-123');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.getByText('E-mail atau kata sandi salah.').waitFor();
  await page.getByLabel('Kata sandi').fill('');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.locator('#password-error').getByText('Wajib diisi.').waitFor();
  assert.equal(await page.getByLabel('E-mail').inputValue(), users.operator, 'typed e-mail kept');
  await page.context().close();
});

test('the operator uploads evidence by drag and drop and by picking, previews it, and claims', async () => {
  const page = await as('operator');
  await page.getByRole('link', { name: 'Pemda saya' }).click();
  await page.getByRole('heading', { level: 1, name: 'Kabupaten Seruyan' }).waitFor();
  const item = await openItem(page, 'PTSP.2');

  // drag and drop
  const dt = await page.evaluateHandle((b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const d = new DataTransfer();
    d.items.add(new File([bytes], 'sop-pelayanan-2019.pdf', { type: 'application/pdf' }));
    return d;
  }, tinyPDF('SOP pelayanan perizinan Seruyan 2019').toString('base64'));
  await item.locator('[data-testid=dropzone]').dispatchEvent('drop', { dataTransfer: dt });
  await item.getByText('sop-pelayanan-2019.pdf terunggah.').waitFor();
  // picking a file
  await item.locator('input[type=file]').setInputFiles({ name: 'standar-pelayanan.pdf', mimeType: 'application/pdf', buffer: tinyPDF('Standar pelayanan') });
  await item.getByText('standar-pelayanan.pdf terunggah.').waitFor();
  await item.locator('.evidence-list li', { hasText: 'standar-pelayanan.pdf' }).waitFor();

  // a file type the server refuses: the reason is shown where the upload happened
  await item.locator('input[type=file]').setInputFiles({ name: 'catatan.txt', mimeType: 'text/plain', buffer: Buffer.from('bukan bukti') });
  await item.getByText(/Jenis berkas tidak didukung/).waitFor();

  // preview in the page
  await item.locator('.evidence-list li', { hasText: 'standar-pelayanan.pdf' }).getByRole('button', { name: 'Pratinjau' }).click();
  await item.locator('[data-testid=preview] iframe').waitFor();

  // an invalid claim is refused next to the field and nothing typed is lost
  // the reloads after the uploads have landed: the list shows both files (the claim carries the item's version)
  await item.locator('.evidence-list li', { hasText: 'sop-pelayanan-2019.pdf' }).waitFor();
  const progress = item.getByLabel('Capaian (%)');
  await progress.fill('120');
  await item.getByLabel('Catatan untuk verifikator').fill('SOP sudah ditetapkan, publikasi menyusul.');
  const refused = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith('/items/PTSP.2'));
  await item.getByRole('button', { name: 'Ajukan untuk diverifikasi' }).click();
  assert.equal((await refused).status(), 422, 'the server refuses a claim above 100');
  await item.getByText('Harus antara 0 dan 100.').waitFor();
  assert.equal(await item.getByLabel('Catatan untuk verifikator').inputValue(), 'SOP sudah ditetapkan, publikasi menyusul.');
  await progress.fill('60');
  await item.getByRole('button', { name: 'Ajukan untuk diverifikasi' }).click();
  await item.locator('.item-figures .badge', { hasText: 'Menunggu verifikasi' }).waitFor();
  await shot(page, 'pemda');
  await noSeriousViolations(page, 'Pemda page');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('the reviewer rejects with a reason, the operator repairs, the reviewer approves by keyboard', async () => {
  let page = await as('reviewer');
  await page.getByRole('link', { name: 'Antrean verifikasi' }).click();
  const entries = page.getByTestId('queue-entry');
  await entries.first().waitFor();
  const texts = await entries.allInnerTexts();
  assert.ok(texts.at(-1).includes('Seruyan'), `newest claim last: ${texts}`);
  await entries.filter({ hasText: 'Seruyan' }).click();
  const panel = page.getByTestId('review-panel');
  await panel.getByRole('heading', { name: /PTSP\.2/ }).waitFor();
  await panel.locator('[data-testid=preview]').waitFor(); // claim and evidence side by side
  await panel.getByRole('button', { name: 'Tolak', exact: true }).click();
  await panel.getByText('Tuliskan alasan penolakan').waitFor();
  await panel.getByLabel('Alasan / catatan').fill('SOP belum ditandatangani kepala DPMPTSP; unggah versi bertanda tangan.');
  await panel.getByRole('button', { name: 'Tolak', exact: true }).click();
  await page.getByTestId('review-flash').getByText('PTSP.2 — Kabupaten Seruyan ditolak.').waitFor();
  await page.locator('[data-testid=review-flash][data-sent=true]').waitFor(); // sent once "Batalkan" has had its seconds
  await page.context().close();

  page = await as('operator');
  await page.goto(BASE + '/pemda/62.08');
  const item = await openItem(page, 'PTSP.2');
  await item.getByText('SOP belum ditandatangani kepala DPMPTSP').waitFor();
  await item.locator('.item-figures .badge', { hasText: 'Ditolak' }).waitFor();
  await item.locator('input[type=file]').setInputFiles({ name: 'sop-bertanda-tangan.pdf', mimeType: 'application/pdf', buffer: tinyPDF('SOP bertanda tangan') });
  await item.getByText('sop-bertanda-tangan.pdf terunggah.').waitFor();
  await item.getByLabel('Capaian (%)').fill('60');
  await item.getByRole('button', { name: 'Ajukan untuk diverifikasi' }).click();
  await item.locator('.item-figures .badge', { hasText: 'Menunggu verifikasi' }).waitFor();
  await item.locator('.history summary').click();
  await item.locator('.timeline li', { hasText: 'Ditolak: SOP belum ditandatangani' }).waitFor();
  await page.context().close();

  page = await as('reviewer');
  await page.goto(BASE + '/review');
  await page.getByTestId('queue-entry').first().waitFor();
  // j moves down the queue; select Seruyan's claim with the keyboard
  const n = (await page.getByTestId('queue-entry').allInnerTexts()).findIndex((x) => x.includes('Seruyan'));
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  for (let i = 0; i < n; i++) await page.keyboard.press('j');
  await page.getByTestId('review-panel').getByText('Kabupaten Seruyan').waitFor();
  await page.getByTestId('review-panel').locator('[data-testid=preview]').waitFor(); // its documents are there: the approval names them
  await page.keyboard.press('a');
  await page.getByTestId('review-flash').getByText('PTSP.2 — Kabupaten Seruyan disetujui.').waitFor();
  await page.locator('[data-testid=review-flash][data-sent=true]').waitFor();
  await shot(page, 'review');
  await noSeriousViolations(page, 'review queue');
  await page.context().close();
});

test("the dashboard's figures follow the approval: national, then one province", async () => {
  const page = await as('coordinator');
  await page.locator('[data-testid=ranking] tbody tr').first().waitFor();
  // national 2020: eighteen Pemda in two provinces, each province at a glance
  assert.equal(await page.locator('[data-testid=ranking] tr[data-region]').count(), 18);
  assert.equal(await count(page, 'action_plan', 'green'), '2');
  assert.equal(await count(page, 'action_plan', 'yellow'), '14');
  assert.equal(await count(page, 'action_plan', 'red'), '2');
  const provinces = page.locator('[data-testid=provinces] tr[data-province]');
  assert.deepEqual(await provinces.evaluateAll((rs) => rs.map((r) => r.dataset.province)), ['65', '62']);
  assert.match(await provinces.nth(0).innerText(), /^1\s+Provinsi Kalimantan Utara\s+64,74%/);
  // Seruyan's PTSP.2 went from 92 to the approved 60: its figure 66 → 65,68, the province's average 64 → 63,98
  const seruyan = page.locator('[data-testid=ranking] tr[data-region="62.08"]');
  assert.match(await seruyan.innerText(), /65,68%\s*Kuning/);
  assert.match(await provinces.nth(1).innerText(), /^2\s+Provinsi Kalimantan Tengah\s+63,98%/);
  // as of the latest change: the approval above, today
  const today = new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Jakarta' }).format(new Date());
  await page.getByTestId('as-of').getByText(`Data per ${today}`).waitFor();
  assert.equal(await page.getByTestId('final').count(), 0, 'an open year is not final');
  await page.locator('[data-testid=heatmap]').waitFor();
  await shot(page, 'dashboard');
  await noSeriousViolations(page, 'national dashboard');

  // picking a province shows its dashboard alone
  await page.getByLabel('Provinsi', { exact: true }).selectOption('62');
  await page.waitForURL(/\?province=62$/);
  await page.getByTestId('provinces').waitFor({ state: 'detached' });
  await page.locator('p.average', { hasText: 'Rata-rata Pemda: 63,98%' }).waitFor();
  assert.equal(await page.locator('[data-testid=ranking] tr[data-region]').count(), 15);
  await page.getByTestId('area-figures').getByText(/Pada area Pelayanan Terpadu Satu Pintu/).waitFor();

  // 2019, closed: the published figures, FINAL
  await page.getByLabel('Tahun', { exact: true }).selectOption('2019');
  await page.getByTestId('final').getByText('FINAL').waitFor();
  await page.locator('p.average', { hasText: 'Rata-rata Pemda: 69%' }).waitFor();
  assert.match(await page.locator('[data-testid=ranking] tr[data-region="62.08"]').innerText(), /62%\s*Kuning/);
  const area = page.getByTestId('area-figures');
  assert.equal(await area.getByLabel('Area').inputValue(), 'PTSP');
  const areaCount = (zone) => area.locator(`[data-zone=${zone}] .count`).innerText();
  assert.deepEqual([await areaCount('complete'), await areaCount('green'), await areaCount('yellow')], ['1', '10', '4']);
  await shot(page, 'dashboard-province-2019');
  await page.getByLabel('Tahun', { exact: true }).selectOption('2020');
  await noSeriousViolations(page, 'dashboard');
  await page.context().close();
});

test('the Pemda page: leaves under their indicator, the trend; an item outside the authority is marked, confirmed, shown apart and withdrawn', async () => {
  let page = await as('operator');
  await page.goto(BASE + '/pemda/62.08');
  await page.getByRole('heading', { level: 1, name: 'Kabupaten Seruyan' }).waitFor();
  // PTSP.1 and PTSP.2 are sub-indicators of PTSP.A; PTSP.3 is a leaf indicator of its own
  const group = page.locator('.indicator-group[data-parent="PTSP.A"]');
  // the areas are painted a frame at a time after the page's first screen
  await group.locator('details[data-indicator]').first().waitFor();
  assert.deepEqual(await group.locator('details[data-indicator]').evaluateAll((ds) => ds.map((d) => d.dataset.indicator)), ['PTSP.1', 'PTSP.2']);
  assert.equal(await page.locator('.indicator-group details[data-indicator="PTSP.3"]').count(), 0);
  const ptsp1 = await openItem(page, 'PTSP.1');
  await ptsp1.getByTestId('requirement').getByText('Peraturan kepala daerah beserta lampiran', { exact: false }).waitFor();
  // the trend: 2018 55, 2019 62 (published), 2020 65,68 after the approval above
  const trend = page.getByTestId('trend');
  assert.deepEqual(await trend.locator('li').evaluateAll((ls) => ls.map((l) => l.dataset.year)), ['2018', '2019', '2020']);
  assert.match(await trend.locator('li[data-year="2019"]').innerText(), /62%/);
  assert.match(await trend.locator('li[data-year="2020"]').innerText(), /65,68%/);

  // DD.2 lies outside Seruyan's authority: a reason first (required), then the regulation as evidence
  const dd2 = await openItem(page, 'DD.2');
  await dd2.getByRole('button', { name: 'Tandai di luar kewenangan Pemda' }).click();
  await dd2.getByRole('button', { name: 'Kirim untuk diverifikasi' }).click();
  await dd2.getByText('Wajib diisi.').waitFor();
  await dd2.getByLabel(/^Alasan/).fill('Pengawasan dana desa dilimpahkan ke inspektorat provinsi (Pergub 12/2020, demo).');
  await dd2.getByRole('button', { name: 'Kirim untuk diverifikasi' }).click();
  await dd2.locator('.item-figures .badge', { hasText: 'Tidak berlaku (menunggu verifikasi)' }).waitFor();
  assert.equal(await dd2.getByLabel('Capaian (%)').count(), 0, 'no claim while the mark waits');
  await dd2.locator('input[type=file]').setInputFiles({ name: 'pergub-12-2020.pdf', mimeType: 'application/pdf', buffer: tinyPDF('Pergub 12/2020') });
  await dd2.getByText('pergub-12-2020.pdf terunggah.').waitFor();
  await shot(page, 'pemda-na-pending');
  await noSeriousViolations(page, 'Pemda page with a pending mark');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();

  // the reviewer sees the mark as such, with its reason, and confirms it
  page = await as('reviewer');
  await page.goto(BASE + '/review');
  const entry = page.getByTestId('queue-entry').filter({ hasText: 'DD.2' });
  await entry.locator('.badge', { hasText: 'Tidak berlaku (usulan)' }).waitFor();
  await entry.click();
  const panel = page.getByTestId('review-panel');
  await panel.getByTestId('na-mark').getByText(/Pergub 12\/2020/).waitFor();
  assert.equal(await panel.getByLabel('Nilai terverifikasi (%)').count(), 0, 'no verified figure for a mark');
  await shot(page, 'review-na');
  await panel.getByRole('button', { name: 'Setujui' }).click();
  await page.getByTestId('review-flash').getByText(/DD\.2 — Kabupaten Seruyan disetujui/).waitFor();
  await page.locator('[data-testid=review-flash][data-sent=true]').waitFor();
  await page.context().close();

  // confirmed: shown apart under "Tidak berlaku", without figures; the operator withdraws it
  page = await as('operator');
  await page.goto(BASE + '/pemda/62.08');
  const apart = page.getByTestId('not-applicable');
  const na = apart.locator('details[data-indicator="DD.2"]');
  await na.locator('.badge', { hasText: 'Tidak berlaku' }).waitFor();
  assert.doesNotMatch(await na.locator(':scope > summary').innerText(), /Klaim|Terverifikasi/);
  if (!(await na.evaluate((d) => d.open))) await na.locator(':scope > summary').click();
  await na.getByTestId('na-reason').getByText(/Pergub 12\/2020/).waitFor();
  await shot(page, 'pemda-na-confirmed');
  await na.getByRole('button', { name: 'Tarik tanda tidak berlaku' }).click();
  await page.locator('section.area:not(.outside) details[data-indicator="DD.2"]').waitFor();
  assert.equal(await page.getByTestId('not-applicable').count(), 0);

  // a closed year: shown plainly, nothing to write
  await page.getByLabel('Tahun', { exact: true }).selectOption('2019');
  await page.getByTestId('locked').getByText('Periode 2019 sudah ditutup: angkanya final.').waitFor();
  const closed = await openItem(page, 'PTSP.2');
  assert.equal(await closed.getByLabel('Capaian (%)').count(), 0);
  assert.equal(await closed.locator('input[type=file]').count(), 0);
  await shot(page, 'pemda-closed');
  await page.getByLabel('Tahun', { exact: true }).selectOption('2020');
  await page.getByTestId('trend').waitFor();
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('switching the language changes every label and is remembered', async () => {
  const page = await as('coordinator');
  await page.getByTestId('lang-switch').click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.locator('[data-testid=counts-action_plan]').getByText('Action plan').waitFor();
  const chip = await page.locator('[data-testid=ranking] tr[data-region="62.09"] .chip').first().innerText();
  assert.match(chip, /80%\s*Green/);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await shot(page, 'dashboard-en');
  await page.getByTestId('lang-switch').click();
  await page.getByRole('heading', { level: 1, name: 'Ringkasan' }).waitFor();
  await page.context().close();
});

test('the coordinator sees the radar; the admin manages users with errors next to fields', async () => {
  let page = await as('coordinator');
  await page.getByRole('link', { name: 'Radar koordinator' }).click();
  await page.locator('table.radar tbody tr').first().waitFor();
  // each cell names only what is left to chase, in the server's counts
  const radar = await page.evaluate(() => fetch('/api/v1/periods/2020/progress').then((r) => r.json()));
  const rows = page.locator('table.radar tbody tr');
  assert.equal(await rows.count(), radar.regions.length);
  for (const g of radar.regions) {
    const total = page.locator('table.radar tbody tr', { has: page.locator(`a[href="/pemda/${g.code}"]`) }).locator('td').last();
    const want = [['Belum diisi', g.not_started], ['Menunggu', g.waiting], ['Ditolak', g.rejected]].filter(([, n]) => n > 0).map(([w, n]) => `${w}: ${n}`);
    assert.equal((await total.innerText()).trim(), want.length ? want.join('\n') : 'Semua disetujui', g.name);
  }
  // what is rejected or missing comes first, then what waits
  const order = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('a').getAttribute('href').split('/').pop()));
  const rank = (code) => {
    const g = radar.regions.find((x) => x.code === code);
    return [g.rejected + g.not_started, g.waiting];
  };
  for (let i = 1; i < order.length; i++) {
    const [a, b] = [rank(order[i - 1]), rank(order[i])];
    assert.ok(a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]), `${order[i - 1]} before ${order[i]}`);
  }
  await shot(page, 'radar');
  await noSeriousViolations(page, 'radar');
  await page.context().close();

  page = await as('admin');
  await page.goto(BASE + '/admin/users');
  const form = page.locator('form.create-form');
  await form.getByLabel('Nama').fill('Operator Kapuas');
  await form.getByLabel('E-mail').fill('bukan-email');
  await form.getByLabel('Peran').selectOption('operator');
  await form.getByLabel('Kata sandi').fill('pendek');
  await form.getByRole('button', { name: 'Tambah' }).click();
  await form.getByText('Alamat e-mail tidak valid.').waitFor();
  await form.getByText('Kata sandi minimal 10 karakter.').waitFor();
  await form.getByText('Wajib diisi untuk operator.').waitFor();
  assert.equal(await form.getByLabel('Nama').inputValue(), 'Operator Kapuas');
  await form.getByLabel('E-mail').fill('operator.kapuas@demo.pantau.id');
  await form.getByLabel('Pemda (untuk operator)').selectOption('62.03');
  await form.getByLabel('Kata sandi').fill('kata-sandi-yang-panjang');
  await form.getByRole('button', { name: 'Tambah' }).click();
  await page.locator('table td', { hasText: 'operator.kapuas@demo.pantau.id' }).waitFor();
  await shot(page, 'admin-users');
  await noSeriousViolations(page, 'admin users');
  for (const tab of ['periods', 'catalogue', 'zones']) {
    await page.goto(BASE + '/admin/' + tab);
    await page.locator('main table').first().waitFor();
    await noSeriousViolations(page, 'admin ' + tab);
  }
  await shot(page, 'admin-zones');
  await page.goto(BASE + '/admin/letterhead');
  await page.locator('main form').first().waitFor();
  await noSeriousViolations(page, 'admin letterhead');
  await page.context().close();
});

test('reports download as PDF with a verification code', async () => {
  const page = await as('coordinator');
  await page.getByRole('link', { name: 'Laporan' }).click();
  await page.getByRole('heading', { level: 1, name: 'Laporan' }).waitFor();
  const download = page.getByRole('button', { name: 'Unduh PDF' }).first();
  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  assert.match(file.suggestedFilename(), /\.pdf$/);
  const code = await page.locator('.download a[href^="/verify/"]').first().innerText();
  process.env.PANTAU_REPORT_CODE = code;
  await shot(page, 'reports');
  await noSeriousViolations(page, 'reports');
  await page.context().close();
});

test('commitments: the coordinator prepares one, the regent signs on the pad, the PDF downloads', async () => {
  let page = await as('coordinator');
  await page.getByRole('link', { name: 'Komitmen', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Komitmen PTSP Prima' }).waitFor();
  const create = page.getByRole('button', { name: 'Buat', exact: true });
  await page.getByLabel('Pemda').selectOption('62.08');
  await create.click();
  await page.waitForURL(/\/commitments\/\d+$/);
  const url = page.url();
  const regent = page.locator('details', { hasText: 'Tetapkan penanda tangan: Bupati / Wali Kota' });
  await regent.locator('summary').click();
  await regent.getByLabel('E-mail').fill(users.signatory);
  await regent.getByLabel('Nama').fill('Bupati Seruyan (demo)');
  await regent.getByLabel('Jabatan').fill('Bupati Seruyan');
  await regent.getByRole('button', { name: 'Simpan' }).click();
  await page.locator('table td', { hasText: users.signatory }).waitFor();
  await shot(page, 'commitment-detail');
  await noSeriousViolations(page, 'commitment detail');
  await page.context().close();

  page = await as('signatory');
  await page.getByRole('link', { name: 'Komitmen', exact: true }).click();
  await page.locator('.commit-list a').first().click();
  await page.waitForURL(url);
  // a first-time signer makes a key first: its card comes before the form to sign, which says so
  await page.getByRole('button', { name: 'Buat kunci tanda tangan' }).waitFor();
  const keyFirst = page.locator('form.sign-form .notice', { hasText: 'Buat kunci tanda tangan Anda terlebih dahulu' });
  await keyFirst.waitFor();
  const [keyCard, signCard] = [await page.locator('#signing-key-h').boundingBox(), await page.locator('form.sign-form').boundingBox()];
  assert.ok(keyCard.y < signCard.y, `the key card (${keyCard.y}) comes before the form to sign (${signCard.y})`);
  await page.getByRole('button', { name: 'Unduh PDF (draf)' }).waitFor(); // nothing signed yet
  await page.getByLabel('Frasa sandi baru').fill('frasa-sandi-bupati-2019');
  await page.getByLabel('Ketik ulang frasa sandi').fill('frasa-sandi-bupati-2019');
  await page.getByRole('button', { name: 'Buat kunci tanda tangan' }).click();
  await page.getByText(/Kunci siap\. Sidik jari/).waitFor();
  await keyFirst.waitFor({ state: 'detached' });

  const form = page.locator('form.sign-form');
  await form.getByRole('button', { name: 'Tanda tangani dokumen' }).click();
  await form.getByText('Gambar tanda tangan Anda terlebih dahulu.').waitFor();
  const pad = await form.getByTestId('signature-pad').boundingBox();
  await page.mouse.move(pad.x + 20, pad.y + pad.height * 0.7);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(pad.x + 20 + i * 18, pad.y + pad.height * (0.7 - 0.4 * Math.sin(i / 2)));
  await page.mouse.up();
  await form.getByText('Tanda tangan telah digambar.').waitFor();
  await form.getByLabel('Frasa sandi kunci tanda tangan').fill('frasa-salah-sekali');
  await form.getByLabel('Saya telah membaca dokumen ini').check();
  await form.getByRole('button', { name: 'Tanda tangani dokumen' }).click();
  await form.locator('.field-error, .form-error').first().waitFor(); // a wrong passphrase is refused
  await form.getByLabel('Frasa sandi kunci tanda tangan').fill('frasa-sandi-bupati-2019');
  await form.getByRole('button', { name: 'Tanda tangani dokumen' }).click();
  await page.locator('table tr', { hasText: 'Bupati / Wali Kota' }).getByText('Ditandatangani', { exact: true }).waitFor();
  await shot(page, 'commitment-signed');
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Unduh PDF bertanda tangan' }).click()]);
  assert.match(file.suggestedFilename(), /\.pdf$/);
  const code = await page.locator('main a[href^="/verify/"]').first().innerText();
  await page.goto(BASE + '/verify/' + code);
  await page.getByTestId('verify-result').getByText('Bupati Seruyan (demo)').waitFor();
  await noSeriousViolations(page, 'verify a commitment');
  await page.context().close();
});

test('the public verification page needs no sign-in', async () => {
  const page = await openPage();
  await page.goto(BASE + '/verify/ABCD-EFGH-JKMN');
  await page.getByTestId('verify-result').getByText('Kode ABCD-EFGH-JKMN tidak dikenal.').waitFor();
  await page.getByLabel('Berkas PDF', { exact: true }).setInputFiles({ name: 'salinan.pdf', mimeType: 'application/pdf', buffer: tinyPDF('bukan dokumen Pantau') });
  await page.getByRole('button', { name: 'Periksa berkas' }).click();
  await page.getByTestId('file-result').getByText('tidak cocok').waitFor();
  if (process.env.PANTAU_REPORT_CODE) {
    await page.getByLabel('Kode verifikasi', { exact: true }).fill(process.env.PANTAU_REPORT_CODE.toLowerCase());
    await page.getByRole('button', { name: 'Periksa kode' }).click();
    await page.getByTestId('verify-result').getByText('Dokumen ini diterbitkan oleh Pantau.').waitFor();
  }
  await shot(page, 'verify');
  await noSeriousViolations(page, 'verify');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('sign-in page passes axe and the sign-out ends the session', async () => {
  const page = await openPage();
  await page.goto(BASE + '/');
  await page.getByRole('heading', { name: 'Masuk' }).waitFor();
  await shot(page, 'login');
  await noSeriousViolations(page, 'sign-in');
  await signIn(page, 'reviewer');
  await page.getByRole('button', { name: 'Keluar' }).click();
  await page.getByRole('heading', { name: 'Masuk' }).waitFor();
  const me = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.status));
  assert.equal(me, 401);
  await page.context().close();
});

test('main pages at phone width (360 px): no horizontal page scroll, no serious axe violations', async () => {
  const pages = [
    ['operator', '/', 'dashboard', '[data-testid=ranking] tbody tr'],
    ['operator', '/pemda/62.08', 'pemda', 'details[data-indicator]'],
    ['reviewer', '/review', 'review', 'main h1'],
    ['coordinator', '/radar', 'radar', 'table.radar tbody tr'],
    ['coordinator', '/reports', 'reports', 'main h1'],
    ['coordinator', '/commitments', 'commitments', 'main h1'],
    ['admin', '/admin/users', 'admin-users', 'main table'],
  ];
  for (const [role, path, name, ready] of pages) {
    const page = await as(role, { width: 360, height: 740 });
    await page.goto(BASE + path);
    await page.locator(ready).first().waitFor();
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px`);
    await shot(page, name);
    await noSeriousViolations(page, `${path} at 360 px`);
    await page.context().close();
  }
  for (const [path, name] of [
    ['/', 'login'],
    ['/verify/ABCD-EFGH-JKMN', 'verify'],
  ]) {
    const page = await openPage({ width: 360, height: 740 });
    await page.goto(BASE + path);
    await page.locator('main h1').waitFor();
    await page.waitForTimeout(200);
    await shot(page, name);
    await noSeriousViolations(page, `${path} at 360 px`);
    await page.context().close();
  }
});

/** Calls the API from the page, with the session's CSRF token. */
async function signInWith(page, email, password) {
  await page.goto(BASE + '/');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Kata sandi').fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
}

async function noSideScroll(page, where) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${where} scrolls sideways by ${overflow}px`);
}

test('the coordinator sets a deadline, the radar shows it, and a stale edit asks for a reload', async () => {
  for (const width of [1280, 360]) {
    const page = await as('coordinator', { width, height: width === 360 ? 740 : 900 });
    const year = Math.max(...(await api(page, 'GET', '/api/v1/periods')).body.map((p) => p.year));
    await page.goto(BASE + '/admin/periods');
    const edit = page.getByRole('button', { name: `Ubah periode ${year}` });
    await edit.click();
    const form = page.locator('#period-edit');
    await form.getByRole('heading', { name: `Ubah periode ${year}` }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'period-name'); // the form takes the focus
    const date = width === 360 ? '2099-11-30' : '2099-12-31';
    const shown = width === 360 ? '30 November 2099' : '31 Desember 2099';
    await form.getByLabel('Batas waktu unggah bukti').fill(date);
    await form.getByRole('button', { name: 'Simpan' }).click();
    await form.getByText('Tersimpan.').waitFor();
    await page.locator(`tr[data-year="${year}"] [data-testid=period-deadline]`).getByText(shown).waitFor();
    await shot(page, 'admin-periods');
    await noSideScroll(page, '/admin/periods');
    await noSeriousViolations(page, `admin periods at ${width}`);

    if (width === 1280) {
      // someone else changes the period meanwhile: saving is refused with a way to reload
      const cur = (await api(page, 'GET', `/api/v1/periods/${year}`)).body;
      assert.equal((await api(page, 'PATCH', `/api/v1/periods/${year}`, { name: cur.name, version: cur.version })).status, 200);
      await form.getByLabel('Nama').fill(cur.name + ' (diubah)');
      await form.getByRole('button', { name: 'Simpan' }).click();
      await form.getByText(/baru saja diubah orang lain/).waitFor();
      await shot(page, 'admin-periods-stale');
      await form.getByRole('button', { name: 'Muat data terbaru' }).click();
      await page.waitForFunction((n) => document.getElementById('period-name')?.value === n, cur.name);
      // Escape closes the form and gives the focus back to its button
      await form.getByLabel('Nama').press('Escape');
      await form.waitFor({ state: 'detached' });
      await page.waitForFunction((id) => document.activeElement?.id === id, `edit-period-${year}`); // the focus goes back to its button
    }

    await page.goto(BASE + '/radar');
    await page.getByTestId('deadline').getByText(new RegExp(`Batas waktu ${shown}: tinggal [\\d.]+ hari`)).waitFor();
    await page.locator('table.radar tbody tr').first().waitFor();
    await shot(page, 'radar-deadline');
    await noSideScroll(page, '/radar');
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  }
  // clearing the deadline: the radar says there is none
  const page = await as('coordinator');
  const year = Math.max(...(await api(page, 'GET', '/api/v1/periods')).body.map((p) => p.year));
  await page.goto(BASE + '/admin/periods');
  await page.getByRole('button', { name: `Ubah periode ${year}` }).click();
  await page.getByRole('button', { name: 'Hapus batas waktu' }).click();
  await page.locator('#period-edit').getByRole('button', { name: 'Simpan' }).click();
  await page.locator(`tr[data-year="${year}"] [data-testid=period-deadline]`).getByText('Belum ditetapkan').waitFor();
  await page.goto(BASE + '/radar');
  await page.getByTestId('no-deadline').waitFor();
  // and set it again, as the rest of a demo would expect
  assert.equal((await api(page, 'PATCH', `/api/v1/periods/${year}`, { deadline: '2099-12-31' })).status, 200);
  await page.context().close();
});

test('a user changes their password from the header and signs in with the new one', async () => {
  const admin = await as('admin');
  const email = 'uji.ganti.sandi@demo.pantau.id';
  const oldPw = 'kata-sandi-lama-1';
  const newPw = 'kata-sandi-baru-2';
  const made = await api(admin, 'POST', '/api/v1/users', { name: 'Uji Ganti Sandi', email, role: 'reviewer', password: oldPw });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  await admin.context().close();

  const page = await openPage({ width: 360, height: 740 });
  await signInWith(page, email, oldPw);
  await page.getByRole('heading', { level: 1, name: 'Ringkasan' }).waitFor();
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: 'Ubah kata sandi' }).click();
  await page.getByRole('heading', { level: 1, name: 'Ubah kata sandi' }).waitFor();
  const form = page.getByTestId('password-form');
  // checked here first: too short, and not typed the same twice
  await form.getByLabel('Kata sandi saat ini').fill(oldPw);
  await form.getByLabel('Kata sandi baru', { exact: true }).fill('pendek');
  await form.getByLabel('Ulangi kata sandi baru').fill('lain');
  await form.getByRole('button', { name: 'Simpan kata sandi baru' }).click();
  await page.locator('#pw-new_password-error').getByText('Paling sedikit 10 karakter.').waitFor();
  await page.locator('#pw-confirm-error').getByText('Tidak sama dengan kata sandi baru.').waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'pw-new_password'); // focus on the first field in error
  // then by the API: a wrong current password is named next to its field
  await form.getByLabel('Kata sandi saat ini').fill('bukan-sandi-lama');
  await form.getByLabel('Kata sandi baru', { exact: true }).fill(newPw);
  await form.getByLabel('Ulangi kata sandi baru').fill(newPw);
  await form.getByRole('button', { name: 'Simpan kata sandi baru' }).click();
  await page.locator('#pw-old_password-error').getByText('Kata sandi lama salah.').waitFor();
  await shot(page, 'password-error');
  await noSideScroll(page, '/account/password');
  await noSeriousViolations(page, 'change password at 360');
  await form.getByLabel('Kata sandi saat ini').fill(oldPw);
  await form.getByRole('button', { name: 'Simpan kata sandi baru' }).click();
  await form.getByText('Kata sandi telah diubah.').waitFor();
  assert.equal(await form.getByLabel('Kata sandi baru', { exact: true }).inputValue(), '', 'the form is emptied');
  await shot(page, 'password-done');

  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('button', { name: 'Keluar' }).click();
  await page.getByRole('heading', { name: 'Masuk' }).waitFor();
  await signInWith(page, email, oldPw);
  await page.getByText('E-mail atau kata sandi salah.').waitFor();
  await signInWith(page, email, newPw);
  await page.getByRole('heading', { level: 1, name: 'Ringkasan' }).waitFor();
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();

  // the page at desktop width, in English
  const wide = await openPage();
  await signInWith(wide, email, newPw);
  await wide.getByTestId('lang-switch').click();
  await wide.getByRole('link', { name: 'Change password' }).click();
  await wide.getByRole('heading', { level: 1, name: 'Change password' }).waitFor();
  await shot(wide, 'password-en');
  await noSeriousViolations(wide, 'change password at 1280');
  await wide.getByTestId('lang-switch').click();
  await wide.context().close();
});

test("the operator sees each document's status and replaces a rejected one with a revision", async () => {
  let page = await as('operator');
  await page.goto(BASE + '/pemda/62.08');
  await page.locator('details[data-indicator]').first().waitFor();
  const codes = await page.locator('details[data-indicator]').evaluateAll((ds) => ds.map((d) => d.dataset.indicator));
  const code = codes.find((c) => c !== 'PTSP.2');
  let item = await openItem(page, code);
  await item.getByLabel(/Tanggal berlaku dokumen/).fill('2024-07-01');
  await item.locator('input[type=file]').setInputFiles({ name: 'perbup-pendelegasian.pdf', mimeType: 'application/pdf', buffer: tinyPDF('Perbup pendelegasian') });
  await item.getByText('perbup-pendelegasian.pdf terunggah.').waitFor();
  let row = item.locator('.evidence-list li', { hasText: 'perbup-pendelegasian.pdf' });
  await row.getByText('berlaku 1 Juli 2024').waitFor();
  await row.locator('.badge', { hasText: 'Menunggu' }).waitFor(); // the upload sent the approved item back to the reviewers
  const oldId = await row.getAttribute('data-evidence');
  await page.context().close();

  // the reviewer rejects that document with a reason
  page = await as('reviewer');
  const rej = await api(page, 'PUT', `/api/v1/evidence/${oldId}/review`, { status: 'rejected', reason: 'Belum ditandatangani bupati.' });
  assert.equal(rej.status, 200, JSON.stringify(rej.body));
  await page.context().close();

  for (const width of [1280, 360]) {
    page = await as('operator', { width, height: width === 360 ? 740 : 900 });
    await page.goto(BASE + '/pemda/62.08');
    item = await openItem(page, code);
    const name = width === 360 ? 'perbup-pendelegasian-ttd-2.pdf' : 'perbup-pendelegasian-ttd.pdf';
    const replaced = width === 360 ? 'perbup-pendelegasian-ttd.pdf' : 'perbup-pendelegasian.pdf';
    row = item.locator('.evidence-list li', { hasText: replaced });
    if (width === 1280) {
      await row.locator('.badge', { hasText: 'Ditolak' }).waitFor();
      await row.getByText('Alasan penolakan: Belum ditandatangani bupati.').waitFor();
    }
    const id = await row.getAttribute('data-evidence');
    await row.getByRole('button', { name: `Ganti dokumen ${replaced}` }).click();
    const form = page.locator(`#replace-${id}`);
    await form.waitFor();
    await page.waitForFunction(() => document.activeElement?.type === 'file'); // the form takes the focus
    await form.getByRole('button', { name: 'Unggah revisi' }).click();
    await form.getByText('Pilih berkas terlebih dahulu.').waitFor();
    await form.getByLabel('Berkas revisi').setInputFiles({ name, mimeType: 'application/pdf', buffer: tinyPDF('Perbup bertanda tangan') });
    await form.getByLabel(/Tanggal berlaku dokumen/).fill('2024-08-01');
    await shot(page, 'pemda-replace');
    await noSideScroll(page, '/pemda/62.08 replacing');
    await noSeriousViolations(page, `replace form at ${width}`);
    await form.getByRole('button', { name: 'Unggah revisi' }).click();
    await item.getByTestId('replaced').getByText(`${name} diunggah sebagai revisi.`).waitFor();
    const fresh = item.locator('.evidence-list li', { hasText: name });
    await fresh.locator('.badge', { hasText: 'Revisi' }).waitFor();
    await fresh.locator('.badge', { hasText: 'Menunggu' }).waitFor();
    await fresh.getByText('berlaku 1 Agustus 2024').waitFor();
    await item.locator('.evidence-list li', { hasText: replaced }).filter({ hasNotText: name }).waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.dataset.testid === 'replaced'); // focus on the news
    // the replaced document stays downloadable
    assert.equal(await page.evaluate((i) => fetch(`/api/v1/evidence/${i}`).then((r) => r.status), id), 200);
    await shot(page, 'pemda-replaced');
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  }
});

test('the admin sees the letterhead logo as the type it is, and the signatories’ key import', async () => {
  const page = await as('admin');
  await page.goto(BASE + '/admin/letterhead');
  const logo = page.getByLabel('Logo (PNG atau JPEG)');
  await logo.waitFor();
  const jpeg = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 40;
    c.height = 40;
    const g = c.getContext('2d');
    g.fillStyle = '#0b5394';
    g.fillRect(0, 0, 40, 40);
    return c.toDataURL('image/jpeg').split(',')[1];
  });
  await logo.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from(jpeg, 'base64') }); // named .png, is a JPEG
  await page.waitForFunction(() => document.querySelector('[data-testid=logo-preview]')?.getAttribute('src')?.startsWith('data:image/jpeg;base64,'));
  assert.ok(await page.getByTestId('logo-preview').evaluate((img) => img.complete && img.naturalWidth === 40), 'the preview shows');
  await shot(page, 'admin-letterhead');

  await page.goto(BASE + '/admin/signatories');
  const form = page.locator('form', { hasText: users.signatory });
  await form.getByRole('button', { name: 'Impor kunci' }).click();
  await form.getByText('Pilih berkas terlebih dahulu.').waitFor();
  await form.getByLabel('Berkas PKCS#12 (.p12 atau .pfx)').setInputFiles({ name: 'kunci.p12', mimeType: 'application/x-pkcs12', buffer: Buffer.from('bukan pkcs12') });
  await form.getByLabel('Kata sandi berkas PKCS#12').fill('sandi-berkas');
  await form.getByLabel('Frasa sandi tanda tangan').fill('frasa-sandi-impor-1');
  await form.getByRole('button', { name: 'Impor kunci' }).click();
  await form.locator('.field-error').first().waitFor(); // the server names what is wrong, next to the field
  await shot(page, 'admin-signatories');
  await noSeriousViolations(page, 'admin signatories');
  await page.context().close();

  const phone = await as('admin', { width: 360, height: 740 });
  await phone.goto(BASE + '/admin/signatories');
  await phone.locator('main form').first().waitFor();
  await noSideScroll(phone, '/admin/signatories');
  await shot(phone, 'admin-signatories');
  await phone.context().close();
});

test('the admin moves a user to another Pemda, deactivates them (sign-in refused) and reactivates them', async () => {
  const email = 'uji.nonaktif@demo.pantau.id';
  const pw = 'kata-sandi-uji-nonaktif-1';
  const admin = await as('admin');
  const made = await api(admin, 'POST', '/api/v1/users', { name: 'Uji Nonaktif', email, role: 'operator', region_code: '62.03', password: pw });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const id = made.body.id;
  const name = 'Uji Nonaktif Katingan';

  // the user is signed in somewhere: moving them to another Pemda ends that session
  const user = await openPage({ width: 360, height: 740 });
  await signInWith(user, email, pw);
  await user.getByRole('heading', { level: 1, name: 'Ringkasan' }).waitFor();

  await admin.goto(BASE + '/admin/users');
  const row = admin.locator(`tr[data-user="${email}"]`);
  await row.getByTestId('user-status').getByText('Aktif', { exact: true }).waitFor();
  await row.getByRole('button', { name: 'Ubah pengguna Uji Nonaktif' }).click();
  const form = admin.locator(`#user-panel-${id} form`);
  await form.getByRole('heading', { name: 'Ubah pengguna Uji Nonaktif' }).waitFor();
  await admin.waitForFunction((i) => document.activeElement?.id === `user-${i}-name`, id); // the form takes the focus
  // an operator needs a Pemda: said next to the field, before anything is sent
  await form.getByLabel('Pemda (untuk operator)').selectOption('');
  await form.getByRole('button', { name: 'Simpan' }).click();
  await admin.locator(`#user-${id}-region_code-error`).getByText('Wajib diisi untuk operator.').waitFor();
  // the API's own field errors are shown next to their fields too
  await form.getByLabel('Pemda (untuk operator)').selectOption('62.09');
  await form.getByLabel('Nama').fill('   ');
  await form.getByRole('button', { name: 'Simpan' }).click();
  await admin.locator(`#user-${id}-name-error`).getByText('Wajib diisi.').waitFor();
  await admin.waitForFunction((i) => document.activeElement?.id === `user-${i}-name`, id); // focus on the field in error
  await form.getByLabel('Nama').fill(name);
  await form.getByRole('button', { name: 'Simpan' }).click();
  await form.getByText('Tersimpan. Sesi pengguna ini telah diakhiri').waitFor();
  await row.locator('td', { hasText: '62.09' }).waitFor();
  await row.locator('td', { hasText: name }).waitFor();
  await shot(admin, 'admin-user-edit');
  await noSeriousViolations(admin, 'admin user edit');

  // someone else changes the user meanwhile: saving is refused with a way to reload
  const cur = (await api(admin, 'GET', '/api/v1/users')).body.find((u) => u.id === id);
  assert.equal(cur.active, true);
  assert.equal((await api(admin, 'PATCH', `/api/v1/users/${id}`, { name: cur.name, version: cur.version })).status, 200);
  await form.getByLabel('Nama').fill(name + ' (lama)');
  await form.getByRole('button', { name: 'Simpan' }).click();
  await form.getByText(/baru saja diubah orang lain/).waitFor();
  await shot(admin, 'admin-user-stale');
  await form.getByRole('button', { name: 'Muat data terbaru' }).click();
  await admin.waitForFunction(([i, n]) => document.getElementById(`user-${i}-name`)?.value === n, [id, name]);
  await form.getByLabel('Nama').press('Escape');
  await form.waitFor({ state: 'detached' });
  await admin.waitForFunction((i) => document.activeElement?.id === `edit-user-${i}`, id); // the focus goes back to its button

  await user.reload();
  await user.getByRole('heading', { level: 1, name: 'Masuk' }).waitFor();

  // deactivation asks first
  await row.getByRole('button', { name: `Nonaktifkan ${name}` }).click();
  const confirm = admin.locator(`#user-panel-${id}`);
  await confirm.getByRole('heading', { name: `Nonaktifkan ${name}?` }).waitFor();
  await shot(admin, 'admin-user-deactivate');
  await noSeriousViolations(admin, 'deactivation step');
  await confirm.getByRole('button', { name: 'Batal' }).click();
  await confirm.waitFor({ state: 'detached' });
  await row.getByTestId('user-status').getByText('Aktif', { exact: true }).waitFor();
  await row.getByRole('button', { name: `Nonaktifkan ${name}` }).click();
  await confirm.getByRole('button', { name: 'Ya, nonaktifkan' }).click();
  await admin.getByTestId('users-news').getByText(`${name} telah dinonaktifkan.`).waitFor();
  await row.getByTestId('user-status').getByText('Nonaktif').waitFor();
  await admin.waitForFunction((i) => document.activeElement?.id === `status-user-${i}`, id);
  await shot(admin, 'admin-users-inactive');
  // in English
  await admin.getByTestId('lang-switch').click();
  await row.getByTestId('user-status').getByText('Deactivated').waitFor();
  await row.getByRole('button', { name: `Reactivate ${name}` }).waitFor();
  await admin.getByTestId('users-news').getByText(`${name} has been deactivated.`).waitFor();
  await shot(admin, 'admin-users-en');
  await admin.getByTestId('lang-switch').click();
  await row.getByTestId('user-status').getByText('Nonaktif').waitFor();

  // the deactivated user cannot sign in: the server answers as for a wrong password (it confirms nothing)
  await signInWith(user, email, pw);
  await user.locator('.form-error').getByText('E-mail atau kata sandi salah.').waitFor();
  await shot(user, 'login-deactivated');
  await noSeriousViolations(user, 'sign-in refused at 360');
  await user.getByTestId('lang-switch').click();
  await user.getByRole('button', { name: 'Sign in' }).click();
  await user.locator('.form-error').getByText('Wrong e-mail or password.').waitFor();
  await user.getByTestId('lang-switch').click();
  await user.getByRole('heading', { level: 1, name: 'Masuk' }).waitFor();
  await admin.context().close();

  // at phone width: reactivation, and the admin's own row
  const phone = await as('admin', { width: 360, height: 740 });
  await phone.goto(BASE + '/admin/users');
  const prow = phone.locator(`tr[data-user="${email}"]`);
  await prow.getByTestId('user-status').getByText('Nonaktif').waitFor();
  await shot(phone, 'admin-users-inactive');
  await noSideScroll(phone, '/admin/users');
  await prow.getByRole('button', { name: `Aktifkan kembali ${name}` }).click();
  const pconfirm = phone.locator(`#user-panel-${id}`);
  await pconfirm.getByRole('heading', { name: `Aktifkan kembali ${name}?` }).waitFor();
  await shot(phone, 'admin-user-reactivate');
  await noSideScroll(phone, '/admin/users reactivating');
  await noSeriousViolations(phone, 'reactivation step at 360');
  await pconfirm.getByRole('button', { name: 'Ya, aktifkan kembali' }).click();
  await phone.getByTestId('users-news').getByText(`${name} aktif kembali.`).waitFor();
  await prow.getByTestId('user-status').getByText('Aktif', { exact: true }).waitFor();

  await signInWith(user, email, pw);
  await user.getByRole('heading', { level: 1, name: 'Ringkasan' }).waitFor();
  await user.getByRole('button', { name: 'Menu' }).click();
  assert.equal(await user.getByRole('link', { name: 'Pemda saya' }).getAttribute('href'), '/pemda/62.09');
  assert.deepEqual(user.jsErrors, []);
  await user.context().close();

  // the admin's own row offers no deactivation, and the server refuses dropping the admin role
  const own = phone.locator(`tr[data-user="${users.admin}"]`);
  await own.getByText('Akun Anda').waitFor();
  assert.equal(await own.getByRole('button', { name: /^Nonaktifkan/ }).count(), 0);
  await own.getByRole('button', { name: /^Ubah pengguna/ }).click();
  const ownForm = phone.locator('form.user-edit');
  await ownForm.getByLabel('Peran').selectOption('reviewer');
  await ownForm.getByRole('button', { name: 'Simpan' }).click();
  await ownForm.getByText('Anda tidak dapat melepas peran admin Anda sendiri.').waitFor();
  await shot(phone, 'admin-user-own');
  await noSideScroll(phone, '/admin/users editing');
  await noSeriousViolations(phone, 'own user at 360');
  const me = (await api(phone, 'GET', '/api/v1/me')).body;
  const self = await api(phone, 'PATCH', `/api/v1/users/${me.id}`, { active: false });
  assert.equal(self.status, 422);
  assert.ok(self.body.error.fields.active, JSON.stringify(self.body));
  assert.deepEqual(phone.jsErrors, []);
  await phone.context().close();
});

test('the coordinator re-weights an indicator, moves one to another area, and a stale edit asks for a reload', async () => {
  // a period of its own, so that no other test sees these changes
  const page = await as('coordinator');
  const year = 2001;
  const made = [
    await api(page, 'POST', '/api/v1/periods', { year, name: 'Uji katalog 2001' }),
    await api(page, 'POST', `/api/v1/periods/${year}/areas`, { code: 'UA', name: 'Area Uji A', weight: 1 }),
    await api(page, 'POST', `/api/v1/periods/${year}/areas`, { code: 'UB', name: 'Area Uji B', weight: 1 }),
    await api(page, 'POST', `/api/v1/periods/${year}/indicators`, { code: 'UA.1', area: 'UA', title: 'Indikator uji satu', weight: 1 }),
    await api(page, 'POST', `/api/v1/periods/${year}/indicators`, { code: 'UA.2', area: 'UA', title: 'Indikator uji dua', weight: 1 }),
    await api(page, 'POST', `/api/v1/periods/${year}/indicators`, { code: 'UB.1', area: 'UB', title: 'Indikator uji tiga', weight: 1 }),
  ];
  for (const r of made) assert.equal(r.status, 201, JSON.stringify(r.body));

  await page.goto(BASE + '/admin/catalogue');
  await page.getByLabel('Tahun', { exact: true }).selectOption(String(year));
  const row = page.locator('tr[data-indicator="UA.1"]');
  await row.getByTestId('indicator-weight').getByText('1', { exact: true }).waitFor();
  const edit = row.getByRole('button', { name: 'Ubah indikator UA.1' });
  await edit.click();
  const form = page.locator('#indicator-panel-UA_2e1 form');
  await form.getByRole('heading', { name: 'Ubah indikator UA.1' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'indicator-UA_2e1-title'); // the form takes the focus

  // a weight that is not a number is said next to the field before anything is sent; the API's own refusal too
  const weight = form.getByLabel('Bobot');
  await weight.fill('dua');
  await form.getByRole('button', { name: 'Simpan' }).click();
  await page.locator('#indicator-UA_2e1-weight-error').getByText('Masukkan angka').waitFor();
  await weight.fill('0');
  await form.getByRole('button', { name: 'Simpan' }).click();
  await page.locator('#indicator-UA_2e1-weight-error').getByText('Bobot harus lebih dari 0').waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'indicator-UA_2e1-weight'); // focus on the field in error

  // re-weighting: only the weight is sent, with the version
  const sent = [];
  page.on('request', (r) => r.method() === 'PATCH' && sent.push(r.postDataJSON()));
  await weight.fill('2,5');
  await form.getByRole('button', { name: 'Simpan' }).click();
  await form.getByText('Tersimpan. Skor periode ini langsung dihitung ulang.').waitFor();
  await row.getByTestId('indicator-weight').getByText('2,5').waitFor();
  assert.deepEqual(Object.keys(sent[0]).sort(), ['version', 'weight']);
  assert.equal(sent[0].weight, 2.5);

  // moving it to the other area
  await form.getByLabel('Area', { exact: true }).selectOption('UB');
  await form.getByRole('button', { name: 'Simpan' }).click();
  await row.getByTestId('indicator-area').getByText('UB', { exact: true }).waitFor();
  assert.deepEqual(Object.keys(sent[1]).sort(), ['area', 'version']);
  const listed = (await api(page, 'GET', `/api/v1/periods/${year}/indicators`)).body.find((i) => i.code === 'UA.1');
  assert.equal(listed.area, 'UB');
  assert.equal(listed.weight, 2.5);
  await shot(page, 'admin-catalogue-edit');
  await noSeriousViolations(page, 'catalogue indicator edit');

  // someone else changes the indicator meanwhile: saving is refused with a way to reload
  const other = await api(page, 'PATCH', `/api/v1/periods/${year}/indicators/UA.1`, { title: 'Indikator uji satu (diubah)', version: listed.version });
  assert.equal(other.status, 200, JSON.stringify(other.body));
  await form.getByLabel('Judul indikator').fill('Indikator uji satu (lama)');
  await form.getByRole('button', { name: 'Simpan' }).click();
  await form.getByText(/Indikator ini baru saja diubah orang lain/).waitFor();
  await shot(page, 'admin-catalogue-stale');
  await noSeriousViolations(page, 'catalogue stale edit');
  await form.getByRole('button', { name: 'Muat data terbaru' }).click();
  await page.waitForFunction(() => document.getElementById('indicator-UA_2e1-title')?.value === 'Indikator uji satu (diubah)');
  await row.getByText('Indikator uji satu (diubah)').waitFor();
  // Escape closes the form and gives the focus back to its button
  await form.getByLabel('Judul indikator').press('Escape');
  await form.waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.activeElement?.id === 'edit-indicator-UA_2e1');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();

  // at phone width: an area is renamed and re-weighted; Batal gives the focus back
  const phone = await as('coordinator', { width: 360, height: 740 });
  await phone.goto(BASE + '/admin/catalogue');
  await phone.getByLabel('Tahun', { exact: true }).selectOption(String(year));
  const arow = phone.locator('tr[data-area="UB"]');
  await arow.getByRole('button', { name: 'Ubah area UB Area Uji B' }).click();
  const aform = phone.locator('#area-panel-UB form');
  await aform.getByLabel('Bobot').fill('3');
  await aform.getByLabel('Nama').fill('Area Uji B (baru)');
  await aform.getByRole('button', { name: 'Simpan' }).click();
  await aform.getByText('Tersimpan.', { exact: false }).waitFor();
  await arow.getByTestId('area-weight').getByText('3', { exact: true }).waitFor();
  await arow.getByText('Area Uji B (baru)').waitFor();
  await shot(phone, 'admin-catalogue-area');
  await noSideScroll(phone, '/admin/catalogue editing');
  await noSeriousViolations(phone, 'catalogue area edit at 360');
  await aform.getByRole('button', { name: 'Batal' }).click();
  await aform.waitFor({ state: 'detached' });
  await phone.waitForFunction(() => document.activeElement?.id === 'edit-area-UB');
  const area = (await api(phone, 'GET', `/api/v1/periods/${year}/areas`)).body.find((a) => a.code === 'UB');
  assert.equal(area.weight, 3);
  await phone.locator('tr[data-indicator="UA.1"]').getByRole('button', { name: 'Ubah indikator UA.1' }).click();
  await phone.locator('#indicator-panel-UA_2e1 form').getByRole('heading', { name: 'Ubah indikator UA.1' }).waitFor();
  await shot(phone, 'admin-catalogue-indicator');
  await noSideScroll(phone, '/admin/catalogue indicator');
  assert.deepEqual(phone.jsErrors, []);
  await phone.context().close();
});
