// build.sh and serve.sh: the job scripts of a site profile. Run on the login node they submit
// themselves to a compute node and wait (the terminal shows the job's output live); run inside a
// job, or with the generic profile, they do the work where they are. Every value from the user or
// the model is a quoted shell word; the rest is fixed text.
import type { ModelSpec } from './modelSpec';
import { oneLine, shellQuote } from './shellQuote';
import { type JobSettings, type SiteProfile } from './siteProfiles';

export const IMAGE_FILE = 'container.sif';
export const RECIPE_FILE = 'Singularity';
export const BUILD_LOG = 'build.log';
export const SERVE_LOG = 'serve.log';
export const SERVE_URL_FILE = 'serve.url';

interface ScriptInput {
  readonly spec: ModelSpec;
  readonly profile: SiteProfile;
  readonly job: JobSettings;
}

const PROFILE_TITLES: Record<SiteProfile['id'], string> = {
  abci3: 'ABCI 3.0, PBS Professional',
  abci2: 'ABCI 2.0, Grid Engine',
  gridengine: 'Grid Engine',
  generic: 'this machine, no scheduler',
};

function header(purpose: string, script: string, { spec, profile }: ScriptInput): string[] {
  return [
    '#!/bin/bash',
    `# MLWF: ${purpose} of MLflow model ${oneLine(spec.name)} (site profile ${profile.id}: ${PROFILE_TITLES[profile.id]}).`,
    profile.scheduler === 'none'
      ? `# Run it with \`bash ${script}\`; it works on this machine.`
      : `# Run it with \`bash ${script}\` on the login node: it submits itself to a compute node and waits,\n# showing the job's output. Run inside a job, it works right there.`,
    'set -euo pipefail',
    '',
    `MODEL_NAME=${shellQuote(oneLine(spec.name))}`,
  ];
}

function jobVariables({ profile, job }: ScriptInput): string[] {
  if (profile.scheduler === 'none') return [];
  return [`RESOURCE=${shellQuote(job.resource)}`, `WALLTIME=${shellQuote(job.walltime)}`];
}

/**
 * Moves into the script's folder: in a batch job (PBS, or Grid Engine's qsub as MLWF submits it)
 * the script runs from a spool copy, so fall back to the submission folder.
 */
function enterFolder(profile: SiteProfile): string[] {
  const workdir = profile.scheduler === 'pbs' ? 'PBS_O_WORKDIR' : 'SGE_O_WORKDIR';
  return [
    'here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)',
    ...(profile.scheduler === 'none' ? [] : [`[ -f "$here/${RECIPE_FILE}" ] || here=\${${workdir}:-$PWD}`]),
    'cd "$here"',
  ];
}

function jobIdVariable(profile: SiteProfile): string {
  return profile.scheduler === 'pbs' ? 'PBS_JOBID' : 'JOB_ID';
}

/** The submission on the login node: follow the log (PBS) and remove the job if the terminal is closed. */
function submitBlock(input: ScriptInput, script: string, log: string, jobName: string, withPort: boolean): string[] {
  const { profile } = input;
  if (profile.scheduler === 'none') return [];
  const idVar = jobIdVariable(profile);
  const portVar = withPort ? ['-v', '"PORT=$PORT"'] : [];
  const lines = [`if [ -z "\${${idVar}:-}" ]; then`];
  if (profile.scheduler === 'pbs') {
    const words = ['qsub', '-W', 'block=true', '-P', '"$GROUP"', '-q', '"$RESOURCE"', '-l', 'select=1', '-l', '"walltime=$WALLTIME"', '-N', jobName, '-j', 'oe', '-k', 'oed', '-o', log, ...portVar, script];
    lines.push(
      `    echo "Submitting to a compute node: group $GROUP, $RESOURCE, wall time $WALLTIME. Waiting for the job…"`,
      `    rm -f ${log} .${jobName}.jobid && : > ${log}`,
      // -k oed writes the log straight to its final place, so it can be followed while the job runs.
      `    tail -n +1 -F ${log} 2>/dev/null &`,
      '    tail_pid=$!',
      // Closing the terminal must not leave a job running (and charging the group) behind. qsub
      // runs in the background so that `wait` lets the trap run as soon as a signal arrives.
      `    trap 'kill "$tail_pid" "$qsub_pid" 2>/dev/null; [ -s .${jobName}.jobid ] && qdel "$(cat .${jobName}.jobid)"; exit 130' INT TERM HUP`,
      // qsub prints the job's id (and flushes it) as soon as the job is submitted, then blocks: into
      // the folder, so the trap can remove a job that is still queued and MLWF lists it in the
      // Jobs view from the start. The file stays after the job: MLWF may read it after a short
      // job has already ended; MLWF and this script remove it before the next submission.
      `    ${words.join(' ')} > .${jobName}.jobid &`,
      '    qsub_pid=$!',
      '    status=0',
      '    wait "$qsub_pid" || status=$?',
      '    sleep 1; kill "$tail_pid" 2>/dev/null || true',
      '    exit "$status"',
    );
  } else if (!profile.usesGroup) {
    // A plain cell: no -g, no ABCI resource type; the queue is optional (empty: the cell chooses).
    const words = ['qrsh', '-now', 'no', '${RESOURCE:+-q "$RESOURCE"}', '-l', '"h_rt=$WALLTIME"', '-cwd', '-N', jobName, ...portVar, '/bin/bash', script];
    lines.push(
      `    echo "Starting on a compute node: \${RESOURCE:-any queue}, wall time $WALLTIME. Waiting for the job…"`,
      `    exec ${words.join(' ')}`,
    );
  } else {
    const words = ['qrsh', '-g', '"$GROUP"', '-l', '"$RESOURCE=1"', '-l', '"h_rt=$WALLTIME"', '-cwd', '-N', jobName, ...portVar, '/bin/bash', script];
    lines.push(
      `    echo "Starting on a compute node: group $GROUP, $RESOURCE, wall time $WALLTIME. Waiting for the job…"`,
      // qrsh streams the job's output and returns its exit status; closing it ends the job.
      `    exec ${words.join(' ')}`,
    );
  }
  lines.push('fi', '');
  return lines;
}

/**
 * Here (generic): the output goes to the terminal and, as a batch job's does, to the folder's
 * log, which the Jobs view's Show Output follows.
 */
function localLog(profile: SiteProfile, log: string): string[] {
  return profile.scheduler === 'none' ? [`exec > >(tee ${log}) 2>&1`] : [];
}

/** On the compute node: module, singularity or apptainer, node-local temporary storage. */
function nodeSetup({ profile }: ScriptInput): string[] {
  const lines: string[] = [];
  if (profile.moduleLoad) {
    lines.push(
      'type module >/dev/null 2>&1 || . /etc/profile.d/modules.sh',
      `module load ${shellQuote(profile.moduleLoad)}`,
    );
  }
  lines.push(
    'if command -v singularity >/dev/null 2>&1; then cli=singularity',
    'elif command -v apptainer >/dev/null 2>&1; then cli=apptainer',
    // The one line the user sees in the job's output (and in MLWF's failure message) when the node has neither.
    'else echo "MLWF: neither singularity nor apptainer is on PATH on $(hostname): install one (or load its module) on the compute nodes." >&2; exit 127',
    'fi',
  );
  return lines;
}

export function buildScript(input: ScriptInput): string {
  const { profile } = input;
  const local = profile.localDirVariable;
  return [
    ...scriptHead('build the Singularity image', 'build.sh', input),
    ...enterFolder(profile),
    '',
    ...submitBlock(input, 'build.sh', BUILD_LOG, 'mlwf-build', false),
    ...localLog(profile, BUILD_LOG),
    ...nodeSetup(input),
    // --fakeroot unpacks the image in SINGULARITY_TMPDIR: node-local storage is fast and has room.
    local === 'TMPDIR' ? 'tmp=${TMPDIR:-/tmp}' : `tmp=\${${local}:-\${TMPDIR:-/tmp}}`,
    'export SINGULARITY_TMPDIR="$tmp" APPTAINER_TMPDIR="$tmp"',
    `echo "Building ${IMAGE_FILE} for $MODEL_NAME with $cli on $(hostname) (temporary files in $tmp)…"`,
    // Build under another name, so a failed build never leaves a broken container.sif behind.
    `partial=${IMAGE_FILE.replace('.sif', '.building.sif')}`,
    'rm -f "$partial"',
    `trap 'rm -f "$partial"' EXIT`,
    `"$cli" build --fakeroot "$partial" ${RECIPE_FILE}`,
    `mv -f "$partial" ${IMAGE_FILE}`,
    `echo "Built ${IMAGE_FILE} ($(du -h ${IMAGE_FILE} | cut -f1))"`,
    '',
  ].join('\n');
}

export function serveScript(input: ScriptInput): string {
  const { spec, profile } = input;
  const host = profile.scheduler === 'none' ? '127.0.0.1' : '$(hostname)';
  return [
    ...scriptHead('serve the built image', 'serve.sh', input),
    'PORT=${PORT:-5000}',
    ...enterFolder(profile),
    `[ -f ${IMAGE_FILE} ] || { echo "${IMAGE_FILE} is not built yet: run build.sh first." >&2; exit 66; }`,
    '',
    ...submitBlock(input, 'serve.sh', SERVE_LOG, 'mlwf-serve', true),
    ...localLog(profile, SERVE_LOG),
    ...nodeSetup(input),
    `url="http://${host}:$PORT"`,
    `echo "$url" > ${SERVE_URL_FILE}`,
    `trap 'rm -f ${SERVE_URL_FILE}' EXIT`,
    'echo "Serving $MODEL_NAME at $url/invocations (Ctrl+C stops it)."',
    'export PORT',
    `"$cli" run${spec.gpu ? ' --nv' : ''} ${IMAGE_FILE}`,
    '',
  ].join('\n');
}

function scriptHead(purpose: string, script: string, input: ScriptInput): string[] {
  const lines = header(purpose, script, input);
  if (input.profile.scheduler !== 'none') lines.push(...(input.profile.usesGroup ? [`GROUP=${shellQuote(input.job.group)}`] : []), ...jobVariables(input));
  lines.push('');
  return lines;
}
