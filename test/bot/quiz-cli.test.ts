import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeHarness } from '../support/harness.js';
import { importQuiz, quizTemplate } from '../../src/cli/quiz-commands.js';
import { loadCatalog } from '../../src/db/quiz-repo.js';
import { quizQuestions } from '../../src/db/schema.js';
import { adminArgs } from '../support/node-script.js';

const dir = mkdtempSync(join(tmpdir(), 'quiz-cli-'));

describe('admin CLI: quiz-template and import-quiz', () => {
  it('the template imports cleanly; bad rows are named and nothing is written; an edit makes a new version', async () => {
    const h = makeHarness();
    const lines: string[] = [];
    const env = { ...h.cli(), out: (l: string) => void lines.push(l) };
    const catalogSize = () => loadCatalog(h.db, h.deps.content.quizzes, h.clock.now).questions.length;
    const before = catalogSize();

    const template = join(dir, 'template.xlsx');
    expect(await quizTemplate(env, template)).toBe(0);
    expect(await importQuiz(env, template)).toBe(0);
    expect(lines.at(-1)).toBe('题目导入成功：新增 1，更新（新版本）0，未变 0。');
    expect(catalogSize()).toBe(before + 1);
    expect(await importQuiz(env, template)).toBe(0);
    expect(lines.at(-1)).toBe('题目导入成功：新增 0，更新（新版本）0，未变 1。');

    const yaml = (answer: string, text: string) =>
      [
        'title: { zh: 某省, en: A province }',
        'defaults: { level: provincial, region: 某省, effectiveDate: "2017-11-02", version: 1, source: 某省文件 }',
        'questions:',
        '  - id: S01',
        '    topic: 入户要求',
        `    text: { zh: "${text}", en: "" }`,
        '    options: [{ zh: 甲, en: "" }, { zh: 乙, en: "" }]',
        `    answer: ${answer}`,
        '    explanation: { zh: 说明, en: "" }',
      ].join('\n');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, yaml('C', '问题一'));
    lines.length = 0;
    expect(await importQuiz(env, bad)).toBe(1);
    expect(lines[0]).toBe('导入失败，没有做任何修改。共 1 处错误：');
    expect(lines.join('\n')).toContain('题目 S01 字段 answer：正确答案“C”超出范围：本题只有 2 个选项');
    const rowsBefore = h.db.select().from(quizQuestions).all().length;

    const good = join(dir, 'good.yaml');
    writeFileSync(good, yaml('A', '问题一').replace('questions:', 'topics: { 入户要求: { zh: 入户要求, en: Visits } }\nquestions:'));
    expect(await importQuiz(env, good)).toBe(0);
    writeFileSync(good, yaml('B', '问题一').replace('questions:', 'topics: { 入户要求: { zh: 入户要求, en: Visits } }\nquestions:'));
    expect(await importQuiz(env, good)).toBe(0);
    expect(lines.at(-1)).toBe('题目导入成功：新增 0，更新（新版本）1，未变 0。');
    const versions = h.db.select().from(quizQuestions).all().filter((r) => r.questionId === 'S01').map((r) => r.version);
    expect(versions).toEqual([1, 2]);
    expect(h.db.select().from(quizQuestions).all().length).toBe(rowsBefore + 2);

    lines.length = 0;
    expect(await importQuiz(env, undefined)).toBe(2);
    expect(await importQuiz(env, join(dir, 'x.pdf'))).toBe(2);
    expect(await importQuiz(env, join(dir, 'missing.xlsx'))).toBe(1);
    expect(lines.join('\n')).toContain('找不到文件');
  });

  it('runs as `npm run admin -- import-quiz` with exit codes 0, 1 and 2', () => {
    const env = { ...process.env, DATABASE_PATH: join(dir, 'cli.sqlite') };
    const template = join(dir, 'cli-template.xlsx');
    execFileSync(process.execPath, adminArgs('quiz-template', template), { env });
    const ok = spawnSync(process.execPath, adminArgs('import-quiz', template), { env, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, '题号,级别\nX1,省级\n');
    const bad = spawnSync(process.execPath, adminArgs('import-quiz', csv), { env, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('第 1 行「地区」列');
    expect(spawnSync(process.execPath, adminArgs('import-quiz'), { env, encoding: 'utf8' }).status).toBe(2);
  });
});
