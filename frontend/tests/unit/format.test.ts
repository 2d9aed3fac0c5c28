import { describe, expect, it } from 'vitest';
import { daysSince, fmtBytes, fmtDate, fmtDateTime, fmtDelta, fmtInput, fmtNumber, fmtPercent, parseDecimal, todayWIB } from '../../src/lib/format';

describe('Indonesian and English number formats', () => {
  it('writes percentages with a decimal comma in Indonesian', () => {
    expect(fmtPercent(82.78, 'id')).toBe('82,78%');
    // as reports/format.go prints them: no trailing zeros, none at all when whole
    expect(fmtPercent(100, 'id')).toBe('100%');
    expect(fmtPercent(3.1, 'id')).toBe('3,1%');
    expect(fmtPercent(35.11, 'id')).toBe('35,11%');
    expect(fmtPercent(82.78, 'en')).toBe('82.78%');
    expect(fmtPercent(null, 'id')).toBe('—');
  });
  it('groups thousands with a dot in Indonesian', () => {
    expect(fmtNumber(1234567.5, 'id')).toBe('1.234.567,5');
    expect(fmtNumber(1234567.5, 'en')).toBe('1,234,567.5');
    expect(fmtNumber(120, 'id', 0)).toBe('120');
  });
  it('writes what Intl.NumberFormat writes, without loading it', () => {
    // the figures written by hand must be the browser's: rounding half away from zero from the
    // shortest decimal (1.005 → 1,01), groups of three, a minus on negative numbers and -0
    const tricky = [0, -0, 1.005, 2.675, 0.125, 0.135, 99.995, 999.995, 9.999, 1234, 999, 1000, 123456789.125, -1234.5, -0.001, 0.5, 1e-7, 35.11, 82.78, 100];
    const random = Array.from({ length: 3000 }, (_, i) => {
      const scale = 10 ** ((i % 9) - 2);
      return Math.round((Math.sin(i * 12.9898) * 43758.5453 % 1) * 1e6 * scale) / 1e4;
    });
    for (const lang of ['id', 'en'] as const) {
      for (const digits of [0, 1, 2, 3]) {
        const intl = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'id-ID', { minimumFractionDigits: 0, maximumFractionDigits: digits });
        for (const v of [...tricky, ...random]) expect(fmtNumber(v, lang, digits), `${v} ${lang} ${digits}`).toBe(intl.format(v));
      }
    }
  });
  it('signs changes', () => {
    expect(fmtDelta(1.25, 'id')).toBe('+1,25');
    expect(fmtDelta(-3, 'id')).toBe('−3');
    expect(fmtDelta(0, 'en')).toBe('0');
    expect(fmtDelta(null, 'en')).toBe('—');
  });
  it('sizes files', () => {
    expect(fmtBytes(820, 'id')).toBe('820 B');
    expect(fmtBytes(12_700, 'id')).toBe('12,4 KB');
    expect(fmtBytes(3_250_000, 'en')).toBe('3.1 MB');
  });
  it('reads numbers as people type them', () => {
    expect(parseDecimal('82,5')).toBe(82.5);
    expect(parseDecimal(' 82.5 ')).toBe(82.5);
    expect(parseDecimal('100')).toBe(100);
    expect(parseDecimal('')).toBeNull();
    expect(parseDecimal('abc')).toBeNull();
    expect(parseDecimal('1.234,5')).toBeNull();
    expect(fmtInput(82.5, 'id')).toBe('82,5');
    expect(fmtInput(82.5, 'en')).toBe('82.5');
  });
});

describe('dates', () => {
  const d = '2019-10-01T02:00:00Z';
  it('writes Indonesian month names', () => {
    expect(fmtDate(d, 'id', 'Asia/Jakarta')).toBe('1 Oktober 2019');
    expect(fmtDate(d, 'en', 'Asia/Jakarta')).toBe('1 October 2019');
    expect(fmtDate('2020-08-17T00:00:00+07:00', 'id', 'Asia/Jakarta')).toBe('17 Agustus 2020');
  });
  it('writes moments in WIB the way the PDF reports do', () => {
    expect(fmtDateTime(d, 'id')).toBe('1 Oktober 2019 pukul 09.00 WIB');
    expect(fmtDateTime('2026-11-30T22:49:00Z', 'id')).toBe('1 Desember 2026 pukul 05.49 WIB');
    expect(fmtDateTime(d, 'en')).toBe('1 October 2019 at 09:00 WIB');
    expect(fmtDateTime(null, 'id')).toBe('—');
  });
  it('writes what Intl.DateTimeFormat writes in WIB, without loading it', () => {
    const day = { id: new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Jakarta' }), en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Jakarta' }) };
    for (let t = Date.UTC(2018, 0, 1); t < Date.UTC(2028, 0, 1); t += 7 * 3_600_000 + 13 * 60_000) {
      expect(fmtDate(new Date(t), 'id')).toBe(day.id.format(t));
      expect(fmtDate(new Date(t), 'en')).toBe(day.en.format(t));
    }
    expect(todayWIB(new Date('2026-11-30T16:59:59Z'))).toBe('2026-11-30');
    expect(todayWIB(new Date('2026-11-30T17:00:00Z'))).toBe('2026-12-01');
  });
  it('keeps a calendar date on its day when asked to read it in UTC', () => {
    expect(fmtDate('2025-11-30', 'id', 'UTC')).toBe('30 November 2025');
  });
  it('counts whole days waited', () => {
    expect(daysSince('2019-10-01T00:00:00Z', new Date('2019-10-04T12:00:00Z'))).toBe(3);
    expect(daysSince('2019-10-05T00:00:00Z', new Date('2019-10-04T12:00:00Z'))).toBe(0);
    expect(fmtDate(null, 'id')).toBe('—');
    expect(fmtDate('not a date', 'id')).toBe('—');
  });
});
