/**
 * Bar charts as PNG: the SVG written here (title, legend, value and category axes, grouped or stacked bars, values on
 * the bars), then resvg to PNG with the bundled CJK font. Labels are passed in already translated (the bot layer owns
 * i18n). Text is laid out with the font's own advance widths (render.ts `textWidth`), so labels are placed where they
 * are drawn, and is rasterised as the glyphs' outlines (render.ts `glyphRunsSvg`): resvg then loads no font.
 *
 * Why not echarts, as before: its server-side rendering built a model, a scene graph and their styles for a chart
 * this plain, and that was about half of a chart's time (20–30 ms of the 20-town pace chart, the SVG → PNG about as
 * much again); the SVG written here takes well under a millisecond and has fewer nodes for resvg to read (one path per
 * series for its bars, one for the grid lines). The look follows what echarts drew (its palette, sizes and colours).
 */
import type { StatsReport } from '../core/stats/types.js';
import { CJK_FONT_STACK, escapeXml, glyphRunsSvg, svgToPng, textWidth, type RasterOptions, type TextRun } from './render.js';

/** One bar series. `stack` groups series into one stacked bar; `color` overrides the palette. */
export interface BarSeries {
  name: string;
  data: number[];
  stack?: string;
  color?: string;
}

/** What to draw. Sizes are in pixels; defaults 800 × 500. */
export interface BarChartInput {
  title: string;
  subtitle?: string;
  categories: string[];
  series: BarSeries[];
  width?: number;
  height?: number;
  /** Bars run left to right with categories down the side: better for many or long names. */
  horizontal?: boolean;
  /** Print each bar's value on it (zeros are left out). */
  showValues?: boolean;
}

/** echarts 6's default palette, so a series without a colour looks as it did. */
const PALETTE = ['#5070dd', '#b6d634', '#505372', '#ff994d', '#0ca8df', '#ffd10a', '#fb628b', '#785db0', '#3fbe95'];
const AXIS = '#54555a';
const SPLIT = '#dbdee4';
const TITLE_SIZE = 20;
const SUBTITLE_SIZE = 13;
const LEGEND_SIZE = 13;
const CATEGORY_SIZE = 13;
const VALUE_SIZE = 12;
const GRID = { left: 20, right: 30, bottom: 20 };
/** Space between an axis and its labels. */
const LABEL_GAP = 8;
const BAR_MAX = 60;
/** Share of a category's band left between bars of neighbouring categories, and between bars side by side. */
const CATEGORY_GAP = 0.2;
const BAR_GAP = 0.3;
const ROTATE = 35;

/** A coordinate to one decimal: shorter SVG, and no visible difference. */
const n = (v: number): string => String(Math.round(v * 10) / 10);
/** A 1-pixel line on a pixel's middle, so it is drawn sharp (not two half-grey rows). */
const crisp = (v: number): string => String(Math.round(v) + 0.5);

/**
 * Builds the SVG for a bar chart (no rasterising). Its text is `<text>` elements, or with `glyphs` the font's glyph
 * outlines (what is rasterised: render.ts `glyphRunsSvg`); the layout is the same.
 */
export function barChartSvg(input: BarChartInput, options: { glyphs?: boolean } = {}): string {
  const width = input.width ?? 800;
  const height = input.height ?? 500;
  const out: string[] = [];
  /** Text is drawn after every shape: value labels lie on the bars. */
  const runs: TextRun[] = [];
  const text = (x: number, y: number, size: number, s: string, style: Omit<TextRun, 'x' | 'y' | 'size' | 'text'>): void => {
    runs.push({ x, y, size, text: s, ...style });
  };

  // title and subtitle, centred, as echarts placed them (title top 10)
  text(width / 2, 25, TITLE_SIZE, input.title, { bold: true, fill: '#222', anchor: 'middle' });
  if (input.subtitle) text(width / 2, 51.5, SUBTITLE_SIZE, input.subtitle, { fill: '#666', anchor: 'middle' });

  // the legend, centred in rows under the titles, when there is more than one series
  const colors = input.series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length]);
  let top = input.subtitle ? 66 : 44;
  if (input.series.length > 1) {
    const items = input.series.map((s, i) => ({ name: s.name, color: colors[i], width: 30 + textWidth(s.name, LEGEND_SIZE) }));
    const rows: (typeof items)[] = [[]];
    let rowWidth = 0;
    for (const item of items) {
      const row = rows[rows.length - 1];
      if (row.length && rowWidth + 10 + item.width > width - 40) {
        rows.push([item]);
        rowWidth = item.width;
      } else {
        rowWidth += (row.length ? 10 : 0) + item.width;
        row.push(item);
      }
    }
    for (const row of rows) {
      let x = (width - row.reduce((w, item, i) => w + item.width + (i ? 10 : 0), 0)) / 2;
      const y = top + 5;
      for (const item of row) {
        out.push(`<rect x="${n(x)}" y="${y}" width="25" height="14" rx="3.5" fill="${item.color}"/>`);
        text(x + 30, y + 7, LEGEND_SIZE, item.name, { fill: AXIS });
        x += item.width + 10;
      }
      top += 24;
    }
    top += 12;
  } else top += 10;

  // stacks: series sharing a `stack` are one bar; each other series is a bar of its own beside them
  const stackOf = input.series.map((s, i) => s.stack ?? `\u0000${i}`);
  const stacks = [...new Set(stackOf)];
  // counts: a missing, negative or non-finite figure draws nothing (and cannot put NaN into the SVG)
  const value = (s: BarSeries, c: number): number => {
    const v = s.data[c];
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
  };
  let max = 0;
  for (let c = 0; c < input.categories.length; c++) {
    for (const stack of stacks) {
      let sum = 0;
      input.series.forEach((s, i) => {
        if (stackOf[i] === stack) sum += value(s, c);
      });
      max = Math.max(max, sum);
    }
  }
  const step = niceStep(max);
  const axisMax = Math.max(step, Math.ceil(max / step) * step);
  const ticks = Array.from({ length: Math.round(axisMax / step) + 1 }, (_, i) => i * step);

  // the plot area: inside the grid's margins, after the axis labels
  const horizontal = input.horizontal ?? false;
  const rotate = !horizontal && rotateFor(input.categories, width);
  const maxLabel = horizontal ? width * 0.4 : rotate ? (height * 0.4) / Math.sin((ROTATE * Math.PI) / 180) : Infinity;
  const names = input.categories.map((c) => fit(c, CATEGORY_SIZE, maxLabel));
  const nameWidth = names.reduce((w, c) => Math.max(w, textWidth(c, CATEGORY_SIZE)), 0);
  const tickWidth = ticks.reduce((w, t) => Math.max(w, textWidth(String(t), VALUE_SIZE)), 0);
  const rad = (ROTATE * Math.PI) / 180;
  const x0 = GRID.left + (horizontal ? nameWidth : tickWidth) + LABEL_GAP;
  const x1 = width - GRID.right;
  const y0 = top;
  const below = horizontal ? VALUE_SIZE : rotate ? nameWidth * Math.sin(rad) + CATEGORY_SIZE * Math.cos(rad) : CATEGORY_SIZE;
  const y1 = height - GRID.bottom - below - LABEL_GAP;

  // value axis: a grid line and a figure per tick
  const along = horizontal ? (v: number) => x0 + (v / axisMax) * (x1 - x0) : (v: number) => y1 - (v / axisMax) * (y1 - y0);
  const lines = ticks.map((t) => (horizontal ? `M${crisp(along(t))} ${n(y0)}V${n(y1)}` : `M${n(x0)} ${crisp(along(t))}H${n(x1)}`));
  out.push(`<path d="${lines.join('')}" fill="none" stroke="${SPLIT}"/>`);
  out.push(`<path d="${horizontal ? `M${crisp(x0)} ${n(y0)}V${n(y1)}` : `M${n(x0)} ${crisp(y1)}H${n(x1)}`}" fill="none" stroke="${AXIS}"/>`);
  for (const t of ticks) {
    if (horizontal) text(along(t), y1 + LABEL_GAP + VALUE_SIZE / 2, VALUE_SIZE, String(t), { fill: AXIS, anchor: 'middle' });
    else text(x0 - LABEL_GAP, along(t), VALUE_SIZE, String(t), { fill: AXIS, anchor: 'end' });
  }

  // category axis: a band per category (the first at the top when horizontal)
  const count = input.categories.length;
  const band = count ? ((horizontal ? y1 - y0 : x1 - x0) / count) : 0;
  const centre = (c: number) => (horizontal ? y0 : x0) + band * (c + 0.5);
  names.forEach((name, c) => {
    if (horizontal) text(x0 - LABEL_GAP, centre(c), CATEGORY_SIZE, name, { fill: AXIS, anchor: 'end' });
    else if (rotate) text(centre(c), y1 + LABEL_GAP, CATEGORY_SIZE, name, { fill: AXIS, anchor: 'end', rotate: ROTATE });
    else text(centre(c), y1 + LABEL_GAP + CATEGORY_SIZE / 2, CATEGORY_SIZE, name, { fill: AXIS, anchor: 'middle' });
  });

  // bars: one path per series; each stack its own bar within the band
  const thick = count ? Math.min(BAR_MAX, (band * (1 - CATEGORY_GAP)) / (stacks.length + BAR_GAP * (stacks.length - 1))) : 0;
  const groupWidth = thick * (stacks.length + BAR_GAP * (stacks.length - 1));
  const base = new Float64Array(count * stacks.length);
  input.series.forEach((s, i) => {
    const k = stacks.indexOf(stackOf[i]);
    const stacked = s.stack !== undefined;
    let d = '';
    for (let c = 0; c < count; c++) {
      const v = value(s, c);
      const from = base[c * stacks.length + k];
      base[c * stacks.length + k] = from + v;
      const side = centre(c) - groupWidth / 2 + k * thick * (1 + BAR_GAP);
      const a = along(from);
      const b = along(from + v);
      if (v > 0) d += horizontal ? `M${n(a)} ${n(side)}H${n(b)}v${n(thick)}H${n(a)}Z` : `M${n(side)} ${n(a)}V${n(b)}h${n(thick)}V${n(a)}Z`;
      if (!input.showValues || v === 0) continue;
      const mid = side + thick / 2;
      if (stacked) {
        // inside the segment, light or dark for contrast with the bar's colour
        const [x, y] = horizontal ? [(a + b) / 2, mid] : [mid, (a + b) / 2];
        text(x, y, VALUE_SIZE, String(v), { fill: light(colors[i]) ? '#333' : '#eee', anchor: 'middle' });
      } else {
        // past the bar's end, with a white halo over grid lines
        const [x, y, anchor] = horizontal ? [b + 5, mid, 'start' as const] : [mid, b - 5 - VALUE_SIZE / 2, 'middle' as const];
        text(x, y, VALUE_SIZE, String(v), { fill: '#333', anchor, halo: '#fff' });
      }
    }
    if (d) out.push(`<path d="${d}" fill="${colors[i]}"/>`);
  });

  const glyphs = options.glyphs ? glyphRunsSvg(runs) : undefined;
  const texts = glyphs ? glyphs.body : `<g font-family="${escapeXml(CJK_FONT_STACK)}" dominant-baseline="central">${runs.map(textElement).join('')}</g>`;
  return (
    `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">` +
    `${glyphs?.defs ?? ''}<rect width="${width}" height="${height}" fill="#ffffff"/>${out.join('')}${texts}</svg>`
  );
}

/** A text run as an SVG `<text>` element (inside a group that sets the font and `dominant-baseline: central`). */
function textElement(r: TextRun): string {
  const x = n(r.x);
  const y = n(r.y);
  return (
    `<text x="${x}" y="${y}" font-size="${r.size}" fill="${r.fill}"${r.bold ? ' font-weight="bold"' : ''}` +
    `${r.anchor && r.anchor !== 'start' ? ` text-anchor="${r.anchor}"` : ''}${r.rotate ? ` transform="rotate(${-r.rotate} ${x} ${y})"` : ''}` +
    `${r.halo ? ` stroke="${r.halo}" stroke-width="2" paint-order="stroke"` : ''}>${escapeXml(r.text)}</text>`
  );
}

/** Renders a bar chart (grouped, or stacked when series share a `stack`) to PNG bytes, its text as glyph outlines. */
export function renderBarChartPng(input: BarChartInput, raster: RasterOptions = {}): Buffer {
  const svg = barChartSvg(input, { glyphs: true });
  // drawn as outlines, the chart needs no font loaded (text only if the font could not be read)
  return svgToPng(svg, svg.includes('<text') ? raster : { ...raster, fonts: 'none' });
}

/** Translated names for the pace chart. */
export interface PaceChartLabels {
  title: string;
  subtitle?: string;
  onPace: string;
  behind: string;
  overdue: string;
}

/** Colours for on pace / behind / overdue. */
export const PACE_COLORS = { on_pace: '#3BA272', behind: '#FAC858', overdue: '#EE6666' } as const;

/**
 * The stacked on pace / behind / overdue bar per group of a stats report (households counted per group).
 * Goes horizontal when there are more than 8 groups, and grows tall enough for one row per group. Values are printed
 * on the bars only up to 8 groups: a horizontal chart of many groups would be a wall of numbers. (Its text goes to
 * resvg as the font's glyph outlines, each defined once: render.ts `glyphRunsSvg`.)
 */
export function paceChartInput(report: StatsReport, labels: PaceChartLabels): BarChartInput {
  const groups = report.groups;
  const horizontal = groups.length > 8;
  const series = (['on_pace', 'behind', 'overdue'] as const).map((pace) => ({
    name: pace === 'on_pace' ? labels.onPace : pace === 'behind' ? labels.behind : labels.overdue,
    data: groups.map((g) => g.pace[pace]),
    stack: 'pace',
    color: PACE_COLORS[pace],
  }));
  return {
    title: labels.title,
    subtitle: labels.subtitle,
    categories: groups.map((g) => g.label),
    series,
    horizontal,
    showValues: !horizontal,
    width: 800,
    height: horizontal ? Math.min(4000, 140 + groups.length * 28) : 500,
  };
}

/** Renders the pace chart of a stats report to PNG. */
export function renderPaceChartPng(report: StatsReport, labels: PaceChartLabels): Buffer {
  return renderBarChartPng(paceChartInput(report, labels));
}

/** Whether category labels along the bottom would run into each other flat, so they are drawn at an angle. */
function rotateFor(categories: string[], width: number): boolean {
  const longest = categories.reduce((m, c) => Math.max(m, c.length), 0);
  return categories.length * longest * 14 > width - 80;
}

/**
 * The tick step of the value axis: about five steps up to the largest bar, rounded to 1, 2, 3 or 5 times a power of
 * ten (echarts' rule); at least 1, since every figure charted is a count.
 */
export function niceStep(max: number): number {
  const raw = Math.max(max, 1) / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return Math.max(1, (f < 1.5 ? 1 : f < 2.5 ? 2 : f < 4 ? 3 : f < 7 ? 5 : 10) * power);
}

/** A label cut to `max` pixels with an ellipsis; whole when it fits (category names are short in practice). */
function fit(label: string, size: number, max: number): string {
  if (textWidth(label, size) <= max) return label;
  const chars = [...label];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, size) > max) chars.pop();
  return `${chars.join('')}…`;
}

/** Whether a #rrggbb colour is light enough for dark text on it (relative luminance above one half). */
function light(color: string): boolean {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) return false;
  const [r, g, b] = m.slice(1).map((h) => parseInt(h, 16) / 255);
  return 0.299 * r + 0.587 * g + 0.114 * b > 0.5;
}
