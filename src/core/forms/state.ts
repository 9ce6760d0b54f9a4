/**
 * The card engine's serializable state and its context. `CardState` is plain JSON: the bot layer stores it in the
 * draft row after every answer and passes it back unchanged; nothing else is needed to resume.
 */
import type { Answers, RepeatItem } from './types.js';
import type { Settings } from './settings.js';

/** What the engine needs from outside, passed on every call (no clocks or I/O inside the engine). */
export interface EngineContext {
  /** today's date in the configured zone, `YYYY-MM-DD` */
  today: string;
  /** now as UTC epoch ms (stamped on locations and photos) */
  nowMs: number;
  settings: Settings;
  /** poverty-line region (`national` or a province); default `settings.default_region` */
  region?: string;
  /** facts the system knows about the household, read by `{ fact: name }` (e.g. pairing_start_date) */
  householdFacts?: Record<string, string | number | boolean | null>;
}

/**
 * A step path: a top-level field id (`visit_date`), a repeat's list step (`members`), a field of one repeat item
 * (`members[1].name`, 0-based index), a question over all items of a repeat (`members[*].insured_basic`), or the
 * confirmation of a section's carried-forward facts (`@household`), or a checklist (`+living_facts`).
 */
export type StepPath = string;

/**
 * The state of one card being filled. "Back" is positional (the previous relevant step in form order, as in ODK
 * Collect), so no back-history has to be stored and the row stays small.
 */
export interface CardState {
  formId: string;
  formVersion: number;
  /** the current step; null when every step is done and the summary is due */
  cursor: StepPath | null;
  answers: Answers;
  /** the previous card's values of carry_forward fields (offered as "unchanged / change") */
  previous: Answers;
  /**
   * where `previous` came from: absent for the household's last card; 'registry' for a first card carried from the
   * registration system's record in the roster (shown as 登记, not 上次)
   */
  previousFrom?: 'registry';
  /** per repeat: for each current item, the index of the previous card's item it came from (or null if new) */
  origins: Record<string, Array<number | null>>;
  /** steps passed without an answer: optional fields skipped, repeats finished, sections checked one by one */
  closed: StepPath[];
  /** answers the engine filled (autofill): re-evaluated when other answers change */
  auto?: StepPath[];
  /** the last removed repeat item, until the next input: "undo" puts it back where it was */
  removed?: { repeat: string; index: number; item: RepeatItem; origin: number | null; closed: StepPath[] };
  /** select_multiple: the ticks of the current step not yet confirmed with "done" */
  draft?: string[];
  /** the step where the user chose "change" instead of keeping the previous value */
  changing?: StepPath;
  /** ids of warning rules the user confirmed on the summary */
  confirmedWarnings: string[];
  startedAtMs: number;
}

/** Parsed form of a step path. */
export interface ParsedPath {
  field: string;
  index?: number;
  sub?: string;
  /** `members[*].x`: the question over all items */
  across?: true;
  /** `@section`: the section's confirmation step (`field` is the section id) */
  section?: true;
  /** `+checklist`: a checklist's one multi-select (`field` is the checklist id) */
  checklist?: true;
}

const PATH_RE = /^([a-z][a-z0-9_]*)(?:\[(\d{1,3}|\*)\]\.([a-z][a-z0-9_]*))?$/;
const SECTION_RE = /^@([a-z][a-z0-9_]*)$/;
const CHECKLIST_RE = /^\+([a-z][a-z0-9_]*)$/;

/** Parses `members[1].name` / `members[*].name` / `members` / `visit_date` / `@household` / `+living_facts`; null if malformed. */
export function parsePath(path: string): ParsedPath | null {
  const s = SECTION_RE.exec(path);
  if (s) return { field: s[1], section: true };
  const k = CHECKLIST_RE.exec(path);
  if (k) return { field: k[1], checklist: true };
  const m = PATH_RE.exec(path);
  if (!m) return null;
  if (m[2] === undefined) return { field: m[1] };
  return m[2] === '*' ? { field: m[1], sub: m[3], across: true } : { field: m[1], index: Number(m[2]), sub: m[3] };
}

/** The path of a question over all items of a repeat. */
export function acrossPath(repeat: string, sub: string): StepPath {
  return `${repeat}[*].${sub}`;
}

/** The path of a checklist's multi-select. */
export function checklistPath(id: string): StepPath {
  return `+${id}`;
}

/** The path of a section's confirmation step. */
export function sectionPath(sectionId: string): StepPath {
  return `@${sectionId}`;
}

/** Builds the path of a repeat item's field. */
export function itemPath(repeat: string, index: number, sub: string): StepPath {
  return `${repeat}[${index}].${sub}`;
}
