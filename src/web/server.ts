/**
 * The HTTP adapter (Hono): the Telegram webhook at exactly its configured path, and /healthz. Everything else is 404.
 * A webhook POST is checked (secret header, size, shape), stored, acknowledged at once and handled later by the
 * runner: a slow handler (a 429 with retry_after, a big import or export) never holds Telegram's request open, and
 * nothing it does can time the request out or kill the process.
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Update } from '../bot/telegram-types.js';
import type { Logger } from 'pino';

/** Telegram's updates are small; anything larger is not one. */
export const MAX_UPDATE_BYTES = 1024 * 1024;

export interface WebDeps {
  /** pathname of WEBHOOK_URL, e.g. /telegram/<random> */
  webhookPath: string;
  webhookSecret: string;
  log: Logger;
  /** stores and queues an update; false when the queue is full (503, Telegram retries) */
  accept(update: Update, body: string): boolean;
}

function sameSecret(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function createWebApp(deps: WebDeps): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.text('ok'));
  app.post(deps.webhookPath, async (c) => {
    if (!sameSecret(c.req.header('x-telegram-bot-api-secret-token'), deps.webhookSecret)) {
      deps.log.warn({ path: deps.webhookPath }, 'webhook request without the right secret refused');
      return c.text('Unauthorized', 401);
    }
    const length = Number(c.req.header('content-length') ?? NaN);
    if (Number.isFinite(length) && length > MAX_UPDATE_BYTES) return c.text('Payload Too Large', 413);
    const body = await c.req.text();
    if (Buffer.byteLength(body) > MAX_UPDATE_BYTES) return c.text('Payload Too Large', 413);
    let update: Update;
    try {
      update = JSON.parse(body) as Update;
    } catch {
      return c.text('Bad Request', 400);
    }
    if (typeof update !== 'object' || update === null || !Number.isSafeInteger(update.update_id) || update.update_id < 0) {
      return c.text('Bad Request', 400);
    }
    return deps.accept(update, body) ? c.text('') : c.text('Service Unavailable', 503);
  });
  app.notFound((c) => c.text('Not Found', 404));
  app.onError((err, c) => {
    deps.log.error({ err: String(err) }, 'web request failed');
    return c.text('Internal Server Error', 500);
  });
  return app;
}
