// Browser tests of the commitment ceremony (issue 12): a deputy's paraf and the regent's later
// signature, the signing page's three steps, batch signing of the documents waiting for a
// signatory, a recorded delegation, voiding with a reason and its replacement, the public
// verification (by code and by file) and the admin revoking a signer's key. Run by
// scripts/browser-test.sh against `pantau serve --demo`; screenshots at 360 px and desktop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, api, axe, sharedBrowser, shot, tinyPDF, users } from './harness.mjs';

const { openPage, as } = sharedBrowser();

const PHONE = { width: 360, height: 740 };
const DEPUTY = { email: 'wakil.katingan@demo.pantau.id', password: 'kata-sandi-wakil-katingan-1', name: 'Wakil Bupati Katingan (uji)' };
const DEPUTY_PASS = 'frasa-sandi-wakil-2020';
const REGENT_PASS = 'frasa-sandi-bupati-2019'; // the one app.test.mjs gives the regent, when it ran first

async function signInAs(email, password, opts) {
  const page = await openPage(opts);
  await page.goto(BASE + '/');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Kata sandi').fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.getByRole('heading', { level: 1, name: 'Ringkasan' }).waitFor();
  return page;
}

async function noSeriousViolations(page, where) {
  const v = await axe(page);
  assert.deepEqual(v, [], `${where}: ${JSON.stringify(v, null, 1)}`);
}

async function noSideScroll(page, where) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${where} scrolls sideways by ${overflow}px`);
}

/** Draws a stroke on the signature pad inside `scope`. */
async function draw(page, scope) {
  const pad = scope.getByTestId('signature-pad');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  await page.mouse.move(box.x + 15, box.y + box.height * 0.7);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 15 + i * 14, box.y + box.height * (0.7 - 0.4 * Math.sin(i / 2)));
  await page.mouse.up();
  await scope.getByText('Tanda tangan telah digambar.').waitFor();
}

const slotRow = (page, name) => page.locator('table.slots-table tbody tr', { has: page.locator('th', { hasText: name }) });

let year;
let ceremonyId; // Katingan: a deputy's paraf, then the regent's signature
let secondId; // Pulang Pisau: signed in the same batch, then voided and replaced

test('the coordinator chooses the kind: regional lists regencies and cities, joint lists provinces', async () => {
  const page = await as('coordinator');
  year = Math.max(...(await api(page, 'GET', '/api/v1/periods')).body.map((p) => p.year));
  await page.goto(BASE + '/commitments');
  const region = page.locator('#commit-region');
  await region.locator('option[value="62.09"]').waitFor({ state: 'attached' });
  const regional = await region.locator('option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(!regional.includes('62') && !regional.includes('65'), `regional offers no province: ${regional}`);
  await page.getByLabel('Jenis komitmen').selectOption('joint');
  const joint = await region.locator('option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(joint.sort(), ['62', '65'], 'joint offers the provinces');
  await region.selectOption('65');
  await page.getByRole('button', { name: 'Buat', exact: true }).click();
  await page.waitForURL(/\/commitments\/\d+$/);
  // every regent or mayor and every DPRD chair of Kalimantan Utara has a slot, named by its office
  await slotRow(page, /^Gubernur$/).waitFor();
  const rows = await page.locator('table.slots-table tbody tr').count();
  assert.ok(rows >= 7, `a joint commitment has the governor, each regency's two slots and the witnesses (${rows})`);
  await shot(page, 'commitment-joint');
  await page.context().close();
});

test('a deputy initials in three steps, the coordinator reassigns the initialled slot, the regent signs in a batch', async () => {
  const admin = await as('admin');
  const made = await api(admin, 'POST', '/api/v1/users', { name: DEPUTY.name, email: DEPUTY.email, role: 'signatory', password: DEPUTY.password });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  await admin.context().close();

  const coord = await as('coordinator');
  const a = await api(coord, 'POST', '/api/v1/commitments', { region_code: '62.09', year, kind: 'regional' });
  assert.equal(a.status, 201, JSON.stringify(a.body));
  ceremonyId = a.body.id;
  const b = await api(coord, 'POST', '/api/v1/commitments', { region_code: '62.11', year, kind: 'regional' });
  assert.equal(b.status, 201, JSON.stringify(b.body));
  secondId = b.body.id;
  const assigned = await api(coord, 'PUT', `/api/v1/commitments/${secondId}/signatories/regent`, { user_email: users.signatory, name: 'Bupati (uji)', title: '' });
  assert.equal(assigned.status, 200, JSON.stringify(assigned.body));

  // the coordinator assigns the regent's slot to the vice regent: a deputy
  await coord.goto(`${BASE}/commitments/${ceremonyId}`);
  const regent = coord.locator('details', { hasText: 'Tetapkan penanda tangan: Bupati / Wali Kota' });
  await regent.locator('summary').click();
  await regent.getByLabel('E-mail').fill(DEPUTY.email);
  await regent.getByLabel('Nama').fill(DEPUTY.name);
  await regent.getByLabel('Jabatan').fill('Wakil Bupati Katingan');
  await regent.getByRole('button', { name: 'Simpan' }).click();
  await slotRow(coord, 'Bupati / Wali Kota').getByText('Wakil (hanya paraf)').waitFor();

  // the deputy, on a phone: step 1 the key (typed twice), 2 the document, 3 only "Paraf"
  const deputy = await signInAs(DEPUTY.email, DEPUTY.password, PHONE);
  await deputy.goto(`${BASE}/commitments/${ceremonyId}`);
  const form = deputy.locator('form.sign-form');
  await form.waitFor();
  assert.equal(await form.getByRole('radio').count(), 0, 'a deputy is offered no choice of mode');
  assert.equal(await form.getByRole('button', { name: 'Tanda tangani dokumen' }).count(), 0, 'a deputy cannot sign');
  const paraf = form.getByRole('button', { name: 'Paraf dokumen' });
  assert.ok(await paraf.isDisabled(), 'signing waits for a key');
  await deputy.getByLabel('Frasa sandi baru').fill(DEPUTY_PASS);
  await deputy.getByLabel('Ketik ulang frasa sandi').fill(DEPUTY_PASS + 'x');
  await deputy.getByRole('button', { name: 'Buat kunci tanda tangan' }).click();
  await deputy.getByText('Kedua frasa sandi tidak sama.').waitFor();
  assert.equal((await api(deputy, 'GET', '/api/v1/me/signing-key')).status, 404, 'no key was made from differing passphrases');
  await deputy.getByLabel('Ketik ulang frasa sandi').fill(DEPUTY_PASS);
  await deputy.getByRole('button', { name: 'Buat kunci tanda tangan' }).click();
  await deputy.locator('.key-ready .fingerprint').waitFor();
  assert.ok(await paraf.isEnabled(), 'signing is possible once the key exists');
  await noSideScroll(deputy, 'signing steps at 360 with the fingerprint');
  await deputy.getByRole('button', { name: 'Tampilkan dokumen di halaman ini' }).click();
  const frame = deputy.locator('iframe.pdf-frame');
  await frame.waitFor({ state: 'attached' });
  assert.match(await frame.getAttribute('src'), /^blob:/);
  await draw(deputy, form);
  await form.getByLabel('Frasa sandi kunci tanda tangan').fill(DEPUTY_PASS);
  await form.getByLabel('Saya telah membaca dokumen ini').check();
  await shot(deputy, 'commitment-steps');
  await noSeriousViolations(deputy, 'signing steps at 360');
  await paraf.click();
  await deputy.locator('.signed-note').getByText('Paraf Anda telah dibubuhkan.').waitFor();
  await deputy.locator('.signed-note').getByRole('button', { name: 'Unduh berkas yang baru ditandatangani' }).waitFor();
  const row = slotRow(deputy, 'Bupati / Wali Kota');
  await row.getByText('Diparaf', { exact: true }).waitFor();
  await row.locator('.acts li', { hasText: 'Paraf' }).getByText(DEPUTY.name).waitFor();
  await deputy.locator('form.sign-form').waitFor({ state: 'detached' }); // a deputy's paraf ends their part
  await noSideScroll(deputy, 'commitment detail at 360');
  await deputy.context().close();

  // the coordinator reassigns the initialled slot to the regent; the paraf stays
  await coord.reload();
  await regent.locator('summary').click();
  await regent.getByText('Slot ini sudah diparaf').waitFor();
  // picking the regent from the searchable list fills in their name and last title
  const choice = (await api(coord, 'GET', '/api/v1/signatories')).body.find((c) => c.email === users.signatory);
  assert.ok(choice, 'the regent is among the signatories offered');
  assert.equal(await regent.locator(`datalist option[value="${users.signatory}"]`).count(), 1);
  await regent.getByLabel('E-mail').fill(users.signatory);
  assert.equal(await regent.getByLabel('Nama').inputValue(), choice.name);
  if (choice.title) assert.equal(await regent.getByLabel('Jabatan').inputValue(), choice.title);
  await regent.getByLabel('Nama').fill('Bupati Katingan (uji)');
  await regent.getByLabel('Jabatan').fill('');
  await regent.getByRole('button', { name: 'Simpan' }).click();
  await slotRow(coord, 'Bupati / Wali Kota').getByText(users.signatory).waitFor();
  await slotRow(coord, 'Bupati / Wali Kota').getByText('Diparaf', { exact: true }).waitFor();
  await coord.context().close();

  // the regent picks both documents waiting for them and signs them at once
  const bupati = await as('signatory');
  if ((await api(bupati, 'GET', '/api/v1/me/signing-key')).status === 404) {
    assert.equal((await api(bupati, 'PUT', '/api/v1/me/signing-key', { passphrase: REGENT_PASS })).status, 200);
  }
  await bupati.getByRole('link', { name: 'Komitmen', exact: true }).click();
  const waiting = bupati.locator('section.waiting');
  await waiting.getByRole('heading', { name: 'Menunggu tanda tangan saya' }).waitFor();
  for (const id of [ceremonyId, secondId]) {
    await waiting.locator('li', { has: bupati.locator(`a[href="/commitments/${id}"]`) }).getByRole('checkbox').check();
  }
  await waiting.getByRole('button', { name: 'Tanda tangani yang dipilih (2)' }).click();
  const dialog = bupati.locator('dialog.batch-dialog');
  await dialog.getByRole('heading', { name: 'Tanda tangani 2 dokumen sekaligus' }).waitFor();
  await dialog.getByRole('button', { name: 'Tanda tangani semua' }).click();
  await dialog.getByText('Gambar tanda tangan Anda terlebih dahulu.').waitFor();
  await draw(bupati, dialog);
  await dialog.getByLabel('Frasa sandi kunci tanda tangan').fill('frasa-yang-salah-sekali');
  await dialog.getByRole('button', { name: 'Tanda tangani semua' }).click();
  await dialog.locator('.field-error, .form-error').first().waitFor();
  await shot(bupati, 'commitment-batch');
  await dialog.getByLabel('Frasa sandi kunci tanda tangan').fill(REGENT_PASS);
  await dialog.getByRole('button', { name: 'Tanda tangani semua' }).click();
  await dialog.getByText('2 dokumen selesai.').waitFor();
  assert.equal(await dialog.getByTestId('batch-item').getByText('Ditandatangani', { exact: true }).count(), 2);
  await dialog.getByRole('button', { name: 'Tutup' }).click();
  await waiting.waitFor({ state: 'detached' }); // nothing waits any more
  for (const id of [ceremonyId, secondId]) {
    const c = (await api(bupati, 'GET', `/api/v1/commitments/${id}`)).body;
    assert.equal(c.signatories.find((s) => s.slot === 'regent').status, 'signed', `commitment ${id}'s regent slot`);
  }
  // the ceremony's slot keeps both acts: the deputy's paraf and the regent's signature
  await bupati.goto(`${BASE}/commitments/${ceremonyId}`);
  const acts = slotRow(bupati, 'Bupati / Wali Kota').locator('.acts li');
  await acts.filter({ hasText: 'Paraf' }).getByText(DEPUTY.name).waitFor();
  await acts.filter({ hasText: 'Tanda tangan' }).getByText('Bupati Katingan (uji)').waitFor();
  await bupati.context().close();
});

test('the coordinator records a delegation with its document; the deputy may then sign', async () => {
  const coord = await as('coordinator', PHONE);
  const c = await api(coord, 'POST', '/api/v1/commitments', { region_code: '62.10', year, kind: 'regional' });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const put = await api(coord, 'PUT', `/api/v1/commitments/${c.body.id}/signatories/regent`, { user_email: DEPUTY.email, name: DEPUTY.name, title: 'Wakil Bupati Kapuas' });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  await coord.goto(`${BASE}/commitments/${c.body.id}`);
  const deleg = coord.locator('details', { hasText: 'Catat pendelegasian: Bupati / Wali Kota' });
  await deleg.locator('summary').click();
  await deleg.getByRole('button', { name: 'Simpan' }).click();
  await deleg.getByText('Pilih dokumen pendelegasian.').waitFor();
  await deleg.getByLabel('Jenis pendelegasian').selectOption('surat_kuasa');
  await deleg.getByLabel('Nomor dan tanggal').fill('800/12/2020, 3 Maret 2020');
  await deleg.getByLabel('Dokumen (PDF').setInputFiles({ name: 'surat-kuasa.pdf', mimeType: 'application/pdf', buffer: tinyPDF('Surat kuasa') });
  await deleg.getByRole('button', { name: 'Simpan' }).click();
  const row = slotRow(coord, 'Bupati / Wali Kota');
  await row.getByText('Atas kuasa').first().waitFor();
  await row.getByText('800/12/2020, 3 Maret 2020').waitFor();
  const [file] = await Promise.all([coord.waitForEvent('download'), row.getByRole('button', { name: 'Dokumen kuasa' }).click()]);
  assert.ok(file.suggestedFilename().length > 0);
  await noSideScroll(coord, 'commitment with a delegation at 360');
  await shot(coord, 'commitment-delegation');
  await noSeriousViolations(coord, 'commitment with a delegation');
  const after = (await api(coord, 'GET', `/api/v1/commitments/${c.body.id}`)).body;
  assert.equal(after.signatories.find((s) => s.slot === 'regent').capacity, 'delegated');
  await coord.context().close();

  // with the delegation recorded, the deputy is offered the signature too
  const deputy = await signInAs(DEPUTY.email, DEPUTY.password);
  await deputy.goto(`${BASE}/commitments/${c.body.id}`);
  await deputy.locator('form.sign-form').getByRole('radio', { name: 'Tanda tangan' }).waitFor();
  await deputy.context().close();
});

test('the coordinator voids a signed commitment; its page and the public verification name the reason and the replacement', async () => {
  const coord = await as('coordinator');
  await coord.goto(`${BASE}/commitments/${secondId}`);
  const voidForm = coord.locator('details.void-form');
  await voidForm.locator('summary').click();
  await voidForm.getByRole('button', { name: 'Batalkan dokumen' }).click();
  await voidForm.getByText('Tulis alasan pembatalan.').waitFor();
  const reason = 'Nama bupati salah ketik; diterbitkan ulang.';
  await voidForm.getByLabel('Alasan pembatalan').fill(reason);
  await voidForm.getByRole('button', { name: 'Batalkan dokumen' }).click();
  const banner = coord.getByTestId('void-banner');
  await banner.getByText(`Alasan: ${reason}`).waitFor();
  assert.equal(await coord.locator('details.void-form').count(), 0, 'a void commitment offers no more changes');
  const code = (await api(coord, 'GET', `/api/v1/commitments/${secondId}`)).body.verification_code;
  // the reissue: the next commitment for the region and year replaces it
  const next = await api(coord, 'POST', '/api/v1/commitments', { region_code: '62.11', year, kind: 'regional' });
  assert.equal(next.status, 201, JSON.stringify(next.body));
  await coord.reload();
  await banner.getByRole('link', { name: next.body.verification_code }).click();
  await coord.waitForURL(`${BASE}/commitments/${next.body.id}`);
  await coord.context().close();

  for (const opts of [PHONE, {}]) {
    const pub = await openPage(opts);
    await pub.goto(`${BASE}/verify/${code}`);
    const result = pub.getByTestId('verify-result');
    await result.getByText('Dokumen ini telah dibatalkan.').waitFor();
    await result.getByText(`Alasan: ${reason}`).waitFor();
    await result.getByRole('link', { name: next.body.verification_code }).waitFor();
    await noSideScroll(pub, 'verify a void commitment');
    await shot(pub, 'verify-void');
    await noSeriousViolations(pub, 'verify a void commitment');
    await pub.context().close();
  }
});

test('the public verifies a signed file: each signature’s level, trust, timestamp, paraf or signature and later changes', async () => {
  const coord = await as('coordinator');
  const b64 = await coord.evaluate(async (id) => {
    const r = await fetch(`/api/v1/commitments/${id}/document.pdf`);
    const bytes = new Uint8Array(await r.arrayBuffer());
    let s = '';
    for (const x of bytes) s += String.fromCharCode(x);
    return btoa(s);
  }, ceremonyId);
  await coord.context().close();
  const pdf = Buffer.from(b64, 'base64');
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');

  for (const opts of [PHONE, {}]) {
    const pub = await openPage(opts);
    await pub.goto(`${BASE}/verify`);
    await pub.locator('#verify-file').setInputFiles({ name: 'komitmen.pdf', mimeType: 'application/pdf', buffer: pdf });
    await pub.getByRole('button', { name: /Periksa berkas/ }).click();
    const result = pub.getByTestId('file-result');
    await result.waitFor();
    const sigs = result.getByTestId('file-signature');
    assert.equal(await sigs.count(), 2, 'the paraf and the signature');
    // in the order made: the deputy's paraf, then the regent's signature
    await sigs.nth(0).getByText(DEPUTY.name, { exact: true }).waitFor();
    assert.match(await sigs.nth(0).innerText(), /— Paraf,/);
    await sigs.nth(1).getByText('Bupati Katingan (uji)', { exact: true }).waitFor();
    assert.match(await sigs.nth(1).innerText(), /— Tanda tangan,/);
    for (let i = 0; i < 2; i++) {
      const s = sigs.nth(i);
      await s.getByText(/^PAdES B-|^Lama/).waitFor();
      await s.getByText(/Utuh dan tepercaya|Utuh, penanda tangan tidak tepercaya/).waitFor();
      await s.getByText('Cap waktu', { exact: true }).waitFor();
    }
    // the paraf was followed by the signature only
    await sigs.nth(0).getByText('Hanya tanda tangan berikutnya').waitFor();
    await noSideScroll(pub, 'verify a file');
    await shot(pub, 'verify-file');
    await noSeriousViolations(pub, 'verify a file');
    await pub.context().close();
  }
});

test('the admin revokes a signer’s key with a reason in the users tab', async () => {
  const admin = await as('admin');
  await admin.goto(BASE + '/admin/users');
  const row = admin.locator(`tr[data-user="${DEPUTY.email}"]`);
  await row.getByRole('button', { name: `Cabut kunci tanda tangan ${DEPUTY.name}` }).click();
  const panel = admin.locator('form.revoke-key');
  await panel.getByLabel('Alasan pencabutan').selectOption('key_compromise');
  await shot(admin, 'admin-revoke-key');
  await noSeriousViolations(admin, 'admin revoke key');
  await panel.getByRole('button', { name: 'Cabut kunci' }).click();
  await panel.getByText(`Kunci ${DEPUTY.name} telah dicabut.`).waitFor();
  await admin.context().close();

  const deputy = await signInAs(DEPUTY.email, DEPUTY.password);
  assert.equal((await api(deputy, 'GET', '/api/v1/me/signing-key')).status, 404, 'the revoked key is gone');
  await deputy.context().close();
});

