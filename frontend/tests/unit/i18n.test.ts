import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue, chooseLang, interpolate, lang, t, zoneLabel } from '../../src/i18n';
import { labelIn } from '../../src/lib/labels';

const id = (await catalogue('id')) as Record<string, string>;
const en = (await catalogue('en')) as Record<string, string>;
const ITEM_STATUSES = ['draft', 'submitted', 'approved', 'rejected'];
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(f) && !p.includes('/i18n/') ? [p] : [];
  });
}

describe('message catalogues', () => {
  it('have the same keys in Indonesian and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
  });
  it('have no empty message and the same placeholders in both languages', () => {
    for (const k of Object.keys(id)) {
      expect(id[k].trim(), `id ${k}`).not.toBe('');
      expect(en[k]?.trim(), `en ${k}`).not.toBe('');
      expect(placeholders(en[k]), k).toEqual(placeholders(id[k]));
    }
  });
  it('hold every key the source uses', () => {
    const src = join(__dirname, '../../src');
    const used = new Set<string>();
    for (const f of sources(src)) {
      const text = readFileSync(f, 'utf8');
      // t('key'), t("key"), key: 'nav.x' / label: 'admin.x' in tables of keys, and conditional keys.
      for (const m of text.matchAll(/\bt\(\s*'([^']+)'/g)) used.add(m[1]);
      for (const m of text.matchAll(/\b(?:key|label): '([a-z]+\.[\w.]+)'/g)) used.add(m[1]);
      for (const m of text.matchAll(/\? '([a-z]+\.[\w.]+)' : '([a-z]+\.[\w.]+)'/g)) used.add(m[1]).add(m[2]);
    }
    expect(used.size).toBeGreaterThan(150);
    const missing = [...used].filter((k) => !(k in id) || !(k in en));
    expect(missing).toEqual([]);
  });
});

describe('t', () => {
  it('is Indonesian by default and switches to English once its catalogue is there', async () => {
    expect(lang.value).toBe('id');
    expect(t('nav.dashboard')).toBe('Ringkasan');
    await chooseLang('en');
    expect(t('nav.dashboard')).toBe('Overview');
    expect(zoneLabel('ultraviolet')).toBe('ultraviolet'); // no label table yet: the key
    lang.value = 'id';
  });
  it('fills placeholders', () => {
    expect(t('review.age', { days: 3 })).toBe('menunggu 3 hari');
    expect(interpolate('{a} dan {b}', { a: 1 })).toBe('1 dan {b}');
  });
});

describe('labels', () => {
  const tables = {
    id: { zone: { green: 'Hijau' }, item_status: {}, evidence_status: {}, decision: {}, role: {}, region_kind: {}, commitment_status: {}, slot_status: {}, sign_mode: {} },
    en: { zone: {}, item_status: {}, evidence_status: {}, decision: {}, role: {}, region_kind: {}, commitment_status: {}, slot_status: {}, sign_mode: {} },
  };
  it("come from the server's table, in Indonesian when English lacks one, else the key", () => {
    expect(labelIn(tables, 'id', 'zone', 'green')).toBe('Hijau');
    expect(labelIn(tables, 'en', 'zone', 'green')).toBe('Hijau');
    expect(labelIn(tables, 'en', 'zone', 'blue')).toBe('blue');
    expect(labelIn(null, 'id', 'zone', 'green')).toBe('green');
  });
});
