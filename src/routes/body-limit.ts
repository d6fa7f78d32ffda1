import type { Context, Next } from "hono";
import { RequestRefused } from "./errors";

/**
 * Every route's body limit, enforced on the bytes actually read: a body is read (at most `maxBytes` + one chunk)
 * before any handler runs, and refused with 413 as soon as it grows past the limit, whatever its Content-Length
 * says and whether it is chunked or not. A declared length over the limit is refused without reading. Handlers
 * then read the buffered copy, so nothing can be processed from a body that was never counted.
 * (hono's bodyLimit trusts a Content-Length header when there is one, and a lying one let any size through.)
 */
export async function limitBody(c: Context, next: Next, maxBytes: number): Promise<void> {
  const body = c.req.raw.body;
  if (!body) {
    await next();
    return;
  }
  const declared = c.req.header("Content-Length");
  if (declared !== undefined && !(Number(declared) <= maxBytes)) {
    await body.cancel().catch(() => undefined);
    throw tooLarge(maxBytes);
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  // The length is now known; a stale or lying header must not travel with the counted bytes.
  const headers = new Headers(c.req.raw.headers);
  headers.delete("Content-Length");
  headers.delete("Transfer-Encoding");
  c.req.raw = new Request(c.req.raw, { headers, body: bytes });
  await next();
}

function tooLarge(maxBytes: number): RequestRefused {
  return new RequestRefused(413, { msg: "Payload Too Large", detail: `body exceeds ${maxBytes} bytes` });
}
