/**
 * The dashboard in a real browser: Debian's Chromium (headless, driven by playwright-core, which downloads no
 * browser) against the real web server on a real port, in the same process as the real bot (the in-process harness:
 * a real SQLite file, the strict fake Telegram). What the bot sends and what the pages show come from one database,
 * so a test can act in one and read the other.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Api } from 'grammy';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Metrics } from '../../src/app/metrics.js';
import { telegramNotifier } from '../../src/bot/notifier.js';
import { createWebApp } from '../../src/web/server.js';
import { makeHarness, type Harness, type TestUser } from '../support/harness.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');
/** The token Mini App data is signed with (the dashboard's; the in-process bot's own API token does not matter here). */
export const BOT_TOKEN = '424242:browser-test_token';

/** Chromium, or a failure that says what is missing: these tests never skip. */
export async function launchChromium(path = CHROMIUM_PATH): Promise<Browser> {
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}. The browser tests drive Debian's chromium package: install it ` +
        `(apt-get install chromium fonts-noto-cjk fonts-noto-color-emoji; .ci/run does this when run as root) or set CHROMIUM_PATH to a Chromium binary.`,
    );
  }
  return chromium.launch({ executablePath: path, args: ['--no-sandbox'] });
}

export interface BrowserWorld {
  h: Harness;
  base: string;
  port: number;
  /** a person of the demo district signed in to the bot with this Telegram id */
  join(name: string, telegramId: number): Promise<TestUser>;
  close(): Promise<void>;
}

/** The seeded demo district, its bot in-process and the web server on 127.0.0.1, as `npm start` wires them. */
export async function browserWorld(): Promise<BrowserWorld> {
  const h = makeHarness();
  const api = new Api(BOT_TOKEN, { fetch: h.tg.fetch as never });
  const notifier = telegramNotifier(api, h.deps.i18n, h.config.defaultLocale, h.deps.log);
  const app = createWebApp({
    log: h.deps.log,
    health: { db: h.db, metrics: new Metrics(), updateQueueDepth: () => 0, backupDir: join(mkdtempSync(join(tmpdir(), 'bangfu-browser-')), 'backups'), now: () => h.clock.now },
    dashboard: { ...h.deps, notifier, botToken: BOT_TOKEN, secureCookies: false },
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  // the bot's /web builds its links from these, as in production
  Object.assign(h.config, { port, publicUrl: base });
  return {
    h,
    base,
    port,
    async join(name, telegramId) {
      const u = h.user(telegramId);
      await u.send(`/start ${h.demo.find((d) => d.name === name)!.code}`);
      return u;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * Launch data as Telegram builds it (core.telegram.org/bots/webapps, "Validating data received via the Mini App"):
 * every field but `hash` as `key=value`, sorted by key, joined by line feeds, signed with HMAC-SHA-256 under the key
 * HMAC-SHA-256("WebAppData", bot token). Written here on its own, not with the code under test.
 */
export function telegramInitData(fields: Record<string, string>, botToken: string): string {
  const check = Object.entries(fields)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
  const secret = createHmac('sha256', 'WebAppData').update(botToken).digest();
  return new URLSearchParams({ ...fields, hash: createHmac('sha256', secret).update(check).digest('hex') }).toString();
}

/** The fragment Telegram's clients open a Mini App with: the launch data and the client's own parameters. */
export function launchFragment(initData: string): string {
  return new URLSearchParams({ tgWebAppData: initData, tgWebAppVersion: '8.0', tgWebAppPlatform: 'weba', tgWebAppThemeParams: '{}' }).toString();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Wider than the window: the page scrolls sideways (a table inside its own scroller does not count). */
export const overflow = (page: Page) => page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth }));
