/**
 * The text of a notice a trainer sends: a .docx (its paragraphs, read from word/document.xml with the spreadsheet
 * reader's zip handling: sizes checked before inflating, inflated bytes counted while streaming, encrypted parts
 * refused) or a UTF-8 .txt. Only text is read: no images, no embedded objects, no external references.
 */
import { readFileSync, statSync } from 'node:fs';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { parsePart, Stop, type Budget, type FileError } from './xlsx-reader.js';

export interface DocLimits {
  /** inflated bytes of all parts read */
  maxInflatedBytes: number;
  /** characters of text kept */
  maxChars: number;
}

export const DOC_LIMITS: DocLimits = { maxInflatedBytes: 16 * 1024 * 1024, maxChars: 200_000 };

export type DocResult = { ok: true; text: string } | { ok: false; error: FileError };

/** A .docx or .txt file as text, one paragraph per line. */
export async function readDocumentText(file: string, name: string, limits: DocLimits = DOC_LIMITS): Promise<DocResult> {
  if (/\.txt$/i.test(name)) return readTxt(file, limits);
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  } catch (e) {
    return { ok: false, error: { problem: /end of central directory|not found/i.test((e as Error).message) ? 'not_document' : 'truncated' } };
  }
  try {
    return await readDocx(zip, limits);
  } catch (e) {
    if (e instanceof Stop) return { ok: false, error: e.error };
    return { ok: false, error: { problem: 'truncated' } };
  } finally {
    zip.close();
  }
}

function readTxt(file: string, limits: DocLimits): DocResult {
  if (statSync(file).size > limits.maxChars * 4) return { ok: false, error: { problem: 'too_long' } };
  const bytes = readFileSync(file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, error: { problem: 'not_document' } };
  }
  if (text.length > limits.maxChars) return { ok: false, error: { problem: 'too_long' } };
  return text.trim() ? { ok: true, text: text.replace(/^\uFEFF/, '') } : { ok: false, error: { problem: 'empty' } };
}

async function readDocx(zip: ZipFile, limits: DocLimits): Promise<DocResult> {
  let body: Entry | undefined;
  let seen = 0;
  for await (const entry of zip.eachEntry()) {
    if (++seen > 10_000) throw new Stop({ problem: 'too_big' });
    if (entry.isEncrypted()) throw new Stop({ problem: 'encrypted' });
    if (entry.fileName.replace(/^\/+/, '') === 'word/document.xml') body = entry;
  }
  if (!body) throw new Stop({ problem: 'not_document' });
  // an honest bomb is refused before inflating; a lying one stops at the budget while streaming
  if (body.uncompressedSize > limits.maxInflatedBytes) throw new Stop({ problem: 'too_big' });
  const budget: Budget = { left: limits.maxInflatedBytes };
  const paragraphs: string[] = [];
  let current: string[] | undefined;
  let inText = false;
  let chars = 0;
  await parsePart(zip, body, budget, (p) => {
    p.on('opentag', (t) => {
      if (t.name === 'w:p') current = [];
      else if (t.name === 'w:t') inText = true;
      else if ((t.name === 'w:tab' || t.name === 'w:br') && current) current.push(' ');
    });
    p.on('text', (s) => {
      if (!inText || !current) return;
      chars += s.length;
      if (chars > limits.maxChars) throw new Stop({ problem: 'too_long' });
      current.push(s);
    });
    p.on('closetag', (t) => {
      if (t.name === 'w:t') inText = false;
      else if (t.name === 'w:p' && current) {
        paragraphs.push(current.join(''));
        current = undefined;
      }
    });
  });
  const text = paragraphs.join('\n').trim();
  return text ? { ok: true, text } : { ok: false, error: { problem: 'empty' } };
}
