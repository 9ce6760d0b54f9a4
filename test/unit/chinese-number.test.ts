/** Chinese numerals as helpers type what a household said: the forms read, the spoken shortenings, what is refused. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chineseNumber } from '../../src/core/forms/chinese-number.js';

const D = '零一二三四五六七八九';

/** The standard written form of 0 ≤ n < 100,000,000 (the test's own writer, not the parser's rules). */
function written(n: number): string {
  if (n === 0) return '零';
  const below10k = (m: number, leadingZero: boolean): string => {
    const parts: string[] = [];
    let zero = leadingZero;
    for (const [unit, name] of [[1000, '千'], [100, '百'], [10, '十'], [1, '']] as const) {
      const d = Math.floor(m / unit) % 10;
      if (d === 0) {
        if (parts.length || leadingZero) zero = true;
        continue;
      }
      if (zero && (parts.length || leadingZero)) parts.push('零');
      zero = false;
      parts.push(D[d] + name);
    }
    return parts.join('');
  };
  const high = Math.floor(n / 10_000);
  const low = n % 10_000;
  if (!high) return below10k(low, false);
  return below10k(high, false) + '万' + (low ? below10k(low, low < 1000) : '');
}

describe('Chinese numerals', () => {
  it.each([
    ['七十五', 75], ['十五', 15], ['十', 10], ['二十', 20], ['一百零五', 105], ['三千二百', 3200], ['一千零二十', 1020],
    ['二〇一六', 2016], ['一二三', 123], ['零', 0], ['两', 2], ['两百', 200],
    ['两千五', 2500], ['三百五', 350], ['一百一', 110], ['一万二', 12000], ['三万五', 35000], ['一万二千', 12000],
    ['一万零五百', 10500], ['十万', 100000], ['一百万', 1000000],
    ['三点五', 3.5], ['三点一四', 3.14], ['三点零五', 3.05], ['零点五', 0.5],
    ['3千5百', 3500], ['12万', 120000], ['1万2千', 12000],
    ['壹仟贰佰', 1200], ['伍拾', 50],
  ])('%s is %s', (text, n) => {
    expect(chineseNumber(text)).toBe(n);
  });

  it.each(['百', '千', '万', '十十', '万万', '一万万', '几十', '十几', '三千25', '点五', '三点', '三点五点', '五百三十九万亿', 'abc', ''])(
    '%s is not a number',
    (text) => {
      expect(chineseNumber(text)).toBeNull();
    },
  );

  it('reads every standard written form of 0 to 99,999,999 back as its number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), (n) => {
        expect(chineseNumber(written(n))).toBe(n);
      }),
      { numRuns: 5000 },
    );
  });

  it('reads digit by digit (years, codes) whatever the digits', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 8 }), (ds) => {
        const text = ds.map((d) => (d === 0 ? '〇' : D[d])).join('');
        expect(chineseNumber(text)).toBe(Number(ds.join('')));
      }),
    );
  });
});
