// Figures the API does not serve directly, computed from items exactly as the server computes
// a region's percentage: weighted means on hundredths, rounded half-up to two decimals.
import type { Area, Item, ItemStatus, Region } from './types';
import { hundredths } from './zones';

/** Weighted mean of values (percent) by weights, rounded half-up to 2 decimals; null if no weight. */
export function weightedMean(pairs: { value: number; weight: number }[]): number | null {
  let num = 0;
  let den = 0;
  for (const { value, weight } of pairs) {
    const w = hundredths(weight);
    num += w * hundredths(value);
    den += w;
  }
  if (den === 0) return null;
  // num/den is in hundredths; round half-up exactly on integers.
  const q = Math.floor((2 * num + den) / (2 * den));
  return q / 100;
}

/** Each area's verified percentage for one region's items. */
export function areaPercents(items: Item[], areas: Area[], field: 'verified_progress' | 'progress' = 'verified_progress'): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const a of areas) {
    out[a.code] = weightedMean(items.filter((i) => i.area === a.code).map((i) => ({ value: i[field], weight: i.weight })));
  }
  return out;
}

/** The whole action-plan percentage: weighted mean over areas of each area's mean. */
export function overallPercent(items: Item[], areas: Area[], field: 'verified_progress' | 'progress' = 'verified_progress'): number | null {
  const per = areaPercents(items, areas, field);
  return weightedMean(areas.filter((a) => per[a.code] !== null).map((a) => ({ value: per[a.code] as number, weight: a.weight })));
}

export interface RegionItems {
  region: Region;
  items: Item[];
}

export interface QueueEntry {
  region: Region;
  item: Item;
  /** whole days the claim has waited */
  age: number;
}

/** The review queue: every submitted item, oldest claim first (ties by region, then indicator). */
export function buildQueue(all: RegionItems[], now: Date = new Date()): QueueEntry[] {
  const out: QueueEntry[] = [];
  for (const { region, items } of all) {
    for (const item of items) {
      if (item.status !== 'submitted') continue;
      const t = item.updated_at ? new Date(item.updated_at).getTime() : now.getTime();
      out.push({ region, item, age: Math.max(0, Math.floor((now.getTime() - t) / 86_400_000)) });
    }
  }
  const time = (e: QueueEntry) => (e.item.updated_at ? new Date(e.item.updated_at).getTime() : Infinity);
  return out.sort(
    (a, b) => time(a) - time(b) || a.region.code.localeCompare(b.region.code) || a.item.indicator_code.localeCompare(b.item.indicator_code),
  );
}

export type RadarCounts = Record<ItemStatus, number>;

/** The coordinator's radar: per region and area, how many items are in each status. */
export function radar(all: RegionItems[], areas: Area[]): { region: Region; byArea: Record<string, RadarCounts>; total: RadarCounts }[] {
  const zero = (): RadarCounts => ({ draft: 0, submitted: 0, approved: 0, rejected: 0 });
  return all.map(({ region, items }) => {
    const byArea: Record<string, RadarCounts> = {};
    for (const a of areas) byArea[a.code] = zero();
    const total = zero();
    for (const i of items) {
      (byArea[i.area] ??= zero())[i.status]++;
      total[i.status]++;
    }
    return { region, byArea, total };
  });
}

/** Runs fn over xs with at most `limit` calls in flight, keeping the order of xs. */
export async function mapLimit<T, R>(xs: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(xs.length);
  let next = 0;
  const worker = async () => {
    while (next < xs.length) {
      const i = next++;
      out[i] = await fn(xs[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, xs.length) }, worker));
  return out;
}
