import { join } from 'node:path';
import type { Settings } from '../core/forms/settings.js';
import { loadSettings } from './settings-loader.js';

/** All content the bot needs, loaded and validated once at start-up. */
export interface Content {
  settings: Settings;
}

export type ContentResult = { ok: true; content: Content } | { ok: false; errors: string[] };

/** Loads content/ (settings, forms, quiz banks); every error names its file. */
export function loadContent(dir: string): ContentResult {
  const settings = loadSettings(join(dir, 'settings.yaml'));
  if (!settings.ok) return { ok: false, errors: settings.errors };
  return { ok: true, content: { settings: settings.settings } };
}
