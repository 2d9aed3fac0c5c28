import { describe, expect, it } from 'vitest';
import { areaPercents, buildQueue, mapLimit, overallPercent, radar, weightedMean } from '../../src/lib/scores';
import type { Area, Band, Item } from '../../src/lib/types';
import { zoneFor } from '../../src/lib/zones';

const item = (code: string, area: string, weight: number, verified: number, status: Item['status'] = 'approved', updated_at: string | null = null): Item => ({
  indicator_code: code,
  area,
  title: code,
  weight,
  progress: verified,
  verified_progress: verified,
  status,
  version: 1,
  note: '',
  updated_at,
  last_review: null,
  evidence: [],
});

// The default action-plan bands of shared/api.md.
const actionPlan: Band[] = [
  { key: 'complete', min: 100, min_inclusive: true, max: 100, max_inclusive: true },
  { key: 'green', min: 75, min_inclusive: true, max: 100, max_inclusive: false },
  { key: 'yellow', min: 50, min_inclusive: false, max: 75, max_inclusive: false },
  { key: 'red', min: 0, min_inclusive: true, max: 50, max_inclusive: true },
];

describe('zones on hundredths', () => {
  it('puts the edges where the contract does', () => {
    expect(zoneFor(100, actionPlan)).toBe('complete');
    expect(zoneFor(99.99, actionPlan)).toBe('green');
    expect(zoneFor(75, actionPlan)).toBe('green');
    expect(zoneFor(74.99, actionPlan)).toBe('yellow');
    expect(zoneFor(50.01, actionPlan)).toBe('yellow');
    expect(zoneFor(50, actionPlan)).toBe('red');
    expect(zoneFor(0, actionPlan)).toBe('red');
    expect(zoneFor(null, actionPlan)).toBe('no_data');
  });
  it('is not fooled by floating point', () => {
    expect(zoneFor(0.1 + 0.2 + 74.7, actionPlan)).toBe('green'); // 75.00000000000001
    expect(zoneFor(74.99999999999, actionPlan)).toBe('green'); // rounds to 75.00
  });
});

describe('weighted means like the server', () => {
  it('rounds half-up to two decimals', () => {
    expect(weightedMean([{ value: 1, weight: 32 }, { value: 0, weight: 0 }])).toBe(1);
    expect(weightedMean([{ value: 100, weight: 1 }, ...Array.from({ length: 31 }, () => ({ value: 0, weight: 1 }))])).toBe(3.13);
    expect(weightedMean([{ value: 74.99, weight: 1 }, { value: 75, weight: 1 }])).toBe(75); // 74.995 → 75.00
    expect(weightedMean([])).toBeNull();
  });
  it('computes area and overall percentages', () => {
    const areas: Area[] = [
      { code: 'A', name: 'A', weight: 1 },
      { code: 'B', name: 'B', weight: 3 },
    ];
    const items = [item('A1', 'A', 1, 100), item('A2', 'A', 3, 0), item('B1', 'B', 1, 80)];
    expect(areaPercents(items, areas)).toEqual({ A: 25, B: 80 });
    expect(overallPercent(items, areas)).toBe(66.25);
  });
});

describe('review queue and radar', () => {
  const r1 = { code: '62.08', name: 'Seruyan', kind: 'regency' as const };
  const r2 = { code: '62.01', name: 'Kotawaringin Barat', kind: 'regency' as const };
  const all = [
    { region: r1, items: [item('P1', 'PTSP', 1, 0, 'submitted', '2019-10-03T00:00:00Z'), item('P2', 'PTSP', 1, 0, 'draft'), item('P3', 'PTSP', 1, 0, 'rejected')] },
    { region: r2, items: [item('P1', 'PTSP', 1, 0, 'submitted', '2019-10-01T00:00:00Z'), item('P2', 'PTSP', 1, 90, 'approved')] },
  ];
  it('puts the oldest claim first, with its age', () => {
    const q = buildQueue(all, new Date('2019-10-08T00:00:00Z'));
    expect(q.map((e) => `${e.region.code}/${e.item.indicator_code}/${e.age}`)).toEqual(['62.01/P1/7', '62.08/P1/5']);
  });
  it('counts missing, waiting and rejected per region and area', () => {
    const rows = radar(all, [{ code: 'PTSP', name: 'PTSP', weight: 1 }]);
    expect(rows[0].total).toEqual({ draft: 1, submitted: 1, approved: 0, rejected: 1 });
    expect(rows[1].byArea.PTSP).toEqual({ draft: 0, submitted: 1, approved: 1, rejected: 0 });
  });
  it('bounds concurrent loads and keeps order', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 3, 2, 4], 2, async (x) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, x));
      inFlight--;
      return x * 10;
    });
    expect(out).toEqual([50, 10, 30, 20, 40]);
    expect(peak).toBe(2);
  });
});
