/**
 * The checklist (pure engine): yes/no and multi-choice fields of a section asked as one multi-select. Each field
 * keeps its own answer (a tick 是 or the option, the rest 否 / none); a section of carried facts that includes an
 * empty multi-choice is still confirmed in one step.
 */
import { describe, expect, it } from 'vitest';
import {
  advance, currentPrompt, finalAnswers, jumpTo, startCard, summarize, validateFormDefinition,
  type CardState, type EngineContext, type FormDefinition, type Input, type Prompt, type Settings,
} from '../../src/core/forms/index.js';

const settings = {
  card_form: 'cl', default_region: 'national', poverty_line_series: 'exit_line', poverty_lines: [], monitoring_ranges: [],
  visits: { target: 6, period: 'calendar_year', counted_modes: [], min_duration_minutes: 30, max_backdate_days: 7 },
} as unknown as Settings;
const ctx: EngineContext = { today: '2017-11-15', nowMs: 1, settings };
const L = (zh: string) => ({ zh, en: zh });
const ch = (...v: string[]) => v.map((x) => ({ value: x, label: L(x) }));

const raw = {
  id: 'cl', version: 1, title: L('cl'),
  sections: [
    { id: 'a', title: L('A'), fields: [
      { id: 'road', type: 'select_one', label: L('road'), required: true, carry_forward: true, choices: ch('土', '水泥') },
      { id: 'power', type: 'yes_no', label: L('通电'), required: true, carry_forward: true, checklist: 'facts', checklist_label: L('以下哪些属实？') },
      { id: 'crops', type: 'select_multiple', label: L('种了什么'), short_label: L('种'), carry_forward: true, checklist: 'facts', choices: ch('粮食', '其他') },
      { id: 'toilet', type: 'yes_no', label: L('有厕所'), required: true, carry_forward: true, checklist: 'facts' },
      // applies only to a household that farms
      { id: 'coop', type: 'yes_no', label: L('合作社'), required: true, carry_forward: true, checklist: 'facts', relevant: { gt: [{ count_selected: { field: 'crops' } }, 0] } },
      { id: 'needs', type: 'select_multiple', label: L('需要'), short_label: L('需'), checklist: 'facts', max_selected: 1, choices: ch('技术', '资金', '其他') },
      { id: 'after', type: 'text', label: L('after'), required: true },
    ] },
  ],
  rules: [],
};
const res = validateFormDefinition(raw, 'cl.yaml');
if (!res.ok) throw new Error(res.errors.join('\n'));
const form: FormDefinition = res.form;

function step(state: CardState, input: Input): CardState {
  const r = advance(form, JSON.parse(JSON.stringify(state)), input, ctx);
  if (!r.ok) throw new Error(`${state.cursor}: ${JSON.stringify(input)} → ${r.error.key}`);
  return JSON.parse(JSON.stringify(r.state)) as CardState;
}
const prompt = (s: CardState) => currentPrompt(form, s, ctx) as Prompt;
const tick = (s: CardState, label: string) => step(s, { kind: 'toggle', value: prompt(s).choices!.find((c) => c.label.zh === label)!.value });

describe('a checklist: several yes/no and multi-choice fields as one multi-select', () => {
  it('is refused where it cannot work, naming the field', () => {
    const bad = (fields: unknown[], extra: unknown[] = []) => {
      const r = validateFormDefinition({ ...raw, sections: [{ id: 'a', title: L('A'), fields }, ...extra] }, 'x.yaml');
      return r.ok ? [] : r.errors.join('\n');
    };
    expect(bad([{ id: 'r', type: 'select_one', label: L('r'), choices: ch('x'), checklist: 'g', checklist_label: L('q') }])).toMatch(/field r: checklist is for top-level yes_no and select_multiple/);
    expect(bad([{ id: 'p', type: 'yes_no', label: L('p'), checklist: 'g' }])).toMatch(/field p: the first field of checklist g needs checklist_label/);
    expect(bad([{ id: 'p', type: 'yes_no', label: L('p'), checklist: 'p', checklist_label: L('q') }])).toMatch(/checklist id p is also a field or section id/);
    expect(bad([{ id: 'p', type: 'yes_no', label: L('p'), checklist: 'g', checklist_label: L('q'), autofill: true }])).toMatch(/answered by its ticks/);
    expect(bad(
      [{ id: 'p', type: 'yes_no', label: L('p'), checklist: 'g', checklist_label: L('q') }],
      [{ id: 'b', title: L('B'), fields: [{ id: 'q', type: 'yes_no', label: L('q'), checklist: 'g' }] }],
    )).toMatch(/field q: checklist g spans two sections/);
    expect(bad([{ id: 'm', type: 'repeat', label: L('m'), fields: [{ id: 'x', type: 'yes_no', label: L('x'), checklist: 'g', checklist_label: L('q') }] }])).toMatch(/field m.x: checklist is for top-level/);
  });

  it('asks once; a tick is 是 or the option, the rest 否 or none; a field that does not apply gets no tick and no answer', () => {
    let s = startCard(form, ctx);
    s = step(s, { kind: 'choice', value: '土' });
    let p = prompt(s);
    expect(p.path).toBe('+facts');
    expect(p.type).toBe('select_multiple');
    expect(p.label.zh).toBe('以下哪些属实？');
    expect(p.required).toBe(true);
    expect(p.canSkip).toBe(false);
    // the cooperative applies only to a household with crops: not offered yet
    expect(p.choices!.map((c) => c.label.zh)).toEqual(['通电', '种：粮食', '种：其他', '有厕所', '需：技术', '需：资金', '需：其他']);
    s = tick(s, '通电');
    s = tick(s, '需：资金');
    expect(prompt(s).selected).toEqual(['power', 'needs=资金']);
    expect(s.cursor).toBe('+facts');
    s = step(s, { kind: 'done' });
    expect(s.cursor).toBe('after');
    expect(s.answers).toMatchObject({ power: true, crops: [], toilet: false, needs: ['资金'] });
    expect(s.answers.coop).toBeUndefined();
    s = step(s, { kind: 'text', text: 'x' });
    const sum = summarize(form, s, ctx);
    expect(sum.missing).toEqual([]);
    const shown = Object.fromEntries(sum.items.map((i) => [i.fieldId, i.display.zh]));
    expect(shown).toMatchObject({ power: '是', crops: '（无）', toilet: '否', needs: '资金' });
    expect(shown.coop).toBeUndefined();
    expect(finalAnswers(form, s, ctx)).toMatchObject({ power: true, crops: [], toilet: false, needs: ['资金'] });
    // opened again from the summary: this card's ticks shown; with crops ticked, the cooperative applies
    const j = jumpTo(form, s, '+facts', ctx);
    if (!j.ok) throw new Error(j.error.key);
    s = j.state;
    p = prompt(s);
    expect(p.selected).toEqual(['power', 'needs=资金']);
    s = tick(s, '种：粮食');
    s = step(s, { kind: 'done' });
    // crops changed what applies: the cooperative is now pending, asked in the checklist again
    expect(s.cursor).toBe('+facts');
    expect(prompt(s).choices!.map((c) => c.label.zh)).toContain('合作社');
    s = step(s, { kind: 'done' });
    expect(s.answers).toMatchObject({ crops: ['粮食'], coop: false });
  });

  it('takes ticks typed as numbers or names; an option two fields share, an unknown word or too many ticks are refused', () => {
    let s = step(startCard(form, ctx), { kind: 'choice', value: '水泥' });
    const refused = (text: string) => {
      const r = advance(form, s, { kind: 'text', text }, ctx);
      return r.ok ? 'accepted' : r.error.key;
    };
    expect(refused('其他')).toBe('form.err.unknown_choice');
    expect(refused('电视')).toBe('form.err.unknown_choice');
    expect(refused('需：技术 需：资金')).toBe('form.err.choose_max');
    // refused: nothing changed
    expect(s.cursor).toBe('+facts');
    s = step(s, { kind: 'text', text: '1、粮食 种:其他 有厕所' });
    expect(s.answers).toMatchObject({ power: true, crops: ['粮食', '其他'], toilet: true, needs: [] });
    // the cooperative applies now (crops): asked on its own round of the checklist, with the ticks so far shown
    expect(s.cursor).toBe('+facts');
    expect(prompt(s).selected).toEqual(['power', 'crops=粮食', 'crops=其他', 'toilet']);
    s = step(s, { kind: 'text', text: '合作社' });
    expect(s.answers).toMatchObject({ power: false, crops: [], toilet: false, coop: true });
    // "none of these", typed
    s = step(step(startCard(form, ctx), { kind: 'choice', value: '水泥' }), { kind: 'text', text: '都没有' });
    expect(s.answers).toMatchObject({ power: false, crops: [], toilet: false, needs: [] });
    expect(s.cursor).toBe('after');
  });

  it('next visit: the section, an empty list among its facts, confirmed in one step; checked one by one it starts from last time', () => {
    const previous = { road: '土', power: true, crops: [], toilet: false, needs: ['技术'] };
    let s = startCard(form, ctx, previous);
    expect(s.cursor).toBe('@a');
    const kept = step(s, { kind: 'keep' });
    expect(kept.answers).toMatchObject({ road: '土', power: true, crops: [], toilet: false });
    // `needs` is not carried: the checklist is asked for it, showing what was kept as ticked
    expect(kept.cursor).toBe('+facts');
    expect(prompt(kept).selected).toEqual(['power']);
    const done = step(kept, { kind: 'done' });
    expect(done.cursor).toBe('after');
    expect(done.answers).toMatchObject({ power: true, crops: [], toilet: false, needs: [] });

    s = step(s, { kind: 'change' });
    s = step(s, { kind: 'keep' }); // road
    expect(s.cursor).toBe('+facts');
    expect(prompt(s).selected).toEqual(['power']);
    s = step(s, { kind: 'done' });
    expect(s.answers).toMatchObject({ power: true, crops: [], toilet: false, needs: [] });
    expect(s.cursor).toBe('after');
  });

  it('an answer of the checklist is edited alone from the summary, and back from it goes to the checklist', () => {
    let s = step(startCard(form, ctx), { kind: 'choice', value: '土' });
    s = step(s, { kind: 'done' });
    s = step(s, { kind: 'text', text: 'x' });
    expect(s.cursor).toBeNull();
    const j = jumpTo(form, s, 'toilet', ctx);
    if (!j.ok) throw new Error(j.error.key);
    expect(prompt(j.state).fieldId).toBe('toilet');
    expect(prompt(j.state).type).toBe('yes_no');
    const back = advance(form, j.state, { kind: 'back' }, ctx);
    expect(back.ok && back.state.cursor).toBe('road');
    const yes = step(j.state, { kind: 'yes' });
    expect(yes.answers.toilet).toBe(true);
    expect(yes.cursor).toBeNull();
  });
});
