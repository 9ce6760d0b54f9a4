/**
 * District settings as data (content/settings.yaml): visit target and period, poverty lines per (year, region),
 * evidence rules and relapse thresholds. Validated by `validateSettings`; looked up by the card engine.
 */

/** One poverty-line figure: yuan per person per year for a year and a region (`national` or a province). */
export interface PovertyLine {
  year: number;
  region: string;
  yuan: number;
  /** verified | medium | unverified: how sure the figure is (the scale is explained in content/settings.yaml). */
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
  /** The province and city the district sits in: their requirement packs apply to its helpers. */
  requirements?: { province?: string; city?: string };
  poverty_lines: PovertyLine[];
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

/** The poverty line used for a year and region, with the year actually used when falling back to an earlier one. */
export interface PovertyLineLookup {
  yuan: number;
  year: number;
  region: string;
  certainty: PovertyLine['certainty'];
  exact: boolean;
}

/**
 * Looks up the poverty line for (year, region): the exact row, else the national row for that year, else the
 * latest earlier year (region first, then national). Returns null when nothing applies.
 */
export function povertyLineFor(settings: Settings, year: number, region?: string): PovertyLineLookup | null {
  const reg = region ?? settings.default_region;
  const pick = (r: string): PovertyLine | undefined =>
    settings.poverty_lines.filter((l) => l.region === r && l.year <= year).sort((a, b) => b.year - a.year)[0];
  const best = pick(reg) ?? pick('national');
  if (!best) return null;
  return { yuan: best.yuan, year: best.year, region: best.region, certainty: best.certainty, exact: best.year === year };
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
      const key = `${l.year}/${l.region}`;
      if (seen.has(key)) err(at, `duplicate (year, region) ${key}`);
      seen.add(key);
    });
  }
  return errors.length ? { ok: false, errors } : { ok: true, settings: raw as unknown as Settings };
}
