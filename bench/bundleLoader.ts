// Loads a CommonJS bundle cold, in a fresh Node process, the way an extension host loads
// dist/extension.js at activation: used by the activation benchmark and by the unit test that
// checks activation reads no vendor code (S3 SDK, undici) and no webview code.
import { execFile } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');

/** Loads `target` in a fresh Node, `vscode` resolving to a stand-in with the API's top-level names
 * (from @types/vscode) as empty constructors: a bundle's top level only builds emitters. Prints
 * ms and the files loaded. */
const LOADER = `
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
const api = require('node:fs').readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
const names = new Set([...api.matchAll(/^\\s*export (?:class|namespace|enum|const|function|let) (\\w+)/gm)].map((m) => m[1]));
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: Object.fromEntries([...names].map((n) => [n, function Any() {}])) };
const t0 = process.hrtime.bigint();
require(process.argv[1]);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
process.stdout.write(JSON.stringify({ ms, files: Object.keys(require.cache).filter((f) => f !== 'vscode') }));
`;

export function loadOnce(target: string): Promise<{ ms: number; files: string[] }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', LOADER, target], { cwd: ROOT }, (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))));
  });
}

