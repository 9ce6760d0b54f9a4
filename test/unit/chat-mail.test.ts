/**
 * Terminal chats on one database pass each other the bot's messages through the mail file: a message sent in one
 * shows in the other with its keyboard and file, an edit made in either reaches the other's copy, a chat never takes
 * in its own lines, a line read while half written arrives once and whole, and the file is owner-only.
 */
import { appendFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { linkChats, type ChatMail } from '../../src/cli/chat-mail.js';
import { LocalTelegram } from '../../src/cli/local-telegram.js';

const HELPER = 5001;
const keyboard = { inline_keyboard: [[{ text: '▶️ 开始答题', callback_data: 'q:start:1' }]] };
const links: ChatMail[] = [];
afterEach(() => links.splice(0).forEach((l) => l.stop()));

function twoChats() {
  const file = join(mkdtempSync(join(tmpdir(), 'chat-mail-')), 'demo.sqlite.chat-mail');
  const a = new LocalTelegram();
  const b = new LocalTelegram();
  const ma = linkChats(a, file, 60_000);
  const mb = linkChats(b, file, 60_000);
  links.push(ma, mb);
  return { file, a, b, ma, mb };
}

describe('messages between terminal chats', () => {
  it('a message sent in one chat shows in the other, and an edit in either reaches the other', async () => {
    const { file, a, b, ma, mb } = twoChats();
    await b.call('sendMessage', { chat_id: HELPER, text: '📣 新的测验：共 5 题', reply_markup: JSON.stringify(keyboard) });
    await b.call('sendMessage', { chat_id: 5007, text: '给吴主任' });
    expect(a.messagesTo(HELPER)).toHaveLength(0);
    ma.poll();
    const copy = a.messagesTo(HELPER);
    expect(copy.map((m) => [m.text, m.replyMarkup])).toEqual([['📣 新的测验：共 5 题', keyboard]]);
    expect(a.messagesTo(5007).map((m) => m.text)).toEqual(['给吴主任']);

    // the helper presses the button in chat a: a's bot edits a's copy; b's original follows
    await a.call('editMessageText', { chat_id: HELPER, message_id: copy[0].messageId, text: '已开始' });
    mb.poll();
    expect(b.messagesTo(HELPER).map((m) => [m.text, m.replyMarkup])).toEqual([['已开始', undefined]]);
    // and back: b edits its original, a's copy follows; nobody takes in their own lines twice
    await b.call('editMessageText', { chat_id: HELPER, message_id: b.messagesTo(HELPER)[0].messageId, text: '第二次', reply_markup: JSON.stringify(keyboard) });
    ma.poll();
    mb.poll();
    ma.poll();
    expect(a.messagesTo(HELPER).map((m) => [m.text, m.replyMarkup])).toEqual([['第二次', keyboard]]);
    expect(b.messagesTo(HELPER)).toHaveLength(1);
    expect(a.sent).toHaveLength(2);
    // nothing taken in is sent back out (it would bounce between the chats forever): two messages and two edits
    for (let i = 0; i < 3; i++) [ma, mb].forEach((m) => m.poll());
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(4);
  });

  it('a photo arrives with its bytes; the file is owner-only', async () => {
    const { file, a, b, ma } = twoChats();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    await b.call('sendPhoto', { chat_id: HELPER, caption: '全区 · 2026年' }, { photo: { name: 'chart.png', bytes: png } });
    ma.poll();
    const [m] = a.messagesTo(HELPER);
    expect(m.caption).toBe('全区 · 2026年');
    expect(m.file?.name).toBe('chart.png');
    expect(Buffer.compare(m.file!.bytes, png)).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // a spreadsheet larger than one poll reads (4 MB) arrives whole over the polls after it
    const sheet = Buffer.alloc(5 * 1024 * 1024, 7);
    await b.call('sendDocument', { chat_id: HELPER, caption: '全部卡片' }, { document: { name: 'cards.xlsx', bytes: sheet } });
    ma.poll();
    expect(a.messagesTo(HELPER)).toHaveLength(1);
    ma.poll();
    ma.poll();
    const got = a.messagesTo(HELPER)[1];
    expect(got.caption).toBe('全部卡片');
    expect(Buffer.compare(got.file!.bytes, sheet)).toBe(0);
  });

  it('a line read while half written (inside a character) arrives once and whole; garbage lines are skipped', async () => {
    const { file, a, ma } = twoChats();
    const line = JSON.stringify({ proc: 'other', kind: 'sent', key: 'other:1', chatId: HELPER, method: 'sendMessage', text: '饮水安全不达标', at: 1 }) + '\n';
    const bytes = Buffer.from(line, 'utf8');
    const cut = bytes.indexOf(Buffer.from('水', 'utf8')) + 1; // inside the character
    appendFileSync(file, 'not json\n');
    appendFileSync(file, bytes.subarray(0, cut));
    ma.poll();
    expect(a.messagesTo(HELPER)).toHaveLength(0);
    appendFileSync(file, bytes.subarray(cut));
    ma.poll();
    ma.poll();
    expect(a.messagesTo(HELPER).map((m) => m.text)).toEqual(['饮水安全不达标']);
    expect(readFileSync(file, 'utf8')).toContain('饮水安全不达标');
  });
});
