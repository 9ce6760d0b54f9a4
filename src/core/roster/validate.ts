import type { KeysUnder } from '../i18n-keys.js';
import type { MessageRef } from '../text.js';
import type { Role } from '../people/roles.js';
import { isValidIdNumber, MOBILE_RE } from '../people/privacy.js';
import {
  HOUSEHOLD_ATTRIBUTES,
  HOUSEHOLD_ATTRIBUTE_ALIASES,
  POVERTY_CAUSES,
  POVERTY_STATUSES,
  ROLE_NAMES,
  ROSTER_SHEETS,
  type SheetKind,
} from './columns.js';

/** One row as read from a sheet: cells by column key, trimmed strings ('' when empty). */
export interface SheetRow {
  row: number;
  cells: Record<string, string>;
}
export interface ParsedSheet {
  kind: SheetKind;
  name: string;
  rows: SheetRow[];
}

export interface RosterError {
  sheet: string;
  row: number;
  column: string;
  message: MessageRef;
}

export type ScopeSpec = { kind: 'unit'; unitCode: string | null } | { kind: 'town'; townCode: string } | { kind: 'district' };

export interface RosterData {
  towns: { code: string; name: string }[];
  villages: { code: string; name: string; townCode: string }[];
  units: { code: string; name: string; townCode: string | null }[];
  people: { code: string; name: string; phone: string; unitCode: string | null; roles: { role: Role; scope?: ScopeSpec }[] }[];
  households: {
    code: string;
    headName: string;
    headIdNumber: string | null;
    villageCode: string;
    attribute: string;
    status: string;
    causeMain: string;
    membersCount: number | null;
    lat: number | null;
    lon: number | null;
  }[];
  pairings: { personCode: string; householdCode: string; startDate: string }[];
  /**
   * The registration system's facts, per household that has any in the file: card field ids → values (the card's
   * answer shapes), `members` the registry's members with the head first.
   */
  registry: { householdCode: string; facts: Record<string, unknown> }[];
}

/**
 * Checks one registry cell as the card checks the field it fills (src/core/forms/registry.ts): its value, none for
 * an empty cell or a field no card has, or why it is refused. `answers` holds the household's facts read so
 * far; `item` the member's, for a member's cell.
 */
export type RegistryCheck = (
  fieldId: string,
  text: string,
  answers: Record<string, unknown>,
  item?: Record<string, unknown>,
) => { ok: true; value: unknown } | { ok: false; error: MessageRef };

/** Whether any sheet holds a filled registry cell (the card's definitions are needed only then). */
export function hasRegistryCells(sheets: ParsedSheet[]): boolean {
  return sheets.some((sh) => {
    const def = ROSTER_SHEETS.find((d) => d.kind === sh.kind)!;
    const keys = def.columns.filter((c) => c.registry).map((c) => c.key);
    return sh.kind === 'members' ? sh.rows.length > 0 : sh.rows.some((r) => keys.some((k) => r.cells[k]?.trim()));
  });
}

/** Codes already in the database, so a file may refer to them without repeating them. */
export interface KnownCodes {
  towns: Set<string>;
  villages: Set<string>;
  units: Set<string>;
  /** person code → is a helper */
  people: Map<string, boolean>;
  households: Set<string>;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Columns holding codes: compared after NFKC (full-width → ASCII) and upper-casing, so `Ｐ００１` is `P001`. */
const CODE_COLUMNS = ['townCode', 'villageCode', 'unitCode', 'personCode', 'householdCode'];
/** Columns holding names, with their longest sane length. */
const NAME_COLUMNS: Record<string, number> = { name: 40, headName: 40, townName: 60, villageName: 60, unitName: 60 };
/** Decimal degrees only: `34.27`, `-108.9`; no degree signs, minutes or exponents. */
const DEGREES_RE = /^[-+]?\d{1,3}(\.\d{1,10})?$/;

/** `Ｐ００１ ` → `P001`. */
export function normaliseCode(s: string): string {
  return s.normalize('NFKC').trim().toUpperCase();
}

/**
 * Why a name cannot be stored: control or format characters (bidi overrides, zero-width marks hide or reorder
 * text in every later list and export), a replacement character (a file read in the wrong encoding), or its length.
 */
function nameProblem(s: string, max: number): 'name_chars' | 'name_length' | undefined {
  if (/[\p{Cc}\p{Cf}\p{Co}\p{Cs}\uFFFD]/u.test(s)) return 'name_chars';
  if ([...s].length > max) return 'name_length';
  return undefined;
}

/** A real calendar date in YYYY-MM-DD, not after today. */
function isPastOrTodayDate(s: string, today: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return false;
  return s <= today;
}

/**
 * Checks every row of every sheet and cross-references codes within the file and the database.
 * Returns all errors at once (the import is all or nothing) or the normalised data.
 */
export function validateRoster(
  sheets: ParsedSheet[],
  known: KnownCodes,
  today: string,
  registry?: RegistryCheck,
): { ok: true; data: RosterData; warnings: RosterError[] } | { ok: false; errors: RosterError[] } {
  const errors: RosterError[] = [];
  const data: RosterData = { towns: [], villages: [], units: [], people: [], households: [], pairings: [], registry: [] };
  const ofKind = (k: SheetKind) => sheets.filter((s) => s.kind === k);

  /** Records an error; returns true so a caller can write `bad = err(…)`. */
  const err = (sheet: ParsedSheet, row: SheetRow, key: string, msg: KeysUnder<'roster.err'>, params?: MessageRef['params']): true => {
    const def = ROSTER_SHEETS.find((d) => d.kind === sheet.kind)!;
    const column = def.columns.find((c) => c.key === key)?.zh ?? key;
    errors.push({ sheet: sheet.name, row: row.row, column, message: { key: `roster.err.${msg}`, params } });
    return true;
  };
  /** A registry cell refused by the card's own check: its message as the card gives it. */
  const errRef = (sheet: ParsedSheet, row: SheetRow, key: string, message: MessageRef): true => {
    const def = ROSTER_SHEETS.find((d) => d.kind === sheet.kind)!;
    errors.push({ sheet: sheet.name, row: row.row, column: def.columns.find((c) => c.key === key)?.zh ?? key, message });
    return true;
  };
  /** The registry cells of a row, in column order, each checked with what was read before it. */
  const registryCells = (sheet: ParsedSheet, row: SheetRow, answers: Record<string, unknown>, item?: Record<string, unknown>): Record<string, unknown> | null => {
    const def = ROSTER_SHEETS.find((d) => d.kind === sheet.kind)!;
    const out: Record<string, unknown> = {};
    let bad = false;
    for (const c of def.columns) {
      if (!c.registry || !row.cells[c.key]?.trim()) continue;
      if (!registry) {
        bad = err(sheet, row, c.key, 'registry_unchecked');
        continue;
      }
      const r = registry(c.key, row.cells[c.key], { ...answers, ...(item ? {} : out) }, item ? { ...item, ...out } : undefined);
      if (!r.ok) bad = errRef(sheet, row, c.key, r.error);
      else if (r.value !== undefined) out[c.key] = r.value;
    }
    return bad ? null : out;
  };
  const registryOf = new Map<string, Record<string, unknown>>();

  /** Required cells, then a per-sheet duplicate check on the key column. */
  const eachRow = (sheet: ParsedSheet, keyCol: string | null, fn: (row: SheetRow, c: Record<string, string>) => void) => {
    const def = ROSTER_SHEETS.find((d) => d.kind === sheet.kind)!;
    const seen = new Map<string, number>();
    for (const raw of sheet.rows) {
      const cells = { ...raw.cells };
      for (const k of CODE_COLUMNS) if (cells[k]) cells[k] = normaliseCode(cells[k]);
      if (cells.phone) cells.phone = cells.phone.normalize('NFKC').replace(/[\s-]/g, '');
      const row: SheetRow = { row: raw.row, cells };
      let missing = false;
      for (const c of def.columns) {
        if (c.required && !row.cells[c.key]) {
          err(sheet, row, c.key, 'required');
          missing = true;
        }
      }
      if (keyCol && row.cells[keyCol]) {
        const first = seen.get(row.cells[keyCol]);
        if (first !== undefined) {
          err(sheet, row, keyCol, 'duplicate', { first });
          continue;
        }
        seen.set(row.cells[keyCol], row.row);
      }
      let badName = false;
      for (const [k, max] of Object.entries(NAME_COLUMNS)) {
        const problem = row.cells[k] ? nameProblem(row.cells[k], max) : undefined;
        if (problem) badName = err(sheet, row, k, problem, { max });
      }
      if (!missing && !badName) fn(row, row.cells);
    }
  };

  const townCodes = new Set(known.towns);
  const villageCodes = new Set(known.villages);
  const unitCodes = new Set(known.units);
  const personHelper = new Map(known.people);
  const householdCodes = new Set(known.households);

  const townNames = new Map<string, string>();
  for (const s of ofKind('places')) {
    eachRow(s, 'villageCode', (row, c) => {
      const prev = townNames.get(c.townCode);
      if (prev !== undefined && prev !== c.townName) return err(s, row, 'townName', 'town_name_conflict', { code: c.townCode });
      if (prev === undefined) {
        townNames.set(c.townCode, c.townName);
        data.towns.push({ code: c.townCode, name: c.townName });
      }
      townCodes.add(c.townCode);
      villageCodes.add(c.villageCode);
      data.villages.push({ code: c.villageCode, name: c.villageName, townCode: c.townCode });
    });
  }

  for (const s of ofKind('units')) {
    eachRow(s, 'unitCode', (row, c) => {
      if (c.townCode && !townCodes.has(c.townCode)) return err(s, row, 'townCode', 'unknown_town', { code: c.townCode });
      unitCodes.add(c.unitCode);
      data.units.push({ code: c.unitCode, name: c.unitName, townCode: c.townCode || null });
    });
  }

  // one phone for two people is allowed (a shared office line) but said, since invites and sign-in go by person
  const phones = new Map<string, string>();
  const warnings: RosterError[] = [];
  for (const s of ofKind('people')) {
    eachRow(s, 'personCode', (row, c) => {
      let bad = false;
      if (!MOBILE_RE.test(c.phone)) bad = err(s, row, 'phone', 'phone');
      const first = phones.get(c.phone);
      if (first !== undefined && first !== c.personCode)
        warnings.push({ sheet: s.name, row: row.row, column: '手机号', message: { key: 'roster.warn.shared_phone', params: { code: first } } });
      else phones.set(c.phone, c.personCode);
      if (c.unitCode && !unitCodes.has(c.unitCode)) bad = err(s, row, 'unitCode', 'unknown_unit', { code: c.unitCode });
      const roles: { role: Role; scope?: ScopeSpec }[] = [];
      for (const name of c.roles.split(/[,，、;；\s]+/).filter(Boolean)) {
        const role = ROLE_NAMES[name.toLowerCase()] ?? ROLE_NAMES[name];
        if (!role) {
          bad = true;
          err(s, row, 'roles', 'unknown_role', { value: name });
        } else if (!roles.some((r) => r.role === role)) roles.push({ role });
      }
      const sup = roles.find((r) => r.role === 'supervisor');
      if (sup) {
        const scope = parseScope(c.scope, c.unitCode || null);
        if (!scope) bad = err(s, row, 'scope', 'bad_scope');
        else if (scope.kind === 'town' && !townCodes.has(scope.townCode))
          bad = err(s, row, 'scope', 'unknown_town', { code: scope.townCode });
        else if (scope.kind === 'unit' && !scope.unitCode) bad = err(s, row, 'scope', 'scope_needs_unit');
        else sup.scope = scope;
      } else if (c.scope) {
        bad = true;
        err(s, row, 'scope', 'scope_without_supervisor');
      }
      // A bad row's code still counts as known, so its pairings are not reported a second time.
      personHelper.set(c.personCode, roles.some((r) => r.role === 'helper'));
      if (bad) return;
      data.people.push({ code: c.personCode, name: c.name, phone: c.phone, unitCode: c.unitCode || null, roles });
    });
  }

  for (const s of ofKind('households')) {
    eachRow(s, 'householdCode', (row, c) => {
      let bad = false;
      const attribute = HOUSEHOLD_ATTRIBUTE_ALIASES[c.attribute] ?? c.attribute;
      if (!villageCodes.has(c.villageCode)) bad = err(s, row, 'villageCode', 'unknown_village', { code: c.villageCode });
      if (!(HOUSEHOLD_ATTRIBUTES as readonly string[]).includes(attribute))
        bad = err(s, row, 'attribute', 'one_of', { values: HOUSEHOLD_ATTRIBUTES.join('/') });
      if (!(POVERTY_STATUSES as readonly string[]).includes(c.status))
        bad = err(s, row, 'status', 'one_of', { values: POVERTY_STATUSES.join('/') });
      if (!(POVERTY_CAUSES as readonly string[]).includes(c.causeMain))
        bad = err(s, row, 'causeMain', 'one_of', { values: POVERTY_CAUSES.join('/') });
      if (c.headIdNumber && !isValidIdNumber(c.headIdNumber)) bad = err(s, row, 'headIdNumber', 'id_number');
      const members = c.membersCount ? Number(c.membersCount) : null;
      if (members !== null && !(Number.isInteger(members) && members >= 1 && members <= 30))
        bad = err(s, row, 'membersCount', 'int_range', { min: 1, max: 30 });
      const degrees = (v: string, key: string) => {
        if (!v) return null;
        if (!DEGREES_RE.test(v)) {
          bad = err(s, row, key, 'decimal_degrees');
          return NaN;
        }
        return Number(v);
      };
      const lat = degrees(c.lat, 'lat');
      const lon = degrees(c.lon, 'lon');
      if (lat !== null && !Number.isNaN(lat) && !(lat >= -90 && lat <= 90)) bad = err(s, row, 'lat', 'number_range', { min: -90, max: 90 });
      if (lon !== null && !Number.isNaN(lon) && !(lon >= -180 && lon <= 180)) bad = err(s, row, 'lon', 'number_range', { min: -180, max: 180 });
      if ((lat === null) !== (lon === null)) bad = err(s, row, lat === null ? 'lat' : 'lon', 'lat_lon_pair');
      householdCodes.add(c.householdCode);
      // the household's own registry facts, checked against its category, status and main cause
      const facts = registryCells(s, row, { poor_attribute: attribute, status: c.status, cause_main: c.causeMain });
      if (!facts) bad = true;
      if (bad) return;
      if (Object.keys(facts!).length) registryOf.set(c.householdCode, facts!);
      data.households.push({
        code: c.householdCode,
        headName: c.headName,
        headIdNumber: c.headIdNumber ? c.headIdNumber.toUpperCase() : null,
        villageCode: c.villageCode,
        attribute,
        status: c.status,
        causeMain: c.causeMain,
        membersCount: members,
        lat,
        lon,
      });
    });
  }

  for (const s of ofKind('pairings')) {
    const seen = new Map<string, number>();
    eachRow(s, null, (row, c) => {
      const key = `${c.personCode}\u0000${c.householdCode}`;
      if (seen.has(key)) return err(s, row, 'householdCode', 'duplicate', { first: seen.get(key)! });
      seen.set(key, row.row);
      let bad = false;
      const isHelper = personHelper.get(c.personCode);
      if (isHelper === undefined) bad = err(s, row, 'personCode', 'unknown_person', { code: c.personCode });
      else if (!isHelper) bad = err(s, row, 'personCode', 'not_helper', { code: c.personCode });
      if (!householdCodes.has(c.householdCode))
        bad = err(s, row, 'householdCode', 'unknown_household', { code: c.householdCode });
      if (!isPastOrTodayDate(c.startDate, today)) bad = err(s, row, 'startDate', 'date');
      if (!bad) data.pairings.push({ personCode: c.personCode, householdCode: c.householdCode, startDate: c.startDate });
    });
  }

  // the registry's members: per household, exactly one head (户主), who is its head of household; the head first
  const members = new Map<string, { sheet: ParsedSheet; row: number; item: Record<string, unknown> }[]>();
  const heads = new Map<string, string>(data.households.map((x) => [x.code, x.headName]));
  for (const s of ofKind('members')) {
    eachRow(s, null, (row, c) => {
      if (!householdCodes.has(c.householdCode)) return err(s, row, 'householdCode', 'unknown_household', { code: c.householdCode });
      const facts = registryCells(s, row, registryOf.get(c.householdCode) ?? {}, {});
      if (!facts) return;
      const list = members.get(c.householdCode) ?? [];
      if (list.length >= 30) return err(s, row, 'householdCode', 'too_many_members', { max: 30 });
      list.push({ sheet: s, row: row.row, item: facts });
      members.set(c.householdCode, list);
      const head = heads.get(c.householdCode);
      if (facts.relation === '户主' && head !== undefined && facts.name !== head) err(s, row, 'name', 'head_name_differs', { name: head });
    });
  }
  for (const [code, list] of members) {
    const n = list.filter((m) => m.item.relation === '户主').length;
    const at = list.find((m) => m.item.relation === '户主') ?? list[0];
    if (n !== 1) err(at.sheet, { row: at.row, cells: {} }, 'relation', n ? 'two_heads' : 'no_head', { code });
  }
  for (const code of new Set([...registryOf.keys(), ...members.keys()])) {
    const facts: Record<string, unknown> = { ...(registryOf.get(code) ?? {}) };
    const list = members.get(code);
    if (list) facts.members = [...list.filter((m) => m.item.relation === '户主'), ...list.filter((m) => m.item.relation !== '户主')].map((m) => m.item);
    data.registry.push({ householdCode: code, facts });
  }

  return errors.length ? { ok: false, errors } : { ok: true, data, warnings };
}

/** '' or 单位 → own unit; 镇街:T01 / town:T01; 全区 / district. */
function parseScope(raw: string, unitCode: string | null): ScopeSpec | null {
  const s = raw.trim();
  if (s === '' || s === '单位' || s.toLowerCase() === 'unit') return { kind: 'unit', unitCode };
  if (s === '全区' || s.toLowerCase() === 'district') return { kind: 'district' };
  const m = /^(?:镇街|town)\s*[:：]\s*(\S+)$/i.exec(s);
  return m ? { kind: 'town', townCode: normaliseCode(m[1]) } : null;
}
