/**
 * A small in-memory Bot API: enough of Telegram for the terminal chat, the in-process bot tests and the
 * fake HTTP server of the end-to-end tests. It keeps chats, messages with their keyboards, files and calls,
 * and serves getUpdates with long polling.
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

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  at: number;
}

export const BOT_USER: User = { id: 999000, is_bot: true, first_name: '帮扶助手', username: 'bangfu_demo_bot' };

export class LocalTelegram extends EventEmitter {
  readonly calls: ApiCall[] = [];
  readonly sent: SentMessage[] = [];
  readonly callbackAnswers: { id: string; text?: string }[] = [];
  private updates: Update[] = [];
  private nextUpdateId: number;
  private nextMessageId = 1;
  private waiters: (() => void)[] = [];
  commands: Record<string, unknown> = {};

  /**
   * `firstUpdateId`: where update ids start. A bot on an existing database must get ids it has not handled yet
   * (it skips handled ids as redeliveries), as Telegram's own ids only ever grow.
   */
  constructor(opts: { firstUpdateId?: number } = {}) {
    super();
    this.nextUpdateId = opts.firstUpdateId ?? 1;
  }
  /** files users sent (documents), served by getFile and the `/file/bot<token>/<path>` download */
  readonly userFiles = new Map<string, { name: string; bytes: Buffer }>();

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
      message: {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user.id, type: 'private', first_name: user.first_name },
        from: user,
        document: { file_id: fileId, file_unique_id: `u${fileId}`, file_name: f.name, file_size: f.bytes.length },
      } as never,
    };
  }

  /** The bytes behind a `/file/bot<token>/<file_path>` URL, if it names a stored file. */
  fileAt(url: string): Buffer | undefined {
    const m = /\/file\/bot[^/]+\/documents\/([^/?]+)/.exec(url);
    return m ? this.userFiles.get(decodeURIComponent(m[1]))?.bytes : undefined;
  }

  /** Handles one Bot API method call and returns its `result` (or throws ApiError-like objects). */
  async call(method: string, params: Record<string, unknown>, files: Record<string, { name: string; bytes: Buffer }> = {}): Promise<unknown> {
    this.calls.push({ method, params, at: Date.now() });
    switch (method) {
      case 'getMe':
        return BOT_USER;
      case 'getUpdates':
        return this.getUpdates(Number(params.offset ?? 0), Number(params.timeout ?? 0), Number(params.limit ?? 100));
      case 'deleteWebhook':
      case 'setWebhook':
      case 'setChatMenuButton':
      case 'sendChatAction':
      case 'deleteMessage':
        return true;
      case 'getFile': {
        const f = this.userFiles.get(String(params.file_id));
        if (!f) throw Object.assign(new Error('Bad Request: invalid file_id'), { code: 400 });
        return { file_id: params.file_id, file_unique_id: `u${String(params.file_id)}`, file_size: f.bytes.length, file_path: `documents/${String(params.file_id)}` };
      }
      case 'setMyCommands':
        this.commands[JSON.stringify({ scope: params.scope ?? null, lang: params.language_code ?? null })] = params.commands;
        return true;
      case 'answerCallbackQuery':
        this.callbackAnswers.push({ id: String(params.callback_query_id), text: params.text as string | undefined });
        this.emit('callbackAnswer', params);
        return true;
      case 'sendMessage':
      case 'sendPhoto':
      case 'sendDocument':
        return this.record(method, params, files);
      case 'editMessageText':
      case 'editMessageReplyMarkup': {
        const msg = [...this.sent].reverse().find((m) => m.chatId === Number(params.chat_id) && m.messageId === Number(params.message_id));
        if (!msg) throw Object.assign(new Error('Bad Request: message to edit not found'), { code: 400 });
        if (method === 'editMessageText') msg.text = String(params.text);
        msg.replyMarkup = params.reply_markup as SentMessage['replyMarkup'];
        this.emit('edited', msg);
        return this.asMessage(msg);
      }
      default:
        throw Object.assign(new Error(`Not Found: method ${method} is not emulated`), { code: 404 });
    }
  }

  private record(method: string, params: Record<string, unknown>, files: Record<string, { name: string; bytes: Buffer }>): Message {
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

  private asMessage(m: SentMessage): Message {
    return {
      message_id: m.messageId,
      date: Math.floor(m.at / 1000),
      chat: { id: m.chatId, type: 'private', first_name: 'user' },
      from: BOT_USER,
      text: m.text,
    } as Message;
  }

  /** updates to hand out once more regardless of the offset: Telegram redelivering after a lost confirmation */
  private replays: Update[] = [];

  /** Delivers an already handled update a second time (the same update_id). */
  replay(update: Update): void {
    this.replays.push(update);
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

  /** Queues an update for getUpdates (and wakes a long poll). */
  push(update: Omit<Update, 'update_id'> & { update_id?: number }): Update {
    const u = { ...update, update_id: update.update_id ?? this.nextUpdateId++ } as Update;
    this.nextUpdateId = Math.max(this.nextUpdateId, u.update_id + 1);
    this.updates.push(u);
    for (const w of this.waiters.splice(0)) w();
    return u;
  }

  /** Builds a text-message update from a user (not queued). */
  textUpdate(user: User, text: string): Omit<Update, 'update_id'> {
    const entities = text.startsWith('/') ? [{ type: 'bot_command' as const, offset: 0, length: text.split(/\s/)[0].length }] : undefined;
    return {
      message: {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user.id, type: 'private', first_name: user.first_name },
        from: user,
        text,
        entities,
      } as never,
    };
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
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user.id, type: 'private', first_name: user.first_name },
        from: user,
        // a device's current position carries its accuracy; a pin dropped on the map does not
        location: forwarded ? { latitude: lat, longitude: lon } : { latitude: lat, longitude: lon, horizontal_accuracy: 12 },
        ...(forwarded ? { forward_origin: { type: 'user', date: 0, sender_user: user } } : {}),
      } as never,
    };
  }

  /** Builds a photo message (not queued). */
  photoUpdate(user: User): Omit<Update, 'update_id'> {
    const id = this.nextMessageId++;
    return {
      message: {
        message_id: id,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user.id, type: 'private', first_name: user.first_name },
        from: user,
        photo: [
          { file_id: `photo-${id}-small`, file_unique_id: `p${id}s`, width: 90, height: 60 },
          { file_id: `photo-${id}`, file_unique_id: `p${id}`, width: 1280, height: 960 },
        ],
      } as never,
    };
  }

  /** Messages sent to one chat, oldest first. */
  messagesTo(chatId: number): SentMessage[] {
    return this.sent.filter((m) => m.chatId === chatId);
  }

  /**
   * An in-process `fetch` for grammY's client: parses JSON or multipart bodies, answers like the Bot API.
   * Lets tests and the terminal chat run the real bot without a network.
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
      const e = err as Error & { code?: number };
      return Response.json({ ok: false, error_code: e.code ?? 500, description: e.message }, { status: e.code ?? 500 });
    }
  };
}

function parseMaybeJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** JSON body, or multipart form data with files (sendPhoto/sendDocument). */
export async function parseBody(
  url: string,
  init: RequestInit | undefined,
): Promise<{ params: Record<string, unknown>; files: Record<string, { name: string; bytes: Buffer }> }> {
  const params: Record<string, unknown> = {};
  const files: Record<string, { name: string; bytes: Buffer }> = {};
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

export async function collectForm(
  form: FormData,
  params: Record<string, unknown>,
  files: Record<string, { name: string; bytes: Buffer }>,
): Promise<void> {
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
