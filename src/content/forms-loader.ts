/** Loads the card definitions in content/forms/*.yaml and validates them; errors name file, form and field. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readYamlFile } from './yaml-file.js';
import { validateFormDefinition, type FormDefinition } from '../core/forms/index.js';
import { resolveExtends } from '../core/forms/extend.js';

/** One form, or every problem of every file. */
export type FormLoadResult = { ok: true; form: FormDefinition } | { ok: false; errors: string[] };
/** All forms by id, or every problem. */
export type FormsLoadResult = { ok: true; forms: Map<string, FormDefinition> } | { ok: false; errors: string[] };

/** Default location of the form definitions, relative to the working directory. */
const FORMS_DIR = 'content/forms';

/** Reads and validates one form file. */
export function loadForm(file: string): FormLoadResult {
  let raw: unknown;
  try {
    raw = readYamlFile(file);
  } catch (e) {
    return { ok: false, errors: [`${file}: ${(e as Error).message.split('\n')[0]}`] };
  }
  return validateFormDefinition(raw, file);
}

/**
 * Reads every `*.yaml` of a directory; form ids must be unique. A form that `extends` another gets the other's
 * shared sections and rules copied in before it is validated (src/core/forms/extend.ts).
 */
export function loadForms(dir: string = FORMS_DIR): FormsLoadResult {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/i.test(f)).sort();
  if (files.length === 0) return { ok: false, errors: [`${dir}: no form definitions (*.yaml)`] };
  const forms = new Map<string, FormDefinition>();
  const errors: string[] = [];
  const raws: { file: string; raw: Record<string, unknown> }[] = [];
  for (const name of files) {
    const file = join(dir, name);
    try {
      const raw: unknown = readYamlFile(file);
      if (raw && typeof raw === 'object' && !Array.isArray(raw)) raws.push({ file, raw: raw as Record<string, unknown> });
      else errors.push(`${file}: the file must be a mapping`);
    } catch (e) {
      errors.push(`${file}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const bases = new Map(raws.filter((r) => typeof r.raw.id === 'string').map((r) => [r.raw.id as string, r.raw]));
  for (const { file, raw } of raws) {
    const resolved = resolveExtends(raw, bases, file);
    const r = resolved.ok ? validateFormDefinition(resolved.raw, file) : resolved;
    if (!r.ok) errors.push(...r.errors);
    else if (forms.has(r.form.id)) errors.push(`${file}: form ${r.form.id}: duplicate form id (also in another file)`);
    else forms.set(r.form.id, r.form);
  }
  return errors.length ? { ok: false, errors } : { ok: true, forms };
}
