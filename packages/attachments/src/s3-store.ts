import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { AttachmentMissing, type AttachmentStore } from './attachment-store.js';

export interface S3StoreOptions {
  /** An S3-compatible endpoint (MinIO, Ceph, R2 …); absent for AWS itself. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Absent: the SDK's default chain (environment, instance role). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `bucket` in the path instead of the host name: what most self-hosted stores need. */
  forcePathStyle?: boolean;
}

/**
 * Attachments as objects of one bucket. A PUT is atomic in S3, so a reader never sees half a file.
 * Checksums are sent only where S3 requires them: the SDK's newer default (CRC trailers on every upload) is not
 * understood by every S3-compatible store, and the database keeps each file's SHA-256 anyway.
 */
export function createS3Store(options: S3StoreOptions): AttachmentStore & { close(): void } {
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    forcePathStyle: options.forcePathStyle ?? false,
    ...(options.accessKeyId !== undefined &&
      options.secretAccessKey !== undefined && { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = options.bucket;
  return {
    async put(key, body, contentType) {
      await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.length }));
    },
    async get(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        if (!object.Body) throw new AttachmentMissing(key);
        return object.Body as Readable;
      } catch (err) {
        if (isMissing(err)) throw new AttachmentMissing(key);
        throw err;
      }
    },
    async delete(key) {
      // S3 answers 204 for a key that is not there: deleting twice is fine.
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    close: () => client.destroy(),
  };
}

function isMissing(err: unknown): boolean {
  return err instanceof S3ServiceException && (err.name === 'NoSuchKey' || err.$metadata.httpStatusCode === 404);
}
