/**
 * A province's rules loaded from the workbook template (no YAML): the template is written, filled like a trainer
 * would (real .xlsx), then sent to the real bot in-process and given to the CLI. Bad cells come back by sheet, row
 * and column; a good workbook is previewed and published only on confirmation; its clause binds the helpers of
 * the matching province only.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { makeHarness, type Harness, type TestUser } from '../support/harness.js';
import { setFileFetch } from '../../src/bot/features/quiz-import.js';
import { createBot } from '../../src/bot/create-bot.js';
import { BOT_USER } from '../support/local-telegram.js';
import { CLAUSE_HEADERS, QUESTION_HEADERS } from '../../src/content/pack-spreadsheet.js';
import { writePackTemplate } from '../../src/reports/pack-template.js';
import { importPack, packTemplate } from '../../src/cli/quiz-commands.js';
import { catalogOf } from '../../src/app/quiz/catalog.js';
import { importedPacks, liveRequirements } from '../../src/app/quiz/knowledge.js';
import { loadCatalog } from '../../src/db/quiz-repo.js';
import { adminArgs } from '../support/node-script.js';

const dir = mkdtempSync(join(tmpdir(), 'pack-workbook-'));

type Row = Record<string, string>;

/** The template, its example rows replaced by these (a real workbook, as a trainer's spreadsheet program writes it). */
async function filled(name: string, clauses: Row[], questions: Row[], template?: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  if (template) await wb.xlsx.load(template as never);
  else {
    await writePackTemplate(join(dir, `template-${name}`));
    await wb.xlsx.readFile(join(dir, `template-${name}`));
  }
  const put = (sheet: string, headers: string[], rows: Row[]) => {
    const ws = wb.getWorksheet(sheet)!;
    expect(ws.getRow(1).values).toEqual([undefined, ...headers]);
    ws.spliceRows(2, ws.rowCount - 1);
    for (const r of rows) ws.addRow(headers.map((h) => r[h] ?? null));
  };
  put('条款', CLAUSE_HEADERS, clauses);
  put('题目', QUESTION_HEADERS, questions);
  const file = join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

const clause = (id: string, region: string, extra: Row = {}): Row => ({
  条款编号: id, 级别: '省级', 地区: region, 文件标题: `${region}关于帮扶责任人走访的通知`, 文号: `${region.slice(0, 1)}扶发〔2016〕8号`,
  成文日期: '2016-05-20', 生效日期: '2016-06-01', 条款原文: '帮扶责任人每季度至少召开一次户情分析会。', '条款原文(英文)': 'Helpers hold a household review every quarter.',
  出处: `${region}扶贫办网站公布的原文`, ...extra,
});
const question = (clauseId: string, id: string, extra: Row = {}): Row => ({
  条款编号: clauseId, 题号: id, 题目: '户情分析会至少多久召开一次？', 选项A: '每月', 选项B: '每季度', 选项C: '每年', 正确答案: 'B', 解析: '通知规定每季度至少一次。', ...extra,
});

async function join_(h: Harness, tgId: number, name: string): Promise<TestUser> {
  const u = h.user(tgId);
  await u.send(`/start ${h.demo.find((d) => d.name === name)!.code}`);
  return u;
}

describe('a province\'s rules from the workbook template', () => {
  it('in the bot: template from /rules, bad cells named, a good workbook previewed and published only on confirmation', async () => {
    const h = makeHarness();
    setFileFetch(h.tg.fetch as never);
    const trainer = await join_(h, 601, '赵培训');
    const helper = await join_(h, 602, '王小明');
    const bot = createBot(h.deps, { botInfo: BOT_USER as never, fetch: h.tg.fetch as never, throttle: false });
    const catalogSize = () => loadCatalog(h.db, h.deps.content.quizzes, h.clock.now).questions.length;
    const before = catalogSize();

    // /rules offers the template as a file
    await trainer.send('/rules');
    expect(trainer.lastText()).toContain('要求表格');
    await trainer.press('📄 要求模板（Excel）');
    const sent = trainer.inbox().filter((m) => m.method === 'sendDocument');
    expect(sent.length).toBe(1);
    // the trainer fills the very file the bot sent
    const fromBot = sent[0]!.file!.bytes as Buffer;
    // still in /rules: the filled workbook is the answer (it leaves the paste dialog for the workbook's own preview)

    const bad = await filled('bad.xlsx', [clause('AH-1', '安徽省', { 成文日期: '2016-13-40' }), clause('AH-2', '江苏省')], [
      question('AH-1', 'AH-1-Q', { 正确答案: 'E' }),
      question('AH-9', 'AH-9-Q'),
    ], fromBot);
    await bot.handleUpdate(h.tg.push(h.tg.documentUpdate(trainer.user, h.tg.addUserFile('要求.xlsx', readFileSync(bad)))));
    const errors = trainer.lastText();
    expect(errors).toContain('导入失败，没有做任何修改。共 4 处错误');
    expect(errors).toContain('「条款」表第 2 行「成文日期」列：日期“2016-13-40”无效');
    expect(errors).toContain('「条款」表第 3 行「地区」列：地区“江苏省”与前面的“安徽省”不同');
    expect(errors).toContain('「题目」表第 2 行「正确答案」列：正确答案“E”超出范围：本题只有 3 个选项');
    expect(errors).toContain('「题目」表第 3 行「条款编号」列：条款编号“AH-9”在「条款」表中不存在');
    expect(catalogSize()).toBe(before);

    const good = await filled('good.xlsx', [clause('AH-1', '安徽省'), clause('AH-2', '安徽省', { 条款原文: '帮扶责任人应当参加年度培训。', '条款原文(英文)': '' })], [
      question('AH-1', 'AH-1-Q'),
    ], fromBot);
    await bot.handleUpdate(h.tg.push(h.tg.documentUpdate(trainer.user, h.tg.addUserFile('要求.xlsx', readFileSync(good)))));
    expect(trainer.lastText()).toContain('待发布：省级要求（安徽省），文件 1 份、条款 2 条、题目 1 道');
    expect(trainer.lastText()).toContain('AH-1 帮扶责任人每季度至少召开一次户情分析会。');
    // nothing is published before the confirmation
    expect(catalogSize()).toBe(before);
    expect(importedPacks(h.deps)).toEqual([]);
    await trainer.press('📤 发布');
    expect(trainer.lastText()).toContain('已发布 省级要求 2 条、题目 1 道');
    expect(catalogSize()).toBe(before + 1);

    // the clause binds this district (in 安徽省): its question is in the practice pool and the helper's list
    expect(catalogOf(h.deps).questions.map((q) => q.id)).toContain('AH-1-Q');
    expect(liveRequirements(h.deps).map((l) => l.req.id)).toContain('AH-1');
    await helper.send('/quiz');
    await helper.press('📋 我的应知应会');
    expect(helper.lastText()).toContain('帮扶责任人每季度至少召开一次户情分析会');
  });

  it('from the CLI: pack-template, bad cells named, preview without --yes, publication with it; another province stays out', async () => {
    const h = makeHarness();
    const lines: string[] = [];
    const env = { ...h.cli(), out: (l: string) => void lines.push(l) };
    const template = join(dir, 'cli-template.xlsx');
    expect(await packTemplate(env, template)).toBe(0);
    expect(lines.at(-1)).toBe(`已写入要求模板：${template}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(template);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['条款', '题目']);

    const bad = await filled('cli-bad.xlsx', [clause('JS-1', '江苏省', { 生效日期: '' })], [question('JS-1', 'JS-1-Q', { 解析: '' })]);
    lines.length = 0;
    expect(await importPack(env, [bad])).toBe(1);
    expect(lines.join('\n')).toContain('「条款」表第 2 行「生效日期」列：必填，不能为空');
    expect(lines.join('\n')).toContain('「题目」表第 2 行「解析」列');

    // in the reader's language
    const en: string[] = [];
    expect(await importPack({ ...env, t: h.deps.i18n.forLocale('en'), out: (l: string) => void en.push(l) }, [bad])).toBe(1);
    expect(en.join('\n')).toContain('Sheet “条款”, row 2, column “生效日期”: Required; may not be empty');

    const good = await filled('cli-good.xlsx', [clause('JS-1', '江苏省')], [question('JS-1', 'JS-1-Q')]);
    lines.length = 0;
    expect(await importPack(env, [good])).toBe(0);
    expect(lines.join('\n')).toContain('待发布：省级要求（江苏省），文件 1 份、条款 1 条、题目 1 道');
    expect(lines.join('\n')).toContain('不是本区所在的 安徽省 / 亳州市');
    expect(lines.at(-1)).toContain('--yes');
    expect(importedPacks(h.deps)).toEqual([]);
    expect(await importPack(env, [good, '--yes'])).toBe(0);
    expect(lines.at(-1)).toContain('已发布 省级要求 1 条、题目 1 道。');
    expect(importedPacks(h.deps).map((p) => p.region)).toEqual(['江苏省']);
    // another province's clause reaches nobody here
    expect(catalogOf(h.deps).questions.map((q) => q.id)).not.toContain('JS-1-Q');
    expect(liveRequirements(h.deps).map((l) => l.req.id)).not.toContain('JS-1');
    expect(await importPack(env, [])).toBe(2);
    expect(await importPack(env, [good, '--force'])).toBe(2);
  });

  it('runs as `npm run admin -- pack-template` / `import-pack`: the untouched template checks clean and waits for --yes', () => {
    const env = { ...process.env, DATABASE_PATH: join(dir, 'cli.sqlite') };
    const template = join(dir, 'spawned-template.xlsx');
    execFileSync(process.execPath, adminArgs('pack-template', template), { env });
    const preview = spawnSync(process.execPath, adminArgs('import-pack', template), { env, encoding: 'utf8' });
    expect(preview.status).toBe(0);
    expect(preview.stdout).toContain('文件 1 份、条款 1 条、题目 1 道');
    expect(preview.stdout).toContain('--yes');
    const published = spawnSync(process.execPath, adminArgs('import-pack', template, '--yes'), { env, encoding: 'utf8' });
    expect(published.status).toBe(0);
    expect(published.stdout).toContain('已发布 省级要求 1 条、题目 1 道');
    expect(spawnSync(process.execPath, adminArgs('import-pack'), { env, encoding: 'utf8' }).status).toBe(2);
  });
});
