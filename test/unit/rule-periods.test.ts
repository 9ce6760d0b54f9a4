/**
 * The periods file and the settings' figures are validated at start-up: periods in order without gaps or overlaps,
 * known ids, texts in both languages; poverty-line rows with a series and a source, national rows in a national
 * series, regional rows provincial; monitoring ranges one per (year, region), each with a source.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { periodFor, validatePeriods } from '../../src/core/rules/periods.js';
import { validateSettings } from '../../src/core/forms/settings.js';

const periodsRaw = parse(readFileSync('content/rule-periods.yaml', 'utf8')) as { periods: Record<string, unknown>[] };
const settingsRaw = parse(readFileSync('content/settings.yaml', 'utf8')) as Record<string, unknown>;
const clone = <T>(x: T): T => structuredClone(x);

describe('rule periods file', () => {
  it('the shipped file is valid and covers every day from the start', () => {
    const r = validatePeriods(periodsRaw, 'rule-periods.yaml');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(periodFor(r.periods, '1999-01-01')?.id).toBe('campaign');
    expect(periodFor(r.periods, '2099-01-01')?.id).toBe('after');
  });

  it.each<[string, (p: Record<string, unknown>[]) => void, RegExp]>([
    ['a gap', (p) => void (p[1].from = '2021-01-02'), /day after/],
    ['an overlap', (p) => void (p[1].from = '2020-12-31'), /day after/],
    ['an unknown id', (p) => void (p[0].id = 'new_era'), /must be one of/],
    ['a duplicate id', (p) => void (p[2].id = 'transition'), /duplicate/],
    ['a text without English', (p) => void (p[0].name = { zh: '期', en: '' }), /zh and en/],
    ['a bad date', (p) => void (p[0].until = '2020-13-01'), /YYYY-MM-DD/],
    ['no source id', (p) => void (p[0].source = 'a speech'), /source id/],
    ['an unknown income check', (p) => void (p[0].income_check = 'feelings'), /income_check/],
  ])('refuses %s', (_n, change, error) => {
    const raw = clone(periodsRaw);
    change(raw.periods);
    const r = validatePeriods(raw, 'rule-periods.yaml');
    expect(r.ok ? [] : r.errors.join('\n')).toMatch(error);
  });
});

describe('settings: poverty lines and monitoring ranges', () => {
  it('the shipped settings are valid', () => {
    const r = validateSettings(settingsRaw, 'settings.yaml');
    expect(r.ok ? [] : r.errors).toEqual([]);
  });

  it.each<[string, (s: Record<string, unknown>) => void, RegExp]>([
    ['a line without a series', (s) => void delete (s.poverty_lines as Record<string, unknown>[])[0].series, /series/],
    ['a national row in the provincial series', (s) => void ((s.poverty_lines as Record<string, unknown>[])[0].series = 'provincial'), /national row/],
    ['a provincial row in a national series', (s) => void ((s.poverty_lines as Record<string, unknown>[]).at(-1)!.series = 'exit_line'), /regional row is provincial/],
    ['a line without a source id', (s) => void ((s.poverty_lines as Record<string, unknown>[])[0].source = 'yearbook'), /source id/],
    ['an unknown series chosen', (s) => void (s.poverty_line_series = 'latest'), /poverty_line_series/],
    ['two ranges for one year and region', (s) => void (s.monitoring_ranges as unknown[]).push(clone((s.monitoring_ranges as unknown[])[0])), /duplicate/],
    ['a range without a source', (s) => void ((s.monitoring_ranges as Record<string, unknown>[])[0].source = ''), /source id/],
    ['no water thresholds', (s) => void delete s.water, /water/],
  ])('refuses %s', (_n, change, error) => {
    const raw = clone(settingsRaw);
    change(raw);
    const r = validateSettings(raw, 'settings.yaml');
    expect(r.ok ? [] : r.errors.join('\n')).toMatch(error);
  });
});
