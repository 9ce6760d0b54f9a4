/**
 * The web adapter answers only once what a request wrote is on disk: `beforeAnswer` runs after the handler, before
 * the response leaves (a stored webhook update is acknowledged only then), and when it throws the answer is an error,
 * never the handler's "OK".
 */
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { createWebApp } from '../../src/web/server.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metrics } from '../../src/app/metrics.js';
import { openDb } from '../../src/db/client.js';
import { deferSyncs, makeDurable, SyncFailed, stopSyncs } from '../../src/db/durable.js';

const dbPath = join(mkdtempSync(join(tmpdir(), 'answer-sync-')), 'db.sqlite');
const db = openDb(dbPath);
const health = { db, metrics: new Metrics(), updateQueueDepth: () => 0, backupDir: '/nonexistent', now: () => 0 };
const SECRET = 's3cret-s3cret';

function app(beforeAnswer: () => void, events: string[]) {
  return createWebApp({
    log: pino({ level: 'silent' }),
    beforeAnswer,
    health,
    webhook: {
      path: '/telegram/hook',
      secret: SECRET,
      accept: (u) => {
        events.push(`stored ${u.update_id}`);
        return true;
      },
    },
  });
}
const post = (a: ReturnType<typeof app>) =>
  a.request('/telegram/hook', { method: 'POST', body: JSON.stringify({ update_id: 7 }), headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' } });

describe('answers after the sync', () => {
  it('a webhook update is stored, then synced, then acknowledged', async () => {
    const events: string[] = [];
    const res = await post(app(() => events.push('synced'), events));
    events.push(`answered ${res.status}`);
    expect(events).toEqual(['stored 7', 'synced', 'answered 200']);
  });

  it('a failed sync answers 500, not the handler\'s OK (Telegram sends the update again)', async () => {
    const events: string[] = [];
    const res = await post(app(() => {
      throw new Error('EIO');
    }, events));
    expect(res.status).toBe(500);
    expect(events).toEqual(['stored 7']);
  });

  it('/healthz and /metrics confirm nothing: they answer without waiting, and say when syncing has failed', async () => {
    const a = app(() => {
      throw new SyncFailed('the WAL sync failed (errno -5)');
    }, []);
    expect((await a.request('/healthz')).status).toBe(200);
    expect(await (await a.request('/metrics')).text()).toContain('bangfu_database_durable 1');
    // the bot's own connection, its syncs failing as a lost write-back would
    deferSyncs(db, dbPath, { failSyncsForTests: true });
    db.$client.exec('CREATE TABLE IF NOT EXISTS t (v)');
    db.$client.prepare('INSERT INTO t VALUES (1)').run();
    expect(() => makeDurable(db)).toThrow(SyncFailed);
    const res = await a.request('/healthz');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ok: false, database: 'ok', durability: 'failing' });
    expect(await (await a.request('/metrics')).text()).toContain('bangfu_database_durable 0');
    await stopSyncs(db).catch(() => undefined);
  });
});
