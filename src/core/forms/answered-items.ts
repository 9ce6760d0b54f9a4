/** A stored card's answers as a flat list in form order: what a supervisor reads, reviews and sends back. */
import type { Text } from '../text.js';
import { displayValue, itemLabel } from './display.js';
import { parsePath } from './state.js';
import type { Answers, FieldDef, FormDefinition, RepeatItem } from './types.js';

/** One answer of a stored card: its step path, section, label and shown value. */
export interface AnsweredItem {
  path: string;
  sectionIndex: number;
  label: Text;
  display: Text;
}

/** Every answered field of a card in form order (repeat items field by field). */
export function answeredItems(form: FormDefinition, answers: Answers): AnsweredItem[] {
  const out: AnsweredItem[] = [];
  form.sections.forEach((section, sectionIndex) => {
    for (const f of section.fields) {
      if (f.type === 'note' || f.type === 'calculate') continue;
      const v = answers[f.id];
      if (v === undefined) continue;
      if (f.type !== 'repeat') {
        out.push({ path: f.id, sectionIndex, label: f.label, display: displayValue(f, v) });
        continue;
      }
      (v as RepeatItem[]).forEach((item, k) => {
        const head = itemLabel(f, k);
        for (const sf of f.fields ?? []) {
          if (sf.type === 'note' || sf.type === 'calculate' || item[sf.id] === undefined) continue;
          out.push({
            path: `${f.id}[${k}].${sf.id}`,
            sectionIndex,
            label: { zh: `${head.zh} · ${sf.label.zh}`, en: `${head.en} · ${sf.label.en}` },
            display: displayValue(sf, item[sf.id]),
          });
        }
      });
    }
  });
  return out;
}

/** The label of a step path (`members[1].health` → 成员 2 · 健康状况); the path itself when it names nothing. */
export function pathLabel(form: FormDefinition, path: string): Text {
  const p = parsePath(path);
  const fields = form.sections.flatMap((s) => s.fields);
  const f: FieldDef | undefined = p ? fields.find((x) => x.id === p.field) : undefined;
  if (!p || !f) return { zh: path, en: path };
  if (p.index === undefined || !p.sub) return f.label;
  const sf = f.fields?.find((x) => x.id === p.sub);
  const head = itemLabel(f, p.index);
  return { zh: `${head.zh} · ${sf?.label.zh ?? p.sub}`, en: `${head.en} · ${sf?.label.en ?? p.sub}` };
}
