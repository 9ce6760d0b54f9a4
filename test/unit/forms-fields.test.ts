import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  advance, currentPrompt, startCard, validateFormDefinition,
  type EngineContext, type FieldDef, type FormDefinition, type Input, type Settings,
} from '../../src/core/forms/index.js';
import { displayValue, formatYuan } from '../../src/core/forms/display.js';
import { summarize } from '../../src/core/forms/summary.js';
import { engineContext } from '../support/engine-context.js';

const settings: Settings = structuredClone(engineContext.settings); // its own copy: test files share a process
const ctx: EngineContext = { today: '2017-11-03', nowMs: 1_509_674_400_000, settings, householdFacts: { pairing_start_date: '2016-01-01' } };
const L = (zh: string) => ({ zh, en: zh });

function oneField(field: Partial<FieldDef> & Pick<FieldDef, 'type'>): FormDefinition {
  const raw = {
    id: 't', version: 1, title: L('t'), visit_date_field: 'vd',
    sections: [{ id: 's', title: L('s'), fields: [
      { id: 'vd', type: 'date', label: L('visit date') },
      { id: 'f', label: L('f'), required: true, ...field },
    ] }],
    rules: [],
  };
  const r = validateFormDefinition(raw, 'inline');
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.form;
}

const choices = [{ value: '因病', label: { zh: '因病', en: 'Illness' } }, { value: '因残', label: { zh: '因残', en: 'Disability' } }, { value: '因学', label: { zh: '因学', en: 'Education' } }];

type Row = [string, Partial<FieldDef> & Pick<FieldDef, 'type'>, Input, unknown | { err: string }];
const rows: Row[] = [
  ['text ok (trimmed)', { type: 'text' }, { kind: 'text', text: '  张三 ' }, '张三'],
  ['text empty', { type: 'text' }, { kind: 'text', text: '   ' }, { err: 'text_empty' }],
  ['text too long', { type: 'text', max_length: 3 }, { kind: 'text', text: 'abcd' }, { err: 'text_too_long' }],
  ['integer ok', { type: 'integer', max: 30 }, { kind: 'text', text: '12' }, 12],
  ['integer full-width', { type: 'integer', max: 30 }, { kind: 'text', text: '１２' }, 12],
  ['integer letters', { type: 'integer', max: 30 }, { kind: 'text', text: 'twelve' }, { err: 'not_integer' }],
  ['integer decimal', { type: 'integer', max: 30 }, { kind: 'text', text: '1.5' }, { err: 'not_integer' }],
  ['integer too big (members > 30)', { type: 'integer', max: 30 }, { kind: 'text', text: '31' }, { err: 'integer_range' }],
  ['integer negative', { type: 'integer' }, { kind: 'text', text: '-1' }, { err: 'integer_range' }],
  ['money ok', { type: 'money' }, { kind: 'text', text: '1,234.5元' }, 1234.5],
  ['money 3 decimals', { type: 'money' }, { kind: 'text', text: '1.234' }, { err: 'not_money' }],
  ['money out of range', { type: 'money', max: 1000000 }, { kind: 'text', text: '1000000.01' }, { err: 'money_range' }],
  ['decimal ok', { type: 'decimal' }, { kind: 'text', text: '3.25' }, 3.25],
  ['date ok, Chinese format', { type: 'date' }, { kind: 'text', text: '2017年1月2日' }, '2017-01-02'],
  ['date not a date', { type: 'date' }, { kind: 'text', text: '2017-02-30' }, { err: 'not_date' }],
  ['date garbage', { type: 'date' }, { kind: 'text', text: 'last week' }, { err: 'not_date' }],
  // names of the prototype's properties are not spoken dates (a typed "constructor" once threw)
  ['date: a prototype name', { type: 'date' }, { kind: 'text', text: 'constructor' }, { err: 'not_date' }],
  ['date: another prototype name', { type: 'date' }, { kind: 'text', text: 'toString' }, { err: 'not_date' }],
  ['date spoken: 昨天', { type: 'date' }, { kind: 'text', text: '昨天' }, '2017-11-02'],
  ['date spoken: 今天', { type: 'date', not_future: true }, { kind: 'text', text: '今天' }, '2017-11-03'],
  ['date month and day: this year', { type: 'date' }, { kind: 'text', text: '11月1日' }, '2017-11-01'],
  ['date month and day: last year when it cannot be future', { type: 'date', not_future: true }, { kind: 'text', text: '12-30' }, '2016-12-30'],
  ['date full-width', { type: 'date' }, { kind: 'text', text: '２０１７－１１－０２' }, '2017-11-02'],
  ['integer with a unit: 45分钟', { type: 'integer' }, { kind: 'text', text: '45分钟' }, 45],
  ['integer with a unit: 6个月', { type: 'integer', max: 12 }, { kind: 'text', text: '6个月' }, 6],
  ['integer full-width digits', { type: 'integer' }, { kind: 'text', text: '４５' }, 45],
  ['money in 万', { type: 'money' }, { kind: 'text', text: '1.2万' }, 12000],
  ['money in 万元', { type: 'money' }, { kind: 'text', text: '0.35万元' }, 3500],
  ['money in 千', { type: 'money' }, { kind: 'text', text: '3千' }, 3000],
  ['money 块', { type: 'money' }, { kind: 'text', text: '800块' }, 800],
  ['integer 万 with a fraction is refused', { type: 'integer' }, { kind: 'text', text: '1.23456万' }, { err: 'not_integer' }],
  ['decimal 亩', { type: 'decimal' }, { kind: 'text', text: '3.5亩' }, 3.5],
  ['integer in Chinese numerals', { type: 'integer' }, { kind: 'text', text: '七十五分钟' }, 75],
  ['money in Chinese numerals, spoken shortening', { type: 'money' }, { kind: 'text', text: '两千五' }, 2500],
  ['money in Chinese numerals with 万 and 元', { type: 'money' }, { kind: 'text', text: '三万五千元' }, 35000],
  ['decimal in Chinese numerals', { type: 'decimal' }, { kind: 'text', text: '三点五亩' }, 3.5],
  ['integer in Chinese numerals with a fraction is refused', { type: 'integer' }, { kind: 'text', text: '三点五' }, { err: 'not_integer' }],
  ['vague Chinese numerals are refused', { type: 'integer' }, { kind: 'text', text: '几十' }, { err: 'not_integer' }],
  ['Chinese numerals out of range', { type: 'integer', max: 600 }, { kind: 'text', text: '九百' }, { err: 'integer_range' }],
  ['date in the future', { type: 'date', not_future: true }, { kind: 'text', text: '2017-11-04' }, { err: 'date_future' }],
  ['birth date age > 120', { type: 'date', not_future: true, max_age_years: 120 }, { kind: 'text', text: '1896-01-01' }, { err: 'age_too_high' }],
  ['birth date age 117 ok', { type: 'date', max_age_years: 120 }, { kind: 'text', text: '1900-01-01' }, '1900-01-01'],
  ['date min from a fact', { type: 'date', min: { fact: 'pairing_start_date' } }, { kind: 'text', text: '2015-12-31' }, { err: 'date_before' }],
  ['date max literal', { type: 'date', max: '2017-06-30' }, { kind: 'text', text: '2017-07-01' }, { err: 'date_after' }],
  ['select_one by value', { type: 'select_one', choices }, { kind: 'choice', value: '因残' }, '因残'],
  ['select_one typed label', { type: 'select_one', choices }, { kind: 'text', text: 'illness' }, '因病'],
  ['select_one typed number', { type: 'select_one', choices }, { kind: 'text', text: '3' }, '因学'],
  ['select_one unknown', { type: 'select_one', choices }, { kind: 'choice', value: '因懒' }, { err: 'choose_one' }],
  ['select_multiple typed', { type: 'select_multiple', choices }, { kind: 'text', text: '因学、因病' }, ['因病', '因学']],
  ['select_multiple too many', { type: 'select_multiple', choices, max_selected: 2 }, { kind: 'text', text: '1,2,3' }, { err: 'choose_max' }],
  ['select_multiple unknown typed', { type: 'select_multiple', choices }, { kind: 'text', text: '因病,因懒' }, { err: 'unknown_choice' }],
  ['yes_no button', { type: 'yes_no' }, { kind: 'no' }, false],
  ['yes_no typed', { type: 'yes_no' }, { kind: 'text', text: '是' }, true],
  ['yes_no junk', { type: 'yes_no' }, { kind: 'text', text: 'maybe' }, { err: 'yes_no' }],
  ['phone ok', { type: 'phone' }, { kind: 'text', text: '+86 139-1234-5678' }, '13912345678'],
  ['phone bad prefix', { type: 'phone' }, { kind: 'text', text: '12912345678' }, { err: 'not_phone' }],
  ['id number ok (x lower)', { type: 'id_number' }, { kind: 'text', text: '11010519491231002x' }, '11010519491231002X'],
  ['id number bad check digit', { type: 'id_number' }, { kind: 'text', text: '110105194912310021' }, { err: 'not_id_number' }],
  ['location ok', { type: 'location' }, { kind: 'location', lat: 30, lon: 120 }, { lat: 30, lon: 120, atMs: 1_509_674_400_000 }],
  ['location forwarded', { type: 'location' }, { kind: 'location', lat: 30, lon: 120, forwarded: true }, { err: 'location_forwarded' }],
  ['location not live', { type: 'location', live_only: true }, { kind: 'location', lat: 30, lon: 120, live: false }, { err: 'location_not_live' }],
  ['location out of range', { type: 'location' }, { kind: 'location', lat: 91, lon: 120 }, { err: 'location_invalid' }],
  ['location as text', { type: 'location' }, { kind: 'text', text: 'home' }, { err: 'location_needed' }],
  ['photo ok', { type: 'photo' }, { kind: 'photo', fileId: 'F1' }, { fileId: 'F1', atMs: 1_509_674_400_000 }],
  ['photo as text', { type: 'photo' }, { kind: 'text', text: 'pic' }, { err: 'photo_needed' }],
  ['constraint message', { type: 'integer', constraint: { expr: { ne: [{ self: true }, 7] }, message: { zh: '不能是7', en: 'not 7' } } }, { kind: 'text', text: '7' }, { err: 'constraint' }],
];

describe('field types: parsing and validation', () => {
  it.each(rows)('%s', (_name, field, input, expected) => {
    const form = oneField(field);
    const s0 = startCard(form, ctx);
    expect(s0.cursor).toBe('vd');
    const s1 = advance(form, s0, { kind: 'text', text: '2017-11-02' }, ctx);
    if (!s1.ok) throw new Error(s1.error.key);
    const before = JSON.stringify(s1.state);
    const r = advance(form, s1.state, input, ctx);
    if (typeof expected === 'object' && expected !== null && 'err' in expected) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.key).toBe(`form.err.${(expected as { err: string }).err}`);
      expect(JSON.stringify(s1.state)).toBe(before); // state unchanged
    } else {
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.state.answers.f).toEqual(expected);
        expect(r.state.cursor).toBeNull();
      }
    }
  });

  it('error messages carry what is accepted', () => {
    const form = oneField({ type: 'integer', min: 1, max: 30 });
    const s = advance(form, startCard(form, ctx), { kind: 'text', text: '2017-11-02' }, ctx);
    if (!s.ok) throw new Error();
    const r = advance(form, s.state, { kind: 'text', text: 'abc' }, ctx);
    expect(r).toEqual({ ok: false, error: { key: 'form.err.not_integer', params: { min: 1, max: 30 } } });
    const c = oneField({ type: 'integer', constraint: { expr: { ne: [{ self: true }, 7] }, message: { zh: '不能是7', en: 'not 7' } } });
    const s2 = advance(c, startCard(c, ctx), { kind: 'text', text: '2017-11-02' }, ctx);
    if (!s2.ok) throw new Error();
    expect(advance(c, s2.state, { kind: 'text', text: '7' }, ctx)).toEqual({ ok: false, error: { key: 'form.err.constraint', params: { zh: '不能是7', en: 'not 7' } } });
  });

  it('select_multiple: toggles build a draft shown in the prompt, done commits it', () => {
    const form = oneField({ type: 'select_multiple', choices, max_selected: 2 });
    let s = startCard(form, ctx);
    const go = (i: Input) => {
      const r = advance(form, s, i, ctx);
      if (!r.ok) throw new Error(r.error.key);
      s = JSON.parse(JSON.stringify(r.state));
    };
    go({ kind: 'text', text: '2017-11-02' });
    go({ kind: 'toggle', value: '因学' });
    go({ kind: 'toggle', value: '因病' });
    go({ kind: 'toggle', value: '因学' });
    go({ kind: 'toggle', value: '因残' });
    const p = currentPrompt(form, s, ctx);
    expect(!p.done && p.selected).toEqual(['因病', '因残']);
    const third = advance(form, s, { kind: 'toggle', value: '因学' }, ctx);
    expect(!third.ok && third.error).toEqual({ key: 'form.err.choose_max', params: { max: 2 } });
    go({ kind: 'done' });
    expect(s.answers.f).toEqual(['因病', '因残']);
    expect(s.cursor).toBeNull();
  });

  it('notes are not questions (shown with the section\'s first one); required fields cannot be skipped, optional ones can', () => {
    const raw = {
      id: 't', version: 1, title: L('t'),
      sections: [{ id: 's', title: L('s'), fields: [
        { id: 'n', type: 'note', label: L('read me') },
        { id: 'a', type: 'text', label: L('a'), required: true },
        { id: 'b', type: 'text', label: L('b') },
      ] }],
    };
    const v = validateFormDefinition(raw, 'inline');
    if (!v.ok) throw new Error(v.errors.join());
    const form = v.form;
    const s0 = startCard(form, ctx);
    const first = currentPrompt(form, s0, ctx);
    expect(!first.done && [first.fieldId, first.notes.map((n) => n.zh), first.progress]).toEqual(['a', ['read me'], { section: 1, sections: 1, question: 1 }]);
    const s1 = { ok: true as const, state: s0 };
    const p = currentPrompt(form, s1.state, ctx);
    expect(!p.done && [p.fieldId, p.canSkip, p.canBack]).toEqual(['a', false, false]);
    expect(advance(form, s1.state, { kind: 'skip' }, ctx)).toMatchObject({ ok: false, error: { key: 'form.err.required' } });
    const s2 = advance(form, s1.state, { kind: 'text', text: 'x' }, ctx);
    if (!s2.ok) throw new Error();
    const second = currentPrompt(form, s2.state, ctx);
    expect(!second.done && [second.notes, second.progress.question, second.canBack]).toEqual([[], 2, true]);
    const s3 = advance(form, s2.state, { kind: 'skip' }, ctx);
    expect(s3.ok && s3.state.cursor).toBeNull();
    expect(s3.ok && s3.state.answers).toEqual({ a: 'x' });
  });
});

describe('money on the card and its summary', () => {
  it.each([
    [0, '0.00'], [2760, '2,760.00'], [1234567.891, '1,234,567.89'], [-999.5, '-999.50'], [100, '100.00'], [1000, '1,000.00'], [-123456, '-123,456.00'],
  ])('%d → %s', (n, s) => expect(formatYuan(n)).toBe(s));

  it('groups thousands like the regex it replaced, for any amount', () => {
    const byRegex = (n: number) => {
      const [i, d] = Math.abs(n).toFixed(2).split('.');
      return `${n < 0 ? '-' : ''}${i.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${d}`;
    };
    fc.assert(fc.property(fc.double({ min: -1e15, max: 1e15, noNaN: true }), (n) => {
      expect(formatYuan(n)).toBe(byRegex(n));
    }));
  });
});

describe('summary items', () => {
  it('show each value as displayValue does, also in JSON (the shown value is worked out when first read)', () => {
    const form = validateFormDefinition({
      id: 't', version: 1, title: { zh: 't', en: 't' },
      sections: [{ id: 's', title: { zh: 's', en: 's' }, fields: [
        { id: 'm', type: 'money', label: { zh: '收入', en: 'Income' } },
        { id: 'x', type: 'text', label: { zh: '备注', en: 'Note' } },
      ] }],
    }, 't');
    if (!form.ok) throw new Error(form.errors.join('\n'));
    const f = form.form;
    let s = startCard(f, ctx);
    for (const text of ['12345.5', '电话 13800138000']) {
      const r = advance(f, s, { kind: 'text', text }, ctx);
      if (!r.ok) throw new Error(r.error.key);
      s = r.state;
    }
    const items = summarize(f, s, ctx).items;
    const fields = f.sections[0].fields;
    expect(items.map((i) => i.display)).toEqual([displayValue(fields[0], 12345.5), displayValue(fields[1], '电话 13800138000')]);
    expect(items[0].display.zh).toBe('12,345.50 元');
    expect(items[1].display.zh).not.toContain('13800138000');
    expect(JSON.parse(JSON.stringify(items))).toEqual([
      { path: 'm', fieldId: 'm', sectionId: 's', label: fields[0].label, type: 'money', value: 12345.5, display: items[0].display },
      { path: 'x', fieldId: 'x', sectionId: 's', label: fields[1].label, type: 'text', value: '电话 13800138000', display: items[1].display },
    ]);
  });
});
