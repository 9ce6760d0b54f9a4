/** A minimal .docx (one paragraph per line) written with the hand-made zip writer, for import tests. */
import { part, writeZip, type ZipPart } from './zip-writer.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function docxParts(lines: string[]): ZipPart[] {
  const body = lines.map((l) => `<w:p><w:r><w:t xml:space="preserve">${esc(l)}</w:t></w:r></w:p>`).join('');
  return [
    part('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    part('word/document.xml', `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`),
  ];
}

export function writeDocx(file: string, lines: string[]): string {
  writeZip(file, docxParts(lines));
  return file;
}

/** A provincial notice as a trainer would send it: title, 文号, numbered clauses, signing date. */
export const NOTICE = [
  '某省关于进一步加强帮扶责任人管理的通知',
  '某扶组发〔2018〕12号',
  '各市、县扶贫开发领导小组：',
  '一、帮扶责任人每月入户走访不少于2次。',
  '二、每次走访后5个工作日内在帮扶手册上记录走访情况。',
  '三、各地要加强组织领导。',
  '某省扶贫开发领导小组',
  '2018年3月5日',
];
