// The app's IndexedDB database "rectify-field": the outbox of queued
// commands (with their photos as Blobs), the local ids of cases reported
// offline, the user's recent cases for reading offline, and small values
// (who is logged in). A few promise helpers instead of a library.
const DB_NAME = "rectify-field";
const DB_VERSION = 1;

export type StoreName = "outbox" | "localIds" | "cases" | "meta";

let opening: Promise<IDBDatabase> | undefined;

export function openDb(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
      db.createObjectStore("localIds");
      db.createObjectStore("cases");
      db.createObjectStore("meta");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opening;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function store(name: StoreName, mode: IDBTransactionMode): Promise<IDBObjectStore> {
  return (await openDb()).transaction(name, mode).objectStore(name);
}

export async function get<T>(name: StoreName, key: IDBValidKey): Promise<T | undefined> {
  return (await done((await store(name, "readonly")).get(key))) as T | undefined;
}

export async function getAll<T>(name: StoreName): Promise<T[]> {
  return (await done((await store(name, "readonly")).getAll())) as T[];
}

export async function put(name: StoreName, value: unknown, key?: IDBValidKey): Promise<IDBValidKey> {
  return done((await store(name, "readwrite")).put(value, key));
}

export async function remove(name: StoreName, key: IDBValidKey): Promise<void> {
  await done((await store(name, "readwrite")).delete(key));
}

export async function clear(name: StoreName): Promise<void> {
  await done((await store(name, "readwrite")).clear());
}
