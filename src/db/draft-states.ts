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

/**
 * How much state text is kept, in characters, over all drafts (the parsed objects take a few times as much memory):
 * a whole card of three people is about 4,000 characters, more with last time's answers carried, so this keeps
 * several hundred drafts, more than helpers fill at once in a district. Past it, the kept states start again (a card
 * then parses its state once more).
 */
const KEPT_CHARS = 4_000_000;
const kept = new Map<number, { json: string; state: CardState }>();
let keptChars = 0;

function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const k in v) deepFreeze((v as Record<string, unknown>)[k]);
}

function keep(draftId: number, json: string, state: CardState): void {
  const before = kept.get(draftId);
  if (before) keptChars -= before.json.length;
  if (keptChars + json.length > KEPT_CHARS) {
    kept.clear();
    keptChars = 0;
  }
  deepFreeze(state);
  kept.set(draftId, { json, state });
  keptChars += json.length;
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

/** How many drafts and characters of state text are kept now (for tests: the memory stays bounded). */
export function keptStates(): { drafts: number; chars: number } {
  return { drafts: kept.size, chars: keptChars };
}

/** The most characters of state text kept at once. */
export const KEPT_STATE_CHARS = KEPT_CHARS;
