/**
 * Gives the demo's S3-compatible server something to browse: a group bucket with one earlier
 * published model (info.yaml + model.tar.gz under a prefix) and a left-over multipart upload for
 * "Clean Up Unfinished Uploads…" to find. Demo only: tests create their own buckets.
 *
 *   node --import tsx test/servers/seedDemoS3.ts ENDPOINT
 */
import { CreateBucketCommand, CreateMultipartUploadCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

export const DEMO_BUCKET = 'gaa50000-models';

async function main(): Promise<void> {
  const endpoint = process.argv[2];
  if (!endpoint) throw new Error('usage: seedDemoS3.ts ENDPOINT');
  // moto (without its signature checks) accepts any keys; these are the demo's, shown in the README.
  const s3 = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'demo', secretAccessKey: 'demo-secret' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: DEMO_BUCKET }));
  const prefix = 'ElasticnetWineModel/v1/';
  const infoYaml = [
    'Name: ElasticnetWineModel',
    'Description: An ElasticNet regression of wine quality, published earlier by the group.',
    'Distribution:',
    `  ContentURL: ${endpoint}/${DEMO_BUCKET}/${prefix}model.tar.gz`,
    '',
  ].join('\n');
  await s3.send(new PutObjectCommand({ Bucket: DEMO_BUCKET, Key: `${prefix}info.yaml`, Body: infoYaml, ContentType: 'application/yaml' }));
  await s3.send(new PutObjectCommand({ Bucket: DEMO_BUCKET, Key: `${prefix}model.tar.gz`, Body: Buffer.alloc(256 * 1024, 7) }));
  await s3.send(new CreateMultipartUploadCommand({ Bucket: DEMO_BUCKET, Key: 'unfinished/model.tar.gz' }));
  process.stdout.write(`seeded s3://${DEMO_BUCKET}/\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
