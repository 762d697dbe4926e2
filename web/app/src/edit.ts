// Fixing a refused command (修改后重新提交): the queue (outboxpage.ts) opens a
// refused report, progress report, extension request or completion in its
// form (`?edit=<seq>`), the form fills itself from the queued request, and
// on submit the changed command is queued under a new command id; only then
// is the refused one dropped (outbox.ts requeue), so nothing is lost if the
// page closes between the two.
import type { JsonObject } from "@bufbuild/protobuf";
import { get } from "./idb";
import type { Kind, OutboxItem } from "./outbox";
import { casePath } from "./router";

// The kinds a refused command can be edited of, and the form that edits it.
const editable: Partial<Record<Kind, (item: OutboxItem) => string>> = {
  reportCase: () => "/report",
  reportProgress: (i) => casePath(i.caseRef, "progress"),
  requestExtension: (i) => casePath(i.caseRef, "extension"),
  submitCompletion: (i) => casePath(i.caseRef, "completion"),
};

// The page that edits `item`, or undefined when it cannot be edited (not
// refused, or a kind without a form to fill).
export function editPath(item: OutboxItem): string | undefined {
  const path = editable[item.kind];
  if (item.state !== "refused" || !path || item.seq === undefined) return undefined;
  return `${path(item)}?edit=${item.seq}`;
}

// The refused command of `kind` this page was opened to edit (`?edit=`),
// when it is the caller's and still refused.
export async function itemToEdit(principalId: string, kind: Kind): Promise<OutboxItem | undefined> {
  const seq = Number(new URLSearchParams(location.search).get("edit"));
  if (!Number.isInteger(seq) || seq <= 0) return undefined;
  const item = await get<OutboxItem>("outbox", seq);
  if (!item || item.principalId !== principalId || item.kind !== kind || item.state !== "refused") return undefined;
  return item;
}

// A string field of a queued request ("" when absent).
export function text(request: JsonObject, key: string): string {
  const value = request[key];
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
}

// The day (yyyy-mm-dd, China time) a form picked for an instant made by
// endOfDay (format.ts): the day before the midnight it ends at.
export function pickedDay(instant: string): string {
  const t = Date.parse(instant);
  return Number.isNaN(t) ? "" : new Date(t - 1 + 8 * 3600_000).toISOString().slice(0, 10);
}

// datetime-local's value, in the device's time zone, of an instant.
export function localDateTime(instant: string): string {
  const t = Date.parse(instant);
  if (Number.isNaN(t)) return "";
  const d = new Date(t);
  return new Date(t - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

// Fills the report form (report.ts, its element ids) from a queued
// ReportCase request; the position is the form's own (geo.ts preset).
export function fillReport(form: HTMLFormElement, request: JsonObject): void {
  const set = (id: string, value: string, event = "input") => {
    const input = form.querySelector<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(`#${id}`);
    if (!input || value === "") return;
    input.value = value;
    input.dispatchEvent(new Event(event));
  };
  const part = (key: string) => (typeof request[key] === "object" && request[key] !== null ? (request[key] as JsonObject) : {});
  set("title", text(request, "title"));
  set("category", text(request, "category"), "change");
  set("severity", text(request, "severity"), "change");
  set("source", text(request, "source"), "change");
  set("source-reference", text(request, "sourceReference"));
  set("description", text(request, "description"));
  set("subject-name", text(part("subject"), "name"));
  set("uscc", text(part("subject"), "unifiedSocialCreditCode"));
  set("region", text(part("location"), "regionCode"));
  set("address", text(part("location"), "address"));
  set("found-at", localDateTime(text(request, "foundAt")));
  set("complainant-name", text(part("complainant"), "name"));
  set("complainant-phone", text(part("complainant"), "phone"));
}
