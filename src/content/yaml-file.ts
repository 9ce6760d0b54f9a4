/**
 * YAML content files, parsed once per version of their text. Parsing the 170 KB of content/ with `yaml` took about
 * half a second of every start (and loading the library more); the parsed value is kept as JSON, keyed by the SHA-256
 * of the file's bytes, so a start reads the file, hashes it and reads the JSON (a few ms). A changed file has another
 * hash: there is nothing to invalidate. Validation still runs on every value, cached or not. When the cache folder
 * cannot be written (read-only install) files are simply parsed each time.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Yaml from 'yaml';

// src/content and dist/content lie at the same depth under the project
const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/bangfu-content/', import.meta.url));
const requireHere = createRequire(import.meta.url);
let yaml: typeof Yaml | undefined;

/** The parsed value of a YAML file; throws the parser's error (with its line) for a malformed one. */
export function readYamlFile(file: string): unknown {
  const bytes = readFileSync(file);
  const cached = join(CACHE_DIR, `${createHash('sha256').update(bytes).digest('hex')}.json`);
  try {
    return JSON.parse(readFileSync(cached, 'utf8'));
  } catch {
    // not cached yet (or unreadable): parse
  }
  const value = parseYaml(bytes.toString('utf8'));
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    // written aside and renamed: a start reading at the same moment sees the whole file or none
    const tmp = `${cached}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, cached);
  } catch {
    // a read-only install parses every time
  }
  return value;
}

/** YAML text parsed without the cache (a one-off file, such as a trainer's import); the library loads on first use. */
export function parseYaml(text: string): unknown {
  yaml ??= requireHere('yaml') as typeof Yaml;
  return yaml.parse(text) as unknown;
}
