/**
 * The zip writer's deflaters are fed through a few reused buffers while earlier chunks are still being deflated:
 * a buffer reused too early would corrupt the entry, a feed that waits for a buffer a dead deflater never returns
 * would hang the export. Entries are read back with yauzl and compared byte for byte, CRCs included.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { afterAll, describe, expect, it } from 'vitest';
import { DeflatedPart, ZipStream } from '../../src/reports/zip-stream.js';

const dir = mkdtempSync(path.join(tmpdir(), 'zip-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every entry of a zip: name → bytes and the CRC its central directory records. */
function readZip(file: string): Promise<Map<string, { data: Buffer; crc: number }>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, { data: Buffer; crc: number }>();
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('entry', (e: yauzl.Entry) => {
        zip.openReadStream(e, (err2, s) => {
          if (err2) return reject(err2);
          const parts: Buffer[] = [];
          s.on('data', (b: Buffer) => parts.push(b));
          s.on('end', () => {
            out.set(e.fileName, { data: Buffer.concat(parts), crc: e.crc32 });
            zip.readEntry();
          });
          s.on('error', reject);
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Chunks that differ from each other (a reused buffer overwritten early shows), some multibyte, some long. */
function chunks(n: number, salt: string): string[] {
  return Array.from({ length: n }, (_, i) =>
    i % 97 === 0
      ? `<长块 i="${i}">${'帮扶'.repeat(12_000 + i)}</长块>` // past the feed's buffers: written as its own buffer
      : `<row r="${i}" s="${salt}">${'户主'.repeat(i % 50)}${i * 7919}${'x'.repeat((i * 31) % 4000)}</row>`,
  );
}

describe('ZipStream and DeflatedPart', () => {
  it('entries written chunk after chunk, faster than they are deflated, read back byte for byte with their CRCs', async () => {
    const file = path.join(dir, 'many.zip');
    const zip = new ZipStream(file, 0o600, 4);
    const streamed = chunks(600, 'a');
    const side = chunks(500, 'b');
    const part = new DeflatedPart(path.join(dir, 'many.zip.part'), 4);
    await zip.startEntry('main.xml');
    // interleaved as the all-cards export writes its main sheet and a repeat's sheet
    for (let i = 0; i < streamed.length; i++) {
      await zip.write(streamed[i]);
      if (i < side.length) await part.write(side[i]);
    }
    await zip.endEntry();
    await part.end();
    await zip.addPart('side.xml', part);
    await zip.entry('small.xml', '<小/>');
    await zip.close();

    const entries = await readZip(file);
    expect([...entries.keys()]).toEqual(['main.xml', 'side.xml', 'small.xml']);
    for (const [name, text] of [['main.xml', streamed.join('')], ['side.xml', side.join('')], ['small.xml', '<小/>']] as const) {
      const want = Buffer.from(text, 'utf8');
      const got = entries.get(name)!;
      expect(got.data.length, name).toBe(want.length);
      expect(got.data.equals(want), name).toBe(true);
      expect(got.crc, name).toBe(crc32(want) >>> 0);
    }
  });

  it('chunks too long for a feed buffer still wait for the deflater (no queue that grows with the rows)', async () => {
    const file = path.join(dir, 'long.zip');
    const zip = new ZipStream(file, 0o600, 4);
    await zip.startEntry('long.xml');
    // 300 chunks of 200,000 characters (60 MB) that compress poorly, each longer than a feed buffer takes
    let seed = 7;
    const chunk = Array.from({ length: 200_000 }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 36).toString(36)).join('');
    let halfway = 0;
    for (let i = 0; i < 300; i++) {
      await zip.write(chunk);
      if (i === 150) halfway = statSync(file).size;
    }
    await zip.endEntry();
    await zip.close();
    // the writer waited for the deflater, so half the chunks in, much of them is on disk (a writer that did not wait
    // queued them all in memory and wrote nothing yet)
    expect(halfway / statSync(file).size).toBeGreaterThan(0.25);
  });

  it('a writer whose deflater was destroyed is not left waiting for a buffer', async () => {
    const zip = new ZipStream(path.join(dir, 'destroyed.zip'), 0o600, 4);
    await zip.startEntry('x.xml');
    zip.destroy();
    const settled = (async () => {
      try {
        for (const c of chunks(100, 'c')) await zip.write(c);
        return 'resolved';
      } catch {
        return 'rejected';
      }
    })();
    const timeout = new Promise((resolve) => setTimeout(() => resolve('hung'), 3000));
    expect(await Promise.race([settled, timeout])).not.toBe('hung');
  });

  it('a side part whose deflater fails rejects at its end instead of hanging', async () => {
    const part = new DeflatedPart(path.join(dir, 'failed.part'), 4);
    for (const c of chunks(20, 'd')) await part.write(c);
    // zlib failing mid-stream (out of memory, say), as the stream reports it
    (part as unknown as { deflate: { destroy(e: Error): void } }).deflate.destroy(new Error('zlib failed'));
    const ended = part.end().then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    const timeout = new Promise((resolve) => setTimeout(() => resolve('hung'), 3000));
    expect(await Promise.race([ended, timeout])).toBe('zlib failed');
    part.destroy();
  });
});
