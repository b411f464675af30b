// The real MLflow servers (2.14.3, 3.6) that npm test started, as the extension host sees them:
// MLWF_REAL_MLFLOW names their description file, MLWF_REAL_MLFLOW_SKIP says why there are none.
// In-host suites never start servers themselves (the rig outside the workbench does).
import { readFileSync } from 'node:fs';
import type { RealServer, RealServersFile } from '../servers/realMlflow';

export type { RealServer } from '../servers/realMlflow';

export function realServersInHost(): RealServer[] | { skipped: string } {
  const file = process.env.MLWF_REAL_MLFLOW;
  if (!file) return { skipped: process.env.MLWF_REAL_MLFLOW_SKIP || 'real MLflow servers skipped: npm test did not start them (MLWF_REAL_MLFLOW is not set)' };
  return (JSON.parse(readFileSync(file, 'utf8')) as RealServersFile).servers;
}
