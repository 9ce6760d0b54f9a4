/**
 * Parsed draft states kept between answers. A card answer reads its draft's state (a JSON text that grows with the
 * answers) and parsing it was one of the larger parts of the answer. The text read is compared with the text last
 * parsed or written for that draft: the same text gives back the same state, without parsing it again. Comparing
 * texts (not the draft's step) keeps this right whoever wrote the row: another process, a tool, a restore.
 *
 * A kept state is shared by every later read, so it is frozen, all the way down: the engine copies on write, and a
 * change in place would throw instead of reaching the next answer unseen.
 */
import type { CardState } from '../core/forms/index.js';

/** About one per helper filling a card at the same time; past it, the kept states start again. */
const KEPT_DRAFTS = 5_000;
const kept = new Map<number, { json: string; state: CardState }>();

function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const k in v) deepFreeze((v as Record<string, unknown>)[k]);
}

function keep(draftId: number, json: string, state: CardState): void {
  if (kept.size >= KEPT_DRAFTS && !kept.has(draftId)) kept.clear();
  deepFreeze(state);
  kept.set(draftId, { json, state });
}

/** The state of a draft row's JSON text: the one kept when the text is the same, else `parse(json)` (then kept). */
export function stateOfText(draftId: number, json: string, parse: (json: string) => CardState): CardState {
  const k = kept.get(draftId);
  if (k !== undefined && k.json === json) return k.state;
  const state = parse(json);
  keep(draftId, json, state);
  return state;
}

/** A state just written as `json` for a draft: the next read of that text needs no parsing. */
export function stateWritten(draftId: number, json: string, state: CardState): void {
  keep(draftId, json, state);
}
