/**
 * Issue 10: in a group the bot shows and accepts no personal data. No invite is redeemed there, no command runs,
 * no card answer is taken; at most one pointer line per group and window; added to a group, it leaves.
 */
import { describe, expect, it } from 'vitest';
import type { Update, User } from 'grammy/types';
import { makeHarness, type Harness } from '../support/harness.js';
import { actorByTelegramId, findPeople } from '../../src/db/people-repo.js';
import { openDrafts } from '../../src/db/cards-repo.js';

const GROUP = -100777;

function inGroup(h: Harness, user: User, text: string): Omit<Update, 'update_id'> {
  const entities = text.startsWith('/') ? [{ type: 'bot_command' as const, offset: 0, length: text.split(/\s/)[0].length }] : undefined;
  return {
    message: { message_id: Math.floor(Math.random() * 1e6), date: 0, chat: { id: GROUP, type: 'supergroup', title: '帮扶工作群' }, from: user, text, entities } as never,
  };
}

/** Everything the bot sent to the group: texts, captions, files. */
const toGroup = (h: Harness) => h.tg.messagesTo(GROUP);

describe('group chats', () => {
  it('a stranger cannot redeem an invite inside a group', async () => {
    const h = makeHarness();
    const helper = h.demo.find((d) => d.role === 'helper')!;
    const s = h.user(555);
    await s.sendUpdate(inGroup(h, s.user, `/start ${helper.code}`));
    expect(actorByTelegramId(h.db, 555)).toBeUndefined();
    // the code still works in the private chat afterwards
    await s.send(`/start ${helper.code}`);
    expect(actorByTelegramId(h.db, 555)).toBeDefined();
  });

  it("a helper's and a supervisor's commands post no personal data to the group; one pointer line per window", async () => {
    const h = makeHarness();
    const helper = h.demo.find((d) => d.role === 'helper')!;
    const sup = h.demo.find((d) => d.role === 'supervisor+admin')!;
    const u = h.user(101);
    const w = h.user(203);
    await u.send(`/start ${helper.code}`);
    await w.send(`/start ${sup.code}`);
    for (const cmd of ['/households', '/visit', '/menu', '/help', '/quiz', '/resume']) await u.sendUpdate(inGroup(h, u.user, cmd));
    for (const cmd of ['/stats', '/export', '/flags', '/households@bangfu_demo_bot']) await w.sendUpdate(inGroup(h, w.user, cmd));
    // a forged button press in the group (the supervisor's export of the whole district)
    await w.sendUpdate({
      callback_query: { id: 'cq-g', from: w.user, chat_instance: 'g', data: 'ex:households', message: { message_id: 1, date: 0, chat: { id: GROUP, type: 'supergroup', title: 'g' } } } as never,
    });
    const sent = toGroup(h);
    expect(sent).toHaveLength(1);
    expect(sent[0].text).toContain('私聊');
    expect(sent[0].text).toContain('https://t.me/bangfu_demo_bot');
    expect(sent.some((m) => m.file)).toBe(false);
    expect(JSON.stringify(sent)).not.toMatch(/H000|李大山|王秀英|东沟村/);
    // nothing went to their private chats because of the group either
    expect(h.tg.sent.filter((m) => m.method === 'sendDocument' || m.method === 'sendPhoto')).toHaveLength(0);
    // after the window, one more line
    h.clock.now += 11 * 60 * 1000;
    await u.sendUpdate(inGroup(h, u.user, '/households'));
    expect(toGroup(h)).toHaveLength(2);
    // plain chatter is ignored without a word
    await u.sendUpdate(inGroup(h, u.user, '今天下午入户'));
    expect(toGroup(h)).toHaveLength(2);
  });

  it('group chatter is not stored as a card answer while the helper has a card open', async () => {
    const h = makeHarness();
    const helper = h.demo.find((d) => d.role === 'helper')!;
    const u = h.user(101);
    await u.send(`/start ${helper.code}`);
    await u.send('/visit');
    await u.press('H0001');
    await u.press('开始填写');
    const id = findPeople(h.db, helper.name)[0].id;
    const before = openDrafts(h.db, id)[0];
    expect(before).toBeDefined();
    await u.sendUpdate(inGroup(h, u.user, '2017-11-10'));
    await u.sendUpdate(inGroup(h, u.user, '/cancel'));
    const after = openDrafts(h.db, id)[0];
    expect(after.step).toBe(before.step);
    expect(after.state).toEqual(before.state);
    expect(toGroup(h).every((m) => !m.replyMarkup)).toBe(true);
  });

  it('added to a group it says one line and leaves', async () => {
    const h = makeHarness();
    const u = h.user(101);
    await u.sendUpdate({
      my_chat_member: {
        chat: { id: GROUP, type: 'group', title: 'g' },
        from: u.user,
        date: 0,
        old_chat_member: { status: 'left', user: { id: 999000, is_bot: true, first_name: 'b' } },
        new_chat_member: { status: 'member', user: { id: 999000, is_bot: true, first_name: 'b' } },
      } as never,
    });
    expect(toGroup(h)).toHaveLength(1);
    expect(h.tg.calls.some((c) => c.method === 'leaveChat' && Number(c.params.chat_id) === GROUP)).toBe(true);
  });
});
