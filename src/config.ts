import { z } from 'zod';

/** Everything the process reads from the environment; documented in .env.example. */
export interface Config {
  botToken: string | undefined;
  botApiRoot: string | undefined;
  databasePath: string;
  defaultLocale: 'zh-CN' | 'en';
  timezone: string;
  adminTelegramIds: number[];
  botMode: 'polling' | 'webhook';
  webhookUrl: string | undefined;
  webhookSecret: string | undefined;
  /** the HTTP server's port (webhook, dashboard, /healthz, /metrics); undefined in polling mode = no server */
  port: number | undefined;
  /** where people reach the dashboard (sign-in links, the Mini App button); https for the Mini App */
  publicUrl: string | undefined;
  /** the nightly backup job: its folder (default: backups/ beside the database) and how many copies it keeps */
  backupDir: string | undefined;
  backupKeep: number;
  /** key for invite hashes, the card chain and web sessions; undefined = the generated file beside the database */
  appSecret: string | undefined;
  /** how long start-up may wait for the Bot API (getMe) before giving up with a clear line */
  startupTimeoutSeconds: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  contentDir: string;
  /** outgoing messages per second across all chats (Telegram allows about 30) */
  sendRatePerSecond: number;
  /** the largest file the Bot API accepts from the bot, in MB (50 with Telegram's servers, 2,000 with a local Bot API server) */
  fileLimitMb: number;
}

const empty = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const schema = z
  .object({
    BOT_TOKEN: z.preprocess(empty, z.string().regex(/^\d+:[\w-]+$/, 'looks like 123456:ABC-def… (from @BotFather)').optional()),
    BOT_API_ROOT: z.preprocess(empty, z.url('a URL such as http://127.0.0.1:8081').optional()),
    DATABASE_PATH: z.preprocess(empty, z.string().default('data/bangfu.sqlite')),
    DEFAULT_LOCALE: z.preprocess(empty, z.enum(['zh-CN', 'en']).default('zh-CN')),
    TIMEZONE: z.preprocess(
      empty,
      z.string().refine(isTimeZone, 'an IANA time zone such as Asia/Shanghai').default('Asia/Shanghai'),
    ),
    ADMIN_TELEGRAM_IDS: z.preprocess(
      empty,
      z
        .string()
        .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'comma-separated numeric Telegram user ids, e.g. 12345,67890')
        .optional(),
    ),
    BOT_MODE: z.preprocess(empty, z.enum(['polling', 'webhook']).default('polling')),
    WEBHOOK_URL: z.preprocess(empty, z.url('an https URL Telegram can reach').optional()),
    WEBHOOK_SECRET: z.preprocess(empty, z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, '16–256 of A-Z a-z 0-9 _ - (e.g. `openssl rand -hex 32`)').optional()),
    PORT: z.preprocess(empty, z.coerce.number().int().min(1).max(65535).optional()),
    PUBLIC_URL: z.preprocess(empty, z.url('the address people reach the dashboard at, e.g. https://bangfu.example.org').optional()),
    BACKUP_DIR: z.preprocess(empty, z.string().optional()),
    BACKUP_KEEP: z.preprocess(empty, z.coerce.number().int().min(1).max(3650).default(14)),
    APP_SECRET: z.preprocess(empty, z.string().regex(/^[\x21-\x7e]{32,256}$/, 'at least 32 printable characters without spaces (e.g. `openssl rand -hex 32`)').optional()),
    STARTUP_TIMEOUT_SECONDS: z.preprocess(empty, z.coerce.number().int().min(1).max(600).default(30)),
    LOG_LEVEL: z.preprocess(empty, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
    CONTENT_DIR: z.preprocess(empty, z.string().default('content')),
    SEND_RATE_PER_SECOND: z.preprocess(empty, z.coerce.number().min(1).max(30).default(25)),
    TELEGRAM_FILE_LIMIT_MB: z.preprocess(empty, z.coerce.number().positive().max(2000).default(50)),
  })
  .superRefine((v, ctx) => {
    if (v.BOT_MODE === 'webhook' && !v.WEBHOOK_URL) {
      ctx.addIssue({ code: 'custom', path: ['WEBHOOK_URL'], message: 'required when BOT_MODE=webhook' });
    }
    // without it anyone who finds the URL can post forged updates (and read the answers sent back)
    if (v.BOT_MODE === 'webhook' && !v.WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'required when BOT_MODE=webhook: 16–256 of A-Z a-z 0-9 _ - (e.g. `openssl rand -hex 32`)' });
    }
  });

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/** Parses the environment; every problem becomes one line naming the variable and what it accepts. */
export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => `${String(i.path[0] ?? '?')}: ${i.message}`);
    return { ok: false, errors };
  }
  const v = parsed.data;
  return {
    ok: true,
    config: {
      botToken: v.BOT_TOKEN,
      botApiRoot: v.BOT_API_ROOT?.replace(/\/+$/, ''),
      databasePath: v.DATABASE_PATH,
      defaultLocale: v.DEFAULT_LOCALE,
      timezone: v.TIMEZONE,
      adminTelegramIds: (v.ADMIN_TELEGRAM_IDS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map(Number),
      botMode: v.BOT_MODE,
      webhookUrl: v.WEBHOOK_URL,
      webhookSecret: v.WEBHOOK_SECRET,
      // webhook mode always serves HTTP (8080 unless told); polling mode only when PORT is set
      port: v.PORT ?? (v.BOT_MODE === 'webhook' ? 8080 : undefined),
      publicUrl: v.PUBLIC_URL?.replace(/\/+$/, ''),
      backupDir: v.BACKUP_DIR,
      backupKeep: v.BACKUP_KEEP,
      appSecret: v.APP_SECRET,
      startupTimeoutSeconds: v.STARTUP_TIMEOUT_SECONDS,
      logLevel: v.LOG_LEVEL,
      contentDir: v.CONTENT_DIR,
      sendRatePerSecond: v.SEND_RATE_PER_SECOND,
      fileLimitMb: v.TELEGRAM_FILE_LIMIT_MB,
    },
  };
}
