/**
 * Who may use the web dashboard and how they get in: supervisors and trainers, by a one-time link the bot sends
 * (`/web`) or the admin CLI prints, or from the Telegram Mini App (the channel checks Telegram's signature and names
 * the account). Every request re-reads the person behind the session, so a revoked person or a withdrawn role is
 * refused at once, whatever their cookie says.
 */
import { hasRole, type Actor } from '../core/people/roles.js';
import { actorByPersonId, actorByTelegramId, audit } from '../db/people-repo.js';
import { createWebLink, createWebSession, endWebSession, useWebLink, webSession } from '../db/web-auth-repo.js';
import { ok, refuse, type AppDeps, type Result } from './deps.js';
import { msg, raw, ViewBuilder, type ChatView } from './views.js';

/** A sign-in link works once, within this time. */
export const WEB_LINK_TTL_MS = 10 * 60_000;
/** A browser session lasts a working day; the Mini App opens a fresh one each time. */
export const WEB_SESSION_TTL_MS = 12 * 3600_000;

/** Supervisors read figures, flags, reviews and exports; trainers read their pushes' results. */
export function mayUseDashboard(actor: Actor | undefined): actor is Actor {
  return hasRole(actor, 'supervisor') || hasRole(actor, 'trainer');
}

/** The dashboard's address: PUBLIC_URL, else this machine's port. */
export function dashboardBase(deps: Pick<AppDeps, 'config'>): string {
  return deps.config.publicUrl ?? `http://localhost:${deps.config.port ?? 8080}`;
}

/** The Mini App's address, when the dashboard is reachable over https (Telegram opens nothing else). */
export function miniAppUrl(deps: AppDeps): string | undefined {
  const base = deps.config.publicUrl;
  return base?.startsWith('https://') && deps.config.port !== undefined ? `${base}/web/app` : undefined;
}

export interface WebLink {
  url: string;
  expiresAt: number;
  miniApp: string | undefined;
  view: ChatView;
}

/** A one-time sign-in link for the actor (supervisor or trainer); their older unused links stop working. */
export function webLinkFor(deps: AppDeps, actor: Actor | undefined): Result<WebLink, 'role' | 'no_server'> {
  if (!mayUseDashboard(actor)) return refuse('role');
  if (deps.config.port === undefined) return refuse('no_server');
  const { token, expiresAt } = createWebLink(deps.db, actor.personId, deps.now(), WEB_LINK_TTL_MS);
  const url = `${dashboardBase(deps)}/web/in/${token}`;
  audit(deps.db, deps.now(), 'web_link', { personId: actor.personId }, '{}');
  const view = new ViewBuilder()
    .line(msg('web.link', { minutes: Math.round(WEB_LINK_TTL_MS / 60_000) }))
    .line(raw(url))
    .build();
  return ok({ url, expiresAt, miniApp: miniAppUrl(deps), view });
}

export interface SignedIn {
  token: string;
  expiresAt: number;
  actor: Actor;
}

function startSession(deps: AppDeps, actor: Actor & { locale: string | null }, via: 'link' | 'miniapp'): SignedIn {
  const s = createWebSession(deps.db, actor.personId, via, actor.locale, deps.now(), WEB_SESSION_TTL_MS);
  audit(deps.db, deps.now(), 'web_sign_in', { personId: actor.personId }, JSON.stringify({ via }));
  return { ...s, actor };
}

/** Uses a sign-in link (once): a session for its person if they may still use the dashboard. */
export function signInWithLink(deps: AppDeps, token: string): Result<SignedIn, 'unknown' | 'used' | 'expired' | 'role'> {
  const used = useWebLink(deps.db, token, deps.now());
  if (!used.ok) return refuse(used.reason);
  const actor = actorByPersonId(deps.db, used.personId);
  if (!mayUseDashboard(actor)) return refuse('role');
  return ok(startSession(deps, actor, 'link'));
}

/** A session for the Telegram account the channel vouches for (Mini App data whose signature it checked). */
export function signInWithTelegram(deps: AppDeps, telegramId: number): Result<SignedIn, 'role'> {
  const actor = actorByTelegramId(deps.db, telegramId);
  if (!mayUseDashboard(actor)) return refuse('role');
  return ok(startSession(deps, actor, 'miniapp'));
}

export interface DashboardUser {
  actor: Actor;
  locale: string | null;
}

/**
 * The person behind a session, re-read now: signed out, revoked and role withdrawn are refused alike. A session is
 * accepted only the way it was handed out (`via`): a link's as the cookie, a Mini App's as the request header.
 */
export function dashboardUser(deps: AppDeps, sessionToken: string | undefined, via: 'link' | 'miniapp'): Result<DashboardUser, 'signed_out' | 'role'> {
  const s = sessionToken ? webSession(deps.db, sessionToken, deps.now()) : undefined;
  if (!s || s.via !== via) return refuse('signed_out');
  const actor = actorByPersonId(deps.db, s.personId);
  if (!actor) return refuse('signed_out');
  if (!mayUseDashboard(actor)) return refuse('role');
  return ok({ actor, locale: s.locale ?? actor.locale });
}

export function signOut(deps: AppDeps, sessionToken: string): void {
  endWebSession(deps.db, sessionToken, deps.now());
}
