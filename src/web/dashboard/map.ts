/**
 * The households' map as plain SVG: positions projected onto a blank background (no tiles, nothing fetched from
 * elsewhere), village names at the middle of their households, each household a dot coloured by pace and ringed
 * when it has open flags, linking to its page (which checks the scope again).
 */
import { html } from 'hono/html';
import type { MapPoint, VillageLabel } from '../../app/household-map.js';
import type { Translate } from '../../core/i18n-keys.js';
import type { Html } from './render.js';

const W = 1000;
const H = 700;
const PAD = 40;
export const PACE_COLOUR = { on_pace: '#2e7d32', behind: '#ef8f00', overdue: '#c62828' } as const;

export function mapSvg(points: readonly MapPoint[], villages: readonly VillageLabel[], t: Translate): Html {
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  const mid = (Math.min(...lats) + Math.max(...lats)) / 2;
  // a degree of longitude is shorter away from the equator: scale it so distances look right
  const k = Math.cos((mid * Math.PI) / 180);
  const x0 = Math.min(...lons) * k;
  const x1 = Math.max(...lons) * k;
  const y0 = Math.min(...lats);
  const y1 = Math.max(...lats);
  const span = Math.max(x1 - x0, y1 - y0, 0.002);
  const scale = Math.min((W - 2 * PAD) / span, (H - 2 * PAD) / span);
  const x = (lon: number) => (PAD + (lon * k - x0) * scale).toFixed(1);
  const y = (lat: number) => (H - PAD - (lat - y0) * scale).toFixed(1);
  const legend = (['on_pace', 'behind', 'overdue'] as const).map(
    (p, i) => html`<circle cx="${20 + i * 160}" cy="20" r="7" fill="${PACE_COLOUR[p]}"/><text x="${32 + i * 160}" y="25">${t(PACE_KEYS[p])}</text>`,
  );
  return html`<div class="scroll"><svg id="map" viewBox="0 0 ${W} ${H}" width="100%" role="img" style="background:#eef2f5;font-size:18px">
${legend}<circle cx="500" cy="20" r="9" fill="none" stroke="#1b1f23" stroke-width="3"/><text x="515" y="25">${t('web.map_flag')}</text>
${villages.map((v) => html`<text class="village" x="${x(v.lon)}" y="${y(v.lat)}" text-anchor="middle" fill="#555" dy="-14">${v.name}</text>`)}
${points.map(
  (p) =>
    html`<a href="/web/households/${p.id}"><circle class="hh" data-pace="${p.pace}" cx="${x(p.lon)}" cy="${y(p.lat)}" r="7" fill="${PACE_COLOUR[p.pace]}"${
      p.openFlags ? html` stroke="#1b1f23" stroke-width="3"` : ''
    }><title>${p.code}</title></circle></a>`,
)}</svg></div>`;
}

const PACE_KEYS = { on_pace: 'stats.pace.on_pace', behind: 'stats.pace.behind', overdue: 'stats.pace.overdue' } as const;
