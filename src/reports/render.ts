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
