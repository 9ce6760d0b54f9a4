/**
 * The spreadsheets of `/export` and `npm run admin -- export`: rows read for one supervisor scope, in pages by id
 * (never one long-running iterator, so the bot keeps answering while an export streams), handed to the streaming
 * workbook writer. ID and phone numbers are masked; free text is scanned for numbers that look like them.
 *
 * Data minimisation, per export: what a supervisor needs to supervise visits, guarantees and incomes, and no more.
 * ID numbers show only their region (birth dates appear as a year), so no two columns rebuild a whole number;
 * shared positions (home coordinates), photos and members' health and disability stay out of every sheet (they
 * remain on the card itself, for the people whose scope holds it). Every export is recorded in the audit log.
 */
import type { KeysUnder, Translate } from '../core/i18n-keys.js';
import {
  computeFigures,
  displayValue,
  type AnswerValue,
  type Answers,
  type CardState,
  type FieldDef,
  type FormDefinition,
  type RepeatItem,
  type Settings,
} from '../core/forms/index.js';
import { maskIdNumberForExport, maskPersonalNumbers, maskPhone } from '../core/people/privacy.js';
import type { Scope } from '../core/people/roles.js';
import { pickText, type Locale } from '../core/text.js';
import { localDate, localDateTime, localYear } from '../core/time.js';
import { paceFromSummary, zonedYearPeriod } from '../core/visits/pacing.js';
import { writeWorkbook, type SheetColumn, type SheetSpec, type WorkbookSummary } from '../reports/xlsx.js';
import type { Db } from './client.js';
import { dateEpochCache } from './stats-repo.js';
import { audit } from './people-repo.js';

export const EXPORT_KINDS = ['households', 'cards', 'quiz', 'archive'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface ExportOptions {
  scope: Scope;
  /** i18n, bound to the reader's language (headers under `export.col.*`) */
  t: Translate;
  locale: Locale;
  form: FormDefinition;
  timeZone: string;
  now: number;
  /** in-person visits per household per year */
  target: number;
  /** district settings: the cards export adds the computed figures (net income, per capita, poverty line) */
  settings?: Settings;
  /** who asked, for the audit log (every export is recorded: who, what, scope, when) */
  by?: { personId: number | null; via: 'bot' | 'cli' };
}

/** Fields no export carries: where people live (shared positions), photos, members' health and disability. */
const NEVER_EXPORTED_TYPES = new Set(['location', 'photo']);
const NEVER_EXPORTED_FIELDS = new Set(['health', 'disability_cert']);
/** Answers shown as their year only, so they do not complete a masked ID number. */
const YEAR_ONLY_FIELDS = new Set(['birth_date']);

function exported(f: FieldDef): boolean {
  return !NEVER_EXPORTED_TYPES.has(f.type) && !NEVER_EXPORTED_FIELDS.has(f.id);
}

const PAGE = 500;

/** SQL condition on households `h` joined with villages `v` for the households a scope covers. */
function scopeWhere(scope: Scope): { where: string; args: number[] } {
  if (scope.kind === 'district') return { where: '1', args: [] };
  if (scope.kind === 'town') return { where: 'v.town_id = ?', args: [scope.id] };
  return {
    where: 'EXISTS (SELECT 1 FROM pairings p JOIN people pe ON pe.id = p.helper_id WHERE p.household_id = h.id AND p.end_date IS NULL AND pe.unit_id = ?)',
    args: [scope.id],
  };
}

/** SQL condition on people `pe` (with units `u`) for the people whose quiz results a scope covers. */
function peopleWhere(scope: Scope): { where: string; args: number[] } {
  if (scope.kind === 'district') return { where: '1', args: [] };
  if (scope.kind === 'unit') return { where: 'pe.unit_id = ?', args: [scope.id] };
  return {
    where:
      '(u.town_id = ? OR EXISTS (SELECT 1 FROM pairings p JOIN households h ON h.id = p.household_id JOIN villages v ON v.id = h.village_id WHERE p.helper_id = pe.id AND p.end_date IS NULL AND v.town_id = ?))',
    args: [scope.id, scope.id],
  };
}

type Row = Record<string, unknown>;

function all(db: Db, sql: string, ...args: unknown[]): Row[] {
  return db.$client.prepare(sql).all(...args) as Row[];
}

/** Pages through a keyset query (`… WHERE <key> > ? … ORDER BY <key> LIMIT ?`), yielding row by row. */
function* paged(db: Db, sql: string, key: string, args: unknown[]): Generator<Row> {
  const stmt = db.$client.prepare(sql);
  let last = 0;
  for (;;) {
    const page = stmt.all(last, ...args, PAGE) as Row[];
    for (const r of page) yield r;
    if (page.length < PAGE) return;
    last = page[page.length - 1][key] as number;
  }
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
      return maskPersonalNumbers(String(value as string));
    case 'date':
      return YEAR_ONLY_FIELDS.has(field.id) ? String(value as string).slice(0, 4) : String(value as string);
    default:
      return pickText(displayValue(field, value), locale);
  }
}

/** Fields of a form that become columns: exported answers only (no notes, no calculated figures), repeats apart. */
function columnsOf(fields: FieldDef[]): FieldDef[] {
  return fields.filter((f) => f.type !== 'note' && f.type !== 'calculate' && f.type !== 'repeat' && exported(f));
}

/** The figures a supervisor reads off a card (display: true calculate fields): net income, per capita, the line. */
function figureFields(form: FormDefinition): FieldDef[] {
  return topFields(form).filter((f) => f.type === 'calculate' && f.display);
}

function figuresOf(form: FormDefinition, answers: Answers, o: ExportOptions): Map<string, number | string | boolean> {
  if (!o.settings) return new Map();
  const state: CardState = {
    formId: form.id, formVersion: form.version, cursor: null, answers, previous: {}, origins: {}, closed: [], confirmedWarnings: [], startedAtMs: 0,
  };
  const figures = computeFigures(form, state, { today: localDate(o.now, o.timeZone), nowMs: o.now, settings: o.settings }, true);
  return new Map(figures.map((f) => [f.id, f.value]));
}

function topFields(form: FormDefinition): FieldDef[] {
  return form.sections.flatMap((s) => s.fields);
}

// ───────────────────────────── households × visits ─────────────────────────────

function householdsSheet(db: Db, o: ExportOptions): SheetSpec {
  const t = o.t;
  const year = localYear(o.now, o.timeZone);
  const period = zonedYearPeriod(year, o.timeZone);
  const f = scopeWhere(o.scope);
  const col = (key: KeysUnder<'export.col'>, width?: number): SheetColumn => ({ header: t(`export.col.${key}`), key, width });
  const columns = [
    col('household_code'), col('head_name'), col('head_id', 22), col('town'), col('village'), col('attribute', 16), col('status'),
    col('cause'), col('helpers', 16), col('units', 20), col('visits_year'), col('target'), col('pace'), col('all_visits_year'),
    col('last_visit', 12), col('visit_dates', 40), col('next_due', 12), col('open_flags'),
  ];
  const from = `${year}-01-01`;
  const to = `${year + 1}-01-01`;
  const sql =
    'SELECT h.id, h.code, h.head_name, ' +
    // the roster's ID number, else the one the latest card recorded
    "coalesce(h.head_id_number, (SELECT c.answers ->> '$.head_id' FROM cards c WHERE c.household_id = h.id ORDER BY c.visit_date DESC, c.id DESC LIMIT 1)) AS head_id_number, " +
    'h.attribute, h.status, h.cause_main, v.name AS village, tw.name AS town, ' +
    "(SELECT group_concat(pe.name, '、') FROM pairings p JOIN people pe ON pe.id = p.helper_id WHERE p.household_id = h.id AND p.end_date IS NULL) AS helpers, " +
    "(SELECT group_concat(DISTINCT un.name) FROM pairings p JOIN people pe ON pe.id = p.helper_id JOIN units un ON un.id = pe.unit_id WHERE p.household_id = h.id AND p.end_date IS NULL) AS units, " +
    "(SELECT group_concat(c.visit_date, ' ') FROM (SELECT visit_date FROM cards c WHERE c.household_id = h.id AND c.in_person = 1 AND c.visit_date >= ? AND c.visit_date < ? ORDER BY visit_date) c) AS dates, " +
    '(SELECT count(*) FROM cards c WHERE c.household_id = h.id AND c.visit_date >= ? AND c.visit_date < ?) AS all_visits, ' +
    '(SELECT count(*) FROM card_flags fl WHERE fl.household_id = h.id AND fl.resolved_at IS NULL) AS flags ' +
    `FROM households h JOIN villages v ON v.id = h.village_id JOIN towns tw ON tw.id = v.town_id WHERE h.id > ? AND ${f.where} ORDER BY h.id LIMIT ?`;
  const stmt = db.$client.prepare(sql);
  const epoch = dateEpochCache(o.timeZone);
  function* rows(): Generator<Row> {
    let last = 0;
    for (;;) {
      const page = stmt.all(from, to, from, to, last, ...f.args, PAGE) as Row[];
      for (const r of page) {
        const dates = r.dates ? String(r.dates as string).split(' ') : [];
        const lastDate = dates.at(-1) ?? null;
        const pacing = paceFromSummary(
          { count: dates.length, lastVisitAt: lastDate ? epoch(lastDate) : null },
          period,
          o.now,
          o.target,
        );
        yield {
          household_code: r.code,
          head_name: r.head_name,
          head_id: maskIdNumberForExport(r.head_id_number as string | null),
          town: r.town,
          village: r.village,
          attribute: r.attribute,
          status: r.status,
          cause: r.cause_main,
          helpers: r.helpers ?? '',
          units: r.units ?? '',
          visits_year: dates.length,
          target: o.target,
          pace: t(`stats.pace.${pacing.pace}`),
          all_visits_year: r.all_visits,
          last_visit: lastDate ?? '',
          visit_dates: dates.join('、'),
          next_due: pacing.nextDueAt === null ? '' : localDate(pacing.nextDueAt, o.timeZone),
          open_flags: r.flags,
        };
      }
      if (page.length < PAGE) return;
      last = page[page.length - 1].id as number;
    }
  }
  return { name: t('export.sheet.households'), columns, rows: rows() };
}

// ───────────────────────────── all cards ─────────────────────────────

function cardRows(db: Db, o: ExportOptions): Generator<Row> {
  const f = scopeWhere(o.scope);
  const sql =
    'SELECT c.id, c.household_id, h.code, h.head_name, pe.name AS helper, c.visit_date, c.revision, c.submitted_at, c.answers ' +
    'FROM cards c JOIN households h ON h.id = c.household_id JOIN villages v ON v.id = h.village_id JOIN people pe ON pe.id = c.helper_id ' +
    `WHERE c.id > ? AND ${f.where} ORDER BY c.id LIMIT ?`;
  return paged(db, sql, 'id', f.args);
}

function cardSheets(db: Db, o: ExportOptions): SheetSpec[] {
  const t = o.t;
  const L = (x: { zh: string; en: string }) => pickText(x, o.locale);
  const fields = topFields(o.form);
  // the card's own household code and head name are the base columns already: no column twice
  const scalars = columnsOf(fields).filter((f) => f.id !== 'household_code' && f.id !== 'head_name');
  const figures = o.settings ? figureFields(o.form) : [];
  const base: SheetColumn[] = [
    { header: t('export.col.card_id'), key: '_card' },
    { header: t('export.col.household_code'), key: '_code' },
    { header: t('export.col.head_name'), key: '_head' },
    { header: t('export.col.helper'), key: '_helper' },
    { header: t('export.col.revision'), key: '_rev' },
    { header: t('export.col.submitted_at'), key: '_at', width: 17 },
  ];
  const main: SheetSpec = {
    name: t('export.sheet.cards'),
    columns: [...base, ...scalars.map((fd) => ({ header: L(fd.label), key: fd.id })), ...figures.map((fd) => ({ header: L(fd.label), key: fd.id }))],
    rows: (function* () {
      for (const r of cardRows(db, o)) {
        const answers = JSON.parse(r.answers as string) as Answers;
        const row: Row = {
          _card: r.id, _code: r.code, _head: r.head_name, _helper: r.helper, _rev: r.revision,
          _at: localDateTime(r.submitted_at as number, o.timeZone),
        };
        for (const fd of scalars) row[fd.id] = answerCell(fd, answers[fd.id], o.locale);
        const values = figuresOf(o.form, answers, o);
        for (const fd of figures) {
          const v = values.get(fd.id);
          row[fd.id] = v === undefined ? null : typeof v === 'boolean' ? t(v ? 'export.yes' : 'export.no') : v;
        }
        yield row;
      }
    })(),
  };
  const repeats = fields.filter((fd) => fd.type === 'repeat');
  const repeatSheets = repeats.map((rep): SheetSpec => {
    const subs = columnsOf(rep.fields ?? []);
    return {
      name: L(rep.label),
      columns: [
        { header: t('export.col.card_id'), key: '_card' },
        { header: t('export.col.household_code'), key: '_code' },
        { header: t('export.col.item_no'), key: '_n' },
        ...subs.map((sf) => ({ header: L(sf.label), key: sf.id })),
      ],
      rows: (function* () {
        for (const r of cardRows(db, o)) {
          const items = (JSON.parse(r.answers as string) as Answers)[rep.id];
          if (!Array.isArray(items)) continue;
          let n = 0;
          for (const item of items as RepeatItem[]) {
            const row: Row = { _card: r.id, _code: r.code, _n: ++n };
            for (const sf of subs) row[sf.id] = answerCell(sf, item[sf.id], o.locale);
            yield row;
          }
        }
      })(),
    };
  });
  return [main, ...repeatSheets];
}

// ───────────────────────────── helpers × quiz ─────────────────────────────

function quizSheets(db: Db, o: ExportOptions): SheetSpec[] {
  const t = o.t;
  const f = peopleWhere(o.scope);
  const col = (key: KeysUnder<'export.col'>, width?: number): SheetColumn => ({ header: t(`export.col.${key}`), key, width });
  const sql =
    'SELECT d.id, pe.code, pe.name, u.name AS unit, d.push_id, q.created_at, q.deadline, a.finished_at, a.correct_count, json_array_length(a.questions) AS total ' +
    'FROM quiz_deliveries d JOIN quiz_pushes q ON q.id = d.push_id JOIN people pe ON pe.id = d.person_id LEFT JOIN units u ON u.id = pe.unit_id ' +
    'LEFT JOIN quiz_attempts a ON a.person_id = d.person_id AND a.push_id = d.push_id ' +
    `WHERE d.id > ? AND ${f.where} ORDER BY d.id LIMIT ?`;
  const detail: SheetSpec = {
    name: t('export.sheet.quiz'),
    columns: [
      col('person_code'), col('name'), col('unit', 20), col('quiz_id'), col('pushed_at', 17), col('deadline', 17),
      col('done'), col('score_pct'), col('correct'), col('questions'), col('finished_at', 17),
    ],
    rows: (function* () {
      for (const r of paged(db, sql, 'id', f.args)) {
        const done = r.finished_at !== null;
        const total = (r.total as number | null) ?? null;
        yield {
          person_code: r.code, name: r.name, unit: r.unit ?? '', quiz_id: r.push_id,
          pushed_at: localDateTime(r.created_at as number, o.timeZone), deadline: localDateTime(r.deadline as number, o.timeZone),
          done: t(done ? 'export.yes' : 'export.no'),
          score_pct: done && total ? Math.round(((r.correct_count as number) * 1000) / total) / 10 : null,
          correct: done ? r.correct_count : null, questions: total, finished_at: done ? localDateTime(r.finished_at as number, o.timeZone) : '',
        };
      }
    })(),
  };
  const sumSql =
    'SELECT pe.code, pe.name, u.name AS unit, count(d.id) AS assigned, count(a.finished_at) AS done, ' +
    'avg(CASE WHEN a.finished_at IS NOT NULL AND json_array_length(a.questions) > 0 THEN a.correct_count * 100.0 / json_array_length(a.questions) END) AS mean ' +
    "FROM people pe JOIN person_roles r ON r.person_id = pe.id AND r.role = 'helper' LEFT JOIN units u ON u.id = pe.unit_id " +
    'LEFT JOIN quiz_deliveries d ON d.person_id = pe.id LEFT JOIN quiz_attempts a ON a.person_id = d.person_id AND a.push_id = d.push_id ' +
    `WHERE pe.revoked_at IS NULL AND ${f.where} GROUP BY pe.id ORDER BY pe.code`;
  const summary: SheetSpec = {
    name: t('export.sheet.quiz_summary'),
    columns: [col('person_code'), col('name'), col('unit', 20), col('assigned'), col('done_count'), col('completion_pct'), col('mean_score')],
    rows: all(db, sumSql, ...f.args).map((r) => ({
      person_code: r.code, name: r.name, unit: r.unit ?? '', assigned: r.assigned, done_count: r.done,
      completion_pct: (r.assigned as number) ? Math.round(((r.done as number) * 1000) / (r.assigned as number)) / 10 : null,
      mean_score: r.mean === null ? null : Math.round((r.mean as number) * 10) / 10,
    })),
  };
  return [summary, detail];
}

// ───────────────────────────── 一户一档 ─────────────────────────────

function archiveSheet(db: Db, o: ExportOptions): SheetSpec {
  const t = o.t;
  const L = (x: { zh: string; en: string }) => pickText(x, o.locale);
  const byId = new Map<string, FieldDef>(topFields(o.form).map((fd) => [fd.id, fd]));
  const f = scopeWhere(o.scope);
  const col = (key: KeysUnder<'export.col'>, width?: number): SheetColumn => ({ header: t(`export.col.${key}`), key, width });
  const hsql = `SELECT h.id, h.code, h.head_name, v.name AS village FROM households h JOIN villages v ON v.id = h.village_id WHERE ${f.where} ORDER BY h.code`;
  const rsql =
    'SELECT c.id AS card, c.visit_date, c.visit_mode, hp.name AS helper, r.revision, au.name AS author, r.created_at, r.reason, r.changes, r.hash ' +
    'FROM cards c JOIN card_revisions r ON r.card_id = c.id JOIN people hp ON hp.id = c.helper_id LEFT JOIN people au ON au.id = r.author_id ' +
    'WHERE c.household_id = ? ORDER BY c.visit_date, c.id, r.revision';
  const rstmt = db.$client.prepare(rsql);
  const describe = (changes: string): string => {
    const list = JSON.parse(changes) as { field: string; old: AnswerValue | null; new: AnswerValue | null }[];
    return list
      .map((c) => {
        const fd = byId.get(c.field);
        if (!fd) return c.field;
        if (fd.type === 'repeat' || !exported(fd)) return L(fd.label);
        const show = (v: unknown) => (v === null ? '—' : String(answerCell(fd, v, o.locale) ?? '—'));
        return `${L(fd.label)}：${show(c.old)} → ${show(c.new)}`;
      })
      .join('；');
  };
  return {
    name: t('export.sheet.archive'),
    columns: [
      col('household_code'), col('head_name'), col('village'), col('card_id'), col('visit_date', 12), col('visit_mode'), col('helper'),
      col('revision'), col('author'), col('revised_at', 17), col('reason', 30), col('changes', 60), col('hash', 18),
    ],
    rows: (function* () {
      for (const h of all(db, hsql, ...f.args)) {
        const revs = rstmt.all(h.id) as Row[];
        if (!revs.length) {
          yield { household_code: h.code, head_name: h.head_name, village: h.village, changes: t('export.no_cards') };
          continue;
        }
        for (const r of revs) {
          yield {
            household_code: h.code, head_name: h.head_name, village: h.village, card_id: r.card, visit_date: r.visit_date,
            visit_mode: r.visit_mode, helper: r.helper, revision: r.revision, author: r.author ?? '',
            revised_at: localDateTime(r.created_at as number, o.timeZone), reason: maskPersonalNumbers((r.reason as string | null) ?? ''),
            changes: (r.revision as number) === 1 ? t('export.first_revision') : describe(r.changes as string),
            hash: String(r.hash as string).slice(0, 16),
          };
        }
      }
    })(),
  };
}

/** The sheets of one export, in order. */
export function exportSheets(db: Db, kind: ExportKind, o: ExportOptions): SheetSpec[] {
  switch (kind) {
    case 'households':
      return [householdsSheet(db, o)];
    case 'cards':
      return cardSheets(db, o);
    case 'quiz':
      return quizSheets(db, o);
    case 'archive':
      return [archiveSheet(db, o)];
  }
}

/** Writes one export to an .xlsx file with the streaming writer (owner-only) and records it: who, what, scope, when. */
export async function writeExport(db: Db, kind: ExportKind, file: string, o: ExportOptions): Promise<WorkbookSummary> {
  const summary = await writeWorkbook(file, exportSheets(db, kind, o));
  const rows = summary.sheets.reduce((n, sh) => n + sh.rows, 0);
  const scope = o.scope.kind === 'district' ? 'district' : `${o.scope.kind}:${o.scope.id}`;
  audit(db, o.now, 'export', { personId: o.by?.personId ?? undefined }, JSON.stringify({ kind, scope, rows, via: o.by?.via ?? 'cli' }));
  return summary;
}
