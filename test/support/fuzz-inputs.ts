/**
 * Random inputs for the property tests of the card and the quiz (fast-check arbitraries), the updates that carry
 * them, and the checks every update must pass: no escaped exception, at least one reply or callback answer
 * (exactly one answer per button press), no message Telegram would refuse, and stored card answers of the right type.
 */
import fc from 'fast-check';
import type { Update, User } from 'grammy/types';
import type { Harness } from './harness.js';
import { compile, isDateString, parseAnswer, type CardState, type EngineContext, type FieldDef, type FormDefinition } from '../../src/core/forms/index.js';
import { inputFromValue } from '../../src/core/forms/carry-forward.js';
import { scopeFor } from '../../src/core/forms/navigation.js';
import { CARD_CODES as CARD_OPS } from '../../src/app/card/views.js';
import { createBot } from '../../src/bot/create-bot.js';
import { BOT_USER } from './local-telegram.js';
import type { BotDeps } from '../../src/bot/context.js';

/**
 * Another instance of the real bot on the harness's Telegram (and its database, unless `deps` names another
 * connection): delivers any update, and stands for a second process when two run side by side.
 */
export function extraBot(h: Harness, deps: BotDeps = h.deps): { deliver(update: Omit<Update, 'update_id'> | Update): Promise<void> } {
  const bot = createBot(deps, { botInfo: BOT_USER as never, fetch: h.tg.fetch as never, throttle: false });
  return {
    deliver: (update) => bot.handleUpdate('update_id' in update ? (update as Update) : h.tg.push(update)),
  };
}

/** One thing a user can send: a message of some kind, or a button press with some callback data. */
export type FuzzInput =
  | { kind: 'text'; text: string }
  | { kind: 'sticker' }
  | { kind: 'photo' }
  | { kind: 'document'; name: string }
  | { kind: 'voice' }
  | { kind: 'contact'; phone: string }
  | { kind: 'location'; lat: number; lon: number; forwarded: boolean; live: boolean }
  | { kind: 'data'; data: string }
  /** card button relative to the focused draft: ids and steps shifted by the deltas (0/0 = a current button) */
  | { kind: 'card'; op: string; draftDelta: number; stepDelta: number; arg?: number }
  /** quiz button relative to the latest attempt */
  | { kind: 'quiz'; op: 'qa' | 'qs'; attemptDelta: number; posDelta: number; arg: number }
  /** press the n-th button (mod count) of the last message that has buttons */
  | { kind: 'visible'; n: number }
  /** the valid scripted answer to the current question (keeps the card moving between bad inputs) */
  | { kind: 'script' };

const COMMANDS = ['/start', '/start XXXX-0000', '/menu', '/help', '/lang', '/cancel', '/visit', '/resume', '/households', '/quiz', '/push', '/stats', '/export', '/nonsense', '/visit@bangfu_demo_bot 1', '/start@other_bot'];

const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: false }).map(String),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.constantFrom('0', '-0', '+1', '1e5', '1E-7', '0x1F', '1,000', '1，000', '３５', '12.345', '.5', '5.', '1/2', 'NaN', 'Infinity', '٣', '七十五', '75元', '3.5亩', '00000000000075', '9'.repeat(40)),
);

const dateText = fc.oneof(
  fc.date({ min: new Date('1800-01-01'), max: new Date('2200-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('2017-11-10', '2017-02-30', '2017/11/10', '2017年11月10日', '20171110', '11/10/2017', '2017-13-01', '0000-00-00', '明天', 'today', '2017-11-10T00:00:00Z'),
);

const nastyText = fc.constantFrom(
  "'; DROP TABLE cards; --",
  '" OR 1=1 --',
  'Robert\'); DELETE FROM card_drafts;--',
  '{{name}}',
  '$t(refuse.stale)',
  '<b>bold</b>',
  '%s%s%s%n',
  '\u0000\u0001\u0002',
  '\u202e\u202d',
  '  ',
  '\n\n\n',
  '🏠👨‍👩‍👧‍👦🇨🇳',
  '李大山',
  '是',
  '否',
  '1',
  '11010519491231002X',
  '13800000001',
  '6222020200112233445',
  '__proto__',
  'constructor',
);

/** Random text a user might type: unicode, emoji, very long strings, numbers and dates of all shapes, SQL, commands. */
export const textArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 500, maxLength: 4096 }) },
  { weight: 1, arbitrary: fc.constantFrom('长'.repeat(4096), '🙂'.repeat(1000), 'a'.repeat(501)) },
  { weight: 3, arbitrary: numberText },
  { weight: 2, arbitrary: dateText },
  { weight: 2, arbitrary: nastyText },
  { weight: 2, arbitrary: fc.constantFrom(...COMMANDS) },
).filter((s) => s.length > 0);

const idLike = fc.oneof(
  fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '99', '-1', '1.5', 'abc', '', '999999999999999', '9999999999999999999', '01', ' 1', 'NaN'),
  fc.nat(50).map(String),
);

/** Callback data: random bytes, forged `v:` data, and every other prefix the bot uses, with wrong ids and args. */
export const dataArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...CARD_OPS, 'zz', ''), idLike, idLike, fc.option(idLike)).map(([op, d, s, a]) => (a === null ? `v:${op}:${d}:${s}` : `v:${op}:${d}:${s}:${a}`)) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('vh', 'vn', 'vg', 'vr', 'rc', 'ro', 'sh', 'pr', 'ex', 'l'), idLike).map(([p, id]) => `${p}:${id}`) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('qa', 'qs', 'rv', 'pw', 'st', 'sc', 'qz'), idLike, idLike, idLike).map(([p, a, b, c]) => `${p}:${a}:${b}:${c}`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'm:visit', 'm:resume', 'm:quiz', 'm:push', 'm:stats', 'm:export', 'm:lang', 'm:help', 'm:households', 'm:nope',
      'l:en', 'l:zh-CN', 'l:fr', 'qz:tl', 'qz:ll', 'qz:w', 'qz:t:x', 'qz:l:national', 'qz:p:1', 'pm:new', 'pw:0:by:all',
      'st:y:t:d:0', 'sc:y:t:d:0', 'rv:c:1', 'rv:s:1:1:0', 'ex:cards', 'v', 'v:', ':', '::::', 'vh:', 'qa:1:0:0',
    ),
  },
).filter((d) => Buffer.byteLength(d) <= 64 && d.length > 0);

const locationArb = fc.record({
  kind: fc.constant('location' as const),
  lat: fc.oneof(fc.double({ min: -90, max: 90, noNaN: true }), fc.constantFrom(91, -180, 0, 1e308)),
  lon: fc.oneof(fc.double({ min: -180, max: 180, noNaN: true }), fc.constantFrom(181, 0, -1e308)),
  forwarded: fc.boolean(),
  live: fc.boolean(),
});

/** Inputs for a card: every kind of message, forged data, and buttons relative to the focused draft. */
export const cardInputArb: fc.Arbitrary<FuzzInput> = fc.oneof(
  { weight: 6, arbitrary: textArb.map((text) => ({ kind: 'text' as const, text })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'sticker' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'photo' as const }) },
  { weight: 1, arbitrary: fc.constantFrom('a.pdf', 'roster.xlsx', 'q.csv', '').map((name) => ({ kind: 'document' as const, name })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'voice' as const }) },
  { weight: 1, arbitrary: fc.constantFrom('13800000001', '+8613900000000', '12345').map((phone) => ({ kind: 'contact' as const, phone })) },
  { weight: 2, arbitrary: locationArb },
  { weight: 4, arbitrary: dataArb.map((data) => ({ kind: 'data' as const, data })) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('card' as const),
      op: fc.constantFrom(...CARD_OPS),
      draftDelta: fc.constantFrom(0, 0, 0, 1, -1, 1000),
      stepDelta: fc.constantFrom(0, 0, 0, -1, 1, -3),
      arg: fc.option(fc.oneof(fc.nat(12), fc.constantFrom(9999, 100)), { nil: undefined }),
    }),
  },
  { weight: 4, arbitrary: fc.nat(40).map((n) => ({ kind: 'visible' as const, n })) },
  { weight: 4, arbitrary: fc.constant({ kind: 'script' as const }) },
);

/** Inputs for a quiz: the card's kinds plus quiz buttons relative to the latest attempt. */
export const quizInputArb: fc.Arbitrary<FuzzInput> = fc.oneof(
  { weight: 4, arbitrary: textArb.map((text) => ({ kind: 'text' as const, text })) },
  { weight: 1, arbitrary: fc.constantFrom({ kind: 'sticker' as const }, { kind: 'photo' as const }, { kind: 'voice' as const }) },
  { weight: 1, arbitrary: locationArb },
  { weight: 3, arbitrary: dataArb.map((data) => ({ kind: 'data' as const, data })) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('quiz' as const),
      op: fc.constantFrom('qa' as const, 'qa' as const, 'qs' as const),
      attemptDelta: fc.constantFrom(0, 0, 0, 1, -1, 50),
      posDelta: fc.constantFrom(0, 0, 0, 1, -1, 7),
      arg: fc.oneof(fc.nat(5), fc.constantFrom(9, 10, -1)),
    }),
  },
  { weight: 4, arbitrary: fc.nat(40).map((n) => ({ kind: 'visible' as const, n })) },
);

/** Builds the update for an input (resolved against the current draft / attempt by `resolveData`). */
export function buildUpdate(h: Harness, u: User, input: FuzzInput, resolveData: (input: FuzzInput) => string | undefined): Omit<Update, 'update_id'> | undefined {
  const chat = { id: u.id, type: 'private' as const, first_name: u.first_name };
  const base = { message_id: 1, date: 0, chat, from: u };
  switch (input.kind) {
    case 'text':
      return h.tg.textUpdate(u, input.text);
    case 'sticker':
      return { message: { ...base, sticker: { file_id: 'stk', file_unique_id: 'stk', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } } as never };
    case 'photo':
      return h.tg.photoUpdate(u);
    case 'document': {
      const id = h.tg.addUserFile(input.name || 'file', Buffer.from('not a spreadsheet'));
      return { message: { ...base, document: { file_id: id, file_unique_id: `u${id}`, ...(input.name ? { file_name: input.name } : {}), file_size: 17 } } as never };
    }
    case 'voice':
      return { message: { ...base, voice: { file_id: 'voice', file_unique_id: 'voice', duration: 3 } } as never };
    case 'contact':
      return { message: { ...base, contact: { phone_number: input.phone, first_name: '某人' } } as never };
    case 'location': {
      const loc = input.live ? { latitude: input.lat, longitude: input.lon, horizontal_accuracy: 10 } : { latitude: input.lat, longitude: input.lon };
      return { message: { ...base, location: loc, ...(input.forwarded ? { forward_origin: { type: 'user', date: 0, sender_user: u } } : {}) } as never };
    }
    default: {
      const data = resolveData(input);
      if (data === undefined) return undefined;
      const on = [...h.tg.messagesTo(u.id)].reverse().find((m) => m.replyMarkup) ?? h.tg.messagesTo(u.id).at(-1) ?? { chatId: u.id, messageId: 1, method: 'sendMessage', at: 0 };
      return h.tg.callbackUpdate(u, on, data);
    }
  }
}

/** The inline buttons of the last message in a chat that has any. */
export function visibleButtons(h: Harness, chatId: number): string[] {
  for (const m of [...h.tg.messagesTo(chatId)].reverse()) {
    const kb = (m.replyMarkup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard;
    const data = kb?.flat().map((b) => b.callback_data).filter((d): d is string => !!d) ?? [];
    if (data.length) return data;
  }
  return [];
}

/** Short, printable description of an input for failure messages. */
export function describe(input: FuzzInput): string {
  const s = JSON.stringify(input);
  return s.length > 120 ? `${s.slice(0, 120)}…(${s.length})` : s;
}

const REPLY_METHODS = new Set(['sendMessage', 'sendPhoto', 'sendDocument', 'editMessageText', 'editMessageReplyMarkup', 'answerCallbackQuery']);

/**
 * Runs one update through the bot and checks what every update must satisfy; returns problems (empty when fine).
 * `run` delivers the update (h.user(…) does that through the bot).
 */
export async function checkedRun(h: Harness, run: () => Promise<void>, isCallback: boolean, what: string): Promise<string[]> {
  const calls = h.tg.calls.length;
  const logs = h.logLines.length;
  const problems: string[] = [];
  try {
    await run();
  } catch (err) {
    problems.push(`${what}: handleUpdate threw ${String(err)}`);
  }
  const made = h.tg.calls.slice(calls);
  const replies = made.filter((c) => REPLY_METHODS.has(c.method));
  if (!replies.length) problems.push(`${what}: no reply and no callback answer`);
  const answers = made.filter((c) => c.method === 'answerCallbackQuery').length;
  if (isCallback && answers !== 1) problems.push(`${what}: ${answers} callback answers (Telegram takes exactly one)`);
  for (const c of made) {
    const text = (c.params.text ?? c.params.caption) as string | undefined;
    if (typeof text === 'string' && c.method !== 'answerCallbackQuery' && (text.length > 4096 || text.trim().length === 0)) {
      problems.push(`${what}: ${c.method} with a text of ${text.length} characters (Telegram refuses it)`);
    }
    if (c.method === 'answerCallbackQuery' && typeof c.params.text === 'string' && c.params.text.length > 200) problems.push(`${what}: callback answer over 200 characters`);
    const kb = (typeof c.params.reply_markup === 'string' ? JSON.parse(c.params.reply_markup) : c.params.reply_markup) as
      | { inline_keyboard?: { text: string; callback_data?: string }[][] }
      | undefined;
    for (const b of kb?.inline_keyboard?.flat() ?? []) {
      if (!b.text) problems.push(`${what}: a button without a label`);
      if (b.callback_data !== undefined && Buffer.byteLength(b.callback_data) > 64) problems.push(`${what}: callback data over 64 bytes`);
    }
  }
  for (const line of h.logLines.slice(logs)) {
    if (/handler failed|unhandled bot error|could not report/.test(line)) problems.push(`${what}: ${line.slice(0, 400)}`);
  }
  return problems;
}

/**
 * Problems with the stored answers of a draft: unknown fields, values of the wrong type, values the field's
 * parser would not give back (for typed answers), choices not on offer, malformed locations and photos.
 */
export function storedAnswerProblems(form: FormDefinition, state: CardState, ectx: EngineContext): string[] {
  const c = compile(form);
  const problems: string[] = [];
  const top = new Map(form.sections.flatMap((s) => s.fields).map((f) => [f.id, f]));
  for (const [id, value] of Object.entries(state.answers)) {
    const field = top.get(id);
    if (!field) {
      problems.push(`unknown field ${id}`);
      continue;
    }
    if (field.type === 'repeat') {
      if (!Array.isArray(value)) {
        problems.push(`${id}: repeat answer is not a list`);
        continue;
      }
      value.forEach((item, k) => {
        if (!item || typeof item !== 'object' || Array.isArray(item)) return void problems.push(`${id}[${k}] is not an object`);
        for (const [sub, v] of Object.entries(item)) {
          const sf = field.fields?.find((x) => x.id === sub);
          if (!sf) problems.push(`${id}[${k}].${sub}: unknown sub-field`);
          else problems.push(...valueProblems(sf, v, scopeFor(c, state, ectx, id, k), `${id}[${k}].${sub}`));
        }
      });
      continue;
    }
    problems.push(...valueProblems(field, value, scopeFor(c, state, ectx), id));
  }
  return problems;
}

function valueProblems(field: FieldDef, value: unknown, scope: ReturnType<typeof scopeFor>, where: string): string[] {
  switch (field.type) {
    case 'note':
    case 'calculate':
      return [`${where}: a ${field.type} field holds an answer`];
    case 'location': {
      const v = value as { lat?: unknown; lon?: unknown; atMs?: unknown };
      const ok = !!v && typeof v.lat === 'number' && typeof v.lon === 'number' && typeof v.atMs === 'number' && Math.abs(v.lat) <= 90 && Math.abs(v.lon) <= 180;
      return ok ? [] : [`${where}: bad location ${JSON.stringify(value)}`];
    }
    case 'photo': {
      const v = value as { fileId?: unknown; atMs?: unknown };
      return v && typeof v.fileId === 'string' && v.fileId && typeof v.atMs === 'number' ? [] : [`${where}: bad photo ${JSON.stringify(value)}`];
    }
    case 'date':
      return typeof value === 'string' && isDateString(value) ? [] : [`${where}: bad date ${JSON.stringify(value)}`];
    default: {
      const back = inputFromValue(field, value);
      if (!back) return [`${where}: ${field.type} holds ${JSON.stringify(value)}`];
      // bounds that depend on other answers (constraints) may change after the fact; the type and choices may not
      const r = parseAnswer({ ...field, constraint: undefined }, back.input, scope, back.draft);
      if (!r.ok) return [`${where}: stored ${JSON.stringify(value)} is refused by the form (${r.error.key})`];
      if (JSON.stringify(r.value) !== JSON.stringify(value)) return [`${where}: stored ${JSON.stringify(value)} parses to ${JSON.stringify(r.value)}`];
      return [];
    }
  }
}

/** Collects unhandled promise rejections while a test runs. */
export function watchRejections(): { list: unknown[]; stop(): void } {
  const list: unknown[] = [];
  const on = (r: unknown) => void list.push(r);
  process.on('unhandledRejection', on);
  return { list, stop: () => void process.off('unhandledRejection', on) };
}
