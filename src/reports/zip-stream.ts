/**
 * A zip file written front to back: each entry is deflated as its bytes arrive and followed by a data descriptor
 * (sizes and CRC known only at its end), then the central directory. Memory holds one entry's pending chunk, never
 * the file, so an export's memory does not grow with its rows. No zip64: an entry or the file over 4 GB is refused.
 */
import { once } from 'node:events';
import { closeSync, createWriteStream, openSync, readSync, rmSync, type WriteStream } from 'node:fs';
import { crc32, createDeflateRaw, type DeflateRaw } from 'node:zlib';

const LIMIT = 0xffffffff;
const COPY_CHUNK = 1 << 20;
/** Input buffers per deflater, and their size: several chunks of sheet XML (about 16,000 characters each) fill one. */
const FEED_BUFFERS = 4;
const FEED_BYTES = 128 * 1024;

/**
 * Text into a deflater through a few reused buffers. The deflater works on the thread pool: up to FEED_BUFFERS
 * buffers are queued, so the rows of the next chunks are made while earlier ones are deflated (waiting for each chunk
 * to drain, at the stream's 16 KB mark, left the main thread idle for a quarter of the export). Chunks are encoded
 * into the current buffer until it is full, and only a full buffer goes to the deflater: each hand-over wakes a
 * thread-pool thread, and on busy shared cores the main thread lost its turn at about one wake-up in ten. A buffer is
 * reused once the deflater has consumed it, so the queue makes no garbage: a fresh Buffer per chunk, freed only at
 * the next collection, made tens of MB of RSS.
 */
class DeflateFeed {
  crc = 0;
  size = 0;
  private readonly free: Buffer[] = [];
  private made = 0;
  private waiting: (() => void) | undefined;
  failed: Error | undefined;
  /** the buffer being filled, and how many of its bytes are */
  private current: Buffer | undefined;
  private used = 0;

  constructor(private readonly deflate: DeflateRaw) {
    // a failed deflater may never hand a buffer back: the writer waiting for one is woken to throw
    deflate.once('error', (e) => {
      this.failed = e;
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }

  /** Queues bytes for the deflater; `pooled` goes back to the free list once they are consumed. */
  private submit(buf: Buffer, pooled?: Buffer): void {
    this.crc = crc32(buf, this.crc);
    this.size += buf.length;
    if (this.size > LIMIT) throw new Error('zip: an entry over 4 GB');
    this.deflate.write(buf, () => {
      if (!pooled) return;
      this.free.push(pooled);
      this.wake();
    });
  }

  /** Hands the partly filled buffer to the deflater (before the entry ends). */
  flush(): void {
    if (this.current && this.used) this.submit(this.current.subarray(0, this.used), this.current);
    else if (this.current) this.free.push(this.current);
    this.current = undefined;
    this.used = 0;
  }

  async write(data: string | Buffer): Promise<void> {
    if (this.failed) throw this.failed;
    if (typeof data !== 'string' || data.length * 3 > FEED_BYTES) {
      // a whole small part, or an unusually long chunk: after what is pending, as its own buffer
      this.flush();
      this.submit(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      // not one of the feed's buffers: wait for the deflater as a plain stream write would (many such chunks in a
      // row were an unbounded queue: 550 MB with buffers of 32 KB)
      if (this.deflate.writableNeedDrain) await once(this.deflate, 'drain');
      return;
    }
    // at most 3 bytes of UTF-8 per UTF-16 unit: the chunk surely fits in what is left, or the buffer goes
    if (this.current && this.used + data.length * 3 > FEED_BYTES) this.flush();
    if (!this.current) {
      while (!this.free.length && this.made >= FEED_BUFFERS && !this.failed) await new Promise<void>((resolve) => (this.waiting = resolve));
      if (this.failed) throw this.failed;
      this.current = this.free.pop() ?? (this.made++, Buffer.allocUnsafe(FEED_BYTES));
      this.used = 0;
    }
    this.used += this.current.write(data, this.used, 'utf8');
  }
}
/** General purpose flags: bit 3 (sizes in a data descriptor after the data), bit 11 (names are UTF-8). */
const FLAGS = 0x0808;

interface Written {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** DOS time and date of an instant, in local time as zip tools show it. */
function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((Math.max(1980, d.getFullYear()) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

export class ZipStream {
  private readonly out: WriteStream;
  private offset = 0;
  private readonly entries: Written[] = [];
  private readonly stamp = dosTime(new Date());
  /** one buffer for every part copied in (a fresh megabyte per part was garbage outside the heap until a collection) */
  private copyBuffer: Buffer | undefined;
  private current: { name: Buffer; deflate: DeflateRaw; feed: DeflateFeed; compressed: number; offset: number; done: Promise<void> } | undefined;

  constructor(file: string, mode = 0o600, private readonly level = 6) {
    this.out = createWriteStream(file, { mode });
  }

  private async raw(buf: Buffer): Promise<void> {
    this.offset += buf.length;
    if (!this.out.write(buf)) await once(this.out, 'drain');
  }

  private async localHeader(name: string): Promise<{ nameBytes: Buffer; offset: number }> {
    const nameBytes = Buffer.from(name, 'utf8');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(FLAGS, 6);
    header.writeUInt16LE(8, 8);
    header.writeUInt16LE(this.stamp.time, 10);
    header.writeUInt16LE(this.stamp.date, 12);
    header.writeUInt16LE(nameBytes.length, 26);
    const offset = this.offset;
    await this.raw(Buffer.concat([header, nameBytes]));
    return { nameBytes, offset };
  }

  private async descriptor(e: Written): Promise<void> {
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(e.crc >>> 0, 4);
    descriptor.writeUInt32LE(e.compressed, 8);
    descriptor.writeUInt32LE(e.size, 12);
    await this.raw(descriptor);
    this.entries.push({ ...e, crc: e.crc >>> 0 });
  }

  /** Starts an entry; write its bytes with {@link write}, then {@link endEntry}. */
  async startEntry(name: string): Promise<void> {
    if (this.current) throw new Error('zip: an entry is open');
    const { nameBytes, offset } = await this.localHeader(name);
    const deflate = createDeflateRaw({ level: this.level });
    const entry = { name: nameBytes, deflate, feed: new DeflateFeed(deflate), compressed: 0, offset, done: Promise.resolve() };
    // deflated chunks go to the file as they come; a slow disk pauses the deflater (and so, through write(), the rows)
    deflate.on('data', (chunk: Buffer) => {
      entry.compressed += chunk.length;
      this.offset += chunk.length;
      if (!this.out.write(chunk)) {
        deflate.pause();
        this.out.once('drain', () => deflate.resume());
      }
    });
    entry.done = once(deflate, 'end').then(() => undefined);
    this.current = entry;
  }

  /** Adds bytes to the open entry; resolves when the deflater can take more (a buffer of the feed is free). */
  async write(data: string | Buffer): Promise<void> {
    const e = this.current;
    if (!e) throw new Error('zip: no entry is open');
    await e.feed.write(data);
  }

  /** Ends the open entry: the rest of its deflated bytes, then its data descriptor. */
  async endEntry(): Promise<void> {
    const e = this.current;
    if (!e) throw new Error('zip: no entry is open');
    e.feed.flush();
    e.deflate.end();
    await e.done;
    this.current = undefined;
    await this.descriptor({ name: e.name, crc: e.feed.crc, compressed: e.compressed, size: e.feed.size, offset: e.offset });
  }

  /** Adds an entry deflated beforehand into a file of its own ({@link DeflatedPart}), then removes that file. */
  async addPart(name: string, part: DeflatedPart): Promise<void> {
    if (this.current) throw new Error('zip: an entry is open');
    const { nameBytes, offset } = await this.localHeader(name);
    // through one buffer, each write finished before the next read: a read stream's fresh 64 KB chunks, freed only
    // at the next collection, made 37 MB of the all-cards export's peak RSS while its five side sheets were copied
    const buf = (this.copyBuffer ??= Buffer.allocUnsafe(COPY_CHUNK));
    const fd = openSync(part.file, 'r');
    try {
      for (let n; (n = readSync(fd, buf, 0, COPY_CHUNK, null)) > 0; ) {
        this.offset += n;
        await new Promise<void>((resolve, reject) => this.out.write(buf.subarray(0, n), (e) => (e ? reject(e) : resolve())));
      }
    } finally {
      closeSync(fd);
    }
    rmSync(part.file, { force: true });
    await this.descriptor({ name: nameBytes, crc: part.crc, compressed: part.compressed, size: part.size, offset });
  }

  /** A whole entry at once (the small parts: workbook, styles, relationships). */
  async entry(name: string, data: string): Promise<void> {
    await this.startEntry(name);
    await this.write(data);
    await this.endEntry();
  }

  /** The central directory and its end record; resolves once the file is closed. */
  async close(): Promise<void> {
    if (this.current) throw new Error('zip: an entry is open');
    const start = this.offset;
    for (const e of this.entries) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(20, 4);
      h.writeUInt16LE(20, 6);
      h.writeUInt16LE(FLAGS, 8);
      h.writeUInt16LE(8, 10);
      h.writeUInt16LE(this.stamp.time, 12);
      h.writeUInt16LE(this.stamp.date, 14);
      h.writeUInt32LE(e.crc, 16);
      h.writeUInt32LE(e.compressed, 20);
      h.writeUInt32LE(e.size, 24);
      h.writeUInt16LE(e.name.length, 28);
      h.writeUInt32LE(e.offset, 42);
      await this.raw(Buffer.concat([h, e.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    if (this.offset > LIMIT) throw new Error('zip: a file over 4 GB');
    await this.raw(end);
    this.out.end();
    await once(this.out, 'close');
  }

  /** Stops writing (on an error); the partial file is left for the caller to remove. */
  destroy(): void {
    this.current?.deflate.destroy();
    this.out.destroy();
  }
}

/**
 * An entry's bytes deflated into a temporary file of their own while another entry is being written (one pass over
 * the rows can then fill several sheets); {@link ZipStream.addPart} copies it into the zip afterwards.
 */
export class DeflatedPart {
  compressed = 0;
  private readonly deflate: DeflateRaw;
  private readonly feed: DeflateFeed;
  private readonly out: WriteStream;
  private readonly done: Promise<unknown>;

  constructor(readonly file: string, level = 6) {
    this.deflate = createDeflateRaw({ level });
    this.deflate.on('data', (chunk: Buffer) => (this.compressed += chunk.length));
    this.out = createWriteStream(file, { mode: 0o600 });
    this.deflate.pipe(this.out);
    this.done = once(this.out, 'close');
    this.feed = new DeflateFeed(this.deflate);
    // a failed deflater ends nothing: the file is closed so end() returns, and throws
    this.deflate.once('error', () => this.out.destroy());
  }

  get crc(): number {
    return this.feed.crc;
  }

  get size(): number {
    return this.feed.size;
  }

  async write(data: string): Promise<void> {
    await this.feed.write(data);
  }

  async end(): Promise<void> {
    this.feed.flush();
    this.deflate.end();
    await this.done;
    if (this.feed.failed) throw this.feed.failed;
  }

  /** Stops (on an error) and removes the file (once closed: it may be opened only now). */
  destroy(): void {
    this.deflate.destroy();
    this.out.once('close', () => rmSync(this.file, { force: true }));
    this.out.destroy();
    rmSync(this.file, { force: true });
  }
}
