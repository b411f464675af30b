// One MLWF upload, as its own process so the benchmark can read its peak RSS (bench/peakRss.py):
// python3 bench/peakRss.py node --import tsx bench/uploadOnce.ts ENDPOINT BUCKET KEY FILE PART_MIB QUEUE
// Also prints PARTS_PEAK_KIB: the most memory held in ArrayBuffers (the parts) seen after any part,
// the figure the part size × parallelism bound is about.
import { createS3Client } from '../src/core/s3/s3Client';
import { resolveS3Settings } from '../src/core/s3/s3Settings';
import { uploadFile } from '../src/core/upload';

async function main(): Promise<void> {
  const [endpoint, bucket, key, file, partMiB, queue] = process.argv.slice(2) as [string, string, string, string, string, string];
  const client = await createS3Client({ settings: resolveS3Settings({ endpoint, region: 'us-east-1', addressingStyle: 'path' }, {}), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  let parts = 0;
  const sample = () => (parts = Math.max(parts, process.memoryUsage().arrayBuffers));
  await uploadFile({ client, bucket, key, file, partSize: Number(partMiB) * 1024 * 1024, queueSize: Number(queue), onProgress: sample });
  sample();
  process.stderr.write(`\nPARTS_PEAK_KIB ${Math.round(parts / 1024)}\n`);
  client.destroy();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
