import { describe, expect, it } from 'vitest';
import { barChartSvg, niceStep, PACE_COLORS, paceChartInput, renderBarChartPng, renderPaceChartPng } from '../../src/reports/chart.js';
import { countDarkPixels, decodePng, type DecodedPng } from '../../src/reports/png-decode.js';
import { svgToPixels, svgToPng, textWidth } from '../../src/reports/render.js';
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

  it('round-trips any pixels through the decoder, odd sizes included, a small image after a large one', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    // the encoder reuses its row buffer: what a larger image left in it must not show in the next
    for (const [w, h] of [[300, 200], [1, 1], [3, 5], [17, 2], [301, 3]]) {
      const rgba = Buffer.from(Array.from({ length: w * h * 4 }, next));
      const back = decodePng(encodePng(w, h, rgba));
      expect([back.width, back.height]).toEqual([w, h]);
      expect(Buffer.from(back.rgba).equals(rgba)).toBe(true);
    }
    expect(() => encodePng(2, 2, Buffer.alloc(15))).toThrow();
  });
});

/** The texts of a chart's SVG with where they are drawn (x, y of their anchor point) and their anchor. */
function textsOf(svg: string): { x: number; y: number; size: number; anchor: string; text: string }[] {
  return [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map(([, attrs, text]) => {
    const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(attrs)?.[1];
    return {
      x: Number(attr('x')),
      y: Number(attr('y')),
      size: Number(attr('font-size')),
      anchor: attr('text-anchor') ?? 'start',
      text: text.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))),
    };
  });
}

/** The box a text covers, from the font's own widths. */
function boxOf(t: ReturnType<typeof textsOf>[number]) {
  const w = textWidth(t.text, t.size);
  const left = t.anchor === 'end' ? t.x - w : t.anchor === 'middle' ? t.x - w / 2 : t.x;
  return { x: Math.floor(left), y: Math.floor(t.y - t.size / 2), width: Math.ceil(w), height: t.size };
}

describe('the bar chart written as SVG', () => {
  // a district's towns, with a town that has only overdue households and one with none at all
  const towns = Array.from({ length: 20 }, (_, i) => `第${i + 1}镇`).concat(['城关镇（老城区）', '东坝乡']);
  const pace = { on_pace: towns.map((_, i) => (i * 7) % 40), behind: towns.map((_, i) => (i * 3) % 9), overdue: towns.map((_, i) => (i === 20 ? 0 : 5 + (i % 4))) };
  pace.on_pace[5] = 0;
  pace.behind[5] = 0;
  const series = (['on_pace', 'behind', 'overdue'] as const).map((k) => ({ name: k, data: pace[k], stack: 'pace', color: PACE_COLORS[k] }));

  it('draws every town name inside the picture, in a row of its own that the PNG shows', () => {
    const input = { title: '入户走访进度', subtitle: '2017年', categories: towns, series, horizontal: true, width: 800, height: 140 + towns.length * 28 };
    const svg = barChartSvg(input);
    const names = textsOf(svg).filter((t) => towns.includes(t.text));
    expect(names.map((t) => t.text)).toEqual(towns);
    // where the text is laid out, the PNG as sent (glyph outlines) has ink
    const img = decodePng(renderBarChartPng(input));
    names.forEach((t, i) => {
      const box = boxOf(t);
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(input.height);
      if (i) expect(box.y).toBeGreaterThanOrEqual(boxOf(names[i - 1]).y + box.height);
      expect(countDarkPixels(img, box)).toBeGreaterThan(8 * [...t.text].length);
    });
  });

  it('draws each bar part as long as its figure, on one scale for every town', () => {
    const input = { title: '入户走访进度', categories: towns, series, horizontal: true, width: 800, height: 140 + towns.length * 28 };
    const svg = barChartSvg(input);
    const img = decodePng(renderBarChartPng(input));
    const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    let scale: number | undefined;
    textsOf(svg)
      .filter((t) => towns.includes(t.text))
      .forEach((t, c) => {
        const y = Math.round(t.y);
        for (const s of series) {
          const [r, g, b] = rgb(s.color);
          let px = 0;
          for (let x = 0; x < img.width; x++) {
            const o = (y * img.width + x) * 4;
            if (img.rgba[o] === r && img.rgba[o + 1] === g && img.rgba[o + 2] === b) px++;
          }
          const v = s.data[c];
          if (v === 0) expect(px).toBeLessThanOrEqual(1);
          else {
            scale ??= px / v;
            expect(Math.abs(px - v * scale)).toBeLessThanOrEqual(2);
          }
        }
      });
    expect(scale).toBeGreaterThan(5);
  });

  it('prints every figure but the zeros, and each category name, when standing bars have room', () => {
    for (const stack of ['pace', undefined]) {
      const cats = towns.slice(0, 6);
      const s = series.map((x) => ({ ...x, data: x.data.slice(0, 6), stack }));
      const svg = barChartSvg({ title: '入户走访进度', categories: cats, series: s, showValues: true, width: 640, height: 400 });
      const texts = textsOf(svg).map((t) => t.text);
      for (const c of cats) expect(texts).toContain(c);
      const figures = s.flatMap((x) => x.data.filter((v) => v !== 0).map(String)).sort();
      const ticks = textsOf(svg).filter((t) => t.anchor === 'end').map((t) => t.text);
      const printed = texts.filter((t) => /^\d+$/.test(t));
      // every figure once, besides the value axis' own numbers
      for (const tick of ticks) printed.splice(printed.indexOf(tick), 1);
      expect(printed.sort()).toEqual(figures);
      for (const t of textsOf(svg)) {
        const box = boxOf(t);
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(640);
      }
    }
  });

  it('long names along the bottom are drawn at an angle and stay in the picture', () => {
    const cats = ['城关镇李家村', '东坝乡王家庄村', '农业农村局驻村工作队', '第四镇', '区扶贫开发办公室', '某某村'];
    const input = { title: '各村', categories: cats, series: [{ name: '户', data: [1200, 3000, 700, 5, 0, 88] }] };
    expect(barChartSvg(input).match(/rotate\(-35 /g)).toHaveLength(cats.length);
    expect(barChartSvg(input, { glyphs: true }).match(/rotate\(-35\)/g)).toHaveLength(cats.length);
    const img = decodePng(renderBarChartPng(input));
    // the labels' ink is in the picture's lower part and below the plot, not cut at the bottom edge
    expect(countDarkPixels(img, { x: 0, y: 400, width: 800, height: 90 })).toBeGreaterThan(500);
    expect(countDarkPixels(img, { x: 0, y: 497, width: 800, height: 3 })).toBe(0);
  });

  it('draws nothing for a missing, negative or non-finite figure, and puts no NaN into the SVG', () => {
    const input = { title: '走访', categories: ['甲', '乙', '丙', '丁'], series: [{ name: '户', data: [Number.NaN, -3, Infinity] }], showValues: true };
    for (const svg of [barChartSvg(input), barChartSvg(input, { glyphs: true })]) {
      expect(svg).not.toMatch(/NaN|Infinity/);
      expect(svg).not.toMatch(/<path d="[^"]*" fill="#5070dd"/);
    }
    expect(textsOf(barChartSvg(input)).map((t) => t.text)).toEqual(['走访', '0', '1', '甲', '乙', '丙', '丁']);
  });

  it('steps the value axis by 1, 2, 3 or 5 times a power of ten, about five steps, whole numbers', () => {
    const cases: [number, number][] = [[0, 1], [3, 1], [12, 2], [17, 3], [30, 5], [37, 10], [50, 10], [1234, 200], [9999, 2000]];
    for (const [max, step] of cases) expect([max, niceStep(max)]).toEqual([max, step]);
  });

  it('draws text with the glyph outlines where resvg draws the same text from the font', () => {
    // every kind of character a chart holds, regular and bold (the title), so every outline operator the font uses
    const line = '王秀英 欧阳晓燕 龘靐齉 第12镇（城关）：45户 · 98% a-zAV&<> 2017年11月 ‰ …';
    const input = { title: line, subtitle: line, categories: [line.slice(0, 8), line.slice(8, 16)], series: [{ name: line.slice(0, 5), data: [3, 5] }, { name: '户', data: [2, 0] }], showValues: true };
    const glyphSvg = barChartSvg(input, { glyphs: true });
    expect(glyphSvg).not.toContain('<text');
    // each glyph's outline once, however often it is drawn
    const ids = [...glyphSvg.matchAll(/<path id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(glyphSvg.match(/<use /g)!.length).toBeGreaterThan(ids.length);
    const text = decodePng(svgToPng(barChartSvg(input)));
    const glyphs = decodePng(renderBarChartPng(input));
    // the same ink in the same places: at most a pixel's anti-aliasing apart at the edges of the strokes
    const ink = (img: DecodedPng, rect: typeof TITLE_BAND) => countDarkPixels(img, rect, 200);
    for (let y = 0; y < 500; y += 20) {
      const band = { x: 0, y, width: 800, height: 20 };
      expect(Math.abs(ink(glyphs, band) - ink(text, band))).toBeLessThanOrEqual(Math.max(12, ink(text, band) * 0.08));
    }
    expect(differingPixels(text, glyphs, { x: 0, y: 0, width: 800, height: 500 })).toBeLessThan(countDarkPixels(text) * 0.2);
  });
});
