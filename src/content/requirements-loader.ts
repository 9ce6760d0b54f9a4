/** Loads and validates the requirement packs of content/requirements/*.yaml at start-up (the folder is optional). */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readYamlFile } from './yaml-file.js';
import { validatePack, type Requirement, type RequirementPack } from '../core/requirements/index.js';
import type { Bank } from '../core/quiz/index.js';

/** Every pack, every clause by id, and the packs' questions as banks (with the file each came from). */
export interface RequirementContent {
  packs: RequirementPack[];
  requirements: Requirement[];
  byId: Map<string, Requirement>;
  banks: { bank: Bank; file: string }[];
}

export type RequirementLoadResult = { ok: true; content: RequirementContent } | { ok: false; errors: string[] };

/** An empty set, for a content folder without requirements. */
export const NO_REQUIREMENTS: RequirementContent = { packs: [], requirements: [], byId: new Map(), banks: [] };

export function loadRequirementPacks(dir: string): RequirementLoadResult {
  if (!existsSync(dir)) return { ok: true, content: NO_REQUIREMENTS };
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort();
  const errors: string[] = [];
  const packs: RequirementPack[] = [];
  const banks: { bank: Bank; file: string }[] = [];
  const byId = new Map<string, Requirement>();
  const packIds = new Set<string>();
  for (const name of files) {
    const file = join(dir, name);
    let raw: unknown;
    try {
      raw = readYamlFile(file);
    } catch (e) {
      errors.push(`${file}: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    const result = validatePack(raw, file);
    if (!result.ok) {
      errors.push(...result.errors);
      continue;
    }
    const { pack, bank } = result.value;
    if (packIds.has(pack.id)) errors.push(`${file}: pack.id: ${pack.id} is used by another pack`);
    packIds.add(pack.id);
    for (const r of pack.requirements) {
      if (byId.has(r.id)) errors.push(`${file}: requirements: ${r.id} is used by another pack`);
      byId.set(r.id, r);
    }
    packs.push(pack);
    if (bank) banks.push({ bank, file });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, content: { packs, requirements: [...byId.values()], byId, banks } };
}
