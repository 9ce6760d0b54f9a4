/** One scope type, one translation into SQL: which households and helpers each kind of scope covers, and nesting. */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, type Fixture } from './supervision-fixture.js';
import { grantedScope, scopeKey, type Scope, type SupervisorScope } from '../../src/core/people/scope.js';
import { helperInScope, householdInScope, scopeByCode, scopeName, scopeWithin } from '../../src/db/scope-repo.js';
import { supervisorOf } from '../../src/app/scope.js';

let f: Fixture;
beforeAll(() => {
  f = makeFixture();
});

const CODES = ['H0001', 'H0002', 'H0003', 'H0004', 'H0005', 'H0006'];
const HELPERS = ['wang', 'li', 'zhang'] as const;

describe('scopes', () => {
  it('households and helpers of each kind of scope', () => {
    const cases: [Scope, string[], string[]][] = [
      [{ kind: 'district' }, CODES, [...HELPERS]],
      [{ kind: 'town', id: f.id('towns', 'T01') }, ['H0001', 'H0002', 'H0003', 'H0004'], ['wang', 'li']],
      [{ kind: 'town', id: f.id('towns', 'T02') }, ['H0005', 'H0006'], ['zhang']],
      [{ kind: 'village', id: f.id('villages', 'V0102') }, ['H0003', 'H0004'], ['wang', 'li']],
      [{ kind: 'unit', id: f.id('units', 'U01') }, ['H0001', 'H0002', 'H0003', 'H0004'], ['wang', 'li']],
      [{ kind: 'unit', id: f.id('units', 'U03') }, [], []],
      [{ kind: 'helper', id: f.person('li') }, ['H0004'], ['li']],
    ];
    for (const [scope, households, helpers] of cases) {
      expect(CODES.filter((c) => householdInScope(f.db, scope, f.household(c))), scopeKey(scope)).toEqual(households);
      expect(HELPERS.filter((h) => helperInScope(f.db, scope, f.person(h))), scopeKey(scope)).toEqual(helpers);
    }
    // a supervisor is no helper, whatever the scope
    expect(helperInScope(f.db, { kind: 'district' }, f.person('sun'))).toBe(false);
  });

  it('what a supervisor may open inside their scope', () => {
    const district: SupervisorScope = { kind: 'district' };
    const t01: SupervisorScope = { kind: 'town', id: f.id('towns', 'T01') };
    const u01: SupervisorScope = { kind: 'unit', id: f.id('units', 'U01') };
    const inner: [Scope, boolean, boolean, boolean][] = [
      [{ kind: 'district' }, true, false, false],
      [{ kind: 'town', id: f.id('towns', 'T01') }, true, true, false],
      [{ kind: 'town', id: f.id('towns', 'T02') }, true, false, false],
      [{ kind: 'unit', id: f.id('units', 'U01') }, true, true, true],
      [{ kind: 'unit', id: f.id('units', 'U02') }, true, false, false],
      [{ kind: 'village', id: f.id('villages', 'V0101') }, true, true, true],
      [{ kind: 'village', id: f.id('villages', 'V0201') }, true, false, false],
      [{ kind: 'helper', id: f.person('wang') }, true, true, true],
      [{ kind: 'helper', id: f.person('zhang') }, true, false, false],
      [{ kind: 'town', id: 99_999 }, false, false, false],
    ];
    for (const [scope, d, t, u] of inner) expect([scopeWithin(f.db, district, scope), scopeWithin(f.db, t01, scope), scopeWithin(f.db, u01, scope)], scopeKey(scope)).toEqual([d, t, u]);
  });

  it('names, codes, grants and the supervisor behind an actor', () => {
    expect(scopeName(f.db, { kind: 'village', id: f.id('villages', 'V0101') })).toBe('东沟村');
    expect(scopeName(f.db, { kind: 'helper', id: f.person('wang') })).toBe('王小明');
    expect(scopeName(f.db, { kind: 'district' })).toBeUndefined();
    expect(scopeByCode(f.db, 'unit', 'U02')).toEqual({ kind: 'unit', id: f.id('units', 'U02') });
    expect(scopeByCode(f.db, 'town', 'T99')).toBeUndefined();
    expect(grantedScope('district', null)).toEqual({ kind: 'district' });
    expect(grantedScope('town', null)).toBeUndefined();
    expect(grantedScope('village', 3)).toBeUndefined();
    expect(supervisorOf(f.actor('zhou'))).toEqual({ ok: true, value: { personId: f.person('zhou'), name: '周镇长', scope: { kind: 'town', id: f.id('towns', 'T01') } } });
    expect(supervisorOf(f.actor('wang'))).toEqual({ ok: false, reason: 'role' });
  });
});
