import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FLAG_CODES } from '../../src/core/visits/risk-flags.js';

type Tree = { [k: string]: string | Tree };
const zh = JSON.parse(readFileSync('locales/zh-CN.json', 'utf8')) as Tree;
const en = JSON.parse(readFileSync('locales/en.json', 'utf8')) as Tree;

function flatten(t: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(t)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}
const zhKeys = flatten(zh);
const enKeys = flatten(en);
// Bilingual content passed through (a rule's own message) arrives as {{zh}} / {{en}} or {{x_zh}} / {{x_en}}.
const params = (s: string) =>
  [...s.matchAll(/\{\{(\w+)\}\}/g)]
    .map((m) => m[1].replace(/(^|_)(zh|en)$/, '$1lang'))
    .sort()
    .join(',');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('locales', () => {
  it('zh-CN and en have the same keys', () => {
    expect([...zhKeys.keys()].filter((k) => !enKeys.has(k))).toEqual([]);
    expect([...enKeys.keys()].filter((k) => !zhKeys.has(k))).toEqual([]);
  });

  it('every text is non-empty and uses the same {{params}} in both languages', () => {
    const bad = [...zhKeys].filter(([k, v]) => !v.trim() || !enKeys.get(k)?.trim() || params(v) !== params(enKeys.get(k)!));
    expect(bad).toEqual([]);
  });

  it('every key the code names exists in both languages', () => {
    const namespaces = Object.keys(zh).join('|');
    const literal = new RegExp(`['\`]((?:${namespaces})\\.[a-z0-9_]+(?:\\.[a-z0-9_]+)*)['\`]`, 'g');
    const used = new Set<string>();
    for (const f of files('src')) for (const m of readFileSync(f, 'utf8').matchAll(literal)) if (!/\.(ts|js)$/.test(m[1])) used.add(m[1]);
    expect(used.size).toBeGreaterThan(50);
    // a literal may name a group of keys that code completes (`stats.receipt` + '.' + name)
    const isGroup = (k: string) => [...zhKeys.keys()].some((z) => z.startsWith(`${k}.`));
    const missing = [...used].filter((k) => !isGroup(k) && (!zhKeys.has(k) || !enKeys.has(k)));
    expect(missing).toEqual([]);
  });

  it('every risk-flag code has a message and every message under form.risk is a code', () => {
    const messages = [...zhKeys.keys()].filter((k) => k.startsWith('form.risk.')).map((k) => k.slice('form.risk.'.length));
    expect([...FLAG_CODES].sort()).toEqual(messages.sort());
  });
});
