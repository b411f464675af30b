// BENCH_PROFILE=1 in bench/compareFirstPaint.bench.ts: where the workbench's renderer spends a
// round, from the command to the first paint. It prints the frames and requests of the new
// webview as they happen (ms after Enter), the page's own resource timings, and the functions
// with the most self time in a CPU profile of the renderer (in code-server the webview shares it).
import type { CDPSession, Frame, Page } from 'playwright-core';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const lastPart = (url: string) => url.split('?')[0]!.split('/').slice(-1)[0];

/** Self time by function (name, script, line) over a CPU profile, the largest first. */
function topFunctions(profile: CpuProfile, count: number): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, count).map(([key, msSelf]) => `${msSelf.toFixed(0).padStart(6)} ms  ${key}`);
}

export interface WorkbenchProfile {
  /** Stops recording and prints what it saw; `webview` is the compare page's frame. */
  report(webview: Frame, commandAt: number): Promise<void>;
}

export async function startWorkbenchProfile(page: Page): Promise<WorkbenchProfile> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const events: { at: number; what: string }[] = [];
  const note = (what: string) => (x: { url(): string }) => events.push({ at: Date.now(), what: `${what} ${lastPart(x.url())}` });
  const listeners = [
    ['frameattached', note('attached')],
    ['framenavigated', note('navigated')],
    ['request', note('request')],
    ['requestfinished', note('finished')],
  ] as const;
  for (const [event, listener] of listeners) page.on(event as 'request', listener);
  return {
    async report(webview, commandAt) {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      await cdp.detach();
      for (const [event, listener] of listeners) page.off(event as 'request', listener);
      const timings = await webview.evaluate(() =>
        performance.getEntriesByType('resource').map((e) => {
          const r = e as unknown as { name: string; startTime: number; responseEnd: number; transferSize: number; decodedBodySize: number };
          return `${r.name.split('/').pop()?.split('?')[0]} ${Math.round(r.startTime)}→${Math.round(r.responseEnd)} ms (${r.transferSize || r.decodedBodySize} B)`;
        }),
      );
      console.log(`  workbench events (ms after Enter): ${events.map((e) => `${e.at - commandAt} ${e.what}`).join(', ')}`);
      console.log(`  the page's resources (page clock): ${timings.join(', ')}`);
      console.log(`  CPU profile of the workbench's renderer, command → first paint and a little after (self time):\n${topFunctions(profile, 30).map((l) => `    ${l}`).join('\n')}`);
    },
  };
}
