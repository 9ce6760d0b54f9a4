/**
 * What an export allocates per row must die young. Garbage that survives two scavenges is promoted to the old
 * generation, which grows until its next full collection: the process's peak RSS then follows the rows (the
 * `export_rss_growth` bench target). The number-to-string cache of V8 did this to every row number and numeric cell
 * (about 5 MB promoted per 40,000 rows of this sheet). V8 reports each scavenge's promoted bytes with
 * --trace-gc-nvp; a real export runs in a child process, and the promotion of a short and of a three times longer
 * export are compared, so what start-up and the writer's bounded tables promote once cancels out.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { numberText } from '../../src/reports/xlsx.js';
import fc from 'fast-check';

const dir = mkdtempSync(path.join(tmpdir(), 'xlsx-promotion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bytes promoted by the scavenges between the child's EXPORT START and EXPORT END lines. */
function promotedBytes(rows: number): number {
  const r = spawnSync(
    process.execPath,
    ['--trace-gc-nvp', '--import', 'tsx', 'test/support/export-promotion.ts', path.join(dir, `p${rows}.xlsx`), String(rows)],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  const lines = r.stdout.split('\n');
  const start = lines.indexOf('EXPORT START');
  const end = lines.indexOf('EXPORT END');
  expect(start, 'the child marks its export').toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  let promoted = 0;
  let scavenges = 0;
  for (const line of lines.slice(start, end)) {
    const m = / gc=s .* promoted=(\d+)/.exec(line);
    if (!m) continue;
    promoted += Number(m[1]);
    scavenges++;
  }
  // a run without scavenges would pass whatever the writer keeps
  expect(scavenges, `scavenges during ${rows} rows`).toBeGreaterThan(20);
  return promoted;
}

it('an export promotes no more for three times the rows', () => {
  const short = promotedBytes(20_000);
  const long = promotedBytes(60_000);
  // measured: about 0.5 MB for either length; through the number-to-string cache, 3.1 MB and 6.7 MB
  expect((long - short) / 1024 / 1024, `promoted ${short} bytes for 20,000 rows, ${long} for 60,000`).toBeLessThan(1);
});

it('numberText writes every finite number as String does', () => {
  for (const n of [0, -0, 1, -1, 0.1 + 0.2, 1e21, 1e-7, 123e-20, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, Number.MAX_VALUE, 42_917.5]) {
    expect(numberText(n)).toBe(String(n));
  }
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => numberText(n) === String(n)));
  fc.assert(fc.property(fc.integer({ min: -(2 ** 53), max: 2 ** 53 }), (n) => numberText(n) === String(n)));
});
