/**
 * Fresh databases by copying: migrating a new SQLite file and seeding the demo district take ~100–150 ms, and every
 * in-process test wants its own fresh database (several hundred of them per run). So each test process builds two
 * templates once (migrated; migrated + demo district) and every harness gets a file copy of one. The copy carries
 * the template's generated secret (`<db>.secret`), so the invite codes printed while seeding redeem in every copy.
 */
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Config } from '../../src/config.js';
import { openDb, type Db } from '../../src/db/client.js';
import { secretFileOf } from '../../src/db/keys.js';
import { seedDemo } from '../../src/cli/admin-commands.js';
import { createTranslator } from '../../src/i18n.js';

/** One line `seed-demo` printed: role, name, invite code. */
export interface DemoPerson {
  role: string;
  name: string;
  code: string;
}

interface Template {
  path: string;
  demo: DemoPerson[];
}

const templates = new Map<string, Template>();

/**
 * Copies the template for (seeded, now) to `path`. The template is built on first use with the same calls the
 * harness made for each test before: openDb, then seedDemo at the harness clock.
 */
export function copyTemplate(config: Config, path: string, opts: { seed: boolean; now: number }): DemoPerson[] {
  const key = `${opts.seed}:${opts.now}:${config.defaultLocale}`;
  let t = templates.get(key);
  if (!t) {
    t = build(config, opts);
    templates.set(key, t);
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  copyFileSync(t.path, path);
  copyFileSync(secretFileOf(t.path), secretFileOf(path));
  return t.demo.map((d) => ({ ...d }));
}

function build(config: Config, opts: { seed: boolean; now: number }): Template {
  const path = join(mkdtempSync(join(tmpdir(), 'bangfu-template-')), 'db.sqlite');
  const db = openDb(path, { synchronous: 'NORMAL' });
  const demo: DemoPerson[] = [];
  if (opts.seed) {
    const t = createTranslator(config.defaultLocale).forLocale('zh-CN');
    seedDemo({ config: { ...config, databasePath: path }, db, t, out: () => undefined, now: opts.now }, (line) => {
      const [role, name, code] = line.split('\t');
      demo.push({ role, name, code });
    }, () => undefined);
  }
  // everything into the main file, and no -wal/-shm left beside it: the file alone is the whole database
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.close();
  return { path, demo };
}

/** A database as a test left it (its file and secret, its demo people, the harness clock), to start other tests from. */
export interface DatabaseSnapshot {
  path: string;
  demo: DemoPerson[];
  now: number;
}

/** Copies an open database (consistent, WAL included) and its secret aside: work done once, shared by several tests. */
export function snapshotDatabase(db: Db, databasePath: string, demo: DemoPerson[], now: number): DatabaseSnapshot {
  const path = join(mkdtempSync(join(tmpdir(), 'bangfu-snapshot-')), 'db.sqlite');
  db.$client.prepare('VACUUM INTO ?').run(path);
  copyFileSync(secretFileOf(databasePath), secretFileOf(path));
  return { path, demo: demo.map((d) => ({ ...d })), now };
}

/** A copy of a snapshot at `path`, for one test of its own; returns its demo people. */
export function restoreSnapshot(s: DatabaseSnapshot, path: string): DemoPerson[] {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  copyFileSync(s.path, path);
  copyFileSync(secretFileOf(s.path), secretFileOf(path));
  return s.demo.map((d) => ({ ...d }));
}
