/**
 * Writes zip files by hand for hostile-file tests: honest ones, bombs (a deflate segment repeated, ~1 KB per MB
 * inflated) and ones whose headers lie about the inflated size. No zip64: parts stay under 4 GB.
 */
import { constants, crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

export interface ZipPart {
  name: string;
  /** compressed bytes (raw deflate) */
  deflated: Buffer;
  crc: number;
  size: number;
  /** what the headers claim (defaults to the truth) */
  declaredSize?: number;
}

export function part(name: string, text: string | Buffer): ZipPart {
  const data = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return { name, deflated: deflateRawSync(data), crc: crc32(data), size: data.length };
}

/** `prefix` + `megabytes` MB of spaces + `suffix`, deflated cheaply by repeating one fully flushed segment. */
export async function bombPart(name: string, prefix: string, megabytes: number, suffix: string): Promise<ZipPart> {
  const block = Buffer.alloc(1 << 20, 0x20);
  const d = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  d.on('data', (c: Buffer) => out.push(c));
  const flushed = (data: Buffer) =>
    new Promise<Buffer>((resolve) => {
      out.length = 0;
      d.write(data);
      d.flush(constants.Z_FULL_FLUSH, () => resolve(Buffer.concat(out)));
    });
  const head = await flushed(Buffer.from(prefix));
  const seg = await flushed(block);
  const tail = deflateRawSync(Buffer.from(suffix));
  d.close();
  let crc = crc32(Buffer.from(prefix));
  for (let i = 0; i < megabytes; i++) crc = crc32(block, crc);
  crc = crc32(Buffer.from(suffix), crc);
  const segs = Buffer.concat(Array.from({ length: megabytes }, () => seg));
  return { name, deflated: Buffer.concat([head, segs, tail]), crc, size: prefix.length + megabytes * (1 << 20) + Buffer.byteLength(suffix) };
}

export function writeZip(file: string, parts: ZipPart[]): void {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const size = p.declaredSize ?? p.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(p.deflated.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, p.deflated);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(p.crc >>> 0, 16);
    central.writeUInt32LE(p.deflated.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + p.deflated.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(file, Buffer.concat([...locals, cd, end]));
}

/** The parts every .xlsx needs besides its sheet. */
export function xlsxSkeleton(): ZipPart[] {
  return [
    part('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    part('xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns:r="r"><sheets><sheet name="题库" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    part('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'),
  ];
}
