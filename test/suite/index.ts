// In-host integration test entry (extensionTestsPath). The same contract serves code-server
// (test/e2e/run-in-code-server.sh host) and @vscode/test-electron (test/electron/runElectronTests.ts):
// VS Code loads the compiled module dist/test/suite/index.js inside the extension host and awaits run().
// It runs every *.test.js compiled beside it with mocha (bdd, 30 s timeout, spec reporter, no color)
// and prints a final plain line "N passed, N failed" that CI logs and the runners look for.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  const grep = process.env.MLWF_TEST_GREP;
  if (grep) mocha.grep(grep);

  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  console.log(`mocha: ${files.length} test file(s) in ${__dirname}: ${files.join(', ') || '(none)'}`);

  return new Promise<void>((resolve, reject) => {
    let runner: Mocha.Runner;
    try {
      runner = mocha.run((failures) => {
        const passed = runner.stats?.passes ?? 0;
        const failed = runner.stats?.failures ?? failures;
        console.log(`${passed} passed, ${failed} failed`);
        if (failures > 0 || files.length === 0) {
          reject(new Error(files.length === 0 ? 'no *.test.js files found' : `${failures} test(s) failed`));
        } else {
          resolve();
        }
      });
      // The spec reporter lists failures at the end: a run stopped at its time limit would show
      // only their numbers. Each failure's reason is printed as it happens too.
      runner.on('fail', (test, err: unknown) => console.log(`    FAILED: ${test.fullTitle()}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 2000)));
    } catch (err) {
      console.error('mocha could not start:', err);
      console.log('0 passed, 1 failed');
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
