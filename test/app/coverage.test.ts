/**
 * 缺什么补什么 for the unit head and the trainer: the matrix of helpers × requirements moves as helpers learn; the
 * chat summary (coverage per level, furthest behind); the export sheet read back; a push to "whoever does not know
 * requirement X yet".
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { quizFixture, actionIds, keysOf, lineWith, type QuizFixture } from './quiz-fixture.js';
import { coverageView, knowledgeMatrix } from '../../src/app/quiz/coverage.js';
import { liveRequirements } from '../../src/app/quiz/knowledge.js';
import { catalogOf } from '../../src/app/quiz/catalog.js';
import { chooseOption, submitChoices } from '../../src/app/quiz/answer.js';
import { advancePush, startPush } from '../../src/app/quiz/push.js';
import { pushStepView, type PushDraft } from '../../src/app/quiz/push-draft.js';
import { exportForSupervisor } from '../../src/app/export.js';
import { startAttempt } from '../../src/db/quiz-attempt-repo.js';
import { questionVersion } from '../../src/db/quiz-repo.js';
import { assigneesOf } from '../../src/db/quiz-push-repo.js';
import { createTranslator } from '../../src/i18n.js';

const DAY = 24 * 3600 * 1000;
const t = createTranslator('zh-CN').forLocale('zh-CN');

/** The helper answers every question of a requirement right, on this day. */
function learn(f: QuizFixture, name: string, requirement: string): void {
  const live = liveRequirements(f.deps).find((l) => l.req.id === requirement)!;
  const me = f.actor(name);
  const a = startAttempt(f.db, { personId: me.personId, kind: 'practice', questions: live.questions.map((q) => ({ id: q.id, v: q.version })), now: f.clock.now });
  a.questions.forEach((ref, position) => {
    const q = questionVersion(f.db, ref)!;
    for (const o of q.multi ? q.correct : [q.correct[0]!]) {
      const r = chooseOption(f.deps, me, a.id, position, o);
      if (!r.ok) throw new Error(r.reason);
    }
    if (q.multi && !submitChoices(f.deps, me, a.id, position).ok) throw new Error('submit');
  });
}

const unitScope = (f: QuizFixture) => ({ kind: 'unit' as const, id: f.actor('孙局长').unitId! });

describe('what the helpers of a scope know', () => {
  it('the unit head sees their unit: the matrix moves once a helper knows a requirement (two days)', () => {
    const f = quizFixture();
    const target = liveRequirements(f.deps).find((l) => l.req.level === 'provincial')!.req.id;
    const before = knowledgeMatrix(f.deps, unitScope(f));
    expect(before.rows.map((r) => r.name).sort()).toEqual(['李红', '王小明']);
    expect(before.rows.every((r) => r.known === 0 && r.cells.every((c) => c === 'never'))).toBe(true);

    learn(f, '王小明', target);
    const col = before.requirements.findIndex((r) => r.id === target);
    const wang = () => knowledgeMatrix(f.deps, unitScope(f)).rows.find((r) => r.name === '王小明')!;
    expect(wang().cells[col]).toBe('learning');
    f.clock.now += DAY;
    learn(f, '王小明', target);
    expect(wang().cells[col]).toBe('known');
    expect(wang().known).toBe(1);

    const v = coverageView(f.deps, f.actor('孙局长'));
    if (!v.ok) throw new Error(v.reason);
    expect(lineWith(v.value, 'coverage.title')?.params).toMatchObject({ helpers: 2, requirements: before.requirements.length });
    const provincial = v.value.blocks.flat().find((p) => 'key' in p && p.key === 'coverage.level_line' && JSON.stringify(p.params).includes('省级'));
    expect(provincial && 'params' in provincial && provincial.params).toMatchObject({ known: 1, cells: 2 * before.requirements.filter((r) => r.level === 'provincial').length });
    // furthest behind first: 李红 knows nothing
    expect(lineWith(v.value, 'coverage.behind_line')?.params).toMatchObject({ name: '李红', known: 0 });
    expect(keysOf(v.value)).toContain('coverage.hint_export');
  });

  it('a trainer sees the district; a helper is refused; a town head sees the town', () => {
    const f = quizFixture();
    const tr = coverageView(f.deps, f.actor('赵培训'));
    expect(tr.ok && lineWith(tr.value, 'coverage.title')?.params).toMatchObject({ helpers: 3 });
    expect(coverageView(f.deps, f.actor('王小明'))).toEqual({ ok: false, reason: 'role' });
    expect(coverageView(f.deps, undefined)).toEqual({ ok: false, reason: 'role' });
    const town = coverageView(f.deps, f.actor('周镇长'));
    expect(town.ok).toBe(true);
  });

  it('the quiz export carries the matrix and the requirements, read back from the file', async () => {
    const f = quizFixture();
    const target = liveRequirements(f.deps).find((l) => l.req.level === 'municipal')!.req.id;
    learn(f, '李红', target);
    f.clock.now += DAY;
    learn(f, '李红', target);
    const file = join(mkdtempSync(join(tmpdir(), 'app-know-')), 'q.xlsx');
    const r = await exportForSupervisor(f.deps, f.actor('孙局长'), 'quiz', { file, t, locale: 'zh-CN' });
    if (!r.ok) throw new Error(r.reason);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const matrix = wb.getWorksheet('应知应会掌握情况')!;
    const header = (matrix.getRow(1).values as unknown[]).slice(1);
    const reqs = liveRequirements(f.deps).map((l) => l.req.id);
    expect(header).toEqual(['人员编号', '姓名', '单位', '已掌握条数', '现行要求条数', ...reqs]);
    const rows = [2, 3].map((i) => (matrix.getRow(i).values as unknown[]).slice(1));
    const li = rows.find((row) => row[1] === '李红')!;
    expect(li[3]).toBe(1);
    expect(li[5 + reqs.indexOf(target)]).toBe('已掌握');
    expect(rows.find((row) => row[1] === '王小明')!.slice(5).every((c) => c === '未答过')).toBe(true);
    const list = wb.getWorksheet('要求条目')!;
    expect(list.rowCount).toBe(reqs.length + 1);
    const line = (list.getRow(1 + reqs.indexOf(target) + 1).values as unknown[]).slice(1);
    expect(line[0]).toBe(target);
    expect(line[1]).toBe('市级');
    expect(line[8]).toBe(1);
  });

  it('a push by requirement reaches exactly those who do not know it yet', () => {
    const f = quizFixture();
    const target = liveRequirements(f.deps).find((l) => l.req.level === 'provincial')!;
    learn(f, '王小明', target.req.id);
    f.clock.now += DAY;
    learn(f, '王小明', target.req.id);
    const trainer = f.actor('赵培训');
    const s = startPush(f.deps, trainer, 'r1');
    if (!s.ok) throw new Error(s.reason);
    let d: PushDraft = s.value.draft;
    const press = (what: string, value: string) => {
      const r = advancePush(f.deps, trainer, d, { run: 'r1', what, value });
      if (!r.ok) throw new Error(`${what}:${value} ${r.reason}`);
      if (r.value.kind === 'step') d = r.value.draft;
      return r.value;
    };
    press('by', 'req');
    expect(actionIds(pushStepView(f.deps, d))).toContain(`push:wizard:r1:rq:${target.req.id}`);
    press('rq', target.req.id);
    expect(d.questions?.map((q) => q.id).sort()).toEqual(target.questions.map((q) => q.id).sort());
    expect(actionIds(pushStepView(f.deps, d))).toContain('push:wizard:r1:au:gap');
    press('au', 'gap');
    press('dl', '3');
    const done = press('ok', '0');
    if (done.kind !== 'queued') throw new Error(done.kind);
    const names = assigneesOf(f.db, done.pushId).map((a) => a.personId);
    expect(names.map(Number).sort()).toEqual([f.actor('李红').personId, f.actor('张强').personId].sort());
    // the gap audience is offered only when pushing a requirement
    const s2 = startPush(f.deps, trainer, 'r2');
    if (!s2.ok) throw new Error(s2.reason);
    const r = advancePush(f.deps, trainer, s2.value.draft, { run: 'r2', what: 'by', value: 'all' });
    if (!r.ok || r.value.kind !== 'step') throw new Error('step');
    const c = advancePush(f.deps, trainer, r.value.draft, { run: 'r2', what: 'ct', value: '5' });
    if (!c.ok || c.value.kind !== 'step') throw new Error('step');
    expect(actionIds(pushStepView(f.deps, c.value.draft))).not.toContain('push:wizard:r2:au:gap');
    expect(advancePush(f.deps, trainer, c.value.draft, { run: 'r2', what: 'au', value: 'gap' })).toEqual({ ok: false, reason: 'stale' });
    expect(catalogOf(f.deps).questions.length).toBeGreaterThan(0);
  });
});
