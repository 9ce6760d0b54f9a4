/** The rules workbook template (sheets 条款 and 题目; read by src/content/pack-spreadsheet.ts). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { C, CLAUSE_HEADERS, CLAUSE_SHEET, Q, QUESTION_HEADERS, QUESTION_SHEET } from '../content/pack-spreadsheet.js';
import { writeWorkbook } from './xlsx.js';

/**
 * Writes the template: both sheets with bold frozen headers and one example clause with its question. Written by the
 * streaming writer of the exports, so the bot loads no spreadsheet library to send it.
 */
export async function writePackTemplate(file: string): Promise<void> {
  const ex: Record<string, string> = {
    [C.id]: 'P-1', [C.level]: '省级', [C.region]: '（示例）某省', [C.title]: '（示例，导入前请删除）关于帮扶责任人工作的通知',
    [C.number]: '某扶组发〔2018〕12号', [C.date]: '2018-03-05', [C.effective]: '2018-03-05',
    [C.textZh]: '帮扶责任人每月入户走访不少于2次。', [C.textEn]: 'Helpers visit each household at least twice a month.',
    [C.source]: '省扶贫办网站 2018-03-05 公布的原文',
  };
  const qx: Record<string, string> = {
    [Q.clause]: 'P-1', [Q.id]: 'P-1-Q1', [Q.textZh]: '帮扶责任人每月至少入户走访几次？', [Q.textEn]: 'How often at least must a helper visit each month?',
    选项A: '1次', '选项A(英文)': 'Once', 选项B: '2次', '选项B(英文)': 'Twice', 选项C: '4次', '选项C(英文)': 'Four times',
    [Q.answer]: 'B', [Q.explanationZh]: '通知规定每月不少于2次。', [Q.explanationEn]: 'The notice says at least twice a month.',
  };
  const columns = (headers: string[]) => headers.map((h) => ({ header: h, key: h, width: 16 }));
  await writeWorkbook(file, [
    { name: CLAUSE_SHEET, columns: columns(CLAUSE_HEADERS), rows: [ex] },
    { name: QUESTION_SHEET, columns: columns(QUESTION_HEADERS), rows: [qx] },
  ]);
}

/** The template as bytes (the bot sends it to a trainer). */
export async function packTemplateBytes(): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'pack-template-'));
  try {
    const file = join(dir, 'template.xlsx');
    await writePackTemplate(file);
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

