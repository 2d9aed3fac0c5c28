// Browser tests of the programme's depth (issue 11): in the admin pages a sub-indicator made under
// its parent with the evidence it requires, then narrowed to the kinds of Pemda it applies to (in
// a period of its own, so that no other test sees these changes); on a Pemda's page its list of
// permit types, from which the delegation's counts follow, and the regulation as a file, replaced
// with its history kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, api, axe, sharedBrowser, shot, tinyPDF } from './harness.mjs';

const { as } = sharedBrowser();

test('the coordinator adds a sub-indicator under its parent with its required evidence, and narrows the kinds of Pemda it applies to', async () => {
  const page = await as('coordinator');
  const year = 2002;
  for (const r of [
    await api(page, 'POST', '/api/v1/periods', { year, name: 'Uji katalog 2002' }),
    await api(page, 'POST', `/api/v1/periods/${year}/areas`, { code: 'DD', name: 'Dana Desa', weight: 1 }),
  ])
    assert.equal(r.status, 201, JSON.stringify(r.body));
  await page.goto(BASE + '/admin/catalogue');
  await page.getByLabel('Tahun', { exact: true }).selectOption(String(year));

  const create = page.locator('form[aria-labelledby="new-indicator-h"]');
  const add = async (fields) => {
    for (const [label, value] of fields) {
      const field = create.getByLabel(label);
      if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
    await create.getByRole('button', { name: 'Tambah' }).click();
    await create.getByText('Tersimpan').waitFor();
  };
  await add([
    ['Kode', 'DD.1'],
    ['Judul indikator', 'Pengelolaan dana desa'],
  ]);
  await page.locator('tr[data-indicator="DD.1"]').waitFor();
  await add([
    ['Kode', 'DD.1.a'],
    ['Induk (untuk sub-indikator)', 'DD.1'],
    ['Judul indikator', 'Siskeudes dipakai seluruh desa'],
    ['Bukti dukung yang diminta', 'Laporan Siskeudes per desa'],
  ]);
  const row = page.locator('tr[data-indicator="DD.1.a"]');
  await row.getByTestId('indicator-parent').getByText('DD.1', { exact: true }).waitFor();
  let listed = (await api(page, 'GET', `/api/v1/periods/${year}/indicators`)).body.find((i) => i.code === 'DD.1.a');
  assert.equal(listed.parent, 'DD.1');
  assert.equal(listed.area, 'DD');
  assert.equal(listed.requirement, 'Laporan Siskeudes per desa');
  assert.deepEqual(listed.applies_to, ['province', 'regency', 'city']);

  // Village funds are no city's or province's business: only regencies are scored on it.
  await row.getByRole('button', { name: 'Ubah indikator DD.1.a' }).click();
  const form = page.locator('#indicator-panel-DD_2e1_2ea form');
  await form.getByText('Sub-indikator dari DD.1').waitFor();
  assert.ok(await form.getByLabel('Area', { exact: true }).isDisabled(), 'a sub-indicator stays in its parent’s area');
  const sent = [];
  page.on('request', (r) => r.method() === 'PATCH' && sent.push(r.postDataJSON()));
  await form.getByLabel('Provinsi').uncheck();
  await form.getByLabel('Kabupaten').uncheck();
  await form.getByLabel('Kota').uncheck();
  await form.getByRole('button', { name: 'Simpan' }).click();
  await form.getByText('Pilih setidaknya satu jenis Pemda.').waitFor();
  assert.equal(sent.length, 0, 'nothing is sent without a kind');
  await form.getByLabel('Kabupaten').check();
  await form.getByLabel('Bukti dukung yang diminta').fill('Laporan Siskeudes per desa, ditandatangani camat');
  await form.getByRole('button', { name: 'Simpan' }).click();
  await form.getByText('Tersimpan.', { exact: false }).waitFor();
  assert.deepEqual(Object.keys(sent[0]).sort(), ['applies_to', 'requirement', 'version']);
  listed = (await api(page, 'GET', `/api/v1/periods/${year}/indicators`)).body.find((i) => i.code === 'DD.1.a');
  assert.deepEqual(listed.applies_to, ['regency']);
  assert.equal(listed.requirement, 'Laporan Siskeudes per desa, ditandatangani camat');
  await shot(page, 'admin-catalogue-depth');
  const v = await axe(page);
  assert.deepEqual(v, [], JSON.stringify(v, null, 1));
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('the operator records the list of permit types: the delegation follows from it, a twice-named permit is refused where it stands, and the list can give way to counts again', async () => {
  const page = await as('operator');
  await page.goto(BASE + '/pemda/62.08');
  await page.getByLabel('Tahun', { exact: true }).selectOption('2020');
  const card = page.locator('section.delegation');
  await card.getByRole('button', { name: 'Daftar izin' }).click();
  const form = card.getByTestId('permits-form');
  const permits = [
    ['Izin Mendirikan Bangunan', true, 'Lampiran I angka 1'],
    ['Izin Usaha Perdagangan', true, 'Lampiran I angka 2'],
    ['Izin Trayek', false, ''],
    ['izin usaha  perdagangan', false, ''],
  ];
  for (const [i, [name, delegated, regulation]] of permits.entries()) {
    if (i > 0) await form.getByRole('button', { name: 'Tambah izin' }).click();
    await form.getByLabel(`Izin ${i + 1}`, { exact: true }).fill(name);
    if (delegated) await form.locator(`li[data-permit="${i}"]`).getByLabel('Didelegasikan').check();
    await form.locator(`li[data-permit="${i}"]`).getByLabel('Letak dalam peraturan').fill(regulation);
  }
  await form.getByLabel('Dasar hukum').fill('Peraturan Bupati Seruyan Nomor 16 Tahun 2017');
  await form.getByText('2 dari 4 izin didelegasikan.').waitFor();
  await form.getByRole('button', { name: 'Simpan daftar' }).click();
  await form.locator('li[data-permit="3"]').getByText('Izin ini sudah ada di daftar.').waitFor();

  await form.locator('li[data-permit="3"]').getByRole('button', { name: 'Hapus izin izin usaha perdagangan', exact: true }).click();
  await form.getByRole('button', { name: 'Simpan daftar' }).click();
  await card.getByText('2 dari 3 jenis izin dalam daftar didelegasikan.').waitFor();
  const d = (await api(page, 'GET', '/api/v1/periods/2020/regions/62.08/delegation')).body;
  assert.equal(d.from_list, true);
  assert.deepEqual(d.permits.map((p) => [p.name, p.delegated, p.regulation]), permits.slice(0, 3));
  assert.equal(d.percent, 66.67);
  assert.deepEqual(await axe(page), []);
  await shot(page, 'delegation-permits');

  // Counts by hand give way to the list; removing the list keeps its counts.
  await card.getByRole('button', { name: 'Jumlah saja' }).click();
  await card.getByText('Jumlah ini mengikuti daftar izin.', { exact: false }).waitFor();
  await card.getByRole('button', { name: 'Hapus daftar, pertahankan jumlahnya' }).click();
  await card.getByLabel('Jumlah kewenangan').waitFor();
  assert.equal(await card.getByLabel('Jumlah kewenangan').inputValue(), '3');
  const after = (await api(page, 'GET', '/api/v1/periods/2020/regions/62.08/delegation')).body;
  assert.equal(after.from_list, false);
  assert.equal(after.total, 3);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('the coordinator files a Pemda\'s first annex; the operator replaces the regulation: the new one is current, the old ones are under Riwayat', async () => {
  const coordinator = await as('coordinator');
  await coordinator.goto(BASE + '/pemda/62.01');
  await coordinator.getByLabel('Tahun', { exact: true }).selectOption('2020');
  const annex = coordinator.locator('section.delegation').getByTestId('delegation-docs').locator('li[data-kind="annex"]');
  await annex.getByText('belum diunggah').waitFor();
  await annex.getByLabel('Unggah lampiran peraturan').setInputFiles({ name: 'Lampiran Perbup Kobar 12-2018.pdf', mimeType: 'application/pdf', buffer: tinyPDF('Lampiran 12/2018') });
  await annex.getByRole('button', { name: 'Unggah', exact: true }).click();
  await annex.getByText('Lampiran Perbup Kobar 12-2018.pdf').waitFor();
  assert.deepEqual(coordinator.jsErrors, []);
  await coordinator.context().close();

  // The demo's Seruyan has its regulation on file (the official copy that replaced a scan) and its annex.
  const page = await as('operator');
  await page.goto(BASE + '/pemda/62.08');
  await page.getByLabel('Tahun', { exact: true }).selectOption('2020');
  const docs = page.locator('section.delegation').getByTestId('delegation-docs');
  const regulation = docs.locator('li[data-kind="regulation"]');
  const official = 'peraturan-bupati-seruyan-nomor-16-tahun-2017-salinan-resmi.pdf';
  await regulation.getByText(official).waitFor();
  await regulation.getByLabel('Ganti peraturan dengan yang lebih baru').setInputFiles({ name: 'Perbup Seruyan 3-2020.pdf', mimeType: 'application/pdf', buffer: tinyPDF('Perbup 3/2020') });
  await regulation.getByRole('button', { name: 'Ganti', exact: true }).click();
  await regulation.getByText('Perbup Seruyan 3-2020.pdf').waitFor();
  const history = docs.locator('details.delegation-history');
  await history.getByText('Riwayat (2 dokumen diganti)').click();
  await history.getByText(official).waitFor();
  const download = page.waitForEvent('download');
  await history.getByRole('button', { name: `Unduh ${official}` }).click();
  assert.equal((await download).suggestedFilename(), official);

  const listed = (await api(page, 'GET', '/api/v1/periods/2020/regions/62.08/delegation/documents')).body;
  assert.deepEqual(listed.map((d) => [d.kind, d.filename, d.superseded]), [
    ['regulation', 'Perbup Seruyan 3-2020.pdf', false],
    ['annex', 'lampiran-peraturan-bupati-seruyan-nomor-16-tahun-2017.pdf', false],
    ['regulation', official, true],
    ['regulation', 'peraturan-bupati-seruyan-nomor-16-tahun-2017.pdf', true],
  ]);
  assert.deepEqual(await axe(page), []);
  await shot(page, 'delegation-documents');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});
