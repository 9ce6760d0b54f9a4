/**
 * The household receipt (明白卡 / 帮扶联系卡, kept in the home; S7p in docs/content-sources.md): who helps the
 * household and how to reach them, the policies it enjoys with amounts, and the measures agreed with their deadlines.
 * Built as SVG and rasterised with the bundled CJK font; sent as a photo or printed.
 */
import type { I18nKey } from '../core/i18n-keys.js';
import { CJK_FONT_STACK, escapeXml, svgToPng, type RasterOptions } from './render.js';

/** A policy the household enjoys; `amountYuan` null when the policy carries no money (e.g. 家庭医生签约). */
export interface ReceiptPolicy {
  name: string;
  detail?: string;
  amountYuan: number | null;
}

/** A measure agreed with the household; `deadline` as shown (e.g. `2017-09-30`). */
export interface ReceiptMeasure {
  content: string;
  responsible?: string;
  deadline: string;
}

/** What the receipt shows. The helper's own phone is shown in full: the household must be able to call. */
export interface ReceiptData {
  householdHead: string;
  /** e.g. 城关镇 · 李家村. */
  address?: string;
  helper: { name: string; unit: string; phone: string };
  policies: ReceiptPolicy[];
  measures: ReceiptMeasure[];
  /** e.g. `2017-06-30`. */
  visitDate?: string;
}

/** Translated labels (the bot passes `t('stats.receipt.*')`; see `RECEIPT_LABEL_KEYS`). */
export interface ReceiptLabels {
  title: string;
  householdHead: string;
  helperSection: string;
  helperName: string;
  helperUnit: string;
  helperPhone: string;
  policiesSection: string;
  measuresSection: string;
  deadline: string;
  responsible: string;
  total: string;
  /** Currency suffix, e.g. 元. */
  yuan: string;
  none: string;
  visitDate: string;
  footer: string;
}

/** The i18n key of each receipt label (namespace `stats.receipt`). */
export const RECEIPT_LABEL_KEYS: { [K in keyof ReceiptLabels]: I18nKey } = {
  title: 'stats.receipt.title',
  householdHead: 'stats.receipt.household_head',
  helperSection: 'stats.receipt.helper_section',
  helperName: 'stats.receipt.helper_name',
  helperUnit: 'stats.receipt.helper_unit',
  helperPhone: 'stats.receipt.helper_phone',
  policiesSection: 'stats.receipt.policies_section',
  measuresSection: 'stats.receipt.measures_section',
  deadline: 'stats.receipt.deadline',
  responsible: 'stats.receipt.responsible',
  total: 'stats.receipt.total',
  yuan: 'stats.receipt.yuan',
  none: 'stats.receipt.none',
  visitDate: 'stats.receipt.visit_date',
  footer: 'stats.receipt.footer',
};

const WIDTH = 1080;
const MARGIN = 60;
const INNER = WIDTH - 2 * MARGIN;
const ACCENT = '#B71C1C';

/** Builds the receipt SVG. Long text wraps; the height grows with the content. */
export function receiptSvg(data: ReceiptData, labels: ReceiptLabels): string {
  const out: string[] = [];
  let y = 0;
  const text = (x: number, size: number, s: string, opts: { bold?: boolean; color?: string; anchor?: string } = {}) =>
    out.push(
      `<text x="${x}" y="${y}" font-size="${size}"${opts.bold ? ' font-weight="bold"' : ''} fill="${opts.color ?? '#222'}"` +
        `${opts.anchor ? ` text-anchor="${opts.anchor}"` : ''}>${escapeXml(s)}</text>`,
    );
  const para = (x: number, size: number, s: string, width: number, opts: { bold?: boolean; color?: string } = {}) => {
    for (const line of wrapText(s, width, size)) {
      y += Math.round(size * 1.45);
      text(x, size, line, opts);
    }
  };
  const section = (title: string) => {
    y += 34;
    out.push(`<rect x="${MARGIN}" y="${y}" width="8" height="34" fill="${ACCENT}"/>`);
    y += 27;
    text(MARGIN + 20, 28, title, { bold: true, color: ACCENT });
    y += 10;
    out.push(`<line x1="${MARGIN}" y1="${y}" x2="${WIDTH - MARGIN}" y2="${y}" stroke="#ddd" stroke-width="2"/>`);
  };

  y = 90;
  text(WIDTH / 2, 52, labels.title, { bold: true, color: ACCENT, anchor: 'middle' });
  y += 56;
  text(WIDTH / 2, 30, `${labels.householdHead}：${data.householdHead}`, { anchor: 'middle' });
  if (data.address) {
    y += 42;
    text(WIDTH / 2, 24, data.address, { color: '#555', anchor: 'middle' });
  }

  section(labels.helperSection);
  for (const [k, v] of [
    [labels.helperName, data.helper.name],
    [labels.helperUnit, data.helper.unit],
    [labels.helperPhone, data.helper.phone],
  ]) {
    para(MARGIN + 20, 28, `${k}：${v}`, INNER - 20, { bold: k === labels.helperPhone });
  }

  section(labels.policiesSection);
  if (!data.policies.length) para(MARGIN + 20, 26, labels.none, INNER - 20, { color: '#777' });
  let total = 0;
  for (const p of data.policies) {
    if (p.amountYuan !== null) total += p.amountYuan;
    const amount = p.amountYuan === null ? '' : `${formatYuan(p.amountYuan)} ${labels.yuan}`;
    const nameWidth = INNER - 20 - (amount ? 260 : 0);
    const before = y;
    para(MARGIN + 20, 26, `• ${p.name}`, nameWidth, { bold: true });
    if (amount) {
      const after = y;
      y = before + Math.round(26 * 1.45);
      text(WIDTH - MARGIN, 26, amount, { anchor: 'end' });
      y = after;
    }
    if (p.detail) para(MARGIN + 48, 22, p.detail, INNER - 48, { color: '#555' });
  }
  if (data.policies.some((p) => p.amountYuan !== null)) {
    y += 12;
    out.push(`<line x1="${WIDTH - MARGIN - 360}" y1="${y}" x2="${WIDTH - MARGIN}" y2="${y}" stroke="#999" stroke-width="1"/>`);
    y += 36;
    text(WIDTH - MARGIN, 26, `${labels.total}：${formatYuan(total)} ${labels.yuan}`, { bold: true, anchor: 'end' });
  }

  section(labels.measuresSection);
  if (!data.measures.length) para(MARGIN + 20, 26, labels.none, INNER - 20, { color: '#777' });
  data.measures.forEach((m, i) => {
    const first = y;
    para(MARGIN + 56, 26, m.content, INNER - 56);
    const after = y;
    y = first + Math.round(26 * 1.45);
    text(MARGIN + 20, 26, `${i + 1}.`);
    y = after;
    const meta = [`${labels.deadline}：${m.deadline}`, m.responsible ? `${labels.responsible}：${m.responsible}` : '']
      .filter(Boolean)
      .join(' · ');
    para(MARGIN + 56, 22, meta, INNER - 48, { color: '#555' });
  });

  y += 40;
  out.push(`<line x1="${MARGIN}" y1="${y}" x2="${WIDTH - MARGIN}" y2="${y}" stroke="#ddd" stroke-width="2"/>`);
  if (data.visitDate) para(MARGIN, 22, `${labels.visitDate}：${data.visitDate}`, INNER, { color: '#555' });
  para(MARGIN, 22, labels.footer, INNER, { color: '#555' });
  const height = y + 50;

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ` +
    `font-family="${escapeXml(CJK_FONT_STACK)}">` +
    `<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#fffdf7"/>` +
    `<rect x="16" y="16" width="${WIDTH - 32}" height="${height - 32}" fill="none" stroke="${ACCENT}" stroke-width="4"/>` +
    out.join('') +
    `</svg>`
  );
}

/** Renders the receipt to PNG bytes (1080 px wide). */
export function renderReceiptPng(data: ReceiptData, labels: ReceiptLabels, raster?: RasterOptions): Buffer {
  return svgToPng(receiptSvg(data, labels), raster);
}

/** Yuan with two decimals and thousands separators: 12,345.60. */
export function formatYuan(n: number): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/**
 * Greedy line wrapping by estimated width: CJK and full-width characters are 1 em, others about 0.6 em.
 * Latin words are kept whole when they fit on a line.
 */
export function wrapText(s: string, maxWidth: number, fontSize: number): string[] {
  const lines: string[] = [];
  const tokens = s.match(/[\u0021-\u007e]+|\s+|./gsu) ?? [];
  let line = '';
  let width = 0;
  for (const token of tokens) {
    const w = textWidth(token, fontSize);
    if (width + w > maxWidth && line.trim()) {
      lines.push(line.trimEnd());
      line = '';
      width = 0;
      if (/^\s+$/.test(token)) continue;
    }
    if (w > maxWidth) {
      for (const ch of token) {
        const cw = textWidth(ch, fontSize);
        if (width + cw > maxWidth && line) {
          lines.push(line);
          line = '';
          width = 0;
        }
        line += ch;
        width += cw;
      }
      continue;
    }
    line += token;
    width += w;
  }
  if (line.trim() || !lines.length) lines.push(line.trimEnd());
  return lines;
}

function textWidth(s: string, fontSize: number): number {
  let em = 0;
  for (const ch of s) em += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? 1 : 0.6;
  return em * fontSize;
}
