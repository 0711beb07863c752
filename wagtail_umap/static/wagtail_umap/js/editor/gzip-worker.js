/* Compresses a Blob with gzip off the editor's thread (save.js): CompressionStream on the main
 * thread held it for several hundred milliseconds at a time on a 14 MB layer.
 * In: {id, blob}. Out: {id, body} or {id, error}. */
"use strict";

self.onmessage = async (event) => {
  const { id, blob } = event.data;
  try {
    const stream = blob.stream().pipeThrough(new CompressionStream("gzip"));
    self.postMessage({ id, body: await new Response(stream).blob() });
  } catch (error) {
    self.postMessage({ id, error: String(error) });
  }
};
