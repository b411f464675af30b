// The README inside the packaged .vsix, as the installed extension's page shows it: VS Code shows
// README pictures there only from https: URLs, so every picture link in the packaged README must
// be https (MLWF_IMAGES_BASE_URL, or the repository's raw files when package.json names one) or,
// with neither, the picture must be left out: never a relative link the page would drop.
// Packages for real (scripts/package-vsix.sh, vsce) in a copy of the project and reads the .vsix.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = path.join(__dirname, '..', '..');
const PICTURE = /!\[[^\]]*\]\(([^)]+)\)/g;

/** The picture links of a Markdown text, in order. */
const pictures = (markdown: string): string[] => [...markdown.matchAll(PICTURE)].map((m) => m[1]!);

/** A file of a .vsix (a zip), read with Python's zipfile (python3 is already needed for MLflow). */
function vsixFile(vsix: string, name: string): string {
  return execFileSync('python3', ['-c', 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())', vsix, name], { encoding: 'utf8' });
}

function vsixNames(vsix: string): string[] {
  return execFileSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', vsix], { encoding: 'utf8' }).trim().split('\n');
}

describe('the packaged README (npm run package)', { timeout: 240_000 }, () => {
  let copy = '';
  const readmePictures = pictures(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));

  /** Runs the project's packaging script in the copy and returns the .vsix's path and its output. */
  function pack(name: string, env: Record<string, string> = {}): { vsix: string; output: string } {
    const vsix = path.join(copy, `${name}.vsix`);
    const clean = { ...process.env };
    delete clean.MLWF_IMAGES_BASE_URL;
    const output = execFileSync('bash', [path.join(copy, 'scripts', 'package-vsix.sh')], {
      cwd: copy,
      env: { ...clean, VSIX_PREBUILT: '1', VSIX_OUT: vsix, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { vsix, output };
  }

  before(() => {
    // A copy of the project's files (what a clone holds) with its own production build, so the
    // package's package.json can name a repository without touching the real one.
    copy = mkdtempSync(path.join(tmpdir(), 'mlwf-package-'));
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n');
    for (const file of files) {
      mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      try {
        copyFileSync(path.join(ROOT, file), path.join(copy, file));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; // deleted, not yet committed
      }
    }
    symlinkSync(realpathSync(path.join(ROOT, 'node_modules')), path.join(copy, 'node_modules'));
    execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: copy, stdio: 'ignore' });
  });
  after(() => rmSync(copy, { recursive: true, force: true }));

  it('the README has pictures to check', () => {
    assert.ok(readmePictures.length >= 5, `${readmePictures.length} pictures`);
    assert.ok(readmePictures.every((p) => !/^[a-z]+:/i.test(p)), 'the README links its pictures relatively (media/screenshots/…)');
  });

  it('MLWF_IMAGES_BASE_URL: every picture is loaded from it, none is relative', () => {
    const { vsix } = pack('base-url', { MLWF_IMAGES_BASE_URL: 'https://pictures.test/mlwf' });
    const inside = pictures(vsixFile(vsix, 'extension/readme.md'));
    assert.deepEqual(inside, readmePictures.map((p) => `https://pictures.test/mlwf/${p}`));
  });

  it('MLWF_IMAGES_BASE_URL must be https (the page shows no http pictures)', () => {
    assert.throws(() => pack('http', { MLWF_IMAGES_BASE_URL: 'http://pictures.test/mlwf/' }), /must be an https:\/\/ URL/);
  });

  it('a repository in package.json: the pictures come from its raw files, and MLWF_IMAGES_BASE_URL still overrides it', () => {
    const manifestPath = path.join(copy, 'package.json');
    const original = readFileSync(manifestPath, 'utf8');
    // A name the test makes up for the copy, never published: the assertion is that vsce derives
    // the raw-file URL from whatever repository package.json names.
    writeFileSync(manifestPath, JSON.stringify({ ...JSON.parse(original), repository: { type: 'git', url: 'https://github.com/example-group/mlwf-vscode.git' } }, null, 2));
    try {
      const fromRepository = pictures(vsixFile(pack('repository').vsix, 'extension/readme.md'));
      assert.deepEqual(fromRepository, readmePictures.map((p) => `https://github.com/example-group/mlwf-vscode/raw/HEAD/${p}`));
      const overridden = pictures(vsixFile(pack('repository-override', { MLWF_IMAGES_BASE_URL: 'https://pictures.test/mlwf/' }).vsix, 'extension/readme.md'));
      assert.deepEqual(overridden, readmePictures.map((p) => `https://pictures.test/mlwf/${p}`));
    } finally {
      writeFileSync(manifestPath, original);
    }
  });

  it('neither: the packaged README leaves its pictures out (no broken ones), keeps its text, and the script says so', () => {
    const { vsix, output } = pack('none');
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const inside = vsixFile(vsix, 'extension/readme.md');
    assert.deepEqual(pictures(inside), [], 'no picture links left');
    assert.match(output, /shows the README without its pictures/);
    // Everything but the picture lines is there.
    const words = (text: string) => text.replace(PICTURE, '').split(/\s+/).filter(Boolean);
    assert.deepEqual(words(inside), words(readme), 'the text is the README\'s');
    // One README only (a second README.md beside readme.md would be a toss-up for VS Code).
    assert.deepEqual(vsixNames(vsix).filter((n) => /^extension\/readme/i.test(n)), ['extension/readme.md'], 'one README');
    // The walkthrough's pictures still ship as files.
    assert.ok(vsixNames(vsix).includes('extension/media/screenshots/explorer.png'));
  });
});
