// MLWF's write actions against real upstream MLflow servers (2.14.3 and 3.6) behind the project's
// nginx: after each write the real MLflow Python client reads the new state back
// (test/fixtures/real-mlflow/actions-read.py). Bad input must fail with a clear sentence before
// any request (nginx's access log does not grow). Each kit gets a server of its own, filled by
// actions-setup.py, so the shared populated scenario other suites compare with stays untouched.
// Every test name starts with "[real MLflow <version>]" so npm test can count them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it as nodeIt } from 'node:test';
import {
  MlflowClient,
  NOTE_TAG,
  registerModel,
  writeRefusalOf,
} from '../../src/core/mlflow';
import { startNginx } from '../servers/nginx';
import { modelOf, rejected, type ActionIds } from '../servers/realActions';
import { REAL_KITS, realMlflowSkipReason, runRealClient, startRealMlflow, type OwnRealServer } from '../servers/realMlflow';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'real-mlflow');

interface ReadBack {
  runs: Record<string, { name: string; lifecycle_stage: string; tags: Record<string, string> }>;
  experiments: Record<string, { name: string; lifecycle_stage: string; tags: Record<string, string> }>;
  models: Record<
    string,
    {
      description: string;
      tags: Record<string, string>;
      aliases: Record<string, string>;
      versions: Record<string, { description: string; tags: Record<string, string>; stage: string; source: string; run_id: string; status: string; aliases: string[]; model_id: string | null }>;
    } | null
  >;
}

const skip = realMlflowSkipReason();
if (skip) process.stdout.write(`${skip}\n`);

function requestsSoFar(server: OwnRealServer): number {
  return readFileSync(server.accessLog, 'utf8').split('\n').filter(Boolean).length;
}

for (const kit of REAL_KITS) {
  const label = `[real MLflow ${kit}]`;

  describe(`${label} write actions read back by the real MLflow client`, { concurrency: false }, () => {
    const it = (name: string, fn: () => Promise<void>) => nodeIt(name, { skip }, fn);
    let server: OwnRealServer;
    let client: MlflowClient;
    let ids: ActionIds;
    const read = async (spec: { runs?: string[]; experiments?: string[]; models?: string[] }): Promise<ReadBack> =>
      JSON.parse(await runRealClient(server, path.join(FIXTURES, 'actions-read.py'), [JSON.stringify(spec)])) as ReadBack;

    before(async () => {
      if (skip) return;
      server = await startRealMlflow(kit);
      ids = JSON.parse(await runRealClient(server, path.join(FIXTURES, 'actions-setup.py'))) as ActionIds;
      client = new MlflowClient({ trackingUri: server.trackingUri, auth: { kind: 'basic', username: server.username, password: server.password } });
      await client.capabilities();
    });
    after(async () => {
      await client?.dispose();
      await server?.stop();
    });

    it(`${label} sets, edits and deletes run tags; writes the run note; renames the run`, async () => {
      const run = ids.model_run.run_id;
      await client.trackingWrites.setRunTag(run, 'approved', 'yes');
      await client.trackingWrites.setRunTag(run, 'owner', 'bob');
      await client.trackingWrites.setRunNote(run, '# Best run\n\nuse *this* one');
      await client.trackingWrites.renameRun(run, 'candidate-final');
      let got = (await read({ runs: [run] })).runs[run];
      assert.equal(got.tags.approved, 'yes');
      assert.equal(got.tags.owner, 'bob');
      assert.equal(got.tags[NOTE_TAG], '# Best run\n\nuse *this* one');
      assert.equal(got.name, 'candidate-final');
      assert.equal(got.tags['mlflow.runName'], 'candidate-final');
      await client.trackingWrites.deleteRunTag(run, 'approved');
      got = (await read({ runs: [run] })).runs[run];
      assert.equal(got.tags.approved, undefined);
      assert.equal(got.tags.owner, 'bob');
    });

    it(`${label} refuses an empty, a too-long, a bad or a system tag key, and a too-long value, before any request`, async () => {
      const run = ids.second_run.run_id;
      const before = requestsSoFar(server);
      const longValue = 'x'.repeat(kit === '2.14.3' ? 5001 : 8001);
      const cases: Array<[() => Promise<unknown>, RegExp]> = [
        [() => client.trackingWrites.setRunTag(run, '', 'v'), /cannot be empty/],
        [() => client.trackingWrites.setRunTag(run, '   ', 'v'), /cannot be empty/],
        [() => client.trackingWrites.setRunTag(run, 'k'.repeat(251), 'v'), /at most 250 characters/],
        [() => client.trackingWrites.setRunTag(run, 'bad:key', 'v'), /only letters, digits/],
        [() => client.trackingWrites.setRunTag(run, '../up', 'v'), /cannot start with a slash|"\.\."/],
        [() => client.trackingWrites.setRunTag(run, 'mlflow.user', 'mallory'), /system tags/],
        [() => client.trackingWrites.setRunTag(run, 'big', longValue), /at most \d+ characters on this server/],
        [() => client.trackingWrites.setExperimentTag(ids.experiment_id, 'e', 'y'.repeat(5001)), /at most 5000 characters/],
        [() => client.registryWrites.setModelVersionTag(ids.registered_model.name, '1', '', 'v'), /cannot be empty/],
        [() => client.registryWrites.setAlias(ids.registered_model.name, 'latest', '1'), /reserved/],
        [() => client.registryWrites.setAlias(ids.registered_model.name, 'v2', '1'), /MLflow reserves/],
        [() => client.registryWrites.setAlias(ids.registered_model.name, 'has space', '1'), /only letters, digits/],
        [() => client.trackingWrites.createExperiment('  '), /cannot be empty/],
        [() => client.trackingWrites.renameRun(run, ''), /cannot be empty/],
      ];
      for (const [call, message] of cases) {
        const e = await rejected(call);
        assert.equal(e.kind, 'invalidParameter');
        assert.match(e.userMessage, message);
      }
      assert.equal(requestsSoFar(server), before, 'no request reached the server');
      const got = (await read({ runs: [run] })).runs[run];
      assert.deepEqual(Object.keys(got.tags).filter((k) => !k.startsWith('mlflow.')), [], 'nothing changed on the run');
      // The 3.x limit is accepted by a 3.x server (and only there).
      if (kit === '3.6') {
        await client.trackingWrites.setRunTag(run, 'big', 'z'.repeat(8000));
        assert.equal((await read({ runs: [run] })).runs[run].tags.big.length, 8000);
      }
    });

    it(`${label} tags several runs one request each, then deletes and restores them`, async () => {
      const runs = [ids.model_run.run_id, ids.second_run.run_id];
      await Promise.all(runs.map((r) => client.trackingWrites.setRunTag(r, 'batch', 'reviewed')));
      for (const r of runs) await client.trackingWrites.deleteRun(r);
      let got = await read({ runs });
      for (const r of runs) {
        assert.equal(got.runs[r].tags.batch, 'reviewed');
        assert.equal(got.runs[r].lifecycle_stage, 'deleted');
      }
      for (const r of runs) await client.trackingWrites.restoreRun(r);
      got = await read({ runs });
      for (const r of runs) assert.equal(got.runs[r].lifecycle_stage, 'active');
    });

    it(`${label} creates, renames, tags, describes, deletes and restores an experiment`, async () => {
      const id = await client.trackingWrites.createExperiment('actions-created');
      await client.trackingWrites.renameExperiment(id, 'actions-renamed');
      await client.trackingWrites.setExperimentTag(id, 'purpose', 'test');
      await client.trackingWrites.setExperimentNote(id, 'An **experiment** note');
      let got = (await read({ experiments: [id] })).experiments[id];
      assert.equal(got.name, 'actions-renamed');
      assert.equal(got.tags.purpose, 'test');
      assert.equal(got.tags[NOTE_TAG], 'An **experiment** note');
      if (kit === '3.6') {
        await client.trackingWrites.deleteExperimentTag(id, 'purpose');
        assert.equal((await read({ experiments: [id] })).experiments[id].tags.purpose, undefined);
      } else {
        const before = requestsSoFar(server);
        const e = await rejected(() => client.trackingWrites.deleteExperimentTag(id, 'purpose'));
        assert.match(e.userMessage, /cannot delete experiment tags/);
        assert.equal(requestsSoFar(server), before, 'refused without a request on 2.x');
      }
      await client.trackingWrites.deleteExperiment(id);
      assert.equal((await read({ experiments: [id] })).experiments[id].lifecycle_stage, 'deleted');
      await client.trackingWrites.restoreExperiment(id);
      got = (await read({ experiments: [id] })).experiments[id];
      assert.equal(got.lifecycle_stage, 'active');
      // A name already taken: MLflow's RESOURCE_ALREADY_EXISTS becomes a conflict sentence.
      const taken = await rejected(() => client.trackingWrites.createExperiment('actions-renamed'));
      assert.equal(writeRefusalOf(taken), 'conflict');
      assert.match(taken.userMessage, /already taken/);
    });

    it(`${label} moves the champion alias to a new version, then removes it`, async () => {
      const name = ids.registered_model.name;
      const first = ids.registered_model.version;
      const created = await registerModel(client, { name, newModel: false, model: modelOf(ids) }, { pollMs: 200 });
      assert.equal(created.status, 'READY');
      assert.notEqual(created.version, first);
      await client.registryWrites.setAlias(name, 'champion', created.version);
      await client.registryWrites.setAlias(name, 'challenger', first);
      let got = (await read({ models: [name] })).models[name]!;
      assert.deepEqual(got.aliases, { champion: created.version, challenger: first });
      assert.deepEqual(got.versions[created.version].aliases, ['champion']);
      await client.registryWrites.deleteAlias(name, 'challenger');
      got = (await read({ models: [name] })).models[name]!;
      assert.deepEqual(got.aliases, { champion: created.version });
    });

    it(`${label} registers the run's model as a new registered model, READY, as the client would`, async () => {
      const phases: string[] = [];
      const version = await registerModel(client, { name: 'actions-new-model', newModel: true, model: modelOf(ids) }, { pollMs: 200, onProgress: (p) => phases.push(p) });
      assert.equal(version.version, '1');
      assert.deepEqual(phases.slice(0, 2), ['creatingModel', 'creatingVersion']);
      const got = await read({ models: ['actions-new-model', ids.registered_model.name] });
      const v1 = got.models['actions-new-model']!.versions['1'];
      assert.equal(v1.status, 'READY');
      assert.equal(v1.source, ids.mlflow3 ? `models:/${ids.model_run.model_id}` : `${ids.model_run.artifact_uri}/model`);
      assert.equal(v1.run_id, ids.model_run.run_id);
      // Registered as mlflow.register_model did it in actions-setup.py, field for field.
      const byClient = got.models[ids.registered_model.name]!.versions[ids.registered_model.version];
      assert.deepEqual(
        { source: v1.source, run_id: v1.run_id, model_id: v1.model_id, status: v1.status },
        { source: byClient.source, run_id: byClient.run_id, model_id: byClient.model_id, status: byClient.status },
      );
    });

    it(`${label} refuses a duplicate model name before writing anything`, async () => {
      const readBefore = await read({ models: [ids.registered_model.name] });
      const e = await rejected(() => registerModel(client, { name: ids.registered_model.name, newModel: true, model: modelOf(ids) }));
      assert.equal(writeRefusalOf(e), 'conflict');
      assert.match(e.userMessage, /already exists/);
      const log = readFileSync(server.accessLog, 'utf8').split('\n').slice(-3).join('\n');
      assert.doesNotMatch(log, /POST [^ ]*\/(registered-models|model-versions)\/create/, 'no create request');
      assert.deepEqual(await read({ models: [ids.registered_model.name] }), readBefore, 'nothing changed');
      const bad = requestsSoFar(server);
      const invalid = await rejected(() => registerModel(client, { name: ' ', newModel: true, model: modelOf(ids) }));
      assert.match(invalid.userMessage, /cannot be empty/);
      assert.equal(requestsSoFar(server), bad, 'an empty name sends nothing');
    });

    it(`${label} edits descriptions and tags of a registered model and a version`, async () => {
      const name = ids.registered_model.name;
      const v = ids.registered_model.version;
      await client.registryWrites.setRegisteredModelDescription(name, 'Linear model, **approved**');
      await client.registryWrites.setModelVersionDescription(name, v, 'first fit');
      await client.registryWrites.setRegisteredModelTag(name, 'task', 'regression');
      await client.registryWrites.setModelVersionTag(name, v, 'validated', 'true');
      let got = (await read({ models: [name] })).models[name]!;
      assert.equal(got.description, 'Linear model, **approved**');
      assert.equal(got.tags.task, 'regression');
      assert.equal(got.versions[v].description, 'first fit');
      assert.equal(got.versions[v].tags.validated, 'true');
      await client.registryWrites.deleteRegisteredModelTag(name, 'task');
      await client.registryWrites.deleteModelVersionTag(name, v, 'validated');
      got = (await read({ models: [name] })).models[name]!;
      assert.equal(got.tags.task, undefined);
      assert.equal(got.versions[v].tags.validated, undefined);
    });

    it(`${label} stage transitions only where the server has stages`, async () => {
      const name = ids.registered_model.name;
      const v = ids.registered_model.version;
      if (kit === '2.14.3') {
        const moved = await client.registryWrites.transitionStage(name, v, 'Staging');
        assert.equal(moved.current_stage, 'Staging');
        assert.equal((await read({ models: [name] })).models[name]!.versions[v].stage, 'Staging');
      } else {
        const before = requestsSoFar(server);
        const e = await rejected(() => client.registryWrites.transitionStage(name, v, 'Staging'));
        assert.match(e.userMessage, /no model stages: use aliases/);
        assert.equal(requestsSoFar(server), before);
      }
    });

    it(`${label} behind a proxy that lets users read only: reads work, a write is a "read only" refusal and changes nothing`, async () => {
      const proxy = await startNginx({ upstreamPort: Number(new URL(server.directUrl).port), username: server.username, password: server.password, readOnly: true });
      const reader = new MlflowClient({ trackingUri: `http://127.0.0.1:${proxy.port}/mlflow/`, auth: { kind: 'basic', username: server.username, password: server.password } });
      try {
        const run = ids.second_run.run_id;
        assert.equal((await reader.getRun(run)).info.run_id, run);
        assert.ok((await reader.searchRunsPage({ experimentIds: [ids.experiment_id] })).runs.length >= 2, 'search (a POST) still reads');
        for (const write of [() => reader.trackingWrites.setRunTag(run, 'sneaky', 'x'), () => reader.registryWrites.setAlias(ids.registered_model.name, 'sneaky', '1')]) {
          const e = await rejected(write);
          assert.equal(writeRefusalOf(e), 'readOnly');
          assert.equal(e.status, 403);
          assert.match(e.userMessage, /lets you read only/);
        }
        const got = await read({ runs: [run], models: [ids.registered_model.name] });
        assert.equal(got.runs[run].tags.sneaky, undefined);
        assert.equal(got.models[ids.registered_model.name]!.aliases.sneaky, undefined);
      } finally {
        await reader.dispose();
        await proxy.stop();
      }
    });

    it(`${label} a run deleted meanwhile is a "deleted meanwhile" refusal`, async () => {
      const e = await rejected(() => client.trackingWrites.setRunTag('0123456789abcdef0123456789abcdef', 'k', 'v'));
      assert.equal(writeRefusalOf(e), 'gone');
      assert.match(e.userMessage, /no longer exists/);
      const e2 = await rejected(() => client.registryWrites.setAlias('no-such-model', 'champion', '1'));
      assert.equal(writeRefusalOf(e2), 'gone');
    });
  });
}
