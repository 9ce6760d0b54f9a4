/**
 * The fake Telegram of the tests: in-process (the harness, through grammY's client.fetch) and over HTTP
 * (fake-bot-api.ts, for the real process). It extends the terminal chat's lenient LocalTelegram with what tests need
 * (getUpdates long polling, redelivery, files people send, a log of calls) and is strict where Telegram is strict,
 * so a bot that passes here does not fail there. What it refuses, as Telegram does (docs/testing.md):
 *
 * - a second answerCallbackQuery for one button press, or one for a query never sent: 400 "query is too old …";
 * - an edit that changes nothing (same text, same keyboard): 400 "message is not modified";
 * - text over 4096 characters (a caption over 1024, a button-press notice over 200), or empty text: 400;
 * - callback data outside 1–64 bytes: 400 BUTTON_DATA_INVALID;
 * - flooding: about one message a second per chat with bursts of up to 20, 20 a minute in a group, 30 a second in
 *   all: 429 with parameters.retry_after. Its clock is real time plus a person's pause (3 s) for every update a
 *   person makes, so a test may go as fast as it likes but the bot may not answer one tap with a storm.
 */
import type { Update, User } from 'grammy/types';
import { LocalTelegram as ChatTelegram, apiError, parseMaybeJson, type ApiFiles } from '../../src/cli/local-telegram.js';

export { BOT_USER, type SentMessage } from '../../src/cli/local-telegram.js';

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  at: number;
}

/** Telegram's limits (Bot API docs and FAQ). */
export const LIMITS = {
  textChars: 4096,
  captionChars: 1024,
  callbackNoticeChars: 200,
  callbackDataBytes: 64,
  /** one chat: a burst of this many, then one a second */
  chatBurst: 20,
  chatPerSecond: 1,
  /** a group: 20 a minute */
  groupBurst: 20,
  groupPerSecond: 20 / 60,
  /** all chats together */
  allPerSecond: 30,
  /** how long a person takes to read a reply and tap or type the next thing */
  personPauseMs: 3000,
} as const;

/** Methods that put a message on someone's screen, counted against the flood limits. */
const MESSAGE_METHODS = new Set(['sendMessage', 'sendPhoto', 'sendDocument', 'editMessageText', 'editMessageReplyMarkup']);

const TOO_OLD = 'Bad Request: query is too old and response timeout expired or query ID is invalid';
const NOT_MODIFIED =
  'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

export class LocalTelegram extends ChatTelegram {
  readonly calls: ApiCall[] = [];
  readonly callbackAnswers: { id: string; text?: string }[] = [];
  /** the 429s the flood limits answered: a test can say the bot never flooded anyone */
  readonly floods: { method: string; chatId: number; retryAfter: number }[] = [];
  /** files users sent (documents), served by getFile and the `/file/bot<token>/<path>` download */
  readonly userFiles = new Map<string, { name: string; bytes: Buffer }>();
  private updates: Update[] = [];
  private waiters: (() => void)[] = [];
  /** updates to hand out once more regardless of the offset: Telegram redelivering after a lost confirmation */
  private replays: Update[] = [];
  /** callback queries sent to the bot, and those it answered */
  private queries = new Set<string>();
  private answered = new Set<string>();
  private paused = 0;
  private buckets = new Map<number, { tokens: number; at: number }>();
  private recent: number[] = [];

  private readonly clock: () => number;

  /** `clock`: the time the flood limits count in (real time unless a test fixes it). */
  constructor(opts: { firstUpdateId?: number; clock?: () => number } = {}) {
    super(opts);
    this.clock = opts.clock ?? Date.now;
  }

  /** The flood limits' clock: real time plus a person's pause for every update a person made. */
  now(): number {
    return this.clock() + this.paused;
  }

  override async call(method: string, params: Record<string, unknown>, files: ApiFiles = {}): Promise<unknown> {
    this.calls.push({ method, params, at: Date.now() });
    if (method === 'getUpdates') return this.getUpdates(Number(params.offset ?? 0), Number(params.timeout ?? 0), Number(params.limit ?? 100));
    if (method === 'getFile') {
      const f = this.userFiles.get(String(params.file_id));
      if (!f) throw apiError(400, 'Bad Request: invalid file_id');
      return { file_id: params.file_id, file_unique_id: `u${String(params.file_id)}`, file_size: f.bytes.length, file_path: `documents/${String(params.file_id)}` };
    }
    this.refuseWhatTelegramRefuses(method, params);
    if (MESSAGE_METHODS.has(method)) this.takeFloodToken(method, Number(params.chat_id));
    const result = await super.call(method, params, files);
    if (method === 'answerCallbackQuery') {
      this.answered.add(String(params.callback_query_id));
      this.callbackAnswers.push({ id: String(params.callback_query_id), text: params.text as string | undefined });
    }
    return result;
  }

  /** Telegram's 400s, checked before anything is stored. */
  private refuseWhatTelegramRefuses(method: string, params: Record<string, unknown>): void {
    if (method === 'answerCallbackQuery') {
      const id = String(params.callback_query_id);
      if (!this.queries.has(id) || this.answered.has(id)) throw apiError(400, TOO_OLD);
      if (typeof params.text === 'string' && params.text.length > LIMITS.callbackNoticeChars) throw apiError(400, 'Bad Request: MESSAGE_TOO_LONG');
      return;
    }
    if (method === 'sendMessage' || method === 'editMessageText') {
      const text = typeof params.text === 'string' ? params.text : '';
      if (!text.trim()) throw apiError(400, 'Bad Request: message text is empty');
      if (text.length > LIMITS.textChars) throw apiError(400, method === 'sendMessage' ? 'Bad Request: message is too long' : 'Bad Request: MESSAGE_TOO_LONG');
    }
    if (typeof params.caption === 'string' && params.caption.length > LIMITS.captionChars) throw apiError(400, 'Bad Request: message caption is too long');
    checkCallbackData(params.reply_markup);
    if (method === 'editMessageText' || method === 'editMessageReplyMarkup') {
      const msg = this.findMessage(Number(params.chat_id), Number(params.message_id));
      if (!msg) throw apiError(400, 'Bad Request: message to edit not found');
      if (method === 'editMessageText' && msg.text === undefined) throw apiError(400, 'Bad Request: there is no text in the message to edit');
      const text = method === 'editMessageText' ? String(params.text) : msg.text;
      // an edit without reply_markup removes the inline keyboard, so "the same" means no keyboard before either
      if (text?.trim() === msg.text?.trim() && keyboardOf(params.reply_markup) === keyboardOf(msg.replyMarkup)) throw apiError(400, NOT_MODIFIED);
    }
  }

  /** One message's worth of the chat's and the bot's flood allowance, or a 429 saying when to try again. */
  private takeFloodToken(method: string, chatId: number): void {
    const now = this.now();
    const group = chatId < 0;
    const rate = group ? LIMITS.groupPerSecond : LIMITS.chatPerSecond;
    const burst = group ? LIMITS.groupBurst : LIMITS.chatBurst;
    const b = this.buckets.get(chatId) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    this.buckets.set(chatId, b);
    this.recent = this.recent.filter((t) => t > now - 1000);
    let retryAfter = 0;
    if (b.tokens < 1) retryAfter = Math.ceil((1 - b.tokens) / rate);
    else if (this.recent.length >= LIMITS.allPerSecond) retryAfter = Math.max(1, Math.ceil((this.recent[0] + 1000 - now) / 1000));
    if (retryAfter) {
      this.floods.push({ method, chatId, retryAfter });
      throw apiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
    }
    b.tokens -= 1;
    this.recent.push(now);
  }

  /** Queues an update for getUpdates and wakes a long poll; an update a person made moves the flood clock on. */
  override push(update: Omit<Update, 'update_id'> & { update_id?: number }): Update {
    const u = super.push(update);
    if (u.callback_query) this.queries.add(u.callback_query.id);
    if (u.callback_query || (u.message?.from && !u.message.from.is_bot)) this.paused += LIMITS.personPauseMs;
    this.updates.push(u);
    this.wake();
    return u;
  }

  /** Whether getUpdates still holds the update (no poll has confirmed it yet): the next bot to poll gets it. */
  unconfirmed(updateId: number): boolean {
    return this.updates.some((u) => u.update_id === updateId);
  }

  /** Delivers an already handled update a second time (the same update_id). */
  replay(update: Update): void {
    this.replays.push(update);
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private async getUpdates(offset: number, timeoutSec: number, limit: number): Promise<Update[]> {
    if (this.replays.length) return this.replays.splice(0);
    if (offset > 0) this.updates = this.updates.filter((u) => u.update_id >= offset);
    if (!this.updates.length && timeoutSec > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutSec * 1000);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.push(done);
      });
    }
    return this.updates.slice(0, limit);
  }

  /** Stores a file as if a user had uploaded it; returns its file_id. */
  addUserFile(name: string, bytes: Buffer): string {
    const id = `doc${this.userFiles.size + 1}_${bytes.length}`;
    this.userFiles.set(id, { name, bytes });
    return id;
  }

  /** Builds a document message from a user (not queued). */
  documentUpdate(user: User, fileId: string): Omit<Update, 'update_id'> {
    const f = this.userFiles.get(fileId)!;
    return {
      message: { ...this.messageFrom(user), document: { file_id: fileId, file_unique_id: `u${fileId}`, file_name: f.name, file_size: f.bytes.length } } as never,
    };
  }

  /** The bytes behind a `/file/bot<token>/<file_path>` URL, if it names a stored file. */
  override fileAt(url: string): Buffer | undefined {
    const m = /\/file\/bot[^/]+\/documents\/([^/?]+)/.exec(url);
    return m ? this.userFiles.get(decodeURIComponent(m[1]))?.bytes : undefined;
  }
}

/** Every button's callback data must be 1–64 bytes of UTF-8. */
function checkCallbackData(markup: unknown): void {
  const rows = (parseMaybeJson(markup) as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard ?? [];
  for (const b of rows.flat()) {
    if (b.callback_data === undefined) continue;
    const bytes = Buffer.byteLength(b.callback_data, 'utf8');
    if (bytes < 1 || bytes > LIMITS.callbackDataBytes) throw apiError(400, 'Bad Request: BUTTON_DATA_INVALID');
  }
}

/** An inline keyboard as comparable text; none and an empty one are the same. */
function keyboardOf(markup: unknown): string {
  const rows = (parseMaybeJson(markup) as { inline_keyboard?: Record<string, unknown>[][] } | undefined)?.inline_keyboard ?? [];
  if (!rows.flat().length) return '';
  return JSON.stringify(rows.map((r) => r.map((b) => Object.fromEntries(Object.entries(b).sort(([x], [y]) => x.localeCompare(y))))));
}
