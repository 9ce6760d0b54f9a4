/**
 * The web adapter answers only once what a request wrote is on disk: `beforeAnswer` runs after the handler, before
 * the response leaves (a stored webhook update is acknowledged only then), and when it throws the answer is an error,
 * never the handler's "OK".
 */
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { createWebApp } from '../../src/web/server.js';
import { Metrics } from '../../src/app/metrics.js';

const health = { db: undefined as never, metrics: new Metrics(), updateQueueDepth: () => 0, backupDir: '/nonexistent', now: () => 0 };
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
});
