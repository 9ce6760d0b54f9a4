/**
 * A form may extend another so that what is common is written once: `extends: <form id>`, then `sections` lists
 * either a section of its own or `{ from: <section id of the base>, drop: [field ids], replace: [fields], add: [fields] }`
 * (a replacing field takes the place of the base's field with its id; added fields come last), and `base_rules` names the
 * base's cross-field rules it keeps (its own `rules` follow). Resolved on the raw definitions before validation.
 */
type Raw = Record<string, unknown>;

const obj = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The raw definition with its base's sections and rules copied in, or the problems found. */
export function resolveExtends(raw: Raw, bases: Map<string, Raw>, file: string): { ok: true; raw: Raw } | { ok: false; errors: string[] } {
  if (raw.extends === undefined) return { ok: true, raw };
  const errors: string[] = [];
  const base = typeof raw.extends === 'string' ? bases.get(raw.extends) : undefined;
  if (!base) return { ok: false, errors: [`${file}: extends: ${String(raw.extends)} is not a form in this folder`] };
  if (base.extends !== undefined) return { ok: false, errors: [`${file}: extends: ${String(raw.extends)} extends another form itself`] };
  const baseSections = Array.isArray(base.sections) ? (base.sections.filter(obj) as Raw[]) : [];
  const sections = (Array.isArray(raw.sections) ? raw.sections : []).map((s, i) => {
    if (!obj(s) || s.from === undefined) return s;
    const from = baseSections.find((b) => b.id === s.from);
    if (!from) {
      errors.push(`${file}: sections[${i}].from: ${String(s.from)} is not a section of ${String(raw.extends)}`);
      return s;
    }
    const drop = new Set(Array.isArray(s.drop) ? s.drop.map(String) : []);
    const replace = new Map((Array.isArray(s.replace) ? s.replace.filter(obj) : []).map((f) => [String(f.id), f]));
    const baseFields = (Array.isArray(from.fields) ? from.fields : []).filter(obj);
    for (const id of [...drop, ...replace.keys()]) {
      if (!baseFields.some((f) => f.id === id)) errors.push(`${file}: sections[${i}]: ${id} is not a field of ${String(s.from)}`);
    }
    const fields = [
      ...baseFields.filter((f) => !drop.has(String(f.id))).map((f) => replace.get(String(f.id)) ?? f),
      ...(Array.isArray(s.add) ? s.add : []),
    ];
    return { ...from, ...(s.title ? { title: s.title } : {}), fields };
  });
  const keep = Array.isArray(raw.base_rules) ? raw.base_rules.map(String) : [];
  const baseRules = (Array.isArray(base.rules) ? base.rules : []).filter((r) => obj(r) && keep.includes(String(r.id)));
  for (const k of keep) if (!baseRules.some((r) => (r as Raw).id === k)) errors.push(`${file}: base_rules: ${k} is not a rule of ${String(raw.extends)}`);
  if (errors.length) return { ok: false, errors };
  const { extends: _e, base_rules: _b, ...rest } = raw;
  return { ok: true, raw: { ...rest, sections, rules: [...baseRules, ...(Array.isArray(raw.rules) ? raw.rules : [])] } };
}
