/**
 * The supervisor's short dialogs through the real bot: the comment on an answer sent back, and the note on a flag
 * marked handled. Each survives a restart between question and answer (progress in the kv table), `/cancel` leaves
 * it, a command or another button leaves it and is handled as usual, and a sticker gets a hint.
 */
import { describe, expect, it } from 'vitest';
import { like } from 'drizzle-orm';
import { makeHarness, type Harness } from '../support/harness.js';
import { findPeople } from '../../src/db/people-repo.js';
import { createDraft, submitDraft } from '../../src/db/cards-repo.js';
import { householdsOfHelper } from '../../src/db/household-repo.js';
import { flagsOfCard } from '../../src/db/flags-repo.js';
import { cardReviews, kv } from '../../src/db/schema.js';
import { encodeAction } from '../../src/bot/actions.js';

/** 王小明 and the district office 吴主任 signed in; one card of H0001 with an open flag. */
async function district(h: Harness) {
  const sign = async (chat: number, name: string) => {
    const u = h.user(chat);
    await u.send(`/start ${h.demo.find((d) => d.name === name)!.code}`);
    return u;
  };
  const helper = await sign(101, '王小明');
  const office = await sign(203, '吴主任');
  const helperId = findPeople(h.db, '王小明')[0].id;
  const hh = householdsOfHelper(h.db, helperId)[0];
  const answers = { visit_date: '2017-11-10', visit_mode: '入户走访', duration_min: 75 };
  const state = { formId: 'dynamic_card', formVersion: 2, cursor: null, answers, previous: {}, origins: {}, closed: [], confirmedWarnings: [], startedAtMs: 0 };
  const draft = createDraft(h.db, { householdId: hh.id, helperId, formId: 'dynamic_card', formVersion: 2, state }, h.clock.now);
  const r = submitDraft(h.db, draft, { visitDate: '2017-11-10', visitMode: '入户走访', inPerson: true, answers, changes: [] }, [{ code: 'income_drop', level: 'high', params: { drop: 30, before: 3000, now: 2100 } }], helperId, h.clock.now);
  if (!r.ok) throw new Error('fixture card not stored');
  helper.takeTexts();
  office.takeTexts();
  return { helper, office, cardId: r.cardId, flagId: flagsOfCard(h.db, r.cardId)[0].id };
}

const savedDialogs = (h: Harness) => h.db.select().from(kv).where(like(kv.key, 'dialog:%')).all();
const reviews = (h: Harness) => h.db.select().from(cardReviews).all();
const flagOf = (h: Harness, cardId: number) => flagsOfCard(h.db, cardId)[0];

describe('the comment on an answer sent back', () => {
  it('survives a restart between question and answer; the helper gets it with the button that fixes it', async () => {
    const h = makeHarness();
    const { helper, office, cardId } = await district(h);
    await office.pressData(encodeAction('review:field', [cardId, 1, 2]));
    expect(office.lastText()).toContain('退回「入户时长（分钟）」（现填：75）');
    expect(savedDialogs(h)).toHaveLength(1);

    h.restart();
    await office.send('时长与定位记录不符，请核实');
    expect(office.lastText()).toContain('已退回给 王小明：H0001 李大山「入户时长（分钟）」');
    expect(helper.lastText()).toContain('意见：时长与定位记录不符，请核实');
    expect(reviews(h)).toHaveLength(1);
    expect(savedDialogs(h)).toHaveLength(0);
    // replaying the dialog after the restart did not ask again, nor tell the helper twice
    expect(office.inbox().filter((m) => m.text?.includes('退回「入户时长'))).toHaveLength(1);
    expect(helper.inbox().filter((m) => m.text?.includes('意见：'))).toHaveLength(1);
    // the next text is no comment
    await office.send('再说一句');
    expect(reviews(h)).toHaveLength(1);
  });

  it('a command leaves it and is handled as usual; a sticker gets a hint; /cancel leaves it', async () => {
    const h = makeHarness();
    const { office, cardId } = await district(h);
    await office.pressData(encodeAction('review:field', [cardId, 1, 2]));
    await office.sticker();
    expect(office.lastText()).toContain('请用文字写给帮扶责任人的修改意见');
    await office.send('/flags');
    expect(office.lastText()).toContain('未处理的风险提示：共 1 条');
    expect(savedDialogs(h)).toHaveLength(0);
    await office.send('这不是意见');
    expect(reviews(h)).toHaveLength(0);

    await office.pressData(encodeAction('review:field', [cardId, 1, 2]));
    await office.send('/cancel');
    expect(office.lastText()).toContain('已退出当前操作');
    await office.send('这也不是意见');
    expect(reviews(h)).toHaveLength(0);
  });
});

describe('the note on a flag marked handled', () => {
  it('survives a restart; a note too short is asked for again', async () => {
    const h = makeHarness();
    const { office, cardId, flagId } = await district(h);
    await office.pressData(encodeAction('flags:handle', [flagId]));
    expect(office.lastText()).toContain('请写一句处理说明');

    h.restart();
    await office.send('好');
    expect(office.lastText()).toContain('说明太短');
    h.restart();
    await office.send('已电话核实，收入下降属实，已报村里');
    expect(office.lastText()).toContain('已标记处理');
    expect(flagOf(h, cardId)).toMatchObject({ resolution: 'handled', note: '已电话核实，收入下降属实，已报村里' });
    expect(savedDialogs(h)).toHaveLength(0);
    expect(office.inbox().filter((m) => m.text?.includes('请写一句处理说明'))).toHaveLength(1);
    expect(office.inbox().filter((m) => m.text?.includes('说明太短'))).toHaveLength(1);
  });

  it('/cancel leaves it; another button leaves it and is answered as usual; the flag stays open', async () => {
    const h = makeHarness();
    const { office, cardId, flagId } = await district(h);
    await office.pressData(encodeAction('flags:handle', [flagId]));
    await office.send('/cancel');
    expect(office.lastText()).toContain('已退出当前操作');
    await office.send('已电话核实');
    expect(flagOf(h, cardId).resolvedAt).toBeNull();

    await office.pressData(encodeAction('flags:handle', [flagId]));
    await office.pressData(encodeAction('flags:open', [flagId]));
    expect(office.lastText()).toContain('状态：未处理');
    expect(savedDialogs(h)).toHaveLength(0);
    await office.send('已电话核实');
    expect(flagOf(h, cardId).resolvedAt).toBeNull();
  });

  it('a helper cannot enter it with a forged button', async () => {
    const h = makeHarness();
    const { helper, cardId, flagId } = await district(h);
    await helper.pressData(encodeAction('flags:handle', [flagId]));
    expect(h.tg.callbackAnswers.at(-1)?.text).toBe('这个功能不对您的角色开放。发送 /help 查看您能用的功能。');
    expect(savedDialogs(h)).toHaveLength(0);
    await helper.send('已处理');
    expect(flagOf(h, cardId).resolvedAt).toBeNull();
  });
});
