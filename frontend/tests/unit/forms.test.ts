import { describe, expect, it } from 'vitest';
import { chooseLang, lang } from '../../src/i18n';
import { passwordProblems } from '../../src/lib/account';
import { imageDataURL, imageTypeOf } from '../../src/lib/image';
import { deadlineMessage, isoDate, periodPatch } from '../../src/lib/periods';
import { activePatch, endsSessions, isActive, userPatch } from '../../src/lib/users';
import type { User } from '../../src/lib/types';

const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');
const PNG = b64([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const JPEG = b64([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);

describe('imageTypeOf', () => {
  it('reads PNG and JPEG from their signatures, whatever the name says', () => {
    expect(imageTypeOf(PNG)).toBe('image/png');
    expect(imageTypeOf(JPEG)).toBe('image/jpeg');
    expect(imageDataURL(JPEG)).toBe(`data:image/jpeg;base64,${JPEG}`);
    expect(imageDataURL(PNG)).toMatch(/^data:image\/png;base64,/);
  });
  it('refuses anything else, short data and data that is not base64', () => {
    expect(imageTypeOf(b64([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]))).toBeNull(); // GIF
    expect(imageTypeOf(b64([0x25, 0x50, 0x44, 0x46]))).toBeNull(); // %PDF
    expect(imageTypeOf(b64([0x89, 0x50]))).toBeNull();
    expect(imageTypeOf('***')).toBeNull();
    expect(imageTypeOf('')).toBeNull();
    expect(imageTypeOf(null)).toBeNull();
    expect(imageDataURL('***')).toBeNull();
  });
  it('ignores line breaks in the base64', () => {
    expect(imageTypeOf(JPEG.slice(0, 4) + '\n' + JPEG.slice(4))).toBe('image/jpeg');
  });
});

describe('periodPatch', () => {
  const p = { year: 2025, name: 'Rencana Aksi 2025', deadline: null, version: 3 };
  it('sends only what changed, with the version the form started from', () => {
    expect(periodPatch(p, 'Rencana Aksi 2025', '')).toBeNull();
    expect(periodPatch(p, 'Rencana Aksi 2025', '2025-11-30')).toEqual({ deadline: '2025-11-30', version: 3 });
    expect(periodPatch(p, '  Renaksi 2025 ', '')).toEqual({ name: 'Renaksi 2025', version: 3 });
  });
  it('clears a deadline with an empty string', () => {
    const withDeadline = { ...p, deadline: '2025-11-30T00:00:00Z' };
    expect(periodPatch(withDeadline, p.name, '2025-11-30')).toBeNull();
    expect(periodPatch(withDeadline, p.name, '')).toEqual({ deadline: '', version: 3 });
  });
  it('reads the date part of what the API sends', () => {
    expect(isoDate('2025-11-30')).toBe('2025-11-30');
    expect(isoDate('2025-11-30T00:00:00Z')).toBe('2025-11-30');
    expect(isoDate(null)).toBe('');
    expect(isoDate('30/11/2025')).toBe('');
  });
});

describe('deadlineMessage', () => {
  it('says days left, today, or days past', () => {
    expect(deadlineMessage(12)).toEqual({ key: 'radar.deadline', days: 12 });
    expect(deadlineMessage(0)).toEqual({ key: 'radar.deadlineToday', days: 0 });
    expect(deadlineMessage(-3)).toEqual({ key: 'radar.deadlinePast', days: 3 });
    expect(deadlineMessage(null).key).toBe('radar.deadline');
  });
});

describe('passwordProblems', () => {
  it('accepts a long enough new password typed twice', () => {
    expect(passwordProblems({ old_password: 'lama-sekali-1', new_password: 'baru-sekali-2', confirm: 'baru-sekali-2' })).toEqual({});
  });
  it('names each field that is wrong, in the language of the interface', async () => {
    expect(lang.value).toBe('id');
    const p = passwordProblems({ old_password: '', new_password: 'pendek', confirm: 'lain' });
    expect(p).toEqual({ old_password: 'Wajib diisi.', new_password: 'Paling sedikit 10 karakter.', confirm: 'Tidak sama dengan kata sandi baru.' });
    expect(passwordProblems({ old_password: 'sama-persis-1', new_password: 'sama-persis-1', confirm: 'sama-persis-1' })).toHaveProperty('new_password');
    await chooseLang('en');
    expect(passwordProblems({ old_password: 'x', new_password: 'short', confirm: 'short' }).new_password).toBe('At least 10 characters.');
    lang.value = 'id';
  });
  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblems({ old_password: 'a', new_password: '🔑🔑🔑🔑🔑🔑🔑🔑🔑', confirm: '🔑🔑🔑🔑🔑🔑🔑🔑🔑' })).toHaveProperty('new_password');
  });
});

describe('userPatch', () => {
  const u: User = { id: 7, email: 'op@demo.pantau.id', name: 'Operator Kapuas', role: 'operator', region_code: '62.03', active: true, version: 4 };
  it('sends only what changed, with the version the form started from', () => {
    expect(userPatch(u, { name: ' Operator Kapuas ', role: 'operator', region: '62.03' })).toBeNull();
    expect(userPatch(u, { name: 'Operator Kapuas', role: 'operator', region: '62.08' })).toEqual({ region_code: '62.08', version: 4 });
    expect(userPatch(u, { name: 'Op. Kapuas', role: 'reviewer', region: '' })).toEqual({ name: 'Op. Kapuas', role: 'reviewer', region_code: '', version: 4 });
  });
  it('clears a region with an empty string and leaves out an unknown version', () => {
    const { version: _v, ...old } = u;
    expect(userPatch({ ...old, role: 'reviewer' }, { name: u.name, role: 'reviewer', region: '' })).toEqual({ region_code: '' });
    expect(userPatch({ ...u, region_code: null }, { name: u.name, role: 'operator', region: '' })).toBeNull();
  });
  it('deactivates with the version, and knows which changes end sessions', () => {
    expect(activePatch(u, false)).toEqual({ active: false, version: 4 });
    expect(endsSessions({ active: false })).toBe(true);
    expect(endsSessions({ active: true })).toBe(false);
    expect(endsSessions({ region_code: '' })).toBe(true);
    expect(endsSessions({ name: 'x' })).toBe(false);
    expect(isActive({ ...u, active: undefined })).toBe(true);
    expect(isActive({ ...u, active: false })).toBe(false);
  });
});
