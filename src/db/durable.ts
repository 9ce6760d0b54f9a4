import { availableParallelism } from 'node:os';
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
 * Bot API call (replies, notices, pushes) and each web answer (dashboard, webhook acknowledgement) waits in
 * `makeDurable`, and a backup copies only what is on disk. Whatever a person or Telegram is told was kept survives a
 * power cut, as at FULL. WAL recovery keeps a prefix of the commits, so a cut before the sync loses only writes nobody
 * was told of.
 *
 * The thread sleeps until an update arrives (`expectWrite`), then watches for the commit for a few milliseconds, so
 * the sync starts at once instead of after waking a sleeping thread (on a virtual machine that costs about as much
 * as the overlap gains); with a single CPU nobody watches (the watch would take the CPU from the commit it waits for).
 * Which writes are covered is counted with SQLite's total_changes() of this connection, so a write that does not
 * announce itself is still synced before the next message.
 *
 * A failed sync is final: the kernel reports a lost write-back once, so syncing again would answer "done" for pages it
 * dropped. Every later `makeDurable` throws (nothing is confirmed any more) and `syncFailure` says why, for /healthz.
 */

// Int32 slots shared with the thread. The counters wrap around at 2^31 and are compared modulo 2^32.
const WAKE = 0; // bumped to wake it: an update arrived, or a sync is asked for
const ASKED = 1; // the latest sync asked for
const DONE = 2; // the latest sync answered
const FAILED = 3; // the errno of a failed sync (kept: a failure is final), 0 while none failed
/** how long the thread watches for a commit after a wake, and the caller for the sync before it sleeps */
const WATCH_MS = availableParallelism() >= 2 ? 2 : 0;
/** a sync not answered in this time: the thread is taken for dead and the caller syncs */
const STUCK_MS = 500;

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
  if (Atomics.load(s, ${FAILED}) === 0) {
    try {
      fdatasyncSync(fd);
    } catch (e) {
      Atomics.store(s, ${FAILED}, e.errno ? -e.errno : 1);
    }
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
  /** the last sync asked for (an int32, wrapping) and the change count it covers */
  asked: number;
  covers: number;
  /** syncs done on the caller's thread (no sync thread, or it stopped answering) */
  here: number;
  /** why syncing failed, for good */
  failure?: string;
  inTransaction(): boolean;
  totalChanges(): number;
}

const deferred = new WeakMap<Db, Deferred>();

/** Nothing written is confirmed any more: a sync failed (the disk or file system lost a write). */
export class SyncFailed extends Error {}

/**
 * Switches a connection from syncing in each commit to syncing before each reply. False (nothing changed) for an
 * in-memory database. For tests: `slowSyncMsForTests` holds each sync of the thread back; `failSyncsForTests` makes
 * every sync fail as a lost write-back would.
 */
export function deferSyncs(db: Db, path: string, opts: { slowSyncMsForTests?: number; failSyncsForTests?: boolean } = {}): boolean {
  if (path === ':memory:' || deferred.has(db)) return false;
  const main = mainFile(db);
  if (!main) return false;
  // the WAL exists once the connection has read; kept open for good: SQLite deletes or replaces it only when the last
  // connection to the database closes, and this one stays open. fdatasync is per file, so this descriptor covers
  // what SQLite writes through its own.
  db.$client.prepare('SELECT count(*) FROM sqlite_master').get();
  const fd = openSync(`${main}-wal`, 'r');
  // the WAL's directory entry on disk once, as SQLite does when it first syncs a new WAL
  const dir = openSync(dirname(main), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
  db.$client.pragma('synchronous = NORMAL');
  const count = db.$client.prepare('SELECT total_changes()').pluck();
  const d: Deferred = {
    fd: opts.failSyncsForTests ? -1 : fd,
    shared: new Int32Array(new SharedArrayBuffer(16)),
    synced: 0, asked: 0, covers: 0, here: 0,
    inTransaction: () => db.$client.inTransaction,
    totalChanges: () => count.get() as number,
  };
  if (opts.failSyncsForTests) closeSync(fd);
  d.synced = d.totalChanges();
  try {
    const thread = new Worker(THREAD, { eval: true, workerData: { shared: d.shared.buffer, fd: d.fd, slowMs: opts.slowSyncMsForTests ?? 0 } });
    thread.unref();
    const gone = () => {
      if (d.thread === thread) d.thread = undefined;
    };
    thread.on('error', gone);
    thread.on('exit', gone);
    d.thread = thread;
  } catch {
    d.thread = undefined; // syncs run on the caller's thread, as at FULL
  }
  deferred.set(db, d);
  return true;
}

/** The file SQLite opened for the connection (a symlink resolved): its WAL lies beside it. */
function mainFile(db: Db): string | undefined {
  return (db.$client.pragma('database_list') as { name: string; file: string }[]).find((x) => x.name === 'main')?.file || undefined;
}

/** An update arrived that may write: the sync thread wakes and watches for the commit. */
export function expectWrite(db: Db): void {
  const d = deferred.get(db);
  if (d?.thread && WATCH_MS > 0) wake(d);
}

/** Right after a commit: the sync starts now, on its thread, while the reply is drawn. */
export function startSync(db: Db): void {
  const d = deferred.get(db);
  // inside an outer transaction the changes counted are not committed yet: the sync waits for the outer commit
  if (d?.thread && !d.failure && !d.inTransaction()) ask(d, d.totalChanges());
}

/**
 * Returns once every write of this connection so far is on disk (at once when nothing is outstanding). Throws
 * `SyncFailed` once a sync has failed: the caller's message must not go out.
 */
export function makeDurable(db: Db): void {
  const d = deferred.get(db);
  if (!d) return;
  if (d.failure) throw new SyncFailed(d.failure);
  const n = d.totalChanges();
  if (n <= d.synced) return;
  // a message sent from inside a transaction would confirm writes that may still roll back
  if (d.inTransaction()) throw new Error('a message is sent from inside a database transaction');
  if (!d.thread) return syncHere(d, n);
  if (d.covers < n) ask(d, n);
  const asked = d.asked;
  const covers = d.covers;
  const waited = waitForSync(asked, () => Atomics.load(d.shared, DONE), (seen, ms) => Atomics.wait(d.shared, DONE, seen, ms));
  if (waited === 'stuck') {
    // the thread stopped answering (dead, or its sync hangs): it is left behind, and this thread syncs from now on
    const thread = d.thread;
    d.thread = undefined;
    void thread?.terminate();
    return syncHere(d, n);
  }
  const failed = Atomics.load(d.shared, FAILED);
  if (failed !== 0) return fail(d, `the WAL sync failed (errno ${failed})`);
  if (covers > d.synced) d.synced = covers;
}

/**
 * Waits until the count of answered syncs reaches `asked` (int32 counters, compared modulo 2^32): watched for
 * `watchMs` (the sync takes a few hundred microseconds, and waking a sleeping thread costs more), then slept on.
 * 'stuck' when nothing was answered for STUCK_MS. Each round reads the count once and sleeps only while it still has
 * exactly that value: reading it again for the sleep, a sync answered between the two reads would leave the caller
 * asleep for a change that never comes.
 */
export function waitForSync(
  asked: number,
  read: () => number,
  sleep: (seen: number, ms: number) => 'ok' | 'not-equal' | 'timed-out',
  now: () => number = () => performance.now(),
  watchMs = WATCH_MS,
): 'done' | 'stuck' {
  const reached = (done: number) => ((done - asked) | 0) >= 0;
  const until = now() + watchMs;
  for (;;) {
    const done = read();
    if (reached(done)) return 'done';
    if (now() >= until && sleep(done, STUCK_MS) === 'timed-out' && !reached(read())) return 'stuck';
  }
}

function wake(d: Deferred): void {
  Atomics.add(d.shared, WAKE, 1);
  Atomics.notify(d.shared, WAKE, 1);
}

function ask(d: Deferred, n: number): void {
  if (n <= d.synced || n <= d.covers) return;
  d.asked = (d.asked + 1) | 0;
  d.covers = n;
  Atomics.store(d.shared, ASKED, d.asked);
  wake(d);
}

function syncHere(d: Deferred, n: number): void {
  try {
    fdatasyncSync(d.fd);
  } catch (e) {
    return fail(d, `the WAL sync failed (${(e as Error).message})`);
  }
  d.here += 1;
  if (n > d.synced) d.synced = n;
}

function fail(d: Deferred, why: string): never {
  d.failure ??= why;
  throw new SyncFailed(d.failure);
}

/**
 * Syncs the WAL of the file `db` has open, once (at open): another process (the bot) may have committed without syncing
 * yet, and what this one reads and prints must be on disk. Nothing to do without a WAL file.
 */
export function syncWalOnce(db: Db): void {
  const main = mainFile(db);
  if (!main) return;
  let fd: number;
  try {
    fd = openSync(`${main}-wal`, 'r');
  } catch {
    return;
  }
  try {
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Why syncing failed for good (nothing is confirmed any more), or undefined. */
export function syncFailure(db: Db): string | undefined {
  return deferred.get(db)?.failure;
}

/** Writes of this connection not yet known to be on disk (0 when it syncs in its commits). */
export function unsyncedChanges(db: Db): number {
  const d = deferred.get(db);
  return d ? Math.max(0, d.totalChanges() - d.synced) : 0;
}

/** Syncs answered by the sync thread and syncs done on the caller's thread, for tests. */
export function syncCounts(db: Db): { thread: number; here: number } {
  const d = deferred.get(db);
  return { thread: d ? Atomics.load(d.shared, DONE) : 0, here: d?.here ?? 0 };
}

/**
 * Before the connection closes: what it wrote goes to disk, the sync thread ends and the WAL's descriptor is closed.
 * Later calls sync nothing (SQLite's close checkpoints and syncs what is left). Throws `SyncFailed` after a failure.
 */
export async function stopSyncs(db: Db): Promise<void> {
  const d = deferred.get(db);
  if (!d) return;
  try {
    makeDurable(db);
  } finally {
    await endSyncThread(db);
    deferred.delete(db);
    if (d.fd >= 0) closeSync(d.fd);
  }
}

/** Ends the sync thread, as when it dies: the syncs go on, on the caller's thread. */
export async function endSyncThread(db: Db): Promise<void> {
  const d = deferred.get(db);
  const thread = d?.thread;
  if (!d || !thread) return;
  d.thread = undefined;
  await thread.terminate();
}
