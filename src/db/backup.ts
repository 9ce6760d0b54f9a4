import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Db } from './client.js';

/**
 * Copies the live database with SQLite's online backup API (page by page, consistent even while the bot
 * writes), then opens the copy read-only and runs an integrity check, so a bad copy is never reported as good.
 */
export async function backupTo(db: Db, file: string): Promise<{ ok: true; cards: number; bytes: number } | { ok: false; problem: string }> {
  await db.$client.backup(file);
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
