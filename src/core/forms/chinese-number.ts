/**
 * Numbers typed in Chinese numerals, as a helper writes what the household said: 七十五, 一百零五, 三千二百, 二〇一六,
 * 三点五, and the spoken shortening of a last digit after 百, 千 or 万 (两千五 is 2500, 一万二 is 12000). Arabic
 * digit runs may stand for a digit (3千5百, 12万). The banking forms (壹贰叁…拾佰仟) read the same. Anything else
 * (几十, 十几, 百 alone, a unit twice) is not a number here: the field asks again.
 */

const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 壹: 1, 二: 2, 贰: 2, 两: 2, 三: 3, 叁: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const SMALL_UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const NUMERAL = /[零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万点]/;

/** Whether the text uses Chinese numerals at all (then `chineseNumber` decides). */
export const hasChineseNumerals = (text: string): boolean => NUMERAL.test(text);

type Token = { kind: 'digit'; value: number } | { kind: 'zero' } | { kind: 'unit'; value: number } | { kind: 'wan' };

function tokens(text: string): Token[] | null {
  const out: Token[] = [];
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (c >= '0' && c <= '9') {
      let j = i;
      while (j < text.length && text[j] >= '0' && text[j] <= '9') j++;
      out.push({ kind: 'digit', value: Number(text.slice(i, j)) });
      i = j;
      continue;
    }
    if (c === '零' || c === '〇') out.push({ kind: 'zero' });
    else if (c in DIGITS) out.push({ kind: 'digit', value: DIGITS[c] });
    else if (c in SMALL_UNITS) out.push({ kind: 'unit', value: SMALL_UNITS[c] });
    else if (c === '万') out.push({ kind: 'wan' });
    else return null;
    i++;
  }
  return out;
}

/** Below 10,000 (one 万 section): digits before falling units, 零 as a gap, a leading 十 as 10. */
function section(ts: Token[]): number | null {
  let total = 0;
  let pending: number | null = null;
  let lastUnit = Infinity;
  let prev: Token['kind'] | null = null;
  for (const [i, t] of ts.entries()) {
    if (t.kind === 'zero') {
      if (pending !== null) return null;
      prev = 'zero';
      continue;
    }
    if (t.kind === 'digit') {
      if (pending !== null) return null;
      pending = t.value;
      prev = 'digit';
      continue;
    }
    if (t.kind !== 'unit' || t.value >= lastUnit) return null;
    // 十五 is 15; 百 or 千 alone is not a number
    const n = pending ?? (t.value === 10 && i === 0 ? 1 : null);
    if (n === null || n > 9) return null;
    total += n * t.value;
    lastUnit = t.value;
    pending = null;
    prev = 'unit';
  }
  if (pending !== null) {
    // a run of Arabic digits after a unit (3千25) says nothing clear
    if (pending > 9 && total > 0) return null;
    // 两千五: a last digit right after 百 or 千 is one unit lower (not after 十 or 零: 一百零五 is 105)
    const shortened = prev === 'digit' && ts.length >= 2 && ts[ts.length - 2].kind === 'unit' && lastUnit >= 100;
    total += pending * (shortened ? lastUnit / 10 : 1);
  }
  return total;
}

/** The digits after 点: each on its own (三点一四 is 3.14). */
function fraction(text: string): string | null {
  let out = '';
  for (const c of text) {
    if (c >= '0' && c <= '9') out += c;
    else if (c in DIGITS) out += String(DIGITS[c]);
    else return null;
  }
  return out.length ? out : null;
}

/** The number written, or null when it is not one. */
export function chineseNumber(text: string): number | null {
  const [whole, frac, ...rest] = text.split(/[点.]/);
  if (rest.length || !whole) return null;
  const f = frac === undefined ? '' : fraction(frac);
  if (f === null) return null;
  const ts = tokens(whole);
  if (!ts || !ts.length) return null;
  let n: number | null;
  // digits only (二〇一六, 一二三): read digit by digit, as years and codes are said
  if (ts.length > 1 && ts.every((t) => t.kind === 'zero' || (t.kind === 'digit' && t.value <= 9))) {
    n = Number(ts.map((t) => (t.kind === 'digit' ? t.value : 0)).join(''));
  } else {
    const wan = ts.findIndex((t) => t.kind === 'wan');
    if (wan === -1) n = section(ts);
    else {
      if (ts.slice(wan + 1).some((t) => t.kind === 'wan')) return null;
      const high = wan === 0 ? null : section(ts.slice(0, wan));
      const lowTokens = ts.slice(wan + 1);
      // 一万二 is 12,000: a lone digit right after 万 stands for thousands
      const low =
        lowTokens.length === 1 && lowTokens[0].kind === 'digit' && lowTokens[0].value <= 9
          ? lowTokens[0].value * 1000
          : lowTokens.length
            ? section(lowTokens)
            : 0;
      n = high === null || low === null ? null : high * 10_000 + low;
    }
  }
  if (n === null || !Number.isSafeInteger(n)) return null;
  return f ? Number(`${n}.${f}`) : n;
}
