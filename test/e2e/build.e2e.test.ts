/**
 * The production build (`npm start` runs dist/, built by its prestart step; vitest's setup built it as prestart
 * would): the bundle starts and refuses a start without a token as src/ does, and its spreadsheet worker, a bundle of
 * its own found beside the bot's, reads a question sheet.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/content/sheet-cells.js';
import type { SheetResult } from '../../src/content/quiz-spreadsheet.js';
import { questionFile } from '../support/question-file.js';
import { packageScriptArgs, scriptArgs } from '../support/node-script.js';

const dir = mkdtempSync(join(tmpdir(), 'build-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the built bot (dist/)', () => {
  it('npm start runs the bundle, which stops without BOT_TOKEN naming it', () => {
    expect(packageScriptArgs('start')).toEqual(['dist/main.js']);
    expect(statSync('dist/main.js').isFile()).toBe(true);
    const r = spawnSync(process.execPath, packageScriptArgs('start'), {
      env: { ...process.env, BOT_TOKEN: '', DATABASE_PATH: join(dir, 'a.sqlite') },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('BOT_TOKEN');
  });

  it('the admin CLI bundle the tests start (dist/admin.js) is the CLI npm run admin runs under tsx', () => {
    expect(scriptArgs('admin', 'verify')).toEqual(['dist/admin.js', 'verify']);
    const env = { ...process.env, DATABASE_PATH: join(dir, 'admin.sqlite') };
    const viaTsx = spawnSync(process.execPath, packageScriptArgs('admin'), { env, encoding: 'utf8' });
    const bundled = spawnSync(process.execPath, scriptArgs('admin'), { env, encoding: 'utf8' });
    // no command: the usage, in full, and the same exit code
    expect(viaTsx.stdout + viaTsx.stderr).toContain('roster-template');
    expect(bundled.stdout).toBe(viaTsx.stdout);
    expect(bundled.stderr).toBe(viaTsx.stderr);
    expect(bundled.status).toBe(viaTsx.status);
  });

  it("the bundle's spreadsheet worker reads a question sheet", async () => {
    const file = await questionFile(join(dir, 'q.xlsx'), 3);
    const worker = new Worker(new URL('../../dist/content/spreadsheet-worker.js', import.meta.url), { workerData: { kind: 'quiz', file, limits: DEFAULT_LIMITS } });
    const result = await new Promise<SheetResult>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(result.ok && result.questions.map((q) => q.id)).toEqual(['Q0', 'Q1', 'Q2']);
  });
});
