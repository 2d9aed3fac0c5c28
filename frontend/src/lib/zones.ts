// Zones: the keys the API uses, their order, and a client-side zoneFor that decides a zone from
// a period's bands exactly as the server does (on hundredths, never on floats at the edges).
import type { Band } from './types';

/** Every zone key, highest first; a chip always shows the key's label next to its colour. */
export const ZONE_KEYS = ['complete', 'green', 'light_green', 'blue', 'yellow', 'red', 'no_data'] as const;
export type ZoneKey = (typeof ZONE_KEYS)[number];

export const isZoneKey = (k: string): k is ZoneKey => (ZONE_KEYS as readonly string[]).includes(k);

/** Percent as an integer number of hundredths (82.78 → 8278), rounding half-up. */
export const hundredths = (p: number) => Math.round(p * 100 + (p >= 0 ? 1e-9 : -1e-9));

/** zoneFor returns the key of the band holding p (a percent), or no_data for null. */
export function zoneFor(p: number | null | undefined, bands: Band[]): string {
  if (p === null || p === undefined) return 'no_data';
  const v = hundredths(p);
  for (const b of bands) {
    const min = hundredths(b.min);
    const max = hundredths(b.max);
    const aboveMin = b.min_inclusive ? v >= min : v > min;
    const belowMax = b.max_inclusive ? v <= max : v < max;
    if (aboveMin && belowMax) return b.key;
  }
  return 'no_data';
}

/** The zone keys a scheme uses, in its order, with no_data last. */
export function schemeKeys(bands: Band[]): string[] {
  return [...bands.map((b) => b.key), 'no_data'];
}
