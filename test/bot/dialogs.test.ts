/**
 * Short dialogs on @grammyjs/conversations: they survive a restart mid-dialog (state in the kv table), `/cancel`
 * leaves them, a command or another button leaves them and is handled as usual, and anything else gets a hint.
 */
import { describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from '../support/harness.js';
import { findPeople } from '../../src/db/people-repo.js';
import { createDraft, draftById, openDrafts, submitDraft } from '../../src/db/cards-repo.js';
import { householdsOfHelper } from '../../src/db/household-repo.js';
import { setFocus } from '../../src/db/focus-repo.js';
import { openDb } from '../../src/db/client.js';
import { extraBot } from '../support/fuzz-inputs.js';
import { kv } from '../../src/db/schema.js';
import { like } from 'drizzle-orm';

/** A helper signed in, with one submitted card for their first household. */
async function helperWithCard(h: Harness) {
  const helper = h.demo.find((d) => d.role === 'helper')!;
  const u = h.user(101);
  await u.send(`/start ${helper.code}`);
  const id = findPeople(h.db, helper.name)[0].id;
  const hh = householdsOfHelper(h.db, id)[0];
  const answers = { visit_date: '2017-11-14', visit_mode: '入户走访' };
  const draft = createDraft(h.db, { householdId: hh.id, helperId: id, formId: 'dynamic_card', formVersion: 2, state: { formId: 'dynamic_card', formVersion: 2, cursor: null, answers, previous: {}, origins: {}, closed: [], confirmedWarnings: [], startedAtMs: 0 } }, h.clock.now);
  const r = submitDraft(h.db, draft, { visitDate: '2017-11-14', visitMode: '入户走访', inPerson: true, answers, changes: [] }, [], id, h.clock.now);
  if (!r.ok) throw new Error('fixture card not submitted');
  await u.send('/visit');
  await u.press(hh.code);
  return { u, id, cardId: r.cardId };
}

const savedDialogs = (h: Harness) => h.db.select().from(kv).where(like(kv.key, 'dialog:%')).all();

describe('short dialogs', () => {
  it('the correction reason survives a restart between question and answer', async () => {
    const h = makeHarness();
    const { u, id, cardId } = await helperWithCard(h);
    await u.press('更正上次的卡');
    expect(u.lastText()).toContain('更正原因');
    expect(savedDialogs(h)).toHaveLength(1);

    h.restart();
    await u.send('时长记错了');
    expect(u.inbox().slice(-2).map((m) => m.text).join('\n')).toContain('已打开更正');
    const drafts = openDrafts(h.db, id);
    expect(drafts.map((d) => [d.reviseCardId, d.reviseReason])).toEqual([[cardId, '时长记错了']]);
    expect(savedDialogs(h)).toHaveLength(0);
  });

  it('a too short reason is asked again; a sticker gets a hint; nothing is opened meanwhile', async () => {
    const h = makeHarness();
    const { u, id } = await helperWithCard(h);
    await u.press('更正上次的卡');
    await u.send('a');
    expect(u.lastText()).toContain('至少两个字');
    await u.sticker();
    expect(u.lastText()).toContain('用文字写更正原因');
    expect(openDrafts(h.db, id)).toHaveLength(0);
    await u.send('笔误');
    expect(openDrafts(h.db, id)).toHaveLength(1);
  });

  it('/cancel leaves the dialog: the next text is not taken as a reason', async () => {
    const h = makeHarness();
    const { u, id } = await helperWithCard(h);
    await u.press('更正上次的卡');
    await u.send('/cancel');
    expect(u.lastText()).toContain('已退出当前操作');
    expect(savedDialogs(h)).toHaveLength(0);
    await u.send('时长记错了');
    expect(openDrafts(h.db, id)).toHaveLength(0);
  });

  it('a command or another button leaves the dialog and is handled as usual', async () => {
    const h = makeHarness();
    const { u, id } = await helperWithCard(h);
    await u.press('更正上次的卡');
    await u.send('/help');
    expect(u.lastText()).not.toContain('更正原因');
    expect(savedDialogs(h)).toHaveLength(0);
    await u.press('更正上次的卡'); // the briefing's button again, from an older message
    expect(u.lastText()).toContain('更正原因');
    await u.send('/visit');
    expect(u.lastText()).toContain('选择');
    await u.send('这不是原因');
    expect(openDrafts(h.db, id)).toHaveLength(0);
  });

  // a card answer skips the dialogs' plugin when no dialog is saved for the chat: a saved one must still come first
  it('with a card in focus, text during a dialog goes to the dialog (also after a restart), not to the card', async () => {
    const h = makeHarness();
    const { u, id, cardId } = await helperWithCard(h);
    const other = householdsOfHelper(h.db, id)[1];
    await u.send('/visit');
    await u.press(other.code);
    await u.press('开始填写动态信息卡');
    const [focused] = openDrafts(h.db, id);
    expect(focused.householdId).toBe(other.id);
    const stepBefore = draftById(h.db, focused.id)!.step;

    for (const restart of [false, true]) {
      await u.send('/visit');
      await u.press(householdsOfHelper(h.db, id)[0].code);
      await u.press('更正上次的卡');
      expect(u.lastText()).toContain('更正原因');
      // the card focused again while the dialog waits (as for a person with two roles: a helper's card, a
      // supervisor's note), so that text could go to either
      setFocus(h.db, id, focused.id, h.clock.now);
      if (restart) h.restart();
      await u.send(restart ? '时长记错了' : 'a');
      expect(draftById(h.db, focused.id)!.step).toBe(stepBefore);
      if (!restart) {
        expect(u.lastText()).toContain('至少两个字');
        await u.send('/cancel');
      }
    }
    expect(openDrafts(h.db, id).map((d) => d.reviseCardId)).toContain(cardId);
    expect(draftById(h.db, focused.id)!.step).toBe(stepBefore);
  });

  // two terminal chats on one file (the chat takes no process lock): each bot remembers which chats have a dialog
  it('a dialog begun in one process is answered in another that had seen the chat before', async () => {
    const h = makeHarness();
    const { u, id, cardId } = await helperWithCard(h);
    const other = extraBot(h, { ...h.deps, db: openDb(h.config.databasePath, { synchronous: 'NORMAL' }) });
    const viaOther = (text: string) => other.deliver(h.tg.textUpdate(u.user, text));
    await viaOther('/help'); // the other process now knows this chat, without a dialog
    await u.press('更正上次的卡');
    expect(u.lastText()).toContain('更正原因');
    await viaOther('时长记错了');
    expect(openDrafts(h.db, id).map((d) => [d.reviseCardId, d.reviseReason])).toEqual([[cardId, '时长记错了']]);
    expect(savedDialogs(h)).toHaveLength(0);
  });
});

describe('signing in without a code in the link', () => {
  it('/start asks for the code; a wrong one is refused and asked again; a restart in between changes nothing', async () => {
    const h = makeHarness();
    const helper = h.demo.find((d) => d.role === 'helper')!;
    const u = h.user(202);
    await u.send('/start');
    expect(u.lastText()).toContain('请输入本单位管理员给您的邀请码');
    await u.send('WRONGCODE1');
    expect(u.inbox().slice(-2).map((m) => m.text)).toEqual([expect.stringContaining('邀请码无效'), expect.stringContaining('请再输入一次邀请码')]);
    h.restart();
    // typed on a Chinese keyboard: full-width letters and a space
    const fullWidth = [...helper.code].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
    await u.send(`${fullWidth.slice(0, 4)} ${fullWidth.slice(4)}`);
    expect(u.inbox().map((m) => m.text).join('\n')).toContain(`欢迎您，${helper.name}`);
    expect(findPeople(h.db, helper.name)[0].telegramId).toBe(202);
    expect(savedDialogs(h)).toHaveLength(0);
  });

  it('a stranger who sends something else is told how to sign in; the dialog ends when the account is throttled', async () => {
    const h = makeHarness();
    const u = h.user(203);
    await u.send('/start');
    await u.sticker();
    expect(u.lastText()).toContain('请直接输入邀请码');
    for (let i = 0; i < 6; i++) await u.send(`WRONGCODE${i}`);
    expect(u.lastText()).toContain('错误的邀请码太多了');
    expect(savedDialogs(h)).toHaveLength(0);
    await u.send('ANYTHING');
    expect(u.lastText()).toContain('您还没有登记');
  });
});
