// Reads the server offers that the console pages share: counting the cases
// of a filter (the server filters; the page only counts the rows it
// returns), and the case filter <-> URL query mapping, so that every number
// and every list is a link that opens the same filter again.
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type CaseFilter, CaseFilterSchema } from "../gen/rectify/v1/case_service_pb";
import { cases } from "./clients";
import { toDate } from "./names";

export type FilterInit = MessageInitShape<typeof CaseFilterSchema>;

// The number of cases matching `filter`, over every page.
export async function countCases(init: FilterInit): Promise<number> {
  const filter = create(CaseFilterSchema, init);
  let count = 0;
  let pageToken = "";
  do {
    const page = await cases.listCases({ filter, pageSize: 500, pageToken });
    count += page.cases.length;
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return count;
}

function numbers(value: string | null): number[] {
  if (!value) return [];
  return value
    .split(",")
    .map((v) => Number(v))
    .filter((v) => Number.isInteger(v) && v > 0);
}

// A day "2026-01-05" as the instant its day starts in Beijing (UTC+8).
export function dayStart(day: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00+08:00`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

// The day (Beijing) of an instant, as "2026-01-05".
export function dayOf(date: Date): string {
  const b = new Date(date.getTime() + 8 * 3600 * 1000);
  return b.toISOString().slice(0, 10);
}

// `dueWithin` of the address: 1 to 366 working days, else no filter (the
// server checks it too).
function dueWithin(value: string | null): number {
  const n = Number(value ?? "");
  return Number.isInteger(n) && n >= 1 && n <= 366 ? n : 0;
}

export function filterFromParams(params: URLSearchParams): CaseFilter {
  const filter = create(CaseFilterSchema, {
    statuses: numbers(params.get("status")),
    categories: numbers(params.get("category")),
    sources: numbers(params.get("source")),
    regionPrefix: params.get("region") ?? "",
    responsibleUnit: params.get("unit") ?? "",
    overdueOnly: params.get("overdue") === "1",
    dueWithinWorkingDays: dueWithin(params.get("dueWithin")),
    listId: params.get("list") ?? "",
  });
  const time = (name: string) => {
    const d = dayStart(params.get(name) ?? "");
    return d ? timestampFromDate(d) : undefined;
  };
  filter.foundFrom = time("foundFrom");
  filter.foundTo = time("foundTo");
  filter.updatedFrom = time("updatedFrom");
  filter.updatedTo = time("updatedTo");
  return filter;
}

export function paramsFromFilter(filter: CaseFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.statuses.length) params.set("status", filter.statuses.join(","));
  if (filter.categories.length) params.set("category", filter.categories.join(","));
  if (filter.sources.length) params.set("source", filter.sources.join(","));
  if (filter.regionPrefix) params.set("region", filter.regionPrefix);
  if (filter.responsibleUnit) params.set("unit", filter.responsibleUnit);
  if (filter.overdueOnly) params.set("overdue", "1");
  if (filter.dueWithinWorkingDays) params.set("dueWithin", String(filter.dueWithinWorkingDays));
  if (filter.listId) params.set("list", filter.listId);
  const day = (name: string, t: CaseFilter["foundFrom"]) => {
    const d = toDate(t);
    if (d) params.set(name, dayOf(d));
  };
  day("foundFrom", filter.foundFrom);
  day("foundTo", filter.foundTo);
  day("updatedFrom", filter.updatedFrom);
  day("updatedTo", filter.updatedTo);
  return params;
}

// The case list's address for a filter.
export function caseListPath(filter: FilterInit): string {
  const query = paramsFromFilter(create(CaseFilterSchema, filter)).toString();
  return query ? `/console/cases?${query}` : "/console/cases";
}
