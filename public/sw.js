// Gateway Planner's service worker: keeps the app shell of one build (HTML, JS, wasm, CSS, icons,
// manifest) so a second visit works offline. The build id and file list are stamped in by
// scripts/service-worker.sh (trunk post_build hook); each build gets its own cache, and a new
// build's worker deletes the caches of older builds once it has stored its own complete set, so
// JS and wasm always come from the same build.
const BUILD = "__BUILD__";
const ASSETS = ["__ASSETS__"];
const PREFIX = "gateway-planner-";
const CACHE = PREFIX + BUILD;
const scope = new URL(self.registration.scope);
// Files whose name holds a hash of their content (trunk's JS, wasm and CSS, and boot.js renamed by
// scripts/service-worker.sh): a name always means the same bytes, so any cache that has one is
// right, and a page of an older build still gets its own files after the server dropped them.
// trunk writes its 64-bit content hash in hex without leading zeros (a 15-digit name happens).
const HASHED = /-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css)$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // `reload`: straight from the server, never an older copy from the HTTP cache.
      .then((cache) => cache.addAll(ASSETS.map((asset) => new Request(new URL(asset, scope).href, { cache: "reload" }))))
      // A failed install (a file missing on the server, the network gone) leaves no half cache.
      .catch(async (error) => {
        await caches.delete(CACHE);
        throw error;
      })
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

/** This build's copy of a request (pages: the cached index.html), else any build's. */
async function cached(request) {
  const cache = await caches.open(CACHE);
  if (request.mode === "navigate") return (await cache.match(scope.href)) ?? (await caches.match(scope.href));
  return (await cache.match(request, { ignoreSearch: true })) ?? (await caches.match(request, { ignoreSearch: true }));
}

// Hashed files: the cache first (their content never changes), the network when no cache has them.
// Everything else: the network first, so a new release shows as soon as it is online; the cache
// when the network fails or answers with an error (a 404 for a file the server no longer has, a
// 5xx). Pages (any query, e.g. ?embed=1) fall back to the cached index.html.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  event.respondWith(
    (async () => {
      if (HASHED.test(url.pathname)) {
        const hit = await cached(request);
        if (hit) return hit;
      }
      let response;
      try {
        response = await fetch(request);
      } catch {
        return (await cached(request)) ?? Response.error();
      }
      // Redirects a page follows (opaqueredirect) and successes go through as they are.
      if (response.ok || response.type === "opaqueredirect") return response;
      return (await cached(request)) ?? response;
    })(),
  );
});
