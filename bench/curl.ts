// curl as the peer of a request: its own time_total (transfer only, in a process of its own)
// is the network + server limit a client in the extension host is compared with.
import { execFile } from 'node:child_process';
import { median } from './stats';

/** Median time_total of `runs` POSTs of `body` to `url` (after one warm-up), and the bytes received. */
export async function timeCurl(runs: number, url: string, body: string, user: { username: string; password: string }): Promise<{ medianMs: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i <= runs; i++) {
    // The password goes through a config on stdin, never on the visible command line.
    const out = await curl(['-s', '-o', '/dev/null', '-w', '%{time_total} %{size_download}', '-K', '-', '-H', 'Content-Type: application/json', '-d', body, url], `user = "${user.username}:${user.password}"\n`);
    const [seconds, size] = out.split(' ').map(Number);
    if (i > 0) times.push(seconds! * 1000); // the first is the warm-up
    bytes = size!;
  }
  return { medianMs: median(times), bytes };
}

/** Async: a synchronous child process would stall this process's event loop meanwhile. */
function curl(args: string[], stdin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('curl', args, (error, stdout) => (error ? reject(error) : resolve(stdout)));
    child.stdin?.end(stdin);
  });
}

/** Median time_total of `runs` GETs of `url` (after one warm-up), and the bytes received. */
export async function timeCurlGet(runs: number, url: string, user: { username: string; password: string }): Promise<{ medianMs: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i <= runs; i++) {
    const out = await curl(['-s', '-o', '/dev/null', '-w', '%{time_total} %{size_download}', '-K', '-', url], `user = "${user.username}:${user.password}"\n`);
    const [seconds, size] = out.split(' ').map(Number);
    if (i > 0) times.push(seconds! * 1000);
    bytes = size!;
  }
  return { medianMs: median(times), bytes };
}
