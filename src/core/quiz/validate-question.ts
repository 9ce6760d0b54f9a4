import type { I18nKey } from '../i18n-keys.js';
import type { MessageRef, Text } from '../text.js';
import {
  LEVELS,
  LEVEL_BY_ZH,
  MAX_OPTIONS,
  MIN_OPTIONS,
  OPTION_LETTERS,
  type Level,
  type Question,
} from './types.js';

/** A problem in one field of one question. */
export interface FieldError {
  field: string;
  message: MessageRef;
}

/** Values a question inherits when it does not set them itself. */
export interface QuestionDefaults {
  level?: unknown;
  region?: unknown;
  effectiveDate?: unknown;
  retiredDate?: unknown;
  version?: unknown;
  source?: unknown;
}

/** Result of validating one raw question. */
export type QuestionResult = { ok: true; question: Question } | { ok: false; errors: FieldError[] };

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

function err(field: string, key: I18nKey, params?: Record<string, string | number>): FieldError {
  return { field, message: params ? { key, params } : { key } };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asTrimmedString(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** Reads a bilingual text: `{zh, en}` or a plain string (Chinese only). zh is required, en may be empty. */
export function readText(v: unknown, field: string, errors: FieldError[]): Text | undefined {
  if (typeof v === 'string') v = { zh: v, en: '' };
  if (!isRecord(v)) {
    errors.push(err(`${field}.zh`, 'quiz.err.missing_zh'));
    return undefined;
  }
  const zh = asTrimmedString(v.zh) ?? '';
  const en = asTrimmedString(v.en) ?? '';
  if (!zh) {
    errors.push(err(`${field}.zh`, 'quiz.err.missing_zh'));
    return undefined;
  }
  if (v.en !== undefined && v.en !== null && asTrimmedString(v.en) === undefined) {
    errors.push(err(`${field}.en`, 'quiz.err.bad_text'));
  }
  return { zh, en };
}

/** Parses a level given as a code ("district") or in Chinese ("区级"). */
function parseLevel(v: unknown): Level | undefined {
  const s = asTrimmedString(v);
  if (!s) return undefined;
  if ((LEVELS as readonly string[]).includes(s)) return s as Level;
  return LEVEL_BY_ZH[s];
}

/** True for a real calendar date written YYYY-MM-DD. */
function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function readDate(v: unknown): string | undefined {
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString().slice(0, 10);
  const s = asTrimmedString(v);
  return s && isIsoDate(s) ? s : undefined;
}

/**
 * Parses the correct answer: a letter ("B"), letters ("A,C", "A，C", "AC"), a list of letters,
 * or 0-based integer indexes. Returns sorted indexes or field errors.
 */
export function parseAnswer(v: unknown, optionCount: number): { ok: true; indexes: number[] } | { ok: false; error: FieldError } {
  const parts: Array<string | number> = [];
  if (Array.isArray(v)) parts.push(...(v as Array<string | number>));
  else if (typeof v === 'number') parts.push(v);
  else if (typeof v === 'string') {
    const s = v.trim().toUpperCase();
    const split = /[,，、;；\s]/.test(s) ? s.split(/[,，、;；\s]+/) : s.split('');
    parts.push(...split.filter((p) => p !== ''));
  }
  if (parts.length === 0) return { ok: false, error: err('answer', 'quiz.err.answer_missing') };
  const indexes: number[] = [];
  for (const p of parts) {
    let index: number;
    if (typeof p === 'number' && Number.isInteger(p)) index = p;
    else if (typeof p === 'string' && /^[A-Z]$/.test(p.trim().toUpperCase())) index = p.trim().toUpperCase().charCodeAt(0) - 65;
    else return { ok: false, error: err('answer', 'quiz.err.answer_bad', { value: String(p) }) };
    if (index < 0 || index >= optionCount) {
      const value = index >= 0 && index < 26 ? String.fromCharCode(65 + index) : String(p);
      return { ok: false, error: err('answer', 'quiz.err.answer_out_of_range', { value, count: optionCount }) };
    }
    if (indexes.includes(index)) {
      return { ok: false, error: err('answer', 'quiz.err.answer_duplicate', { value: OPTION_LETTERS[index] }) };
    }
    indexes.push(index);
  }
  return { ok: true, indexes: indexes.sort((a, b) => a - b) };
}

/**
 * Validates one raw question (from YAML or a spreadsheet row) and normalises it.
 * Every problem is reported with its field path; nothing is guessed.
 */
export function validateQuestion(raw: unknown, defaults: QuestionDefaults = {}, topics?: Record<string, Text>): QuestionResult {
  const errors: FieldError[] = [];
  if (!isRecord(raw)) return { ok: false, errors: [err('question', 'quiz.err.not_object')] };

  const id = asTrimmedString(raw.id) ?? '';
  if (!id) errors.push(err('id', 'quiz.err.missing_field'));
  else if (!ID_PATTERN.test(id)) errors.push(err('id', 'quiz.err.bad_id', { value: id }));

  const levelRaw = raw.level ?? defaults.level;
  const level = parseLevel(levelRaw);
  if (!level) errors.push(err('level', 'quiz.err.bad_level', { value: String(levelRaw ?? '') }));

  const region = asTrimmedString(raw.region ?? defaults.region) ?? '';
  if (!region) errors.push(err('region', 'quiz.err.missing_field'));

  const topic = asTrimmedString(raw.topic) ?? '';
  if (!topic) errors.push(err('topic', 'quiz.err.missing_field'));
  else if (topics && !Object.hasOwn(topics, topic)) errors.push(err('topic', 'quiz.err.unknown_topic', { topic }));

  const text = readText(raw.text, 'text', errors);

  const options: Text[] = [];
  if (!Array.isArray(raw.options)) {
    errors.push(err('options', 'quiz.err.options_count', { min: MIN_OPTIONS, max: MAX_OPTIONS, count: 0 }));
  } else {
    const n = raw.options.length;
    if (n < MIN_OPTIONS || n > MAX_OPTIONS) {
      errors.push(err('options', 'quiz.err.options_count', { min: MIN_OPTIONS, max: MAX_OPTIONS, count: n }));
    }
    raw.options.forEach((o, i) => {
      const t = readText(o, `options.${i}`, errors);
      if (t) options.push(t);
    });
  }

  let correct: number[] = [];
  const optionCount = Array.isArray(raw.options) ? raw.options.length : 0;
  if (optionCount > 0) {
    const parsed = parseAnswer(raw.answer, Math.min(optionCount, MAX_OPTIONS));
    if (parsed.ok) correct = parsed.indexes;
    else errors.push(parsed.error);
  }
  const multi = raw.multi === undefined || raw.multi === null ? correct.length > 1 : raw.multi === true;
  if (raw.multi !== undefined && raw.multi !== null && typeof raw.multi !== 'boolean') {
    errors.push(err('multi', 'quiz.err.bad_boolean'));
  } else if (!multi && correct.length > 1) {
    errors.push(err('answer', 'quiz.err.single_has_many'));
  }

  const explanation = readText(raw.explanation, 'explanation', errors);

  const source = asTrimmedString(raw.source ?? defaults.source) ?? '';
  if (!source) errors.push(err('source', 'quiz.err.missing_field'));

  const dateRaw = raw.effectiveDate ?? defaults.effectiveDate;
  const effectiveDate = readDate(dateRaw);
  if (!effectiveDate) errors.push(err('effectiveDate', 'quiz.err.bad_date', { value: String(dateRaw ?? '') }));

  // the last day the rule behind the question was in force; none: still in force
  const retiredRaw = raw.retiredDate ?? defaults.retiredDate;
  const retiredDate = retiredRaw === undefined || retiredRaw === null || retiredRaw === '' ? undefined : readDate(retiredRaw);
  if (retiredRaw !== undefined && retiredRaw !== null && retiredRaw !== '' && (!retiredDate || (effectiveDate && retiredDate < effectiveDate))) {
    errors.push(err('retiredDate', 'quiz.err.bad_date', { value: String(retiredRaw) }));
  }

  const versionRaw = raw.version ?? defaults.version ?? 1;
  const version = typeof versionRaw === 'string' && /^\d+$/.test(versionRaw.trim()) ? Number(versionRaw) : versionRaw;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    errors.push(err('version', 'quiz.err.bad_version', { value: String(versionRaw) }));
  }

  if (errors.length > 0 || !level || !text || !explanation || !effectiveDate) return { ok: false, errors };
  return {
    ok: true,
    question: {
      id,
      level,
      region,
      topic,
      text,
      options,
      correct,
      multi,
      explanation,
      source,
      effectiveDate,
      ...(retiredDate ? { retiredDate } : {}),
      version: version as number,
    },
  };
}
