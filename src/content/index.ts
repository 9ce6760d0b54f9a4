import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../core/forms/settings.js';
import type { FormDefinition } from '../core/forms/types.js';
import { loadSettings } from './settings-loader.js';
import { loadQuizBanks, type QuizContent } from './quiz-loader.js';
import { describeBankError } from '../core/quiz/index.js';
import { loadForms } from './forms-loader.js';
import { loadPeriods } from './periods-loader.js';
import type { RulePeriod } from '../core/rules/periods.js';
import { loadRequirementPacks, type RequirementContent } from './requirements-loader.js';

/** All content the bot needs, loaded and validated once at start-up. */
export interface Content {
  settings: Settings;
  /** the card form of settings.card_form: for a date no rule period covers (cardFormOn picks by date) */
  card: FormDefinition;
  /** the periods of the rules, in order (content/rule-periods.yaml) */
  periods: RulePeriod[];
  /** card definitions by form id (the latest version of each) */
  forms: Map<string, FormDefinition>;
  /** question banks of content/quizzes (validated; ids unique across files) */
  quizzes: QuizContent;
  /** requirement packs of content/requirements (their questions are in `quizzes` too) */
  requirements: RequirementContent;
}

export type ContentResult = { ok: true; content: Content } | { ok: false; errors: string[] };

/** Loads content/ (settings, forms, quiz banks); every error names its file. */
export function loadContent(dir: string): ContentResult {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { ok: false, errors: [`${dir}: not a folder (CONTENT_DIR)`] };
  try {
    return loadFrom(dir);
  } catch (e) {
    // an unreadable or missing sub-folder: one line naming it, not a stack
    return { ok: false, errors: [`${dir}: ${(e as Error).message.split('\n')[0]}`] };
  }
}

function loadFrom(dir: string): ContentResult {
  const settings = loadSettings(join(dir, 'settings.yaml'));
  const forms = loadForms(join(dir, 'forms'));
  const periods = loadPeriods(join(dir, 'rule-periods.yaml'));
  const requirements = loadRequirementPacks(join(dir, 'requirements'));
  const quizzes = loadQuizBanks(join(dir, 'quizzes'), requirements.ok ? requirements.content.banks : []);
  const errors = [
    ...(settings.ok ? [] : settings.errors),
    ...(periods.ok ? [] : periods.errors),
    ...(forms.ok ? [] : forms.errors),
    ...(requirements.ok ? [] : requirements.errors),
    ...(quizzes.ok ? [] : quizzes.errors.map(describeBankError)),
  ];
  if (!settings.ok || !forms.ok || !quizzes.ok || !periods.ok || !requirements.ok) return { ok: false, errors };
  const card = forms.forms.get(settings.settings.card_form);
  if (!card) return { ok: false, errors: [`settings.yaml: card_form: ${settings.settings.card_form} is not a form in forms/`] };
  const missing = periods.periods.filter((p) => !forms.forms.has(p.card_form));
  if (missing.length) return { ok: false, errors: missing.map((p) => `rule-periods.yaml: ${p.id}: card_form ${p.card_form} is not a form in forms/`) };
  return { ok: true, content: { settings: settings.settings, card, periods: periods.periods, forms: forms.forms, quizzes: quizzes.content, requirements: requirements.content } };
}

