// The names people read instead of the directory's ids, for the field app
// and the console alike: a responsible unit's full name (洪水镇人民政府) from
// UnitService.ListUnits of the caller's jurisdiction, and a region code's
// name (洪水镇, 甘肃省张掖市民乐县洪水镇) from UnitService.GetRegionNames
// (the server's region directory, base/regions.h). Ids stay for machines:
// each label keeps its id in a data attribute (data-unit-id,
// data-region-code), links and filters keep using ids. A unit or code the
// directory does not name reads as its id (a store older than the
// directory, a police unit). Read once per login and kept in memory, and
// in IndexedDB per user (the "meta" store under "directory:<principal>",
// which logout clears with the user's offline cases, src/recent.ts), so that
// a page opened offline shows the names read when last online.
//
//   row.append(el("td", {}, unitLabel(c.responsibleUnit)));
//   facts.append(regionLabel(c.location.regionCode, "full"));
import { el } from "./dom";
import { units } from "./api";
import { get, put } from "./idb";

interface RegionNames {
  name: string;
  fullName: string;
}

interface UnitEntry {
  name: string;
  retired: boolean;
}

// What this device kept of the directory for one user.
interface SavedDirectory {
  units: [string, string, boolean][]; // [id, full name, retired]
  regions: [string, string, string][]; // [code, name, full name]
}

// The regions kept on the device, at most this many (a county's townships
// and villages and what the user read).
const MAX_SAVED_REGIONS = 2000;

let owner = "";
let saved: Promise<SavedDirectory> | undefined;
let unitNames: Promise<Map<string, UnitEntry>> | undefined;
const regions = new Map<string, Promise<RegionNames | undefined>>();
// Codes asked for since the last call, sent together (GetRegionNames takes
// up to 500 a call).
let pendingCodes: { code: string; resolve: (r: RegionNames | undefined) => void }[] = [];

// Whose directory the app reads and keeps (main.ts, at every login or
// offline start): the principal's id.
export function useDirectoryOf(principalId: string): void {
  if (principalId === owner) return;
  forgetDirectory();
  owner = principalId;
}

function savedDirectory(): Promise<SavedDirectory> {
  saved ??= (async () => {
    const empty: SavedDirectory = { units: [], regions: [] };
    if (!owner) return empty;
    try {
      return (await get<SavedDirectory>("meta", `directory:${owner}`)) ?? empty;
    } catch {
      return empty; // no IndexedDB (a private window): names online only
    }
  })();
  return saved;
}

async function keep(change: (d: SavedDirectory) => void): Promise<void> {
  if (!owner) return;
  const key = `directory:${owner}`;
  const d = await savedDirectory();
  change(d);
  if (d.regions.length > MAX_SAVED_REGIONS) d.regions.splice(0, d.regions.length - MAX_SAVED_REGIONS);
  try {
    await put("meta", d, key);
  } catch {
    // kept in memory only
  }
}

// Every unit of the caller's jurisdiction, retired ones too (cases keep
// naming them): id -> full name. Offline (or on any error) the units kept
// on this device; with none, the ids show.
function loadUnits(): Promise<Map<string, UnitEntry>> {
  if (!unitNames) {
    unitNames = (async () => {
      const names = new Map<string, UnitEntry>();
      try {
        let pageToken = "";
        for (let pages = 0; pages < 20; pages++) {
          const reply = await units.listUnits({ includeRetired: true, pageSize: 500, pageToken });
          for (const u of reply.units) {
            if (u.details?.fullName) names.set(u.unitId, { name: u.details.fullName, retired: u.retired });
          }
          pageToken = reply.nextPageToken;
          if (!pageToken) break;
        }
        void keep((d) => (d.units = [...names].map(([id, u]): [string, string, boolean] => [id, u.name, u.retired])));
      } catch {
        unitNames = undefined; // asked again by the next page
        for (const [id, name, retired] of (await savedDirectory()).units) names.set(id, { name, retired });
      }
      return names;
    })();
  }
  return unitNames;
}

function flushRegions(): void {
  const batch = pendingCodes.splice(0, 500);
  if (pendingCodes.length > 0) queueMicrotask(flushRegions);
  if (batch.length === 0) return;
  units
    .getRegionNames({ regionCodes: [...new Set(batch.map((b) => b.code))] })
    .then((reply) => {
      const got = new Map(reply.regions.map((r) => [r.regionCode, { name: r.name, fullName: r.fullName }]));
      for (const b of batch) b.resolve(got.get(b.code));
      const named = reply.regions.filter((r) => r.name || r.fullName);
      if (named.length > 0) {
        void keep((d) => {
          const fresh = new Set(named.map((r) => r.regionCode));
          d.regions = d.regions.filter(([code]) => !fresh.has(code));
          d.regions.push(...named.map((r): [string, string, string] => [r.regionCode, r.name, r.fullName]));
        });
      }
    })
    .catch(async () => {
      // Offline: the names kept on this device; asked again next time.
      const kept = new Map((await savedDirectory()).regions.map(([code, name, fullName]) => [code, { name, fullName }]));
      for (const b of batch) {
        regions.delete(b.code);
        b.resolve(kept.get(b.code));
      }
    });
}

function loadRegion(code: string): Promise<RegionNames | undefined> {
  if (!/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(code)) return Promise.resolve(undefined);
  let known = regions.get(code);
  if (!known) {
    known = new Promise((resolve) => {
      if (pendingCodes.length === 0) queueMicrotask(flushRegions);
      pendingCodes.push({ code, resolve });
    });
    regions.set(code, known);
  }
  return known;
}

// The name of unit `id` once known (its id when the directory has none).
export async function unitName(id: string): Promise<string> {
  if (!id) return "";
  return (await loadUnits()).get(id)?.name ?? id;
}

// The name of region `code`: "own" its own name (洪水镇), "full" every
// level's (甘肃省张掖市民乐县洪水镇); the code when it names nothing known.
export async function regionName(code: string, form: "own" | "full" = "own"): Promise<string> {
  const r = await loadRegion(code);
  const name = form === "full" ? r?.fullName || r?.name : r?.name || r?.fullName;
  return name || code;
}

// Whether the region directory names `code` itself (not only the levels
// above it).
export async function regionKnown(code: string): Promise<boolean> {
  return !!(await loadRegion(code))?.name;
}

// The active units the directory holds, for pickers: [id, full name], by
// name; empty when the jurisdiction has no directory yet (then a unit id is
// typed, as before the directory).
export async function unitChoices(): Promise<[string, string][]> {
  return [...(await loadUnits()).entries()]
    .filter(([, u]) => !u.retired)
    .map(([id, u]): [string, string] => [id, u.name])
    .sort((a, b) => a[1].localeCompare(b[1], "zh-CN"));
}

// The regions directly under `code` the server names ([code, own name], in
// code order): a county's townships, a township's villages, a province's
// cities. There is no RPC listing a region's children, so the candidate
// codes of the next level (GB/T 10114: 3 digits under a county or a
// township, 001-499, where townships, streets and villages are numbered; 2
// under a province or a city) are asked of GetRegionNames in one call, and
// the ones it names are the children. Offline, those kept on this device.
export async function childRegions(code: string): Promise<[string, string][]> {
  const width = code.length === 6 || code.length === 9 ? 3 : code.length === 2 || code.length === 4 ? 2 : 0;
  if (width === 0 || !/^\d+$/.test(code)) return [];
  const last = width === 3 ? 499 : 99;
  const candidates = Array.from({ length: last }, (_, i) => code + String(i + 1).padStart(width, "0"));
  const named = await Promise.all(candidates.map(async (c): Promise<[string, string]> => [c, (await loadRegion(c))?.name ?? ""]));
  return named.filter(([, name]) => name !== "");
}

// A span that shows unit `id`'s name (`empty` for no unit).
export function unitLabel(id: string, empty = "—"): HTMLSpanElement {
  const span = el("span", { class: "unit-name", "data-unit-id": id }, id ? "" : empty);
  if (id) void unitName(id).then((name) => (span.textContent = name));
  return span;
}

// A span that shows region `code`'s name (`empty` for no code).
export function regionLabel(code: string, form: "own" | "full" = "own", empty = "—"): HTMLSpanElement {
  const span = el("span", { class: "region-name", "data-region-code": code }, code ? "" : empty);
  if (code) void regionName(code, form).then((name) => (span.textContent = name));
  return span;
}

// Forgets what was read (logout: the next user may see other units).
// What IndexedDB keeps goes with the user's other data (forgetRecent).
export function forgetDirectory(): void {
  unitNames = undefined;
  saved = undefined;
  owner = "";
  regions.clear();
}
