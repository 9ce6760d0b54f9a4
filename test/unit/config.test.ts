import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const r = loadConfig({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({
      botToken: undefined,
      databasePath: 'data/bangfu.sqlite',
      defaultLocale: 'zh-CN',
      timezone: 'Asia/Shanghai',
      adminTelegramIds: [],
      botMode: 'polling',
      logLevel: 'info',
    });
  });

  it('parses every variable', () => {
    const r = loadConfig({
      BOT_TOKEN: '123456:ABC-def_1',
      BOT_API_ROOT: 'http://127.0.0.1:8081/',
      DATABASE_PATH: '/tmp/x.sqlite',
      DEFAULT_LOCALE: 'en',
      TIMEZONE: 'Asia/Urumqi',
      ADMIN_TELEGRAM_IDS: '1, 22,333',
      BOT_MODE: 'webhook',
      WEBHOOK_URL: 'https://example.org/hook',
      WEBHOOK_SECRET: 'a-long-enough-secret_0123',
      PORT: '9000',
      LOG_LEVEL: 'warn',
    });
    expect(r.ok && r.config).toMatchObject({
      botToken: '123456:ABC-def_1',
      botApiRoot: 'http://127.0.0.1:8081',
      defaultLocale: 'en',
      timezone: 'Asia/Urumqi',
      adminTelegramIds: [1, 22, 333],
      botMode: 'webhook',
      port: 9000,
    });
  });

  it.each([
    ['BOT_TOKEN', { BOT_TOKEN: 'not a token' }],
    ['BOT_API_ROOT', { BOT_API_ROOT: 'nope' }],
    ['DEFAULT_LOCALE', { DEFAULT_LOCALE: 'fr' }],
    ['TIMEZONE', { TIMEZONE: 'Mars/Olympus' }],
    ['ADMIN_TELEGRAM_IDS', { ADMIN_TELEGRAM_IDS: '12,abc' }],
    ['BOT_MODE', { BOT_MODE: 'push' }],
    ['PORT', { PORT: '70000' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['WEBHOOK_URL', { BOT_MODE: 'webhook', WEBHOOK_SECRET: 'a-long-enough-secret_0123' }],
    // webhook mode without a secret would accept any POST as an update (issue 10)
    ['WEBHOOK_SECRET', { BOT_MODE: 'webhook', WEBHOOK_URL: 'https://example.org/hook' }],
    ['WEBHOOK_SECRET', { WEBHOOK_SECRET: 'short' }],
    ['APP_SECRET', { APP_SECRET: 'too short' }],
  ])('names %s in one line when it is bad', (name, env) => {
    const r = loadConfig(env);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].startsWith(`${name}: `)).toBe(true);
  });

  it('reports several bad variables, one line each', () => {
    const r = loadConfig({ DEFAULT_LOCALE: 'fr', PORT: 'x', LOG_LEVEL: 'loud' });
    expect(r.ok ? [] : r.errors.map((e) => e.split(':')[0]).sort()).toEqual(['DEFAULT_LOCALE', 'LOG_LEVEL', 'PORT']);
  });
});
