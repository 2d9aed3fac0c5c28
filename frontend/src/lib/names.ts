// Short names for narrow columns: "Kabupaten Kotawaringin Barat" → "Kotawaringin Barat";
// "Kota Palangka Raya" stays as it is (a regency and a city may share a name, e.g. Bekasi);
// "Provinsi Kalimantan Tengah" → "Prov. Kalimantan Tengah". The full name stays beside it for
// screen readers and as the link's title.
export function shortName(name: string): string {
  return name.replace(/^Kabupaten\s+/i, '').replace(/^Provinsi\s+/i, 'Prov. ');
}
