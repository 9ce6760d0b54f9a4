import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ProcessLock {
  release(): void;
}

/**
 * One bot process per database. The lock is a small SQLite file beside the database held in exclusive locking mode:
 * the operating system drops it when the process ends, however it ends (no stale pid files after a crash).
 * The admin CLI does not take it: backups and exports run beside the bot.
 */
export function acquireProcessLock(databasePath: string): { ok: true; lock: ProcessLock } | { ok: false; problem: 'locked' | 'folder'; detail: string } {
  if (databasePath === ':memory:') return { ok: true, lock: { release: () => undefined } };
  const file = `${databasePath}.lock`;
  let db: Database.Database;
  try {
    mkdirSync(dirname(databasePath), { recursive: true, mode: 0o700 });
    db = new Database(file, { timeout: 0 });
    if (existsSync(file)) chmodSync(file, 0o600);
  } catch (e) {
    return { ok: false, problem: 'folder', detail: (e as Error).message };
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // the first write takes the exclusive lock, kept until the connection closes
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER, at INTEGER); DELETE FROM holder;');
    db.prepare('INSERT INTO holder VALUES (?, ?)').run(process.pid, Date.now());
  } catch (e) {
    db.close();
    return { ok: false, problem: 'locked', detail: (e as Error).message };
  }
  return { ok: true, lock: { release: () => db.close() } };
}
