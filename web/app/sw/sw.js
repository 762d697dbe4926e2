// The service worker: keeps the app shell (index.html and the built
// assets, listed at build time by vite.config.ts in PRECACHE) so that the
// app opens with no network. Navigations go to the network first and fall
// back to the cached index.html; assets (content-hashed, never changing)
// come from the cache first. API calls and evidence are never cached here:
// the app keeps the user's recent cases and its outbox in IndexedDB.
/* global self, caches, fetch, Response */
const VERSION = "__VERSION__";
const PRECACHE = __PRECACHE__;
const CACHE = `rectify-shell-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("rectify-shell-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/evidence/") || url.pathname === "/healthz") return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).catch(() =>
        caches.match("/index.html").then((r) => r || new Response("离线，且本机没有保存的应用", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } })),
      ),
    );
    return;
  }
  event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
});
