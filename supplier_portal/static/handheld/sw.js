// The handheld's service worker: the app shell from cache, so it opens and works with no network.
// GraphQL calls are never cached (they go to the network or fail, and the app queues the work).
const CACHE = "lotline-handheld-v3";
const SHELL = ["./", "./index.html", "./app.js", "./ops.js", "./idb.js", "./rules.js", "./vendor/BarcodeParser.js", "./manifest.json"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || !url.pathname.startsWith("/handheld/")) return;
  event.respondWith(
    caches.match(event.request, { ignoreSearch: true }).then((hit) => hit || fetch(event.request))
  );
});
