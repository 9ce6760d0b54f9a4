/**
 * Messages between terminal chats on one database. Each `npm run chat` is its own Telegram, so a message its bot sends
 * to a person (a card returned by their supervisor, a pushed quiz) would reach that person only in that terminal.
 * Every message and edit is appended to a mail file beside the database, and each chat copies in what the others
 * wrote, as Telegram shows an account's messages on all its phones: a helper active in one terminal sees what their
 * supervisor's actions in the other sent them, and can press its buttons.
 *
 * The file holds what the bot said to people (names, figures): it is created owner-only, in the database's folder.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, closeSync, existsSync, openSync, readSync, statSync, truncateSync } from 'node:fs';
import type { LocalTelegram, SentMessage } from './local-telegram.js';

/** One line of the mail file. `key`: the message's origin (`process:id`), the same in every chat that shows it. */
interface MailLine {
  proc: string;
  kind: 'sent' | 'edited';
  key: string;
  chatId: number;
  method: string;
  text?: string;
  caption?: string;
  replyMarkup?: SentMessage['replyMarkup'];
  file?: { name: string; base64: string };
  at: number;
}

/** A file past this size is emptied when a chat starts (it only carries messages between chats running together). */
const START_FRESH_BYTES = 20 * 1024 * 1024;

/** Read per poll, so a file grown all at once does not come into memory whole. */
const READ_AT_MOST = 4 * 1024 * 1024;

export interface ChatMail {
  /** reads what the other chats wrote since the last read (also done every `intervalMs`) */
  poll(): void;
  stop(): void;
}

export function linkChats(tg: LocalTelegram, path: string, intervalMs = 250): ChatMail {
  const proc = randomBytes(6).toString('hex');
  const keys = new WeakMap<SentMessage, string>();
  const byKey = new Map<string, SentMessage>();
  let applying = false;

  if (existsSync(path) && statSync(path).size > START_FRESH_BYTES) truncateSync(path, 0);
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
  let offset = statSync(path).size; // only what is written from now on
  let pending = Buffer.alloc(0); // the start of a line still being written

  const keyOf = (m: SentMessage): string => {
    let k = keys.get(m);
    if (!k) {
      k = `${proc}:${m.messageId}`;
      keys.set(m, k);
      byKey.set(k, m);
    }
    return k;
  };
  const write = (kind: MailLine['kind'], m: SentMessage) => {
    const line: MailLine = {
      proc, kind, key: keyOf(m), chatId: m.chatId, method: m.method, text: m.text, caption: m.caption, replyMarkup: m.replyMarkup, at: m.at,
      file: m.file && kind === 'sent' ? { name: m.file.name, base64: m.file.bytes.toString('base64') } : undefined,
    };
    appendFileSync(path, JSON.stringify(line) + '\n');
  };
  const onSent = (m: SentMessage) => {
    if (!applying) write('sent', m);
  };
  const onEdited = (m: SentMessage) => {
    if (!applying) write('edited', m);
  };
  tg.on('sent', onSent);
  tg.on('edited', onEdited);

  const apply = (l: MailLine) => {
    applying = true;
    try {
      if (l.kind === 'sent') {
        if (byKey.has(l.key)) return;
        const file = l.file ? { name: l.file.name, bytes: Buffer.from(l.file.base64, 'base64') } : undefined;
        const m = tg.adopt({ chatId: l.chatId, method: l.method, text: l.text, caption: l.caption, replyMarkup: l.replyMarkup, file, at: l.at });
        keys.set(m, l.key);
        byKey.set(l.key, m);
      } else {
        const m = byKey.get(l.key);
        if (!m) return; // sent before this chat started
        m.text = l.text;
        m.replyMarkup = l.replyMarkup;
        tg.emit('edited', m);
      }
    } finally {
      applying = false;
    }
  };

  const poll = () => {
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      return; // removed meanwhile: nothing to read
    }
    if (size < offset) offset = 0; // emptied by a chat that started
    if (size === offset) return;
    const buf = Buffer.alloc(Math.min(size - offset, READ_AT_MOST)); // the rest at the next poll
    const fd = openSync(path, 'r');
    let got: number;
    try {
      got = readSync(fd, buf, 0, buf.length, offset);
    } finally {
      closeSync(fd);
    }
    offset += got;
    // split on the byte, not the text: a read may end inside a character of a line still being written
    const all = Buffer.concat([pending, buf.subarray(0, got)]);
    const end = all.lastIndexOf(0x0a);
    pending = all.subarray(end + 1);
    if (end < 0) return;
    for (const raw of all.subarray(0, end).toString('utf8').split('\n')) {
      let l: MailLine;
      try {
        l = JSON.parse(raw) as MailLine;
      } catch {
        continue; // a torn or foreign line: skipped, never fatal to the chat
      }
      if (l.proc !== proc && typeof l.key === 'string' && typeof l.chatId === 'number') apply(l);
    }
  };
  const timer = setInterval(poll, intervalMs);
  timer.unref();
  return {
    poll,
    stop() {
      clearInterval(timer);
      tg.off('sent', onSent);
      tg.off('edited', onEdited);
    },
  };
}
