// Zones as the web app shows them: the keys the API uses in their order, and how a band reads
// in a legend. Which zone a figure is in is decided by the server alone; nothing here decides it.
import { fmtPercent, type Lang } from './format';
import type { Band } from './types';

/** Every zone key, highest first; a chip always shows the key's label next to its colour. */
export const ZONE_KEYS = ['complete', 'green', 'light_green', 'blue', 'yellow', 'red', 'no_data'] as const;
export type ZoneKey = (typeof ZONE_KEYS)[number];

export const isZoneKey = (k: string): k is ZoneKey => (ZONE_KEYS as readonly string[]).includes(k);

/**
 * bandText writes a band's range the way the PDF's legend does (reports/format.go bandText):
 * "= 100%", "75% ≤ p < 100%", "p ≤ 50%".
 */
export function bandText(b: Band, lang: Lang): string {
  const pct = (v: number) => fmtPercent(v, lang);
  if (b.min === b.max) return `= ${pct(b.min)}`;
  const lo = b.min_inclusive ? '≤' : '<';
  const hi = b.max_inclusive ? '≤' : '<';
  if (b.min === 0 && b.min_inclusive) return `p ${hi} ${pct(b.max)}`;
  return `${pct(b.min)} ${lo} p ${hi} ${pct(b.max)}`;
}
