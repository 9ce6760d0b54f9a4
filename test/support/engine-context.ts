/**
 * The engine's context for synthetic forms (tests and benches): a fixed day, the 2017 visit and evidence settings,
 * one district-entered poverty line, the water standard and the relapse thresholds.
 */
import type { EngineContext } from '../../src/core/forms/index.js';

export const engineContext: EngineContext = {
  today: '2017-11-03', nowMs: 0,
  settings: {
    card_form: 'test',
    visits: { target: 6, period: 'calendar_year', counted_modes: ['入户走访'], min_duration_minutes: 30, max_backdate_days: 7 },
    evidence: { require_location_start: true, require_location_end: false, require_signature_photo: false, far_from_household_meters: 1000, same_place_meters: 100, same_place_window_minutes: 60 },
    default_region: 'national',
    // a district that entered its own 2017 figure (none is shipped: docs/rule-periods.md)
    poverty_line_series: 'exit_line',
    poverty_lines: [{ year: 2017, region: 'national', series: 'exit_line', yuan: 2952, certainty: 'medium', source: '[PD3]' }],
    monitoring_ranges: [],
    water: { min_litres_per_person_day: 35, max_fetch_minutes: 20, max_days_without_per_year: 36 },
    relapse: { income_multiple: 1.5, income_drop_percent: 30, transfer_share_percent: 70, large_medical_cost_yuan: 10000 },
  },
};
