/** A multipart/form-data body of one file part, as a browser's FormData would send it (for `inject`). */
export function multipartFile(file: { filename: string; contentType: string; body: Buffer | string }, boundary = 'sapa-test-boundary'): { payload: Buffer; headers: Record<string, string> } {
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n`;
  const payload = Buffer.concat([Buffer.from(head, 'utf8'), Buffer.from(file.body), Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The same as a latin1 string, for the route tables whose payload is JSON or text. */
export function multipartText(text: string): { payload: string; headers: Record<string, string> } {
  const { payload, headers } = multipartFile({ filename: 'catatan.txt', contentType: 'text/plain', body: text });
  return { payload: payload.toString('latin1'), headers };
}

/** One file part of the given type, as a latin1 string (for the bad-input table). */
export function multipartFileText(text: string, contentType: string): { payload: string; headers: Record<string, string> } {
  const { payload, headers } = multipartFile({ filename: 'file', contentType, body: text });
  return { payload: payload.toString('latin1'), headers };
}
