// The service worker: keeps the app shell (index.html and the built
// assets, listed at build time by vite.config.ts in PRECACHE) so that the
// app opens with no network. Navigations go to the network first and fall
// back to the cached index.html; assets (content-hashed, never changing)
// come from the cache first. API calls are never cached here: the app keeps
// the user's recent cases and its outbox in IndexedDB.
//
// Evidence images the user viewed (the photos of the cases they opened) are
// kept in a cache of their own, EVIDENCE_CACHE, so that a case page opened
// offline shows them: network first (access is the server's to judge each
// time), the cached copy only when there is no network. Only successful
// image answers up to 8 MiB are kept, at most 300 of them (the oldest go
// first); logging out deletes the cache (src/recent.ts, forgetRecent).
/* global self, caches, fetch, Response */
const VERSION = "__VERSION__";
const PRECACHE = __PRECACHE__;
const CACHE = `rectify-shell-${VERSION}`;
const EVIDENCE_CACHE = "rectify-evidence";
const EVIDENCE_MAX_ENTRIES = 300;
const EVIDENCE_MAX_BYTES = 8 * 1024 * 1024;

async function keepEvidence(request, response) {
  const type = response.headers.get("Content-Type") || "";
  const length = Number(response.headers.get("Content-Length") || "0");
  if (response.status !== 200 || !type.startsWith("image/") || length > EVIDENCE_MAX_BYTES) return;
  const body = await response.blob();
  if (body.size > EVIDENCE_MAX_BYTES) return;
  const cache = await caches.open(EVIDENCE_CACHE);
  await cache.delete(request);
  await cache.put(request, new Response(body, { status: 200, headers: { "Content-Type": type } }));
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - EVIDENCE_MAX_ENTRIES))) await cache.delete(old);
}

function evidence(event) {
  const request = event.request;
  return fetch(request).then(
    (response) => {
      event.waitUntil(keepEvidence(request, response.clone()).catch(() => undefined));
      return response;
    },
    (error) => caches.open(EVIDENCE_CACHE).then((cache) => cache.match(request)).then((cached) => cached || Promise.reject(error)),
  );
}

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
  if (url.pathname === "/healthz") return;
  if (url.pathname.startsWith("/evidence/")) {
    event.respondWith(evidence(event));
    return;
  }
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
