/**
 * Resident ID numbers (GB 11643, 18 characters): the check digit, and the birth date and sex they encode
 * (digits 7–14 are YYYYMMDD, digit 17 is odd for men). A card reads both from the number instead of asking.
 */
import { isDateString } from './dates.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11643 18-character ID number with its check digit. */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17];
}

/** The birth date an ID number encodes, or null when the number is not valid. */
export function idBirthDate(id: string): string | null {
  if (!isValidIdNumber(id)) return null;
  const d = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  return isDateString(d) ? d : null;
}

/** The sex an ID number encodes, as the card's choice value ('男' / '女'), or null when the number is not valid. */
export function idGender(id: string): '男' | '女' | null {
  if (!isValidIdNumber(id)) return null;
  return Number(id[16]) % 2 === 1 ? '男' : '女';
}
