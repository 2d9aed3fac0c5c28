// Number, percentage, date and size formats, the same as the PDF reports print them
// (reports/format.go): "82,78%", "100%", "1 Desember 2026 pukul 05.49 WIB" in Indonesian;
// "82.78%", "100%", "1 December 2026 at 05:49 WIB" in English. Times are shown in WIB, the
// time zone of the programme's deadlines and reports.

export type Lang = 'id' | 'en';

const locale = (lang: Lang) => (lang === 'en' ? 'en-GB' : 'id-ID');

const numberFormats = new Map<string, Intl.NumberFormat>();
function nf(lang: Lang, min: number, max: number): Intl.NumberFormat {
  const key = `${lang}:${min}:${max}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale(lang), { minimumFractionDigits: min, maximumFractionDigits: max });
    numberFormats.set(key, f);
  }
  return f;
}

/** A number with up to `digits` decimals ("1.234,5" in Indonesian). */
export function fmtNumber(v: number | null | undefined, lang: Lang, digits = 2): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return nf(lang, 0, digits).format(v);
}

/** A percentage as the API rounds it, up to two decimals and none when whole: "82,78%", "82,5%", "100%"; null is "—". */
export function fmtPercent(v: number | null | undefined, lang: Lang): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return nf(lang, 0, 2).format(v) + '%';
}

/** A signed change in percentage points: "+1,25" / "−3"; null is "—". */
export function fmtDelta(v: number | null | undefined, lang: Lang): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const abs = nf(lang, 0, 2).format(Math.abs(v));
  if (v > 0) return '+' + abs;
  if (v < 0) return '−' + abs;
  return abs;
}

/** The zone every time is shown in: the PDF reports' WIB. */
export const WIB = 'Asia/Jakarta';

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function df(lang: Lang, withTime: boolean, timeZone: string): Intl.DateTimeFormat {
  const key = `${lang}:${withTime}:${timeZone}`;
  let f = dateFormats.get(key);
  if (!f) {
    const o: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric', timeZone };
    if (withTime) Object.assign(o, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    f = new Intl.DateTimeFormat(locale(lang), o);
    dateFormats.set(key, f);
  }
  return f;
}

function toDate(v: string | Date | null | undefined): Date | null {
  if (!v) return null;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A date: "1 Oktober 2019" / "1 October 2019" (a calendar date such as a deadline: pass 'UTC'). */
export function fmtDate(v: string | Date | null | undefined, lang: Lang, timeZone = WIB): string {
  const d = toDate(v);
  return d ? df(lang, false, timeZone).format(d) : '—';
}

/** A moment: "1 Desember 2026 pukul 05.49 WIB" / "1 December 2026 at 05:49 WIB". */
export function fmtDateTime(v: string | Date | null | undefined, lang: Lang): string {
  const d = toDate(v);
  if (!d) return '—';
  const parts = df(lang, true, WIB).formatToParts(d); // once: formatting is the costly step
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const date = `${part('day')} ${part('month')} ${part('year')}`;
  return lang === 'id' ? `${date} pukul ${part('hour')}.${part('minute')} WIB` : `${date} at ${part('hour')}:${part('minute')} WIB`;
}

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
