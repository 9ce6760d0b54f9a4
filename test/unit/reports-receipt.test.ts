import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countDarkPixels, decodePng } from '../../src/reports/png-decode.js';
import {
  RECEIPT_LABEL_KEYS,
  formatYuan,
  receiptSvg,
  renderReceiptPng,
  wrapText,
  type ReceiptData,
  type ReceiptLabels,
} from '../../src/reports/receipt.js';

function labelsFor(locale: 'zh-CN' | 'en'): ReceiptLabels {
  const json = JSON.parse(readFileSync(new URL(`../../locales/${locale}.json`, import.meta.url), 'utf8'));
  const out = {} as Record<string, string>;
  for (const [field, key] of Object.entries(RECEIPT_LABEL_KEYS)) {
    const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], json);
    if (typeof value !== 'string') throw new Error(`${locale}: missing ${key}`);
    out[field] = value;
  }
  return out as unknown as ReceiptLabels;
}

const zh = labelsFor('zh-CN');

const data: ReceiptData = {
  householdHead: '王大山',
  address: '城关镇 · 李家村 三组',
  helper: { name: '张建国', unit: '区农业农村局', phone: '13812345678' },
  policies: [
    { name: '农村低保', detail: '二类，按月发放', amountYuan: 2760 },
    { name: '教育资助（雨露计划）', amountYuan: 3000 },
    { name: '家庭医生签约服务', amountYuan: null },
  ],
  measures: [
    { content: '申请小额信贷 3 万元，发展养羊 20 只，由畜牧站提供防疫和技术指导', responsible: '区农商银行、畜牧站', deadline: '2017-09-30' },
    { content: '危房改造（C 级），落实补助资金', deadline: '2017-12-31' },
  ],
  visitDate: '2017-06-30',
};

describe('明白卡 receipt', () => {
  it('every label key exists in both locales', () => {
    expect(() => labelsFor('zh-CN')).not.toThrow();
    expect(() => labelsFor('en')).not.toThrow();
  });

  it('the SVG carries the facts: full helper phone, amounts, total, deadlines (escaped)', () => {
    const svg = receiptSvg({ ...data, householdHead: '王<大>山 & 子' }, zh);
    expect(svg).toContain('联系电话：13812345678');
    expect(svg).toContain('2,760.00 元');
    expect(svg).toContain('合计：5,760.00 元');
    expect(svg).toContain('完成时限：2017-09-30');
    expect(svg).toContain('王&#60;大&#62;山 &#38; 子');
    expect(svg).not.toContain('<大>');
  });

  it('renders a PNG whose title is drawn in glyphs (many more dark pixels than with no font)', () => {
    const withFont = decodePng(renderReceiptPng(data, zh));
    const noFont = decodePng(renderReceiptPng(data, zh, { fonts: 'none' }));
    expect(withFont.width).toBe(1080);
    // the title band (y 40–100) and the text body, away from the frame
    const title = { x: 300, y: 40, width: 480, height: 60 };
    const body = { x: 40, y: 120, width: 1000, height: withFont.height - 200 };
    expect(countDarkPixels(withFont, title, 160)).toBeGreaterThan(1000);
    expect(countDarkPixels(noFont, title, 160)).toBe(0);
    expect(countDarkPixels(withFont, body)).toBeGreaterThan(5 * countDarkPixels(noFont, body) + 1000);
  });

  it('grows with its content', () => {
    const short = decodePng(renderReceiptPng({ ...data, measures: [], policies: [] }, zh));
    const long = decodePng(renderReceiptPng({ ...data, measures: [...data.measures, ...data.measures, ...data.measures] }, zh));
    expect(long.height).toBeGreaterThan(short.height + 200);
  });
});

describe('wrapText', () => {
  it.each([
    // 26 px CJK → 10 characters fit in 260 px
    { s: '一二三四五六七八九十一二三', w: 260, size: 26, lines: ['一二三四五六七八九十', '一二三'] },
    // Latin words stay whole: "hello world" = 11 × 0.6 × 20 = 132 px ≤ 140; the next space would make 144
    { s: 'hello world again', w: 140, size: 20, lines: ['hello world', 'again'] },
    { s: '', w: 100, size: 20, lines: [''] },
    // a token longer than the line is broken by characters
    { s: '13812345678901234567', w: 120, size: 20, lines: ['1381234567', '8901234567'] },
  ])('$s in $w px', ({ s, w, size, lines }) => {
    expect(wrapText(s, w, size)).toEqual(lines);
  });
});

describe('formatYuan', () => {
  it.each([
    [0, '0.00'],
    [2760, '2,760.00'],
    [1234567.891, '1,234,567.89'],
  ])('%d → %s', (n, s) => expect(formatYuan(n)).toBe(s));
});
