import { existsSync } from 'node:fs';
import type { Config } from '../config.js';
import { hasRegistryCells, normaliseCode, validateRoster, type RegistryCheck } from '../core/roster/validate.js';
import { registryCell, withIdFacts } from '../core/forms/registry.js';
import type { Answers, RepeatItem } from '../core/forms/index.js';
import { loadContent } from '../content/index.js';
import { ROLE_NAMES } from '../core/roster/columns.js';
import { localDate, localDateTime } from '../core/time.js';
import type { Db } from '../db/client.js';
import { createInvite, revokeInvites } from '../db/invite-repo.js';
import { createWebLink } from '../db/web-auth-repo.js';
import { dashboardBase, mayUseDashboard, WEB_LINK_TTL_MS } from '../app/web-access.js';
import { actorByPersonId, findPeople, personById, restorePerson, revokePerson, type PersonRow } from '../db/people-repo.js';
import { applyRoster, knownRosterCodes, type ImportReport } from '../db/roster-repo.js';
import { readRosterFile, writeRosterTemplate } from '../content/roster-file.js';
import { fileErrorMessage } from '../content/sheet-cells.js';
import type { Translate } from '../i18n.js';
import { demoSheets, DEMO_PEOPLE } from './demo-district.js';
import type { ParsedSheet, RosterError } from '../core/roster/validate.js';

export interface CliEnv {
  config: Config;
  db: Db;
  t: Translate;
  out: (line: string) => void;
  now: number;
  /** the bot's username for deep links, when a token lets us ask */
  botUsername?: string;
}

/** Exit status: 0 success, 1 bad input (the reasons are printed), 2 misuse (the usage is printed). */
export type Exit = 0 | 1 | 2;

export async function rosterTemplate(env: CliEnv, file: string | undefined): Promise<Exit> {
  if (!file) return usage(env);
  await writeRosterTemplate(file);
  env.out(env.t('cli.template_written', { file }));
  return 0;
}

export async function importRoster(env: CliEnv, file: string | undefined): Promise<Exit> {
  if (!file) return usage(env);
  if (!existsSync(file)) return env.out(env.t('cli.file_missing', { file })), 1;
  const read = await readRosterFile(file);
  if (read.fileError) {
    const m = fileErrorMessage(read.fileError);
    env.out(env.t('cli.import_failed', { count: 1 }));
    env.out('  ' + env.t(m.key, m.params));
    return 1;
  }
  return importSheets(env, read.sheets, read.errors);
}

/** Validates everything, then applies all or nothing. */
export function importSheets(env: CliEnv, sheets: ParsedSheet[], readErrors: RosterError[] = []): Exit {
  const today = localDate(env.now, env.config.timezone);
  let registry: RegistryCheck | undefined;
  if (hasRegistryCells(sheets)) {
    // registry facts are checked by the card's own field definitions: loaded only when a file has some
    const loaded = loadContent(env.config.contentDir);
    if (!loaded.ok) {
      for (const e of loaded.errors) env.out(e);
      return 1;
    }
    const { card, forms, settings } = loaded.content;
    const all = [card, ...[...forms.values()].filter((f) => f !== card)];
    const ctx = { today, nowMs: env.now, settings };
    registry = (field, text, answers, item) =>
      registryCell(all, ctx, field, text, answers as Answers, item ? withIdFacts(item as RepeatItem) : undefined);
  }
  const checked = validateRoster(sheets, knownRosterCodes(env.db), today, registry);
  const errors = [...readErrors, ...(checked.ok ? [] : checked.errors)];
  if (errors.length || !checked.ok) {
    env.out(env.t('cli.import_failed', { count: errors.length }));
    for (const e of errors)
      env.out('  ' + env.t('cli.import_error_line', { ...e, message: env.t(e.message.key, e.message.params) }));
    return 1;
  }
  const report = applyRoster(env.db, checked.data, env.now);
  env.out(env.t('cli.import_ok'));
  printReport(env, report);
  for (const w of checked.warnings)
    env.out('  ' + env.t('roster.warn.line', { ...w, message: env.t(w.message.key, w.message.params) }));
  return 0;
}

function printReport(env: CliEnv, report: ImportReport): void {
  for (const what of Object.keys(report) as (keyof ImportReport)[]) {
    env.out('  ' + env.t('cli.import_counts', { what: env.t(`what.${what}`), ...report[what] }));
  }
}

function onePerson(env: CliEnv, key: string | undefined): PersonRow | undefined {
  if (!key) return undefined;
  let found = findPeople(env.db, key);
  if (!found.length && normaliseCode(key) !== key) found = findPeople(env.db, normaliseCode(key));
  if (found.length === 0) env.out(env.t('cli.no_person', { key }));
  if (found.length > 1) env.out(env.t('cli.many_people', { key, codes: found.map((p) => p.code).join(', ') }));
  return found.length === 1 ? found[0] : undefined;
}

/** `invite <person>`: a new code voids the older unused ones; a person already bound needs `rebind`. */
export function invite(env: CliEnv, key: string | undefined): Exit {
  if (!key) return usage(env);
  const p = onePerson(env, key);
  if (!p) return 1;
  if (p.revokedAt !== null) return env.out(env.t('cli.person_revoked', { name: p.name, code: p.code })), 1;
  if (p.telegramId !== null) return env.out(env.t('security.cli_already_bound', { name: p.name, code: p.code })), 1;
  printInvite(env, p, 'bind');
  return 0;
}

/** `rebind <person>`: a code that moves a bound person to the account that redeems it (the old binding ends then). */
export function rebind(env: CliEnv, key: string | undefined): Exit {
  if (!key) return usage(env);
  const p = onePerson(env, key);
  if (!p) return 1;
  if (p.revokedAt !== null) return env.out(env.t('cli.person_revoked', { name: p.name, code: p.code })), 1;
  printInvite(env, p, 'rebind');
  if (p.telegramId !== null) env.out(env.t('security.cli_rebind_note'));
  return 0;
}

function printInvite(env: CliEnv, p: PersonRow, purpose: 'bind' | 'rebind'): string {
  const inv = createInvite(env.db, p.id, env.now, { purpose });
  const expires = localDateTime(inv.expiresAt, env.config.timezone);
  env.out(env.t('cli.invite_line', { name: p.name, code: p.code, invite: inv.code, expires }));
  if (inv.voided) env.out(env.t('security.cli_invites_voided', { count: inv.voided }));
  env.out(
    env.botUsername
      ? env.t('cli.invite_link', { link: `https://t.me/${env.botUsername}?start=${inv.code}` })
      : env.t('cli.invite_no_link', { invite: inv.code }),
  );
  return inv.code;
}

/** `web-link <person>`: a one-time dashboard sign-in link for a supervisor or trainer (PUBLIC_URL, else localhost). */
export function webLink(env: CliEnv, key: string | undefined): Exit {
  if (!key) return usage(env);
  const p = onePerson(env, key);
  if (!p) return 1;
  if (p.revokedAt !== null) return env.out(env.t('cli.person_revoked', { name: p.name, code: p.code })), 1;
  if (!mayUseDashboard(actorByPersonId(env.db, p.id))) return env.out(env.t('cli.web_link_role', { name: p.name, code: p.code })), 1;
  const link = createWebLink(env.db, p.id, env.now, WEB_LINK_TTL_MS);
  const url = `${dashboardBase(env)}/web/in/${link.token}`;
  env.out(env.t('cli.web_link', { name: p.name, code: p.code, link: url, expires: localDateTime(link.expiresAt, env.config.timezone) }));
  return 0;
}

export function revoke(env: CliEnv, key: string | undefined): Exit {
  if (!key) return usage(env);
  const p = onePerson(env, key);
  if (!p) return 1;
  const count = revokeInvites(env.db, p.id, env.now);
  revokePerson(env.db, p.id, env.now);
  env.out(env.t('cli.revoked', { name: p.name, code: p.code, count }));
  return 0;
}

export function restore(env: CliEnv, key: string | undefined): Exit {
  if (!key) return usage(env);
  const p = onePerson(env, key);
  if (!p) return 1;
  restorePerson(env.db, p.id, env.now);
  env.out(env.t('cli.restored', { name: p.name, code: p.code }));
  return 0;
}

/** Imports the demo district and prints `role<TAB>name<TAB>invite code` per demo person. */
export function seedDemo(
  env: CliEnv,
  print: (line: string) => void = console.log,
  note: (line: string) => void = (line) => console.error(line),
): Exit {
  const quiet: CliEnv = { ...env, out: () => undefined };
  const status = importSheets(quiet, demoSheets());
  if (status !== 0) return importSheets(env, demoSheets());
  note(env.t('cli.seeded'));
  for (const [code, name, , , roles] of DEMO_PEOPLE) {
    const p = findPeople(env.db, code)[0];
    if (p.revokedAt !== null) restorePerson(env.db, p.id, env.now);
    const inv = createInvite(env.db, personById(env.db, p.id)!.id, env.now, { purpose: p.telegramId === null ? 'bind' : 'rebind' });
    const roleCodes = roles.split(',').map((r) => ROLE_NAMES[r]);
    print(`${roleCodes.join('+')}\t${name}\t${inv.code}`);
  }
  return 0;
}

export function usage(env: CliEnv): Exit {
  env.out(env.t('cli.usage'));
  return 2;
}
