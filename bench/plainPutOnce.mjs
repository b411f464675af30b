// One plain HTTP PUT of a whole file, streamed and unsigned (moto accepts it), in a process of
// its own like the other contenders: the loopback limit of the server in the upload benchmark.
// node bench/plainPutOnce.mjs PORT PATH FILE
import { createReadStream, statSync } from 'node:fs';
import * as http from 'node:http';

const [port, urlPath, file] = process.argv.slice(2);
const req = http.request({ host: '127.0.0.1', port: Number(port), method: 'PUT', path: urlPath, headers: { 'content-length': statSync(file).size } }, (res) => {
  res.resume();
  res.on('end', () => {
    if (res.statusCode !== 200) {
      console.error(`PUT ${res.statusCode}`);
      process.exitCode = 1;
    }
  });
});
req.on('error', (e) => {
  console.error(e);
  process.exitCode = 1;
});
createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(req);
