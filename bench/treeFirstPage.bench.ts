// What expanding a big experiment costs in the Experiments view, through the real nginx (Basic
// auth, /mlflow/ prefix) in front of the test server with 100,000 generated runs (500 keys) and
// 2,000 experiments:
//  1. expanding the experiment until its first page of run nodes (tree items built) is ready,
//     vs curl of the same runs/search request (the network + server limit; on a kept-alive
//     connection like the client's, same bytes: see curl.ts); goal ≤ 1.5×. Also the client
//     alone, ky alone, bare fetch, node:http and undici.request, to show where the time goes;
//  2. requests and bytes that first page takes;
//  3. heap after paging through 5,000 runs with "Load more…" (must not grow with the server's
//     100,000: nothing fetches all runs).
// The provider is the real one; only the 'vscode' module is replaced by a minimal stand-in,
// since a benchmark runs in plain Node (rendering in the workbench is not what is measured).
import http from 'node:http';
import Module from 'node:module';
import { MlflowClient } from '../src/core/mlflow';
import type { ExperimentsTreeProvider as Provider } from '../src/features/explorer/experimentsTreeProvider';
import { startRigProcess } from './rigProcess';
import { curlPost } from './curl';
import { median, row, timeMedian } from './stats';

installVscodeStub();

// More rounds than the other benchmarks: the figures are a few milliseconds on a shared machine.
const RUNS = Number(process.env.BENCH_RUNS ?? 41);
const WARMUP = 5;
const EXPERIMENT_ID = '999'; // the generator's big experiment
const PAGE = 100;

async function main(): Promise<void> {
  // Loaded after the stub is installed (the provider imports 'vscode').
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ExperimentsTreeProvider } = require('../src/features/explorer/experimentsTreeProvider') as { ExperimentsTreeProvider: typeof Provider };
  const rig = await startRigProcess({ experiments: 2000, runs: 100000, keys: 500, keysPerRun: 8 });
  try {
    let requests = 0;
    let bytes = 0;
    const client = new MlflowClient({
      trackingUri: rig.trackingUri,
      auth: { kind: 'basic', username: rig.username, password: rig.password },
      onRequest: (entry: { path?: string }) => {
        requests++;
        void entry;
      },
    });
    const store = new Map<string, unknown>();
    const memento = {
      keys: () => [...store.keys()],
      get: (k: string, d?: unknown) => (store.has(k) ? store.get(k) : d),
      update: async (k: string, v: unknown) => void store.set(k, v),
    };
    const provider = new ExperimentsTreeProvider({ getBackend: () => client, getScope: () => rig.trackingUri, memento: memento as never, experimentsPageSize: 5000 });
    const bigExperiment = async () => {
      const roots = await provider.getChildren();
      const node = roots.find((n) => n.id === `exp:${EXPERIMENT_ID}`);
      if (!node) throw new Error('the generated experiment is not on the first page of experiments');
      return node;
    };
    await bigExperiment();

    const widths = [56, 11, 11, 9, 10];
    const out = [row(['work', 'MLWF (ms)', 'peer (ms)', 'ratio', 'CPU (ms)'], widths)];

    // 1. Expand → first page of nodes with their tree items, and the same request by the peers.
    // Every round runs each contender once, one after the other, so a burst of load from other
    // work on the machine falls on all of them alike rather than on one block of samples.
    const exp0 = await bigExperiment();
    const body = JSON.stringify({ experiment_ids: [EXPERIMENT_ID], max_results: PAGE, order_by: ['attributes.start_time DESC'] });
    const api = `${rig.trackingUri.replace(/\/$/, '')}/api/2.0/mlflow/runs/search`;
    const authHeader = `Basic ${Buffer.from(`${rig.username}:${rig.password}`).toString('base64')}`;
    const agent = new http.Agent({ keepAlive: true });
    const { Pool } = await import('undici');
    const apiUrl = new URL(api);
    const apiPath = apiUrl.pathname;
    const undiciPool = new Pool(apiUrl.origin, { connections: 1 });
    // ky as the client uses it (timeout, a hook, retry options), without MLWF's wrappers: what ky adds.
    const { default: ky } = await import('ky');
    const bareKy = ky.create({ timeout: 30_000, headers: { authorization: authHeader }, hooks: { beforeRetry: [() => undefined] } });
    const kyOptions = { method: 'POST', json: JSON.parse(body) as unknown, retry: { limit: 3, methods: ['post' as const], statusCodes: [429, 500, 502, 503, 504], shouldRetry: async () => false } };
    let fetchBytes = 0;
    // Wall time, and this process's CPU time meanwhile (user + system): less noisy than the wall
    // time on a shared machine, and it shows how much of the wait is work done here.
    const cpu: Record<string, number[]> = { tree: [], client: [], ky: [], fetch: [], nodeHttp: [], undici: [] };
    let lastCpuMs = 0;
    const timed = async (work: () => Promise<unknown>) => {
      const cpu0 = process.cpuUsage();
      const start = process.hrtime.bigint();
      await work();
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const used = process.cpuUsage(cpu0);
      lastCpuMs = (used.user + used.system) / 1000;
      return ms;
    };
    const contenders = {
      tree: () =>
        timed(async () => {
          provider.refresh(exp0); // forget the loaded page: every sample is a first expand
          const children = await provider.getChildren(exp0);
          await Promise.all(children.map((c) => c.getTreeItem()));
          if (children.length < PAGE) throw new Error(`expected ${PAGE} rows, got ${children.length}`);
        }),
      client: () => timed(() => client.searchRunsPage({ experimentIds: [EXPERIMENT_ID], maxResults: PAGE, orderBy: ['attributes.start_time DESC'] })),
      ky: () => timed(async () => JSON.parse(await (await bareKy(api, kyOptions)).text())),
      // The floor for any client on Node's fetch (ky is one): the bare request plus JSON.parse.
      fetch: () =>
        timed(async () => {
          const res = await fetch(api, { method: 'POST', headers: { Authorization: authHeader, 'Content-Type': 'application/json' }, body });
          if (res.headers.get('content-encoding')) throw new Error('the answer came compressed: curl would get other bytes');
          const text = await res.text();
          fetchBytes = Buffer.byteLength(text);
          JSON.parse(text);
        }),
      // The floor on Node at all: node:http on a keep-alive agent, the body read as one Buffer.
      nodeHttp: () => timed(() => postWithNodeHttp(api, body, authHeader, agent)),
      // undici's own request API (no fetch, no WHATWG streams) on a kept-alive pool: the leanest
      // client Node has; if any Node client could reach curl, this one would.
      undici: () =>
        timed(async () => {
          const res = await undiciPool.request({ path: apiPath, method: 'POST', headers: { authorization: authHeader, 'content-type': 'application/json' }, body });
          JSON.parse(await res.body.text());
        }),
      curl: () => curlPost(api, body, rig),
    };
    const samples = { tree: [] as number[], client: [] as number[], ky: [] as number[], fetch: [] as number[], nodeHttp: [] as number[], undici: [] as number[], curl: [] as number[], curlFresh: [] as number[] };
    let curlBytes = 0;
    for (let round = -WARMUP; round < RUNS; round++) {
      const t = await contenders.tree();
      const tCpu = lastCpuMs;
      const c = await contenders.client();
      const cCpu = lastCpuMs;
      const y = await contenders.ky();
      const yCpu = lastCpuMs;
      const f = await contenders.fetch();
      const fCpu = lastCpuMs;
      const h = await contenders.nodeHttp();
      const hCpu = lastCpuMs;
      const u = await contenders.undici();
      const uCpu = lastCpuMs;
      const k = await contenders.curl();
      curlBytes = k.bytes;
      if (round < 0) continue;
      cpu.tree!.push(tCpu);
      cpu.client!.push(cCpu);
      cpu.ky!.push(yCpu);
      samples.ky.push(y);
      cpu.fetch!.push(fCpu);
      cpu.nodeHttp!.push(hCpu);
      samples.tree.push(t);
      samples.client.push(c);
      samples.fetch.push(f);
      samples.nodeHttp.push(h);
      samples.undici.push(u);
      cpu.undici!.push(uCpu);
      samples.curl.push(k.reusedMs);
      samples.curlFresh.push(k.freshMs);
    }
    agent.destroy();
    await undiciPool.close();
    if (fetchBytes !== curlBytes) throw new Error(`Node received ${fetchBytes} bytes, curl ${curlBytes}: not the same work`);
    const curlMs = median(samples.curl);
    const line = (what: string, ms: number, peer: number, cpuMs?: number[]) =>
      row([what, ms.toFixed(2), peer.toFixed(2), `${(ms / peer).toFixed(2)}×`, cpuMs ? median(cpuMs).toFixed(2) : ''], widths);
    out.push(line(`expand → first ${PAGE} run nodes (${(curlBytes / 1024).toFixed(0)} KiB) vs curl`, median(samples.tree), curlMs, cpu.tree));
    out.push(line(`same request, MlflowClient alone (no nodes) vs curl`, median(samples.client), curlMs, cpu.client));
    out.push(line(`same request, ky + JSON.parse, no MLWF wrappers vs curl`, median(samples.ky), curlMs, cpu.ky));
    out.push(line(`same request, bare fetch + JSON.parse vs curl`, median(samples.fetch), curlMs, cpu.fetch));
    out.push(line(`same request, node:http + JSON.parse vs curl`, median(samples.nodeHttp), curlMs, cpu.nodeHttp));
    out.push(line(`same request, undici.request + JSON.parse vs curl`, median(samples.undici), curlMs, cpu.undici));
    out.push(line(`curl on a fresh connection vs curl on a reused one`, median(samples.curlFresh), curlMs));
    out.push(`expand vs the bare fetch floor: ${(median(samples.tree) / median(samples.fetch)).toFixed(2)}×; ${RUNS} interleaved rounds after ${WARMUP} warm-up rounds; same bytes both sides (${fetchBytes}), no compression`);

    // The tree's own share: the same expand over a backend that answers the page from memory.
    const page = await client.searchRunsPage({ experimentIds: [EXPERIMENT_ID], maxResults: PAGE, orderBy: ['attributes.start_time DESC'] });
    const canned = {
      searchExperimentsPage: (search: never, options: never) => client.searchExperimentsPage(search, options),
      searchRunsPage: async () => page,
    };
    const memoryTree = new ExperimentsTreeProvider({ getBackend: () => canned as never, getScope: () => rig.trackingUri, memento: memento as never, experimentsPageSize: 5000 });
    const memoryExp = (await memoryTree.getChildren()).find((n) => n.id === `exp:${EXPERIMENT_ID}`)!;
    const nodesOnly = await timeMedian(201, async () => {
      memoryTree.refresh(memoryExp);
      const children = await memoryTree.getChildren(memoryExp);
      await Promise.all(children.map((c) => c.getTreeItem()));
    });
    memoryTree.dispose();
    out.push(`of which building the ${PAGE} run nodes and their tree items from a page in memory: ${nodesOnly.medianMs.toFixed(2)} ms (median of 201)`);

    // 2. Requests of one first expand.
    const exp = await bigExperiment();
    provider.refresh(exp);
    requests = 0;
    bytes = 0;
    await provider.getChildren(exp);
    bytes = fetchBytes;
    out.push(`requests for one expand: ${requests} (runs/search, ${(bytes / 1024).toFixed(0)} KiB)`);

    // 3. Heap after "Load more…" up to 5,000 runs.
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let shown = 0;
    for (let page = 0; shown < 5000; page++) {
      const children = await provider.getChildren(exp);
      shown = children.filter((c) => c.id.includes('/run:')).length;
      const more = children.find((c) => c.id.endsWith('/more')) as unknown as { owner: { loadMore(): void } } | undefined;
      if (!more || page > 100) break;
      more.owner.loadMore();
    }
    global.gc?.();
    const after = process.memoryUsage().heapUsed;
    out.push(`heap after paging to ${shown} of 100,000 runs: +${((after - before) / 2 ** 20).toFixed(1)} MiB (only loaded pages are kept), ${requests} requests`);

    console.log('\nExperiments view: expanding a 100,000-run experiment (median; nginx + test server on loopback)');
    console.log(out.join('\n'));
    provider.dispose();
    await client.dispose();
  } finally {
    await rig.stop();
  }
}

/** POST with node:http on a keep-alive agent, the answer collected as Buffers and parsed once. */
function postWithNodeHttp(url: string, body: string, authorization: string, agent: http.Agent): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { authorization, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Just enough of the 'vscode' API for the explorer's nodes and provider to run in Node. */
function installVscodeStub(): void {
  class EventEmitter<T> {
    private listeners: ((e: T) => void)[] = [];
    event = (l: (e: T) => void) => {
      this.listeners.push(l);
      return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
    };
    fire(e: T) {
      this.listeners.forEach((l) => l(e));
    }
    dispose() {
      this.listeners = [];
    }
  }
  class TreeItem {
    constructor(
      public label: string,
      public collapsibleState = 0,
    ) {}
  }
  class MarkdownString {
    isTrusted = false;
    supportHtml = false;
    constructor(public value = '') {}
    appendMarkdown(s: string) {
      this.value += s;
      return this;
    }
  }
  const stub = {
    EventEmitter,
    TreeItem,
    MarkdownString,
    ThemeIcon: class {
      constructor(
        public id: string,
        public color?: unknown,
      ) {}
    },
    ThemeColor: class {
      constructor(public id: string) {}
    },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    // Run rows carry a resourceUri (for the compare colours); VS Code's Uri.from validates and
    // keeps the parts, which is what this does.
    Uri: {
      from: (c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }) => {
        if (!/^\w[\w\d+.-]*$/.test(c.scheme)) throw new Error('bad scheme');
        return { scheme: c.scheme, authority: c.authority ?? '', path: c.path ?? '', query: c.query ?? '', fragment: c.fragment ?? '' };
      },
    },
    l10n: { t: (s: string, ...args: unknown[]) => s.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])) },
    workspace: { getConfiguration: () => ({ get: (_k: string, d: unknown) => d }) },
  };
  const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = mod._load;
  mod._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? stub : load(request, ...rest));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
