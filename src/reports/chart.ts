/**
 * Bar charts as PNG: echarts 6 server-side rendering to SVG, then resvg to PNG with the bundled CJK font.
 * Labels are passed in already translated (the bot layer owns i18n).
 */
import { createRequire } from 'node:module';
import type * as Echarts from 'echarts';
import type { StatsReport } from '../core/stats/types.js';
import { CJK_FONT_STACK, svgToPng, type RasterOptions } from './render.js';

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
  /** Print each bar's value on it. */
  showValues?: boolean;
}

// echarts' ES module entry is ~600 files (about 2.5 s of every start under tsx, before any chart is asked for); its
// one-file CommonJS build is the same library, loaded in ~0.1 s, and only when the first chart is drawn
const requireHere = createRequire(import.meta.url);
let loaded: typeof Echarts | undefined;
const echarts = (): typeof Echarts => (loaded ??= requireHere('echarts') as typeof Echarts);

/** Builds the echarts SVG for a bar chart (no rasterising). */
export function barChartSvg(input: BarChartInput): string {
  const width = input.width ?? 800;
  const height = input.height ?? 500;
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    const categoryAxis = {
      type: 'category' as const,
      data: input.categories,
      axisLabel: { interval: 0, fontSize: 13, ...(input.horizontal ? {} : rotateFor(input.categories, width)) },
      axisTick: { alignWithLabel: true },
    };
    const valueAxis = { type: 'value' as const, minInterval: 1, axisLabel: { fontSize: 12 } };
    const hasLegend = input.series.length > 1;
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: CJK_FONT_STACK },
      title: {
        text: input.title,
        subtext: input.subtitle,
        left: 'center',
        top: 10,
        textStyle: { fontSize: 20, fontWeight: 'bold', color: '#222' },
        subtextStyle: { fontSize: 13, color: '#666' },
      },
      legend: hasLegend ? { top: input.subtitle ? 66 : 44, textStyle: { fontSize: 13 } } : { show: false },
      grid: {
        left: 20,
        right: 30,
        top: (input.subtitle ? 66 : 44) + (hasLegend ? 36 : 10),
        bottom: 20,
        outerBoundsMode: 'same',
        outerBoundsContain: 'axisLabel',
      },
      xAxis: input.horizontal ? valueAxis : categoryAxis,
      yAxis: input.horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
      series: input.series.map((s) => ({
        type: 'bar',
        name: s.name,
        data: s.data,
        stack: s.stack,
        itemStyle: s.color ? { color: s.color } : undefined,
        barMaxWidth: 60,
        label: input.showValues
          ? { show: true, position: s.stack ? 'inside' : input.horizontal ? 'right' : 'top', fontSize: 12, formatter: hideZero }
          : undefined,
      })),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Renders a bar chart (grouped, or stacked when series share a `stack`) to PNG bytes. */
export function renderBarChartPng(input: BarChartInput, raster?: RasterOptions): Buffer {
  return svgToPng(barChartSvg(input), raster);
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
 * on the bars only up to 8 groups: a horizontal chart of many groups would be a wall of numbers. (resvg 2.6 re-reads
 * the font file for every glyph drawn, so charts are drawn with a small cut of the font: render.ts, font-subset.ts.)
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

function rotateFor(categories: string[], width: number): { rotate?: number } {
  const longest = categories.reduce((n, c) => Math.max(n, c.length), 0);
  return categories.length * longest * 14 > width - 80 ? { rotate: 35 } : {};
}

function hideZero(p: { value?: unknown }): string {
  return typeof p.value === 'number' && p.value !== 0 ? String(p.value) : '';
}
