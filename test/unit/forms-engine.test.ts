import { describe, expect, it } from 'vitest';
import {
  advance, canSubmit, confirmWarnings, currentPrompt, jumpTo, migrateState, startCard, summarize,
  validateFormDefinition, type Answers, type CardState, type EngineContext, type FormDefinition, type Input, type Settings,
} from '../../src/core/forms/index.js';

const settings: Settings = {
  card_form: 'test',
  visits: { target: 6, period: 'calendar_year', counted_modes: ['入户走访'], min_duration_minutes: 30, max_backdate_days: 7 },
  evidence: {
    require_location_start: true, require_location_end: false, require_signature_photo: false,
    far_from_household_meters: 1000, same_place_meters: 100, same_place_window_minutes: 60,
  },
  default_region: 'national',
  poverty_line_series: 'exit_line',
  poverty_lines: [
    { year: 2016, region: 'national', series: 'nbs_current', yuan: 2952, certainty: 'medium', source: '[S31]' },
    { year: 2016, region: 'national', series: 'exit_line', yuan: 3100, certainty: 'unverified', source: '[PD3]' },
    // a district's own entry for 2017 (none is shipped for want of a source)
    { year: 2017, region: 'national', series: 'exit_line', yuan: 2952, certainty: 'unverified', source: '[PD3]' },
    { year: 2020, region: 'national', series: 'exit_line', yuan: 4000, certainty: 'medium', source: '[S19]' },
    { year: 2016, region: '山东', series: 'provincial', yuan: 3322, certainty: 'unverified', source: '[S2p]' },
  ],
  monitoring_ranges: [
    { year: 2021, region: 'national', yuan: 6000, certainty: 'verified', source: '[S19]' },
    { year: 2023, region: '湖北', yuan: 7600, certainty: 'medium', source: '[S41]' },
  ],
  water: { min_litres_per_person_day: 35, max_fetch_minutes: 20, max_days_without_per_year: 36 },
  relapse: { income_multiple: 1.5, income_drop_percent: 30, transfer_share_percent: 70, large_medical_cost_yuan: 10000 },
};
const ctx: EngineContext = { today: '2017-11-03', nowMs: 1, settings };
const L = (zh: string) => ({ zh, en: zh });
const yn = (id: string, extra: object = {}) => ({ id, type: 'yes_no', label: L(id), required: true, ...extra });

/** A small household card: members repeat, income, a policy repeat, rules. */
const raw = {
  id: 'mini', version: 1, title: L('mini'), visit_date_field: 'visit_date',
  sections: [
    { id: 'a', title: L('A'), fields: [
      { id: 'visit_date', type: 'date', label: L('date'), required: true, not_future: true },
      { id: 'head_name', type: 'text', label: L('head'), required: true, carry_forward: true },
      { id: 'cause_main', type: 'select_one', label: L('cause'), required: true, carry_forward: true,
        choices: [{ value: '因病', label: L('因病') }, { value: '缺资金', label: L('缺资金') }] },
      { id: 'illness_note', type: 'text', label: L('illness'), relevant: { eq: [{ field: 'cause_main' }, '因病'] } },
    ] },
    { id: 'b', title: L('B'), fields: [
      { id: 'members', type: 'repeat', label: L('members'), required: true, carry_forward: true, max_items: 3,
        item_label: { zh: '成员 {n}', en: 'Member {n}' },
        fields: [
          { id: 'name', type: 'text', label: L('name'), required: true, carry_forward: true },
          { id: 'birth', type: 'date', label: L('birth'), required: true, carry_forward: true },
          { id: 'healthy', type: 'yes_no', label: L('healthy'), required: true, carry_forward: true },
          { id: 'school', type: 'yes_no', label: L('school'), required: true,
            relevant: { lte: [{ age: { field: 'birth' } }, 15] } },
        ] },
    ] },
    { id: 'c', title: L('C'), fields: [
      { id: 'wage', type: 'money', label: L('wage'), required: true },
      { id: 'cost', type: 'money', label: L('cost'), required: true },
      { id: 'net', type: 'calculate', label: L('net'), value_type: 'money', display: true, calculate: { sub: [{ field: 'wage' }, { field: 'cost' }] } },
      { id: 'per_capita', type: 'calculate', label: L('pc'), value_type: 'money', display: true,
        calculate: { div: [{ field: 'net' }, { count: { repeat: 'members' } }] } },
      { id: 'line', type: 'calculate', label: L('line'), value_type: 'money', display: true, calculate: { poverty_line: {} } },
      { id: 'range', type: 'calculate', label: L('range'), value_type: 'money', calculate: { monitoring_range: {} } },
      yn('read_back'),
    ] },
  ],
  rules: [
    { id: 'ill_but_healthy', level: 'error', fields: ['cause_main', 'members'], message: L('因病但都健康'),
      when: { and: [{ eq: [{ field: 'cause_main' }, '因病'] }, { all: { repeat: 'members', where: { eq: [{ field: 'healthy' }, true] } } }] } },
    { id: 'low_income', level: 'warning', fields: ['wage'], message: L('低于贫困线'),
      when: { lt: [{ field: 'per_capita' }, { field: 'line' }] } },
  ],
};
const parsed = validateFormDefinition(raw, 'inline.yaml');
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const form: FormDefinition = parsed.form;

/** Applies inputs, failing loudly; JSON round trip after every step (what the draft row does). */
function run(state: CardState, inputs: Input[], c: EngineContext = ctx, f: FormDefinition = form): CardState {
  for (const i of inputs) {
    const r = advance(f, state, i, c);
    if (!r.ok) throw new Error(`${state.cursor} ${JSON.stringify(i)}: ${r.error.key}`);
    state = JSON.parse(JSON.stringify(r.state));
  }
  return state;
}
const T = (text: string): Input => ({ kind: 'text', text });
const full: Input[] = [
  T('2017-11-02'), T('王大山'), { kind: 'choice', value: '因病' }, T('糖尿病'),
  { kind: 'add' }, T('王大山'), T('1960-01-01'), { kind: 'no' },
  { kind: 'add' }, T('王小'), T('2008-05-05'), { kind: 'yes' }, { kind: 'yes' },
  { kind: 'finish' }, T('3000'), T('500'), { kind: 'yes' },
];

describe('engine: flow, relevance, repeats, calculations', () => {
  it('walks the whole card and shows computed figures once their inputs exist', () => {
    const s = run(startCard(form, ctx), full.slice(0, 15));
    const p = currentPrompt(form, s, ctx);
    expect(!p.done && p.fieldId).toBe('cost');
    expect(!p.done && p.computed.map((c) => c.id)).toEqual(['line']); // net unknown until cost is given
    const s2 = run(s, full.slice(15, 16));
    const p2 = currentPrompt(form, s2, ctx);
    expect(!p2.done && Object.fromEntries(p2.computed.map((c) => [c.id, c.value]))).toEqual({ net: 2500, per_capita: 1250, line: 2952 });
    const done = run(s2, full.slice(16));
    expect(done.cursor).toBeNull();
    expect(done.answers.members).toEqual([
      { name: '王大山', birth: '1960-01-01', healthy: false },
      { name: '王小', birth: '2008-05-05', healthy: true, school: true },
    ]);
  });

  it.each([
    ['the district\'s series of the year (exit line, not the statistics bureau\'s)', '2016-11-02', undefined, 3100],
    ['a year without a row has no line: never the latest earlier one', '2018-11-02', undefined, null],
    ['2020 exact', '2020-03-01', undefined, 4000],
    ['province line wins for its year', '2016-06-01', '山东', 3322],
    ['a provincial row applies only to its year', '2020-06-01', '山东', 4000],
    ['no line before the first year', '2015-06-01', undefined, null],
  ])('poverty line for the visit year: %s', (_n, date, region, expected) => {
    const c: EngineContext = { ...ctx, today: '2020-12-31', region };
    const s = run(startCard(form, c), [T(date)], c);
    const line = summarize(form, s, c).computed.find((f) => f.id === 'line');
    expect(line?.value ?? null).toBe(expected);
  });

  it.each([
    ['the national reference of 2021', '2021-06-01', undefined, 6000],
    ['the province\'s own row of its year', '2023-06-01', '湖北', 7600],
    ['no national figure after 2021: no range', '2023-06-01', undefined, null],
    ['a provincial row applies only to its year', '2024-06-01', '湖北', null],
  ])('monitoring range for the visit year: %s', (_n, date, region, expected) => {
    const c: EngineContext = { ...ctx, today: '2026-11-30', region };
    const s = run(startCard(form, c), [T(date)], c);
    expect(summarize(form, s, c).computed.find((f) => f.id === 'range')?.value ?? null).toBe(expected);
  });

  it('relevance: a non-relevant field is skipped and its stale answer dropped from the summary', () => {
    let s = run(startCard(form, ctx), full);
    expect(summarize(form, s, ctx).items.some((i) => i.fieldId === 'illness_note')).toBe(true);
    const j = jumpTo(form, s, 'cause_main', ctx);
    if (!j.ok) throw new Error();
    s = run(j.state, [{ kind: 'choice', value: '缺资金' }]);
    expect(s.cursor).toBeNull();
    const sum = summarize(form, s, ctx);
    expect(sum.items.some((i) => i.fieldId === 'illness_note')).toBe(false);
    expect(sum.errors).toEqual([]);
  });

  it('repeats: bounds, remove, incomplete items, item context in the prompt', () => {
    let s = run(startCard(form, ctx), full.slice(0, 4));
    const head = currentPrompt(form, s, ctx);
    expect(!head.done && head.list).toMatchObject({ items: [], canAdd: true, canFinish: false, min: 1, max: 3 });
    expect(advance(form, s, { kind: 'finish' }, ctx)).toMatchObject({ ok: false, error: { key: 'form.err.repeat_min', params: { min: 1 } } });
    s = run(s, [{ kind: 'add' }, T('甲')]);
    const p = currentPrompt(form, s, ctx);
    expect(!p.done && p.repeat).toMatchObject({ id: 'members', index: 0, itemLabel: { zh: '成员 1：甲' }, count: 1 });
    s = run(s, [T('1950-01-01'), { kind: 'yes' }, { kind: 'add' }, T('乙'), T('1951-01-01'), { kind: 'yes' }, { kind: 'add' }, T('丙'), T('1952-01-01'), { kind: 'yes' }]);
    expect(s.cursor).toBe('members');
    expect(advance(form, s, { kind: 'add' }, ctx)).toMatchObject({ ok: false, error: { key: 'form.err.repeat_max', params: { max: 3 } } });
    s = run(s, [{ kind: 'remove', index: 1 }]);
    const list = currentPrompt(form, s, ctx);
    expect(!list.done && list.list!.items.map((i) => i.summary.zh)).toEqual(['成员 1：甲、1950-01-01', '成员 2：丙、1952-01-01']);
    // an item made incomplete (required field removed by jumping into it and skipping is refused) → finish refuses
    const broken = JSON.parse(JSON.stringify(s)) as CardState;
    delete (broken.answers.members as Answers[])[1].healthy;
    expect(advance(form, broken, { kind: 'finish' }, ctx)).toMatchObject({ ok: false, error: { key: 'form.err.repeat_item_incomplete', params: { n: 2 } } });
    s = run(s, [{ kind: 'finish' }]);
    expect(s.cursor).toBe('wage');
  });

  it('back out of an item added by mistake: the empty item goes and the list is shown; an item with answers stays', () => {
    let s = run(startCard(form, ctx), [...full.slice(0, 4), { kind: 'add' }, T('甲'), T('1950-01-01'), { kind: 'yes' }]);
    expect(s.cursor).toBe('members');
    s = run(s, [{ kind: 'add' }]);
    expect(s.cursor).toBe('members[1].name');
    s = run(s, [{ kind: 'back' }]);
    expect(s.cursor).toBe('members');
    expect(s.answers.members).toHaveLength(1);
    expect(run(s, [{ kind: 'finish' }]).cursor).toBe('wage');
    // with a name typed, back walks positionally: to the name, then into the item before; nothing typed is lost
    s = run(s, [{ kind: 'add' }, T('乙'), { kind: 'back' }]);
    expect(s.cursor).toBe('members[1].name');
    s = run(s, [{ kind: 'back' }]);
    expect(s.cursor).toBe('members[0].healthy');
    expect((s.answers.members as Answers[]).map((m) => m.name)).toEqual(['甲', '乙']);
  });

  it('back is positional, through repeat items; skip only on optional fields', () => {
    let s = run(startCard(form, ctx), full.slice(0, 14)); // at wage
    const expectBack = ['members', 'members[1].school', 'members[1].healthy'];
    for (const want of expectBack) {
      s = run(s, [{ kind: 'back' }]);
      expect(s.cursor).toBe(want);
    }
    // keeping the answer continues with whatever is still pending: where the helper left off
    s = run(s, [{ kind: 'keep' }]);
    expect(s.cursor).toBe('wage');
    const first = startCard(form, ctx);
    expect(advance(form, first, { kind: 'back' }, ctx)).toMatchObject({ ok: false, error: { key: 'form.err.no_back' } });
    const atNote = run(first, full.slice(0, 3));
    expect(atNote.cursor).toBe('illness_note');
    expect(run(atNote, [{ kind: 'skip' }]).cursor).toBe('members');
  });

  it('cross-field rules: errors block, warnings must be confirmed; jump fixes the answer', () => {
    const healthyAll = full.map((i, k) => (k === 7 ? ({ kind: 'yes' } as Input) : i));
    let s = run(startCard(form, ctx), healthyAll);
    let sum = summarize(form, s, ctx);
    expect(sum.errors.map((e) => e.id)).toEqual(['ill_but_healthy']);
    expect(sum.warnings.map((e) => [e.id, e.confirmed])).toEqual([['low_income', false]]);
    expect(sum.canSubmit).toBe(false);
    const j = jumpTo(form, s, 'members[0].healthy', ctx);
    if (!j.ok) throw new Error();
    const p = currentPrompt(form, j.state, ctx);
    expect(!p.done && [p.path, p.current, p.offerKeep]).toEqual(['members[0].healthy', true, true]);
    s = run(j.state, [{ kind: 'no' }]);
    expect(s.cursor).toBeNull();
    sum = summarize(form, s, ctx);
    expect(sum.errors).toEqual([]);
    expect(canSubmit(form, s, ctx)).toBe(false);
    s = confirmWarnings(form, s, ctx);
    expect(canSubmit(form, s, ctx)).toBe(true);
    expect(advance(form, s, T('x'), ctx)).toMatchObject({ ok: false, error: { key: 'form.err.card_complete' } });
    expect(jumpTo(form, s, 'members[5].name', ctx)).toMatchObject({ ok: false, error: { key: 'form.err.bad_path' } });
  });

  it('carry forward: "unchanged" keeps household facts, repeat items kept and only new questions asked', () => {
    const first = run(startCard(form, ctx), full);
    let s = startCard(form, ctx, first.answers);
    expect(s.previous).toEqual({
      head_name: '王大山', cause_main: '因病',
      members: [{ name: '王大山', birth: '1960-01-01', healthy: false }, { name: '王小', birth: '2008-05-05', healthy: true }],
    });
    s = run(s, [T('2017-11-03')]);
    // the section's carried facts are confirmed together: "the same as last time?"
    const confirm = currentPrompt(form, s, ctx);
    expect(!confirm.done && [confirm.kind, confirm.path, confirm.confirm!.items.map((i) => `${i.label.zh}=${i.display.zh}`)]).toEqual([
      'confirm', '@a', ['head=王大山', 'cause=因病'],
    ]);
    s = run(s, [{ kind: 'keep' }]);
    expect([s.cursor, s.answers.head_name, s.answers.cause_main]).toEqual(['illness_note', '王大山', '因病']);
    s = run(s, [{ kind: 'skip' }]);
    expect(s.cursor).toBe('members');
    const head = currentPrompt(form, s, ctx);
    expect(!head.done && head.list!.previousItems!.map((t) => t.zh)).toEqual(['成员 1：王大山、1960-01-01', '成员 2：王小、2008-05-05']);
    s = run(s, [{ kind: 'keep' }]);
    expect(s.cursor).toBe('members[1].school'); // the only non-carried question
    s = run(s, [{ kind: 'no' }]);
    // kept items with nothing left to ask: the list is done without a "finish"
    expect(s.cursor).toBe('wage');
    s = run(s, [T('100'), T('0'), { kind: 'yes' }]);
    expect(s.cursor).toBeNull();
    expect(s.answers.head_name).toBe('王大山');
  });

  it('carry forward "check one by one" offers each member field with its previous value', () => {
    const first = run(startCard(form, ctx), full);
    let s = run(startCard(form, ctx, first.answers), [T('2017-11-03'), { kind: 'change' }, { kind: 'keep' }, { kind: 'keep' }, { kind: 'skip' }, { kind: 'change' }]);
    expect(s.cursor).toBe('members[0].name');
    const p = currentPrompt(form, s, ctx);
    expect(!p.done && [p.previous, p.offerKeep]).toEqual(['王大山', true]);
    s = run(s, [{ kind: 'keep' }, { kind: 'keep' }, { kind: 'yes' }]);
    expect(s.cursor).toBe('members[1].name');
    expect(s.answers.members).toEqual([{ name: '王大山', birth: '1960-01-01', healthy: true }, {}]);
  });

  it('resume from any state: a JSON round trip at every step changes nothing', () => {
    let plain = startCard(form, ctx);
    let stored = JSON.parse(JSON.stringify(plain)) as CardState;
    for (const input of full) {
      const a = advance(form, plain, input, ctx);
      const b = advance(form, stored, input, ctx);
      if (!a.ok || !b.ok) throw new Error('step failed');
      plain = a.state;
      stored = JSON.parse(JSON.stringify(b.state));
      expect(stored).toEqual(JSON.parse(JSON.stringify(plain)));
      expect(currentPrompt(form, stored, ctx)).toEqual(currentPrompt(form, plain, ctx));
    }
  });

  it('form version change: answers that still exist and pass are kept, cursor at the first pending step', () => {
    const s = run(startCard(form, ctx), full.slice(0, 10)); // inside member 2
    const v2raw = JSON.parse(JSON.stringify(raw));
    v2raw.version = 2;
    v2raw.sections[0].fields[1] = { id: 'head_name', type: 'text', label: L('head'), required: true, max_length: 2 }; // 王大山 no longer fits
    v2raw.sections[0].fields.splice(3, 1); // illness_note removed
    v2raw.sections[2].fields.unshift({ id: 'phone', type: 'phone', label: L('phone'), required: true });
    const v2 = validateFormDefinition(v2raw, 'v2');
    if (!v2.ok) throw new Error(v2.errors.join());
    expect(advance(v2.form, s, T('x'), ctx)).toMatchObject({ ok: false, error: { key: 'form.err.form_changed' } });
    const m = migrateState(v2.form, s, ctx);
    expect(m.formVersion).toBe(2);
    expect(m.answers.head_name).toBeUndefined();
    expect(m.answers.illness_note).toBeUndefined();
    expect(m.answers.members).toEqual([{ name: '王大山', birth: '1960-01-01', healthy: false }, { name: '王小' }]);
    expect(m.cursor).toBe('head_name');
    const done = run(m, [T('王山'), T('2008-05-05'), { kind: 'yes' }, { kind: 'yes' }, { kind: 'finish' }, T('13812345678'), T('1'), T('0'), { kind: 'yes' }], ctx, v2.form);
    expect(done.cursor).toBeNull();
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mutating raw YAML-shaped test data
type Raw = any;

describe('validateFormDefinition: errors name file, form and field', () => {
  const base = () => JSON.parse(JSON.stringify(raw));
  it.each([
    ['unknown type', (f: Raw) => { f.sections[0].fields[1].type = 'textarea'; }, 'inline.yaml: form mini: field head_name: unknown type "textarea"'],
    ['duplicate id', (f: Raw) => { f.sections[0].fields[2].id = 'head_name'; }, 'field head_name: duplicate field id'],
    ['missing choices', (f: Raw) => { delete f.sections[0].fields[2].choices; }, 'field cause_main: select_one needs choices'],
    ['unknown ref in relevant', (f: Raw) => { f.sections[0].fields[3].relevant = { eq: [{ field: 'nope' }, 1] }; }, 'field illness_note: relevant: unknown field "nope"'],
    ['sub-field ref outside its repeat', (f: Raw) => { f.sections[0].fields[3].relevant = { eq: [{ field: 'healthy' }, true] }; }, 'field illness_note: relevant: unknown field "healthy"'],
    ['unknown operator', (f: Raw) => { f.rules[0].when = { xor: [1, 2] }; }, 'rule ill_but_healthy: when: unknown operator "xor"'],
    ['bad repeat ref', (f: Raw) => { f.rules[0].when = { count: { repeat: 'wage' } }; }, 'rule ill_but_healthy: when: "count" needs { repeat: <a repeat field id> }'],
    ['bad level', (f: Raw) => { f.rules[1].level = 'info'; }, 'rule low_income: level must be error or warning'],
    ['label not bilingual', (f: Raw) => { f.sections[1].fields[0].fields[0].label = 'name'; }, 'field members.name: label must be { zh, en }'],
    ['typo key', (f: Raw) => { f.sections[0].fields[1].requird = true; }, 'field head_name: unknown key "requird"'],
    ['self outside constraint', (f: Raw) => { f.sections[0].fields[3].relevant = { self: true }; }, '"self" is only allowed in a constraint'],
    ['calculate cycle', (f: Raw) => { f.sections[2].fields[2].calculate = { field: 'per_capita' }; }, 'calculate cycle'],
    ['no version', (f: Raw) => { delete f.version; }, 'inline.yaml: form mini: version must be a positive integer'],
  ])('%s', (_n, mutate, expected) => {
    const f = base();
    mutate(f);
    const r = validateFormDefinition(f, 'inline.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.some((e) => e.includes(expected))).toBe(true);
  });
});
