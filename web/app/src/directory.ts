// The names people read instead of the directory's ids, for the field app
// and the console alike: a responsible unit's full name (洪水镇人民政府) from
// UnitService.ListUnits of the caller's jurisdiction, and a region code's
// name (洪水镇, 甘肃省张掖市民乐县洪水镇) from UnitService.GetRegionNames
// (the server's region directory, base/regions.h). Ids stay for machines:
// each label keeps its id in a data attribute (data-unit-id,
// data-region-code), links and filters keep using ids. A unit or code the
// directory does not name reads as its id (a store older than the
// directory, a police unit). Read once per login and kept in memory.
//
//   row.append(el("td", {}, unitLabel(c.responsibleUnit)));
//   facts.append(regionLabel(c.location.regionCode, "full"));
import { el } from "./dom";
import { units } from "./api";

interface RegionNames {
  name: string;
  fullName: string;
}

interface UnitEntry {
  name: string;
  retired: boolean;
}

let unitNames: Promise<Map<string, UnitEntry>> | undefined;
const regions = new Map<string, Promise<RegionNames | undefined>>();
// Codes asked for since the last call, sent together (GetRegionNames takes
// up to 500 a call).
let pendingCodes: { code: string; resolve: (r: RegionNames | undefined) => void }[] = [];

// Every unit of the caller's jurisdiction, retired ones too (cases keep
// naming them): id -> full name. An error leaves the ids showing.
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
      } catch {
        unitNames = undefined; // asked again by the next page
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
    })
    .catch(() => {
      for (const b of batch) {
        regions.delete(b.code);
        b.resolve(undefined);
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

// The active units the directory holds, for pickers: [id, full name], by
// name; empty when the jurisdiction has no directory yet (then a unit id is
// typed, as before the directory).
export async function unitChoices(): Promise<[string, string][]> {
  return [...(await loadUnits()).entries()]
    .filter(([, u]) => !u.retired)
    .map(([id, u]): [string, string] => [id, u.name])
    .sort((a, b) => a[1].localeCompare(b[1], "zh-CN"));
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
export function forgetDirectory(): void {
  unitNames = undefined;
  regions.clear();
}
