// One MLWF upload, as its own process so the benchmark can read its peak RSS (bench/maxRss.cjs):
// node --require bench/maxRss.cjs --import tsx bench/uploadOnce.ts ENDPOINT BUCKET KEY FILE PART_MIB QUEUE
import { createS3Client } from '../src/core/s3/s3Client';
import { resolveS3Settings } from '../src/core/s3/s3Settings';
import { uploadFile } from '../src/core/upload';

async function main(): Promise<void> {
  const [endpoint, bucket, key, file, partMiB, queue] = process.argv.slice(2) as [string, string, string, string, string, string];
  const client = await createS3Client({ settings: resolveS3Settings({ endpoint, region: 'us-east-1', addressingStyle: 'path' }, {}), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await uploadFile({ client, bucket, key, file, partSize: Number(partMiB) * 1024 * 1024, queueSize: Number(queue) });
  client.destroy();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
