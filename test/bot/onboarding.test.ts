import { describe, expect, it } from 'vitest';
import { assertNoRawKeys, buttons, makeHarness } from '../support/harness.js';
import { createInvite } from '../../src/db/invite-repo.js';
import { findPeople } from '../../src/db/people-repo.js';

describe('onboarding', () => {
  it('a helper redeems an invite, sees a role-aware menu and their households', async () => {
    const h = makeHarness();
    const helper = h.demo.find((d) => d.role === 'helper')!;
    const u = h.user(101);
    await u.send(`/start ${helper.code}`);
    const texts = u.takeTexts();
    expect(texts[0]).toBe(`绑定成功。欢迎您，${helper.name}！`);
    const menu = u.last();
    const labels = buttons(menu).map((b) => b.text);
    expect(labels).toContain('🏠 我的帮扶户');
    expect(labels).not.toContain('📊 完成情况');
    // Telegram's command menu is set for this chat, per role and language
    const scoped = Object.entries(h.tg.commands).find(([k]) => k.includes('"chat_id":101'));
    expect(JSON.stringify(scoped?.[1])).toContain('households');

    await u.press('我的帮扶户');
    const list = u.lastText();
    expect(list).toContain('我的帮扶户（2017年，入户目标 6 次）');
    expect(list).toContain('H0001 李大山（东沟村）');
    expect(list).toContain('入户 0 次（本年目标 6 次）');
    expect(list).not.toContain('H0004'); // another helper's household
    assertNoRawKeys(u.takeTexts());
  });

  it('a supervisor sees their own menu and help', async () => {
    const h = makeHarness();
    const sup = h.demo.find((d) => d.role === 'supervisor+admin')!;
    const u = h.user(102);
    await u.send(`/start ${sup.code}`);
    expect(buttons(u.last()).map((b) => b.text)).not.toContain('🏠 我的帮扶户');
    await u.send('/help');
    const help = u.takeTexts().join('\n');
    expect(help).toContain('督导（全区）');
    expect(help).toContain('管理员');
    expect(help).not.toContain('/households');
    await u.send('/households');
    expect(u.lastText()).toBe('这个功能不对您的角色开放。发送 /help 查看您能用的功能。');
  });

  it('refuses a stranger everywhere, with no data', async () => {
    const h = makeHarness();
    const s = h.user(666);
    for (const text of ['/start', '/households', '/help', 'H0001', '/start NOTACODE1']) await s.send(text);
    await s.pressData('m:households', { chatId: 666, messageId: 1, method: 'sendMessage', at: 0 });
    const texts = s.takeTexts();
    expect(texts).toHaveLength(5);
    expect(texts.slice(0, 4).every((t) => t.includes('邀请码'))).toBe(true);
    expect(texts[4]).toBe('这个邀请码无效。请核对后重试，或向管理员重新索取。');
    expect(h.tg.callbackAnswers.at(-1)?.text).toContain('邀请码');
    expect(texts.join()).not.toMatch(/李大山|H0001|王小明/);
    expect(h.logLines.join()).toContain('stranger refused');
  });

  it('refuses a used, an expired and a revoked code', async () => {
    const h = makeHarness();
    const helper = h.demo.find((d) => d.role === 'helper')!;
    await h.user(201).send(`/start ${helper.code}`);
    const late = h.user(202);
    await late.send(`/start ${helper.code}`);
    expect(late.lastText()).toContain('已经用过了');

    const p = findPeople(h.db, '李红')[0];
    const inv = createInvite(h.db, p.id, h.clock.now);
    h.clock.now += 8 * 24 * 3600 * 1000;
    await late.send(`/start ${inv.code}`);
    expect(late.lastText()).toContain('已过期');
  });

  it('speaks English to an English client and switches with /lang', async () => {
    const h = makeHarness();
    const helper = h.demo.find((d) => d.role === 'helper')!;
    const stranger = h.user(301, 'en');
    await stranger.send('/households');
    expect(stranger.lastText()).toContain('Sorry, you are not registered');

    const u = h.user(302, 'en-US');
    await u.send(`/start ${helper.code}`);
    expect(u.takeTexts()[0]).toBe(`You are signed in. Welcome, ${helper.name}!`);
    await u.send('/lang');
    await u.press('中文');
    expect(u.lastText()).toBe('已切换为中文。');
    await u.send('/households');
    expect(u.lastText()).toContain('我的帮扶户');
    await u.send('/lang');
    await u.press('English');
    await u.send('/households');
    expect(u.lastText()).toContain('My households (2017, target 6 home visits)');
    await u.pressData('l:fr');
    expect(h.tg.callbackAnswers.at(-1)?.text).toBe('This button is out of date. Please use the buttons on the latest message.');
    assertNoRawKeys(u.takeTexts());
  });

  it('a handler bug tells the user nothing was lost and the bot keeps serving', async () => {
    const h = makeHarness();
    const helper = h.demo.find((d) => d.role === 'helper')!;
    const u = h.user(401);
    await u.send(`/start ${helper.code}`);
    h.db.$client.exec('ALTER TABLE villages RENAME TO villages_gone');
    await u.send('/households');
    expect(u.lastText()).toBe('抱歉，系统出了点问题。您已经填写的内容都已保存，没有丢失。请稍后再试，或发送 /resume 继续。');
    expect(h.logLines.some((l) => l.includes('handler failed') && /"updateId":\d+/.test(l))).toBe(true);
    h.db.$client.exec('ALTER TABLE villages_gone RENAME TO villages');
    await u.send('/households');
    expect(u.lastText()).toContain('H0001');
  });

  it('handles a duplicated update once', async () => {
    const h = makeHarness();
    const helper = h.demo.find((d) => d.role === 'helper')!;
    const u = h.user(501);
    await u.send(`/start ${helper.code}`);
    const before = u.inbox().length;
    const update = h.tg.push(h.tg.textUpdate(u.user, '/households'));
    const { createBot } = await import('../../src/bot/create-bot.js');
    const bot = createBot(h.deps, { botInfo: (await import('../support/local-telegram.js')).BOT_USER as never, fetch: h.tg.fetch as never, throttle: false });
    await bot.handleUpdate(update);
    await bot.handleUpdate(update);
    expect(u.inbox().length).toBe(before + 1);
  });
});
