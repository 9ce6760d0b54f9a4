import { describe, expect, it, beforeAll } from 'vitest';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededDistrict, type District } from './stats-fixture.js';
import type { TestUser } from '../support/harness.js';
import { towns, units, villages, cardReviews } from '../../src/db/schema.js';
import { exportCommand } from '../../src/cli/export-commands.js';

const NOT_YOURS = '您无权查看或修改这条记录。';
const NOT_ROLE = '这个功能不对您的角色开放。发送 /help 查看您能用的功能。';

describe('scope is enforced on every route', () => {
  let d: District;
  let id: { T02: number; U02: number; V0201: number; H0005: number; H0001: number };
  beforeAll(async () => {
    d = await seededDistrict();
    const db = d.h.db;
    id = {
      T02: db.select().from(towns).where(eq(towns.code, 'T02')).get()!.id,
      U02: db.select().from(units).where(eq(units.code, 'U02')).get()!.id,
      V0201: db.select().from(villages).where(eq(villages.code, 'V0201')).get()!.id,
      H0005: d.household('H0005'),
      H0001: d.household('H0001'),
    };
  }, 60_000);

  /** Presses forged callback data; returns the alert text and whatever was sent to the chat. */
  async function forge(u: TestUser, data: string): Promise<{ alert?: string; sent: string[] }> {
    u.takeTexts();
    const before = d.h.tg.callbackAnswers.length;
    await u.pressData(data, u.last());
    return { alert: d.h.tg.callbackAnswers.slice(before).at(-1)?.text, sent: u.takeTexts() };
  }

  it('a unit head cannot reach another unit, a town, the district, or their households and cards', async () => {
    const u = d.users.sun;
    for (const data of [
      'st:y:v:t:' + id.T02,
      'st:y:h:u:' + id.U02,
      'st:y:h:v:' + id.V0201,
      'st:y:t:d:0',
      'st:y:-:h:' + d.person.zhang,
      'sc:y:t:d:0',
      'sc:y:h:u:' + id.U02,
      'sh:' + id.H0005,
      'rv:c:' + d.card.c4,
      'rv:s:' + d.card.c4 + ':1:0',
      'rv:f:' + d.card.c4 + ':1:0',
    ]) {
      const r = await forge(u, data);
      expect(r.alert, data).toBe(NOT_YOURS);
      expect(r.sent, data).toEqual([]);
    }
  });

  it('a town office cannot reach another town, its villages, units, helpers or households', async () => {
    const u = d.users.zhou;
    for (const data of ['st:y:v:t:' + id.T02, 'st:y:h:v:' + id.V0201, 'st:y:h:u:' + id.U02, 'st:y:-:h:' + d.person.zhang, 'st:y:v:d:0', 'sh:' + id.H0005, 'rv:c:' + d.card.c4]) {
      const r = await forge(u, data);
      expect(r.alert, data).toBe(NOT_YOURS);
      expect(r.sent, data).toEqual([]);
    }
    // malformed or stale data changes nothing either
    for (const data of ['st:y:x:t:1', 'st:zz:v:t:1', 'st:y:v:t:-1', 'st:y:v:t', 'sh:abc']) {
      const r = await forge(u, data);
      expect(r.sent, data).toEqual([]);
    }
  });

  it('a helper reaches no supervision data, no other helper\'s receipt, no other helper\'s review', async () => {
    const u = d.users.wang;
    for (const data of ['st:y:t:d:0', 'sc:y:t:d:0', 'sh:' + id.H0001, 'rv:c:' + d.card.c1, 'ex:cards']) {
      const r = await forge(u, data);
      expect(r.alert, data).toBe(NOT_ROLE);
      expect(r.sent, data).toEqual([]);
    }
    for (const cmd of ['/stats', '/export']) {
      await u.send(cmd);
      expect(u.lastText()).toBe(NOT_ROLE);
    }
    const receipt = await forge(u, 'rc:' + d.card.c4); // 张强's household
    expect(receipt.alert).toBe(NOT_YOURS);
    expect(u.inbox().filter((m) => m.method === 'sendPhoto')).toHaveLength(0);

    // a review meant for 王小明 pressed by 张强
    const review = d.h.db
      .insert(cardReviews)
      .values({ cardId: d.card.c1, householdId: id.H0001, supervisorId: d.person.sun, helperId: d.person.wang, fieldPath: 'duration_min', comment: '核实', createdAt: d.h.clock.now })
      .returning()
      .get();
    const r = await forge(d.users.zhang, 'ro:' + review.id);
    expect(r.alert).toBe(NOT_YOURS);
    expect(d.h.db.select().from(cardReviews).where(eq(cardReviews.id, review.id)).get()!.status).toBe('sent');
  });

  it('exports hold only the scope: a unit head\'s workbook and the CLI with --scope', async () => {
    const u = d.users.sun;
    await u.send('/export');
    await u.press('全部动态信息卡');
    const doc = u.inbox().filter((m) => m.method === 'sendDocument').at(-1)!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(doc.file!.bytes as never);
    const codes = wb.worksheets[0].getColumn(2).values.slice(2);
    // C1, C2, C3 (王小明) and C5 (李红, 2016: every card is exported whatever its date); not 张强's C4 (U02)
    expect(codes.sort()).toEqual(['H0001', 'H0001', 'H0002', 'H0004']);
  });

  it('the CLI export follows --scope and refuses an unknown one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scope-export-'));
    const lines: string[] = [];
    const env = { ...d.h.cli(), out: (l: string) => void lines.push(l) };
    expect(await exportCommand(env, ['households', join(dir, 'h.xlsx'), '--scope', 'town:T02'])).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'h.xlsx'));
    expect(wb.worksheets[0].getColumn(1).values.slice(2)).toEqual(['H0005', 'H0006']);
    expect(await exportCommand(env, ['households', join(dir, 'x.xlsx'), '--scope', 'town:T99'])).toBe(1);
    expect(await exportCommand(env, ['everything', join(dir, 'x.xlsx')])).toBe(2);
  });
});
