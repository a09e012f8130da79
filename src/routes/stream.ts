// A streamed HTTP response (watches, followed logs): one chunk per item, pulled as the client reads.
export interface StreamOptions {
  contentType: string;
  /** Workers buffer streams they may compress; identity encoding keeps them flowing. */
  identityEncoding?: boolean;
  /** What ends the stream when the producer fails (a last chunk to send), if anything. */
  onError?: (e: unknown) => Uint8Array | undefined;
  /** The client went away. */
  onCancel: () => void;
}

export function streamResponse(chunks: AsyncIterator<Uint8Array>, opts: StreamOptions): Response {
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (e) {
        const last = opts.onError?.(e);
        if (last) controller.enqueue(last);
        controller.close();
      }
    },
    async cancel() {
      opts.onCancel();
      await chunks.return?.(undefined);
    },
  });
  const headers: Record<string, string> = { 'Content-Type': opts.contentType, 'Cache-Control': 'no-cache, private' };
  if (opts.identityEncoding) headers['Content-Encoding'] = 'identity';
  return new Response(stream, { status: 200, headers });
}
