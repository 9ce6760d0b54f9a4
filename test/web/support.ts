/**
 * The real web server (Hono on @hono/node-server, a real port on 127.0.0.1) over the supervision fixture's database:
 * the dashboard as a browser reaches it, with a cookie jar per person, and every log line kept for privacy checks.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterEach } from 'vitest';
import { Metrics } from '../../src/app/metrics.js';
import { webLinkFor } from '../../src/app/web-access.js';
import { createTranslator } from '../../src/i18n.js';
import { createLogger } from '../../src/logger.js';
import { createWebApp } from '../../src/web/server.js';
import { offThreadReports, type OffThreadReports } from '../../src/app/stats/off-thread.js';
import { makeFixture, type Fixture, type Who } from '../app/supervision-fixture.js';

export const BOT_TOKEN = '123456:TEST-token_for-the-dashboard';

export interface WebWorld extends Fixture {
  base: string;
  logs: string[];
  metrics: Metrics;
  backupDir: string;
  /** the report worker, when the world computes `/stats` pages off the thread */
  reports?: OffThreadReports;
  /** a browser signed in as this person through a one-time link */
  signIn(who: Who): Promise<Browser>;
  browser(): Browser;
}

export class Browser {
  cookie = '';
  constructor(private readonly base: string) {}

  async get(path: string): Promise<Response> {
    return this.request(path, { method: 'GET' });
  }

  async post(path: string, form: Record<string, string>): Promise<Response> {
    return this.request(path, { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  private async request(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    const res = await fetch(new URL(path, this.base), { ...init, headers, redirect: 'manual' });
    const set = res.headers.get('set-cookie');
    if (set) {
      const [pair] = set.split(';');
      this.cookie = pair.endsWith('=') ? '' : pair;
    }
    return res;
  }

  /** The CSRF token of a page's forms. */
  static csrf(page: string): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(page);
    if (!m) throw new Error('no CSRF token on the page');
    return m[1];
  }
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const workers: OffThreadReports[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((r) => r.close()));
});

/** `offThread`: `/stats` pages computed in the report worker, as the running bot does. */
export async function webWorld(opts: { secureCookies?: boolean; offThread?: boolean } = {}): Promise<WebWorld> {
  const f = makeFixture();
  const logs: string[] = [];
  const log = createLogger('debug', { write: (s: string) => void logs.push(s) } as unknown as NodeJS.WritableStream);
  const metrics = new Metrics();
  const backupDir = join(mkdtempSync(join(tmpdir(), 'bangfu-web-backups-')), 'backups');
  const deps = { ...f.deps, log };
  const reports = opts.offThread ? offThreadReports(deps) : undefined;
  if (reports) workers.push(reports);
  const app = createWebApp({
    log,
    health: { db: f.db, metrics, updateQueueDepth: () => 0, backupDir, now: () => f.clock.now },
    dashboard: { ...deps, notifier: f.notifier, reports, i18n: createTranslator('zh-CN'), botToken: BOT_TOKEN, secureCookies: opts.secureCookies ?? false },
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  servers.push(server);
  await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // the use cases read the port and address from the configuration, as in production
  Object.assign(f.deps.config, { port: (server.address() as AddressInfo).port, publicUrl: base });
  Object.assign(deps, { log });
  const w: WebWorld = {
    ...f,
    deps: deps,
    base,
    logs,
    metrics,
    backupDir,
    reports,
    browser: () => new Browser(base),
    async signIn(who) {
      const link = webLinkFor(deps, f.actor(who));
      if (!link.ok) throw new Error(link.reason);
      const b = new Browser(base);
      const token = link.value.url.split('/web/in/')[1];
      const res = await b.post('/web/in', { token });
      if (res.status !== 303) throw new Error(`sign-in of ${who}: ${res.status}`);
      return b;
    },
  };
  return w;
}
