/**
 * Exports as use cases: the offer, the checks, one workbook for the supervisor's own scope (recorded in the audit
 * log), and the sheet layout on its own (rows in, masked cells out) without a database.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { actions, lines, makeFixture, type Fixture } from './supervision-fixture.js';
import { exportForSupervisor, exportOffer, exportRequest } from '../../src/app/export.js';
import { exportSheets, type ExportRows } from '../../src/reports/export-sheets.js';
import { createTranslator } from '../../src/i18n.js';
import { auditLog } from '../../src/db/schema.js';

const t = createTranslator('zh-CN').forLocale('zh-CN');
let f: Fixture;
beforeAll(() => {
  f = makeFixture();
  f.card('H0001', 'wang', '2017-11-10');
  f.card('H0005', 'zhang', '2017-11-01');
});

describe('exports for a supervisor', () => {
  it('the offer: one action per spreadsheet; refused to anyone else', () => {
    const r = exportOffer(f.deps, f.actor('zhou'));
    expect(r.ok && lines(r.value)).toEqual(['export.pick']);
    expect(r.ok && actions(r.value)).toEqual(['export:kind:households', 'export:kind:cards', 'export:kind:quiz', 'export:kind:archive']);
    for (const a of [f.actor('wang'), f.actor('zhao'), undefined]) {
      expect(exportOffer(f.deps, a)).toEqual({ ok: false, reason: 'role' });
      expect(exportRequest(f.deps, a, 'cards')).toEqual({ ok: false, reason: 'role' });
    }
    expect(exportRequest(f.deps, f.actor('zhou'), 'everything')).toEqual({ ok: false, reason: 'stale' });
    expect(exportRequest(f.deps, f.actor('zhou'), 'cards')).toEqual({ ok: true, value: 'cards' });
  });

  it('a unit head\'s workbook holds only the unit, is named in the reader\'s words, and is recorded', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'app-export-')), 'w.xlsx');
    const r = await exportForSupervisor(f.deps, f.actor('sun'), 'households', { file, t, locale: 'zh-CN' });
    if (!r.ok) throw new Error(r.reason);
    expect(r.value).toMatchObject({ rows: 4, sheets: 1, caption: { key: 'export.caption', params: { rows: 4, sheets: 1 } } });
    expect(f.say(r.value.fileName)).toBe('export.file.households-2017-11-15.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets[0].getColumn(1).values.slice(2)).toEqual(['H0001', 'H0002', 'H0003', 'H0004']);
    const audit = f.db.select().from(auditLog).where(eq(auditLog.action, 'export')).all().at(-1)!;
    expect(audit.personId).toBe(f.person('sun'));
    expect(JSON.parse(audit.detail!)).toEqual({ kind: 'households', scope: `unit:${f.id('units', 'U01')}`, rows: 4, via: 'bot' });
  });

  it('nothing is written for a helper or a kind that does not exist', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'app-export-')), 'w.xlsx');
    expect(await exportForSupervisor(f.deps, f.actor('wang'), 'cards', { file, t, locale: 'zh-CN' })).toEqual({ ok: false, reason: 'role' });
    expect(await exportForSupervisor(f.deps, f.actor('wu'), '../etc', { file, t, locale: 'zh-CN' })).toEqual({ ok: false, reason: 'stale' });
  });
});

describe('the sheet layout, from rows alone', () => {
  const none = () => [][Symbol.iterator]();
  const rows: ExportRows = {
    households: (from, to) => {
      expect([from, to]).toEqual(['2017-01-01', '2018-01-01']);
      return [
        {
          code: 'H1', headName: '=cmd', headIdNumber: '41052319650302123X', attribute: null, status: '未脱贫', cause: '因病', town: '城关镇',
          village: '东沟村', helpers: '王小明', units: '区教育局', inPersonDates: ['2017-03-01', '2017-09-01'], allVisits: 3, openFlags: 1,
        },
      ];
    },
    cards: none,
    quizDeliveries: none,
    quizSummary: none,
    archive: () => [
      { code: 'H1', headName: '李', village: '东沟村', revisions: [] },
      {
        code: 'H2', headName: '王', village: '东沟村',
        revisions: [
          { cardId: 7, visitDate: '2017-05-01', visitMode: '入户走访', helper: '王小明', revision: 2, author: '王小明', at: 0, reason: '身份证 41052319650302123X 写错', changes: [{ field: 'head_id', old: '41052319650302123X', new: '410523196503021231' }], hash: 'ab'.repeat(20) },
        ],
      },
    ],
  };
  const o = { t, locale: 'zh-CN' as const, form: undefined as never, timeZone: 'Asia/Shanghai', now: Date.parse('2017-11-15T02:00:00Z'), target: 6 };

  it('households × visits: the ID number shows its region only, pace and the next due date follow the visits', async () => {
    const [sheet] = exportSheets('households', rows, { ...o, form: f.deps.content.card });
    const [row] = [...(sheet.rows as Iterable<Record<string, unknown>>)];
    expect(row).toMatchObject({ household_code: 'H1', head_name: '=cmd', head_id: '410523************', visits_year: 2, pace: '逾期未走访', last_visit: '2017-09-01', visit_dates: '2017-03-01、2017-09-01', open_flags: 1 });
  });

  it('the archive: a household without cards says so; a change to an ID number is masked, in the reason too', () => {
    const [sheet] = exportSheets('archive', rows, { ...o, form: f.deps.content.card });
    const out = [...(sheet.rows as Iterable<Record<string, unknown>>)];
    expect(out[0]).toMatchObject({ household_code: 'H1', changes: '（尚无动态信息卡）' });
    expect(JSON.stringify(out[1])).not.toContain('41052319650302123X');
    expect(String(out[1].changes)).toContain('410523************');
    expect(out[1].hash).toBe('ab'.repeat(8));
  });
});
