// MLWF's core against real upstream MLflow servers (2.14.3 and 3.6) behind the project's nginx:
// what the client, the compare loader, the artifact listing and the export read must equal what
// the real MLflow Python client reads from the same server (test/fixtures/real-mlflow/dump.py),
// and the exported artifacts/ must be byte-identical to `mlflow.artifacts.download_artifacts`.
// Every test name starts with "[real MLflow <version>]" so npm test can count them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it as nodeIt } from 'node:test';
import { createMetricHistoryLoader } from '../../src/core/compare/metricHistoryLoader';
import { exportModelVersion } from '../../src/core/export';
import { isMlflowError, MlflowClient, type Experiment, type Run } from '../../src/core/mlflow';
import { REAL_KITS, realMlflowServers, realMlflowSkipReason, releaseRealMlflowServers, runRealClient, type RealKit, type RealServer } from '../servers/realMlflow';
import { archiveOrderOf, readTree, unpackThreeWays } from './helpers/exportFixtures';

const DUMP = path.resolve(__dirname, '..', 'fixtures', 'real-mlflow', 'dump.py');
const work = mkdtempSync(path.join(tmpdir(), 'mlwf-real-'));

// A dump is what the real client read; its shape is dump.py's (MLflow's own field names).
interface Dump {
  mlflow_version: string;
  experiments: Array<Record<string, unknown>>;
  runs: Array<{ info: Record<string, unknown>; data: Record<string, unknown>; inputs: { dataset_inputs: unknown[] }; outputs?: unknown }>;
  histories: Record<string, Array<{ key: string; value: number | string; timestamp: number; step: number }>>;
  registered_model: { name: string; description: string; tags: unknown[]; aliases: Array<{ alias: string; version: string }> };
  registered_model_names: string[];
  versions: Record<string, Record<string, unknown> & { download_uri: string }>;
  run_files: Array<{ path: string; is_dir: boolean; file_size: number | null }>;
  downloaded: { uri: string; path: string };
}

function clientFor(server: RealServer, password = server.password): MlflowClient {
  return new MlflowClient({
    trackingUri: server.trackingUri,
    auth: { kind: 'basic', username: server.username, password },
    timeoutMs: 30_000,
    retry: { limit: 2, backoff: { initialDelayMs: 50, maxDelayMs: 200 } },
  });
}

const byKey = <T extends { key: string }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => a.key.localeCompare(b.key));
/** MLflow's REST API and its Python client both write NaN as a string; MLWF parses it back. */
const jsonValue = (v: number): number | string => (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v);

function experimentAsDumped(e: Experiment): Record<string, unknown> {
  return {
    experiment_id: e.experiment_id,
    name: e.name,
    artifact_location: e.artifact_location,
    lifecycle_stage: e.lifecycle_stage,
    creation_time: e.creation_time,
    last_update_time: e.last_update_time,
    tags: byKey(e.tags),
  };
}

/** MLflow 3 runs carry the models they logged (`outputs.model_outputs`); MLflow 2 runs have none. */
interface RunOutputs {
  outputs?: { model_outputs?: Array<{ model_id: string; step?: number }> };
}

function runAsDumped(r: Run, mlflow3: boolean): Dump['runs'][number] {
  const i = r.info;
  const outputs = (r as Run & RunOutputs).outputs;
  return {
    ...(mlflow3 ? { outputs: { model_outputs: (outputs?.model_outputs ?? []).map((m) => ({ model_id: m.model_id, step: m.step ?? 0 })) } } : {}),
    info: {
      run_id: i.run_id,
      experiment_id: i.experiment_id,
      run_name: i.run_name,
      user_id: i.user_id,
      status: i.status,
      start_time: i.start_time,
      end_time: i.end_time ?? null,
      artifact_uri: i.artifact_uri,
      lifecycle_stage: i.lifecycle_stage,
    },
    data: {
      metrics: byKey(r.data.metrics).map((m) => ({ key: m.key, value: jsonValue(m.value) })),
      params: byKey(r.data.params),
      tags: byKey(r.data.tags),
    },
    inputs: {
      dataset_inputs: r.inputs.dataset_inputs.map((d) => ({
        tags: byKey(d.tags),
        dataset: {
          name: d.dataset.name,
          digest: d.dataset.digest,
          source_type: d.dataset.source_type,
          source: d.dataset.source,
          schema: d.dataset.schema ?? null,
          profile: d.dataset.profile ?? null,
        },
      })),
    },
  };
}

const skip = realMlflowSkipReason();
if (skip) process.stdout.write(`${skip}\n`);

async function serverOf(kit: RealKit): Promise<RealServer> {
  const servers = await realMlflowServers();
  if (!Array.isArray(servers)) throw new Error(servers.skipped);
  return servers.find((s) => s.kit === kit)!;
}

after(async () => {
  await releaseRealMlflowServers();
  rmSync(work, { recursive: true, force: true });
});

for (const kit of REAL_KITS) {
  const label = `[real MLflow ${kit}]`;

  describe(`${label} conformance with the real MLflow client`, () => {
    // Skipped test by test (not the suite), so the closing count shows each one as skipped.
    const it = (name: string, fn: () => Promise<void>) => nodeIt(name, { skip }, fn);
    let dump: Dump;
    let client: MlflowClient;
    let s: RealServer;

    before(async () => {
      if (skip) return;
      s = await serverOf(kit);
      const dir = mkdtempSync(path.join(work, `${kit}-`));
      const scenarioFile = path.join(dir, 'scenario.json');
      writeFileSync(scenarioFile, JSON.stringify(s.scenario));
      dump = JSON.parse(await runRealClient(s, DUMP, [scenarioFile, path.join(dir, 'client-download')])) as Dump;
      client = clientFor(s);
    });
    after(async () => client?.dispose());

    it(`${label} reports its version the client reports`, async () => {
      assert.equal(await client.getVersion(), dump.mlflow_version);
      assert.equal(s.mlflowVersion, dump.mlflow_version);
    });

    it(`${label} lists every experiment (deleted ones included) as the client does`, async () => {
      const mine: Experiment[] = [];
      for await (const e of client.iterateExperiments({ viewType: 'ALL', maxResults: 2 })) mine.push(e);
      const got = mine.map(experimentAsDumped).sort((a, b) => String(a.experiment_id).localeCompare(String(b.experiment_id)));
      assert.deepEqual(got, dump.experiments);
      assert.ok(mine.some((e) => e.experiment_id === s.scenario.deleted_experiment_id && e.lifecycle_stage === 'deleted'));
    });

    it(`${label} reads every run (deleted, FAILED, RUNNING, nested, HTML payloads, dataset inputs) as the client does`, async () => {
      const mine: Run[] = [];
      for await (const r of client.iterateRuns({ experimentIds: [s.scenario.experiment_id], runViewType: 'ALL', maxResults: 3 })) mine.push(r);
      const got = mine.map((r) => runAsDumped(r, s.scenario.mlflow3)).sort((a, b) => String(a.info.run_id).localeCompare(String(b.info.run_id)));
      assert.deepEqual(got, dump.runs);
      const status = (name: string) => mine.find((r) => r.info.run_id === s.scenario.runs[name].run_id)?.info;
      assert.equal(status('failed')?.status, 'FAILED');
      assert.equal(status('running')?.status, 'RUNNING');
      assert.equal(status('deleted')?.lifecycle_stage, 'deleted');
      assert.equal(status('xss')?.run_name, '<img src=x onerror="window.__mlwfXss=1">');
      const grid = mine.find((r) => r.info.run_id === s.scenario.runs['alpha-0.1'].run_id)!;
      assert.equal(grid.inputs.dataset_inputs[0]?.dataset.name, 'wine-train');
    });

    it(`${label} reads a run by id exactly as the search returned it`, async () => {
      const id = s.scenario.runs['sweep'].run_id;
      const expected = dump.runs.find((r) => r.info.run_id === id);
      assert.deepEqual(runAsDumped(await client.getRun(id), s.scenario.mlflow3), expected);
    });

    it(`${label} reads the 10,000-step history and a short one point for point`, async () => {
      for (const [runId, expected] of Object.entries(dump.histories)) {
        const got = (await client.getMetricHistory(runId, 'train_loss')).map((m) => ({ key: m.key, value: jsonValue(m.value), timestamp: m.timestamp, step: m.step }));
        assert.equal(got.length, expected.length, `points of ${runId}`);
        assert.deepEqual(got, expected);
      }
      assert.equal(dump.histories[s.scenario.runs['long'].run_id].length, 10_000);
    });

    it(`${label} the compare loader's sampled series are points of the real history, first and last step kept`, async () => {
      const long = s.scenario.runs['long'].run_id;
      const short = s.scenario.runs['alpha-0.1'].run_id;
      const loader = createMetricHistoryLoader(client);
      const series = await loader.load({ runIds: [long, short], metricKey: 'train_loss' });
      for (const one of series) {
        const full = new Map(dump.histories[one.runId].map((p) => [p.step, p]));
        assert.ok(one.points.length > 1, `points of ${one.runId}`);
        for (const p of one.points) assert.equal(jsonValue(p.value), full.get(p.step)?.value, `step ${p.step} of ${one.runId}`);
        assert.equal(one.points[0].step, 0);
        assert.equal(one.points.at(-1)!.step, Math.max(...full.keys()));
      }
      const zoom = await loader.load({ runIds: [long], metricKey: 'train_loss', range: { minStep: 5000, maxStep: 5099 } });
      assert.deepEqual(
        zoom[0].points.map((p) => p.step),
        Array.from({ length: 100 }, (_, i) => 5000 + i),
        'a zoomed window is at full resolution',
      );
    });

    it(`${label} reads the registered model, its alias and each version as the client does`, async () => {
      const name = s.scenario.registered_model.name;
      const rm = await client.getRegisteredModel(name);
      assert.equal(rm.description ?? '', dump.registered_model.description);
      assert.deepEqual(byKey(rm.tags), dump.registered_model.tags);
      assert.deepEqual([...rm.aliases].sort((a, b) => a.alias.localeCompare(b.alias)), dump.registered_model.aliases);
      const names: string[] = [];
      for await (const m of client.iterateRegisteredModels({ maxResults: 1 })) names.push(m.name);
      assert.deepEqual(names.sort(), dump.registered_model_names);
      for (const [v, expected] of Object.entries(dump.versions)) {
        const mv = await client.getModelVersion(name, v);
        assert.deepEqual(
          {
            name: mv.name,
            version: mv.version,
            creation_timestamp: mv.creation_timestamp,
            current_stage: mv.current_stage,
            description: mv.description ?? '',
            source: mv.source,
            run_id: mv.run_id,
            status: mv.status,
            tags: byKey(mv.tags),
            aliases: [...mv.aliases].sort(),
            download_uri: await client.getModelVersionDownloadUri(name, v),
          },
          expected,
        );
      }
      const champion = await client.getModelVersionByAlias(name, 'champion');
      assert.equal(champion.version, s.scenario.registered_model.champion);
    });

    it(`${label} lists a run's artifacts, folder by folder, as the client does`, async () => {
      const files = await client.listArtifactsRecursive(s.scenario.runs['alpha-0.1'].run_id);
      const got = files.map((f) => ({ path: f.path, is_dir: f.is_dir, file_size: f.is_dir ? null : (f.file_size ?? null) }));
      assert.deepEqual(
        got.sort((a, b) => a.path.localeCompare(b.path)),
        [...dump.run_files].sort((a, b) => a.path.localeCompare(b.path)),
      );
    });

    it(`${label} downloads the 24 MiB artifact byte for byte`, async () => {
      const big = s.scenario.runs['big'];
      const target = path.join(work, `${kit}-weights.bin`);
      const result = await client.downloadRunArtifact(big.run_id, String(big.path));
      const chunks: Buffer[] = [];
      for await (const c of result.body) chunks.push(Buffer.from(c as Uint8Array));
      const bytes = Buffer.concat(chunks);
      writeFileSync(target, bytes);
      assert.equal(bytes.length, big.size);
    });

    it(`${label} exports the champion version byte-identical to mlflow.artifacts.download_artifacts`, async () => {
      const out = mkdtempSync(path.join(work, `${kit}-export-`));
      const result = await exportModelVersion({ client, name: s.scenario.registered_model.name, alias: 'champion', outputDir: out });
      const exported = await readTree(path.join(result.folder, 'artifacts'));
      const expected = await readTree(dump.downloaded.path);
      // The client writes this file itself after a models:/ download (the name and version it was
      // asked for); it is not one of the model's files on the server.
      assert.match(expected.get('registered_model_meta')?.toString('utf8') ?? '', /model_name: wine-model/);
      expected.delete('registered_model_meta');
      assert.deepEqual([...exported.keys()].sort(), [...expected.keys()].sort());
      for (const [rel, bytes] of expected) assert.ok(exported.get(rel)?.equals(bytes), `${rel} differs`);
      assert.ok(exported.has('MLmodel'));
      // model.tar.gz, compressed while the files downloaded, holds the same bytes in the fixed order.
      const archive = await unpackThreeWays(result.archive);
      for (const [way, tree] of [['GNU tar', archive.gnu], ['Python tarfile', archive.python], ['npm tar', archive.npm]] as const) {
        assert.deepEqual([...tree.keys()].sort(), [...expected.keys()].sort(), `${way}: same files`);
        for (const [rel, bytes] of expected) assert.ok(tree.get(rel)?.equals(bytes), `${way}: ${rel} differs`);
      }
      assert.deepEqual(archive.entries, archiveOrderOf(archive.entries), 'folders first, then their contents, sorted');
    });

    it(`${label} a wrong password is an auth error (nginx's 401), not a parse error`, async () => {
      const wrong = clientFor(s, 'not-the-password');
      await assert.rejects(wrong.ping(), (e: unknown) => isMlflowError(e) && e.kind === 'auth');
      await wrong.dispose();
    });

    it(`${label} an unknown run is MLflow's own not-found error`, async () => {
      await assert.rejects(client.getRun('0123456789abcdef0123456789abcdef'), (e: unknown) => isMlflowError(e) && e.kind === 'notFound');
    });
  });
}
