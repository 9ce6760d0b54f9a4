import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { appliesTo, certainFrom, inForceOn, validatePack } from '../../src/core/requirements/index.js';

/**
 * The shipped requirement packs (content/requirements): every clause traceable to a document with its 文号 and date
 * (or a stated reason why a page did not show them) and a defined source; every question tied to a clause; the
 * example packs marked as examples; the demo district's province and city each with questions in force.
 */
const loaded = loadContent('content');
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
const content = loaded.content;
const defined = new Set([...readFileSync('docs/content-sources.md', 'utf8').matchAll(/^\*\*([A-Z]{1,6}\d*p?)\*\*/gm)].map((m) => m[1]));

describe('content/requirements: the shipped packs', () => {
  const packs = content.requirements.packs;

  it('ship the national pack, at least two provinces and two cities, all marked as examples', () => {
    const by = (level: string) => packs.filter((p) => p.level === level).map((p) => p.region);
    console.log(`packs: ${packs.map((p) => `${p.id} (${p.level} ${p.region}: ${p.requirements.length} clauses)`).join(', ')}`);
    expect(by('national')).toEqual(['CN']);
    expect(by('provincial').length).toBeGreaterThanOrEqual(2);
    expect(by('municipal').length).toBeGreaterThanOrEqual(2);
    expect(packs.filter((p) => !p.example).map((p) => p.id)).toEqual([]);
  });

  it('every clause has a document with a defined source, a 文号 and an issue date, or the reason they are missing', () => {
    const problems: string[] = [];
    for (const r of content.requirements.requirements) {
      const d = r.document;
      const ids = [...d.source.matchAll(/\[([A-Z]{1,6}\d*p?)\]/g)].map((m) => m[1]);
      if (ids.length === 0) problems.push(`${r.id}: no source id`);
      for (const id of ids) if (!defined.has(id)) problems.push(`${r.id}: [${id}] not in docs/content-sources.md`);
      if (!d.number && !d.numberMissing) problems.push(`${r.id}: no 文号 and no reason`);
      if (!d.date && !d.dateMissing) problems.push(`${r.id}: no date and no reason`);
      if (!certainFrom(d.effective)) problems.push(`${r.id}: effective ${d.effective}`);
      if (!d.title || !d.issuer) problems.push(`${r.id}: document without title or issuer`);
      if (r.ceased && !r.replacedBy) problems.push(`${r.id}: ceased without what replaced it`);
    }
    expect(content.requirements.requirements.length).toBeGreaterThanOrEqual(40);
    expect(problems).toEqual([]);
  });

  it('every pack question names a clause of its pack and takes level, region and source from it', () => {
    const problems: string[] = [];
    for (const { bank } of content.requirements.banks) {
      for (const q of bank.questions) {
        const r = q.requirement ? content.requirements.byId.get(q.requirement) : undefined;
        if (!r) {
          problems.push(`${q.id}: no clause`);
          continue;
        }
        if (q.level !== r.level || q.region !== r.region || q.effectiveDate !== r.inForceFrom) problems.push(`${q.id}: level/region/date differ from ${r.id}`);
        if (!q.source.includes(r.document.source)) problems.push(`${q.id}: source does not name ${r.document.source}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the demo district names its province and city, and both have questions in force on a day of 2017', () => {
    const place = content.settings.requirements ?? {};
    expect(place.province).toBeTruthy();
    expect(place.city).toBeTruthy();
    const day = '2017-11-15';
    const live = content.quizzes.questions.filter((q) => appliesTo(q, place) && inForceOn({ from: q.effectiveDate, ceased: q.ceasedDate }, day));
    const count = (level: string) => live.filter((q) => q.level === level).length;
    console.log(`questions in force for ${place.province}/${place.city} on ${day}: national ${count('national')}, provincial ${count('provincial')}, municipal ${count('municipal')}, district ${count('district')}`);
    expect(count('provincial')).toBeGreaterThanOrEqual(3);
    expect(count('municipal')).toBeGreaterThanOrEqual(3);
    // another province's clauses never reach this district's helpers
    expect(live.filter((q) => q.level === 'provincial' && !q.region.startsWith(place.province!.replace(/省$/, '')))).toEqual([]);
  });

  it('a replaced clause stops applying the day it ceased, and its successor is then in force', () => {
    const replaced = content.requirements.requirements.filter((r) => r.ceased);
    expect(replaced.length).toBeGreaterThan(0);
    for (const r of replaced) {
      expect(inForceOn({ from: r.inForceFrom, ceased: r.ceased }, r.ceased!)).toBe(false);
      const next = content.requirements.requirements.filter((x) => x.document.id === r.replacedBy);
      expect(next.length, `${r.id} → ${r.replacedBy}`).toBeGreaterThan(0);
      expect(next.some((x) => inForceOn({ from: x.inForceFrom, ceased: x.ceased }, r.ceased!))).toBe(true);
    }
  });
});

describe('validatePack refuses what cannot be traced', () => {
  const base = () => ({
    pack: { id: 'p', level: 'provincial', region: '某省', example: true, title: { zh: '某省', en: 'A province' } },
    documents: [{ id: 'd1', title: '《通知》', number: '某发〔2018〕1号', issuer: '某省', date: '2018-01-02', effective: '2018-01-02', source: '[RQ1]' }],
    requirements: [{ id: 'R1', document: 'd1', clause: '一', topic: 'duty_visits', text: { zh: '每月走访一次。', en: 'Visit monthly.' } }],
    questions: [
      {
        id: 'R1-Q1',
        requirement: 'R1',
        text: { zh: '多久走访一次？', en: 'How often?' },
        options: [{ zh: '每月', en: 'Monthly' }, { zh: '每年', en: 'Yearly' }],
        answer: 'A',
        explanation: { zh: '每月。', en: 'Monthly.' },
      },
    ],
  });

  it('accepts a complete pack and gives its question the clause', () => {
    const r = validatePack(base(), 'p.yaml');
    expect(r.ok && r.value.bank?.questions[0]).toMatchObject({ requirement: 'R1', level: 'provincial', region: '某省', effectiveDate: '2018-01-02' });
  });

  it.each([
    ['an empty 文号 without a reason', (p: ReturnType<typeof base>) => Object.assign(p.documents[0]!, { number: '' }), 'number_missing'],
    ['an empty date without a reason', (p: ReturnType<typeof base>) => Object.assign(p.documents[0]!, { date: '' }), 'date_missing'],
    ['no source id', (p: ReturnType<typeof base>) => Object.assign(p.documents[0]!, { source: 'a web page' }), 'source'],
    ['an end date without what replaced it', (p: ReturnType<typeof base>) => Object.assign(p.documents[0]!, { ceased: '2020-01-01' }), 'replaced_by'],
    ['a question about no clause', (p: ReturnType<typeof base>) => Object.assign(p.questions[0]!, { requirement: 'R9' }), 'requirement'],
    ['a city without its province', (p: ReturnType<typeof base>) => Object.assign(p.pack, { level: 'municipal' }), 'pack.province'],
  ])('refuses %s', (_name, spoil, field) => {
    const p = base();
    spoil(p);
    const r = validatePack(p, 'p.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toContain(field);
  });
});

describe('appliesTo', () => {
  it('binds a province\'s and a city\'s clauses only where the district sits', () => {
    const place = { province: '安徽省', city: '亳州市' };
    expect(appliesTo({ level: 'provincial', region: '安徽省' }, place)).toBe(true);
    expect(appliesTo({ level: 'provincial', region: '安徽' }, place)).toBe(true);
    expect(appliesTo({ level: 'provincial', region: '四川省' }, place)).toBe(false);
    expect(appliesTo({ level: 'municipal', region: '海口市' }, place)).toBe(false);
    expect(appliesTo({ level: 'national', region: 'CN' }, place)).toBe(true);
    expect(appliesTo({ level: 'provincial', region: '四川省' }, {})).toBe(true);
  });
  it('counts a date known by its month from the end of that month', () => {
    expect(certainFrom('2015-11')).toBe('2015-11-30');
    expect(certainFrom('2016')).toBe('2016-12-31');
    expect(certainFrom('2016-02-30')).toBeUndefined();
  });
});
