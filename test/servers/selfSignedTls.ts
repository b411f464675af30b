// A throwaway self-signed certificate for 127.0.0.1, for tests of the TLS options (CA file,
// insecure). openssl may be missing on a developer's machine: those tests then skip.
import { execFileSync } from 'child_process';
import * as path from 'path';

export const haveOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Writes key.pem and cert.pem into `dir` and returns their paths. */
export function makeSelfSignedCert(dir: string): { key: string; cert: string } {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { key, cert };
}
