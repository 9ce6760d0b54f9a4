/** A trainer's question file without a bot: errors by row and column, a preview, publication as a new version. */
import { describe, expect, it } from 'vitest';
import { quizFixture, actionIds, keysOf, lineWith } from './quiz-fixture.js';
import { checkQuestionFile, discardQuestions, MAX_ERROR_LINES, publishQuestions } from '../../src/app/quiz/import.js';
import { catalogOf } from '../../src/app/quiz/catalog.js';
import { questionVersion } from '../../src/db/quiz-repo.js';
import type { SheetResult } from '../../src/content/quiz-spreadsheet.js';
import type { Question } from '../../src/core/quiz/index.js';

const question = (text: string): Question => ({
  id: 'P-100',
  level: 'provincial',
  region: '安徽省',
  topic: '入户要求',
  text: { zh: text, en: '' },
  options: [{ zh: '户口本和系统记录', en: '' }, { zh: '邻居的说法', en: '' }],
  correct: [0],
  multi: false,
  explanation: { zh: '以户口本和系统记录为准。', en: '' },
  source: '某省文件',
  effectiveDate: '2017-11-02',
  version: 1,
});
const good = (text = '入户时应核对哪份材料？'): SheetResult => ({ ok: true, questions: [question(text)] });

describe('importing a question file', () => {
  it('is for trainers', () => {
    const f = quizFixture();
    expect(checkQuestionFile(f.deps, f.actor('王小明'), good())).toEqual({ ok: false, reason: 'role' });
    expect(publishQuestions(f.deps, f.actor('孙局长'), 'x')).toEqual({ ok: false, reason: 'role' });
    expect(discardQuestions(f.deps, undefined, 'x')).toEqual({ ok: false, reason: 'role' });
  });

  it('names every bad cell by row and column (at most a screenful), or what is wrong with the file', () => {
    const f = quizFixture();
    const trainer = f.actor('赵培训');
    const errors = Array.from({ length: MAX_ERROR_LINES + 5 }, (_, i) => ({ row: i + 2, column: '正确答案', message: { key: 'quiz.err.answer_bad' as const } }));
    const r = checkQuestionFile(f.deps, trainer, { ok: false, errors });
    if (!r.ok || r.value.kind !== 'errors') throw new Error('no errors');
    expect(lineWith(r.value.view, 'quizbot.import_failed')?.params).toEqual({ count: MAX_ERROR_LINES + 5 });
    expect(lineWith(r.value.view, 'quizbot.import_error_line')?.params).toEqual({ row: 2, column: '正确答案', message: { key: 'quiz.err.answer_bad' } });
    expect(keysOf(r.value.view).filter((k) => k === 'quizbot.import_error_line')).toHaveLength(MAX_ERROR_LINES);
    expect(lineWith(r.value.view, 'quizbot.import_more')?.params).toEqual({ count: 5 });
    expect(actionIds(r.value.view)).toEqual([]);

    const file = checkQuestionFile(f.deps, trainer, { ok: false, errors: [], fileError: { problem: 'not_spreadsheet' } });
    expect(file.ok && keysOf(file.value.view)).toEqual(['quizbot.import_failed', 'file.not_spreadsheet']);
  });

  it('previews, publishes on confirmation only, as a new version when edited; an older preview publishes nothing', () => {
    const f = quizFixture();
    const trainer = f.actor('赵培训');
    const inCatalog = () => catalogOf(f.deps).byId.get('P-100')?.version;

    const first = checkQuestionFile(f.deps, trainer, good());
    if (!first.ok || first.value.kind !== 'preview') throw new Error('no preview');
    const token = first.value.token;
    expect(lineWith(first.value.view, 'quizbot.import_preview')?.params).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    expect(lineWith(first.value.view, 'quizbot.import_preview_new')?.params).toMatchObject({ id: 'P-100' });
    expect(actionIds(first.value.view)).toEqual([`quiz:import:${token}:ok`, `quiz:import:${token}:no`]);
    expect(inCatalog()).toBe(undefined);

    expect(publishQuestions(f.deps, trainer, 'other-token')).toEqual({ ok: false, reason: 'stale' });
    const published = publishQuestions(f.deps, trainer, token);
    if (!published.ok) throw new Error(published.reason);
    expect(published.value.report).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    expect(lineWith(published.value.view, 'quizbot.import_ok')?.params).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    expect(inCatalog()).toBe(1);
    // pressed twice: the questions were published once
    expect(publishQuestions(f.deps, trainer, token)).toEqual({ ok: false, reason: 'stale' });

    const same = checkQuestionFile(f.deps, trainer, good());
    expect(same.ok && same.value.kind).toBe('nothing');

    const edited = checkQuestionFile(f.deps, trainer, good('入户时应当核对哪份材料？'));
    if (!edited.ok || edited.value.kind !== 'preview') throw new Error('no preview');
    expect(lineWith(edited.value.view, 'quizbot.import_preview_changed')?.params).toMatchObject({ id: 'P-100', from: 1, to: 2 });
    // a newer file replaces the preview: the older one's button is stale
    const newer = checkQuestionFile(f.deps, trainer, good('入户时必须核对哪份材料？'));
    if (!newer.ok || newer.value.kind !== 'preview') throw new Error('no preview');
    expect(publishQuestions(f.deps, trainer, edited.value.token)).toEqual({ ok: false, reason: 'stale' });
    expect(discardQuestions(f.deps, trainer, newer.value.token).ok).toBe(true);
    expect(publishQuestions(f.deps, trainer, newer.value.token)).toEqual({ ok: false, reason: 'stale' });
    expect(inCatalog()).toBe(1);

    const again = checkQuestionFile(f.deps, trainer, good('入户时应当核对哪份材料？'));
    if (!again.ok || again.value.kind !== 'preview') throw new Error('no preview');
    expect(publishQuestions(f.deps, trainer, again.value.token).ok).toBe(true);
    expect(inCatalog()).toBe(2);
    expect(questionVersion(f.db, { id: 'P-100', v: 1 })?.text.zh).toBe('入户时应核对哪份材料？');
    expect(lineWith(again.value.view, 'quizbot.import_elsewhere')).toBeUndefined();
  });

  it("warns before publishing another province's or city's questions: this district's helpers would never get them", () => {
    const f = quizFixture();
    const trainer = f.actor('赵培训');
    const elsewhere: SheetResult = { ok: true, questions: [{ ...question('某省的入户要求？'), id: 'P-200', region: '某省' }, { ...question('本省？'), id: 'P-201' }] };
    const r = checkQuestionFile(f.deps, trainer, elsewhere);
    if (!r.ok || r.value.kind !== 'preview') throw new Error('no preview');
    expect(lineWith(r.value.view, 'quizbot.import_elsewhere')?.params).toEqual({ count: 1, place: '安徽省 / 亳州市', ids: 'P-200（某省）' });
    expect(publishQuestions(f.deps, trainer, r.value.token).ok).toBe(true);
    expect(catalogOf(f.deps).byId.has('P-200')).toBe(false);
    expect(catalogOf(f.deps).byId.has('P-201')).toBe(true);
  });
});
