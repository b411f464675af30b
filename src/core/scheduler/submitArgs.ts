// The qsub command line of a job, as argv (it never passes through a shell). Only validated
// settings and our own file names appear; the password never does, and no -V/-v exports the
// environment (which could hold MLFLOW_TRACKING_PASSWORD) into the job or into `qstat -f`.
import type { JobSettings } from '../container/siteProfiles';
import type { JobProfile } from './profiles';

export const JOB_SCRIPT_FILE = 'job.sh';
export const OUTPUT_FILE = 'output.log';

/** A job name every scheduler accepts: starts with a letter, [A-Za-z0-9_.-], at most 15 characters (PBS's classic limit). */
export function jobNameFor(scriptFile: string): string {
  const base = scriptFile.replace(/^.*\//, '').replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_.-]+/g, '_');
  return `mlwf-${base}`.slice(0, 15);
}

/**
 * argv after `qsub`, run in the job's folder; outputPath is absolute. `script` is job.sh for a
 * training job, build.sh / serve.sh for the container's jobs; `variables` are plain, non-secret
 * values for the job (the serve job's PORT), passed with -v NAME=VALUE (never -V).
 */
export function qsubArgs(profile: JobProfile, job: JobSettings, jobName: string, outputPath: string, script: string = JOB_SCRIPT_FILE, variables: Readonly<Record<string, string>> = {}): string[] {
  const pass = Object.entries(variables).flatMap(([k, v]) => ['-v', `${k}=${v}`]);
  if (profile.scheduler === 'pbs') {
    // -k oed: the output goes straight to its final place while the job runs (Show Output follows it).
    return ['-P', job.group, '-q', job.resource, '-l', 'select=1', '-l', `walltime=${job.walltime}`, '-N', jobName, '-j', 'oe', '-k', 'oed', '-o', outputPath, ...pass, script];
  }
  if (profile.scheduler === 'sge') {
    const site = profile.usesGroup ? ['-g', job.group, '-l', `${job.resource}=1`] : job.resource ? ['-q', job.resource] : [];
    // Without -o Grid Engine writes into $HOME; with it, as the job goes (shared file system).
    return ['-terse', ...site, '-l', `h_rt=${job.walltime}`, '-N', jobName, '-cwd', '-j', 'y', '-o', outputPath, '-S', '/bin/bash', ...pass, script];
  }
  return [];
}

/** What the user would type: shown in the job script's header (display only, quoted for a shell). */
export function displayCommand(words: readonly string[], quote: (w: string) => string): string {
  return words.map(quote).join(' ');
}
