/**
 * A small font holding only the characters a chart needs, cut from the bundled 8 MB CJK font.
 *
 * Why: resvg-js 2.6 loads fonts by path and reads the whole file again for every glyph it draws (about 0.75 ms a glyph
 * with the 8 MB font; 30 µs with a 100 KB one), and it has no way to pass font bytes in memory. So the big font is read
 * and parsed once per process, and each chart is drawn with a subset written to a temporary file: the characters seen
 * so far in this process (the subset only grows, so a roster's names are cut once, not per chart).
 *
 * The subset is an OpenType font with a plain (not CID-keyed) CFF table: each glyph's charstring has its subroutine
 * calls inlined, so no subroutine has to be kept; advance widths come from hmtx; name and OS/2 are the original's, so
 * the family and weight are those the SVG asks for. Layout tables (GSUB/GPOS) are left out: CJK, digits and
 * punctuation are drawn exactly as with the whole font (test/unit/reports-chart.test.ts); only pairs of Latin capitals
 * such as "AV" lose their kerning.
 *
 * Charts do not use the cut: they are drawn with the glyphs' outlines (`outlineOf`, read from the same parsed font),
 * which resvg rasterises without laying out text. The cut serves every other SVG with `<text>` (the receipt).
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

interface Table {
  offset: number;
  length: number;
}

/** An INDEX of the CFF table: the bytes of item i are data[offsets[i] .. offsets[i + 1]). */
interface Index {
  items: Buffer[];
  /** offset just after the INDEX */
  end: number;
}

function readIndex(b: Buffer, at: number): Index {
  const count = b.readUInt16BE(at);
  if (count === 0) return { items: [], end: at + 2 };
  const offSize = b[at + 2];
  const off = (i: number) => b.readUIntBE(at + 3 + i * offSize, offSize);
  const dataStart = at + 3 + (count + 1) * offSize - 1;
  const items: Buffer[] = [];
  for (let i = 0; i < count; i++) items.push(b.subarray(dataStart + off(i), dataStart + off(i + 1)));
  return { items, end: dataStart + off(count) };
}

/**
 * An INDEX whose items are cut only when asked for: a CJK font's CharStrings INDEX holds some 65,000 glyphs, and making
 * a Buffer of each (as `readIndex` does) was about a fifth of the first chart's time, with their collection.
 */
class LazyIndex {
  readonly length: number;
  private readonly offSize: number;
  private readonly dataStart: number;

  constructor(
    private readonly b: Buffer,
    private readonly at: number,
  ) {
    this.length = b.readUInt16BE(at);
    this.offSize = this.length ? b[at + 2] : 0;
    this.dataStart = at + 3 + (this.length + 1) * this.offSize - 1;
  }

  item(i: number): Buffer {
    if (i < 0 || i >= this.length) throw new Error(`CFF: no item ${i}`);
    const off = (k: number) => this.b.readUIntBE(this.at + 3 + k * this.offSize, this.offSize);
    return this.b.subarray(this.dataStart + off(i), this.dataStart + off(i + 1));
  }
}

function writeIndex(items: Buffer[]): Buffer {
  if (!items.length) return Buffer.from([0, 0]);
  const total = items.reduce((n, x) => n + x.length, 0);
  const offSize = total + 1 < 0x100 ? 1 : total + 1 < 0x10000 ? 2 : total + 1 < 0x1000000 ? 3 : 4;
  const head = Buffer.alloc(3 + (items.length + 1) * offSize);
  head.writeUInt16BE(items.length, 0);
  head[2] = offSize;
  let o = 1;
  for (let i = 0; i <= items.length; i++) {
    head.writeUIntBE(o, 3 + i * offSize, offSize);
    if (i < items.length) o += items[i].length;
  }
  return Buffer.concat([head, ...items]);
}

/** A DICT as operator → operands (two-byte operators as 1200 + second byte). */
function readDict(b: Buffer): Map<number, number[]> {
  const out = new Map<number, number[]>();
  let ops: number[] = [];
  for (let i = 0; i < b.length; ) {
    const v = b[i];
    if (v <= 21) {
      const op = v === 12 ? 1200 + b[++i] : v;
      i++;
      out.set(op, ops);
      ops = [];
    } else if (v === 28) {
      ops.push(b.readInt16BE(i + 1));
      i += 3;
    } else if (v === 29) {
      ops.push(b.readInt32BE(i + 1));
      i += 5;
    } else if (v === 30) {
      // a real number: nibbles up to 0xf; its value is not needed here
      i++;
      while (i < b.length && (b[i] & 0x0f) !== 0x0f && (b[i] >> 4) !== 0x0f) i++;
      i++;
      ops.push(0);
    } else if (v >= 32 && v <= 246) {
      ops.push(v - 139);
      i++;
    } else if (v >= 247 && v <= 250) {
      ops.push((v - 247) * 256 + b[i + 1] + 108);
      i += 2;
    } else if (v >= 251 && v <= 254) {
      ops.push(-(v - 251) * 256 - b[i + 1] - 108);
      i += 2;
    } else throw new Error(`CFF DICT: byte ${v}`);
  }
  return out;
}

/** An integer operand in the 5-byte form: a DICT whose offsets are written before they are known keeps its size. */
const int32 = (n: number): Buffer => {
  const b = Buffer.alloc(5);
  b[0] = 29;
  b.writeInt32BE(n, 1);
  return b;
};

const subrBias = (n: number) => (n < 1240 ? 107 : n < 33900 ? 1131 : 32768);

/** The big font, parsed once: what a subset is cut from. */
export class SourceFont {
  readonly tables = new Map<string, Table>();
  /** The cmap: glyphs of the Basic Multilingual Plane by code point (0: none), the rest in a map. A typed array fills
   * in a fraction of the time of a map of some 30,000 entries (the first chart of a process waits for it). */
  private readonly bmp = new Uint16Array(0x10000);
  private readonly astral = new Map<number, number>();
  private readonly charStrings: LazyIndex;
  private readonly globalSubrs: Buffer[];
  /** per glyph: the local subroutines of its font DICT */
  private readonly localSubrsOf: (gid: number) => Buffer[];
  private readonly numberOfHMetrics: number;

  constructor(readonly bytes: Buffer) {
    if (bytes.toString('latin1', 0, 4) !== 'OTTO') throw new Error('not a CFF OpenType font');
    const numTables = bytes.readUInt16BE(4);
    for (let i = 0; i < numTables; i++) {
      const at = 12 + 16 * i;
      this.tables.set(bytes.toString('latin1', at, at + 4), { offset: bytes.readUInt32BE(at + 8), length: bytes.readUInt32BE(at + 12) });
    }
    this.readCmap();
    this.numberOfHMetrics = bytes.readUInt16BE(this.table('hhea').offset + 34);

    const cff = this.slice('CFF ');
    const names = readIndex(cff, cff[2]);
    const top = readIndex(cff, names.end);
    const strings = readIndex(cff, top.end);
    this.globalSubrs = readIndex(cff, strings.end).items;
    const dict = readDict(top.items[0]);
    this.charStrings = new LazyIndex(cff, dict.get(17)![0]);
    const privateSubrs = (priv: number[] | undefined): Buffer[] => {
      if (!priv) return [];
      const [size, offset] = priv;
      const subrs = readDict(cff.subarray(offset, offset + size)).get(19);
      return subrs ? readIndex(cff, offset + subrs[0]).items : [];
    };
    const fdArray = dict.get(1236);
    if (!fdArray) {
      const subrs = privateSubrs(dict.get(18));
      this.localSubrsOf = () => subrs;
    } else {
      const fds = readIndex(cff, fdArray[0]).items.map((fd) => privateSubrs(readDict(fd).get(18)));
      const fdOf = this.readFdSelect(cff, dict.get(1237)![0], this.charStrings.length);
      this.localSubrsOf = (gid) => fds[fdOf[gid]] ?? [];
    }
  }

  private table(tag: string): Table {
    const t = this.tables.get(tag);
    if (!t) throw new Error(`font has no ${tag} table`);
    return t;
  }

  slice(tag: string): Buffer {
    const t = this.table(tag);
    return this.bytes.subarray(t.offset, t.offset + t.length);
  }

  private setGlyph(codePoint: number, gid: number): void {
    if (codePoint < 0x10000) this.bmp[codePoint] = gid;
    else if (gid) this.astral.set(codePoint, gid);
  }

  /** The glyph the cmap gives a character, or undefined. */
  gidOf(codePoint: number): number | undefined {
    const gid = codePoint < 0x10000 ? this.bmp[codePoint] : this.astral.get(codePoint);
    return gid || undefined;
  }

  private readCmap(): void {
    const cmap = this.slice('cmap');
    const n = cmap.readUInt16BE(2);
    let best: number | undefined;
    let bestFormat = 0;
    for (let i = 0; i < n; i++) {
      const platform = cmap.readUInt16BE(4 + 8 * i);
      const encoding = cmap.readUInt16BE(6 + 8 * i);
      const offset = cmap.readUInt32BE(8 + 8 * i);
      const format = cmap.readUInt16BE(offset);
      if ((platform === 3 && (encoding === 1 || encoding === 10)) || platform === 0) {
        if (format === 12 || (format === 4 && bestFormat !== 12)) {
          best = offset;
          bestFormat = format;
        }
      }
    }
    if (best === undefined) throw new Error('font has no Unicode cmap');
    if (bestFormat === 12) {
      const groups = cmap.readUInt32BE(best + 12);
      for (let g = 0; g < groups; g++) {
        const at = best + 16 + 12 * g;
        const start = cmap.readUInt32BE(at);
        const end = cmap.readUInt32BE(at + 4);
        const gid = cmap.readUInt32BE(at + 8);
        for (let c = start; c <= end; c++) this.setGlyph(c, gid + c - start);
      }
      return;
    }
    const segX2 = cmap.readUInt16BE(best + 6);
    const ends = best + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const ranges = deltas + segX2;
    for (let s = 0; s < segX2; s += 2) {
      const end = cmap.readUInt16BE(ends + s);
      const start = cmap.readUInt16BE(starts + s);
      const delta = cmap.readInt16BE(deltas + s);
      const range = cmap.readUInt16BE(ranges + s);
      for (let c = start; c <= end && c !== 0xffff; c++) {
        let gid: number;
        if (range === 0) gid = (c + delta) & 0xffff;
        else {
          const g = cmap.readUInt16BE(ranges + s + range + 2 * (c - start));
          gid = g === 0 ? 0 : (g + delta) & 0xffff;
        }
        if (gid) this.setGlyph(c, gid);
      }
    }
  }

  private readFdSelect(cff: Buffer, at: number, glyphs: number): Uint8Array {
    const out = new Uint8Array(glyphs);
    const format = cff[at];
    if (format === 0) for (let g = 0; g < glyphs; g++) out[g] = cff[at + 1 + g];
    else if (format === 3) {
      const n = cff.readUInt16BE(at + 1);
      for (let r = 0; r < n; r++) {
        const first = cff.readUInt16BE(at + 3 + 3 * r);
        const fd = cff[at + 5 + 3 * r];
        const next = cff.readUInt16BE(at + 6 + 3 * r);
        out.fill(fd, first, next);
      }
    } else throw new Error(`FDSelect format ${format}`);
    return out;
  }

  /** Advance width and left side bearing of a glyph (hmtx). */
  metrics(gid: number): [number, number] {
    const hmtx = this.table('hmtx').offset;
    const last = this.numberOfHMetrics - 1;
    const advance = this.bytes.readUInt16BE(hmtx + 4 * Math.min(gid, last));
    const lsb =
      gid <= last ? this.bytes.readInt16BE(hmtx + 4 * gid + 2) : this.bytes.readInt16BE(hmtx + 4 * this.numberOfHMetrics + 2 * (gid - this.numberOfHMetrics));
    return [advance, lsb];
  }

  /** A glyph's charstring with every subroutine call replaced by the subroutine's own code. */
  flatCharString(gid: number): Buffer {
    const local = this.localSubrsOf(gid);
    const out: number[] = [];
    /** where each operand now on the stack starts in `out` */
    const operandAt: number[] = [];
    const values: number[] = [];
    let stems = 0;
    let ended = false;
    const run = (code: Buffer, depth: number): void => {
      if (depth > 10) throw new Error('CFF: subroutines nested too deep');
      for (let i = 0; i < code.length && !ended; ) {
        const v = code[i];
        if (v >= 32 || v === 28) {
          const len = v === 28 ? 3 : v === 255 ? 5 : v >= 247 ? 2 : 1;
          operandAt.push(out.length);
          values.push(v === 28 ? code.readInt16BE(i + 1) : v === 255 ? code.readInt32BE(i + 1) / 65536 : v <= 246 ? v - 139 : v <= 250 ? (v - 247) * 256 + code[i + 1] + 108 : -(v - 251) * 256 - code[i + 1] - 108);
          for (let k = 0; k < len; k++) out.push(code[i + k]);
          i += len;
          continue;
        }
        if (v === 10 || v === 29) {
          // callsubr / callgsubr: drop the index operand, run the subroutine in place
          const subrs = v === 10 ? local : this.globalSubrs;
          const index = values.pop()! + subrBias(subrs.length);
          out.length = operandAt.pop()!;
          const subr = subrs[index];
          if (!subr) throw new Error(`CFF: no subroutine ${index}`);
          run(subr, depth + 1);
          i++;
          continue;
        }
        if (v === 11) return; // return
        if (v === 1 || v === 3 || v === 18 || v === 23) stems += values.length >> 1; // h/vstem(hm)
        if (v === 19 || v === 20) {
          // hintmask / cntrmask: operands still on the stack are an implied vstem; then one bit per stem
          stems += values.length >> 1;
          const bytes = (stems + 7) >> 3;
          for (let k = 0; k <= bytes; k++) out.push(code[i + k]);
          i += 1 + bytes;
        } else if (v === 12) {
          const op = code[i + 1];
          // arithmetic and storage operators (unused by fonts in practice) would need the stack kept exactly
          if (op < 34 || op > 37) throw new Error(`CFF: operator 12 ${op}`);
          out.push(12, op);
          i += 2;
        } else {
          out.push(v);
          i++;
          if (v === 14) ended = true; // endchar
        }
        operandAt.length = 0;
        values.length = 0;
      }
    };
    run(this.charStrings.item(gid), 0);
    if (!ended) out.push(14);
    return Buffer.from(out);
  }

  get glyphCount(): number {
    return this.charStrings.length;
  }

  /** The glyph of a character (0 when the font has none: .notdef). */
  glyphOf(codePoint: number): number {
    return this.gidOf(codePoint) ?? 0;
  }

  /** A glyph's outline as SVG path data in font units, y pointing down (the glyph's origin on the baseline). */
  glyphPath(gid: number): string {
    return outlineOf(this.flatCharString(gid));
  }

  /** The ascender and descender (hhea), in font units: where a line's middle lies. */
  get verticalMetrics(): { ascender: number; descender: number } {
    const at = this.table('hhea').offset;
    return { ascender: this.bytes.readInt16BE(at + 4), descender: this.bytes.readInt16BE(at + 6) };
  }

  /** Font units per em (head), to scale advances to a font size. */
  get unitsPerEm(): number {
    return this.bytes.readUInt16BE(this.table('head').offset + 18);
  }

  /** The advance width of a character in font units; undefined when the font has no glyph for it. */
  advanceOf(codePoint: number): number | undefined {
    const gid = this.gidOf(codePoint);
    return gid === undefined ? undefined : this.metrics(gid)[0];
  }
}

/**
 * SVG path data (y down, font units) of a Type 2 charstring whose subroutines are inlined (`flatCharString`): the
 * moves, lines and curves; hints are skipped, and a width before the first operator is dropped.
 */
export function outlineOf(code: Buffer): string {
  const d: string[] = [];
  let x = 0;
  let y = 0;
  let open = false;
  let stems = 0;
  let widthSeen = false;
  const stack: number[] = [];
  const fmt = (v: number) => String(Math.round(v * 100) / 100);
  const moveTo = (dx: number, dy: number) => {
    if (open) d.push('Z');
    x += dx;
    y += dy;
    d.push(`M${fmt(x)} ${fmt(-y)}`);
    open = true;
  };
  const lineTo = (dx: number, dy: number) => {
    x += dx;
    y += dy;
    d.push(`L${fmt(x)} ${fmt(-y)}`);
  };
  const curveTo = (dxa: number, dya: number, dxb: number, dyb: number, dxc: number, dyc: number) => {
    const xa = x + dxa;
    const ya = y + dya;
    const xb = xa + dxb;
    const yb = ya + dyb;
    x = xb + dxc;
    y = yb + dyc;
    d.push(`C${fmt(xa)} ${fmt(-ya)} ${fmt(xb)} ${fmt(-yb)} ${fmt(x)} ${fmt(-y)}`);
  };
  /** Drops the width operand that may come before the first stack-clearing operator. */
  const width = (even: boolean) => {
    if (!widthSeen && stack.length % 2 === (even ? 1 : 0)) stack.shift();
    widthSeen = true;
  };
  for (let i = 0; i < code.length; ) {
    const v = code[i];
    if (v >= 32 || v === 28) {
      if (v === 28) stack.push(code.readInt16BE(i + 1));
      else if (v === 255) stack.push(code.readInt32BE(i + 1) / 65536);
      else if (v <= 246) stack.push(v - 139);
      else if (v <= 250) stack.push((v - 247) * 256 + code[i + 1] + 108);
      else stack.push(-(v - 251) * 256 - code[i + 1] - 108);
      i += v === 28 ? 3 : v === 255 ? 5 : v >= 247 ? 2 : 1;
      continue;
    }
    i++;
    const a = stack;
    switch (v) {
      case 1: case 3: case 18: case 23: // h/vstem(hm)
        width(true);
        stems += a.length >> 1;
        break;
      case 19: case 20: // hintmask / cntrmask: operands are an implied vstem; the mask bytes follow
        width(true);
        stems += a.length >> 1;
        i += (stems + 7) >> 3;
        break;
      case 21: // rmoveto
        width(true);
        moveTo(a[0], a[1]);
        break;
      case 22: // hmoveto
        width(false);
        moveTo(a[0], 0);
        break;
      case 4: // vmoveto
        width(false);
        moveTo(0, a[0]);
        break;
      case 5: // rlineto
        for (let k = 0; k + 1 < a.length; k += 2) lineTo(a[k], a[k + 1]);
        break;
      case 6: case 7: // hlineto / vlineto: alternating
        for (let k = 0; k < a.length; k++) {
          if ((k % 2 === 0) === (v === 6)) lineTo(a[k], 0);
          else lineTo(0, a[k]);
        }
        break;
      case 8: // rrcurveto
        for (let k = 0; k + 5 < a.length; k += 6) curveTo(a[k], a[k + 1], a[k + 2], a[k + 3], a[k + 4], a[k + 5]);
        break;
      case 24: { // rcurveline
        let k = 0;
        for (; k + 7 < a.length; k += 6) curveTo(a[k], a[k + 1], a[k + 2], a[k + 3], a[k + 4], a[k + 5]);
        lineTo(a[k], a[k + 1]);
        break;
      }
      case 25: { // rlinecurve
        let k = 0;
        for (; k + 7 < a.length; k += 2) lineTo(a[k], a[k + 1]);
        curveTo(a[k], a[k + 1], a[k + 2], a[k + 3], a[k + 4], a[k + 5]);
        break;
      }
      case 26: { // vvcurveto
        let k = 0;
        let dx1 = 0;
        if (a.length % 4) dx1 = a[k++];
        for (; k + 3 < a.length; k += 4) {
          curveTo(dx1, a[k], a[k + 1], a[k + 2], 0, a[k + 3]);
          dx1 = 0;
        }
        break;
      }
      case 27: { // hhcurveto
        let k = 0;
        let dy1 = 0;
        if (a.length % 4) dy1 = a[k++];
        for (; k + 3 < a.length; k += 4) {
          curveTo(a[k], dy1, a[k + 1], a[k + 2], a[k + 3], 0);
          dy1 = 0;
        }
        break;
      }
      case 30: case 31: { // vhcurveto / hvcurveto: alternating, the last may end off its axis
        let horizontal = v === 31;
        for (let k = 0; k + 3 < a.length; k += 4) {
          const last = a.length - k === 5 ? a[k + 4] : 0;
          if (horizontal) curveTo(a[k], 0, a[k + 1], a[k + 2], last, a[k + 3]);
          else curveTo(0, a[k], a[k + 1], a[k + 2], a[k + 3], last);
          horizontal = !horizontal;
        }
        break;
      }
      case 12: {
        const op = code[i++];
        if (op === 35) { // flex
          curveTo(a[0], a[1], a[2], a[3], a[4], a[5]);
          curveTo(a[6], a[7], a[8], a[9], a[10], a[11]);
        } else if (op === 34) { // hflex
          curveTo(a[0], 0, a[1], a[2], a[3], 0);
          curveTo(a[4], 0, a[5], -a[2], a[6], 0);
        } else if (op === 36) { // hflex1
          curveTo(a[0], a[1], a[2], a[3], a[4], 0);
          curveTo(a[5], 0, a[6], a[7], a[8], -(a[1] + a[3] + a[7]));
        } else if (op === 37) { // flex1: the last point moves along the larger of the two spans
          const dx = a[0] + a[2] + a[4] + a[6] + a[8];
          const dy = a[1] + a[3] + a[5] + a[7] + a[9];
          curveTo(a[0], a[1], a[2], a[3], a[4], a[5]);
          if (Math.abs(dx) > Math.abs(dy)) curveTo(a[6], a[7], a[8], a[9], a[10], -dy);
          else curveTo(a[6], a[7], a[8], a[9], -dx, a[10]);
        } else throw new Error(`CFF: operator 12 ${op}`);
        break;
      }
      case 14: // endchar
        width(true);
        i = code.length;
        break;
      default:
        throw new Error(`CFF: operator ${v}`);
    }
    stack.length = 0;
  }
  if (open) d.push('Z');
  return d.join('');
}

function checksum(b: Buffer): number {
  let sum = 0;
  const padded = b.length % 4 ? Buffer.concat([b, Buffer.alloc(4 - (b.length % 4))]) : b;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

/** The subset font's bytes: glyph 0 (.notdef) and the glyphs of `chars`, found in the source's cmap. */
export function subsetFont(source: SourceFont, chars: Iterable<number>): Buffer {
  const gids = [0];
  const cmap: [number, number][] = [];
  const newGid = new Map<number, number>([[0, 0]]);
  for (const c of [...new Set(chars)].sort((a, b) => a - b)) {
    const gid = source.gidOf(c);
    if (gid === undefined) continue;
    let g = newGid.get(gid);
    if (g === undefined) {
      g = gids.push(gid) - 1;
      newGid.set(gid, g);
    }
    cmap.push([c, g]);
  }
  const n = gids.length;

  // CFF: header, Name, Top DICT, String, Global Subr INDEXes, then charset, CharStrings, Private
  const header = Buffer.from([1, 0, 4, 4]);
  const name = writeIndex([Buffer.from('SubsetFont', 'latin1')]);
  const strings = writeIndex(Array.from({ length: n - 1 }, (_, i) => Buffer.from(`g${i + 1}`, 'latin1')));
  const globalSubrs = writeIndex([]);
  // charset format 2: one range, glyphs 1.. named by the custom strings (SIDs from 391)
  const charset = n > 1 ? Buffer.from([2, 391 >> 8, 391 & 0xff, (n - 2) >> 8, (n - 2) & 0xff]) : Buffer.from([0]);
  const charStrings = writeIndex(gids.map((g) => source.flatCharString(g)));
  const priv = Buffer.from([139, 20, 139, 21]); // defaultWidthX 0, nominalWidthX 0 (advances come from hmtx)
  const topLength = 3 * 5 + 5 + 3; // charset, CharStrings, Private (size, offset): 5-byte operands and their operators
  const topIndexLength = 2 + 1 + 2 + topLength;
  const charsetAt = header.length + name.length + topIndexLength + strings.length + globalSubrs.length;
  const charStringsAt = charsetAt + charset.length;
  const privAt = charStringsAt + charStrings.length;
  const top = Buffer.concat([int32(charsetAt), Buffer.from([15]), int32(charStringsAt), Buffer.from([17]), int32(priv.length), int32(privAt), Buffer.from([18])]);
  const topIndex = writeIndex([top]);
  if (topIndex.length !== topIndexLength || top.length !== topLength) throw new Error('CFF: Top DICT size');
  const cff = Buffer.concat([header, name, topIndex, strings, globalSubrs, charset, charStrings, priv]);

  const head = Buffer.from(source.slice('head'));
  head.writeUInt32BE(0, 8); // checkSumAdjustment, set below
  const hhea = Buffer.from(source.slice('hhea'));
  hhea.writeUInt16BE(n, 34);
  const maxp = Buffer.alloc(6);
  maxp.writeUInt32BE(0x00005000, 0);
  maxp.writeUInt16BE(n, 4);
  const hmtx = Buffer.alloc(4 * n);
  gids.forEach((g, i) => {
    const [advance, lsb] = source.metrics(g);
    hmtx.writeUInt16BE(advance, 4 * i);
    hmtx.writeInt16BE(lsb, 4 * i + 2);
  });
  // cmap: one format 12 subtable (Windows, full Unicode), one group per character
  const cmapTable = Buffer.alloc(12 + 16 + 12 * cmap.length);
  cmapTable.writeUInt16BE(0, 0);
  cmapTable.writeUInt16BE(1, 2);
  cmapTable.writeUInt16BE(3, 4);
  cmapTable.writeUInt16BE(10, 6);
  cmapTable.writeUInt32BE(12, 8);
  cmapTable.writeUInt16BE(12, 12);
  cmapTable.writeUInt32BE(16 + 12 * cmap.length, 16);
  cmapTable.writeUInt32BE(cmap.length, 24);
  cmap.forEach(([c, g], i) => {
    cmapTable.writeUInt32BE(c, 28 + 12 * i);
    cmapTable.writeUInt32BE(c, 32 + 12 * i);
    cmapTable.writeUInt32BE(g, 36 + 12 * i);
  });
  const post = Buffer.from(source.slice('post').subarray(0, 32));
  post.writeUInt32BE(0x00030000, 0);

  const tables: [string, Buffer][] = [
    ['CFF ', cff],
    ['OS/2', source.slice('OS/2')],
    ['cmap', cmapTable],
    ['head', head],
    ['hhea', hhea],
    ['hmtx', hmtx],
    ['maxp', maxp],
    ['name', source.slice('name')],
    ['post', post],
  ];
  const dir = Buffer.alloc(12 + 16 * tables.length);
  dir.write('OTTO', 0, 'latin1');
  dir.writeUInt16BE(tables.length, 4);
  const p2 = 2 ** Math.floor(Math.log2(tables.length));
  dir.writeUInt16BE(p2 * 16, 6);
  dir.writeUInt16BE(Math.log2(p2), 8);
  dir.writeUInt16BE(tables.length * 16 - p2 * 16, 10);
  const parts: Buffer[] = [dir];
  let offset = dir.length;
  tables.forEach(([tag, data], i) => {
    dir.write(tag, 12 + 16 * i, 'latin1');
    dir.writeUInt32BE(checksum(data), 16 + 16 * i);
    dir.writeUInt32BE(offset, 20 + 16 * i);
    dir.writeUInt32BE(data.length, 24 + 16 * i);
    const padded = data.length % 4 ? Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]) : data;
    parts.push(padded);
    offset += padded.length;
  });
  const font = Buffer.concat(parts);
  const headAt = dir.readUInt32BE(20 + 16 * 3);
  font.writeUInt32BE((0xb1b0afba - checksum(font)) >>> 0, headAt + 8);
  return font;
}

/** Characters every chart has a good chance to need: printable ASCII, CJK punctuation and the usual chart words. */
const BASE_CHARS = (() => {
  const out: number[] = [];
  for (let c = 0x20; c < 0x7f; c++) out.push(c);
  for (const ch of '，。、：；（）【】《》“”‘’—…·％年月日镇村单位帮扶责任人户按进度落后逾期未走访入') out.push(ch.codePointAt(0)!);
  return out;
})();

/** Characters outside printable ASCII (BASE_CHARS holds all of it), whole code points. */
const OUTSIDE_ASCII = /[^\x00-\x7e]/gu;

/**
 * Subset font files for a set of source fonts, kept for the process: `filesFor(text)` returns paths of fonts that
 * cover every character of `text` (and of every earlier call), cutting new subsets only when a character is new.
 */
export class SubsetFonts {
  private sources: SourceFont[] | undefined;
  private readonly chars = new Set<number>(BASE_CHARS);
  private files: string[] | undefined;

  constructor(private readonly sourceFiles: () => string[]) {}

  filesFor(text: string): string[] {
    let grew = false;
    // printable ASCII is always in the cut: only the rest of an SVG's characters are looked up (a chart's SVG is
    // mostly ASCII markup, and walking all of it cost about 1.4 ms a chart)
    for (const [ch] of text.matchAll(OUTSIDE_ASCII)) {
      const c = ch.codePointAt(0)!;
      if (!this.chars.has(c)) {
        this.chars.add(c);
        grew = true;
      }
    }
    if (this.files && !grew) return this.files;
    this.sources ??= this.sourceFiles().map((f) => new SourceFont(readFileSync(f)));
    const chars = [...this.chars];
    const before = this.files ?? [];
    this.files = this.sources.map((source, i) => {
      const bytes = subsetFont(source, chars);
      const file = path.join(tmpdir(), `bangfu-font-${process.pid}-${i}-${createHash('sha1').update(bytes).digest('hex').slice(0, 12)}.otf`);
      // written aside and renamed: a render in progress never reads half a font
      writeFileSync(`${file}.tmp`, bytes, { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
      return file;
    });
    // the smaller subsets are covered by the new ones (a render that started with one has read it already)
    for (const f of before) if (!this.files.includes(f)) tryUnlink(f);
    return this.files;
  }

  /** Source font `index` (0 regular, 1 bold), parsed once for the process. */
  source(index: number): SourceFont {
    this.sources ??= this.sourceFiles().map((f) => new SourceFont(readFileSync(f)));
    return this.sources[index];
  }

  /**
   * The width of `text` in em as drawn with source font `index` (advances summed, no kerning: what resvg lays out for
   * CJK and digits). A character the font lacks counts as one em (the box resvg would leave).
   */
  emWidth(text: string, index: number): number {
    const source = this.source(index);
    let units = 0;
    for (const ch of text) units += source.advanceOf(ch.codePointAt(0)!) ?? source.unitsPerEm;
    return units / source.unitsPerEm;
  }
}

function tryUnlink(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // gone already
  }
}
