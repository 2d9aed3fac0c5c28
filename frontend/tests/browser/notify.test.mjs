// Browser test of the conversation on an item and of notifications (issue 14): a reviewer asks
// a question on a Seruyan item mentioning the operator; the operator sees the count in the
// header, follows the notification to the item, answers, and chooses which e-mails to get.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, api, axe, sharedBrowser, shot, users } from './harness.mjs';

const { as } = sharedBrowser();

test('a reviewer asks on an item, the operator follows the notification there and answers, and chooses the e-mails to get', async () => {
  const reviewer = await as('reviewer');
  await reviewer.goto(BASE + '/pemda/62.08');
  await reviewer.getByLabel('Tahun', { exact: true }).selectOption('2020');
  const card = reviewer.locator('details[data-indicator="PBJ.2"]');
  await card.locator('summary').first().click();
  const talk = card.getByTestId('discussion');
  const question = `Mohon lampirkan rekapitulasi SPSE terbaru, @${users.operator}`;
  await talk.getByLabel('Tulis pesan').fill(question);
  await talk.getByRole('button', { name: 'Kirim' }).click();
  await talk.locator('.comment-body', { hasText: 'Mohon lampirkan rekapitulasi SPSE terbaru' }).waitFor();
  assert.equal(await talk.getByLabel('Tulis pesan').inputValue(), '', 'the form is cleared');
  // the author may still edit it
  await talk.getByRole('button', { name: 'Ubah' }).waitFor();
  await reviewer.context().close();

  const page = await as('operator');
  const link = page.getByTestId('notif-link');
  const count = Number(await link.locator('.count').innerText());
  assert.ok(count >= 1, `unread in the header: ${count}`);
  await link.click();
  await page.getByRole('heading', { level: 1, name: 'Pemberitahuan' }).waitFor();
  const entry = page.getByTestId('notifications').locator('li.unread').first();
  assert.match(await entry.innerText(), /PBJ\.2/);
  assert.deepEqual(await axe(page), []);
  await shot(page, 'notifications');
  await entry.locator('a').click();

  // the link leads to the item, open, with the question in its discussion
  await page.waitForURL(/\/pemda\/62\.08\?/);
  const item = page.locator('details[data-indicator="PBJ.2"]');
  assert.ok(await item.evaluate((d) => d.open), 'the item is open');
  const thread = item.getByTestId('discussion');
  await thread.locator('.comment-body', { hasText: 'Mohon lampirkan rekapitulasi SPSE terbaru' }).waitFor();
  await thread.getByLabel('Tulis pesan').fill('Sudah kami unggah pada bukti dukung, terima kasih.');
  await thread.getByRole('button', { name: 'Kirim' }).click();
  await thread.locator('li.mine .comment-body', { hasText: 'Sudah kami unggah' }).waitFor();
  // the reviewer's message, answered, cannot be deleted by anyone; the operator's own last one can
  assert.equal(await thread.locator('li:not(.mine)').getByRole('button', { name: 'Hapus' }).count(), 0);
  await thread.locator('li.mine').getByRole('button', { name: 'Hapus' }).waitFor();
  await shot(page, 'discussion');
  assert.deepEqual(await axe(page), []);

  // what was read is no longer counted
  const after = await link.locator('.count').count() ? Number(await link.locator('.count').innerText()) : 0;
  assert.equal(after, count - 1);

  // e-mails: no more for comments
  await link.click();
  const prefs = page.locator('form.preferences');
  await prefs.getByLabel('Pesan di diskusi yang saya ikuti', { exact: false }).uncheck();
  await prefs.getByRole('button', { name: 'Simpan' }).click();
  await prefs.getByText('Tersimpan').waitFor();
  const saved = (await api(page, 'GET', '/api/v1/me/preferences')).body;
  assert.equal(saved.email.comments, false);
  assert.equal(saved.email.rejections, true);
  const list = (await api(page, 'GET', '/api/v1/periods/2020/regions/62.08/items/PBJ.2/comments')).body;
  assert.deepEqual(list.map((c) => c.author), [users.reviewer, users.operator]);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test("each role's home page starts with what needs its action", async () => {
  // Seruyan claims an item and the reviewer rejects it: its operator now has something to do
  const operator = await as('operator');
  const item = '/api/v1/periods/2020/regions/62.08/items/PRC.1';
  const claimed = await api(operator, 'PATCH', item, { progress: 80, note: 'Diperbarui' });
  assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
  await operator.context().close();
  const reviewer = await as('reviewer');
  const rejected = await api(reviewer, 'POST', `${item}/reviews`, { decision: 'reject', comment: 'Lampiran belum lengkap' });
  assert.equal(rejected.status, 201, JSON.stringify(rejected.body));
  await reviewer.context().close();
  const expected = {
    operator: /1 item Pemda Anda ditolak: perbaiki lalu kirim ulang/,
    reviewer: /klaim menunggu verifikasi; yang terlama menunggu [\d.]+ hari/,
    coordinator: /Pemda masih tertinggal: .+ \(\d+\)/,
  };
  for (const [role, text] of Object.entries(expected)) {
    const page = await as(role);
    await page.getByLabel('Tahun', { exact: true }).selectOption('2020');
    const todo = page.getByTestId('todo');
    await todo.getByRole('heading', { name: 'Perlu tindakan' }).waitFor();
    await todo.getByRole('link', { name: text }).first().waitFor();
    assert.deepEqual(page.jsErrors, [], role);
    await page.context().close();
  }
});

test("a Pemda's page explains its zone: what holds it back, and what gets it to the next zone", async () => {
  const page = await as('operator');
  await page.goto(BASE + '/pemda/62.08');
  await page.getByLabel('Tahun', { exact: true }).selectOption('2020');
  const card = page.getByTestId('explanation');
  await card.getByRole('heading', { name: /^Mengapa zona \S+\?$/ }).waitFor();
  const x = (await api(page, 'GET', '/api/v1/periods/2020/regions/62.08/explanation')).body;
  assert.ok(x.items.length > 0 && x.next, JSON.stringify(x));
  await card.getByTestId('next-zone').getByText(new RegExp(`verifikasi penuh ${x.next.items.join(', ').replaceAll('.', '\\.')}`)).waitFor();
  const first = card.locator('.gains li').first();
  assert.match(await first.innerText(), new RegExp(`^${x.items[0].indicator_code.replace('.', '\\.')} .*\\+[\\d,]+ poin$`));
  assert.deepEqual(await axe(page), []);
  await shot(page, 'zone-explanation');
  await page.context().close();
});

test('the coordinator and the operator keep a remediation plan: an action past its date is marked, and marked done', async () => {
  const coord = await as('coordinator');
  await coord.goto(BASE + '/pemda/62.08');
  await coord.getByLabel('Tahun', { exact: true }).selectOption('2020');
  const card = coord.getByTestId('remediation');
  await card.getByLabel('Tindakan', { exact: true }).fill('Menetapkan Perbup pendelegasian yang baru');
  await card.getByLabel('Penanggung jawab').fill('Kepala DPMPTSP');
  await card.getByLabel('Tenggat').fill('2020-01-15');
  await card.getByRole('button', { name: 'Tambah' }).click();
  const row = card.locator('.actions-list li', { hasText: 'Menetapkan Perbup pendelegasian yang baru' });
  await row.locator('.badge.overdue', { hasText: 'Lewat tenggat' }).waitFor();
  assert.match(await row.innerText(), /Kepala DPMPTSP · tenggat 15 Januari 2020/);
  assert.deepEqual(await axe(coord), []);
  await shot(coord, 'remediation');
  await coord.context().close();

  const page = await as('operator');
  await page.goto(BASE + '/pemda/62.08');
  await page.getByLabel('Tahun', { exact: true }).selectOption('2020');
  const mine = page.getByTestId('remediation').locator('.actions-list li', { hasText: 'Menetapkan Perbup pendelegasian yang baru' });
  await mine.getByLabel('Status').selectOption('done');
  await page.getByTestId('remediation').locator('.actions-list li.done', { hasText: 'Menetapkan Perbup pendelegasian yang baru' }).waitFor();
  const plan = (await api(page, 'GET', '/api/v1/periods/2020/regions/62.08/remediation')).body;
  const action = plan.find((a) => a.what === 'Menetapkan Perbup pendelegasian yang baru');
  assert.equal(action.status, 'done');
  assert.equal(action.overdue, false);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});
