import type { MessageRef, Text } from '../text.js';

/** Who sets the requirement a question tests: 国家 / 省级 / 市级 / 区级. */
export type Level = 'national' | 'provincial' | 'municipal' | 'district';

/** All level codes, broadest first. */
export const LEVELS: readonly Level[] = ['national', 'provincial', 'municipal', 'district'];

/** Chinese level names (as trainers write them in spreadsheets) → level codes. */
export const LEVEL_BY_ZH: Readonly<Record<string, Level>> = {
  国家: 'national',
  国家级: 'national',
  省级: 'provincial',
  省: 'provincial',
  市级: 'municipal',
  市: 'municipal',
  区级: 'district',
  区: 'district',
  县级: 'district',
};

/** Bilingual labels of the levels, for content rendering. */
export const LEVEL_LABELS: Readonly<Record<Level, Text>> = {
  national: { zh: '国家', en: 'National' },
  provincial: { zh: '省级', en: 'Provincial' },
  municipal: { zh: '市级', en: 'Municipal' },
  district: { zh: '区级', en: 'District' },
};

/** Fewest and most options a question may have. */
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 10;

/** Option letters, index 0 → "A" … index 9 → "J". */
export const OPTION_LETTERS = 'ABCDEFGHIJ';

/** One validated question. `correct` holds sorted, distinct, 0-based option indexes. */
export interface Question {
  id: string;
  level: Level;
  /** Region the rule belongs to, e.g. "CN", "山东省", "this-district". */
  region: string;
  /** Topic code (YAML banks) or name (spreadsheet imports). */
  topic: string;
  text: Text;
  options: Text[];
  correct: number[];
  /** True when the helper must pick every correct option (more than one may be correct). */
  multi: boolean;
  explanation: Text;
  /** Source document or rule the question is based on. */
  source: string;
  /** ISO date (YYYY-MM-DD) from which the question applies. */
  effectiveDate: string;
  /**
   * The last day (YYYY-MM-DD) the rule behind the question was in force (content/rule-periods.yaml: the campaign's
   * rules end on 2020-12-31). A retired question is no longer given but kept, with the answers given to it.
   */
  retiredDate?: string;
  /** Positive integer; raised whenever the text, options or answer change. */
  version: number;
  /** The requirement (clause of a pack, content/requirements) the question tests, when it tests one. */
  requirement?: string;
  /** ISO date from which the question no longer applies (its clause was replaced). */
  ceasedDate?: string;
}

/** A validated bank: one YAML file or one imported sheet. */
export interface Bank {
  id: string;
  title: Text;
  /** Bilingual labels of topic codes used by the questions. */
  topics: Record<string, Text>;
  questions: Question[];
}

/** A validation problem: where (file, question id, field) and what (an i18n message). */
export interface BankError {
  file: string;
  /** Question id, or `#<index>` when the question has no usable id; absent for file-level problems. */
  questionId?: string;
  /** Index of the question in the file (0-based), when the problem is in a question. */
  index?: number;
  /** Field path, e.g. "options.2.zh", "answer", "effectiveDate". */
  field: string;
  message: MessageRef;
}

/** Result of validating a bank. */
export type BankResult = { ok: true; bank: Bank } | { ok: false; errors: BankError[] };

/** One recorded answer, tied to the version of the question the helper saw. */
export interface AnswerRow {
  personId: string;
  questionId: string;
  questionVersion: number;
  /** Chosen option indexes (one for a single-answer question). */
  choices: number[];
  correct: boolean;
  /** Time taken to answer, in milliseconds. */
  ms: number;
  /** The pushed quiz this answer belongs to; null/absent for practice. */
  quizId?: string | null;
  /** Epoch ms (UTC). */
  at: number;
}

/** Leitner card of one helper for one question. */
export interface LeitnerCard {
  personId: string;
  questionId: string;
  /** 1 (weakest) … 5 (best known). */
  box: number;
  /** Epoch ms from which the question is due again. */
  due: number;
  /** Epoch ms of the last review, or null for a card never reviewed. */
  lastReviewAt: number | null;
  /** Times the helper answered this question wrong. */
  lapses: number;
}

/** The loaded banks: every question, by id, and the topics' labels merged from every bank. */
export interface QuizContent {
  banks: Bank[];
  questions: Question[];
  byId: Map<string, Question>;
  topics: Bank['topics'];
}
