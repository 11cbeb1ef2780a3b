import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import S3rver from 's3rver';
import { ConfigError, loadConfig } from '@sapa/service-kit';
import { AttachmentConfigSchema, AttachmentMissing, attachmentStoreFromConfig, createLocalDiskStore, createS3Store, type AttachmentStore } from '../src/index.js';
import { tinyPng } from './samples.js';

const BUCKET = 'sapa-test';

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** A real S3 wire server on loopback (s3rver: S3's REST/XML protocol, keys S3RVER/S3RVER). */
let s3: S3rver;
let s3Endpoint: string;
let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sapa-attachments-'));
  s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(folder, 's3'), configureBuckets: [{ name: BUCKET, configs: [] }] });
  const address = await s3.run();
  s3Endpoint = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await s3.close();
  await rm(folder, { recursive: true, force: true });
});

const s3Options = () => ({ endpoint: s3Endpoint, region: 'us-east-1', bucket: BUCKET, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true });

const stores: Array<[string, () => AttachmentStore]> = [
  ['the local disk store', () => createLocalDiskStore(join(folder, 'disk'))],
  ['the S3 store', () => createS3Store(s3Options())],
  ['the store configured with SAPA_S3_BUCKET', () => attachmentStoreFromConfig({ SAPA_S3_BUCKET: BUCKET, SAPA_S3_ENDPOINT: s3Endpoint, SAPA_S3_ACCESS_KEY_ID: 'S3RVER', SAPA_S3_SECRET_ACCESS_KEY: 'S3RVER' })],
];

describe.each(stores)('%s', (_name, make) => {
  let store: AttachmentStore;
  beforeAll(() => {
    store = make();
  });

  it('gives back exactly the bytes it was given', async () => {
    const body = tinyPng();
    await store.put('tenant-a/2026-03/one', body, 'image/png');
    expect((await bytesOf(await store.get('tenant-a/2026-03/one'))).equals(body)).toBe(true);
  });

  it('replaces a file put twice under one key', async () => {
    await store.put('tenant-a/2026-03/twice', Buffer.from('first'), 'text/plain');
    await store.put('tenant-a/2026-03/twice', Buffer.from('second'), 'text/plain');
    expect(String(await bytesOf(await store.get('tenant-a/2026-03/twice')))).toBe('second');
  });

  it('rejects a key it holds nothing under with AttachmentMissing', async () => {
    await expect(store.get('tenant-a/2026-03/never-put')).rejects.toBeInstanceOf(AttachmentMissing);
  });

  it('deletes, and deleting again is no error', async () => {
    await store.put('tenant-a/2026-03/gone', Buffer.from('x'), 'text/plain');
    await store.delete('tenant-a/2026-03/gone');
    await expect(store.get('tenant-a/2026-03/gone')).rejects.toBeInstanceOf(AttachmentMissing);
    await expect(store.delete('tenant-a/2026-03/gone')).resolves.toBeUndefined();
  });
});

describe('the S3 store, credentials', () => {
  // s3rver checks the access key of every SigV4 request (not yet the signature itself, unlike S3 or MinIO).
  it('is refused by the server with an access key it does not know', async () => {
    const store = createS3Store({ ...s3Options(), accessKeyId: 'NOT-A-KEY' });
    await expect(store.put('t/denied', Buffer.from('x'), 'text/plain')).rejects.toThrow(/Access Key Id/);
  });
});

describe('the local disk store', () => {
  it.each(['../outside', 'a/../../outside', '/etc/passwd', '..', '.'])('refuses the key %p, which would leave its folder', async (key) => {
    const store = createLocalDiskStore(join(folder, 'escape'));
    await expect(store.put(key, Buffer.from('x'), 'text/plain')).rejects.toThrow(/leaves the store/);
    await expect(store.get(key)).rejects.toThrow(/leaves the store/);
    await expect(store.delete(key)).rejects.toThrow(/leaves the store/);
  });

  it('leaves no temporary file behind after a put', async () => {
    const root = join(folder, 'tidy');
    const store = createLocalDiskStore(root);
    await store.put('t/2026-03/file', Buffer.from('x'), 'text/plain');
    expect(await readdir(join(root, 't/2026-03'))).toEqual(['file']);
  });
});

describe('attachmentStoreFromConfig', () => {
  it('uses the local folder when no bucket is set', async () => {
    const store = attachmentStoreFromConfig({ SAPA_ATTACHMENTS_DIR: join(folder, 'configured') });
    await store.put('t/x', Buffer.from('on disk'), 'text/plain');
    expect(await readdir(join(folder, 'configured', 't'))).toEqual(['x']);
  });

  it("takes a service's already loaded config (numbers and booleans converted) as well as the environment", async () => {
    const loaded = loadConfig(AttachmentConfigSchema, { SAPA_S3_BUCKET: BUCKET, SAPA_S3_ENDPOINT: s3Endpoint, SAPA_S3_ACCESS_KEY_ID: 'S3RVER', SAPA_S3_SECRET_ACCESS_KEY: 'S3RVER', SAPA_S3_FORCE_PATH_STYLE: 'true' });
    const store = attachmentStoreFromConfig(loaded);
    await store.put('t/loaded', Buffer.from('via config'), 'text/plain');
    expect(String(await bytesOf(await store.get('t/loaded')))).toBe('via config');
  });

  it('lists every bad variable at once', () => {
    let error: unknown;
    try {
      attachmentStoreFromConfig({ SAPA_S3_BUCKET: 'Not_A_Bucket', SAPA_S3_ENDPOINT: 'ftp://minio', SAPA_S3_FORCE_PATH_STYLE: 'maybe' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual(['SAPA_S3_BUCKET', 'SAPA_S3_ENDPOINT', 'SAPA_S3_FORCE_PATH_STYLE']);
  });

  it('refuses an access key without its secret', () => {
    expect(() => attachmentStoreFromConfig({ SAPA_S3_BUCKET: BUCKET, SAPA_S3_ACCESS_KEY_ID: 'S3RVER' })).toThrow(/set both, or neither/);
  });
});
