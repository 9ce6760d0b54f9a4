/**
 * Supervision benchmark on a synthetic district: 10,000 households, 3,000 helpers, 60,000 visits, 60,000 cards,
 * 300,000 quiz results.
 * - stats_district_ms: `computeStats` for the whole district (core aggregation only, rows already in memory), median.
 * - chart_png_ms: the pace chart (stacked bars per town), its SVG written and rasterised to PNG with the CJK font, median.
 * - export_rss_mb: peak process RSS while streaming an all-cards-like workbook of 60,000 rows × 40 columns.
 * - export_rss_growth: the same peak for 4× the rows (240,000) over the peak for 60,000: memory must not follow rows.
 */
import { GUARANTEE_ITEMS } from '../src/core/visits/guarantees.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { computeStats } from '../src/core/stats/index.js';
import type { StatsInput } from '../src/core/stats/index.js';
import { DAY_MS, zonedYearPeriod } from '../src/core/visits/pacing.js';
import { barChartSvg, paceChartInput, renderPaceChartPng } from '../src/reports/chart.js';
import { svgToPng } from '../src/reports/render.js';
import type { BenchModule, BenchTarget } from './types.js';
import { seededRandom } from '../src/core/quiz/random.js';

const HOUSEHOLDS = 10_000;
const HELPERS = 3_000;
const VISITS = 60_000;
const CARDS = 60_000;
const QUIZ_RESULTS = 300_000;
const UNITS = 120;
const TOWNS = 20;
const VILLAGES = 300;
const EXPORT_ROWS = 60_000;
const EXPORT_COLUMNS = 40;

// Deterministic (mulberry32, the quiz's own) so every run sees the same district.
const rng = seededRandom;

function syntheticDistrict(period: { startAt: number; endAt: number }, now: number) {
  const r = rng(2017);
  const pick = (n: number) => Math.floor(r() * n);
  const span = now - period.startAt;
  const helpers = Array.from({ length: HELPERS }, (_, i) => ({
    id: i,
    unitId: i % UNITS,
    townId: i % TOWNS,
    lastVisitAt: r() < 0.5 ? period.startAt - pick(90) * DAY_MS : null,
  }));
  const households = Array.from({ length: HOUSEHOLDS }, (_, i) => {
    const villageId = i % VILLAGES;
    const helperIds = r() < 0.3 ? [pick(HELPERS), pick(HELPERS)] : [pick(HELPERS)];
    return { id: i, villageId, townId: villageId % TOWNS, helperIds };
  });
  const modes = ['in_person', 'in_person', 'in_person', 'phone', 'group'];
  const visits = Array.from({ length: VISITS }, () => {
    const h = households[pick(HOUSEHOLDS)];
    return { householdId: h.id, helperId: h.helperIds[0], at: period.startAt + Math.floor(r() * span), mode: modes[pick(5)] };
  });
  const statuses = ['submitted', 'submitted', 'submitted', 'draft', 'returned'];
  const cards = Array.from({ length: CARDS }, () => ({
    householdId: pick(HOUSEHOLDS),
    status: statuses[pick(5)],
    at: period.startAt + Math.floor(r() * span),
  }));
  const kinds = ['income_drop', 'illness', 'dropout', 'housing', 'short_visit'];
  const flags = Array.from({ length: 4_000 }, () => ({ householdId: pick(HOUSEHOLDS), open: r() < 0.6, kind: kinds[pick(5)] }));
  const guaranteeFailures = Array.from({ length: 1_500 }, () => ({ householdId: pick(HOUSEHOLDS), item: GUARANTEE_ITEMS[pick(6)] }));
  const quizResults = Array.from({ length: QUIZ_RESULTS }, (_, i) => {
    const personId = i % HELPERS;
    const done = r() < 0.8;
    return { personId, unitId: personId % UNITS, quizId: Math.floor(i / HELPERS), done, scorePct: done ? pick(101) : null };
  });
  const input: StatsInput = { households, visits, cards, flags, guaranteeFailures, quizResults, helpers };
  return input;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeIt(runs: number, fn: () => void): number {
  fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/**
 * The export runs in a child process of its own, so its peak RSS is the export's alone and not whatever the
 * benchmarks before it left on the heap (a bot process exporting starts from the same small heap).
 */
function exportPeakRss(file: string, rows = EXPORT_ROWS, writer = 'ours'): { peak: number; before: number; ms: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/export-rss.ts', file, String(rows), String(EXPORT_COLUMNS), writer], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { peak: number; before: number; ms: number };
}

export const bench: BenchModule = {
  title: 'reports: /stats aggregation, chart PNG, streaming export',
  async run(): Promise<BenchTarget[]> {
    // The export runs first, before the synthetic district fills the heap, so its RSS is the export's own.
    const dir = mkdtempSync(path.join(tmpdir(), 'reports-bench-'));
    let exportRss: { peak: number; before: number; ms: number };
    let exportGrowth: number;
    try {
      const file = path.join(dir, 'cards.xlsx');
      exportRss = exportPeakRss(file);
      const size = statSync(file).size / 1024 / 1024;
      console.log(
        `export ${EXPORT_ROWS} rows × ${EXPORT_COLUMNS} cols   ${(exportRss.ms / 1000).toFixed(1)} s, ${size.toFixed(1)} MB file, ` +
          `RSS ${exportRss.before.toFixed(0)} → peak ${exportRss.peak.toFixed(0)} MB`,
      );
      const before = exportPeakRss(file, EXPORT_ROWS, 'exceljs');
      console.log(`  the same through exceljs' streaming writer (used before): ${(before.ms / 1000).toFixed(1)} s, RSS ${before.before.toFixed(0)} → peak ${before.peak.toFixed(0)} MB`);
      const big = exportPeakRss(file, EXPORT_ROWS * 4);
      exportGrowth = big.peak / exportRss.peak;
      console.log(
        `export ${EXPORT_ROWS * 4} rows × ${EXPORT_COLUMNS} cols  ${(big.ms / 1000).toFixed(1)} s, ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB file, ` +
          `RSS ${big.before.toFixed(0)} → peak ${big.peak.toFixed(0)} MB (×${exportGrowth.toFixed(2)} the peak for ${EXPORT_ROWS})`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const period = zonedYearPeriod(2017);
    const now = period.startAt + 181 * DAY_MS;
    const input: StatsInput = syntheticDistrict(period, now);
    const base = { scope: { kind: 'district' } as const, period, now };

    const byUnit = timeIt(7, () => computeStats(input, { ...base, groupBy: 'unit' }));
    const byHelper = timeIt(5, () => computeStats(input, { ...base, groupBy: 'helper' }));
    const oneTown = timeIt(7, () => computeStats(input, { ...base, scope: { kind: 'town', id: 3 }, groupBy: 'village' }));
    console.log(`stats, whole district by unit     ${byUnit.toFixed(1)} ms   (${HOUSEHOLDS} households, ${VISITS} visits, ${CARDS} cards, ${QUIZ_RESULTS} quiz results)`);
    console.log(`stats, whole district by helper   ${byHelper.toFixed(1)} ms   (${HELPERS} groups)`);
    console.log(`stats, one town by village        ${oneTown.toFixed(1)} ms`);

    const byTown = computeStats(input, { ...base, groupBy: 'town', labels: new Map(Array.from({ length: TOWNS }, (_, i) => [i, `第${i + 1}镇`])) });
    const labels = { title: '入户走访进度（按镇街）', subtitle: '2017年', onPace: '按进度', behind: '进度落后', overdue: '逾期未走访' };
    let pngBytes = 0;
    const chartMs = timeIt(11, () => (pngBytes = renderPaceChartPng(byTown, labels).length));
    console.log(`pace chart PNG (${TOWNS} towns)      ${chartMs.toFixed(1)} ms   (${(pngBytes / 1024).toFixed(0)} KB)`);
    // its parts, and side by side under the same load: the text drawn by resvg from the cut font (before glyph
    // outlines) and from the whole 8 MB font files (before the cut)
    const chart = paceChartInput(byTown, labels);
    const svg = barChartSvg(chart, { glyphs: true });
    const svgMs = timeIt(11, () => barChartSvg(paceChartInput(byTown, labels), { glyphs: true }));
    const pngMs = timeIt(11, () => svgToPng(svg, { fonts: 'none' }));
    const textSvg = barChartSvg(chart);
    const cutMs = timeIt(11, () => svgToPng(textSvg));
    const wholeMs = timeIt(3, () => svgToPng(textSvg, { fonts: 'cjk-whole' }));
    console.log(
      `  of which the SVG ${svgMs.toFixed(1)} ms, SVG → PNG ${pngMs.toFixed(1)} ms; with its text as <text>: SVG → PNG ${cutMs.toFixed(1)} ms ` +
        `with the cut font, ${wholeMs.toFixed(1)} ms with the whole font files`,
    );

    return [
      { name: 'stats_district_ms', measured: byUnit, limit: 100, unit: 'ms' },
      { name: 'chart_png_ms', measured: chartMs, limit: 50, unit: 'ms' },
      { name: 'export_rss_mb', measured: exportRss.peak, limit: 150, unit: 'MB' },
      { name: 'export_rss_growth', measured: exportGrowth, limit: 1.2, unit: 'x' },
    ];
  },
};
