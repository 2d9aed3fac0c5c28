// Short names for narrow columns: "Kabupaten Kotawaringin Barat" → "Kotawaringin Barat";
// "Kota Palangka Raya" stays as it is (a regency and a city may share a name, e.g. Bekasi);
// "Provinsi Kalimantan Tengah" → "Prov. Kalimantan Tengah". The full name stays beside it for
// screen readers and as the link's title.
export function shortName(name: string): string {
  return name.replace(/^Kabupaten\s+/i, '').replace(/^Provinsi\s+/i, 'Prov. ');
}

// Made at the first comparison, not when the module loads: building a collator loads the
// browser's ICU collation data, which a page that never compares names need not wait for.
let collator: Intl.Collator | undefined;

/** Compares names the Indonesian way, with one collator (localeCompare with a locale builds one per call). */
export const byName = (a: string, b: string) => (collator ??= new Intl.Collator('id')).compare(a, b);
