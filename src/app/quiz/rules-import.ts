/**
 * A trainer loads a province's or city's notice without writing YAML: pasted text or a .docx/.txt is split into its
 * numbered clauses; the trainer picks the level, then for each clause keeps it (it binds helpers) with the question
 * drafted from its numbers or one they type, or skips it; a summary is confirmed before anything is published. The
 * kept clauses become a requirement pack like the shipped ones (validated the same way) and their questions are
 * published as imported questions naming their clause. The draft travels with the dialog; every button names the run.
 */
import { createHash } from 'node:crypto';
import { hasRole, type Actor } from '../../core/people/roles.js';
import { LEVEL_LABELS, OPTION_LETTERS, type Level } from '../../core/quiz/index.js';
import {
  documentHead, draftQuestion, splitClauses, validatePack, type Clause, type DocumentHead, type DraftQuestion,
} from '../../core/requirements/index.js';
import { localDate } from '../../core/time.js';
import { writeKv } from '../../db/kv-repo.js';
import { importedPacks, KV_IMPORTED } from './knowledge.js';
import { importQuestions } from '../../db/quiz-repo.js';
import { ok, refuse, type AppDeps, type Result } from '../deps.js';
import { content, join, msg, raw, ViewBuilder, type ChatView } from '../views.js';
import type { QuizRefusal } from './refusals.js';
import type { Text } from '../../core/text.js';
import type { PackSheet, PackSheetResult } from '../../content/pack-spreadsheet.js';
import type { RequirementPack } from '../../core/requirements/index.js';
import { fileErrorMessage } from '../../content/sheet-cells.js';
import { MAX_ERROR_LINES } from './import.js';

export type RulesStep = 'paste' | 'level' | 'clause' | 'write' | 'confirm' | 'pack';

export interface KeptClause {
  clause: Clause;
  question?: DraftQuestion;
}

/** A document being loaded (plain JSON: the dialog keeps it across restarts). */
export interface RulesDraft {
  run: string;
  step: RulesStep;
  head: DocumentHead;
  clauses: Clause[];
  /** the clause on screen */
  i: number;
  level?: Level;
  kept: KeptClause[];
  /** a pack workbook waiting for confirmation (step 'pack'): validatePack's raw form */
  pack?: Record<string, unknown>;
}

export type RulesInput = { run: string; what: string; value: string } | { text: string };

export type RulesOutcome =
  | { kind: 'step'; draft: RulesDraft; view: ChatView }
  | { kind: 'done'; view: ChatView };


const isTrainer = (a: Actor | undefined): a is Actor => hasRole(a, 'trainer');

/** `/rules`: ask for the notice (pasted, or as a file). */
export function startRulesPaste(actor: Actor | undefined, run: string): Result<{ draft: RulesDraft; view: ChatView }, QuizRefusal> {
  if (!isTrainer(actor)) return refuse('role');
  const draft: RulesDraft = { run, step: 'paste', head: { title: '', number: '', date: '' }, clauses: [], i: 0, kept: [] };
  const v = new ViewBuilder().line(msg('rules.ask_text')).line(msg('rulebook.or_workbook'));
  v.action(msg('rulebook.send_template'), 'rules:step', run, 'tpl', 0).row();
  return ok({ draft, view: v.action(msg('rules.cancel'), 'rules:step', run, 'no', 0).build() });
}

/** The notice's text (pasted or read from a file): its clauses, then the level. */
export function startRulesImport(deps: AppDeps, actor: Actor | undefined, run: string, text: string): Result<RulesOutcome, QuizRefusal> {
  if (!isTrainer(actor)) return refuse('role');
  const clauses = splitClauses(text);
  if (clauses.length === 0) return ok({ kind: 'done', view: new ViewBuilder().line(msg('rules.no_clauses')).build() });
  const draft: RulesDraft = { run, step: 'level', head: documentHead(text), clauses, i: 0, kept: [] };
  return ok(step(deps, draft));
}

/** One step: a button of this run and step, or typed text where text is asked for. */
export function advanceRules(deps: AppDeps, actor: Actor | undefined, d: RulesDraft, input: RulesInput): Result<RulesOutcome, QuizRefusal> {
  if (!isTrainer(actor)) return refuse('role');
  if ('text' in input) {
    if (d.step === 'paste') return startRulesImport(deps, actor, d.run, input.text);
    if (d.step !== 'write') return refuse('stale');
    const q = parseTypedQuestion(input.text);
    if (!q) return ok({ kind: 'step', draft: d, view: new ViewBuilder().line(msg('rules.write_bad')).line(msg('rules.write_format')).build() });
    return ok(step(deps, nextClause({ ...d, kept: [...d.kept, { clause: d.clauses[d.i]!, question: q }] })));
  }
  if (input.run !== d.run) return refuse('stale');
  if (input.what === 'no') return ok({ kind: 'done', view: new ViewBuilder().line(msg('rules.cancelled')).build() });
  switch (d.step) {
    case 'level': {
      if (input.what !== 'lv' || !levelsOffered(deps).includes(input.value as Level)) return refuse('stale');
      return ok(step(deps, { ...d, level: input.value as Level, step: 'clause' }));
    }
    case 'clause': {
      if (input.value !== String(d.i)) return refuse('stale');
      const clause = d.clauses[d.i]!;
      if (input.what === 'keep') {
        const question = draftOf(d, d.i);
        if (!question) return refuse('stale');
        return ok(step(deps, nextClause({ ...d, kept: [...d.kept, { clause, question }] })));
      }
      if (input.what === 'write') return ok(step(deps, { ...d, step: 'write' }));
      if (input.what === 'skip') return ok(step(deps, nextClause(d)));
      if (input.what === 'end') return ok(step(deps, { ...d, step: 'confirm' }));
      return refuse('stale');
    }
    case 'write':
      if (input.what === 'skip' && input.value === String(d.i)) return ok(step(deps, nextClause(d)));
      return refuse('stale');
    case 'confirm':
      if (input.what !== 'ok') return refuse('stale');
      return publish(deps, actor, d);
    case 'pack':
      if (input.what !== 'ok' || !d.pack) return refuse('stale');
      return store(deps, actor, d.pack, LEVEL_LABELS[(d.pack.pack as { level?: Level } | undefined)?.level ?? 'district']);
    default:
      return refuse('stale');
  }
}

const nextClause = (d: RulesDraft): RulesDraft => (d.i + 1 >= d.clauses.length ? { ...d, step: 'confirm' } : { ...d, i: d.i + 1, step: 'clause' });

const draftOf = (d: RulesDraft, i: number): DraftQuestion | undefined => draftQuestion(d.clauses[i]!.text, `${d.run}:${i}`);

/** The levels a trainer may load for: the district's province and city when settings name them, and the district. */
function levelsOffered(deps: AppDeps): Level[] {
  const place = deps.content.settings.requirements ?? {};
  return [...(place.province ? (['provincial'] as const) : []), ...(place.city ? (['municipal'] as const) : []), 'district'];
}

function regionOf(deps: AppDeps, level: Level): string {
  const place = deps.content.settings.requirements ?? {};
  return level === 'provincial' ? place.province ?? '' : level === 'municipal' ? place.city ?? '' : 'this-district';
}

function questionLines(v: ViewBuilder, q: DraftQuestion): void {
  v.line(content(q.text));
  q.options.forEach((o, i) => v.line(join([raw(`${OPTION_LETTERS[i]}. `), content(o)])));
  v.line(msg('rules.answer_is', { letter: OPTION_LETTERS[q.answer] ?? '?' }));
}

function step(deps: AppDeps, d: RulesDraft): RulesOutcome {
  const v = new ViewBuilder();
  const b = (label: Parameters<ViewBuilder['action']>[0], what: string, value: string | number) => v.action(label, 'rules:step', d.run, what, value);
  switch (d.step) {
    case 'level': {
      const h = d.head;
      v.line(msg('rules.found', { count: d.clauses.length, title: h.title || '—', number: h.number || msg('rules.none_seen'), date: h.date || msg('rules.none_seen') }));
      v.line(msg('rules.ask_level'));
      for (const l of levelsOffered(deps)) b(join([content(LEVEL_LABELS[l]), raw(` · ${regionOf(deps, l) === 'this-district' ? '' : regionOf(deps, l)}`)]), 'lv', l);
      v.row();
      break;
    }
    case 'clause': {
      const c = d.clauses[d.i]!;
      v.line(msg('rules.clause', { n: d.i + 1, total: d.clauses.length, label: c.label, text: c.text })).block();
      const q = draftOf(d, d.i);
      if (q) {
        v.line(msg('rules.drafted'));
        questionLines(v, q);
        b(msg('rules.keep_draft'), 'keep', d.i).row();
      } else v.line(msg('rules.no_draft'));
      b(msg('rules.keep_write'), 'write', d.i).row();
      b(msg('rules.skip'), 'skip', d.i);
      b(msg('rules.end'), 'end', d.i).row();
      break;
    }
    case 'write':
      v.line(msg('rules.write_format'));
      b(msg('rules.skip'), 'skip', d.i).row();
      break;
    case 'confirm':
      v.line(msg('rules.summary', { kept: d.kept.length, total: d.clauses.length, questions: d.kept.filter((k) => k.question).length }));
      for (const k of d.kept.slice(0, 10)) v.line(raw(`· ${k.clause.label}${short(k.clause.text)}`));
      if (d.kept.length > 0) b(msg('rules.publish'), 'ok', 0);
      else v.line(msg('rules.nothing_kept'));
      break;
    case 'paste':
      v.line(msg('rules.ask_text'));
      break;
  }
  b(msg('rules.cancel'), 'no', 0);
  return { kind: 'step', draft: d, view: v.build() };
}

const short = (s: string): string => (Array.from(s).length > 40 ? `${Array.from(s).slice(0, 40).join('')}…` : s);

/**
 * A question typed by the trainer: the question on the first line, then options "A. …" one per line, then
 * "答案：B" (or "answer: B"). Undefined when any part is missing.
 */
export function parseTypedQuestion(text: string): DraftQuestion | undefined {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const options: string[] = [];
  let answer: number | undefined;
  let question = '';
  for (const l of lines) {
    const opt = /^([A-Ja-jＡ-Ｊ])[.．、:：)\s]\s*(.+)$/u.exec(l.normalize('NFKC'));
    const ans = /^(?:答案|正确答案|answer)\s*[:：]?\s*([A-Ja-j])\s*$/iu.exec(l.normalize('NFKC'));
    if (ans) answer = OPTION_LETTERS.indexOf(ans[1]!.toUpperCase());
    else if (opt && question) options.push(opt[2]!);
    else if (!question) question = l;
    else return undefined;
  }
  if (!question || options.length < 2 || answer === undefined || answer < 0 || answer >= options.length) return undefined;
  return {
    text: { zh: question, en: '' },
    options: options.map((o) => ({ zh: o, en: '' })),
    answer,
    explanation: { zh: '', en: '' },
  };
}

/** The kept clauses as a pack (validated like the shipped ones), its questions published, the pack kept. */
function publish(deps: AppDeps, actor: Actor, d: RulesDraft): Result<RulesOutcome, QuizRefusal> {
  if (!d.level || d.kept.length === 0) return refuse('stale');
  const today = localDate(deps.now(), deps.config.timezone);
  const place = deps.content.settings.requirements ?? {};
  const id = `imp-${createHash('sha1').update(`${d.head.title}\n${d.head.number}\n${d.run}`).digest('hex').slice(0, 8)}`;
  const reqId = (k: number) => `${id.toUpperCase()}-${k + 1}`;
  const raw = {
    pack: {
      id, level: d.level, region: regionOf(deps, d.level), ...(d.level === 'municipal' ? { province: place.province } : {}), example: false,
      title: { zh: d.head.title || '导入的文件', en: d.head.title || 'Imported document' },
    },
    documents: [{
      id: 'doc', title: d.head.title || '导入的文件', number: d.head.number, ...(d.head.number ? {} : { number_missing: '导入的文件中未见文号' }),
      issuer: d.head.title || '—', date: d.head.date, ...(d.head.date ? {} : { date_missing: '导入的文件中未见成文日期，按导入当天起算' }),
      effective: d.head.date || today, source: '[IMPORT]',
    }],
    requirements: d.kept.map((k, i) => ({ id: reqId(i), document: 'doc', clause: k.clause.label, topic: 'duty_other', text: { zh: k.clause.text, en: k.clause.text } })),
    questions: d.kept.flatMap((k, i) =>
      k.question
        ? [{
            id: `${reqId(i)}-Q`, requirement: reqId(i), text: k.question.text, options: k.question.options, answer: k.question.answer,
            explanation: k.question.explanation.zh ? k.question.explanation : { zh: `文件原文：“${k.clause.text}”`, en: `The document says (Chinese): “${k.clause.text}”` },
          }]
        : [],
    ),
  };
  return store(deps, actor, raw, LEVEL_LABELS[d.level]);
}

/** Validates a pack like a shipped one, publishes its questions and keeps the pack (replacing one of the same id). */
function store(deps: AppDeps, actor: Actor, raw: Record<string, unknown>, levelLabel: Text): Result<RulesOutcome, QuizRefusal> {
  const r = storePack(deps, raw);
  if (!r.ok) {
    deps.log.warn({ personId: actor.personId, errors: r.errors.slice(0, 5) }, 'rules import refused');
    return ok({ kind: 'done', view: new ViewBuilder().line(msg('rules.invalid', { problems: r.errors.length })).build() });
  }
  deps.log.info({ personId: actor.personId, pack: r.id, clauses: r.clauses, questions: r.questions }, 'rules imported');
  return ok({
    kind: 'done',
    view: new ViewBuilder().line(msg('rules.published', { clauses: r.clauses, questions: r.questions, level: content(levelLabel) })).build(),
  });
}

/** Validates a pack like a shipped one, publishes its questions and keeps the pack (replacing one of the same id). */
export function storePack(
  deps: Pick<AppDeps, 'db' | 'now'>,
  raw: Record<string, unknown>,
): { ok: true; id: string; clauses: number; questions: number } | { ok: false; errors: string[] } {
  const id = String((raw.pack as { id?: unknown } | undefined)?.id ?? '');
  const r = validatePack(raw, `${id} (imported)`);
  if (!r.ok) return r;
  const report = r.value.bank ? importQuestions(deps.db, r.value.bank.questions, deps.now()) : { inserted: 0, updated: 0, unchanged: 0 };
  writeKv(deps.db, KV_IMPORTED, [...importedPacks(deps).filter((p) => p.id !== id), r.value.pack], deps.now());
  return { ok: true, id, clauses: r.value.pack.requirements.length, questions: report.inserted + report.updated };
}

/** A workbook's pack checked like a shipped one; a city's pack gets the district's province (validatePack asks for it). */
export function packOfWorkbook(
  deps: Pick<AppDeps, 'content'>,
  p: PackSheet,
): { ok: true; raw: Record<string, unknown>; pack: RequirementPack; elsewhere: boolean } | { ok: false; errors: string[] } {
  const place = deps.content.settings.requirements ?? {};
  const raw = p.level === 'municipal' ? { ...p.raw, pack: { ...(p.raw.pack as object), province: place.province } } : p.raw;
  const check = validatePack(raw, `${p.id} (workbook)`);
  if (!check.ok) return check;
  const elsewhere = p.level !== 'district' && ![place.province, place.city, 'CN'].includes(p.region);
  return { ok: true, raw, pack: check.value.pack, elsewhere };
}

/**
 * A pack workbook (the `pack-template` layout): every bad cell named by sheet, row and column, or a preview with
 * "publish" and "cancel"; nothing is kept before the trainer confirms (the pack travels with the dialog).
 */
export function startPackImport(deps: AppDeps, actor: Actor | undefined, run: string, parsed: PackSheetResult): Result<RulesOutcome, QuizRefusal> {
  if (!isTrainer(actor)) return refuse('role');
  if (!parsed.ok) {
    const v = new ViewBuilder();
    if (parsed.fileError) {
      const m = fileErrorMessage(parsed.fileError);
      return ok({ kind: 'done', view: v.line(msg('quizbot.import_failed', { count: 1 })).line(msg(m.key, m.params)).build() });
    }
    v.line(msg('quizbot.import_failed', { count: parsed.errors.length }));
    for (const e of parsed.errors.slice(0, MAX_ERROR_LINES)) {
      v.line(msg('rulebook.error_line', { sheet: e.sheet, row: e.row, column: e.column, message: msg(e.message.key, e.message.params) }));
    }
    if (parsed.errors.length > MAX_ERROR_LINES) v.line(msg('quizbot.import_more', { count: parsed.errors.length - MAX_ERROR_LINES }));
    return ok({ kind: 'done', view: v.build() });
  }
  const p = parsed.pack;
  const place = deps.content.settings.requirements ?? {};
  const check = packOfWorkbook(deps, p);
  if (!check.ok) {
    deps.log.warn({ personId: actor.personId, errors: check.errors.slice(0, 5) }, 'pack workbook refused');
    return ok({ kind: 'done', view: new ViewBuilder().line(msg('rules.invalid', { problems: check.errors.length })).build() });
  }
  const d: RulesDraft = { run, step: 'pack', head: { title: '', number: '', date: '' }, clauses: [], i: 0, kept: [], pack: check.raw };
  const v = new ViewBuilder().line(msg('rulebook.preview', {
    level: content(LEVEL_LABELS[p.level]), region: p.region, documents: p.documents, clauses: p.clauses, questions: p.questions,
  }));
  for (const r of check.pack.requirements.slice(0, 10)) v.line(raw(`· ${r.id} ${short(r.text.zh)}`));
  if (check.elsewhere) v.line(msg('rulebook.elsewhere', { region: p.region, place: [place.province, place.city].filter(Boolean).join(' / ') }));
  v.action(msg('rules.publish'), 'rules:step', run, 'ok', 0).action(msg('rules.cancel'), 'rules:step', run, 'no', 0);
  return ok({ kind: 'step', draft: d, view: v.build() });
}
