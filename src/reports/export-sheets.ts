/**
 * The sheets of each export: which columns, in which language, and how each value is shown. Rows come from the
 * scoped queries (src/db/export-repo.ts) as generators, so a sheet streams into the workbook writer.
 *
 * Data minimisation, per export: what a supervisor needs to supervise visits, guarantees and incomes, and no more.
 * ID numbers show only their region (birth dates appear as a year), so no two columns rebuild a whole number;
 * shared positions (home coordinates), photos and members' health and disability stay out of every sheet (they
 * remain on the card itself, for the people whose scope holds it). Free text is scanned for numbers that look like
 * ID or phone numbers.
 */
import type { KeysUnder, Translate } from '../core/i18n-keys.js';
import {
  computeFigures, displayValue, type Answers, type CardState, type FieldDef, type FormDefinition, type RepeatItem, type Settings,
} from '../core/forms/index.js';
import { maskIdNumberForExport, maskPersonalNumbers, maskPhone } from '../core/people/privacy.js';
import { pickText, type Locale } from '../core/text.js';
import { localDate, localDateTime, localYear } from '../core/time.js';
import { latestDate, paceOfVisits, zonedYearPeriod } from '../core/visits/pacing.js';
import type { AnswerChange } from '../db/cards-repo.js';
import type { ArchiveHousehold, ExportCardRow, HouseholdVisitsRow, QuizDeliveryRow, QuizSummaryRow } from '../db/export-repo.js';
import { LEVEL_LABELS } from '../core/quiz/index.js';
import type { Mastery, Requirement } from '../core/requirements/index.js';
import type { SheetColumn, SheetGroup, SheetSpec } from './xlsx.js';

export const EXPORT_KINDS = ['households', 'cards', 'quiz', 'archive'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export function isExportKind(s: string | undefined): s is ExportKind {
  return (EXPORT_KINDS as readonly string[]).includes(s ?? '');
}

/** Where the rows come from (each call starts a fresh pass). */
export interface ExportRows {
  households(fromDate: string, toDate: string): Iterable<HouseholdVisitsRow>;
  /** every card, read once for the main sheet and its repeats' sheets together */
  cards(): Iterable<ExportCardRow>;
  quizDeliveries(): Iterable<QuizDeliveryRow>;
  quizSummary(): Iterable<QuizSummaryRow>;
  archive(): Iterable<ArchiveHousehold>;
  /** helpers × requirements in force (the quiz export adds it when given) */
  knowledge?(): KnowledgeSheetData;
}

/** What each helper of the scope knows of the requirements in force: one cell per requirement, in order. */
export interface KnowledgeSheetData {
  requirements: readonly Requirement[];
  rows: readonly { code: string; name: string; unit: string; cells: readonly Mastery[]; known: number }[];
}

export interface SheetOptions {
  /** translations in the reader's language (headers under `export.col.*`) */
  t: Translate;
  locale: Locale;
  /** the card form whose columns come first (today's) */
  form: FormDefinition;
  /** every card form: each card is read with its own, and the columns are those of all forms (by field id) */
  forms?: ReadonlyMap<string, FormDefinition>;
  timeZone: string;
  now: number;
  /** in-person visits per household per year */
  target: number;
  /** district settings: the cards export adds the computed figures (net income, per capita, poverty line) */
  settings?: Settings;
}

type Row = Record<string, unknown>;

/** Fields no export carries: where people live (shared positions), photos, members' health and disability. */
const NEVER_EXPORTED_TYPES = new Set(['location', 'photo']);
const NEVER_EXPORTED_FIELDS = new Set(['health', 'disability_cert']);
/** Answers shown as their year only, so they do not complete a masked ID number. */
const YEAR_ONLY_FIELDS = new Set(['birth_date']);

function exported(f: FieldDef): boolean {
  return !NEVER_EXPORTED_TYPES.has(f.type) && !NEVER_EXPORTED_FIELDS.has(f.id);
}

/** A stored answer as a spreadsheet cell: numbers stay numbers; ID and phone numbers masked; choices labelled. */
export function answerCell(field: FieldDef, value: unknown, locale: Locale): string | number | null {
  if (value === undefined || value === null) return null;
  switch (field.type) {
    case 'integer':
    case 'decimal':
    case 'money':
      return typeof value === 'number' ? value : String(value as string);
    case 'id_number':
      return maskIdNumberForExport(String(value as string));
    case 'phone':
      return maskPhone(String(value as string));
    case 'text':
      return maskedText(String(value as string));
    case 'date':
      return YEAR_ONLY_FIELDS.has(field.id) ? String(value as string).slice(0, 4) : String(value as string);
    default: {
      // choices and yes/no repeat across thousands of rows: each distinct answer is labelled once per field
      if (typeof value !== 'string' && typeof value !== 'boolean') return pickText(displayValue(field, value), locale);
      let cached = LABELS.get(field);
      if (!cached || cached.locale !== locale) LABELS.set(field, (cached = { locale, labels: new Map() }));
      const labels = cached.labels;
      const key = value === true ? '\u0001yes' : value === false ? '\u0001no' : value;
      let label = labels.get(key);
      if (label === undefined) {
        if (labels.size > 1000) labels.clear();
        labels.set(key, (label = pickText(displayValue(field, value), locale)));
      }
      return label;
    }
  }
}

/** Free texts repeat ("情况已核实" on thousands of cards): each distinct short one is scanned once (bounded). */
function maskedText(s: string): string {
  let m = MASKED.get(s);
  if (m === undefined) {
    m = maskPersonalNumbers(s);
    if (s.length <= 64) {
      if (MASKED.size >= 20_000) MASKED.clear();
      MASKED.set(s, m);
    }
  }
  return m;
}

const MASKED = new Map<string, string>();

const LABELS = new WeakMap<FieldDef, { locale: Locale; labels: Map<string, string> }>();

function topFields(form: FormDefinition): FieldDef[] {
  return form.sections.flatMap((s) => s.fields);
}

/** Fields of a form that become columns: exported answers only (no notes, no calculated figures), repeats apart. */
function columnsOf(fields: FieldDef[]): FieldDef[] {
  return fields.filter((f) => f.type !== 'note' && f.type !== 'calculate' && f.type !== 'repeat' && exported(f));
}

/** The figures a supervisor reads off a card (display: true calculate fields): net income, per capita, the line. */
function figureFields(form: FormDefinition): FieldDef[] {
  return topFields(form).filter((f) => f.type === 'calculate' && f.display);
}

function figuresOf(form: FormDefinition, answers: Answers, o: SheetOptions): Map<string, number | string | boolean> {
  if (!o.settings) return new Map();
  const state: CardState = {
    formId: form.id, formVersion: form.version, cursor: null, answers, previous: {}, origins: {}, closed: [], confirmedWarnings: [], startedAtMs: 0,
  };
  const figures = computeFigures(form, state, { today: localDate(o.now, o.timeZone), nowMs: o.now, settings: o.settings }, true);
  return new Map(figures.map((f) => [f.id, f.value]));
}

const column = (t: Translate) => (key: KeysUnder<'export.col'>, width?: number): SheetColumn => ({ header: t(`export.col.${key}`), key, width });

// ───────────────────────────── households × visits ─────────────────────────────

function householdsSheet(rows: ExportRows, o: SheetOptions): SheetSpec {
  const { t } = o;
  const col = column(t);
  const year = localYear(o.now, o.timeZone);
  const period = zonedYearPeriod(year, o.timeZone);
  return {
    name: t('export.sheet.households'),
    columns: [
      col('household_code'), col('head_name'), col('head_id', 22), col('town'), col('village'), col('attribute', 16), col('status'),
      col('cause'), col('helpers', 16), col('units', 20), col('visits_year'), col('target'), col('pace'), col('all_visits_year'),
      col('last_visit', 12), col('visit_dates', 40), col('next_due', 12), col('open_flags'),
    ],
    rows: (function* () {
      for (const r of rows.households(`${year}-01-01`, `${year + 1}-01-01`)) {
        const last = latestDate(r.inPersonDates);
        const pacing = paceOfVisits({ count: r.inPersonDates.length, lastDate: last }, period, o.now, o.target, o.timeZone);
        yield {
          household_code: r.code, head_name: r.headName, head_id: maskIdNumberForExport(r.headIdNumber), town: r.town, village: r.village,
          attribute: r.attribute, status: r.status, cause: r.cause, helpers: r.helpers, units: r.units,
          visits_year: r.inPersonDates.length, target: o.target, pace: t(`stats.pace.${pacing.pace}`), all_visits_year: r.allVisits,
          last_visit: last ?? '', visit_dates: r.inPersonDates.join('、'),
          next_due: pacing.nextDueAt === null ? '' : localDate(pacing.nextDueAt, o.timeZone), open_flags: r.openFlags,
        };
      }
    })(),
  };
}

// ───────────────────────────── all cards ─────────────────────────────

/** Fields by id, the first list's order first, then what later lists add. */
function unionById(lists: FieldDef[][]): FieldDef[] {
  const seen = new Set<string>();
  return lists.flat().filter((f) => !seen.has(f.id) && !!seen.add(f.id));
}

/**
 * The main sheet (one row per card) and one sheet per repeat (one row per item), filled in a single pass over the
 * cards: each card's answers are parsed once for all of them.
 */
function cardSheets(rows: ExportRows, o: SheetOptions): SheetGroup {
  const { t } = o;
  const L = (x: { zh: string; en: string }) => pickText(x, o.locale);
  const forms = [o.form, ...[...(o.forms?.values() ?? [])].filter((f) => f.id !== o.form.id)];
  const formOf = (id: string) => o.forms?.get(id) ?? o.form;
  const fields = unionById(forms.map(topFields));
  // the card's own household code and head name are the base columns already: no column twice
  const scalars = columnsOf(fields).filter((f) => f.id !== 'household_code' && f.id !== 'head_name');
  const figures = o.settings ? unionById(forms.map(figureFields)) : [];
  const base: SheetColumn[] = [
    { header: t('export.col.card_id'), key: '_card' },
    { header: t('export.col.household_code'), key: '_code' },
    { header: t('export.col.head_name'), key: '_head' },
    { header: t('export.col.helper'), key: '_helper' },
    { header: t('export.col.revision'), key: '_rev' },
    { header: t('export.col.submitted_at'), key: '_at', width: 17 },
  ];
  const main: Omit<SheetSpec, 'rows'> = {
    name: t('export.sheet.cards'),
    columns: [...base, ...scalars.map((fd) => ({ header: L(fd.label), key: fd.id })), ...figures.map((fd) => ({ header: L(fd.label), key: fd.id }))],
  };
  // the same list in every form (members; policies and measures differ by period): all their columns
  const repeats = fields
    .filter((fd) => fd.type === 'repeat')
    .map((rep) => ({ rep, subs: columnsOf(unionById(forms.map((f) => topFields(f).find((x) => x.id === rep.id)?.fields ?? []))) }));
  const repeatSheets = repeats.map(({ rep, subs }): Omit<SheetSpec, 'rows'> => ({
    name: L(rep.label),
    columns: [
      { header: t('export.col.card_id'), key: '_card' },
      { header: t('export.col.household_code'), key: '_code' },
      { header: t('export.col.item_no'), key: '_n' },
      ...subs.map((sf) => ({ header: L(sf.label), key: sf.id })),
    ],
  }));
  return {
    sheets: [main, ...repeatSheets],
    // rows as arrays in column order: a card row has about a hundred cells, and a record that wide is a slow
    // dictionary to fill and to read back
    rows: (function* () {
      const first = base.length;
      const width = first + scalars.length + figures.length;
      for (const r of rows.cards()) {
        const a = r.answers;
        const row: unknown[] = new Array<unknown>(width);
        row[0] = r.id;
        row[1] = r.householdCode;
        row[2] = r.headName;
        row[3] = r.helper;
        row[4] = r.revision;
        row[5] = localDateTime(r.submittedAt, o.timeZone);
        for (let i = 0; i < scalars.length; i++) row[first + i] = answerCell(scalars[i], a[scalars[i].id], o.locale);
        if (figures.length) {
          const values = figuresOf(formOf(r.formId), a, o);
          for (let i = 0; i < figures.length; i++) {
            const v = values.get(figures[i].id);
            row[first + scalars.length + i] = v === undefined ? null : typeof v === 'boolean' ? t(v ? 'export.yes' : 'export.no') : v;
          }
        }
        yield { sheet: 0, row };
        for (let k = 0; k < repeats.length; k++) {
          const items = a[repeats[k].rep.id];
          if (!Array.isArray(items)) continue;
          const subs = repeats[k].subs;
          let n = 0;
          for (const item of items as RepeatItem[]) {
            const sub: unknown[] = new Array<unknown>(3 + subs.length);
            sub[0] = r.id;
            sub[1] = r.householdCode;
            sub[2] = ++n;
            for (let i = 0; i < subs.length; i++) sub[3 + i] = answerCell(subs[i], item[subs[i].id], o.locale);
            yield { sheet: k + 1, row: sub };
          }
        }
      }
    })(),
  };
}

// ───────────────────────────── helpers × quiz ─────────────────────────────

function quizSheets(rows: ExportRows, o: SheetOptions): SheetSpec[] {
  const { t } = o;
  const col = column(t);
  const at = (ms: number) => localDateTime(ms, o.timeZone);
  const summary: SheetSpec = {
    name: t('export.sheet.quiz_summary'),
    columns: [col('person_code'), col('name'), col('unit', 20), col('assigned'), col('done_count'), col('completion_pct'), col('mean_score')],
    rows: (function* () {
      for (const r of rows.quizSummary()) {
        yield {
          person_code: r.personCode, name: r.name, unit: r.unit, assigned: r.assigned, done_count: r.done,
          completion_pct: r.assigned ? Math.round((r.done * 1000) / r.assigned) / 10 : null,
          mean_score: r.meanPct === null ? null : Math.round(r.meanPct * 10) / 10,
        };
      }
    })(),
  };
  const detail: SheetSpec = {
    name: t('export.sheet.quiz'),
    columns: [
      col('person_code'), col('name'), col('unit', 20), col('quiz_id'), col('pushed_at', 17), col('deadline', 17),
      col('done'), col('score_pct'), col('correct'), col('questions'), col('finished_at', 17),
    ],
    rows: (function* () {
      for (const r of rows.quizDeliveries()) {
        const done = r.finishedAt !== null;
        yield {
          person_code: r.personCode, name: r.name, unit: r.unit, quiz_id: r.pushId, pushed_at: at(r.pushedAt), deadline: at(r.deadline),
          done: t(done ? 'export.yes' : 'export.no'),
          score_pct: done && r.questions ? Math.round(((r.correct ?? 0) * 1000) / r.questions) / 10 : null,
          correct: done ? r.correct : null, questions: r.questions, finished_at: done ? at(r.finishedAt!) : '',
        };
      }
    })(),
  };
  const knowledge = rows.knowledge?.();
  return knowledge ? [summary, detail, ...knowledgeSheets(knowledge, o)] : [summary, detail];
}

/** 缺什么补什么: the matrix (a row per helper, a column per requirement) and the requirements it names. */
function knowledgeSheets(k: KnowledgeSheetData, o: SheetOptions): SheetSpec[] {
  const { t } = o;
  const col = column(t);
  const word: Record<Mastery, string> = { known: t('export.mastery.known'), learning: t('export.mastery.learning'), never: t('export.mastery.never') };
  const matrix: SheetSpec = {
    name: t('export.sheet.knowledge'),
    columns: [
      col('person_code'), col('name'), col('unit', 20), col('known_count'), col('requirement_count'),
      ...k.requirements.map((r): SheetColumn => ({ header: r.id, key: `r:${r.id}`, width: 9 })),
    ],
    rows: (function* () {
      for (const row of k.rows) {
        const out: Row = { person_code: row.code, name: row.name, unit: row.unit, known_count: row.known, requirement_count: k.requirements.length };
        k.requirements.forEach((r, i) => (out[`r:${r.id}`] = word[row.cells[i] ?? 'never']));
        yield out;
      }
    })(),
  };
  const list: SheetSpec = {
    name: t('export.sheet.requirements'),
    columns: [
      col('requirement_id'), col('level'), col('region'), col('requirement', 50), col('document', 36), col('doc_number', 20), col('doc_date', 12),
      col('effective', 12), col('known_by'),
    ],
    rows: (function* () {
      for (const [i, r] of k.requirements.entries()) {
        yield {
          requirement_id: r.id, level: pickText(LEVEL_LABELS[r.level], o.locale), region: r.region, requirement: pickText(r.text, o.locale),
          document: r.document.title, doc_number: r.document.number || '—', doc_date: r.document.date || '—', effective: r.inForceFrom,
          known_by: k.rows.filter((row) => row.cells[i] === 'known').length,
        };
      }
    })(),
  };
  return [matrix, list];
}

// ───────────────────────────── 一户一档 ─────────────────────────────

function archiveSheet(rows: ExportRows, o: SheetOptions): SheetSpec {
  const { t } = o;
  const col = column(t);
  const L = (x: { zh: string; en: string }) => pickText(x, o.locale);
  // revisions of cards of either period: every form's labels, today's first
  const forms = [o.form, ...[...(o.forms?.values() ?? [])].filter((f) => f.id !== o.form.id)];
  const byId = new Map<string, FieldDef>(unionById(forms.map(topFields)).map((fd) => [fd.id, fd]));
  const describe = (changes: AnswerChange[]): string =>
    changes
      .map((c) => {
        const fd = byId.get(c.field);
        if (!fd) return c.field;
        if (fd.type === 'repeat' || !exported(fd)) return L(fd.label);
        const show = (v: unknown) => (v === null ? '—' : String(answerCell(fd, v, o.locale) ?? '—'));
        return `${L(fd.label)}：${show(c.old)} → ${show(c.new)}`;
      })
      .join('；');
  return {
    name: t('export.sheet.archive'),
    columns: [
      col('household_code'), col('head_name'), col('village'), col('card_id'), col('visit_date', 12), col('visit_mode'), col('helper'),
      col('revision'), col('author'), col('revised_at', 17), col('reason', 30), col('changes', 60), col('hash', 18),
    ],
    rows: (function* () {
      for (const h of rows.archive()) {
        const household = { household_code: h.code, head_name: h.headName, village: h.village };
        if (!h.revisions.length) {
          yield { ...household, changes: t('export.no_cards') };
          continue;
        }
        for (const r of h.revisions) {
          yield {
            ...household, card_id: r.cardId, visit_date: r.visitDate, visit_mode: r.visitMode, helper: r.helper, revision: r.revision,
            author: r.author ?? '', revised_at: localDateTime(r.at, o.timeZone), reason: maskPersonalNumbers(r.reason ?? ''),
            changes: r.revision === 1 ? t('export.first_revision') : describe(r.changes), hash: r.hash.slice(0, 16),
          };
        }
      }
    })(),
  };
}

/** The sheets of one export, in order. */
export function exportSheets(kind: ExportKind, rows: ExportRows, o: SheetOptions): Array<SheetSpec | SheetGroup> {
  switch (kind) {
    case 'households':
      return [householdsSheet(rows, o)];
    case 'cards':
      return [cardSheets(rows, o)];
    case 'quiz':
      return quizSheets(rows, o);
    case 'archive':
      return [archiveSheet(rows, o)];
  }
}
