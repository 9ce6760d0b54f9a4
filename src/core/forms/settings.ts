/**
 * District settings as data (content/settings.yaml): visit target and period, poverty lines per (year, region),
 * evidence rules and relapse thresholds. Validated by `validateSettings`; looked up by the card engine.
 */

/**
 * Two poverty-line series that must not be mixed: the statistics bureau's rural line at current prices
 * (`nbs_current`), and the exit line the poverty offices checked registered households against (`exit_line`).
 * `provincial` is a province's own standard for one year.
 */
export const POVERTY_LINE_SERIES = ['nbs_current', 'exit_line', 'provincial'] as const;
export type PovertyLineSeries = (typeof POVERTY_LINE_SERIES)[number];

/** One poverty-line figure: yuan per person per year for a year, a region (`national` or a province) and a series. */
export interface PovertyLine {
  year: number;
  region: string;
  yuan: number;
  series: PovertyLineSeries;
  /** the source ids (docs/content-sources.md), e.g. `[S31]` */
  source: string;
  /** verified | medium | unverified: how sure the figure is (the scale is explained in content/settings.yaml). */
  certainty: 'verified' | 'medium' | 'unverified';
  note?: string;
}

/**
 * A province's (or county's) 防止返贫监测范围 for one year (from 2026 the province's 认定标准): per-capita net income in
 * yuan below which a household is within the monitoring range. It applies to its own year only.
 */
export interface MonitoringRange {
  year: number;
  region: string;
  yuan: number;
  source: string;
  certainty: 'verified' | 'medium' | 'unverified';
  note?: string;
}

/** The settings the card engine, pacing and risk flags read. */
export interface Settings {
  /** the id of the card form (content/forms) helpers fill */
  card_form: string;
  visits: {
    /** in-person visits required per household per period (speech: 6) */
    target: number;
    period: 'calendar_year';
    /** visit_mode values that count toward the target */
    counted_modes: string[];
    min_duration_minutes: number;
    max_backdate_days: number;
  };
  evidence: {
    require_location_start: boolean;
    require_location_end: boolean;
    require_signature_photo: boolean;
    far_from_household_meters: number;
    /** "many cards from one place at one time": radius and window */
    same_place_meters: number;
    same_place_window_minutes: number;
  };
  default_region: string;
  /** the national series a card of 2020 or before is compared with (a provincial row of the card's year wins) */
  poverty_line_series: 'nbs_current' | 'exit_line';
  /** The province and city the district sits in: their requirement packs apply to its helpers. */
  requirements?: { province?: string; city?: string };
  poverty_lines: PovertyLine[];
  /** per (year, region): the monitoring range cards from 2021 are compared with */
  monitoring_ranges: MonitoringRange[];
  /** drinking-water thresholds (T/CHES 18-2018) the card's water check uses */
  water: {
    min_litres_per_person_day: number;
    max_fetch_minutes: number;
    max_days_without_per_year: number;
  };
  relapse: {
    /** flag when per-capita net income < multiple × poverty line (2020 guideline: 1.5) */
    income_multiple: number;
    /** flag when per-capita net income fell by at least this % since the last card */
    income_drop_percent: number;
    /** flag when transfer income is at least this % of gross income */
    transfer_share_percent: number;
    /** flag when out-of-pocket medical costs reach this many yuan */
    large_medical_cost_yuan: number;
  };
}

/** The poverty line a card is compared with: always the row of the card's own year. */
export interface PovertyLineLookup {
  yuan: number;
  year: number;
  region: string;
  series: PovertyLineSeries;
  source: string;
  certainty: PovertyLine['certainty'];
}

/**
 * The poverty line of (year, region): the region's own row of that year, else the national row of that year in the
 * district's series. Never another year's figure: a year without a row has no line (null), so nothing is compared
 * silently with the latest one.
 */
export function povertyLineFor(settings: Settings, year: number, region?: string): PovertyLineLookup | null {
  const reg = region ?? settings.default_region;
  const rows = settings.poverty_lines.filter((l) => l.year === year);
  const best =
    (reg !== 'national' ? rows.find((l) => l.region === reg) : undefined) ??
    rows.find((l) => l.region === 'national' && l.series === settings.poverty_line_series);
  if (!best) return null;
  return { yuan: best.yuan, year: best.year, region: best.region, series: best.series, source: best.source, certainty: best.certainty };
}

/** The monitoring range of (year, region): the region's row of that year, else the national reference of that year. */
export function monitoringRangeFor(settings: Settings, year: number, region?: string): MonitoringRange | null {
  const reg = region ?? settings.default_region;
  const rows = settings.monitoring_ranges.filter((r) => r.year === year);
  return rows.find((r) => r.region === reg) ?? rows.find((r) => r.region === 'national') ?? null;
}

/** Reads a numeric or boolean setting by dotted path (e.g. `evidence.require_location_start`); null if absent. */
export function settingAt(settings: Settings, path: string): number | boolean | string | null {
  let cur: unknown = settings;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return null;
    cur = (cur as Record<string, unknown>)[part];
  }
  return typeof cur === 'number' || typeof cur === 'boolean' || typeof cur === 'string' ? cur : null;
}

type Check = { ok: true; settings: Settings } | { ok: false; errors: string[] };

/** Validates raw settings (parsed YAML); each error names the file and the key. */
export function validateSettings(raw: unknown, file: string): Check {
  const errors: string[] = [];
  const err = (key: string, what: string) => errors.push(`${file}: ${key}: ${what}`);
  const obj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!obj(raw)) return { ok: false, errors: [`${file}: the file must be a mapping`] };
  const num = (sec: Record<string, unknown>, name: string, key: string, min = 0) => {
    const v = sec[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) err(`${name}.${key}`, `must be a number ≥ ${min}`);
  };
  const bool = (sec: Record<string, unknown>, name: string, key: string) => {
    if (typeof sec[key] !== 'boolean') err(`${name}.${key}`, 'must be true or false');
  };
  const section = (name: string): Record<string, unknown> => {
    const v = raw[name];
    if (!obj(v)) {
      err(name, 'missing section');
      return {};
    }
    return v;
  };
  if (typeof raw.card_form !== 'string' || !raw.card_form) err('card_form', 'must be the id of a form in content/forms');
  const visits = section('visits');
  num(visits, 'visits', 'target', 1);
  if (visits.period !== 'calendar_year') err('visits.period', 'must be calendar_year');
  if (!Array.isArray(visits.counted_modes) || !visits.counted_modes.every((m) => typeof m === 'string')) {
    err('visits.counted_modes', 'must be a list of visit_mode values');
  }
  num(visits, 'visits', 'min_duration_minutes');
  num(visits, 'visits', 'max_backdate_days');
  const ev = section('evidence');
  for (const k of ['require_location_start', 'require_location_end', 'require_signature_photo']) bool(ev, 'evidence', k);
  for (const k of ['far_from_household_meters', 'same_place_meters', 'same_place_window_minutes']) num(ev, 'evidence', k);
  if (typeof raw.default_region !== 'string' || !raw.default_region) err('default_region', 'must be a region name');
  const water = section('water');
  for (const k of ['min_litres_per_person_day', 'max_fetch_minutes', 'max_days_without_per_year']) num(water, 'water', k);
  if (raw.requirements !== undefined && raw.requirements !== null) {
    const place = raw.requirements;
    if (!obj(place)) err('requirements', 'must be a mapping with province and city');
    else {
      for (const k of ['province', 'city']) {
        if (place[k] !== undefined && (typeof place[k] !== 'string' || !(place[k] as string).trim())) err(`requirements.${k}`, 'must be a region name');
      }
      if (place.city !== undefined && place.province === undefined) err('requirements.province', 'a district that names its city names its province');
    }
  }
  const rel = section('relapse');
  for (const k of ['income_multiple', 'income_drop_percent', 'transfer_share_percent', 'large_medical_cost_yuan']) {
    num(rel, 'relapse', k);
  }
  if (raw.poverty_line_series !== 'nbs_current' && raw.poverty_line_series !== 'exit_line') {
    err('poverty_line_series', 'must be nbs_current or exit_line');
  }
  yearRows(raw.monitoring_ranges, 'monitoring_ranges', err, obj, false);
  const lines = raw.poverty_lines;
  if (!Array.isArray(lines) || lines.length === 0) err('poverty_lines', 'must be a non-empty list');
  else {
    const seen = new Set<string>();
    lines.forEach((l, i) => {
      const at = `poverty_lines[${i}]`;
      if (!obj(l)) return err(at, 'must be a mapping');
      if (!Number.isInteger(l.year) || (l.year as number) < 2000 || (l.year as number) > 2100) err(`${at}.year`, 'must be a year');
      if (typeof l.region !== 'string' || !l.region) err(`${at}.region`, 'must be a region name');
      if (typeof l.yuan !== 'number' || l.yuan <= 0) err(`${at}.yuan`, 'must be a positive number');
      if (!['verified', 'medium', 'unverified'].includes(l.certainty as string)) {
        err(`${at}.certainty`, 'must be verified, medium or unverified');
      }
      if (!(POVERTY_LINE_SERIES as readonly unknown[]).includes(l.series)) err(`${at}.series`, `must be one of ${POVERTY_LINE_SERIES.join(', ')}`);
      if (l.series === 'provincial' && l.region === 'national') err(`${at}.series`, 'a national row is nbs_current or exit_line');
      if (l.series !== 'provincial' && l.region !== 'national') err(`${at}.series`, 'a regional row is provincial');
      if (typeof l.source !== 'string' || !/\[[A-Z]{1,6}\d*p?\]/.test(l.source)) err(`${at}.source`, 'must name a source id, e.g. [S31]');
      const key = `${l.year}/${l.region}/${String(l.series)}`;
      if (seen.has(key)) err(at, `duplicate (year, region, series) ${key}`);
      seen.add(key);
    });
  }
  return errors.length ? { ok: false, errors } : { ok: true, settings: raw as unknown as Settings };
}

/** Checks a list of per-(year, region) rows with yuan, source and certainty. */
function yearRows(
  list: unknown,
  name: string,
  err: (key: string, what: string) => void,
  obj: (v: unknown) => v is Record<string, unknown>,
  nonEmpty: boolean,
): void {
  if (!Array.isArray(list) || (nonEmpty && list.length === 0)) return err(name, nonEmpty ? 'must be a non-empty list' : 'must be a list');
  const seen = new Set<string>();
  list.forEach((l, i) => {
    const at = `${name}[${i}]`;
    if (!obj(l)) return err(at, 'must be a mapping');
    if (!Number.isInteger(l.year) || (l.year as number) < 2000 || (l.year as number) > 2100) err(`${at}.year`, 'must be a year');
    if (typeof l.region !== 'string' || !l.region) err(`${at}.region`, 'must be a region name');
    if (typeof l.yuan !== 'number' || l.yuan <= 0) err(`${at}.yuan`, 'must be a positive number');
    if (!['verified', 'medium', 'unverified'].includes(l.certainty as string)) err(`${at}.certainty`, 'must be verified, medium or unverified');
    if (typeof l.source !== 'string' || !/\[[A-Z]{1,6}\d*p?\]/.test(l.source)) err(`${at}.source`, 'must name a source id, e.g. [S19]');
    const key = `${l.year}/${l.region}`;
    if (seen.has(key)) err(at, `duplicate (year, region) ${key}`);
    seen.add(key);
  });
}
