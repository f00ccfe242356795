/**
 * Loaded into the Portkey process only (node --import). Portkey 1.15 answers an OpenAI stream with
 * `new Response(transformed, upstreamResponse)` and then appends its own headers to it. Under Node,
 * @hono/node-server swaps in its own Response class, which for a stream body keeps the init's
 * Headers object as is; the init here is what `fetch` returned, whose headers are immutable, so
 * every stream fails with "TypeError: immutable" (HTTP 500) whatever the upstream sends. This
 * hands Portkey a copy of each upstream response with ordinary (mutable) headers, the body
 * untouched, which is what its code expects and what it gets on runtimes without that swap.
 */
const NativeResponse = globalThis.Response;
const nativeFetch = globalThis.fetch;
globalThis.fetch = async (...args) => {
  const response = await nativeFetch(...args);
  return new NativeResponse(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: new Headers(response.headers),
  });
};
