/**
 * A guarantee whose own evidence on the card fails the standard (water figures [S29], a C/D house [S22]) must not
 * pass unremarked: whatever status the helper gave it other than 不达标, the summary warns, on both periods' cards.
 * The rules are read from content and evaluated as the summary does.
 */
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { compile, evaluate, truthy, type Answers, type EngineContext, type FormDefinition } from '../../src/core/forms/index.js';

const loaded = loadContent('content');
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
const ctx: EngineContext = { today: '2026-11-30', nowMs: 0, settings: loaded.content.settings };

function warnings(form: FormDefinition, answers: Answers): string[] {
  const scope = { form: compile(form), answers, previous: {}, ctx };
  return (form.rules ?? []).filter((r) => truthy(evaluate(r.when, scope))).map((r) => r.id);
}

const STATUSES = ['达标', '不达标', '待核实'] as const;
const waterOk = { water_quantity_ok: true, water_quality_ok: true, water_convenient: true, water_reliable: true };
const WATER_FAILS: Answers[] = [{ water_quantity_ok: false }, { water_convenient: false }, { water_reliable: false }];
const WATER_RULES = ['water_below_standard_rated_safe', 'water_below_standard_unverified'];
const HOUSE_RULES = ['dangerous_house_rated_safe', 'dangerous_house_unverified'];

describe.each(['dynamic_card', 'dynamic_card_2021'])('%s: evidence against the guarantee status', (formId) => {
  const form = loaded.content.forms.get(formId)!;
  const fired = (a: Answers, ids: string[]) => warnings(form, a).filter((id) => ids.includes(id));

  it('water: a failing figure warns unless the status is 不达标; figures that pass warn under no status', () => {
    for (const status of STATUSES) {
      expect(fired({ ...waterOk, water_status: status }, WATER_RULES), status).toEqual([]);
      for (const fail of WATER_FAILS) {
        const got = fired({ ...waterOk, ...fail, water_status: status }, WATER_RULES);
        expect(got, `${status} ${JSON.stringify(fail)}`).toHaveLength(status === '不达标' ? 0 : 1);
      }
    }
  });

  it('housing: a C or D house warns unless the status is 不达标; A, B and unrated warn under no status', () => {
    for (const status of STATUSES) {
      for (const grade of ['A', 'B', '未鉴定']) expect(fired({ house_grade: grade, housing_status: status }, HOUSE_RULES), `${status} ${grade}`).toEqual([]);
      for (const grade of ['C', 'D']) {
        expect(fired({ house_grade: grade, housing_status: status }, HOUSE_RULES), `${status} ${grade}`).toHaveLength(status === '不达标' ? 0 : 1);
      }
    }
  });

  it('every status the card offers is covered above (a new status needs its rule and a line here)', () => {
    const choices = (id: string) => form.sections.flatMap((s) => s.fields).find((f) => f.id === id)!.choices!.map((c) => c.value);
    expect(choices('water_status')).toEqual([...STATUSES]);
    expect(choices('housing_status')).toEqual([...STATUSES]);
  });
});
