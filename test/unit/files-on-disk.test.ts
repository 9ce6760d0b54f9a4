/** Issue 10: the database, its -wal/-shm, the secret, backups and exports are owner-only; the secret is checked. */
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, openDb } from '../../src/db/client.js';
import { secretFileOf } from '../../src/db/keys.js';

const mode = (f: string) => (statSync(f).mode & 0o777).toString(8);

describe('files on disk', () => {
  it('creates the folder 0700 and the database, -wal, -shm and secret 0600 (whatever the umask)', () => {
    const old = process.umask(0o022);
    try {
      const dir = join(mkdtempSync(join(tmpdir(), 'modes-')), 'data');
      const path = join(dir, 'db.sqlite');
      const db = openDb(path);
      db.$client.prepare("INSERT INTO audit_log (at, action) VALUES (1, 'x')").run();
      expect(mode(dir)).toBe('700');
      for (const f of [path, `${path}-wal`, `${path}-shm`, secretFileOf(path)]) {
        expect(existsSync(f)).toBe(true);
        expect([f, mode(f)]).toEqual([f, '600']);
      }
      db.$client.close();
    } finally {
      process.umask(old);
    }
  });

  it('tightens an existing world-readable database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modes-'));
    const path = join(dir, 'db.sqlite');
    openDb(path).$client.close();
    chmodSync(path, 0o644);
    openDb(path).$client.close();
    expect(mode(path)).toBe('600');
  });

  it('a database sealed under one secret refuses another (a lost secret file is noticed at once)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secret-'));
    const path = join(dir, 'db.sqlite');
    openDb(path, { secret: 'a'.repeat(40) }).$client.close();
    const r = openDatabase(path, { secret: 'b'.repeat(40) });
    expect(r.ok === false && r.problem).toBe('wrong_secret');
    // the generated secret file is not written when the check fails
    expect(existsSync(secretFileOf(path))).toBe(false);
    writeFileSync(secretFileOf(path), 'a'.repeat(40));
    expect(openDatabase(path).ok).toBe(true);
  });
});
