import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from './client.js';
import { makeDurable } from './durable.js';

/**
 * Copies the live database with SQLite's online backup API (page by page, consistent even while the bot
 * writes), then opens the copy read-only and runs an integrity check, so a bad copy is never reported as good.
 * The folder is created (0700) and the copy is owner-only: it holds everything the database does.
 */
export async function backupTo(db: Db, file: string): Promise<{ ok: true; cards: number; bytes: number } | { ok: false; problem: string }> {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // a copy of what is on disk only: a commit not yet synced could be lost by the database and kept by its backup
  makeDurable(db);
  await db.$client.backup(file);
  chmodSync(file, 0o600);
  // the copy keeps the live database's WAL mode, so opening it would leave -wal/-shm files beside it: one file is
  // what a backup should be (copied, pruned and restored as one)
  const rw = new Database(file);
  try {
    rw.pragma('journal_mode = DELETE');
  } finally {
    rw.close();
  }
  const copy = new Database(file, { readonly: true });
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') return { ok: false, problem: String(check) };
    const cards = (copy.prepare('SELECT count(*) AS n FROM cards').get() as { n: number }).n;
    return { ok: true, cards, bytes: statSync(file).size };
  } finally {
    copy.close();
  }
}

/** A backup file that opens read-only, passes the integrity check and holds the bot's tables; else why not. */
export function checkBackupFile(file: string): { ok: true } | { ok: false; problem: string } {
  if (!existsSync(file)) return { ok: false, problem: 'missing' };
  let copy: Database.Database | undefined;
  try {
    copy = new Database(file, { readonly: true, fileMustExist: true });
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') return { ok: false, problem: String(check) };
    copy.prepare('SELECT count(*) FROM cards').get();
    copy.prepare('SELECT count(*) FROM people').get();
    return { ok: true };
  } catch (e) {
    return { ok: false, problem: (e as Error).message };
  } finally {
    copy?.close();
  }
}

/** What restoring would undo: people revoked since the backup, and accounts unbound or moved since. */
export interface AccessSince {
  revoked: { code: string; name: string }[];
  unbound: { code: string; name: string }[];
}

/**
 * Compares the current people with those in the backup (by person code): who was revoked, and whose Telegram
 * binding ended or moved, after the backup was taken. Restoring the backup as is would give them access again.
 */
export function accessChangedSince(db: Db, backupFile: string): AccessSince {
  const copy = new Database(backupFile, { readonly: true, fileMustExist: true });
  try {
    type P = { code: string; name: string; telegram_id: number | null; revoked_at: number | null };
    const old = new Map((copy.prepare('SELECT code, name, telegram_id, revoked_at FROM people').all() as P[]).map((p) => [p.code, p]));
    const now = db.$client.prepare('SELECT code, name, telegram_id, revoked_at FROM people').all() as P[];
    const out: AccessSince = { revoked: [], unbound: [] };
    for (const p of now) {
      const before = old.get(p.code);
      if (!before) continue;
      if (p.revoked_at !== null && before.revoked_at === null) out.revoked.push({ code: p.code, name: p.name });
      else if (before.telegram_id !== null && before.telegram_id !== p.telegram_id) out.unbound.push({ code: p.code, name: p.name });
    }
    return out;
  } finally {
    copy.close();
  }
}

/**
 * In a just-restored database: revokes again the people revoked since the backup, ends the bindings that had ended
 * or moved, and voids every unused invite (all older than the backup; a used or voided one would work again).
 */
export function reapplyAccess(db: Db, since: AccessSince, now: number): { invitesVoided: number } {
  const tx = db.$client.transaction(() => {
    const revoke = db.$client.prepare('UPDATE people SET revoked_at = ?, telegram_id = NULL WHERE code = ?');
    for (const p of since.revoked) revoke.run(now, p.code);
    const unbind = db.$client.prepare('UPDATE people SET telegram_id = NULL WHERE code = ?');
    for (const p of since.unbound) unbind.run(p.code);
    const voided = db.$client.prepare('UPDATE invites SET revoked_at = ? WHERE used_at IS NULL AND revoked_at IS NULL').run(now).changes;
    db.$client
      .prepare("INSERT INTO audit_log (at, action, detail) VALUES (?, 'restore_backup', ?)")
      .run(now, JSON.stringify({ revoked: since.revoked.map((p) => p.code), unbound: since.unbound.map((p) => p.code), invitesVoided: voided }));
    return voided;
  });
  return { invitesVoided: tx.immediate() };
}

/** Names the nightly job gives its copies: bangfu-YYYY-MM-DD-HHmm.sqlite (sorting by name sorts by time). */
const NIGHTLY = /^bangfu-\d{4}-\d{2}-\d{2}-\d{4}\.sqlite$/;

export function nightlyBackupName(localDateTime: string): string {
  return `bangfu-${localDateTime.replace(' ', '-').replace(':', '')}.sqlite`;
}

/** The nightly copies in a folder, oldest first, with their time (mtime, epoch ms). */
export function nightlyBackups(dir: string): { file: string; at: number }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => NIGHTLY.test(n))
    .sort()
    .map((n) => ({ file: join(dir, n), at: statSync(join(dir, n)).mtimeMs }));
}

/** Deletes the oldest nightly copies beyond `keep` (never any other file); returns the deleted paths. */
export function pruneNightlyBackups(dir: string, keep: number): string[] {
  const all = nightlyBackups(dir);
  const gone = all.slice(0, Math.max(0, all.length - keep)).map((b) => b.file);
  for (const f of gone) for (const x of [f, `${f}-wal`, `${f}-shm`]) rmSync(x, { force: true });
  return gone;
}
