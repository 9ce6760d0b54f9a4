/**
 * The all-cards export, made faster, writes the same workbook: every cell of every sheet, read back with exceljs,
 * equals what the implementation before the speed-up wrote for the same district (test/fixtures/export-cards-before.json,
 * written by that implementation from test/support/export-cards-district.ts), in both languages.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cardsExportReadBack, type CellOut } from '../support/export-cards-district.js';

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
