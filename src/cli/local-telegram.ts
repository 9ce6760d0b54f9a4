/**
 * The part of Telegram the terminal chat (`npm run chat`) needs, in memory: chats, the messages the bot sends with
 * their keyboards, the updates a person makes, and a `fetch` that answers grammY's Bot API calls in-process.
 * It is lenient on purpose: a person at a keyboard cannot flood anyone. The tests extend it into a strict fake
 * (test/support/local-telegram.ts: one answer per button press, "message is not modified", length and flood limits).
 */
import { EventEmitter } from 'node:events';
import type { Update, Message, InlineKeyboardMarkup, User } from '../bot/telegram-types.js';

export interface SentMessage {
  chatId: number;
  messageId: number;
  method: string;
  text?: string;
  caption?: string;
  replyMarkup?: InlineKeyboardMarkup | { keyboard: unknown[][] } | Record<string, unknown>;
  file?: { name: string; bytes: Buffer };
  at: number;
}

export type ApiFiles = Record<string, { name: string; bytes: Buffer }>;

export const BOT_USER: User = { id: 999000, is_bot: true, first_name: '帮扶助手', username: 'bangfu_demo_bot' };

/** A Bot API error as Telegram answers it: `error_code`, `description`, and `parameters` (retry_after) when given. */
export function apiError(code: number, description: string, parameters?: { retry_after?: number }): Error & { code: number; parameters?: { retry_after?: number } } {
  return Object.assign(new Error(description), { code, parameters });
}

export class LocalTelegram extends EventEmitter {
  readonly sent: SentMessage[] = [];
  commands: Record<string, unknown> = {};
  protected nextUpdateId: number;
  protected nextMessageId = 1;

  protected reserveUpdateId?: () => number;

  /**
   * `firstUpdateId`: where update ids start. A bot on an existing database must get ids it has not handled yet
   * (it skips handled ids as redeliveries), as Telegram's own ids only ever grow. `reserveUpdateId`: each id from
   * there instead (the terminal chat takes them from the database, so two chats on one file never share one).
   */
  constructor(opts: { firstUpdateId?: number; reserveUpdateId?: () => number } = {}) {
    super();
    this.nextUpdateId = opts.firstUpdateId ?? 1;
    this.reserveUpdateId = opts.reserveUpdateId;
  }

  /** Handles one Bot API method call and returns its `result` (or throws an apiError). */
  async call(method: string, params: Record<string, unknown>, files: ApiFiles = {}): Promise<unknown> {
    switch (method) {
      case 'getMe':
        return BOT_USER;
      case 'deleteWebhook':
      case 'setWebhook':
      case 'setChatMenuButton':
      case 'sendChatAction':
      case 'deleteMessage':
      case 'leaveChat':
        return true;
      case 'setMyCommands':
        this.commands[JSON.stringify({ scope: params.scope ?? null, lang: params.language_code ?? null })] = params.commands;
        return true;
      case 'answerCallbackQuery':
        this.emit('callbackAnswer', params);
        return true;
      case 'sendMessage':
      case 'sendPhoto':
      case 'sendDocument':
        return this.record(method, params, files);
      case 'editMessageText':
      case 'editMessageReplyMarkup': {
        const msg = this.findMessage(Number(params.chat_id), Number(params.message_id));
        if (!msg) throw apiError(400, 'Bad Request: message to edit not found');
        if (method === 'editMessageText') msg.text = String(params.text);
        msg.replyMarkup = parseMaybeJson(params.reply_markup) as SentMessage['replyMarkup'];
        this.emit('edited', msg);
        return this.asMessage(msg);
      }
      default:
        throw apiError(404, `Not Found: method ${method} is not emulated`);
    }
  }

  /** The newest message the bot sent with this id in this chat. */
  protected findMessage(chatId: number, messageId: number): SentMessage | undefined {
    for (let i = this.sent.length - 1; i >= 0; i--) if (this.sent[i].chatId === chatId && this.sent[i].messageId === messageId) return this.sent[i];
    return undefined;
  }

  private record(method: string, params: Record<string, unknown>, files: ApiFiles): Message {
    const file = files.photo ?? files.document;
    const msg: SentMessage = {
      chatId: Number(params.chat_id),
      messageId: this.nextMessageId++,
      method,
      text: params.text as string | undefined,
      caption: params.caption as string | undefined,
      replyMarkup: parseMaybeJson(params.reply_markup) as SentMessage['replyMarkup'],
      file,
      at: Date.now(),
    };
    this.sent.push(msg);
    this.emit('sent', msg);
    return this.asMessage(msg);
  }

  /** A message the bot sent from another terminal chat, shown here as if sent here (it gets an id of this chat's). */
  adopt(m: Omit<SentMessage, 'messageId'>): SentMessage {
    const msg: SentMessage = { ...m, messageId: this.nextMessageId++ };
    this.sent.push(msg);
    this.emit('sent', msg);
    return msg;
  }

  protected asMessage(m: SentMessage): Message {
    return {
      message_id: m.messageId,
      date: Math.floor(m.at / 1000),
      chat: { id: m.chatId, type: 'private', first_name: 'user' },
      from: BOT_USER,
      text: m.text,
    } as Message;
  }

  /** Gives an update its id (the next one unless it has its own). */
  push(update: Omit<Update, 'update_id'> & { update_id?: number }): Update {
    const u = { ...update, update_id: update.update_id ?? this.reserveUpdateId?.() ?? this.nextUpdateId++ } as Update;
    this.nextUpdateId = Math.max(this.nextUpdateId, u.update_id + 1);
    return u;
  }

  /** Builds a text-message update from a user (not queued). */
  textUpdate(user: User, text: string): Omit<Update, 'update_id'> {
    const entities = text.startsWith('/') ? [{ type: 'bot_command' as const, offset: 0, length: text.split(/\s/)[0].length }] : undefined;
    return { message: { ...this.messageFrom(user), text, entities } as never };
  }

  /** Builds a button press on a message the bot sent (not queued). */
  callbackUpdate(user: User, message: SentMessage, data: string): Omit<Update, 'update_id'> {
    return {
      callback_query: {
        id: `cq${this.nextMessageId++}`,
        from: user,
        chat_instance: String(user.id),
        data,
        message: { ...this.asMessage(message), chat: { id: user.id, type: 'private', first_name: user.first_name } } as Message,
      },
    };
  }

  /** Builds a location message (live from the device, or forwarded). */
  locationUpdate(user: User, lat: number, lon: number, forwarded = false): Omit<Update, 'update_id'> {
    return {
      message: {
        ...this.messageFrom(user),
        // a device's current position carries its accuracy; a pin dropped on the map does not
        location: forwarded ? { latitude: lat, longitude: lon } : { latitude: lat, longitude: lon, horizontal_accuracy: 12 },
        ...(forwarded ? { forward_origin: { type: 'user', date: 0, sender_user: user } } : {}),
      } as never,
    };
  }

  /** Builds a photo message (not queued). */
  photoUpdate(user: User): Omit<Update, 'update_id'> {
    const base = this.messageFrom(user);
    const id = base.message_id;
    return {
      message: {
        ...base,
        photo: [
          { file_id: `photo-${id}-small`, file_unique_id: `p${id}s`, width: 90, height: 60 },
          { file_id: `photo-${id}`, file_unique_id: `p${id}`, width: 1280, height: 960 },
        ],
      } as never,
    };
  }

  /** The fields every message from a user in their private chat has. */
  protected messageFrom(user: User): { message_id: number; date: number; chat: { id: number; type: 'private'; first_name: string }; from: User } {
    return { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: user.id, type: 'private', first_name: user.first_name }, from: user };
  }

  /** Messages sent to one chat, oldest first. */
  messagesTo(chatId: number): SentMessage[] {
    return this.sent.filter((m) => m.chatId === chatId);
  }

  /** The bytes behind a `/file/bot<token>/<file_path>` download; the terminal chat has no files from people. */
  fileAt(_url: string): Buffer | undefined {
    return undefined;
  }

  /**
   * An in-process `fetch` for grammY's client: parses JSON or multipart bodies, answers like the Bot API.
   * Lets the terminal chat and the tests run the real bot without a network.
   */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.includes('/file/bot')) {
      const bytes = this.fileAt(url);
      return bytes ? new Response(new Uint8Array(bytes)) : new Response('Not Found', { status: 404 });
    }
    const method = url.slice(url.lastIndexOf('/') + 1);
    const { params, files } = await parseBody(url, init);
    try {
      const result = await this.call(method, params, files);
      return Response.json({ ok: true, result });
    } catch (err) {
      const { status, body } = errorBody(err);
      return Response.json(body, { status });
    }
  };
}

/** The HTTP status and JSON body Telegram answers for an error thrown by `call`. */
export function errorBody(err: unknown): { status: number; body: { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } } } {
  const e = err as Error & { code?: number; parameters?: { retry_after?: number } };
  const status = e.code ?? 500;
  return { status, body: { ok: false, error_code: status, description: e.message, ...(e.parameters ? { parameters: e.parameters } : {}) } };
}

export function parseMaybeJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** JSON body, or multipart form data with files (sendPhoto/sendDocument). */
async function parseBody(url: string, init: RequestInit | undefined): Promise<{ params: Record<string, unknown>; files: ApiFiles }> {
  const params: Record<string, unknown> = {};
  const files: ApiFiles = {};
  if (!init?.body) return { params, files };
  const type = new Headers(init.headers).get('content-type') ?? '';
  if (type.includes('application/json')) {
    const text = typeof init.body === 'string' ? init.body : await new Response(init.body).text();
    return { params: JSON.parse(text || '{}') as Record<string, unknown>, files };
  }
  // grammY writes part headers as `form-data;name="x";filename=y.png`, which undici's parser refuses: respell them
  // as `form-data; name="x"; filename="y.png"` (latin1 keeps the file bytes as they are).
  const raw = Buffer.from(await new Response(init.body).arrayBuffer())
    .toString('latin1')
    .replace(/(content-disposition:\s*form-data);\s*name="([^"\r\n]*)"(?:;\s*filename=(?:"([^"\r\n]*)"|([^\r\n;]*)))?/gi, (_m, cd: string, name: string, q?: string, u?: string) =>
      q !== undefined || u !== undefined ? `${cd}; name="${name}"; filename="${q ?? u}"` : `${cd}; name="${name}"`,
    );
  const form = await new Request(url, { method: 'POST', headers: init.headers, body: Buffer.from(raw, 'latin1') }).formData();
  await collectForm(form, params, files);
  return { params, files };
}

export async function collectForm(form: FormData, params: Record<string, unknown>, files: ApiFiles): Promise<void> {
  const attached = new Map<string, { name: string; bytes: Buffer }>();
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') params[key] = parseMaybeJson(value);
    else attached.set(key, { name: value.name, bytes: Buffer.from(await value.arrayBuffer()) });
  }
  // grammY sends a file as `attach://<id>` in the field plus a part named <id>.
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string' && value.startsWith('attach://')) {
      const f = attached.get(value.slice('attach://'.length));
      if (f) files[key] = f;
    }
  }
  for (const [key, f] of attached) if (!Object.values(files).includes(f) && !files[key]) files[key] = f;
}
