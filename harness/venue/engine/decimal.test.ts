import { describe, expect, it } from 'vitest';
import { compareDecimal, fixed, isDecimalText, isMultipleOf, roundTo, significantDecimals, trimmed } from './decimal.ts';

describe('decimal', () => {
  it('recognises plain decimals only', () => {
    expect(isDecimalText('0.001')).toBe(true);
    expect(isDecimalText('10')).toBe(true);
    expect(isDecimalText('1e-3')).toBe(false);
    expect(isDecimalText('')).toBe(false);
    expect(isDecimalText('1,5')).toBe(false);
  });

  it('counts significant decimals ignoring trailing zeros', () => {
    expect(significantDecimals('0.100')).toBe(1);
    expect(significantDecimals('0.0015')).toBe(4);
    expect(significantDecimals('42')).toBe(0);
  });

  it('checks step multiples exactly where floats would fail', () => {
    // 0.3 / 0.1 is 2.9999999999999996 in floating point.
    expect(isMultipleOf('0.3', '0.1')).toBe(true);
    expect(isMultipleOf('65000.15', '0.10')).toBe(false);
    expect(isMultipleOf('65000.10', '0.10')).toBe(true);
    expect(isMultipleOf('0.0015', '0.001')).toBe(false);
    expect(isMultipleOf('5', '0')).toBe(true);
  });

  it('compares decimal strings', () => {
    expect(compareDecimal('0.001', '0.0010')).toBe(0);
    expect(compareDecimal('0.0009', '0.001')).toBe(-1);
    expect(compareDecimal('1000.5', '1000')).toBe(1);
  });

  it('formats without negative zero', () => {
    expect(fixed(-0.0000001, 3)).toBe('0.000');
    expect(trimmed(30005, 2)).toBe('30005');
    expect(trimmed(119394.4, 2)).toBe('119394.4');
    expect(roundTo(0.1 + 0.2, 3)).toBe(0.3);
    expect(Object.is(roundTo(-0.0001, 3), 0)).toBe(true);
  });
});
