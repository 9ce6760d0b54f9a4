/**
 * Issue 10 and its sibling: the README's backup command works as written (the folder is created, owner-only);
 * restoring a backup does not silently undo revocations, unbindings or spent invites made after it; a restore is
 * refused while the bot runs; CLI exports are owner-only.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeHarness } from '../support/harness.js';
import { actorByTelegramId, findPeople } from '../../src/db/people-repo.js';
import { openDb } from '../../src/db/client.js';
import { acquireProcessLock } from '../../src/db/lock.js';
import { invites } from '../../src/db/schema.js';
import { adminArgs } from '../support/node-script.js';

const mode = (f: string) => (statSync(f).mode & 0o777).toString(8);

function admin(env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, adminArgs(...args), { env: { ...process.env, ...env }, encoding: 'utf8', cwd: process.cwd() });
}

describe('backup and restore', () => {
  it('backs up into a folder that does not exist yet, owner-only; exports too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backup-'));
    const env = { DATABASE_PATH: join(dir, 'data', 'bangfu.sqlite') };
    expect(admin(env, 'seed-demo').status).toBe(0);
    const file = join(dir, 'backups', 'bangfu-2017-11-15.sqlite');
    const r = admin(env, 'backup', file);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.status).toBe(0);
    expect(mode(join(dir, 'backups'))).toBe('700');
    expect(mode(file)).toBe('600');
    const xlsx = join(dir, 'households.xlsx');
    expect(admin(env, 'export', 'households', xlsx).status).toBe(0);
    expect(mode(xlsx)).toBe('600');
  }, 60_000);

  it('a restore re-applies revocations, ended bindings and spent invites made after the backup, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'restore-'));
    const path = join(dir, 'db.sqlite');
    const h = makeHarness({ env: { DATABASE_PATH: path } });
    const wang = h.demo.find((d) => d.name === '王小明')!;
    const li = h.demo.find((d) => d.name === '李红')!;
    const zhang = h.demo.find((d) => d.name === '张强')!;
    await h.user(101).send(`/start ${wang.code}`);
    await h.user(102).send(`/start ${li.code}`);
    h.db.$client.close();
    const backupFile = join(dir, 'backups', 'b.sqlite');
    expect(admin({ DATABASE_PATH: path }, 'backup', backupFile).status).toBe(0);
    // after the backup: 王小明 is revoked, 李红 moves to a new account, 张强's invite is used by someone
    expect(admin({ DATABASE_PATH: path }, 'revoke', 'D001').status).toBe(0);
    const now = openDb(path);
    const liId = findPeople(now, 'D002')[0].id;
    now.$client.prepare('UPDATE people SET telegram_id = 202 WHERE id = ?').run(liId);
    now.$client.close();

    // refused while a bot holds the database
    const held = acquireProcessLock(path);
    if (!held.ok) throw new Error('lock');
    const busy = admin({ DATABASE_PATH: path }, 'restore-backup', backupFile);
    held.lock.release();
    expect(busy.status).toBe(1);
    expect(busy.stdout + busy.stderr).toMatch(/另一个机器人进程/);

    const r = admin({ DATABASE_PATH: path }, 'restore-backup', backupFile);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('重新收回：D001 王小明');
    expect(r.stdout).toContain('D002 李红');
    expect(r.stdout).toMatch(/未使用的 \d+ 个邀请码已作废/);
    expect(r.stdout).toContain('校验通过');
    expect(readdirSync(dir).some((f) => f.startsWith('db.sqlite.before-restore-'))).toBe(true);

    const restored = openDb(path);
    expect(actorByTelegramId(restored, 101)).toBeUndefined();
    expect(actorByTelegramId(restored, 102)).toBeUndefined();
    expect(restored.select().from(invites).all().every((i) => i.usedAt !== null || i.revokedAt !== null)).toBe(true);
    expect(zhang.code).toBeTruthy();
    expect(existsSync(`${path}.secret`)).toBe(true);
    restored.$client.close();
  }, 90_000);
});
