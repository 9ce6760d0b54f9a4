import { fdatasyncSync, fsyncSync, openSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Db } from './client.js';

/**
 * Durability moved from inside each commit to just before the outside world hears of it.
 *
 * With `synchronous=FULL` SQLite syncs the WAL inside every commit, and only then does the bot draw its reply. Here the
 * connection commits at NORMAL (the WAL is written, not yet synced) and a thread of its own syncs the WAL file while
 * the bot draws the reply; nothing leaves the process before the sync covering every write so far has finished: each
 * Bot API call (replies, pushes, and the next getUpdates that confirms an update) and each web response waits in
 * `makeDurable`. Whatever a person or Telegram is told was kept survives a power cut, as at FULL. WAL recovery keeps
 * a prefix of the commits, so a cut before the sync loses only writes nobody was told of.
 *
 * The thread sleeps until an update arrives (`expectWrite`), then watches for the commit for a few milliseconds, so
 * the sync starts at once instead of after waking a sleeping thread (on a virtual machine that costs about as much
 * as the overlap gains). Which writes are covered is counted with SQLite's total_changes() of this connection, so a
 * write that does not announce itself is still synced before the next message.
 */

// Int32 slots shared with the thread
const WAKE = 0; // bumped to wake it: an update arrived, or a sync is asked for
const ASKED = 1; // the latest sync asked for
const DONE = 2; // the latest sync finished
const FAILED = 3; // the errno of the latest failed sync, 0 if it succeeded
const WATCH_MS = 2;

// plain JavaScript evaluated in the thread (no module to bundle or find at run time)
const THREAD = `
const { workerData } = require('node:worker_threads');
const { fdatasyncSync } = require('node:fs');
const s = new Int32Array(workerData.shared);
const fd = workerData.fd;
const nap = new Int32Array(new SharedArrayBuffer(4));
let wake = Atomics.load(s, ${WAKE});
for (;;) {
  if (Atomics.load(s, ${ASKED}) === Atomics.load(s, ${DONE})) Atomics.wait(s, ${WAKE}, wake);
  wake = Atomics.load(s, ${WAKE});
  const until = Date.now() + ${WATCH_MS};
  let asked = Atomics.load(s, ${ASKED});
  while (asked === Atomics.load(s, ${DONE}) && Date.now() < until) asked = Atomics.load(s, ${ASKED});
  if (asked === Atomics.load(s, ${DONE})) continue;
  if (workerData.slowMs) Atomics.wait(nap, 0, 0, workerData.slowMs);
  try {
    fdatasyncSync(fd);
    Atomics.store(s, ${FAILED}, 0);
  } catch (e) {
    Atomics.store(s, ${FAILED}, e.errno ? -e.errno : 1);
  }
  Atomics.store(s, ${DONE}, asked);
  Atomics.notify(s, ${DONE});
  wake = Atomics.load(s, ${WAKE}); // the wake that asked for this sync is spent: sleep until the next one
}
`;

interface Deferred {
  fd: number;
  shared: Int32Array;
  thread?: Worker;
  /** changes known to be on disk */
  synced: number;
  /** the last sync asked for and the change count it covers */
  asked: number;
  covers: number;
  /** syncs done on this thread (no sync thread, or it failed) */
  here: number;
  totalChanges(): number;
}

const deferred = new WeakMap<Db, Deferred>();

/**
 * Switches a connection from syncing in each commit to syncing before each reply. False (nothing changed) for an
 * in-memory database. `slowSyncMsForTests` holds each sync back (the waiting side's slow path, tested).
 */
export function deferSyncs(db: Db, path: string, opts: { slowSyncMsForTests?: number } = {}): boolean {
  if (path === ':memory:' || deferred.has(db)) return false;
  // the WAL exists once the connection has read; kept open for good: SQLite deletes or replaces it only when the last
  // connection to the database closes, and this one stays open. fdatasync is per file, so this descriptor covers
  // what SQLite writes through its own.
  db.$client.prepare('SELECT count(*) FROM sqlite_master').get();
  const fd = openSync(`${path}-wal`, 'r');
  // the WAL's directory entry on disk once, as SQLite does when it first syncs a new WAL
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
  db.$client.pragma('synchronous = NORMAL');
  const count = db.$client.prepare('SELECT total_changes()').pluck();
  const d: Deferred = { fd, shared: new Int32Array(new SharedArrayBuffer(16)), synced: 0, asked: 0, covers: 0, here: 0, totalChanges: () => count.get() as number };
  d.synced = d.totalChanges();
  try {
    d.thread = new Worker(THREAD, { eval: true, workerData: { shared: d.shared.buffer, fd, slowMs: opts.slowSyncMsForTests ?? 0 } });
    d.thread.unref();
    d.thread.on('error', () => (d.thread = undefined));
    d.thread.on('exit', () => (d.thread = undefined));
  } catch {
    d.thread = undefined; // syncs run on this thread, as at FULL
  }
  deferred.set(db, d);
  return true;
}

/** An update arrived that may write: the sync thread wakes and watches for the commit. */
export function expectWrite(db: Db): void {
  const d = deferred.get(db);
  if (d?.thread) wake(d);
}

/** Right after a commit: the sync starts now, on its thread, while the reply is drawn. */
export function startSync(db: Db): void {
  const d = deferred.get(db);
  if (d?.thread) ask(d, d.totalChanges());
}

/**
 * Returns once every write of this connection so far is on disk (at once when nothing is outstanding). Throws when
 * the sync failed: the caller's message must not go out.
 */
export function makeDurable(db: Db): void {
  const d = deferred.get(db);
  if (!d) return;
  const n = d.totalChanges();
  if (n <= d.synced) return;
  if (!d.thread) return syncHere(d, n);
  if (d.covers < n) ask(d, n);
  const asked = d.asked;
  const covers = d.covers;
  const waited = waitForSync(asked, () => Atomics.load(d.shared, DONE), (seen, ms) => Atomics.wait(d.shared, DONE, seen, ms));
  if (waited === 'stuck') return syncHere(d, n); // sync here rather than hold the message for good
  const failed = Atomics.load(d.shared, FAILED);
  if (failed !== 0 && Atomics.load(d.shared, DONE) === asked) return syncHere(d, n); // try once more here; throws if it fails again
  if (covers > d.synced) d.synced = covers;
}

/**
 * Waits until the count of finished syncs reaches `asked`: watched for WATCH_MS (the sync takes a few hundred
 * microseconds, and waking a sleeping thread costs more), then slept on. 'stuck' when nothing finished for 5 s.
 * Each round reads the count once and sleeps only while it still has exactly that value: reading it again for the
 * sleep, a sync finished between the two reads would leave the caller asleep for a change that never comes.
 */
export function waitForSync(
  asked: number,
  read: () => number,
  sleep: (seen: number, ms: number) => 'ok' | 'not-equal' | 'timed-out',
  now: () => number = () => performance.now(),
): 'done' | 'stuck' {
  const until = now() + WATCH_MS;
  for (;;) {
    const done = read();
    if (done >= asked) return 'done';
    if (now() > until && sleep(done, 5_000) === 'timed-out' && read() < asked) return 'stuck';
  }
}

function wake(d: Deferred): void {
  Atomics.add(d.shared, WAKE, 1);
  Atomics.notify(d.shared, WAKE, 1);
}

function ask(d: Deferred, n: number): void {
  if (n <= d.synced || n <= d.covers) return;
  d.asked += 1;
  d.covers = n;
  Atomics.store(d.shared, ASKED, d.asked);
  wake(d);
}

function syncHere(d: Deferred, n: number): void {
  fdatasyncSync(d.fd);
  d.here += 1;
  if (n > d.synced) d.synced = n;
}

/** Writes of this connection not yet known to be on disk (0 when it syncs in its commits). */
export function unsyncedChanges(db: Db): number {
  const d = deferred.get(db);
  return d ? Math.max(0, d.totalChanges() - d.synced) : 0;
}

/** Syncs done by the sync thread and on the caller's thread, for tests and `/metrics`-like checks. */
export function syncCounts(db: Db): { thread: number; here: number } {
  const d = deferred.get(db);
  return { thread: d ? Atomics.load(d.shared, DONE) : 0, here: d?.here ?? 0 };
}

/**
 * Before the connection closes: what it wrote goes to disk, the sync thread ends and the WAL's descriptor is closed.
 * Later calls sync nothing (SQLite's close checkpoints and syncs what is left).
 */
export async function stopSyncs(db: Db): Promise<void> {
  const d = deferred.get(db);
  if (!d) return;
  makeDurable(db);
  await endSyncThread(db);
  deferred.delete(db);
  closeSync(d.fd);
}

/** Ends the sync thread, as when it dies: the syncs go on, on the caller's thread. */
export async function endSyncThread(db: Db): Promise<void> {
  const d = deferred.get(db);
  const thread = d?.thread;
  if (!d || !thread) return;
  d.thread = undefined;
  await thread.terminate();
}
