/** Masking of personal data: numbers are stored as imported but never shown whole. */

/** 138****5678: keeps the first 3 and last 4 digits of a phone number. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const p = phone.replace(/\s+/g, '');
  if (p.length <= 7) return '*'.repeat(p.length);
  return `${p.slice(0, 3)}${'*'.repeat(p.length - 7)}${p.slice(-4)}`;
}

/** 110101********123X: keeps the 6-digit region prefix and the last 4 characters of an ID number. */
export function maskIdNumber(id: string | null | undefined): string {
  if (!id) return '';
  const s = id.trim();
  if (s.length <= 10) return '*'.repeat(s.length);
  return `${s.slice(0, 6)}${'*'.repeat(s.length - 10)}${s.slice(-4)}`;
}

const ID_RE = /(?<!\d)(\d{6})(\d{8})(\d{3}[\dXx])(?!\d)/g;
const PHONE_RE = /(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g;
const ELEVEN_DIGITS = /\d{11}/;
const BANK_RE = /(?<!\d)(\d{12,15})(\d{4})(?!\d)/g;

/** Masks anything that looks like an ID, bank or mobile number inside free text (log lines, error reports). */
export function maskPersonalNumbers(text: string): string {
  // each pattern needs 11 digits in a row: most texts have none, and the three look-behind scans cost more
  if (!ELEVEN_DIGITS.test(text)) return text;
  return text
    .replace(ID_RE, (_m, a: string, b: string, c: string) => `${a}${'*'.repeat(b.length)}${c.slice(-4)}`)
    .replace(BANK_RE, (_m, a: string, b: string) => `${'*'.repeat(a.length)}${b}`)
    .replace(PHONE_RE, (_m, a: string, _b: string, c: string) => `${a}****${c}`);
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643 check: 18 characters, a valid birth date, and the mod-11 check character. */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1900) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11] === id[17].toUpperCase();
}

export const MOBILE_RE = /^1[3-9]\d{9}$/;

/**
 * An ID number in a spreadsheet: only the 6-digit region (which the district already tells). The birth date,
 * sequence and check digits stay hidden, so no other column (a birth year, the region) completes the number.
 */
export function maskIdNumberForExport(id: string | null | undefined): string {
  if (!id) return '';
  const s = id.trim();
  return s.length <= 6 ? '*'.repeat(s.length) : `${s.slice(0, 6)}${'*'.repeat(s.length - 6)}`;
}

/** NUL, other C0 controls but tab and newline, and direction overrides and isolates (which reorder what is shown). */
const HIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C]/g;

/**
 * Free text for a spreadsheet cell: hidden characters stripped, and a leading = + - @ (or tab / carriage return)
 * prefixed with an apostrophe, so saving the sheet as CSV and opening it again cannot make it a formula.
 */
export function safeCellText(s: string): string {
  const clean = s.replace(HIDDEN_CHARS, '');
  return /^[=+\-@\t\r]/.test(clean) ? `'${clean}` : clean;
}
