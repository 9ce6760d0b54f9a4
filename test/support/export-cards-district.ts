/**
 * A small district for the all-cards export's identity test: cards of both card forms with awkward answers (formula
 * starts, markup, edge white space, line breaks, hidden characters, ID and phone numbers in free text, numbers kept as
 * text, missing answers, empty and long repeats), written with the real writer and read back with exceljs.
 */
import ExcelJS from 'exceljs';
import type { Db } from '../../src/db/client.js';
import type { FieldDef, FormDefinition } from '../../src/core/forms/index.js';
import { seededRandom } from '../../src/core/quiz/random.js';

const TEXTS = [
  '情况已核实，户主表示满意', '=SUM(A1:A2)', '+86 138 0013 8000 打过电话', '<b>&amp;</b> & <x>', ' 前后有空格 ', '两行\n第二行',
  '身份证 41052319650302123X 已核', '隐\u0007藏\u202E字符', '-1', '@home', '\t制表符开头', '',
];

function valueFor(f: FieldDef, date: string, r: () => number): unknown {
  if (r() < 0.08) return undefined;
  switch (f.type) {
    case 'select_one':
      return f.choices?.[Math.floor(r() * (f.choices?.length ?? 1))]?.value ?? '';
    case 'select_multiple':
      return f.choices?.filter(() => r() < 0.4).map((c) => c.value) ?? [];
    case 'integer':
      return r() < 0.1 ? '12' : Math.floor(r() * 60) + 1;
    case 'decimal':
      return Math.round(r() * 100) / 10;
    case 'money':
      return r() < 0.1 ? -Math.round(r() * 5000) : Math.round(r() * 200000) / 10;
    case 'date':
      return date;
    case 'yes_no':
      return r() < 0.7;
    case 'phone':
      return '138 0013 8000';
    case 'id_number':
      return r() < 0.5 ? '11010519491231002X' : '4105231965';
    case 'location':
      return { lat: 34.27, lon: 108.95, at: 0, live: true };
    case 'photo':
      return { fileId: 'AgACAgUAAxkBAAIB', at: 0 };
    default:
      return TEXTS[Math.floor(r() * TEXTS.length)];
  }
}

function answersFor(form: FormDefinition, date: string, r: () => number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of form.sections.flatMap((s) => s.fields)) {
    if (f.type === 'note' || f.type === 'calculate') continue;
    if (f.type === 'repeat') {
      const n = Math.floor(r() * 5);
      out[f.id] = Array.from({ length: n }, () =>
        Object.fromEntries((f.fields ?? []).filter((s) => s.type !== 'note' && s.type !== 'calculate').map((s) => [s.id, valueFor(s, date, r)])),
      );
    } else {
      const v = valueFor(f, date, r);
      if (v !== undefined) out[f.id] = v;
    }
  }
  return out;
}

/** 40 households, 6 helpers, `cards` cards alternating between the forms given (deterministic). */
export function seedExportDistrict(db: Db, forms: FormDefinition[], cards: number, startAt: number): void {
  const r = seededRandom(15);
  const c = db.$client;
  c.transaction(() => {
    c.prepare("INSERT INTO towns (id, code, name) VALUES (1, 'T1', '城关镇')").run();
    c.prepare("INSERT INTO villages (id, code, name, town_id) VALUES (1, 'V1', '东沟村', 1)").run();
    c.prepare("INSERT INTO units (id, code, name, town_id) VALUES (1, 'U1', '区教育局', 1)").run();
    const person = c.prepare('INSERT INTO people (id, code, name, unit_id, created_at) VALUES (?, ?, ?, 1, 0)');
    for (let i = 1; i <= 6; i++) person.run(i, `P${i}`, i === 6 ? '=HYPERLINK("x")' : `帮扶人${i}`);
    const hh = c.prepare("INSERT INTO households (id, code, head_name, village_id, attribute, status, cause_main) VALUES (?, ?, ?, 1, '一般贫困户', '未脱贫', '因病')");
    for (let i = 1; i <= 40; i++) hh.run(i, `H${i}`, i % 7 === 0 ? ` 户主${i} ` : `户主${i}`);
    const card = c.prepare(
      'INSERT INTO cards (id, draft_id, household_id, helper_id, form_id, form_version, visit_date, visit_mode, in_person, answers, revision, submitted_at) ' +
        "VALUES (?, ?, ?, ?, ?, 1, ?, '入户走访', 1, ?, ?, ?)",
    );
    for (let i = 1; i <= cards; i++) {
      const form = forms[i % forms.length];
      const at = startAt + Math.floor(r() * 300 * 86_400_000);
      const date = new Date(at).toISOString().slice(0, 10);
      card.run(i, i, 1 + Math.floor(r() * 40), 1 + Math.floor(r() * 6), form.id, date, JSON.stringify(answersFor(form, date, r)), 1 + Math.floor(r() * 3), at);
    }
  })();
}

export type CellOut = string | number | boolean | null;

/** Every sheet of a workbook as its name and rows of cell values (rich text and formulas would show as objects). */
export async function readBack(file: string): Promise<Array<{ name: string; rows: CellOut[][] }>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb.worksheets.map((ws) => {
    const rows: CellOut[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      const cells: CellOut[] = [];
      for (let i = 1; i <= ws.columnCount; i++) {
        const v = row.getCell(i).value;
        cells.push(v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : v);
      }
      rows[n - 1] = cells;
    });
    return { name: ws.name, rows };
  });
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../src/db/client.js';
import { loadContent } from '../../src/content/index.js';
import { writeExport } from '../../src/app/export.js';
import { createTranslator } from '../../src/i18n.js';
import { zonedYearPeriod, DAY_MS } from '../../src/core/visits/pacing.js';
import type { Locale } from '../../src/core/text.js';

/** The all-cards export of the small district, both forms, computed figures included, read back per sheet. */
export async function cardsExportReadBack(locale: Locale, cards = 90): Promise<Array<{ name: string; rows: CellOut[][] }>> {
  const content = loadContent('content');
  if (!content.ok) throw new Error(content.errors.join('\n'));
  const forms = content.content.forms;
  const dir = mkdtempSync(join(tmpdir(), 'export-cards-'));
  const db = openDb(join(dir, 'd.sqlite'));
  const period = zonedYearPeriod(2017, 'Asia/Shanghai');
  seedExportDistrict(db, [forms.get('dynamic_card')!, forms.get('dynamic_card_2021')!], cards, period.startAt);
  const file = join(dir, 'cards.xlsx');
  await writeExport(db, 'cards', file, {
    scope: { kind: 'district' }, t: createTranslator(locale).forLocale(locale), locale, form: forms.get('dynamic_card')!, forms,
    timeZone: 'Asia/Shanghai', now: period.startAt + 318 * DAY_MS, target: 6, settings: content.content.settings, by: { personId: null, via: 'cli' },
  });
  db.$client.close();
  return readBack(file);
}
