/** How stored answers are shown: every value becomes bilingual Text (choice labels, yuan, masked ID numbers). */
import type { Text } from '../text.js';
import { maskPersonalNumbers, maskPhone } from '../people/privacy.js';
import type { FieldDef, LocationValue, PhotoValue, RepeatItem } from './types.js';

const same = (s: string): Text => ({ zh: s, en: s });

/** Formats yuan with 2 decimals and thousands separators: 12345.5 → "12,345.50". */
export function formatYuan(n: number): string {
  const fixed = Math.abs(n).toFixed(2);
  const dot = fixed.length - 3;
  // grouped by hand: the regex with lookaheads was most of the summary's time on a card of money answers
  let i = fixed.slice(0, ((dot - 1) % 3) + 1);
  for (let k = i.length; k < dot; k += 3) i += `,${fixed.slice(k, k + 3)}`;
  return `${n < 0 ? '-' : ''}${i}${fixed.slice(dot)}`;
}

/** Masks an ID number for display: first 4 and last 4 characters only. */
export function maskId(id: string): string {
  return id.length <= 8 ? '*'.repeat(id.length) : `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

/** Shows a value of a field (or of a calculate field's value_type). */
export function displayValue(field: FieldDef, value: unknown): Text {
  if (value === undefined || value === null) return { zh: '（未填）', en: '(blank)' };
  const type = field.type === 'calculate' ? field.value_type ?? 'text' : field.type;
  switch (type) {
    case 'money':
      return typeof value === 'number' ? { zh: `${formatYuan(value)} 元`, en: `¥${formatYuan(value)}` } : same(String(value));
    case 'yes_no':
      return value ? { zh: '是', en: 'Yes' } : { zh: '否', en: 'No' };
    case 'select_one': {
      const c = field.choices?.find((ch) => ch.value === value);
      return c ? c.label : same(String(value));
    }
    case 'select_multiple': {
      const vals = Array.isArray(value) ? value : [];
      if (!vals.length) return { zh: '（无）', en: '(none)' };
      const labels = vals.map((v) => field.choices?.find((ch) => ch.value === v)?.label ?? same(String(v)));
      return { zh: labels.map((l) => l.zh).join('、'), en: labels.map((l) => l.en).join(', ') };
    }
    case 'id_number':
      return same(maskId(String(value)));
    case 'phone':
      // stored as given, shown masked (issue 2: phone numbers are masked wherever they are shown)
      return same(maskPhone(String(value)));
    case 'text':
      // an ID or bank number written into a free-text answer is stored as written but shown masked
      return same(maskPersonalNumbers(String(value as string)));
    case 'location': {
      const l = value as LocationValue;
      return same(`${l.lat.toFixed(5)}, ${l.lon.toFixed(5)}`);
    }
    case 'photo':
      return { zh: '已上传照片', en: 'photo attached' };
    case 'repeat': {
      const n = Array.isArray(value) ? value.length : 0;
      return { zh: `${n} 项`, en: `${n} item${n === 1 ? '' : 's'}` };
    }
    case 'decimal': case 'integer':
      return same(typeof value === 'number' ? String(Math.round(value * 100) / 100) : String(value));
    default:
      return same(String(value as string | PhotoValue));
  }
}

/** The label of one repeat item, e.g. "成员 2：张三、户主". */
export function itemSummary(repeat: FieldDef, item: RepeatItem, index: number): Text {
  const subs = repeat.fields ?? [];
  const ids = repeat.item_summary ?? subs.filter((f) => f.type !== 'note' && f.type !== 'calculate').slice(0, 2).map((f) => f.id);
  const parts = ids
    .map((id) => subs.find((f) => f.id === id)!)
    .filter((f) => f && item[f.id] !== undefined)
    .map((f) => displayValue(f, item[f.id]));
  const label = itemLabel(repeat, index);
  if (!parts.length) return label;
  return { zh: `${label.zh}：${parts.map((p) => p.zh).join('、')}`, en: `${label.en}: ${parts.map((p) => p.en).join(', ')}` };
}

/** "成员 2" / "Member 2" from the repeat's item_label (`{n}` is the 1-based number). */
export function itemLabel(repeat: FieldDef, index: number): Text {
  const t = repeat.item_label ?? { zh: `${repeat.label.zh} {n}`, en: `${repeat.label.en} {n}` };
  const n = String(index + 1);
  return { zh: t.zh.replace('{n}', n), en: t.en.replace('{n}', n) };
}
