/**
 * Types for supervision figures (`/stats`): plain input rows, as the db layer reads them, and a report that is
 * easy to render as phone text, as a chart, or as a spreadsheet.
 */
import type { Scope } from '../people/scope.js';
import type { Pace, Period, VisitMode } from '../visits/pacing.js';

/** A row id as stored. Use one kind (all strings or all numbers) per id space. */
export type Id = string | number;

/** A poor household (贫困户) with its place and its helpers. */
export interface HouseholdRow {
  id: Id;
  villageId: Id;
  townId: Id;
  /** Helpers (帮扶责任人) assigned to the household. Their units are the household's units. */
  helperIds: readonly Id[];
  /** Extra units answering for the household, when not derivable from its helpers. */
  unitIds?: readonly Id[];
}

/** One recorded visit. Only `in_person` visits inside the period count toward the target. */
export interface VisitRow {
  householdId: Id;
  helperId: Id;
  /** UTC epoch ms. */
  at: number;
  mode: VisitMode | string;
  /** this row stands for `count` identical visits (default 1): the db layer passes per-household counts */
  count?: number;
}

/** Card workflow status: `submitted` is complete; `returned` was sent back by a reviewer for correction. */
export type CardStatus = 'draft' | 'submitted' | 'returned';

/** One dynamic information card (动态信息卡). When `at` is given, only cards inside the period are counted. */
export interface CardRow {
  householdId: Id;
  status: CardStatus | string;
  at?: number;
  /** this row stands for `count` identical cards (default 1) */
  count?: number;
}

/** A risk flag raised on a household (relapse triggers, evidence problems…). Only open flags are counted. */
export interface FlagRow {
  householdId: Id;
  open: boolean;
  kind: string;
}

/** The 两不愁三保障 + drinking-water items of the card's section D (content/forms/dynamic-card.yaml). */
export type { GuaranteeItem } from '../visits/guarantees.js';
import type { GuaranteeItem } from '../visits/guarantees.js';

/** One failed (不达标) guarantee item on a household's latest card. */
export interface GuaranteeFailureRow {
  householdId: Id;
  item: GuaranteeItem;
}

/** One person's result for one assigned quiz. `scorePct` is 0–100, or null when not taken. */
export interface QuizResultRow {
  personId: Id;
  unitId: Id;
  quizId: Id;
  done: boolean;
  scorePct: number | null;
  /** this row stands for `count` identical results (default 1) */
  count?: number;
}

/** A helper and the latest visit known for them (any earlier period included). */
export interface HelperRow {
  id: Id;
  unitId: Id;
  townId: Id;
  lastVisitAt: number | null;
}

/** Everything the aggregation reads. Rows outside the scope are ignored, so the caller may over-fetch. */
export interface StatsInput {
  households: Iterable<HouseholdRow>;
  visits: Iterable<VisitRow>;
  cards?: Iterable<CardRow>;
  flags?: Iterable<FlagRow>;
  guaranteeFailures?: Iterable<GuaranteeFailureRow>;
  quizResults?: Iterable<QuizResultRow>;
  helpers: Iterable<HelperRow>;
}

/** How the groups of a report are cut. */
export type GroupBy = 'unit' | 'town' | 'village' | 'helper';

/** Parameters of one report. */
export interface StatsOptions {
  /** whose figures: the whole district, one town, one village, one unit, or one helper */
  scope: Scope<Id>;
  groupBy: GroupBy;
  period: Period;
  /** "Today" (UTC epoch ms): pacing and idle helpers are judged at this instant. */
  now: number;
  /** In-person visits per household per period (default 6). */
  target?: number;
  /** A helper is idle with no in-person visit for more than this many days (default 30). */
  idleDays?: number;
  /** Names for group keys (unit, town, village or helper names); the key is shown when absent. */
  labels?: ReadonlyMap<Id, string>;
}

/** Figures for one group, or for the whole scope (`key: null`). */
export interface GroupStats {
  key: Id | null;
  label: string;
  households: number;
  /** Counted in-person visits of these households in the period. */
  inPersonVisits: number;
  /** `visitDistribution[k]` = households with exactly k counted visits; the last slot is "target or more". */
  visitDistribution: number[];
  pace: Record<Pace, number>;
  targetMet: number;
  cards: { total: number; complete: number; householdsWithComplete: number };
  openFlags: { total: number; households: number; byKind: Record<string, number> };
  guarantee: { failedItems: number; households: number; byItem: Partial<Record<GuaranteeItem, number>> };
  helpers: { total: number; idle: number };
  /** Quiz assignments (person × quiz), completed ones, and the mean score of the completed ones. */
  quiz: { assigned: number; done: number; completionPct: number | null; meanScorePct: number | null };
}

/** A helper with no in-person visit for more than `idleDays`. */
export interface IdleHelper {
  id: Id;
  label: string;
  unitId: Id;
  lastVisitAt: number | null;
  /** Whole days since the last visit; null when there never was one. */
  daysSince: number | null;
}

/**
 * The report. A household with several helpers or units counts once in the totals and once in each of its groups,
 * so group figures can add up to more than the totals.
 */
export interface StatsReport {
  scope: Scope<Id>;
  groupBy: GroupBy;
  period: Period;
  now: number;
  target: number;
  idleDays: number;
  totals: GroupStats;
  /** Sorted by label (Chinese collation). */
  groups: GroupStats[];
  /** Oldest (or never) first. */
  idleHelpers: IdleHelper[];
}
