/** Loads content/settings.yaml (visit target, poverty lines, evidence and relapse rules) and validates it. */
import { readYamlFile } from './yaml-file.js';
import { validateSettings, type Settings } from '../core/forms/settings.js';

/** Settings, or every problem found (each naming the file). */
export type SettingsLoadResult = { ok: true; settings: Settings } | { ok: false; errors: string[] };

/** Reads and validates a settings YAML file. */
export function loadSettings(file: string): SettingsLoadResult {
  let raw: unknown;
  try {
    raw = readYamlFile(file);
  } catch (e) {
    return { ok: false, errors: [`${file}: ${(e as Error).message.split('\n')[0]}`] };
  }
  return validateSettings(raw, file);
}
