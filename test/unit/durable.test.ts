/**
 * Syncing before replies (src/db/durable.ts) on a real database file: the connection commits at NORMAL, the sync
 * thread syncs the WAL when asked, `makeDurable` returns only once every write so far is covered (also writes that
 * never asked), a dead thread leaves the syncs to the caller's thread, and an in-memory database is left alone.
 */
import { copyFileSync, existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inTransaction, openDb, type Db } from '../../src/db/client.js';
import {
  deferSyncs, endSyncThread, expectWrite, makeDurable, startSync, stopSyncs, syncCounts, syncFailure, SyncFailed, unsyncedChanges, waitForSync,
} from '../../src/db/durable.js';

const open: Db[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) {
    await stopSyncs(db).catch(() => undefined); // a test's failed syncs stay failed
    db.$client.close();
  }
});

function deferredDb(opts: { slowSyncMsForTests?: number; failSyncsForTests?: boolean } = {}, path = join(mkdtempSync(join(tmpdir(), 'durable-')), 'db.sqlite')): Db {
  const db = openDb(path);
  open.push(db);
  expect(deferSyncs(db, path, opts)).toBe(true);
  db.$client.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  return db;
}
const put = (db: Db, v: string) => db.$client.prepare('INSERT INTO t (v) VALUES (?)').run(v);

describe('syncing before replies', () => {
  it('commits at NORMAL; a commit asks the thread, and makeDurable waits for it', () => {
    const db = deferredDb();
    expect(db.$client.pragma('synchronous', { simple: true })).toBe(1);
    expectWrite(db);
    inTransaction(db, () => put(db, 'a')); // asks the thread itself
    expect(unsyncedChanges(db)).toBe(1);
    makeDurable(db);
    expect(unsyncedChanges(db)).toBe(0);
    expect(syncCounts(db)).toEqual({ thread: 1, here: 0 });
    makeDurable(db); // nothing outstanding: no sync
    expect(syncCounts(db)).toEqual({ thread: 1, here: 0 });
  });

  it('a write that never asked is still covered before the next reply, and one sync covers several writes', () => {
    const db = deferredDb();
    put(db, 'a');
    put(db, 'b');
    db.$client.prepare('UPDATE t SET v = ? WHERE v = ?').run('c', 'a');
    expect(unsyncedChanges(db)).toBe(3);
    makeDurable(db);
    expect(unsyncedChanges(db)).toBe(0);
    expect(syncCounts(db).thread).toBe(1);
    put(db, 'd');
    startSync(db);
    put(db, 'e'); // after the sync was asked: the next makeDurable asks again
    makeDurable(db);
    expect(unsyncedChanges(db)).toBe(0);
    expect(syncCounts(db).thread).toBeGreaterThanOrEqual(2);
  });

  it('with its thread gone, the caller syncs: a message is never let out unsynced', async () => {
    const db = deferredDb();
    put(db, 'a');
    makeDurable(db);
    expect(syncCounts(db)).toEqual({ thread: 1, here: 0 });
    await endSyncThread(db);
    put(db, 'b');
    startSync(db); // nobody to ask: nothing happens here
    expect(unsyncedChanges(db)).toBe(1);
    makeDurable(db);
    expect(unsyncedChanges(db)).toBe(0);
    expect(syncCounts(db).here).toBe(1);
  });

  it('a sync slower than the watch (the caller sleeps until it is told): every wait ends when the sync does', { timeout: 30_000 }, () => {
    // found by the webhook bench: a sync that finished between two reads of the counter left the caller waiting for a
    // change that never came, for its full five seconds; timing varies here so the finish falls anywhere in the wait
    const db = deferredDb({ slowSyncMsForTests: 3 });
    let slowest = 0;
    for (let i = 0; i < 150; i++) {
      put(db, `r${i}`);
      if (i % 2) startSync(db);
      const spin = performance.now() + (i % 7) * 0.5;
      while (performance.now() < spin);
      const t0 = performance.now();
      makeDurable(db);
      slowest = Math.max(slowest, performance.now() - t0);
      expect(unsyncedChanges(db)).toBe(0);
    }
    expect(syncCounts(db).here).toBe(0);
    expect(slowest).toBeLessThan(1_000);
  });

  it('the wait sleeps on the count it just read: a sync that finishes right after that read ends the wait at once', () => {
    // the count as the waiting side sees it: 0 when first read, then the sync finishes (1)
    const script = [0];
    let current = 0;
    const read = () => (script.length ? script.shift()! : current);
    // a sleep that nobody will wake: it ends at once only if the count is no longer the one it was given
    const sleeps: number[] = [];
    const sleep = (seen: number) => {
      sleeps.push(seen);
      return current !== seen ? 'not-equal' : 'timed-out';
    };
    let clock = 0;
    const now = () => (clock += 10); // past the watch at once
    current = 1;
    expect(waitForSync(1, read, sleep, now)).toBe('done');
    expect(sleeps).toEqual([0]);
    // and a sync that never finishes is reported, not waited on for ever
    current = 0;
    expect(waitForSync(1, () => current, sleep, now)).toBe('stuck');
  });

  it('a failed sync is final: nothing is confirmed after it, on the thread or here, and the failure is told', async () => {
    const db = deferredDb({ failSyncsForTests: true });
    put(db, 'a');
    expect(() => makeDurable(db)).toThrow(SyncFailed); // the thread's sync failed
    expect(syncFailure(db)).toMatch(/errno/);
    put(db, 'b');
    expect(() => makeDurable(db)).toThrow(SyncFailed);
    await endSyncThread(db);
    expect(() => makeDurable(db)).toThrow(SyncFailed); // not tried again here: a second try would answer "done"
    expect(unsyncedChanges(db)).toBe(2);
    await expect(stopSyncs(db)).rejects.toThrow(SyncFailed);
  });

  it('a sync that hangs: after half a second the caller syncs, and syncs itself from then on without waiting', () => {
    const db = deferredDb({ slowSyncMsForTests: 5_000 });
    put(db, 'a');
    let t0 = performance.now();
    makeDurable(db);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(400);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(syncCounts(db).here).toBe(1);
    put(db, 'b');
    t0 = performance.now();
    makeDurable(db);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(syncCounts(db).here).toBe(2);
    expect(unsyncedChanges(db)).toBe(0);
  });

  it('a database opened through a symlink: the WAL beside the real file is the one synced', () => {
    const realDir = mkdtempSync(join(tmpdir(), 'durable-real-'));
    const linkDir = mkdtempSync(join(tmpdir(), 'durable-link-'));
    openDb(join(realDir, 'db.sqlite')).$client.close();
    symlinkSync(join(realDir, 'db.sqlite'), join(linkDir, 'db.sqlite'));
    copyFileSync(join(realDir, 'db.sqlite.secret'), join(linkDir, 'db.sqlite.secret'));
    const db = deferredDb({}, join(linkDir, 'db.sqlite'));
    put(db, 'a');
    makeDurable(db);
    expect(unsyncedChanges(db)).toBe(0);
    expect(existsSync(join(linkDir, 'db.sqlite-wal'))).toBe(false);
  });

  it('writes inside an outer transaction are synced after its commit, and no message goes out from inside one', () => {
    const db = deferredDb();
    db.$client.transaction(() => {
      inTransaction(db, () => put(db, 'a')); // its startSync must not count the outer transaction's changes as synced
      expect(() => makeDurable(db)).toThrow(/inside a database transaction/);
    })();
    expect(unsyncedChanges(db)).toBe(1);
    const settle = performance.now() + 100; // a sync asked too early would have finished by now
    while (performance.now() < settle);
    const before = syncCounts(db).thread;
    makeDurable(db);
    expect(unsyncedChanges(db)).toBe(0);
    expect(syncCounts(db).thread).toBe(before + 1); // a sync after the commit, not one from before it
  });

  it('the counters wrap around at 2^31: a count just past the wrap is after one just before it', () => {
    const stuck = (asked: number, done: number) => waitForSync(asked, () => done, () => 'timed-out', () => 1e9, 0);
    expect(stuck(-2147483648, 2147483647)).toBe('stuck');
    expect(stuck(-2147483648, -2147483648)).toBe('done');
    expect(stuck(2147483647, -2147483647)).toBe('done');
    expect(stuck(5, 4)).toBe('stuck');
    expect(stuck(5, 6)).toBe('done');
  });

  it('leaves an in-memory database and a connection that syncs in its commits alone', () => {
    const mem = openDb(':memory:');
    open.push(mem);
    expect(deferSyncs(mem, ':memory:')).toBe(false);
    put2(mem);
    expect(unsyncedChanges(mem)).toBe(0);
    makeDurable(mem);
    expect(syncCounts(mem)).toEqual({ thread: 0, here: 0 });
  });
});

function put2(db: Db) {
  db.$client.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  put(db, 'x');
}
