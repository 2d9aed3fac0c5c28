import { describe, expect, it } from 'vitest';
import { daysSince, fmtBytes, fmtDate, fmtDateTime, fmtDelta, fmtInput, fmtNumber, fmtPercent, parseDecimal } from '../../src/lib/format';

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
