// Shared by the container unit tests: fixture paths, golden-file comparison, stand-in tools.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const FIXTURES = path.resolve(__dirname, '../fixtures/container');
export const STANDIN_BIN = path.join(FIXTURES, 'bin');
export const MODELS = ['sklearn-wine', 'llm-lora', 'conda-only'] as const;
export const HOSTILE_NAME = "x'; rm -rf ~; '";

/** Compares with test/fixtures/container/golden/<name>; UPDATE_GOLDEN=1 rewrites it instead. */
export function assertGolden(name: string, actual: string): void {
  const file = path.join(FIXTURES, 'golden', name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    if (process.env.UPDATE_GOLDEN !== '1') assert.fail(`golden file ${name} is missing (run with UPDATE_GOLDEN=1 to create it)`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `differs from golden/${name} (UPDATE_GOLDEN=1 after checking the change)`);
}

export interface StandinCall {
  tool: string;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  body?: string;
}

export function readCalls(logFile: string): StandinCall[] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as StandinCall);
}
