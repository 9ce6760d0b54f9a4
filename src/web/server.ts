/**
 * The HTTP adapter (Hono), one server in the bot's process: the Telegram webhook at exactly its configured path (in
 * webhook mode), the web dashboard under /web, /healthz and /metrics. Everything else is 404.
 * A webhook POST is checked (secret header, size, shape), stored, acknowledged at once and handled later by the
 * runner: a slow handler (a 429 with retry_after, a big import or export) never holds Telegram's request open, and
 * nothing it does can time the request out or kill the process.
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Update } from '../bot/telegram-types.js';
import type { Logger } from 'pino';
import type { DashboardDeps } from './dashboard/deps.js';
import { dashboardRoutes } from './dashboard/routes.js';
import { MINI_APP_SCRIPT_HASH, signInRoutes } from './dashboard/sign-in.js';
import { health, metricsText, type HealthSources } from './health.js';

/** Telegram's updates are small; anything larger is not one. */
export const MAX_UPDATE_BYTES = 1024 * 1024;

export interface WebhookDeps {
  /** pathname of WEBHOOK_URL, e.g. /telegram/<random> */
  path: string;
  secret: string;
  /** stores and queues an update; false when the queue is full (503, Telegram retries) */
  accept(update: Update, body: string): boolean;
}

export interface WebDeps {
  log: Logger;
  /** returns once what the request wrote is on disk (throws if it cannot be): nothing is answered before */
  beforeAnswer?: () => void;
  /** absent in polling mode */
  webhook?: WebhookDeps;
  health: HealthSources;
  /** absent: no dashboard (404) */
  dashboard?: DashboardDeps;
}

/**
 * Headers of every dashboard page: nothing from elsewhere (no CDN, no frames except Telegram's own web client, which
 * shows Mini Apps in one), no referrer (a sign-in link's path never travels on), nothing cached.
 */
const DASHBOARD_HEADERS: Record<string, string> = {
  'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; script-src ${MINI_APP_SCRIPT_HASH}; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self' https://web.telegram.org`,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

function sameSecret(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function createWebApp(deps: WebDeps): Hono {
  const app = new Hono();
  const durable = deps.beforeAnswer;
  // a stored webhook update is acknowledged, a dashboard action confirmed, only once it would survive a power cut
  // (not /healthz and /metrics: they confirm nothing, and must still answer when syncing has failed)
  if (durable) app.use('*', async (c, next) => {
    await next();
    if (c.req.path !== '/healthz' && c.req.path !== '/metrics') durable();
  });
  app.get('/healthz', (c) => {
    const h = health(deps.health);
    return c.json(h, h.ok ? 200 : 503);
  });
  app.get('/metrics', (c) => c.text(metricsText(deps.health), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }));
  if (deps.dashboard) {
    app.use('/web/*', async (c, next) => {
      await next();
      for (const [k, v] of Object.entries(DASHBOARD_HEADERS)) c.header(k, v);
    });
    app.use('/web', async (c, next) => {
      await next();
      for (const [k, v] of Object.entries(DASHBOARD_HEADERS)) c.header(k, v);
    });
    app.route('/web', signInRoutes(deps.dashboard));
    app.route('/web', dashboardRoutes(deps.dashboard));
  }
  const hook = deps.webhook;
  if (hook) app.post(hook.path, async (c) => {
    if (!sameSecret(c.req.header('x-telegram-bot-api-secret-token'), hook.secret)) {
      deps.log.warn({ path: hook.path }, 'webhook request without the right secret refused');
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
    return hook.accept(update, body) ? c.text('') : c.text('Service Unavailable', 503);
  });
  app.notFound((c) => c.text('Not Found', 404));
  app.onError((err, c) => {
    deps.log.error({ err: String(err) }, 'web request failed');
    return c.text('Internal Server Error', 500);
  });
  return app;
}
