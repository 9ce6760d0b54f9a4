/**
 * The fake Telegram refuses what Telegram refuses (test/support/local-telegram.ts): if it grew lenient, the bot tests
 * would pass against behaviour Telegram answers with an error.
 */
import { describe, expect, it } from 'vitest';
import type { User } from 'grammy/types';
import { LIMITS, LocalTelegram } from '../support/local-telegram.js';

const person: User = { id: 42, is_bot: false, first_name: 'p' };
const keyboard = (data: string) => ({ inline_keyboard: [[{ text: 'b', callback_data: data }]] });

function setup() {
  // a clock that stands still: only a person's pauses move it, so the limits are counted exactly
  const tg = new LocalTelegram({ clock: () => 0 });
  const send = (params: Record<string, unknown>, chat = person.id) => tg.call('sendMessage', { chat_id: chat, text: 'hi', ...params });
  return { tg, send };
}

/** The error a call was answered with, as grammY would read it from the response. */
async function refusal(p: Promise<unknown>): Promise<{ code: number; description: string; retryAfter?: number }> {
  try {
    await p;
  } catch (err) {
    const e = err as Error & { code: number; parameters?: { retry_after?: number } };
    return { code: e.code, description: e.message, retryAfter: e.parameters?.retry_after };
  }
  throw new Error('the call was not refused');
}

describe('the fake Telegram is strict where Telegram is', () => {
  it('takes one answer per button press, and none for a query it never sent', async () => {
    const { tg, send } = setup();
    await send({ reply_markup: keyboard('x') });
    const press = tg.push(tg.callbackUpdate(person, tg.sent[0], 'x'));
    await tg.call('answerCallbackQuery', { callback_query_id: press.callback_query!.id });
    expect(await refusal(tg.call('answerCallbackQuery', { callback_query_id: press.callback_query!.id }))).toMatchObject({ code: 400, description: expect.stringContaining('query is too old') });
    expect(await refusal(tg.call('answerCallbackQuery', { callback_query_id: 'never-sent' }))).toMatchObject({ code: 400 });
    expect(tg.callbackAnswers).toHaveLength(1);
    const long = tg.push(tg.callbackUpdate(person, tg.sent[0], 'x'));
    expect(await refusal(tg.call('answerCallbackQuery', { callback_query_id: long.callback_query!.id, text: 'x'.repeat(LIMITS.callbackNoticeChars + 1) }))).toMatchObject({ code: 400 });
  });

  it('refuses an edit that changes nothing, and edits of messages it does not have', async () => {
    const { tg, send } = setup();
    await send({ text: 'a', reply_markup: keyboard('k1') });
    const edit = (params: Record<string, unknown>) => tg.call('editMessageText', { chat_id: person.id, message_id: tg.sent[0].messageId, ...params });
    expect(await refusal(edit({ text: 'a', reply_markup: keyboard('k1') }))).toMatchObject({ code: 400, description: expect.stringContaining('message is not modified') });
    expect(await refusal(tg.call('editMessageReplyMarkup', { chat_id: person.id, message_id: tg.sent[0].messageId, reply_markup: keyboard('k1') }))).toMatchObject({
      code: 400,
      description: expect.stringContaining('message is not modified'),
    });
    await edit({ text: 'a', reply_markup: keyboard('k2') }); // another keyboard is a change
    await edit({ text: 'a' }); // so is dropping the keyboard
    expect(await refusal(edit({ text: 'a' }))).toMatchObject({ code: 400, description: expect.stringContaining('not modified') });
    await edit({ text: 'b' });
    expect(await refusal(tg.call('editMessageText', { chat_id: person.id, message_id: 999, text: 'c' }))).toMatchObject({ code: 400, description: expect.stringContaining('not found') });
    expect(tg.sent[0].text).toBe('b');
  });

  it('refuses texts over 4096 characters, empty texts, captions over 1024, callback data outside 1–64 bytes', async () => {
    const { tg, send } = setup();
    await send({ text: 'x'.repeat(LIMITS.textChars) });
    expect(await refusal(send({ text: 'x'.repeat(LIMITS.textChars + 1) }))).toMatchObject({ code: 400, description: 'Bad Request: message is too long' });
    expect(await refusal(send({ text: ' \n ' }))).toMatchObject({ code: 400, description: 'Bad Request: message text is empty' });
    expect(await refusal(tg.call('sendPhoto', { chat_id: person.id, caption: 'x'.repeat(LIMITS.captionChars + 1) }))).toMatchObject({ code: 400 });
    await send({ reply_markup: keyboard('é'.repeat(32)) }); // 64 bytes
    expect(await refusal(send({ reply_markup: keyboard('é'.repeat(32) + 'x') }))).toMatchObject({ code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' });
    expect(await refusal(send({ reply_markup: JSON.stringify(keyboard('')) }))).toMatchObject({ description: 'Bad Request: BUTTON_DATA_INVALID' });
    expect(tg.sent).toHaveLength(2);
  });

  it('answers a flood with 429 and retry_after: a burst of 20 to a chat, then one a second', async () => {
    const { tg, send } = setup();
    for (let i = 0; i < LIMITS.chatBurst; i++) await send({});
    const flood = await refusal(send({}));
    expect(flood).toMatchObject({ code: 429, description: expect.stringMatching(/^Too Many Requests: retry after \d+$/) });
    expect(flood.retryAfter).toBeGreaterThanOrEqual(1);
    expect(tg.floods).toEqual([{ method: 'sendMessage', chatId: person.id, retryAfter: flood.retryAfter }]);
    // another chat is not held back by this one
    await send({}, 43);
    // a person's next message comes seconds later: the chat may be answered again
    tg.push(tg.textUpdate(person, 'next'));
    await send({});
  });

  it('holds a group to 20 a minute and all chats together to 30 a second', async () => {
    const { send } = setup();
    for (let i = 0; i < 20; i++) await send({}, -100);
    expect(await refusal(send({}, -100))).toMatchObject({ code: 429 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => send({}, 1000 + i))); // 30 within the second
    expect(await refusal(send({}, 2000))).toMatchObject({ code: 429, retryAfter: 1 });
  });
});
