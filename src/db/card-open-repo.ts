/**
 * Everything opening a card for one answer reads, in one statement: the draft (by id, or the one a person has in
 * focus), the household as its helper sees it (only while they are still paired) and the helper's facts the card
 * shows (name, phone, in-person visits this year). Each part was its own statement before; four statements per
 * answer became one, and the rows are read without the query builder (its row mapping cost more than the SQL).
 */
import type { Db } from './client.js';
import { draftFromRow, type DraftRow } from './cards-repo.js';
import type { HouseholdSummary } from './household-repo.js';
import { focusKey } from './focus-repo.js';
import { prepared } from './prepared.js';

export interface CardFacts {
  name: string | null;
  phone: string | null;
  inPersonThisYear: number;
}

export interface OpenedDraft {
  draft: DraftRow;
  /** undefined: the helper is no longer paired with the household */
  household?: HouseholdSummary;
  facts: CardFacts;
}

export type FocusedDraft =
  | { focus: false }
  /** a focus on a draft that is gone */
  | { focus: true; opened?: undefined }
  | { focus: true; opened: OpenedDraft };

const COLUMNS = `
  d.id, d.household_id, d.helper_id, d.form_id, d.form_version, d.state, d.step, d.status, d.revise_card_id,
  d.revise_reason, d.started_at, d.updated_at,
  h.id, h.code, h.head_name, h.head_id_number, v.name, t.name, h.attribute, h.status, h.cause_main, h.members_count,
  h.lat, h.lon, p.start_date,
  hp.name, hp.phone,
  (SELECT in_person FROM household_years WHERE household_id = d.household_id AND year = @year)`;

// the pairing is the person's (not the draft's helper): a draft of someone else finds no household for them
const JOINS = `
  LEFT JOIN pairings p ON p.helper_id = @person AND p.household_id = d.household_id AND p.end_date IS NULL
  LEFT JOIN households h ON h.id = p.household_id
  LEFT JOIN villages v ON v.id = h.village_id
  LEFT JOIN towns t ON t.id = v.town_id
  LEFT JOIN people hp ON hp.id = d.helper_id`;

type Row = unknown[];

function opened(r: Row): OpenedDraft | undefined {
  if (r[0] === null) return undefined;
  const draft = draftFromRow({
    id: r[0] as number, householdId: r[1] as number, helperId: r[2] as number, formId: r[3] as string,
    formVersion: r[4] as number, state: r[5] as string, step: r[6] as number, status: r[7] as string,
    reviseCardId: r[8] as number | null, reviseReason: r[9] as string | null, startedAt: r[10] as number, updatedAt: r[11] as number,
  });
  // the same as the household query's inner joins: a household without its village or town is not shown
  const household: HouseholdSummary | undefined =
    r[12] === null || r[16] === null || r[17] === null
      ? undefined
      : {
          id: r[12] as number, code: r[13] as string, headName: r[14] as string, headIdNumber: r[15] as string | null,
          villageName: r[16] as string, townName: r[17] as string, attribute: r[18] as string, status: r[19] as string,
          causeMain: r[20] as string, membersCount: r[21] as number | null, lat: r[22] as number | null, lon: r[23] as number | null,
          pairedSince: r[24] as string,
        };
  return { draft, household, facts: { name: r[25] as string | null, phone: r[26] as string | null, inPersonThisYear: (r[27] as number | null) ?? 0 } };
}

/** A draft by id with the household and facts as `person` would open it in `year` ('YYYY' of today). */
export function openDraftById(db: Db, draftId: number, person: number, year: number): OpenedDraft | undefined {
  const q = prepared(db, 'openDraftById', () => db.$client.prepare(`SELECT ${COLUMNS} FROM card_drafts d ${JOINS} WHERE d.id = @draft`).raw());
  const r = q.get({ draft: draftId, person, year: String(year) }) as Row | undefined;
  return r ? opened(r) : undefined;
}

/** The draft `person` has in focus (the card typed answers go to), opened as `openDraftById` does. */
export function openFocusedDraft(db: Db, person: number, year: number): FocusedDraft {
  const q = prepared(db, 'openFocusedDraft', () =>
    db.$client
      .prepare(`SELECT ${COLUMNS} FROM kv f LEFT JOIN card_drafts d ON d.id = CAST(f.value AS INTEGER) ${JOINS} WHERE f.key = @key`)
      .raw(),
  );
  const r = q.get({ key: focusKey(person), person, year: String(year) }) as Row | undefined;
  if (!r) return { focus: false };
  const o = opened(r);
  return o ? { focus: true, opened: o } : { focus: true };
}
