/** A form that extends another: shared sections copied by id, fields dropped or replaced, rules kept by name. */
import { describe, expect, it } from 'vitest';
import { resolveExtends } from '../../src/core/forms/extend.js';

const L = (zh: string) => ({ zh, en: zh });
const base = {
  id: 'base', version: 1, title: L('base'),
  sections: [
    { id: 'a', title: L('A'), fields: [{ id: 'x', type: 'text', label: L('x') }, { id: 'y', type: 'text', label: L('y') }] },
    { id: 'b', title: L('B'), fields: [{ id: 'z', type: 'text', label: L('z') }] },
  ],
  rules: [{ id: 'r1' }, { id: 'r2' }],
};
const bases = new Map<string, Record<string, unknown>>([['base', base]]);

describe('resolveExtends', () => {
  it('copies, drops, replaces and adds; keeps the named rules then its own', () => {
    const r = resolveExtends({
      id: 'child', extends: 'base', base_rules: ['r2'], rules: [{ id: 'own' }],
      sections: [
        { from: 'a', drop: ['y'], replace: [{ id: 'x', type: 'integer', label: L('x2') }], add: [{ id: 'w', type: 'text', label: L('w') }] },
        { id: 'c', title: L('C'), fields: [] },
      ],
    }, bases, 'child.yaml');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const sections = r.raw.sections as { id: string; fields: { id: string; type: string }[] }[];
    expect(sections.map((s) => [s.id, s.fields.map((f) => `${f.id}:${f.type}`)])).toEqual([['a', ['x:integer', 'w:text']], ['c', []]]);
    expect((r.raw.rules as { id: string }[]).map((x) => x.id)).toEqual(['r2', 'own']);
    expect(r.raw).not.toHaveProperty('extends');
    // the base is not changed by its child
    expect(base.sections[0].fields.map((f) => f.id)).toEqual(['x', 'y']);
  });

  it.each([
    ['an unknown base', { extends: 'nope', sections: [] }, /not a form/],
    ['an unknown section', { extends: 'base', sections: [{ from: 'q' }] }, /not a section of base/],
    ['dropping a field the section lacks', { extends: 'base', sections: [{ from: 'b', drop: ['x'] }] }, /x is not a field of b/],
    ['replacing a field the section lacks', { extends: 'base', sections: [{ from: 'b', replace: [{ id: 'q' }] }] }, /q is not a field of b/],
    ['keeping a rule the base lacks', { extends: 'base', sections: [], base_rules: ['r9'] }, /r9 is not a rule/],
  ])('refuses %s', (_n, raw, error) => {
    const r = resolveExtends({ id: 'child', ...raw }, bases, 'child.yaml');
    expect(r.ok ? '' : r.errors.join('\n')).toMatch(error);
  });

  it('refuses a chain (a base that extends another)', () => {
    const chain = new Map<string, Record<string, unknown>>([['mid', { id: 'mid', extends: 'base' }], ['base', base]]);
    const r = resolveExtends({ id: 'child', extends: 'mid', sections: [] }, chain, 'child.yaml');
    expect(r.ok ? '' : r.errors.join('\n')).toMatch(/extends another form/);
  });
});
