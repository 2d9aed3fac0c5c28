// Number, percentage, date and size formats, the same as the PDF reports print them
// (reports/format.go): "82,78%", "100%", "1 Desember 2026 pukul 05.49 WIB" in Indonesian;
// "82.78%", "100%", "1 December 2026 at 05:49 WIB" in English. Times are shown in WIB, the
// time zone of the programme's deadlines and reports.

export type Lang = 'id' | 'en';

// Written out here rather than through Intl: a page's first Intl.NumberFormat, DateTimeFormat or
// Collator makes the browser load its ICU data, tens of milliseconds of a phone's main thread
// before the dashboard can paint (tests/unit/format.test.ts checks these against Intl).

const seps: Record<Lang, { group: string; decimal: string }> = { id: { group: '.', decimal: ',' }, en: { group: ',', decimal: '.' } };

/**
 * The decimal digits of |v| rounded half away from zero to at most `digits` fraction digits, as
 * Intl.NumberFormat rounds: from the shortest decimal that reads back as v ("1.005", not the
 * binary 1.00499…). Null for a magnitude written with an exponent.
 */
function roundDigits(v: number, digits: number): { int: string; frac: string } | null {
  const s = String(Math.abs(v));
  if (s.includes('e')) return null;
  const [int, frac = ''] = s.split('.');
  if (frac.length <= digits) return { int, frac: frac.replace(/0+$/, '') };
  // round the digit string int+frac[0:digits] up by one unit when the next digit is 5 or more
  const kept = (int + frac.slice(0, digits)).split('').map(Number);
  if (frac.charCodeAt(digits) >= 53) {
    let i = kept.length - 1;
    while (i >= 0 && kept[i] === 9) kept[i--] = 0;
    if (i < 0) kept.unshift(1);
    else kept[i]++;
  }
  const all = kept.join('');
  const cut = all.length - digits;
  return { int: all.slice(0, cut), frac: all.slice(cut).replace(/0+$/, '') };
}

/** A number with up to `digits` decimals ("1.234,5" in Indonesian). */
export function fmtNumber(v: number | null | undefined, lang: Lang, digits = 2): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const r = roundDigits(v, digits);
  if (!r) return v.toLocaleString(lang === 'en' ? 'en-GB' : 'id-ID', { maximumFractionDigits: digits });
  const { group, decimal } = seps[lang];
  const int = r.int.replace(/\B(?=(\d{3})+$)/g, group);
  return (v < 0 || Object.is(v, -0) ? '-' : '') + int + (r.frac ? decimal + r.frac : '');
}

/** A percentage as the API rounds it, up to two decimals and none when whole: "82,78%", "82,5%", "100%"; null is "—". */
export function fmtPercent(v: number | null | undefined, lang: Lang): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return fmtNumber(v, lang) + '%';
}

/** A signed change in percentage points: "+1,25" / "−3"; null is "—". */
export function fmtDelta(v: number | null | undefined, lang: Lang): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const abs = fmtNumber(Math.abs(v), lang);
  if (v > 0) return '+' + abs;
  if (v < 0) return '−' + abs;
  return abs;
}

/** The zone every time is shown in: the PDF reports' WIB. */
export const WIB = 'Asia/Jakarta';

/** The zones dates are read in: WIB (UTC+7 all year, as Indonesia keeps no summer time), or UTC for a calendar date. */
export type TimeZone = typeof WIB | 'UTC';
const offsetMs: Record<TimeZone, number> = { [WIB]: 7 * 3_600_000, UTC: 0 };

const months: Record<Lang, string[]> = {
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

function toDate(v: string | Date | null | undefined): Date | null {
  if (!v) return null;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The wall clock in a zone, read through the UTC getters. */
const inZone = (d: Date, timeZone: TimeZone) => new Date(d.getTime() + offsetMs[timeZone]);

const dayMonthYear = (w: Date, lang: Lang) => `${w.getUTCDate()} ${months[lang][w.getUTCMonth()]} ${w.getUTCFullYear()}`;

/** A date: "1 Oktober 2019" / "1 October 2019" (a calendar date such as a deadline: pass 'UTC'). */
export function fmtDate(v: string | Date | null | undefined, lang: Lang, timeZone: TimeZone = WIB): string {
  const d = toDate(v);
  return d ? dayMonthYear(inZone(d, timeZone), lang) : '—';
}

/** A moment: "1 Desember 2026 pukul 05.49 WIB" / "1 December 2026 at 05:49 WIB". */
export function fmtDateTime(v: string | Date | null | undefined, lang: Lang): string {
  const d = toDate(v);
  if (!d) return '—';
  const w = inZone(d, WIB);
  const hh = String(w.getUTCHours()).padStart(2, '0');
  const mm = String(w.getUTCMinutes()).padStart(2, '0');
  return lang === 'id' ? `${dayMonthYear(w, lang)} pukul ${hh}.${mm} WIB` : `${dayMonthYear(w, lang)} at ${hh}:${mm} WIB`;
}

/** Today's date in WIB (YYYY-MM-DD), the day deadlines count in. */
export const todayWIB = (now: Date = new Date()) => inZone(now, WIB).toISOString().slice(0, 10);

/** Whole days from `from` to `now` (never negative). */
export function daysSince(from: string | Date | null | undefined, now: Date = new Date()): number | null {
  const d = toDate(from);
  if (!d) return null;
  return Math.max(0, Math.floor((now.getTime() - d.getTime()) / 86_400_000));
}

/** A file size: "820 B", "12,4 KB", "3,1 MB". */
export function fmtBytes(n: number, lang: Lang): string {
  if (n < 1024) return `${fmtNumber(n, lang, 0)} B`;
  if (n < 1024 * 1024) return `${fmtNumber(n / 1024, lang, 1)} KB`;
  return `${fmtNumber(n / (1024 * 1024), lang, 1)} MB`;
}

/**
 * parseDecimal reads a number as people type it: "82,5", "82.5", " 100 ". Returns null for
 * anything else (so "" or "abc" never becomes 0 silently).
 */
export function parseDecimal(s: string): number | null {
  const t = s.trim().replace(/\s/g, '');
  if (!/^-?\d+([.,]\d+)?$/.test(t)) return null;
  return Number(t.replace(',', '.'));
}

/** A number as it is typed into a form in the language: 82.5 → "82,5" in Indonesian. */
export function fmtInput(v: number | null | undefined, lang: Lang): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '';
  const s = String(v);
  return lang === 'id' ? s.replace('.', ',') : s;
}
