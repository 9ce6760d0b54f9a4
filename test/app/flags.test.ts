/**
 * Flags as use cases: the list of a scope with paging, one flag, the card behind it, and "handled" with a note.
 * Refused: other roles, flags outside the scope, forged ids, a note too short, a flag no longer open.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { actions, ANSWERS, lines, makeFixture, type Fixture } from './supervision-fixture.js';
import { askFlagNote, flagDetail, FLAGS_PAGE_SIZE, handleFlag, openFlags } from '../../src/app/flags.js';
import { dossierPage } from '../../src/app/dossier-view.js';
import { flagsOfCard } from '../../src/db/flags-repo.js';
import { cardFlags } from '../../src/db/schema.js';

let f: Fixture;
let c1: number;
let c5: number;
let flag1: number;
let flag5: number;
beforeEach(() => {
  f = makeFixture();
  c1 = f.card('H0001', 'wang', '2017-11-10', { ...ANSWERS, food_status: '不达标' }, [{ code: 'guarantee_failed_food', level: 'high' }]);
  c5 = f.card('H0005', 'zhang', '2017-11-01', ANSWERS, [{ code: 'income_drop', level: 'medium' }]);
  flag1 = flagsOfCard(f.db, c1)[0].id;
  flag5 = flagsOfCard(f.db, c5)[0].id;
});

describe('the open flags of a scope', () => {
  it('the district sees both, the most serious first; each opens; a unit head only their unit\'s', () => {
    const r = openFlags(f.deps, f.actor('wu'), 0);
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.page).toMatchObject({ total: 2, page: 0, pages: 1 });
    expect(r.value.page.items.map((i) => i.code)).toEqual(['guarantee_failed_food', 'income_drop']);
    expect(lines(r.value.view)[0]).toBe('flags.title(total=2, page=1, pages=1)');
    expect(actions(r.value.view)).toEqual([`flags:open:${flag1}`, `flags:open:${flag5}`]);
    const unit = openFlags(f.deps, f.actor('sun'), 0);
    expect(unit.ok && unit.value.page.items.map((i) => i.id)).toEqual([flag1]);
  });

  it('pages of eight, a page out of range is clamped, paging actions both ways', () => {
    for (let i = 0; i < FLAGS_PAGE_SIZE * 2; i++) f.db.insert(cardFlags).values({ cardId: c5, householdId: f.household('H0005'), code: 'dropout', level: 'medium', createdAt: f.clock.now }).run();
    const second = openFlags(f.deps, f.actor('wu'), 1);
    if (!second.ok) throw new Error(second.reason);
    expect(second.value.page).toMatchObject({ total: 18, page: 1, pages: 3 });
    expect(actions(second.value.view).filter((a) => a.startsWith('flags:page'))).toEqual(['flags:page:0', 'flags:page:2']);
    const far = openFlags(f.deps, f.actor('wu'), 99);
    expect(far.ok && far.value.page.page).toBe(2);
  });

  it('none open: says so, no actions', () => {
    f.db.update(cardFlags).set({ resolvedAt: f.clock.now, resolution: 'superseded' }).run();
    const r = openFlags(f.deps, f.actor('zhou'), 0);
    expect(r.ok && lines(r.value.view)).toEqual(['flags.none']);
    expect(r.ok && r.value.view.actions).toEqual([]);
  });

  it('helpers, trainers and strangers are refused by role', () => {
    for (const a of [f.actor('wang'), f.actor('zhao'), undefined]) {
      expect(openFlags(f.deps, a, 0)).toEqual({ ok: false, reason: 'role' });
      expect(flagDetail(f.deps, a, flag1)).toEqual({ ok: false, reason: 'role' });
      expect(handleFlag(f.deps, a, flag1, '已处理完毕')).toEqual({ ok: false, reason: 'role' });
      expect(dossierPage(f.deps, a, c1)).toEqual({ ok: false, reason: 'role' });
    }
  });
});

describe('one flag', () => {
  it('what it says and whose card; handle it, the card, send back, the list', () => {
    const r = flagDetail(f.deps, f.actor('zhou'), flag1);
    if (!r.ok) throw new Error(r.reason);
    expect(lines(r.value.view)[0]).toContain('flags.detail(message=form.risk.guarantee_failed_food, code=H0001, head=李大山');
    expect(lines(r.value.view)[0]).toContain('state=flags.state_open');
    expect(actions(r.value.view)).toEqual([`flags:handle:${flag1}`, `flags:card:${c1}`, `review:card:${c1}`, 'flags:page:0']);
  });

  it('outside the scope or forged: not theirs', () => {
    expect(flagDetail(f.deps, f.actor('sun'), flag5)).toEqual({ ok: false, reason: 'not_yours' });
    expect(askFlagNote(f.deps, f.actor('sun'), flag5)).toEqual({ ok: false, reason: 'not_yours' });
    expect(handleFlag(f.deps, f.actor('sun'), flag5, '已经处理好了')).toEqual({ ok: false, reason: 'not_yours' });
    expect(flagDetail(f.deps, f.actor('wu'), 0)).toEqual({ ok: false, reason: 'not_yours' });
    expect(dossierPage(f.deps, f.actor('sun'), c5)).toEqual({ ok: false, reason: 'not_yours' });
  });

  it('handled with a note: recorded with who and when, the figures move, and it cannot be handled twice', () => {
    const wu = f.actor('wu');
    expect(askFlagNote(f.deps, wu, flag1)).toEqual({ ok: true, value: { blocks: [[{ key: 'flags.ask_note' }]], actions: [] } });
    expect(handleFlag(f.deps, wu, flag1, ' 好 ')).toEqual({ ok: false, reason: 'note_short' });
    const r = handleFlag(f.deps, wu, flag1, '  已协调村里送米面  ');
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.remaining).toBe(1);
    expect(lines(r.value.view)).toEqual(['flags.handled(message=form.risk.guarantee_failed_food, note=已协调村里送米面, remaining=1)']);
    expect(actions(r.value.view)).toEqual(['flags:page:0']);
    expect(flagsOfCard(f.db, c1)[0]).toMatchObject({ resolution: 'handled', resolvedBy: f.person('wu'), resolvedAt: f.clock.now, note: '已协调村里送米面' });
    expect(handleFlag(f.deps, wu, flag1, '再处理一次')).toEqual({ ok: false, reason: 'not_open' });
    expect(askFlagNote(f.deps, wu, flag1)).toEqual({ ok: false, reason: 'not_open' });
    const detail = flagDetail(f.deps, wu, flag1);
    expect(detail.ok && actions(detail.value.view)).not.toContain(`flags:handle:${flag1}`);
    expect(detail.ok && lines(detail.value.view)[0]).toContain('state=flags.state_handled(who=吴主任');
  });
});

describe('the card behind a flag', () => {
  it('answers by section, evidence, the card\'s flags with their state, revisions; send back and the list', () => {
    const r = dossierPage(f.deps, f.actor('sun'), c1);
    if (!r.ok) throw new Error(r.reason);
    const l = lines(r.value.view);
    expect(l[0]).toContain('dossier.title(code=H0001, head=李大山, village=东沟村, date=2017-11-10, mode=入户走访, revision=1, helper=王小明)');
    expect(l).toContain('dossier.evidence(mode=dossier.in_person, minutes=75, location=dossier.location_none, photo=dossier.no)');
    expect(l).toContain('dossier.flag_line(revision=1, message=form.risk.guarantee_failed_food, state=flags.state_open)');
    expect(l).toContain('【A. 走访信息】');
    expect(l).toContain('入户时长（分钟）：75');
    expect(l.at(-1)).toMatch(/^dossier\.revision_first\(who=王小明/);
    expect(actions(r.value.view)).toEqual([`review:card:${c1}`, 'flags:page:0']);
  });
});
