// curl as the peer of a request: its own time_total (transfer only, in a process of its own)
// is the network + server limit a client in the extension host is compared with.
//
// Fair to both sides: time_total starts when curl starts the transfer, so the process spawn is
// not counted; curl sends no Accept-Encoding and nginx compresses nothing here, so both sides
// receive the same bytes; and the client under test reuses its kept-alive connection, so curl
// does too: one curl process makes the same request twice on one connection and the second
// transfer (num_connects 0) is the sample. The first (a fresh TCP connection) is kept as well,
// for the record.
import { execFile } from 'node:child_process';
import { median } from './stats';

export interface CurlSample {
  /** time_total of the second transfer, on the connection the first one opened. */
  reusedMs: number;
  /** time_total of the first transfer, which opened the connection. */
  freshMs: number;
  /** Body bytes of the answer (size_download). */
  bytes: number;
}

/** One curl process, the same POST twice on one kept-alive connection. */
export async function curlPost(url: string, body: string, user: { username: string; password: string }): Promise<CurlSample> {
  // The password goes through a config on stdin, never on the visible command line.
  const out = await curl(
    ['-s', '-o', '/dev/null', '-o', '/dev/null', '-w', '%{time_total} %{size_download} %{num_connects}\\n', '-K', '-', '-H', 'Content-Type: application/json', '-d', body, url, url],
    `user = "${user.username}:${user.password}"\n`,
  );
  const [first, second] = out.trim().split('\n').map((line) => line.split(' ').map(Number));
  if (!first || !second || second[2] !== 0) throw new Error(`curl did not reuse its connection: ${out}`);
  return { freshMs: first[0]! * 1000, reusedMs: second[0]! * 1000, bytes: second[1]! };
}

/** Median time_total of `runs` POSTs of `body` to `url` on a reused connection (after one warm-up), and the bytes received. */
export async function timeCurl(runs: number, url: string, body: string, user: { username: string; password: string }): Promise<{ medianMs: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i <= runs; i++) {
    const sample = await curlPost(url, body, user);
    if (i > 0) times.push(sample.reusedMs); // the first is the warm-up
    bytes = sample.bytes;
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
