/**
 * `npm run chat`: talk to the real bot in the terminal, as any person of a demo district. No Telegram, no token.
 * The bot runs in-process against LocalTelegram; the database is data/demo.sqlite (CHAT_DATABASE_PATH).
 */
import 'dotenv/config';
import { createInterface } from 'node:readline/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { User } from '../bot/telegram-types.js';
import { loadConfig } from '../config.js';
import { openDb } from '../db/client.js';
import { deferSyncs, makeDurable, stopSyncs } from '../db/durable.js';
import { loadContent } from '../content/index.js';
import { createLogger } from '../logger.js';
import { createTranslator } from '../i18n.js';
import { createBot } from '../bot/create-bot.js';
import { telegramNotifier } from '../bot/notifier.js';
import { startBackground } from '../jobs/background.js';
import { LocalTelegram, BOT_USER, type SentMessage } from './local-telegram.js';
import { linkChats } from './chat-mail.js';
import { seedDemo } from './admin-commands.js';
import { findPeople } from '../db/people-repo.js';
import { reserveUpdateId } from '../db/updates-repo.js';
import { createInvite } from '../db/invite-repo.js';
import { ROLE_NAMES } from '../core/roster/columns.js';
import { DEMO_PEOPLE } from './demo-district.js';

const parsed = loadConfig({ ...process.env, DATABASE_PATH: process.env.CHAT_DATABASE_PATH ?? 'data/demo.sqlite', BOT_TOKEN: '' });
if (!parsed.ok) {
  for (const e of parsed.errors) console.error(e);
  process.exit(2);
}
const config = parsed.config;
const content = loadContent(config.contentDir);
if (!content.ok) {
  for (const e of content.errors) console.error(e);
  process.exit(1);
}
const db = openDb(config.databasePath);
deferSyncs(db, config.databasePath); // as `npm start` does: replies wait for the WAL's sync
const i18n = createTranslator(config.defaultLocale);
const t = i18n.forLocale(config.defaultLocale);
const outDir = join(dirname(config.databasePath), 'chat-files');

/**
 * The demo people, each a fixed terminal "Telegram account". The district is seeded once per database; whoever
 * has not redeemed an invite yet gets a fresh one at every start (codes expire, and only their hashes are stored).
 */
if (!findPeople(db, DEMO_PEOPLE[0][0]).length) {
  seedDemo({ config, db, t, out: () => undefined, now: Date.now() }, () => undefined, () => undefined);
}
const personas = DEMO_PEOPLE.map(([personCode, name, , , roles], i) => {
  const user: User = { id: 5001 + i, is_bot: false, first_name: name, language_code: 'zh-hans' };
  const person = findPeople(db, personCode)[0];
  const bound = person.telegramId === user.id;
  const code = bound ? '' : createInvite(db, person.id, Date.now()).code;
  const role = roles.split(',').map((r) => ROLE_NAMES[r]).join('+');
  return { role, name, code, bound, user, personCode };
});

const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
// update ids come from the database: after the last one it handled (a second session must not look like redelivery),
// and never the same as another chat's running on the same file at the same time
const tg = new LocalTelegram({ reserveUpdateId: () => reserveUpdateId(db, Date.now()) });
const deps = { config, db, i18n, log, content: content.content, now: () => Date.now() };
const bot = createBot(deps, { botInfo: BOT_USER as never, fetch: tg.fetch as never, throttle: false });
// what this chat's bot sends reaches the other terminal chats on this database, and theirs reaches this one
const mail = linkChats(tg, `${config.databasePath}.chat-mail`);
const background = startBackground({ ...deps, notifier: telegramNotifier(bot.api, i18n, config.defaultLocale, log) });

let me = personas[0];
const lastKeyboard = new Map<number, SentMessage>();

/** messages shown per chat, so switching to a person shows what reached them while you were someone else */
const shown = new Map<number, number>();

function show(m: SentMessage, edited = false): void {
  if (m.chatId !== me?.user.id) return;
  if (!edited) shown.set(m.chatId, (shown.get(m.chatId) ?? 0) + 1);
  const body = m.text ?? m.caption ?? '';
  let extra = '';
  if (m.file) {
    mkdirSync(outDir, { recursive: true });
    const path = join(outDir, `${process.pid}-${m.messageId}-${m.file.name}`); // two chats number their messages alike
    writeFileSync(path, m.file.bytes);
    extra = `\n   📎 ${path}`;
  }
  console.log(`\n🤖 ${edited ? '(已更新 / edited) ' : ''}${body.split('\n').join('\n   ')}${extra}`);
  const kb = m.replyMarkup as { inline_keyboard?: { text: string; callback_data?: string }[][]; keyboard?: { text: string }[][] } | undefined;
  if (kb?.inline_keyboard?.length) {
    lastKeyboard.set(m.chatId, m);
    let n = 0;
    console.log(kb.inline_keyboard.map((row) => '   ' + row.map((b) => `[#${++n} ${b.text}]`).join(' ')).join('\n'));
  } else if (kb?.keyboard?.length) {
    console.log('   ' + kb.keyboard.flat().map((b) => `[${b.text}]`).join(' ') + '   (:loc 纬度 经度 发送位置 / send a location)');
  }
}
tg.on('sent', (m: SentMessage) => show(m));
tg.on('edited', (m: SentMessage) => show(m, true));
tg.on('callbackAnswer', (p: { text?: string }) => p.text && console.log(`\n🔔 ${p.text}`));

function help(): void {
  console.log(`
帮扶助手 · 终端聊天 / terminal chat   (数据库 / database: ${config.databasePath})
演示人员 / demo people:`);
  personas.forEach((p, i) =>
    console.log(`  ${i + 1}. ${p.role.padEnd(17)} ${p.name}   ${p.bound ? '已绑定 / signed in' : `邀请码 / invite: ${p.code}`}`),
  );
  console.log(`
  :as N        切换为第 N 位人员 / become person N   (现在 / now: ${me ? me.name : '-'})
  /start 邀请码 绑定账号 / redeem the invite (first time as each person)
  #N           按最近消息的第 N 个按钮 / press button N of the latest message
  :loc 纬度 经度  发送实时位置 / share a location     :fwdloc 纬度 经度  转发的位置 / a forwarded one
  :photo       发送一张照片 / send a photo             :help   这段说明 / this help     :quit  退出 / quit
  其他文字原样发给机器人 / anything else is sent to the bot as text.
`);
}

let updateQueue: Promise<void> = Promise.resolve();
function send(update: ReturnType<LocalTelegram['textUpdate']>): Promise<void> {
  const u = tg.push(update);
  updateQueue = updateQueue.then(() => bot.handleUpdate(u).catch((e) => console.error(e)));
  return updateQueue;
}

makeDurable(db); // the invites printed below are on disk first
help();
const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
rl.setPrompt(`${me?.name ?? ''}> `);
rl.prompt();
for await (const raw of rl) {
  const line = raw.trim();
  if (!line) {
    rl.prompt();
    continue;
  }
  if (line === ':quit' || line === ':q') break;
  if (line === ':help') help();
  else if (line.startsWith(':as')) {
    const n = Number(line.slice(3).trim());
    if (personas[n - 1]) {
      me = personas[n - 1];
      const bound = findPeople(db, me.personCode)[0]?.telegramId === me.user.id;
      console.log(bound ? `→ ${me.name}（${me.role}）` : `→ ${me.name}（${me.role}）。请先发送 / first send: /start ${me.code}`);
      const missed = tg.messagesTo(me.user.id).slice(shown.get(me.user.id) ?? 0);
      if (missed.length) console.log(`📬 ${missed.length} 条新消息 / new message(s) while you were away:`);
      for (const m of missed) show(m);
    } else console.log('?');
  } else if (/^#\d+$/.test(line)) {
    const msg = lastKeyboard.get(me.user.id);
    const buttons = ((msg?.replyMarkup as { inline_keyboard?: { callback_data?: string }[][] })?.inline_keyboard ?? []).flat();
    const b = buttons[Number(line.slice(1)) - 1];
    if (!msg || !b?.callback_data) console.log('没有这个按钮 / no such button');
    else await send(tg.callbackUpdate(me.user, msg, b.callback_data));
  } else if (/^:(fwd)?loc\s/.test(line)) {
    const [, lat, lon] = line.split(/\s+/).map(Number);
    await send(tg.locationUpdate(me.user, lat, lon, line.startsWith(':fwd')));
  } else if (line === ':photo') await send(tg.photoUpdate(me.user));
  else await send(tg.textUpdate(me.user, line));
  rl.setPrompt(`${me?.name ?? ''}> `);
  rl.prompt();
}
await updateQueue;
mail.stop();
await background.stop();
await stopSyncs(db);
db.$client.close();
process.exit(0);
