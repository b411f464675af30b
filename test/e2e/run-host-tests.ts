// Runs the in-host mocha suite (dist/test/suite/index.js) INSIDE code-server's Node extension host,
// like @vscode/test-electron does with a desktop VS Code. code-server must run with
// --vscode-option enable-smoke-test-driver (else the workbench ignores the test payload).
// usage: node --import tsx test/e2e/run-host-tests.ts <baseUrl> <workspace> <extensionDevelopmentPath> <extensionTestsPath>
// env: TEST_TIMEOUT_MS (default 300000), VERBOSE=1 (also print workbench noise)
// exit code: 0 all passed, 1 failures or runner error, 2 timeout.
import * as util from 'util';
import { launchBrowser, newPage, remoteUri } from './ui/lib';

const NOISE =
  /Resolving connection|Resolved connection|Creating a socket|grace time|builtin extensions cache|Service Worker|AgentHost|AccountPolicyGate|open-vsx|authentication provider 'github'|workbench contribution|\[Extension Host\] (Debugger|ExtensionService)/;
const SUMMARY = /^\s*(\d+) passed, (\d+) failed\s*$/;

async function main(): Promise<number> {
  const [base, folder, devPath, testsPath] = process.argv.slice(2);
  if (!base || !folder || !devPath || !testsPath) {
    console.error('usage: run-host-tests.ts <baseUrl> <workspace> <extensionDevelopmentPath> <extensionTestsPath>');
    return 1;
  }
  const t0 = Date.now();
  const timeoutMs = Number(process.env.TEST_TIMEOUT_MS || 300_000);
  let sawSummary = false;
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    let done!: (code: number | 'timeout') => void;
    const exited = new Promise<number | 'timeout'>((r) => (done = r));
    // Hooks the workbench calls in extension-test mode (VS Code's own browser integration tests use them).
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const text = util.format(...(args || []));
      if (!process.env.VERBOSE && NOISE.test(text)) return;
      for (const line of text.split('\n')) if (SUMMARY.test(line)) sawSummary = true;
      console.log(text);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => done(code));
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remoteUri(base, devPath)],
      ['extensionTestsPath', remoteUri(base, testsPath)],
    ]);
    await page.goto(`${base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`);
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    if (code === 'timeout') {
      console.log(`TIMEOUT: the extension host did not finish the tests within ${timeoutMs} ms`);
      if (!sawSummary) console.log('0 passed, 1 failed');
      return 2;
    }
    console.log(`extension host test run exit code ${code} (${secs}s)`);
    if (!sawSummary) {
      // run() never reached mocha's end (e.g. the test module failed to load): make CI see a failure.
      console.log('the suite printed no summary (did dist/test/suite/index.js load?)');
      console.log('0 passed, 1 failed');
      return 1;
    }
    return code === 0 ? 0 : 1;
  } finally {
    await browser.close().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('run-host-tests:', err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
