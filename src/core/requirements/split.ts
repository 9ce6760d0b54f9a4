/**
 * A provincial or municipal notice as plain text, split into its numbered clauses (一、 （一） 1. 1、 （1） 第一条), with
 * what its first lines say about it (title, 文号, date). Nothing is guessed beyond what the text shows.
 */

export interface Clause {
  /** the clause's own number as written ("一、", "（二）", "3.") */
  label: string;
  text: string;
}

export interface DocumentHead {
  title: string;
  /** 文号 as written, or '' */
  number: string;
  /** YYYY-MM-DD from the last Chinese date in the text (the signing line), or '' */
  date: string;
}

/** Longest clause kept (a clause longer than this is cut, with an ellipsis). */
export const MAX_CLAUSE_CHARS = 600;
/** Most clauses taken from one document. */
export const MAX_CLAUSES = 200;

const NUMBERED = /^\s*(第[一二三四五六七八九十百零〇\d]+条|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d{1,3}[.．、](?!\d)|[（(]\d{1,3}[)）]|[①-⑳])\s*/u;
const DOC_NUMBER = /[\u4e00-\u9fa5]{1,12}[〔[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*\d{1,4}\s*号/u;
const CN_DATE = /((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/gu;

/** The document's head: the first non-empty line as title, the first 文号, the last full Chinese date. */
export function documentHead(text: string): DocumentHead {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const title = (lines.find((l) => !NUMBERED.test(l) && !DOC_NUMBER.test(l)) ?? '').slice(0, 80);
  const number = DOC_NUMBER.exec(text)?.[0].replace(/\s+/g, '') ?? '';
  let date = '';
  for (const m of text.matchAll(CN_DATE)) {
    const [y, mo, d] = [m[1]!, Number(m[2]), Number(m[3])];
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31) date = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
  return { title, number, date };
}

/** The numbered clauses in order; lines before the first number (title, preamble) are not clauses. */
export function splitClauses(text: string): Clause[] {
  const out: Clause[] = [];
  let cur: Clause | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const m = NUMBERED.exec(line);
    if (m) {
      if (out.length >= MAX_CLAUSES) break;
      cur = { label: m[1]!, text: line.slice(m[0].length) };
      out.push(cur);
    } else if (cur) cur.text += line;
  }
  return out
    .map((c) => ({ label: c.label, text: cut(c.text.replace(/\s+/g, ' ').trim()) }))
    .filter((c) => c.text.length >= 4);
}

const cut = (s: string): string => (Array.from(s).length > MAX_CLAUSE_CHARS ? `${Array.from(s).slice(0, MAX_CLAUSE_CHARS).join('')}…` : s);
