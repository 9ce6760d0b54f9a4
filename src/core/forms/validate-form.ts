/**
 * Validates a raw (parsed YAML) form definition. Like pyxform's row errors, every error names the file, the form
 * and the field (or rule), e.g. `content/forms/dynamic-card.yaml: form dynamic_card: field members.relation:
 * select_one needs choices`.
 */
import { FIELD_TYPES, type FieldDef, type FormDefinition } from './types.js';
import { checkExpr, fieldRefs, type RefScope } from './expr-check.js';

type Result = { ok: true; form: FormDefinition } | { ok: false; errors: string[] };

const ID_RE = /^[a-z][a-z0-9_]*$/;
const FIELD_KEYS = new Set([
  'id', 'type', 'label', 'hint', 'how_to_ask', 'how_to_fill', 'required', 'relevant', 'constraint', 'choices', 'min',
  'max', 'not_future', 'max_age_years', 'max_length', 'min_selected', 'max_selected', 'calculate', 'value_type',
  'display', 'carry_forward', 'carry_forward_from', 'live_only', 'fields', 'min_items', 'max_items', 'item_label',
  'item_summary', 'prefill', 'autofill', 'suggest', 'ask', 'across_label', 'across_group', 'across_default', 'short_label', 'quick_entry', 'start_with_one',
  'auto_keep', 'checklist', 'checklist_label',
]);
const CHOICE_TYPES = new Set(['select_one', 'select_multiple']);
const NUMERIC_TYPES = new Set(['integer', 'decimal', 'money']);

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isText = (v: unknown): boolean => isObj(v) && typeof v.zh === 'string' && v.zh !== '' && typeof v.en === 'string';

/** Validates a form definition; returns the typed form or every problem found. */
export function validateFormDefinition(raw: unknown, file: string): Result {
  const errors: string[] = [];
  if (!isObj(raw)) return { ok: false, errors: [`${file}: the form must be a mapping`] };
  const formId = typeof raw.id === 'string' ? raw.id : '?';
  const at = (where: string, msg: string) => errors.push(`${file}: form ${formId}: ${where}${where ? ': ' : ''}${msg}`);
  if (!ID_RE.test(formId)) at('', 'id must be lower_snake_case');
  if (!Number.isInteger(raw.version) || (raw.version as number) < 1) at('', 'version must be a positive integer');
  if (!isText(raw.title)) at('', 'title must be { zh, en }');
  if (!Array.isArray(raw.sections) || raw.sections.length === 0) {
    at('', 'sections must be a non-empty list');
    return { ok: false, errors };
  }
  const top: Record<string, unknown>[] = [];
  const sectionIds = new Set<string>();
  raw.sections.forEach((s, i) => {
    if (!isObj(s)) return at(`section ${i + 1}`, 'must be a mapping');
    const sid = String(s.id ?? `#${i + 1}`);
    if (!ID_RE.test(sid) || sectionIds.has(sid)) at(`section ${sid}`, 'id must be unique lower_snake_case');
    sectionIds.add(sid);
    if (!isText(s.title)) at(`section ${sid}`, 'title must be { zh, en }');
    if (!Array.isArray(s.fields) || s.fields.length === 0) return at(`section ${sid}`, 'fields must be a non-empty list');
    for (const f of s.fields) top.push(isObj(f) ? f : { id: '?', bad: true });
  });
  // Collect ids first so references can be checked in any order.
  const topIds = new Set<string>();
  const subs = new Map<string, Set<string>>();
  top.forEach((f, i) => {
    const id = typeof f.id === 'string' ? f.id : `#${i + 1}`;
    if (!ID_RE.test(id)) at(`field ${id}`, 'id must be lower_snake_case');
    if (topIds.has(id)) at(`field ${id}`, 'duplicate field id');
    topIds.add(id);
    if (f.type === 'repeat' && Array.isArray(f.fields)) {
      subs.set(id, new Set(f.fields.filter(isObj).map((sf) => String(sf.id))));
    }
  });
  for (const [rid, ids] of subs) {
    const seen = new Set<string>();
    for (const sf of (top.find((f) => f.id === rid)!.fields as unknown[]).filter(isObj)) {
      const sid = String(sf.id);
      if (seen.has(sid)) at(`field ${rid}.${sid}`, 'duplicate field id in the repeat');
      if (topIds.has(sid)) at(`field ${rid}.${sid}`, 'a repeat field id must differ from every top-level id');
      seen.add(sid);
    }
    void ids;
  }
  const topScope: RefScope = { top: topIds, subs, allowSelf: false };
  for (const f of top) checkField(f, String(f.id), topScope, at, false);
  for (const [rid] of subs) {
    const rf = top.find((f) => f.id === rid)!;
    const scope: RefScope = { ...topScope, repeat: rid };
    for (const sf of (rf.fields as unknown[]).filter(isObj)) checkField(sf, `${rid}.${String(sf.id)}`, scope, at, true);
    if (Array.isArray(rf.item_summary)) {
      for (const s of rf.item_summary) if (!subs.get(rid)!.has(String(s))) at(`field ${rid}`, `item_summary names unknown field "${s}"`);
    }
  }
  if (raw.visit_date_field !== undefined) {
    const vf = top.find((f) => f.id === raw.visit_date_field);
    if (!vf || vf.type !== 'date') at('', `visit_date_field "${String(raw.visit_date_field)}" must name a top-level date field`);
  }
  checkChecklists(raw.sections.filter(isObj), topIds, sectionIds, at);
  checkRules(raw.rules, topScope, at);
  checkCalculateCycles(top, at);
  return errors.length ? { ok: false, errors } : { ok: true, form: raw as unknown as FormDefinition };
}

type At = (where: string, msg: string) => void;

function checkField(f: Record<string, unknown>, name: string, scope: RefScope, at: At, inRepeat: boolean): void {
  const where = `field ${name}`;
  if (f.bad) return at(where, 'must be a mapping');
  const type = f.type as FieldDef['type'];
  if (!FIELD_TYPES.includes(type)) return at(where, `unknown type "${String(f.type)}" (known: ${FIELD_TYPES.join(', ')})`);
  for (const k of Object.keys(f)) if (!FIELD_KEYS.has(k)) at(where, `unknown key "${k}"`);
  if (!isText(f.label)) at(where, 'label must be { zh, en }');
  for (const k of ['hint', 'how_to_ask', 'how_to_fill', 'item_label']) if (f[k] !== undefined && !isText(f[k])) at(where, `${k} must be { zh, en }`);
  const expr = (key: string, e: unknown, allowSelf = false) => {
    for (const p of checkExpr(e, { ...scope, allowSelf })) at(where, `${key}: ${p}`);
  };
  if (f.relevant !== undefined) expr('relevant', f.relevant);
  if (f.required !== undefined && typeof f.required !== 'boolean') expr('required', f.required);
  if (f.constraint !== undefined) {
    const c = f.constraint;
    if (!isObj(c) || c.expr === undefined || !isText(c.message)) at(where, 'constraint must be { expr, message: { zh, en } }');
    else expr('constraint', c.expr, true);
  }
  if (CHOICE_TYPES.has(type)) {
    const ch = f.choices;
    if (!Array.isArray(ch) || ch.length === 0) at(where, `${type} needs choices`);
    else {
      const values = new Set<string>();
      ch.forEach((c, i) => {
        if (!isObj(c) || typeof c.value !== 'string' || c.value === '' || !isText(c.label)) {
          return at(where, `choice ${i + 1} must be { value, label: { zh, en } }`);
        }
        if (values.has(c.value)) at(where, `duplicate choice value "${c.value}"`);
        values.add(c.value);
        if (c.aliases !== undefined && (!Array.isArray(c.aliases) || !c.aliases.every((a) => typeof a === 'string' && a.trim() !== ''))) {
          at(where, `choice "${c.value}": aliases is a list of words people type for it`);
        }
      });
      // a typed word must name one choice: no alias may be another choice's value, label or alias
      const named = new Map<string, string>();
      for (const c of ch as { value: string; label: { zh: string }; aliases?: unknown[] }[]) {
        for (const w of new Set([c.value, c.label?.zh, ...(Array.isArray(c.aliases) ? c.aliases.map(String) : [])])) {
          const other = named.get(w);
          if (other !== undefined && other !== c.value) at(where, `"${w}" names both choice "${other}" and "${c.value}"`);
          named.set(w, c.value);
        }
      }
    }
  } else if (f.choices !== undefined) at(where, `choices are only for select_one / select_multiple`);
  if ((f.min_selected !== undefined || f.max_selected !== undefined) && type !== 'select_multiple') {
    at(where, 'min_selected / max_selected are only for select_multiple');
  }
  if (NUMERIC_TYPES.has(type)) {
    for (const k of ['min', 'max']) if (f[k] !== undefined && typeof f[k] !== 'number') at(where, `${k} must be a number`);
    if (typeof f.min === 'number' && typeof f.max === 'number' && f.min > f.max) at(where, 'min is greater than max');
  } else if (type === 'date') {
    for (const k of ['min', 'max']) if (f[k] !== undefined && typeof f[k] !== 'string') expr(k, f[k]);
  } else if (f.min !== undefined || f.max !== undefined) at(where, `min / max are not used by ${type}`);
  if (type === 'calculate') {
    if (f.calculate === undefined) at(where, 'calculate needs a calculate expression');
    else expr('calculate', f.calculate);
    if (!['money', 'integer', 'decimal', 'yes_no', 'text'].includes(String(f.value_type))) {
      at(where, 'calculate needs value_type: money | integer | decimal | yes_no | text');
    }
  } else if (f.calculate !== undefined) at(where, 'calculate is only for type calculate');
  if (type === 'repeat') {
    if (inRepeat) at(where, 'repeats cannot be nested');
    if (!Array.isArray(f.fields) || f.fields.length === 0) at(where, 'repeat needs fields');
    for (const k of ['min_items', 'max_items']) if (f[k] !== undefined && !(Number.isInteger(f[k]) && (f[k] as number) >= 0)) at(where, `${k} must be a whole number`);
  } else if (f.fields !== undefined) at(where, 'fields are only for type repeat');
  if (f.carry_forward !== undefined && typeof f.carry_forward !== 'boolean') at(where, 'carry_forward must be true or false');
  if (f.prefill !== undefined) {
    if (inRepeat || type === 'repeat') at(where, 'prefill is for top-level fields (use autofill inside a repeat)');
    else expr('prefill', f.prefill);
  }
  if (f.autofill !== undefined) {
    if (['repeat', 'note', 'calculate', 'location', 'photo'].includes(type)) at(where, `autofill is not used by ${type}`);
    else expr('autofill', f.autofill);
  }
  if (f.suggest !== undefined) {
    if (!Array.isArray(f.suggest)) at(where, 'suggest must be a list of expressions');
    else f.suggest.forEach((e, i) => expr(`suggest[${i}]`, e));
  }
  if (f.ask !== undefined) {
    if (f.ask !== 'across') at(where, 'ask must be across');
    else if (!inRepeat || type !== 'yes_no') at(where, 'ask: across is for yes_no fields inside a repeat');
  }
  if (f.across_label !== undefined && !isText(f.across_label)) at(where, 'across_label must be { zh, en }');
  if (f.across_default !== undefined && typeof f.across_default !== 'boolean') at(where, 'across_default must be true or false');
  if (f.across_group !== undefined && (typeof f.across_group !== 'string' || f.ask !== 'across')) at(where, 'across_group names a group of ask: across fields');
  if (f.short_label !== undefined && !isText(f.short_label)) at(where, 'short_label must be { zh, en }');
  if (f.checklist !== undefined) {
    if (typeof f.checklist !== 'string' || !ID_RE.test(f.checklist)) at(where, 'checklist must be a lower_snake_case id');
    if (inRepeat || (type !== 'yes_no' && type !== 'select_multiple')) at(where, 'checklist is for top-level yes_no and select_multiple fields');
    if (f.autofill !== undefined || f.prefill !== undefined) at(where, 'a checklist field is answered by its ticks, not by autofill or prefill');
  }
  if (f.checklist_label !== undefined && (!isText(f.checklist_label) || f.checklist === undefined)) at(where, 'checklist_label is { zh, en } on a checklist field');
  for (const k of ['start_with_one', 'auto_keep']) {
    if (f[k] !== undefined && (type !== 'repeat' || typeof f[k] !== 'boolean')) at(where, `${k} is true / false on a repeat`);
  }
  if (f.quick_entry !== undefined) {
    const subIds = new Set((Array.isArray(f.fields) ? f.fields : []).filter(isObj).map((sf) => String(sf.id)));
    if (type !== 'repeat' || !Array.isArray(f.quick_entry)) at(where, 'quick_entry is a list of sub-field ids on a repeat');
    else for (const id of f.quick_entry) if (!subIds.has(String(id))) at(where, `quick_entry names unknown field "${String(id)}"`);
  }
  if (f.carry_forward_from !== undefined && !scope.top.has(String(f.carry_forward_from))) {
    at(where, `carry_forward_from names unknown field "${String(f.carry_forward_from)}"`);
  }
}

/** A checklist lies in one section, has its question on its first field, and its id names nothing else. */
function checkChecklists(sections: Record<string, unknown>[], topIds: Set<string>, sectionIds: Set<string>, at: At): void {
  const seen = new Map<string, string>();
  for (const s of sections) {
    const fields = (Array.isArray(s.fields) ? s.fields : []).filter(isObj);
    for (const f of fields) {
      if (typeof f.checklist !== 'string') continue;
      const id = f.checklist;
      const where = `field ${String(f.id)}`;
      if (!seen.has(id)) {
        seen.set(id, String(s.id));
        if (f.checklist_label === undefined) at(where, `the first field of checklist ${id} needs checklist_label`);
        if (topIds.has(id) || sectionIds.has(id)) at(where, `checklist id ${id} is also a field or section id`);
      } else if (seen.get(id) !== String(s.id)) at(where, `checklist ${id} spans two sections`);
      else if (f.checklist_label !== undefined) at(where, `checklist ${id} has its question on its first field only`);
    }
  }
}

function checkRules(rules: unknown, scope: RefScope, at: At): void {
  if (rules === undefined) return;
  if (!Array.isArray(rules)) return at('', 'rules must be a list');
  const ids = new Set<string>();
  rules.forEach((r, i) => {
    if (!isObj(r)) return at(`rule ${i + 1}`, 'must be a mapping');
    const where = `rule ${String(r.id ?? i + 1)}`;
    if (typeof r.id !== 'string' || !ID_RE.test(r.id)) at(where, 'id must be lower_snake_case');
    else if (ids.has(r.id)) at(where, 'duplicate rule id');
    ids.add(String(r.id));
    if (r.level !== 'error' && r.level !== 'warning') at(where, 'level must be error or warning');
    if (r.when === undefined) at(where, 'needs a when expression');
    else for (const p of checkExpr(r.when, scope)) at(where, `when: ${p}`);
    if (!isText(r.message)) at(where, 'message must be { zh, en }');
    if (!Array.isArray(r.fields) || r.fields.length === 0) at(where, 'fields must list the fields the rule is about');
    else for (const fid of r.fields) if (!scope.top.has(String(fid))) at(where, `unknown field "${String(fid)}"`);
  });
}

function checkCalculateCycles(top: Record<string, unknown>[], at: At): void {
  const calc = new Map(top.filter((f) => f.type === 'calculate').map((f) => [String(f.id), fieldRefs(f.calculate)]));
  const state = new Map<string, 1 | 2>();
  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 2) return;
    if (state.get(id) === 1) return at(`field ${id}`, `calculate cycle: ${[...trail, id].join(' → ')}`);
    state.set(id, 1);
    for (const dep of calc.get(id) ?? []) if (calc.has(dep)) visit(dep, [...trail, id]);
    state.set(id, 2);
  };
  for (const id of calc.keys()) visit(id, []);
}
