// What the journey's upload left on the S3-compatible server, read back over plain HTTP and with
// the journey's keys: the package private and byte for byte, info.yaml public-read and equal to
// the file on disk (with the URL the upload wrote into it).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Checks } from './lib';

export interface UploadedPackage {
  endpoint: string;
  bucket: string;
  keys: { accessKeyId: string; secretAccessKey: string };
  /** The prefix the upload offered, and the URLs its summary named. */
  prefix: string;
  packageUrl: string;
  yamlUrl: string;
  exportDir: string;
}

/** What the S3-compatible server holds at bucket/key (moto answers unsigned path-style GETs). */
async function anonymousGet(endpoint: string, bucket: string, key: string): Promise<{ status: number; body: Buffer }> {
  const response = await fetch(`${endpoint}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`);
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

/** The object read with the journey's keys (SigV4, path style, like the extension). */
async function signedGet(upload: UploadedPackage, key: string): Promise<Buffer> {
  const client = new S3Client({ endpoint: upload.endpoint, region: 'ap-northeast-1', forcePathStyle: true, credentials: upload.keys });
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: upload.bucket, Key: key }));
    return Buffer.from(await out.Body!.transformToByteArray());
  } finally {
    client.destroy();
  }
}

export async function checkUploadedObjects(checks: Checks, upload: UploadedPackage): Promise<void> {
  const { endpoint, bucket, prefix, packageUrl, yamlUrl, exportDir } = upload;
  const key = (name: string) => `ElasticnetWineModel/${name}`;
  checks.check(/ElasticnetWineModel/.test(prefix), 'the default prefix offered is the model name', prefix);
  checks.check(packageUrl.endsWith(`/${bucket}/${key('model.tar.gz')}`) && yamlUrl.endsWith(`/${bucket}/${key('info.yaml')}`), 'the URLs name the bucket and the keys under the default prefix', `${packageUrl} ${yamlUrl}`);
  // The package stays private (only the YAML must be public-read): read it back with the keys.
  const anonymousPackage = await anonymousGet(endpoint, bucket, key('model.tar.gz'));
  checks.check(anonymousPackage.status === 403, 'model.tar.gz is not readable without keys', `status ${anonymousPackage.status}`);
  const storedPackage = await signedGet(upload, key('model.tar.gz')).catch((e: Error) => Buffer.from(`error: ${e.message}`));
  checks.check(storedPackage.equals(fs.readFileSync(path.join(exportDir, 'model.tar.gz'))), 'the server holds model.tar.gz byte for byte', `${storedPackage.length} bytes: ${storedPackage.subarray(0, 80).toString()}`);
  const savedYaml = fs.readFileSync(path.join(exportDir, 'info.yaml'), 'utf8');
  checks.check(savedYaml.includes(`- ${packageUrl}`) || savedYaml.includes(`- "${packageUrl}"`), 'info.yaml now lists the package URL under Distribution.ContentURL');
  const storedYaml = await anonymousGet(endpoint, bucket, key('info.yaml'));
  checks.check(storedYaml.status === 200 && storedYaml.body.toString('utf8') === savedYaml, 'the server holds the finished info.yaml (with the URL, the licence and the e-mail)');
  const acl = await fetch(`${endpoint}/${bucket}/${key('info.yaml')}?acl`).then((r) => r.text(), () => '');
  checks.check(/global\/AllUsers<\/URI>[\s\S]*?<Permission>READ<\/Permission>/.test(acl), 'info.yaml is public-read on the server', acl.slice(0, 300));
}
