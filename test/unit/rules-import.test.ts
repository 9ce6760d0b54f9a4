import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentHead, draftQuestion, splitClauses } from '../../src/core/requirements/index.js';
import { parseTypedQuestion } from '../../src/app/quiz/rules-import.js';
import { readDocumentText } from '../../src/content/docx-reader.js';
import { bombPart, part, writeZip } from '../support/zip-writer.js';
import { docxParts, NOTICE, writeDocx } from '../support/docx.js';

const dir = mkdtempSync(join(tmpdir(), 'rules-unit-'));

describe('a notice split into clauses', () => {
  it('finds numbered clauses, its title, 文号 and signing date', () => {
    const text = NOTICE.join('\n');
    expect(splitClauses(text).map((c) => c.label)).toEqual(['一、', '二、', '三、']);
    expect(splitClauses(text)[0]!.text).toBe('帮扶责任人每月入户走访不少于2次。');
    expect(documentHead(text)).toEqual({ title: '某省关于进一步加强帮扶责任人管理的通知', number: '某扶组发〔2018〕12号', date: '2018-03-05' });
    expect(splitClauses('（一）第一条\n接着写\n（二）第二条内容\n1. 小点内容')).toEqual([
      { label: '（一）', text: '第一条接着写' },
      { label: '（二）', text: '第二条内容' },
      { label: '1.', text: '小点内容' },
    ]);
    expect(splitClauses('没有编号的一段话。')).toEqual([]);
  });

  it('drafts a question from a number and its unit, with neighbouring numbers; none without a number', () => {
    const q = draftQuestion('帮扶责任人每月入户走访不少于2次。', 's')!;
    expect(q.text.zh).toContain('不少于____次');
    expect(q.options[q.answer]!.zh).toBe('2次');
    expect(new Set(q.options.map((o) => o.zh)).size).toBe(4);
    expect(draftQuestion('各地要加强组织领导。', 's')).toBeUndefined();
    expect(draftQuestion('5个工作日内记录。', 's')!.options[draftQuestion('5个工作日内记录。', 's')!.answer]!.zh).toBe('5个工作日');
  });

  it('reads a typed question: text, options, answer; refuses an incomplete one', () => {
    expect(parseTypedQuestion('每月至少走访几次？\nA. 1次\nB. 2次\nC. 4次\n答案：B')).toMatchObject({ answer: 1, options: [{ zh: '1次' }, { zh: '2次' }, { zh: '4次' }] });
    expect(parseTypedQuestion('每月至少走访几次？\nA. 1次\n答案：A')).toBeUndefined();
    expect(parseTypedQuestion('每月至少走访几次？\nA. 1次\nB. 2次\n答案：D')).toBeUndefined();
  });
});

describe('reading a notice file safely', () => {
  it('reads a .docx paragraph by paragraph and a UTF-8 .txt', async () => {
    const r = await readDocumentText(writeDocx(join(dir, 'n.docx'), NOTICE), 'n.docx');
    expect(r).toEqual({ ok: true, text: NOTICE.join('\n') });
    writeFileSync(join(dir, 'n.txt'), `\uFEFF${NOTICE.join('\r\n')}`);
    const t = await readDocumentText(join(dir, 'n.txt'), 'n.txt');
    expect(t.ok && splitClauses(t.text).length).toBe(3);
  });

  it('refuses hostile and wrong files without inflating them whole', async () => {
    const bomb = join(dir, 'bomb.docx');
    writeZip(bomb, [await bombPart('word/document.xml', '<w:document><w:body><w:p><w:r><w:t>', 40, '</w:t></w:r></w:p></w:body></w:document>')]);
    expect(await readDocumentText(bomb, 'bomb.docx', { maxInflatedBytes: 8 * 1024 * 1024, maxChars: 200_000 })).toEqual({ ok: false, error: { problem: 'too_big' } });
    const liar = join(dir, 'liar.docx');
    const p = await bombPart('word/document.xml', '<w:document><w:body><w:p><w:r><w:t>', 40, '</w:t></w:r></w:p></w:body></w:document>');
    writeZip(liar, [{ ...p, declaredSize: 1000 }]);
    const lied = await readDocumentText(liar, 'liar.docx', { maxInflatedBytes: 8 * 1024 * 1024, maxChars: 200_000 });
    expect(lied.ok).toBe(false);
    const noBody = join(dir, 'nobody.docx');
    writeZip(noBody, [part('word/other.xml', '<x/>')]);
    expect(await readDocumentText(noBody, 'nobody.docx')).toEqual({ ok: false, error: { problem: 'not_document' } });
    writeFileSync(join(dir, 'not.docx'), 'plain text, not a zip');
    expect(await readDocumentText(join(dir, 'not.docx'), 'not.docx')).toEqual({ ok: false, error: { problem: 'not_document' } });
    writeFileSync(join(dir, 'gbk.txt'), Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0xff]));
    expect(await readDocumentText(join(dir, 'gbk.txt'), 'gbk.txt')).toEqual({ ok: false, error: { problem: 'not_document' } });
    const long = join(dir, 'long.docx');
    writeZip(long, docxParts(Array.from({ length: 50 }, () => '很长的段落'.repeat(100))));
    expect(await readDocumentText(long, 'long.docx', { maxInflatedBytes: 8 * 1024 * 1024, maxChars: 1000 })).toEqual({ ok: false, error: { problem: 'too_long' } });
  });
});
