/**
 * The engine's shortcuts that keep a card short: roster facts prefilled, answers derived (birth date and sex from the
 * ID number), the head as member 1, one question over all members, one typed line per member, a choice that adds a
 * list item, undo after removing one, last time's items kept without asking, and a stable progress line.
 */
import { describe, expect, it } from 'vitest';
import {
  advance, currentPrompt, jumpTo, startCard, summarize, validateFormDefinition,
  type CardState, type EngineContext, type FormDefinition, type Input, type Prompt, type Settings,
} from '../../src/core/forms/index.js';
import { engineContext } from '../support/engine-context.js';

// the synthetic forms' settings, with no location asked for at the start
const settings: Settings = { ...engineContext.settings, evidence: { ...engineContext.settings.evidence, require_location_start: false } };
const ctx: EngineContext = {
  today: '2017-11-15', nowMs: 1, settings,
  householdFacts: { household_code: 'H0001', head_name: '李大山', head_id: '110105196503021234' },
};
const L = (zh: string) => ({ zh, en: zh });
const ch = (...v: string[]) => v.map((x) => ({ value: x, label: L(x) }));

const raw = {
  id: 'short', version: 1, title: L('short'), visit_date_field: 'visit_date',
  sections: [
    { id: 'a', title: L('A'), fields: [
      { id: 'a_note', type: 'note', label: L('核对户口本') },
      { id: 'visit_date', type: 'date', label: L('date'), required: true, not_future: true, suggest: [{ today: true }, { add_days: [{ today: true }, -1] }] },
      { id: 'household_code', type: 'text', label: L('code'), required: true, prefill: { fact: 'household_code' } },
      { id: 'head_name', type: 'text', label: L('head'), required: true, prefill: { fact: 'head_name' } },
      { id: 'head_id', type: 'id_number', label: L('head id'), required: true, carry_forward: true, prefill: { fact: 'head_id' } },
      { id: 'attribute', type: 'select_one', label: L('attr'), required: true, carry_forward: true, choices: ch('一般', '低保') },
      { id: 'land', type: 'decimal', label: L('land'), required: true, carry_forward: true },
    ] },
    { id: 'b', title: L('B'), fields: [
      { id: 'members', type: 'repeat', label: L('members'), required: true, carry_forward: true, start_with_one: true,
        quick_entry: ['name', 'relation', 'id_number'], item_label: { zh: '成员 {n}', en: 'Member {n}' }, item_summary: ['name', 'relation'],
        fields: [
          { id: 'name', type: 'text', label: L('name'), required: true, carry_forward: true,
            autofill: { if: [{ eq: [{ item_index: true }, 0] }, { field: 'head_name' }, null] } },
          { id: 'relation', type: 'select_one', label: L('relation'), required: true, carry_forward: true, choices: ch('户主', '配偶', '之子'),
            autofill: { if: [{ eq: [{ item_index: true }, 0] }, '户主', null] } },
          { id: 'id_number', type: 'id_number', label: L('id'), carry_forward: true,
            autofill: { if: [{ eq: [{ item_index: true }, 0] }, { field: 'head_id' }, null] } },
          { id: 'gender', type: 'select_one', label: L('gender'), required: true, carry_forward: true, choices: ch('男', '女'),
            autofill: { id_gender: { field: 'id_number' } } },
          { id: 'birth_date', type: 'date', label: L('birth'), required: true, carry_forward: true,
            autofill: { id_birth_date: { field: 'id_number' } } },
          { id: 'insured', type: 'yes_no', label: L('参加医保'), short_label: L('医保'), required: true, ask: 'across',
            across_group: 'cover', across_default: true, across_label: L('医保和低保') },
          { id: 'dibao', type: 'yes_no', label: L('享受低保'), short_label: L('低保'), required: true, carry_forward: true, ask: 'across',
            across_group: 'cover' },
          { id: 'pension', type: 'yes_no', label: L('领养老金'), required: true, ask: 'across', across_label: L('哪些成员领养老金？') },
        ] },
    ] },
    { id: 'c', title: L('C'), fields: [
      { id: 'policies', type: 'repeat', label: L('policies'), carry_forward: true, item_summary: ['kind'],
        fields: [
          { id: 'kind', type: 'select_one', label: L('kind'), required: true, carry_forward: true, choices: ch('健康', '教育') },
          { id: 'amount', type: 'money', label: L('amount'), required: true, carry_forward: true },
        ] },
      { id: 'measures', type: 'repeat', label: L('last measures'), auto_keep: true, carry_forward: true, item_summary: ['content'],
        fields: [
          { id: 'content', type: 'text', label: L('content'), required: true, carry_forward: true },
          { id: 'done', type: 'yes_no', label: L('done'), required: true },
        ] },
      { id: 'problems', type: 'multiple', label: L('x') },
    ] },
  ],
  rules: [],
};
// the last field above is a deliberate typo caught below; the form used by the tests does not have it
const good = JSON.parse(JSON.stringify(raw));
good.sections[2].fields.pop();
const parsed = validateFormDefinition(good, 'short.yaml');
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const form: FormDefinition = parsed.form;

function run(state: CardState, inputs: Input[], c: EngineContext = ctx): CardState {
  for (const i of inputs) {
    const r = advance(form, state, i, c);
    if (!r.ok) throw new Error(`${state.cursor} ${JSON.stringify(i)}: ${r.error.key} ${JSON.stringify(r.error.params ?? {})}`);
    state = JSON.parse(JSON.stringify(r.state));
  }
  return state;
}
const T = (text: string): Input => ({ kind: 'text', text });
const prompt = (s: CardState): Prompt => {
  const p = currentPrompt(form, s, ctx);
  if (p.done) throw new Error('at the summary');
  return p;
};
const SPOUSE_ID = '110105196807150043';

describe('shortcuts that keep a card short', () => {
  it('validates the new keys (and names a bad type)', () => {
    const r = validateFormDefinition(raw, 'short.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toContain('short.yaml: form short: field problems: unknown type "multiple" (known: text, integer, decimal, money, date, select_one, select_multiple, yes_no, phone, id_number, location, photo, note, repeat, calculate)');
    const bad = JSON.parse(JSON.stringify(good));
    bad.sections[0].fields[1].ask = 'across';
    bad.sections[0].fields[1].across_group = 'x';
    const b = validateFormDefinition(bad, 'x');
    expect(!b.ok && b.errors.some((e) => e.includes('ask: across is for yes_no fields inside a repeat'))).toBe(true);
  });

  it('a first visit: roster facts shown not asked, the head becomes member 1 with sex and birth date from the ID', () => {
    const s = startCard(form, ctx);
    expect(s.answers).toMatchObject({ household_code: 'H0001', head_name: '李大山', head_id: '110105196503021234' });
    expect(s.answers.members).toEqual([{ name: '李大山', relation: '户主', id_number: '110105196503021234', gender: '男', birth_date: '1965-03-02' }]);
    const p = prompt(s);
    // notes are shown with the first question; the date offers today and yesterday as buttons
    expect([p.fieldId, p.notes.map((n) => n.zh), p.progress, p.canBack]).toEqual(['visit_date', ['核对户口本'], { section: 1, sections: 3, question: 1 }, false]);
    expect(p.suggestions!.map((x) => [x.value, x.label.zh])).toEqual([['2017-11-15', '今天 2017-11-15'], ['2017-11-14', '昨天 2017-11-14']]);
    const s2 = run(s, [T('今天')]);
    // prefilled answers are not steps: the next question is the first one nobody knows, numbered 2
    expect([s2.cursor, prompt(s2).progress.question]).toEqual(['attribute', 2]);
    const back = run(s2, [{ kind: 'back' }]);
    expect(back.cursor).toBe('visit_date');
  });

  it('members: one typed line fills name, relation and ID; the ID gives sex and birth date; a wrong part is refused', () => {
    let s = run(startCard(form, ctx), [T('2017-11-15'), { kind: 'choice', value: '一般' }, T('3.5亩')]);
    expect(s.cursor).toBe('members');
    const head = prompt(s);
    expect(head.list!.quickEntry!.map((t) => t.zh)).toEqual(['name', 'relation', 'id']);
    expect(head.list!.items.map((i) => i.summary.zh)).toEqual(['成员 1：李大山、户主']);
    const bad = advance(form, s, T('张秀兰 配偶 110105196807150049'), ctx);
    expect(bad).toMatchObject({ ok: false, error: { key: 'form.err.quick_entry_part' } });
    s = run(s, [T('张秀兰 配偶 ' + SPOUSE_ID)]);
    expect((s.answers.members as object[])[1]).toEqual({ name: '张秀兰', relation: '配偶', id_number: SPOUSE_ID, gender: '女', birth_date: '1968-07-15' });
    expect(s.cursor).toBe('members');
    // only the name: the rest is asked
    s = run(s, [T('李小军')]);
    expect(s.cursor).toBe('members[2].relation');
    s = run(s, [{ kind: 'choice', value: '之子' }, { kind: 'skip' }]);
    expect(s.cursor).toBe('members[2].gender');
    s = run(s, [{ kind: 'choice', value: '男' }, T('2005-06-01')]);
    expect(s.cursor).toBe('members');
    s = run(s, [{ kind: 'finish' }]);
    // then one grid over all members: insured ticked to begin with (the usual case), dibao not
    const across = prompt(s);
    const ticks = (p: Prompt) => p.across!.items.map((i) => i.cells.map((x) => `${x.key}${x.ticked ? '✓' : '·'}`).join(' '));
    expect([across.kind, across.label.zh, across.across!.fields.map((f) => f.zh), ticks(across)]).toEqual([
      'across', '医保和低保', ['医保', '低保'], ['0.0✓ 0.1·', '1.0✓ 1.1·', '2.0✓ 2.1·'],
    ]);
    s = run(s, [{ kind: 'toggle', value: '2.0' }, { kind: 'toggle', value: '0.1' }]);
    expect(ticks(prompt(s))).toEqual(['0.0✓ 0.1✓', '1.0✓ 1.1·', '2.0· 2.1·']);
    s = run(s, [{ kind: 'done' }]);
    const m = s.answers.members as Record<string, unknown>[];
    expect(m.map((x) => [x.insured, x.dibao])).toEqual([[true, true], [true, false], [false, false]]);
    // a one-field question also takes typed item numbers
    s = run(s, [T('1 3')]);
    expect((s.answers.members as Record<string, unknown>[]).map((x) => x.pension)).toEqual([true, false, true]);
    expect(s.cursor).toBe('policies');
  });

  it('an edit of the ID number updates the sex and birth date it gave; a typed birth date is the user\'s and stays', () => {
    let s = run(startCard(form, ctx), [T('2017-11-15'), { kind: 'choice', value: '一般' }, T('2'), T('张秀兰 配偶 ' + SPOUSE_ID)]);
    const j = jumpTo(form, s, 'members[1].id_number', ctx);
    if (!j.ok) throw new Error();
    s = run(j.state, [T('11010519700101002X')]);
    expect((s.answers.members as object[])[1]).toMatchObject({ gender: '女', birth_date: '1970-01-01' });
    const j2 = jumpTo(form, s, 'members[1].birth_date', ctx);
    if (!j2.ok) throw new Error();
    s = run(j2.state, [T('1970-01-02')]);
    const j3 = jumpTo(form, s, 'members[1].id_number', ctx);
    if (!j3.ok) throw new Error();
    s = run(j3.state, [T(SPOUSE_ID)]);
    expect((s.answers.members as object[])[1]).toMatchObject({ gender: '女', birth_date: '1970-01-02' });
  });

  it('a list item is added by pressing its first field\'s choice; a removed item comes back with undo', () => {
    let s = run(startCard(form, ctx), [T('2017-11-15'), { kind: 'choice', value: '一般' }, T('2'), { kind: 'finish' }, { kind: 'done' }, T('无')]);
    expect(s.cursor).toBe('policies');
    expect(prompt(s).list!.firstChoices!.map((c) => c.value)).toEqual(['健康', '教育']);
    s = run(s, [{ kind: 'choice', value: '健康' }]);
    expect([s.cursor, (s.answers.policies as object[])[0]]).toEqual(['policies[0].amount', { kind: '健康' }]);
    s = run(s, [T('800'), { kind: 'choice', value: '教育' }, T('1.2万')]);
    expect(s.answers.policies).toEqual([{ kind: '健康', amount: 800 }, { kind: '教育', amount: 12000 }]);
    s = run(s, [{ kind: 'remove', index: 0 }]);
    expect(s.answers.policies).toEqual([{ kind: '教育', amount: 12000 }]);
    const offered = prompt(s).list!.removed!;
    expect([offered.index, offered.summary.zh]).toEqual([0, 'policies 1：健康']);
    s = run(s, [{ kind: 'undo' }]);
    expect(s.answers.policies).toEqual([{ kind: '健康', amount: 800 }, { kind: '教育', amount: 12000 }]);
    expect(prompt(s).list!.removed).toBeUndefined();
    // undo is offered only right after the removal
    s = run(s, [{ kind: 'remove', index: 1 }, { kind: 'choice', value: '教育' }]);
    expect(advance(form, run(s, [T('5')]), { kind: 'undo' }, ctx)).toMatchObject({ ok: false, error: { key: 'form.err.nothing_to_undo' } });
  });

  it('a return visit: the section confirmed at once, members kept, last measures reviewed without being listed again', () => {
    const first = run(startCard(form, ctx), [
      T('2017-11-01'), { kind: 'choice', value: '一般' }, T('2'), T('张秀兰 配偶 ' + SPOUSE_ID), { kind: 'finish' }, { kind: 'done' }, T('无'),
      { kind: 'choice', value: '健康' }, T('800'), { kind: 'finish' },
    ]);
    const previous = { ...first.answers, measures: [{ content: '办慢病卡', done: false }] };
    let s = startCard(form, ctx, previous);
    expect(s.answers.measures).toEqual([{ content: '办慢病卡' }]);
    s = run(s, [T('2017-11-15')]);
    const confirm = prompt(s);
    expect([confirm.kind, confirm.confirm!.items.map((i) => i.label.zh)]).toEqual(['confirm', ['head id', 'attr', 'land']]);
    s = run(s, [{ kind: 'keep' }]);
    expect(s.cursor).toBe('members');
    s = run(s, [{ kind: 'keep' }]);
    // kept members, nothing new to ask per member: straight on to the questions over all of them
    expect(s.cursor).toBe('members[*].insured');
    // dibao carried forward and shown as last time; insured asked again
    expect(prompt(s).across!.items.map((i) => i.cells.map((x) => x.ticked))).toEqual([[true, false], [true, false]]);
    s = run(s, [{ kind: 'done' }]);
    expect(s.cursor).toBe('members[*].pension');
    s = run(s, [T('无')]);
    expect(s.cursor).toBe('policies');
    s = run(s, [{ kind: 'keep' }]);
    expect(s.cursor).toBe('measures[0].done');
    s = run(s, [{ kind: 'yes' }]);
    expect(s.cursor).toBeNull();
    const sum = summarize(form, s, ctx);
    expect(sum.missing).toEqual([]);
  });

  it('the progress line never jumps: section k of n and the question\'s number in its section', () => {
    let s = startCard(form, ctx);
    const seen: string[] = [];
    const inputs: Input[] = [T('2017-11-15'), { kind: 'choice', value: '一般' }, T('2'), T('张秀兰 配偶 ' + SPOUSE_ID), { kind: 'finish' }, { kind: 'done' }, T('无')];
    for (const i of inputs) {
      const p = prompt(s);
      seen.push(`${p.progress.section}/${p.progress.sections}:${p.progress.question}`);
      s = run(s, [i]);
    }
    expect(seen).toEqual(['1/3:1', '1/3:2', '1/3:3', '2/3:1', '2/3:1', '2/3:2', '2/3:3']);
  });
});
