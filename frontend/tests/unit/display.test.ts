import { describe, expect, it } from 'vitest';
import { docBadge, firstToReview, orderEvidence } from '../../src/lib/evidence';
import { shortName } from '../../src/lib/names';
import type { Band, Evidence } from '../../src/lib/types';
import { bandText } from '../../src/lib/zones';

const doc = (id: number, uploaded_at: string, over: Partial<Evidence> = {}): Evidence => ({
  id,
  filename: `d${id}.pdf`,
  size: 1,
  sha256: '0'.repeat(64),
  content_type: 'application/pdf',
  uploaded_at,
  status: 'waiting',
  reason: '',
  reviewed_at: null,
  replaces_id: null,
  superseded: false,
  effective_date: null,
  version: 1,
  ...over,
});

describe('documents', () => {
  const accepted = doc(1, '2026-11-01T00:00:00Z', { status: 'accepted' });
  const waitingOld = doc(2, '2026-11-02T00:00:00Z');
  const waitingNew = doc(3, '2026-11-03T00:00:00Z');
  const replaced = doc(4, '2026-11-04T00:00:00Z', { superseded: true, status: 'rejected' });

  it('lists current documents newest first, replaced revisions last', () => {
    expect(orderEvidence([accepted, replaced, waitingOld, waitingNew]).map((d) => d.id)).toEqual([3, 2, 1, 4]);
  });
  it('opens the newest waiting document for the reviewer, not the oldest accepted one', () => {
    expect(firstToReview([accepted, waitingOld, waitingNew, replaced])?.id).toBe(3);
    expect(firstToReview([accepted])?.id).toBe(1);
    expect(firstToReview([doc(5, '2026-11-05T00:00:00Z', { content_type: 'application/msword' })])).toBeUndefined();
  });
  it('says "Baru" to the reviewer and "Menunggu" to others while the claim waits, and nothing once it was decided', () => {
    expect(docBadge(waitingNew, 'submitted', true)).toBe('new');
    expect(docBadge(waitingNew, 'submitted', false)).toBe('waiting');
    expect(docBadge(waitingNew, 'draft', false)).toBe('notSubmitted');
    expect(docBadge(waitingNew, 'rejected', false)).toBeNull();
    expect(docBadge(waitingNew, 'approved', false)).toBeNull();
    expect(docBadge(accepted, 'rejected', false)).toBe('accepted');
    expect(docBadge(replaced, 'submitted', true)).toBe('rejected');
  });
});

describe('legends and names', () => {
  const band = (min: number, min_inclusive: boolean, max: number, max_inclusive: boolean): Band => ({ key: 'x', min, min_inclusive, max, max_inclusive });
  it('writes bands as the PDF legend does', () => {
    expect(bandText(band(100, true, 100, true), 'id')).toBe('= 100%');
    expect(bandText(band(75, true, 100, false), 'id')).toBe('75% ≤ p < 100%');
    expect(bandText(band(50, false, 75, false), 'en')).toBe('50% < p < 75%');
    expect(bandText(band(0, true, 50, true), 'id')).toBe('p ≤ 50%');
    expect(bandText(band(25, true, 50.5, true), 'id')).toBe('25% ≤ p ≤ 50,5%');
  });
  it('shortens Pemda names without making a regency and a city alike', () => {
    expect(shortName('Kabupaten Kotawaringin Barat')).toBe('Kotawaringin Barat');
    expect(shortName('Kota Palangka Raya')).toBe('Kota Palangka Raya');
    expect(shortName('Provinsi Kalimantan Tengah')).toBe('Prov. Kalimantan Tengah');
  });
});
