import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { makeHarness } from '../support/harness.js';
import { createDraft, draftById, saveDraftState, saveDraftStateOnce } from '../../src/db/cards-repo.js';
import { openDb } from '../../src/db/client.js';
import { findPeople } from '../../src/db/people-repo.js';
import { cardDrafts, households } from '../../src/db/schema.js';
import type { CardState } from '../../src/core/forms/index.js';
import { KEPT_STATE_CHARS, keptStates, stateOfText } from '../../src/db/draft-states.js';

const state = (answers: CardState['answers']): CardState =>
  ({ formId: 'dynamic_card', formVersion: 2, cursor: 'visit_mode', answers, previous: {}, origins: {}, closed: [], confirmedWarnings: [], startedAtMs: 0 }) as CardState;

function aDraft() {
  const h = makeHarness();
  const helperId = findPeople(h.db, '王小明')[0].id;
  const householdId = h.db.select().from(households).where(eq(households.code, 'H0001')).get()!.id;
  const draft = createDraft(h.db, { householdId, helperId, formId: 'dynamic_card', formVersion: 2, state: state({}) }, h.clock.now);
  return { h, draft };
}

describe('draft states kept between answers', () => {
  it('a state just written is read back as the same object, and is frozen all the way down', () => {
    const { h, draft } = aDraft();
    const written = state({ visit_date: '2017-11-15', members: [{ name_hint: '甲' }] });
    expect(saveDraftStateOnce(h.db, draft.id, draft.step, written, 9001, h.clock.now)).toBe('saved');
    const read = draftById(h.db, draft.id)!;
    expect(read.state).toBe(written);
    expect(Object.isFrozen(read.state.answers)).toBe(true);
    // a change in place throws instead of reaching the next answer
    expect(() => {
      (read.state.answers as Record<string, unknown>).visit_date = '2017-11-16';
    }).toThrow(TypeError);
    expect(() => {
      ((read.state.answers.members as Array<Record<string, unknown>>)[0]).name_hint = '乙';
    }).toThrow(TypeError);
  });

  it('a text written by another connection is parsed anew; the same text again gives the state kept', () => {
    const { h, draft } = aDraft();
    const first = state({ visit_date: '2017-11-15' });
    expect(saveDraftState(h.db, draft.id, draft.step, first, h.clock.now)).toBe(true);
    const other = openDb(h.config.databasePath);
    try {
      const changed = state({ visit_date: '2017-11-20' });
      other.update(cardDrafts).set({ state: JSON.stringify(changed) }).where(eq(cardDrafts.id, draft.id)).run();
      const read = draftById(h.db, draft.id)!;
      expect(read.state).not.toBe(first);
      expect(read.state).toEqual(changed);
      expect(draftById(h.db, draft.id)!.state).toBe(read.state);
      // put back as it was, byte for byte, by someone else: equal content, whichever object it comes as
      other.update(cardDrafts).set({ state: JSON.stringify(first) }).where(eq(cardDrafts.id, draft.id)).run();
      expect(draftById(h.db, draft.id)!.state).toEqual(first);
    } finally {
      other.$client.close();
    }
  });

  it('a commit that did not happen (moved, duplicate) keeps nothing of its state', () => {
    const { h, draft } = aDraft();
    expect(saveDraftStateOnce(h.db, draft.id, draft.step, state({ visit_date: '2017-11-15' }), 9002, h.clock.now)).toBe('saved');
    const kept = draftById(h.db, draft.id)!;
    // the step the caller read is gone (another answer came first): nothing written, nothing kept
    const late = state({ visit_date: '2017-11-30' });
    expect(saveDraftStateOnce(h.db, draft.id, draft.step, late, 9003, h.clock.now)).toBe('moved');
    expect(saveDraftStateOnce(h.db, draft.id, kept.step, late, 9002, h.clock.now)).toBe('duplicate');
    expect(draftById(h.db, draft.id)!.state).toBe(kept.state);
    expect(Object.isFrozen(late)).toBe(false);
  });

  it('keeps a bounded amount of state text, however many drafts are read', () => {
    const big = JSON.stringify(state({ note: '字'.repeat(50_000) }));
    let parsed = 0;
    const parse = (json: string) => {
      parsed++;
      return JSON.parse(json) as CardState;
    };
    // ids far from the harness's drafts: 200 drafts of 50,000 characters is 2.5 times the budget
    for (let id = 1_000_000; id < 1_000_200; id++) {
      stateOfText(id, big.replace('"note":"', `"note":"${id}`), parse);
      expect(keptStates().chars).toBeLessThanOrEqual(KEPT_STATE_CHARS);
    }
    expect(parsed).toBe(200);
    // the latest one is still kept: read again, it is not parsed
    stateOfText(1_000_199, big.replace('"note":"', '"note":"1000199'), parse);
    expect(parsed).toBe(200);
  });
});
