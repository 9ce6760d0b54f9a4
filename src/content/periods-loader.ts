/** Loads content/rule-periods.yaml (the periods of the rules, each with its card form and words) and validates it. */
import { existsSync } from 'node:fs';
import { readYamlFile } from './yaml-file.js';
import { validatePeriods, type RulePeriod } from '../core/rules/periods.js';

export type PeriodsLoadResult = { ok: true; periods: RulePeriod[] } | { ok: false; errors: string[] };

export function loadPeriods(file: string): PeriodsLoadResult {
  if (!existsSync(file)) return { ok: false, errors: [`${file}: missing (the periods of the rules)`] };
  let raw: unknown;
  try {
    raw = readYamlFile(file);
  } catch (e) {
    return { ok: false, errors: [`${file}: ${(e as Error).message.split('\n')[0]}`] };
  }
  return validatePeriods(raw, file);
}
