/**
 * Which requirements and questions bind a district's helpers on a given day: national and district ones always,
 * a province's only in that province, a city's only in that city; and only between the day they took force and the
 * day a replacing document ended them.
 */
import type { Level } from '../quiz/types.js';
import type { DistrictPlace } from './types.js';

/** Anything with a level and a region (a requirement or a question). */
export interface Placed {
  level: Level;
  region: string;
}

/**
 * True when an item of this level and region binds helpers of the district. A district that names no province
 * (or city) sees every provincial (or municipal) item: nothing to choose between.
 */
export function appliesTo(item: Placed, place: DistrictPlace): boolean {
  if (item.level === 'provincial') return place.province === undefined || sameRegion(item.region, place.province);
  if (item.level === 'municipal') return place.city === undefined || sameRegion(item.region, place.city);
  return true;
}

/** Regions compare without surrounding space and without a trailing 省/市 written or not (安徽 = 安徽省). */
export function sameRegion(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/[省市]$/u, '');
  return norm(a) !== '' && norm(a) === norm(b);
}

/** True when `day` (YYYY-MM-DD) lies in [from, ceased). */
export function inForceOn(item: { from: string; ceased?: string }, day: string): boolean {
  return item.from <= day && (item.ceased === undefined || day < item.ceased);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The first day a date known as precisely as YYYY, YYYY-MM or YYYY-MM-DD is certainly past: the date itself, or the
 * last day of the year or month (a clause known only by its month is not asked before that month is over).
 * Undefined for anything else.
 */
export function certainFrom(partial: string): string | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(partial.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  if (m[3] !== undefined) {
    const month = Number(m[2]);
    const day = Number(m[3]);
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const max = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
    return month >= 1 && month <= 12 && day >= 1 && max !== undefined && day <= max ? partial.trim() : undefined;
  }
  if (m[2] !== undefined) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return undefined;
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const last = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
    return `${m[1]}-${m[2]}-${String(last).padStart(2, '0')}`;
  }
  return `${m[1]}-12-31`;
}
