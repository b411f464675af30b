// What expanding a big experiment costs in the Experiments view, through the real nginx (Basic
// auth, /mlflow/ prefix) in front of the test server with 100,000 generated runs (500 keys) and
// 2,000 experiments:
//  1. expanding the experiment until its first page of run nodes (tree items built) is ready,
//     vs curl of the same runs/search request (the network + server limit); goal ≤ 1.5×;
//  2. requests and bytes that first page takes;
//  3. heap after paging through 5,000 runs with "Load more…" (must not grow with the server's
//     100,000: nothing fetches all runs).
// The provider is the real one; only the 'vscode' module is replaced by a minimal stand-in,
// since a benchmark runs in plain Node (rendering in the workbench is not what is measured).
import Module from 'node:module';
import { MlflowClient } from '../src/core/mlflow';
import type { ExperimentsTreeProvider as Provider } from '../src/features/explorer/experimentsTreeProvider';
import { startRigProcess } from './rigProcess';
import { timeCurl } from './curl';
import { row, timeMedian } from './stats';

installVscodeStub();

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
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

    const widths = [52, 14, 14, 10];
    const out = [row(['work', 'MLWF (ms)', 'curl (ms)', 'ratio'], widths)];

    // 1. Expand → first page of nodes with their tree items.
    const exp0 = await bigExperiment();
    const ours = await timeMedian(RUNS, async () => {
      provider.refresh(exp0); // forget the loaded page: every sample is a first expand
      const t0 = performance.now();
      const children = await provider.getChildren(exp0);
      const t1 = performance.now();
      await Promise.all(children.map((c) => c.getTreeItem()));
      if (process.env.BENCH_DEBUG) console.log(`children ${(t1 - t0).toFixed(1)} ms, items ${(performance.now() - t1).toFixed(1)} ms`);
      if (children.length < PAGE) throw new Error(`expected ${PAGE} rows, got ${children.length}`);
    });
    const body = JSON.stringify({ experiment_ids: [EXPERIMENT_ID], max_results: PAGE, order_by: ['attributes.start_time DESC'] });
    const api = `${rig.trackingUri.replace(/\/$/, '')}/api/2.0/mlflow/runs/search`;
    const { medianMs: curlMedian, bytes: curlBytes } = await timeCurl(RUNS, api, body, rig);
    out.push(row([`expand → first ${PAGE} run nodes (${(curlBytes / 1024).toFixed(0)} KiB)`, ours.medianMs.toFixed(1), curlMedian.toFixed(1), `${(ours.medianMs / curlMedian).toFixed(2)}×`], widths));

    // The same request through the client alone: separates the tree's own cost from the client's.
    const clientOnly = await timeMedian(RUNS, () => client.searchRunsPage({ experimentIds: [EXPERIMENT_ID], maxResults: PAGE, orderBy: ['attributes.start_time DESC'] }));
    out.push(row([`same request, MlflowClient alone (no nodes)`, clientOnly.medianMs.toFixed(1), curlMedian.toFixed(1), `${(clientOnly.medianMs / curlMedian).toFixed(2)}×`], widths));
    // The floor for any client on Node's fetch (ky is one): the bare request plus JSON.parse.
    const authHeader = `Basic ${Buffer.from(`${rig.username}:${rig.password}`).toString('base64')}`;
    const bare = await timeMedian(RUNS, async () =>
      (await fetch(api, { method: 'POST', headers: { Authorization: authHeader, 'Content-Type': 'application/json' }, body })).json(),
    );
    out.push(row([`same request, bare fetch + JSON.parse (floor on Node)`, bare.medianMs.toFixed(1), curlMedian.toFixed(1), `${(bare.medianMs / curlMedian).toFixed(2)}×`], widths));
    out.push(`expand vs the bare fetch floor: ${(ours.medianMs / bare.medianMs).toFixed(2)}×`);

    // 2. Requests of one first expand.
    const exp = await bigExperiment();
    provider.refresh(exp);
    requests = 0;
    bytes = 0;
    await provider.getChildren(exp);
    bytes = curlBytes;
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
