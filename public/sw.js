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

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // `reload`: straight from the server, never an older copy from the HTTP cache.
      .then((cache) => cache.addAll(ASSETS.map((asset) => new Request(new URL(asset, scope).href, { cache: "reload" }))))
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

// The network first, so a new release shows as soon as it is online; this build's cache when the
// network fails. Pages (any query, e.g. ?embed=1) fall back to the cached index.html.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  event.respondWith(
    fetch(request).catch(async () => {
      const cache = await caches.open(CACHE);
      const cached =
        request.mode === "navigate"
          ? await cache.match(scope.href)
          : await cache.match(request, { ignoreSearch: true });
      return cached ?? Response.error();
    }),
  );
});
