import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema.js';
import { startSync, syncWalOnce } from './durable.js';
import { deriveKeys, registerKeys, resolveSecret, writeSecretFile } from './keys.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

export interface OpenOptions {
  synchronous?: 'FULL' | 'NORMAL';
  /** APP_SECRET; unset = the owner-only file beside the database, generated on first use */
  secret?: string;
  /** the committed drizzle/ folder (tests point it elsewhere) */
  migrationsFolder?: string;
}

/** Why a database could not be opened: each becomes one clear line at start-up, never a stack. */
export type OpenProblem = 'folder' | 'cannot_open' | 'read_only' | 'not_a_database' | 'migrations_missing' | 'migration_failed' | 'wrong_secret';
export type OpenResult = { ok: true; db: Db } | { ok: false; problem: OpenProblem; detail: string };

const KEY_ID = 'app:key-id';

/**
 * Opens (and creates) the SQLite file and applies the committed migrations.
 * WAL lets readers (exports, stats, backups) run beside the writer; synchronous=FULL makes
 * every acknowledged answer survive a power cut, not only a killed process (the cost is in `npm run bench`).
 * The folder is created 0700 and the file (with its -wal and -shm, which SQLite creates with the file's mode) 0600:
 * the records are personal data.
 */
export function openDatabase(path: string, opts: OpenOptions = {}): OpenResult {
  const memory = path === ':memory:';
  if (!memory) {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
      for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
    } catch (e) {
      return { ok: false, problem: 'folder', detail: (e as Error).message };
    }
  }
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path);
  } catch (e) {
    return { ok: false, problem: 'cannot_open', detail: (e as Error).message };
  }
  const fail = (problem: OpenProblem, e: unknown): OpenResult => {
    sqlite.close();
    return { ok: false, problem, detail: e instanceof Error ? e.message : String(e) };
  };
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // Reports read whole indexes (/stats scans every household's cards): a 32 MB page cache keeps them in memory
    // between requests instead of the default 2 MB.
    sqlite.pragma('cache_size = -32000');
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    return fail(/READONLY|CANTOPEN|PERM/.test(code) ? 'read_only' : 'not_a_database', e);
  }
  const db = drizzle(sqlite, { schema }) as Db;
  const folder = opts.migrationsFolder ?? migrationsFolder;
  if (!existsSync(`${folder}/meta/_journal.json`)) return fail('migrations_missing', folder);
  try {
    migrate(db, { migrationsFolder: folder });
  } catch (e) {
    const code = (e as { code?: string; cause?: { code?: string } }).code ?? (e as { cause?: { code?: string } }).cause?.code ?? '';
    return fail(/READONLY/.test(code) ? 'read_only' : /CORRUPT|NOTADB/.test(code) ? 'not_a_database' : 'migration_failed', e);
  }
  const source = resolveSecret(path, opts.secret);
  const keys = deriveKeys(source.secret);
  try {
    const stored = sqlite.prepare('SELECT value FROM kv WHERE key = ?').get(KEY_ID) as { value: string } | undefined;
    // a database sealed under one secret and opened with another would fail every check later: say so now
    if (stored && JSON.parse(stored.value) !== keys.id) return fail('wrong_secret', source.file ?? 'APP_SECRET');
    if (source.generated && source.file) writeSecretFile(source.file, source.secret);
    if (!stored) sqlite.prepare('INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?)').run(KEY_ID, JSON.stringify(keys.id), Date.now());
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    return fail(/READONLY/.test(code) ? 'read_only' : /EACCES|EROFS|EEXIST/.test(code) ? 'folder' : 'migration_failed', e);
  }
  registerKeys(db, keys);
  // what this process reads is on disk: the bot commits first and syncs before it tells anyone (src/db/durable.ts)
  if (!memory) syncWalOnce(db);
  return { ok: true, db };
}

/**
 * A read-only connection to an existing, migrated database, for reports computed off the bot's thread (WAL lets it
 * read beside the writer). It writes nothing: no migration, no key record.
 */
export function openReader(path: string): Db {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -32000');
  return drizzle(sqlite, { schema }) as Db;
}

/** openDatabase for callers that treat any failure as a bug (tests, benches, the terminal chat). */
export function openDb(path: string, opts: OpenOptions = {}): Db {
  const r = openDatabase(path, opts);
  if (!r.ok) throw new Error(`cannot open ${path}: ${r.problem}: ${r.detail}`);
  return r.db;
}

/** Runs fn inside one write transaction (BEGIN IMMEDIATE), so concurrent writers queue instead of failing. */
export function inTransaction<T>(db: Db, fn: () => T): T {
  const r = db.$client.transaction(fn).immediate();
  startSync(db);
  return r;
}
