/**
 * The question catalogue is kept in memory between reads (the push wizard asks for it at every step); it must never
 * outlive the table it was read from: a version imported by the admin CLI through another connection, and rows of a
 * transaction that was rolled back, are both seen at once.
 */
import { describe, expect, it } from 'vitest';
import { makeHarness } from '../support/harness.js';
import { inTransaction, openDb } from '../../src/db/client.js';
import { importQuestions, loadCatalog } from '../../src/db/quiz-repo.js';
import type { Question } from '../../src/core/quiz/index.js';

describe('the catalogue kept between reads', () => {
  it('sees an edit imported by another process, and forgets rows rolled back', () => {
    const h = makeHarness();
    const quizzes = h.deps.content.quizzes;
    const catalog = () => loadCatalog(h.db, quizzes, h.clock.now);
    const first = catalog().questions[0];
    expect(catalog().questions[0]).toBe(first); // kept: the same object, not read again

    // the admin CLI edits the first question: its own connection to the same file
    const cli = openDb(h.config.databasePath);
    const edited: Question = { ...first, text: { zh: `${first.text.zh}（修订）`, en: `${first.text.en} (revised)` } };
    importQuestions(cli, [edited], h.clock.now);
    cli.$client.close();
    expect(catalog().byId.get(first.id)!.text.zh).toContain('（修订）');

    // a new question read inside a transaction that then fails is not served afterwards
    const extra: Question = { ...first, id: 'cache-rollback-probe', text: { zh: '回滚的题目', en: 'rolled back' } };
    expect(() =>
      inTransaction(h.db, () => {
        importQuestions(h.db, [extra], h.clock.now);
        expect(catalog().byId.has(extra.id)).toBe(true);
        throw new Error('abort');
      }),
    ).toThrow('abort');
    // a different question takes the rolled-back row's id (imported by the CLI, nothing read here in between): read as itself
    const other: Question = { ...first, id: 'cache-reused-id', text: { zh: '另一道题', en: 'another' } };
    const cli2 = openDb(h.config.databasePath);
    importQuestions(cli2, [other], h.clock.now);
    cli2.$client.close();
    expect(catalog().byId.has(extra.id)).toBe(false);
    expect(catalog().byId.get(other.id)!.text.zh).toBe('另一道题');
  });
});
