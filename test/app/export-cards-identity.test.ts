/**
 * The all-cards export, made faster, writes the same workbook: every cell of every sheet, read back with exceljs,
 * equals what the implementation before the speed-up wrote for the same district (test/fixtures/export-cards-before.json,
 * written by that implementation from test/support/export-cards-district.ts), in both languages.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cardsExportReadBack, seedExportDistrict, type CellOut } from '../support/export-cards-district.js';
import Database from 'better-sqlite3';
import { openDb } from '../../src/db/client.js';
import { exportCardRows } from '../../src/db/export-repo.js';
import { loadContent } from '../../src/content/index.js';

const before = JSON.parse(readFileSync(new URL('../fixtures/export-cards-before.json', import.meta.url), 'utf8')) as Record<
  'zh-CN' | 'en',
  Array<{ name: string; rows: CellOut[][] }>
>;

describe('all-cards export: the same cells as before', () => {
  for (const locale of ['zh-CN', 'en'] as const) {
    it(`${locale}: six sheets, each cell as the previous writer wrote it`, async () => {
      const now = await cardsExportReadBack(locale);
      expect(now.map((s) => [s.name, s.rows.length])).toEqual(before[locale].map((s) => [s.name, s.rows.length]));
      // the fixture holds the awkward cases it is meant to cover
      const cells = before[locale].flatMap((s) => s.rows.flat());
      expect(cells).toContain("'=SUM(A1:A2)");
      expect(cells).toContain('两行\n第二行');
      expect(cells.filter((c) => typeof c === 'number').length).toBeGreaterThan(1000);
      for (let s = 0; s < now.length; s++) {
        for (let r = 0; r < now[s].rows.length; r++) expect(now[s].rows[r], `${now[s].name} row ${r + 1}`).toEqual(before[locale][s].rows[r]);
      }
    });
  }
});

describe('the export reads on a connection of its own', () => {
  it('sees only committed cards, beside a write transaction the bot holds open', () => {
    const content = loadContent('content');
    if (!content.ok) throw new Error(content.errors.join('\n'));
    const db = openDb(join(mkdtempSync(join(tmpdir(), 'export-reader-')), 'd.sqlite'));
    seedExportDistrict(db, [content.content.forms.get('dynamic_card')!], 5, Date.UTC(2017, 0, 1));
    const ids = () => [...exportCardRows(db, { kind: 'district' })].map((r) => r.id);
    expect(ids()).toEqual([1, 2, 3, 4, 5]);
    db.$client.exec('BEGIN IMMEDIATE');
    db.$client.prepare('UPDATE cards SET id = 99 WHERE id = 5').run();
    // a half-written change is not exported (on the bot's own connection it would be)
    expect(ids()).toEqual([1, 2, 3, 4, 5]);
    db.$client.exec('COMMIT');
    expect(ids()).toEqual([1, 2, 3, 4, 99]);
    // an export abandoned after its first row (a failed upload, an error) closes its connection all the same
    const close = Database.prototype.close;
    let closed = 0;
    Database.prototype.close = function (this: Database.Database) {
      closed++;
      return close.call(this);
    };
    try {
      const it = exportCardRows(db, { kind: 'district' });
      expect(it.next().value?.id).toBe(1);
      expect(closed).toBe(0);
      it.return(undefined);
      expect(closed).toBe(1);
    } finally {
      Database.prototype.close = close;
    }
    db.$client.close();
  });
});
