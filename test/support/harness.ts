/**
 * In-process bot tests: the real bot (createBot) on a fresh SQLite file (a copy of a template, see template-db.ts),
 * its API calls answered by LocalTelegram through grammY's client.fetch. No network, no timers from the throttler.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { User } from 'grammy/types';
import { loadConfig, type Config } from '../../src/config.js';
import { openDb, type Db } from '../../src/db/client.js';
import { loadContent, type Content } from '../../src/content/index.js';
import type { Settings } from '../../src/core/forms/settings.js';
import { createLogger } from '../../src/logger.js';
import { createTranslator } from '../../src/i18n.js';
import { createBot } from '../../src/bot/create-bot.js';
import { BOT_USER, LocalTelegram, type SentMessage } from './local-telegram.js';
import { seedDemo, type CliEnv } from '../../src/cli/admin-commands.js';
import { copyTemplate, restoreSnapshot, snapshotDatabase, type DatabaseSnapshot } from './template-db.js';
import type { BotDeps } from '../../src/bot/context.js';
import { lastProcessedUpdateId } from '../../src/db/updates-repo.js';
import { deferSyncs, unsyncedChanges } from '../../src/db/durable.js';

export interface Harness {
  db: Db;
  tg: LocalTelegram;
  deps: BotDeps;
  config: Config;
  clock: { now: number };
  logLines: string[];
  /** demo persons by role word (helper, trainer, …) with invite codes */
  demo: { role: string; name: string; code: string }[];
  user(id: number, languageCode?: string): TestUser;
  cli(): CliEnv;
  /** a new bot process on the same database (what a restart keeps and what it loses) */
  restart(): void;
  /** this database as it is now, for `makeHarness({ from })`: a state several tests start from, built once */
  snapshot(): DatabaseSnapshot;
  /** with `deferSyncs`: the Bot API calls that left while a write was not yet on disk (none, if replies wait) */
  sentUnsynced: string[];
}

export interface TestUser {
  user: User;
  send(text: string): Promise<void>;
  press(label: string | RegExp): Promise<void>;
  pressData(data: string, on?: SentMessage): Promise<void>;
  location(lat: number, lon: number, forwarded?: boolean): Promise<void>;
  photo(): Promise<void>;
  sticker(): Promise<void>;
  /** any update built by LocalTelegram (for shapes the helpers above do not make) */
  sendUpdate(update: ReturnType<LocalTelegram['textUpdate']>): Promise<void>;
  /** messages sent to this chat after the mark */
  inbox(): SentMessage[];
  last(): SentMessage;
  lastText(): string;
  /** all texts since the previous call of takeTexts */
  takeTexts(): string[];
}

const loaded = new Map<string, Content>();

/** content/ loaded once per test process (~150 ms a load): read-only, as in production, where every chat shares it. */
function contentOf(dir: string): Content {
  let c = loaded.get(dir);
  if (!c) {
    const r = loadContent(dir);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    loaded.set(dir, (c = r.content));
  }
  return c;
}

/**
 * `settings` changes the district settings of this harness only (a copy: the shared content stays as loaded), as a
 * district edits content/settings.yaml, e.g. to enter its own poverty line of a year.
 */
/**
 * `deferSyncs`: the database syncs before replies as `npm start` opens it (src/db/durable.ts), real syncs included,
 * and every Bot API call is checked to leave only once what was written before it is on disk.
 */
export function makeHarness(opts: { seed?: boolean; env?: Record<string, string>; settings?: (s: Settings) => Settings; from?: DatabaseSnapshot; deferSyncs?: boolean } = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'bangfu-'));
  const parsed = loadConfig({ DATABASE_PATH: join(dir, 'db.sqlite'), LOG_LEVEL: 'info', ...opts.env });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const config = parsed.config;
  const loadedContent = contentOf(config.contentDir);
  const content = opts.settings ? { ...loadedContent, settings: opts.settings(structuredClone(loadedContent.settings)) } : loadedContent;
  const clock = { now: opts.from?.now ?? Date.parse('2017-11-15T02:00:00Z') };
  const seed = opts.seed !== false && !opts.from;
  // a copy of a template migrated (and seeded) once per test process; settings of the test's own are seeded as before
  const fromTemplate = !opts.from && Object.keys(opts.env ?? {}).every((k) => k === 'DATABASE_PATH');
  const demo: Harness['demo'] = opts.from ? restoreSnapshot(opts.from, config.databasePath) : fromTemplate ? copyTemplate(config, config.databasePath, { seed, now: clock.now }) : [];
  const db = openDb(config.databasePath, opts.deferSyncs ? {} : { synchronous: 'NORMAL' });
  const logLines: string[] = [];
  const log = createLogger('debug', { write: (s: string) => void logLines.push(s) } as unknown as NodeJS.WritableStream);
  const i18n = createTranslator(config.defaultLocale);
  const deps: BotDeps = { config, db, i18n, log, content, now: () => clock.now };
  // on a snapshot's database, update ids go on from the last one handled (the bot skips ids it has seen)
  const tg = new LocalTelegram(opts.from ? { firstUpdateId: lastProcessedUpdateId(db) + 1 } : {});
  const sentUnsynced: string[] = [];
  let fetch = tg.fetch;
  if (opts.deferSyncs) {
    deferSyncs(db, config.databasePath);
    fetch = (input, init) => {
      if (unsyncedChanges(db) > 0) sentUnsynced.push(String(input).split('/').at(-1)!);
      return tg.fetch(input, init);
    };
  }
  let bot = createBot(deps, { botInfo: BOT_USER as never, fetch: fetch as never, throttle: false });
  const restart = () => {
    bot = createBot(deps, { botInfo: BOT_USER as never, fetch: fetch as never, throttle: false });
  };
  const cli = (): CliEnv => ({ config, db, t: i18n.forLocale('zh-CN'), out: () => undefined, now: clock.now });
  if (seed && !fromTemplate) {
    seedDemo(cli(), (line) => {
      const [role, name, code] = line.split('\t');
      demo.push({ role, name, code });
    }, () => undefined);
  }

  function user(id: number, languageCode = 'zh-hans'): TestUser {
    const u: User = { id, is_bot: false, first_name: `u${id}`, language_code: languageCode };
    let taken = tg.messagesTo(id).length;
    const run = async (update: ReturnType<LocalTelegram['textUpdate']>) => {
      await bot.handleUpdate(tg.push(update));
      // Telegram would have answered 429: a person's one tap must never set off more than a chat may receive
      if (tg.floods.length) throw new Error(`the bot flooded: ${JSON.stringify(tg.floods)}`);
    };
    const api: TestUser = {
      user: u,
      send: (text) => run(tg.textUpdate(u, text)),
      async press(label) {
        const msg = [...tg.messagesTo(id)].reverse().find((m) => buttons(m).some((b) => matches(b.text, label)));
        if (!msg) throw new Error(`no button ${String(label)} in chat ${id}; last: ${api.lastText()}`);
        const b = buttons(msg).find((x) => matches(x.text, label))!;
        await run(tg.callbackUpdate(u, msg, b.callback_data!));
      },
      pressData: (data, on) => run(tg.callbackUpdate(u, on ?? api.last(), data)),
      location: (lat, lon, forwarded) => run(tg.locationUpdate(u, lat, lon, forwarded)),
      photo: () => run(tg.photoUpdate(u)),
      sendUpdate: (update) => run(update),
      sticker: () =>
        run({
          message: {
            message_id: 1,
            date: 0,
            chat: { id, type: 'private', first_name: u.first_name },
            from: u,
            sticker: { file_id: 'stk', file_unique_id: 'stk', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false },
          } as never,
        }),
      inbox: () => tg.messagesTo(id),
      last: () => tg.messagesTo(id).at(-1)!,
      lastText: () => tg.messagesTo(id).at(-1)?.text ?? '',
      takeTexts() {
        const all = tg.messagesTo(id);
        const out = all.slice(taken).map((m) => m.text ?? m.caption ?? '');
        taken = all.length;
        return out;
      },
    };
    return api;
  }
  const snapshot = () => snapshotDatabase(db, config.databasePath, demo, clock.now);
  return { db, tg, deps, config, clock, logLines, demo, user, cli, restart, snapshot, sentUnsynced };
}

export function buttons(m: SentMessage | undefined): { text: string; callback_data?: string }[] {
  const kb = m?.replyMarkup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined;
  return kb?.inline_keyboard?.flat() ?? [];
}

/** Whether a message carries a keyboard: inline buttons, or a reply keyboard (Telegram's "share my location"). */
export function hasKeyboard(m: SentMessage | undefined): boolean {
  const kb = m?.replyMarkup as { inline_keyboard?: unknown[][]; keyboard?: unknown[][] } | undefined;
  return !!(kb?.inline_keyboard?.length || kb?.keyboard?.length);
}

function matches(text: string, label: string | RegExp): boolean {
  return typeof label === 'string' ? text.includes(label) : label.test(text);
}

/** Every text the bot sent must be translated: no raw i18n key, no unfilled {{placeholder}}. */
export function assertNoRawKeys(texts: string[]): void {
  for (const t of texts) {
    if (/\{\{\w+\}\}/.test(t) || /^[a-z_]+(\.[a-z_]+)+$/.test(t.trim())) throw new Error(`raw i18n output: ${t}`);
  }
}
