/**
 * SVG → PNG with the bundled CJK font, so Chinese renders as glyphs (not empty boxes) on a machine with no CJK
 * font installed. The font comes from the npm package `@embedpdf/fonts-sc` (Noto Sans CJK SC, "Noto Sans S
 * Chinese", GB2312 coverage, SIL OFL 1.1), installed by `npm ci`.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { SubsetFonts } from './font-subset.js';
import { encodePng } from './png-encode.js';

/** The family name of the bundled CJK font, for SVG `font-family`. */
export const CJK_FONT_FAMILY = 'Noto Sans S Chinese';

/** A CSS font-family list that puts the bundled CJK font first. */
export const CJK_FONT_STACK = `'${CJK_FONT_FAMILY}', sans-serif`;

let fontFilesCache: string[] | undefined;

/** Paths of the bundled CJK font files (regular and bold). */
export function cjkFontFiles(): string[] {
  if (!fontFilesCache) {
    const require = createRequire(import.meta.url);
    // The package exports only ".", which resolves to dist/index.cjs; the fonts sit in ../fonts.
    const dir = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
    fontFilesCache = [path.join(dir, 'NotoSansHans-Regular.otf'), path.join(dir, 'NotoSansHans-Bold.otf')];
  }
  return fontFilesCache;
}

/** Options for {@link svgToPng}. */
export interface RasterOptions {
  /**
   * `'cjk'` (default): the bundled font, cut to the characters drawn so far; `'cjk-whole'`: the bundled font files
   * themselves (slow; checks compare the two); `'none'`: no font at all (checks compare).
   */
  fonts?: 'cjk' | 'cjk-whole' | 'none';
  /** Background colour; default white. */
  background?: string;
  /** Output width in pixels (scales the SVG); default: the SVG's own width. */
  fitWidth?: number;
}

/** Renders an SVG string to PNG bytes with resvg. */
export function svgToPng(svg: string, options: RasterOptions = {}): Buffer {
  const img = rasterize(svg, options);
  // resvg's pixels are premultiplied: as they are, they make a PNG only when nothing is see-through
  return opaque(options.background) ? encodePng(img.width, img.height, img.pixels) : img.asPng();
}

/** Whether a background colour covers the canvas (the default white does; a colour with alpha may not). */
function opaque(background: string | undefined): boolean {
  return background === undefined || /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(background);
}

/** Renders an SVG string to raw RGBA pixels (for checks that count drawn pixels). */
export function svgToPixels(svg: string, options: RasterOptions = {}): { width: number; height: number; pixels: Buffer } {
  const img = rasterize(svg, options);
  return { width: img.width, height: img.height, pixels: img.pixels };
}

/** The characters drawn so far in this process, cut from the bundled fonts (see font-subset.ts). */
const subsets = new SubsetFonts(cjkFontFiles);
let subsetBroken = false;

/** Font files covering every character of the SVG: the subsets, or the whole fonts should cutting one fail. */
function fontFilesFor(svg: string): string[] {
  if (!subsetBroken) {
    try {
      return subsets.filesFor(svg);
    } catch {
      subsetBroken = true;
    }
  }
  return cjkFontFiles();
}

/**
 * The width in pixels of `text` drawn in the bundled font at `fontSize` (regular or bold), from the font's own
 * advances: charts lay out their labels with it. Should the font not be readable, an estimate (1 em for wide
 * characters, 0.6 em for the rest).
 */
export function textWidth(text: string, fontSize: number, bold = false): number {
  if (!subsetBroken) {
    try {
      return subsets.emWidth(text, bold ? 1 : 0) * fontSize;
    } catch {
      subsetBroken = true;
    }
  }
  let em = 0;
  for (const ch of text) em += ch.codePointAt(0)! > 0x2e7f ? 1 : 0.6;
  return em * fontSize;
}

/** A line of text to draw: `y` is its middle (as `dominant-baseline: central`), `x` where `anchor` puts it. */
export interface TextRun {
  x: number;
  y: number;
  size: number;
  text: string;
  fill: string;
  bold?: boolean;
  anchor?: 'start' | 'middle' | 'end';
  /** Degrees, counter-clockwise, about (x, y). */
  rotate?: number;
  /** A halo of this colour around the glyphs (2 px), so the text reads over lines. */
  halo?: string;
}

/** SVG path data of each glyph drawn so far, by font and glyph: made once per process. */
const glyphPaths = new Map<string, string>();

/**
 * Text runs as SVG drawn with the glyphs' own outlines instead of `<text>`: each glyph's path once in `<defs>`, placed
 * with `<use>`. resvg then lays out no text and opens no font (with `<text>` it loaded the font files and read a
 * glyph's outline from the file for every glyph drawn: about 4 ms of a 20-town chart). Returns the `<defs>` and the
 * runs, or undefined when the font cannot be read (the caller then draws `<text>`). Advances only, no kerning: the
 * same layout as `textWidth`.
 */
export function glyphRunsSvg(runs: TextRun[]): { defs: string; body: string } | undefined {
  if (subsetBroken) return undefined;
  try {
    const defs: string[] = [];
    const used = new Set<string>();
    const body = runs.map((run) => {
      const index = run.bold ? 1 : 0;
      const font = subsets.source(index);
      const scale = run.size / font.unitsPerEm;
      const { ascender, descender } = font.verticalMetrics;
      let pen = 0;
      const uses: string[] = [];
      for (const ch of run.text) {
        const code = ch.codePointAt(0)!;
        const gid = font.glyphOf(code);
        const id = `g${index}-${gid}`;
        if (!used.has(id)) {
          used.add(id);
          let d = glyphPaths.get(id);
          if (d === undefined) glyphPaths.set(id, (d = font.glyphPath(gid)));
          defs.push(`<path id="${id}" d="${d}"/>`);
        }
        if (code !== 0x20) uses.push(`<use xlink:href="#${id}" x="${pen}"/>`);
        pen += font.advanceOf(code) ?? font.unitsPerEm;
      }
      const shift = run.anchor === 'end' ? -pen : run.anchor === 'middle' ? -pen / 2 : 0;
      // the line's middle on y: the baseline lies half the ascender and descender below it
      const baseline = ((ascender + descender) / 2) * scale;
      const turn = run.rotate ? ` rotate(${-run.rotate})` : '';
      const halo = run.halo ? ` stroke="${run.halo}" stroke-width="${round2(2 / scale)}" stroke-linejoin="round" paint-order="stroke"` : '';
      return (
        `<g transform="translate(${round2(run.x)} ${round2(run.y)})${turn} translate(${round2(shift * scale)} ${round2(baseline)}) scale(${scale})"` +
        ` fill="${run.fill}"${halo}>${uses.join('')}</g>`
      );
    });
    return { defs: defs.length ? `<defs>${defs.join('')}</defs>` : '', body: body.join('') };
  } catch {
    subsetBroken = true;
    return undefined;
  }
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

function rasterize(svg: string, options: RasterOptions) {
  const fonts = options.fonts ?? 'cjk';
  const resvg = new Resvg(svg, {
    background: options.background ?? '#ffffff',
    fitTo: options.fitWidth ? { mode: 'width', value: options.fitWidth } : { mode: 'original' },
    font: {
      fontFiles: fonts === 'cjk' ? fontFilesFor(svg) : fonts === 'cjk-whole' ? cjkFontFiles() : [],
      loadSystemFonts: false,
      defaultFontFamily: CJK_FONT_FAMILY,
      sansSerifFamily: CJK_FONT_FAMILY,
    },
  });
  return resvg.render();
}

/** Escapes text for SVG/XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
