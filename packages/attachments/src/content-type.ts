import { fileTypeFromBuffer } from 'file-type';

/**
 * The type a file really is. Formats with a signature (images, PDF, audio, video, office zip files) are named by their
 * bytes, whatever the sender declared; text formats have none and keep the declared type. A declared type that the
 * bytes contradict is not trusted: an "image/png" that is a Windows executable is an executable.
 */
export async function sniffContentType(body: Buffer, declared: string | undefined): Promise<string> {
  const found = await fileTypeFromBuffer(body);
  if (found) return found.mime;
  return normalise(declared) ?? 'application/octet-stream';
}

function normalise(contentType: string | undefined): string | undefined {
  const bare = contentType?.split(';')[0]?.trim().toLowerCase();
  return bare && /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(bare) ? bare : undefined;
}
