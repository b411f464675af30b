// MLWF's write actions against real upstream MLflow servers (2.14.3 and 3.6) that run MLflow's own
// auth app (`mlflow server --app-name basic-auth`, test/servers/realMlflowAuth.ts). The admin
// fills the server (actions-setup.py) and, with MLflow's auth client, makes a user who may only
// READ that experiment and that registered model (auth-users.py). Signed in as that user, every
// write MLWF offers must come back as one clear sentence ("your account has no permission to
// change this"), and the real client, signed in as the admin, must read back exactly what was
// there before. The same writes by the admin go through, so the refusal is the permission's.
// Every test name starts with "[real MLflow <version>]" so npm test can count them.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it as nodeIt } from 'node:test';
import { MlflowClient, registerModel, writeRefusalOf } from '../../src/core/mlflow';
import { modelOf, rejected, type ActionIds } from '../servers/realActions';
import { REAL_KITS, realMlflowSkipReason, runRealClient } from '../servers/realMlflow';
import { startAuthMlflow, type AuthMlflowServer, type AuthUser } from '../servers/realMlflowAuth';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'real-mlflow');

const skip = realMlflowSkipReason();
if (skip) process.stdout.write(`MLflow auth app suite: ${skip}\n`);

for (const kit of REAL_KITS) {
  const label = `[real MLflow ${kit}]`;

  describe(`${label} MLflow's auth app: a user who may only read`, { concurrency: false }, () => {
    const it = (name: string, fn: () => Promise<void>) => nodeIt(name, { skip }, fn);
    let server: AuthMlflowServer;
    let ids: ActionIds;
    let reader: AuthUser;
    let asReader: MlflowClient;
    let asAdmin: MlflowClient;
    const clientFor = (user: AuthUser) => new MlflowClient({ trackingUri: server.trackingUri, auth: { kind: 'basic', username: user.username, password: user.password } });
    const readBack = async () =>
      JSON.parse(
        await runRealClient(server.as(server.admin), path.join(FIXTURES, 'actions-read.py'), [
          JSON.stringify({ runs: [ids.model_run.run_id, ids.second_run.run_id], experiments: [ids.experiment_id], models: [ids.registered_model.name] }),
        ]),
      ) as unknown;

    before(async () => {
      if (skip) return;
      server = await startAuthMlflow(kit);
      ids = JSON.parse(await runRealClient(server.as(server.admin), path.join(FIXTURES, 'actions-setup.py'), ['guarded'])) as ActionIds;
      reader = { username: 'reader', password: randomBytes(12).toString('base64url') };
      const granted = JSON.parse(
        await runRealClient(server.as(server.admin), path.join(FIXTURES, 'auth-users.py'), [reader.username, ids.experiment_id, ids.registered_model.name], { READER_PASSWORD: reader.password }),
      ) as Record<string, string>;
      assert.deepEqual(granted, { user: 'reader', experiment: 'READ', registered_model: 'READ' }, 'MLflow auth client reports READ only');
      asReader = clientFor(reader);
      asAdmin = clientFor(server.admin);
    });
    after(async () => {
      await asReader?.dispose();
      await asAdmin?.dispose();
      await server?.stop();
    });

    it(`${label} the READ user reads the runs, the experiment and the model`, async () => {
      assert.equal((await asReader.getRun(ids.model_run.run_id)).info.run_id, ids.model_run.run_id);
      assert.equal((await asReader.getRegisteredModel(ids.registered_model.name)).name, ids.registered_model.name);
      const page = await asReader.searchRunsPage({ experimentIds: [ids.experiment_id] });
      assert.equal(page.runs.length, 2);
    });

    it(`${label} every write by the READ user is a "no permission" refusal (HTTP 403), and nothing changes`, async () => {
      const before = await readBack();
      const { name, version } = ids.registered_model;
      const run = ids.model_run.run_id;
      const writes: Array<[string, () => Promise<unknown>]> = [
        ['set a run tag', () => asReader.trackingWrites.setRunTag(run, 'approved', 'yes')],
        ['delete a run tag', () => asReader.trackingWrites.deleteRunTag(run, 'owner')],
        ['write the run note', () => asReader.trackingWrites.setRunNote(run, 'mine now')],
        ['rename the run', () => asReader.trackingWrites.renameRun(run, 'hijacked')],
        ['delete the run', () => asReader.trackingWrites.deleteRun(ids.second_run.run_id)],
        ['set an experiment tag', () => asReader.trackingWrites.setExperimentTag(ids.experiment_id, 'team', 'mallory')],
        ['write the experiment note', () => asReader.trackingWrites.setExperimentNote(ids.experiment_id, 'mine now')],
        ['rename the experiment', () => asReader.trackingWrites.renameExperiment(ids.experiment_id, 'hijacked')],
        ['delete the experiment', () => asReader.trackingWrites.deleteExperiment(ids.experiment_id)],
        ["edit the model's description", () => asReader.registryWrites.setRegisteredModelDescription(name, 'mine now')],
        ['set a model tag', () => asReader.registryWrites.setRegisteredModelTag(name, 'task', 'x')],
        ["edit the version's description", () => asReader.registryWrites.setModelVersionDescription(name, version, 'mine now')],
        ['set a version tag', () => asReader.registryWrites.setModelVersionTag(name, version, 'validated', 'no')],
        ['move @champion', () => asReader.registryWrites.setAlias(name, 'champion', version)],
        ['set a new alias', () => asReader.registryWrites.setAlias(name, 'challenger', version)],
        ['remove @champion', () => asReader.registryWrites.deleteAlias(name, 'champion')],
        ['register a new version', () => registerModel(asReader, { name, newModel: false, model: modelOf(ids) }, { pollMs: 200 })],
      ];
      if (kit === '2.14.3') writes.push(['transition the stage', () => asReader.registryWrites.transitionStage(name, version, 'Production')]);
      for (const [what, write] of writes) {
        const e = await rejected(write);
        assert.equal(e.status, 403, `${what}: HTTP 403`);
        assert.equal(writeRefusalOf(e), 'readOnly', `${what}: a read-only refusal`);
        assert.match(e.userMessage, /lets you read only: your account has no permission to change this \(HTTP 403\)\. Ask the server administrator for edit rights\./, what);
      }
      assert.deepEqual(await readBack(), before, 'the real client (as admin) reads exactly what was there before');
    });

    it(`${label} the same writes by the admin go through: the refusal was the permission's`, async () => {
      const run = ids.model_run.run_id;
      await asAdmin.trackingWrites.setRunTag(run, 'approved', 'yes');
      await asAdmin.registryWrites.setRegisteredModelDescription(ids.registered_model.name, 'checked by the admin');
      await asAdmin.registryWrites.setAlias(ids.registered_model.name, 'challenger', ids.registered_model.version);
      const got = (await readBack()) as {
        runs: Record<string, { tags: Record<string, string> }>;
        models: Record<string, { description: string; aliases: Record<string, string> }>;
      };
      assert.equal(got.runs[run]!.tags.approved, 'yes');
      assert.equal(got.models[ids.registered_model.name]!.description, 'checked by the admin');
      assert.equal(got.models[ids.registered_model.name]!.aliases.challenger, ids.registered_model.version);
    });

    it(`${label} a wrong password is a sign-in question (HTTP 401), not a permission refusal`, async () => {
      const stranger = clientFor({ username: reader.username, password: 'not-the-password' });
      try {
        const e = await rejected(() => stranger.trackingWrites.setRunTag(ids.model_run.run_id, 'approved', 'no'));
        assert.equal(e.kind, 'auth');
        assert.equal(e.status, 401);
        assert.equal(writeRefusalOf(e), undefined);
        assert.match(e.userMessage, /rejected the user name or password/);
      } finally {
        await stranger.dispose();
      }
    });
  });
}
