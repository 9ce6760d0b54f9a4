/**
 * Syncing before replies (src/db/durable.ts) on a real database file: the connection commits at NORMAL, the sync
 * thread syncs the WAL when asked, `makeDurable` returns only once every write so far is covered (also writes that
 * never asked), a dead thread leaves the syncs to the caller's thread, and an in-memory database is left alone.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inTransaction, openDb, type Db } from '../../src/db/client.js';
import { deferSyncs, endSyncThread, expectWrite, makeDurable, startSync, stopSyncs, syncCounts, unsyncedChanges, waitForSync } from '../../src/db/durable.js';

const open: Db[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) {
    await stopSyncs(db);
    db.$client.close();
  }
});

function deferredDb(slowSyncMsForTests = 0): Db {
  const path = join(mkdtempSync(join(tmpdir(), 'durable-')), 'db.sqlite');
  const db = openDb(path);
  open.push(db);
  expect(deferSyncs(db, path, { slowSyncMsForTests })).toBe(true);
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
    const db = deferredDb(3);
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
