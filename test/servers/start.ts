/**
 * Starts the rig (test MLflow + nginx with Basic auth) for manual use, demos and e2e scripts:
 *
 *   node --import tsx test/servers/start.ts --scenario demo [--generate '{"experiments":2000}']
 *        [--env-file FILE] [--port N] [--mlflow-port N] [--username U] [--password P] [--s3 on|off]
 *
 * Node 20 itself reads `--env-file` anywhere on its command line (and exits if the file does not
 * exist yet), so write `-- --env-file FILE` or use the alias `--write-env FILE`.
 *
 * Prints one JSON line {trackingUri, directUrl, username, password, s3Endpoint} on stdout, optionally
 * writes MLWF_TEST_* lines to --env-file, and runs until SIGTERM/SIGINT, then stops nginx cleanly.
 *
 * With `--s3 on` (the default) it also starts the S3-compatible server (moto, no signature checks,
 * any keys) for the upload, Cloud Storage and journey tests and the demo: MLWF_TEST_S3_ENDPOINT.
 * Without moto on the machine that line is left out and the tests that need it say so.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { findMotoServer, startMoto, type MotoServer } from './moto';
import { startRig } from './rig';

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      'write-env': { type: 'string' },
      scenario: { type: 'string', default: 'demo' },
      generate: { type: 'string' },
      'env-file': { type: 'string' },
      port: { type: 'string' },
      'mlflow-port': { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      s3: { type: 'string', default: 'on' },
    },
  });
  const rig = await startRig({
    scenario: values.scenario,
    generate: values.generate ? (JSON.parse(values.generate) as object) : undefined,
    username: values.username,
    password: values.password,
    nginxPort: values.port ? Number(values.port) : undefined,
    mlflowPort: values['mlflow-port'] ? Number(values['mlflow-port']) : undefined,
  });
  const motoBin = values.s3 === 'off' ? undefined : findMotoServer();
  if (values.s3 !== 'off' && !motoBin) process.stderr.write('moto_server not found: no S3 server (MLWF_TEST_S3_ENDPOINT unset)\n');
  const moto: MotoServer | undefined = motoBin ? await startMoto(motoBin) : undefined;
  const info = { trackingUri: rig.trackingUri, directUrl: rig.directUrl, username: rig.username, password: rig.password, s3Endpoint: moto?.endpoint };
  const envFile = values['env-file'] ?? values['write-env'];
  if (envFile) {
    writeFileSync(
      envFile,
      [
        `MLWF_TEST_TRACKING_URI=${rig.trackingUri}`,
        `MLWF_TEST_USERNAME=${rig.username}`,
        `MLWF_TEST_PASSWORD=${rig.password}`,
        `MLWF_TEST_DIRECT_URL=${rig.directUrl}`,
        ...(moto ? [`MLWF_TEST_S3_ENDPOINT=${moto.endpoint}`] : []),
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
  }
  process.stdout.write(`${JSON.stringify(info)}\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all([rig.stop(), moto?.stop()]);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
