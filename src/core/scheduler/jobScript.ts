// job.sh: what runs on the compute node. It carries the MLflow environment of the connection and
// the pre-created run (MLFLOW_RUN_ID), so the user's own mlflow.start_run() logs into it. It never
// carries the password: it reads it from a file only the user can read and removes that file when
// it ends. Every value from the user or the server is one quoted shell word or a one-line comment.
import { oneLine, shellQuote } from '../container/shellQuote';
import type { JobProfile } from './profiles';

export const STATUS_FILE = 'exit-status';

export interface JobScriptInput {
  readonly profile: JobProfile;
  /** The user's script (absolute) and where it runs. */
  readonly scriptPath: string;
  readonly workdir: string;
  /** python3 for .py, bash for .sh (an interpreter name or path from the settings). */
  readonly interpreter: string;
  /** Python that has mlflow, to close a run the script left open. */
  readonly python: string;
  /** The user's own setup lines (module load…, source venv/bin/activate), from the settings: shell by intent. */
  readonly setupLines: readonly string[];
  readonly trackingUri: string;
  readonly username?: string;
  readonly experimentId: string;
  readonly experimentName: string;
  readonly runId: string;
  /** Where the password (or token) waits for the job (absent without credentials). */
  readonly passwordFile?: string;
  /** The variable the secret goes into: the password with Basic auth, else the bearer token. */
  readonly secretVariable?: 'MLFLOW_TRACKING_PASSWORD' | 'MLFLOW_TRACKING_TOKEN';
  /** Absolute path of the exit-status file the job writes at its end. */
  readonly statusFile: string;
  /** The submit command, for the header. */
  readonly submitCommand: string;
}

const q = shellQuote;

// Closes the run only if nobody did (the script never called mlflow, or crashed before logging).
const CLOSE_RUN_PY = [
  'import os, sys',
  'try:',
  '    from mlflow.tracking import MlflowClient',
  'except Exception:',
  '    sys.exit(0)',
  'client = MlflowClient()',
  'run_id = os.environ["MLFLOW_RUN_ID"]',
  'if client.get_run(run_id).info.status in ("RUNNING", "SCHEDULED"):',
  '    client.set_terminated(run_id, sys.argv[1])',
];

export function buildJobScript(input: JobScriptInput): string {
  const { profile } = input;
  const secretVar = input.secretVariable ?? 'MLFLOW_TRACKING_PASSWORD';
  const jobIdExpr = profile.scheduler === 'pbs' ? '${PBS_JOBID:-}' : profile.scheduler === 'sge' ? '${JOB_ID:-}' : '$$';
  return [
    '#!/bin/bash',
    `# MLWF job: ${oneLine(input.scriptPath)} on ${profile.title}.`,
    `# Logs to MLflow experiment ${oneLine(input.experimentName)} (id ${oneLine(input.experimentId)}), run ${oneLine(input.runId)}.`,
    profile.scheduler === 'none' ? '# Started by MLWF on this machine with:' : '# Submitted by MLWF from this folder with:',
    `#   ${oneLine(input.submitCommand)}`,
    '# The MLflow password is not in this file: the job reads it from a file only you can read,',
    '# removed when the job ends.',
    'set -uo pipefail',
    '',
    `export MLFLOW_TRACKING_URI=${q(input.trackingUri)}`,
    ...(input.username ? [`export MLFLOW_TRACKING_USERNAME=${q(input.username)}`] : []),
    `export MLFLOW_EXPERIMENT_ID=${q(input.experimentId)}`,
    `export MLFLOW_RUN_ID=${q(input.runId)}`,
    `mlwf_password_file=${q(input.passwordFile ?? '')}`,
    `mlwf_status_file=${q(input.statusFile)}`,
    `mlwf_python=${q(input.python)}`,
    'if [ -n "$mlwf_password_file" ] && [ -r "$mlwf_password_file" ]; then',
    `  ${secretVar}=$(cat -- "$mlwf_password_file")`,
    `  export ${secretVar}`,
    'fi',
    'mlwf_killed=',
    'mlwf_close_run() {',
    `  "$mlwf_python" - "$1" >/dev/null 2>&1 <<'MLWF_PY' || true`,
    ...CLOSE_RUN_PY,
    'MLWF_PY',
    '}',
    'mlwf_end() {',
    '  local status=$?',
    '  [ -n "$mlwf_password_file" ] && rm -f -- "$mlwf_password_file"',
    '  if [ -n "$mlwf_killed" ]; then mlwf_close_run KILLED',
    '  elif [ "$status" -eq 0 ]; then mlwf_close_run FINISHED',
    '  else mlwf_close_run FAILED',
    '  fi',
    '  printf \'%s\\n\' "$status" > "$mlwf_status_file" 2>/dev/null || true',
    '}',
    'trap mlwf_end EXIT',
    // qdel sends SIGTERM (PBS) before SIGKILL: the run is marked KILLED, not FAILED.
    "trap 'mlwf_killed=1; exit 143' TERM INT HUP USR2",
    '',
    ...(input.setupLines.length ? ['# Setup from the setting mlwf.jobs.setupCommands:', ...input.setupLines.map(oneLine), ''] : []),
    `cd -- ${q(input.workdir)} || exit 66`,
    `echo "MLWF: job ${jobIdExpr} on $(hostname), MLflow run $MLFLOW_RUN_ID"`,
    `${q(input.interpreter)} ${q(input.scriptPath)}`,
    '',
  ].join('\n');
}
