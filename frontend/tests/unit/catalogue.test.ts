import { describe, expect, it } from 'vitest';
import type { RegionKind } from '../../src/lib/types';
import { areaPatch, codeId, indicatorPatch, readWeight, weightText } from '../../src/lib/catalogue';
import { changedPatch } from '../../src/lib/patch';

describe('changedPatch', () => {
  it('keeps only the changed fields, with the version', () => {
    expect(changedPatch({ a: 'x', b: 1 }, { a: 'x', b: 1 }, 4)).toBeNull();
    expect(changedPatch({ a: 'x', b: 1 }, { a: 'y', b: 1 }, 4)).toEqual({ a: 'y', version: 4 });
    expect(changedPatch({ a: 'x', b: 1 }, { a: 'x', b: 2 }, undefined)).toEqual({ b: 2 });
  });
  it('sends "" when a field is cleared', () => {
    expect(changedPatch({ region: '62.08' }, { region: '' }, 1)).toEqual({ region: '', version: 1 });
  });
});

describe('readWeight', () => {
  it('reads weights as people type them, and says why others are not numbers', () => {
    expect(readWeight('1,5')).toBe(1.5);
    expect(readWeight(' 2.25 ')).toBe(2.25);
    expect(readWeight('')).toBe('form.required');
    expect(readWeight('  ')).toBe('form.required');
    expect(readWeight('dua')).toBe('form.number');
    expect(readWeight('1,5,2')).toBe('form.number');
  });
  it('shows a weight in the language of the form', () => {
    expect(weightText(1.5, 'id')).toBe('1,5');
    expect(weightText(1.5, 'en')).toBe('1.5');
    expect(weightText(2, 'id')).toBe('2');
  });
});

describe('areaPatch', () => {
  const a = { code: 'PTSP', name: 'Pelayanan Terpadu', weight: 1.5, version: 2 };
  it('sends only what changed, with the version the form started from', () => {
    expect(areaPatch(a, { name: 'Pelayanan Terpadu', weight: '1,5' })).toEqual({ patch: null });
    expect(areaPatch(a, { name: ' Pelayanan Terpadu ', weight: '1.50' })).toEqual({ patch: null });
    expect(areaPatch(a, { name: 'Pelayanan Terpadu', weight: '2' })).toEqual({ patch: { weight: 2, version: 2 } });
    expect(areaPatch(a, { name: ' PTSP ', weight: '3,25' })).toEqual({ patch: { name: 'PTSP', weight: 3.25, version: 2 } });
  });
  it('sends an empty name (the API names the field) but never a weight that is not a number', () => {
    expect(areaPatch(a, { name: '  ', weight: '1,5' })).toEqual({ patch: { name: '', version: 2 } });
    expect(areaPatch(a, { name: 'X', weight: 'satu' })).toEqual({ fields: { weight: 'form.number' } });
    expect(areaPatch(a, { name: 'X', weight: '' })).toEqual({ fields: { weight: 'form.required' } });
  });
  it('sends no version to an older server that has none', () => {
    expect(areaPatch({ code: 'A', name: 'A', weight: 1 }, { name: 'B', weight: '1' })).toEqual({ patch: { name: 'B' } });
  });
});

describe('indicatorPatch', () => {
  const i = { code: 'PTSP.2', area: 'PTSP', title: 'SOP pelayanan', weight: 1, version: 7, parent: null, requirement: 'SK SOP', applies_to: ['province', 'regency', 'city'] as RegionKind[] };
  const form = { title: 'SOP pelayanan', weight: '1', area: 'PTSP', requirement: 'SK SOP', applies_to: ['province', 'regency', 'city'] as RegionKind[] };
  it('re-weights, renames and moves an indicator with only the changed fields', () => {
    expect(indicatorPatch(i, form)).toEqual({ patch: null });
    expect(indicatorPatch(i, { ...form, weight: '2,5' })).toEqual({ patch: { weight: 2.5, version: 7 } });
    expect(indicatorPatch(i, { ...form, area: 'PBJ' })).toEqual({ patch: { area: 'PBJ', version: 7 } });
    expect(indicatorPatch(i, { ...form, title: 'SOP baru ', weight: '1,0', area: 'PBJ' })).toEqual({ patch: { title: 'SOP baru', area: 'PBJ', version: 7 } });
  });
  it('changes the required evidence and the kinds of region, compared as a set', () => {
    expect(indicatorPatch(i, { ...form, requirement: ' SK SOP dan standar pelayanan ' })).toEqual({ patch: { requirement: 'SK SOP dan standar pelayanan', version: 7 } });
    expect(indicatorPatch(i, { ...form, applies_to: ['city', 'regency', 'province'] })).toEqual({ patch: null });
    expect(indicatorPatch(i, { ...form, applies_to: ['regency', 'province'] })).toEqual({ patch: { version: 7, applies_to: ['province', 'regency'] } });
    expect(indicatorPatch(i, { ...form, weight: '2', applies_to: ['regency'] })).toEqual({ patch: { weight: 2, version: 7, applies_to: ['regency'] } });
  });
  it('names a weight that is not a number, or no kind of region, before sending', () => {
    expect(indicatorPatch(i, { ...form, title: 'x', weight: '1..2', area: 'PBJ' })).toEqual({ fields: { weight: 'form.number' } });
    expect(indicatorPatch(i, { ...form, applies_to: [] })).toEqual({ fields: { applies_to: 'admin.appliesToNone' } });
  });
});

describe('codeId', () => {
  it('makes an id fragment of any code, one code to one fragment', () => {
    expect(codeId('PTSP')).toBe('PTSP');
    expect(codeId('PTSP.2')).toBe('PTSP_2e2');
    expect(codeId('PTSP-2')).toBe('PTSP-2');
    expect(codeId('PTSP_2')).not.toBe(codeId('PTSP.2'));
    expect(codeId('A 1')).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
