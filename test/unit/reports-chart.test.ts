import { describe, expect, it } from 'vitest';
import { barChartSvg, paceChartInput, renderBarChartPng, renderPaceChartPng } from '../../src/reports/chart.js';
import { countDarkPixels, decodePng, type DecodedPng } from '../../src/reports/png-decode.js';
import { svgToPixels, svgToPng } from '../../src/reports/render.js';
import { encodePng } from '../../src/reports/png-encode.js';
import { computeStats } from '../../src/core/stats/index.js';
import { DAY_MS } from '../../src/core/visits/pacing.js';

const TITLE_BAND = { x: 0, y: 0, width: 800, height: 40 };

function titleOnly(title: string, fonts: 'cjk' | 'none'): DecodedPng {
  const svg = barChartSvg({ title, categories: [], series: [] });
  return decodePng(svgToPng(svg, { fonts }));
}

function differingPixels(a: DecodedPng, b: DecodedPng, rect: typeof TITLE_BAND): number {
  let n = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    for (let x = rect.x; x < rect.x + rect.width; x++) {
      const o = (y * a.width + x) * 4;
      if (Math.abs(a.rgba[o] - b.rgba[o]) + Math.abs(a.rgba[o + 1] - b.rgba[o + 1]) + Math.abs(a.rgba[o + 2] - b.rgba[o + 2]) > 60) n++;
    }
  }
  return n;
}

describe('Chinese text in charts is drawn with glyphs', () => {
  it('the title is drawn with the bundled font and absent without any font', () => {
    const withFont = titleOnly('入户走访进度', 'cjk');
    const noFont = titleOnly('入户走访进度', 'none');
    const drawn = countDarkPixels(withFont, TITLE_BAND);
    expect(drawn).toBeGreaterThan(300);
    expect(countDarkPixels(noFont, TITLE_BAND)).toBeLessThan(drawn / 20);
  });

  it('two different Chinese titles of the same length look different (not the same empty boxes)', () => {
    const a = titleOnly('入户走访进度', 'cjk');
    const b = titleOnly('两不愁三保障', 'cjk');
    expect(differingPixels(a, b, TITLE_BAND)).toBeGreaterThan(200);
  });

  it('the fonts cut to the characters drawn give the very pixels of the whole fonts, regular and bold', () => {
    // names as a roster has them (common and rare characters), digits, punctuation; then more, so the cut grows.
    // (Pairs of Latin capitals such as "AV" are kerned a little tighter by the whole font's GPOS, which the cut leaves out.)
    const lines = ['王秀英 李建国 欧阳晓燕 龘靐齉 覃 亓官 鄢', '第12镇（城关） 帮扶责任人：45户 · 98% a-z', '郝 甯 禤 犇 淼 鑫 囧 2017年11月 ‰ …'];
    for (const line of lines) {
      const svg = barChartSvg({ title: line, subtitle: line, categories: [line.slice(0, 6), line.slice(6, 12)], series: [{ name: line.slice(0, 4), data: [3, 5] }], showValues: true });
      const cut = decodePng(svgToPng(svg));
      const whole = decodePng(svgToPng(svg, { fonts: 'cjk-whole' }));
      expect(countDarkPixels(cut, TITLE_BAND)).toBeGreaterThan(300);
      expect(differingPixels(cut, whole, { x: 0, y: 0, width: 800, height: 500 })).toBe(0);
    }
  });

  it('a full bar chart renders to a PNG of the asked size with its Chinese title and labels', () => {
    const png = renderBarChartPng({
      title: '各单位入户走访情况',
      categories: ['区扶贫办', '城关镇', '农业农村局'],
      series: [
        { name: '已走访', data: [12, 30, 7] },
        { name: '未走访', data: [3, 5, 9] },
      ],
      width: 640,
      height: 400,
      showValues: true,
    });
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const img = decodePng(png);
    expect([img.width, img.height]).toEqual([640, 400]);
    expect(countDarkPixels(img, { x: 0, y: 0, width: 640, height: 40 })).toBeGreaterThan(300);
    // category labels sit along the bottom edge
    expect(countDarkPixels(img, { x: 0, y: 360, width: 640, height: 40 })).toBeGreaterThan(100);
  });
});

describe('pace chart from a stats report', () => {
  const S = Date.UTC(2017, 0, 1);
  const period = { startAt: S, endAt: S + 360 * DAY_MS };
  const now = S + 185 * DAY_MS;
  const helpers = Array.from({ length: 10 }, (_, i) => ({ id: `u${i}h`, unitId: `u${i}`, townId: 't', lastVisitAt: null }));
  // unit u_i has i + 1 households; household j of unit i got j visits spread from day 5 (j ≤ 3 gives different paces).
  const households = helpers.flatMap((h, i) =>
    Array.from({ length: i + 1 }, (_, j) => ({ id: `${h.unitId}-${j}`, villageId: 'v', townId: 't', helperIds: [h.id] })),
  );
  const visits = households.flatMap((h, j) =>
    Array.from({ length: j % 5 }, (_, k) => ({ householdId: h.id, helperId: h.helperIds[0], at: S + (150 + k * 8) * DAY_MS, mode: 'in_person' })),
  );
  const labels = new Map(helpers.map((h, i) => [h.unitId, `第${i + 1}帮扶单位`] as const));
  const report = computeStats({ households, visits, helpers }, { scope: { kind: 'district' }, groupBy: 'unit', period, now, labels });
  const names = { title: '入户走访进度', onPace: '按进度', behind: '落后', overdue: '逾期' };

  it('one stacked bar per unit whose parts add up to the unit households', () => {
    const input = paceChartInput(report, names);
    expect(input.categories).toEqual(report.groups.map((g) => g.label));
    expect(input.series.map((s) => s.name)).toEqual(['按进度', '落后', '逾期']);
    expect(input.series.every((s) => s.stack === 'pace')).toBe(true);
    report.groups.forEach((g, i) => {
      expect(input.series.reduce((n, s) => n + s.data[i], 0)).toBe(g.households);
    });
    expect(input.horizontal).toBe(true); // 10 groups > 8
  });

  it('renders', () => {
    const img = decodePng(renderPaceChartPng(report, names));
    expect(img.width).toBe(800);
    expect(countDarkPixels(img, TITLE_BAND)).toBeGreaterThan(300);
  });
});

describe('the PNG written for a chart', () => {
  it('holds exactly the pixels resvg drew, for an opaque and a see-through background', () => {
    const svg = barChartSvg({ title: '走访进度', categories: ['城关镇', '东坝乡'], series: [{ name: '户', data: [3, 5] }], width: 300, height: 200 });
    for (const background of [undefined, '#f0f0f0', 'rgba(0,0,0,0)']) {
      const drawn = svgToPixels(svg, { background });
      const png = decodePng(svgToPng(svg, { background }));
      expect([png.width, png.height]).toEqual([drawn.width, drawn.height]);
      if (background === 'rgba(0,0,0,0)') {
        // resvg's pixels are premultiplied and its own writer un-premultiplies: equal wherever nothing shows through
        let solid = 0;
        let differ = 0;
        for (let i = 0; i < drawn.pixels.length; i += 4) {
          if (drawn.pixels[i + 3] !== 255) continue;
          solid++;
          for (let j = i; j < i + 4; j++) if (png.rgba[j] !== drawn.pixels[j]) differ++;
        }
        expect(solid).toBeGreaterThan(100);
        expect(differ).toBe(0);
      } else expect(Buffer.from(png.rgba).equals(drawn.pixels)).toBe(true);
    }
  });

  it('round-trips any pixels through the decoder, odd sizes included', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    for (const [w, h] of [[1, 1], [3, 5], [17, 2]]) {
      const rgba = Buffer.from(Array.from({ length: w * h * 4 }, next));
      const back = decodePng(encodePng(w, h, rgba));
      expect([back.width, back.height]).toEqual([w, h]);
      expect(Buffer.from(back.rgba).equals(rgba)).toBe(true);
    }
    expect(() => encodePng(2, 2, Buffer.alloc(15))).toThrow();
  });
});
