// The user's recent cases in IndexedDB, so that the work list and the case
// pages they opened read offline: each case as protobuf JSON with when it
// was saved and the server's countdowns of its deadlines at that moment, and
// the last work list per user with its countdowns. (The photos of those
// cases are kept by the service worker, sw/sw.js, in its evidence cache.)
import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { CaseSchema, type Case } from "./gen/rectify/v1/case_pb";
import { DeadlineCountdownSchema, type DeadlineCountdown } from "./gen/rectify/v1/case_service_pb";
import type { Principal } from "./gen/rectify/v1/common_pb";
import { PrincipalSchema } from "./gen/rectify/v1/common_pb";
import { clear, get, put } from "./idb";

interface Saved {
  json: JsonValue;
  savedAt: string;
  countdowns?: JsonValue[];
}

const countdownsToJson = (countdowns: DeadlineCountdown[]): JsonValue[] =>
  countdowns.map((c) => toJson(DeadlineCountdownSchema, c));
const countdownsFromJson = (json: JsonValue[] | undefined): DeadlineCountdown[] =>
  (json ?? []).map((j) => fromJson(DeadlineCountdownSchema, j));

// A case, with the countdowns of its deadlines when the reply had them
// (GetCase); a command's reply has none, and then the saved ones are kept.
export async function rememberCase(c: Case, countdowns?: DeadlineCountdown[]): Promise<void> {
  const kept = countdowns ? countdownsToJson(countdowns) : (await get<Saved>("cases", c.caseId))?.countdowns;
  await put(
    "cases",
    { json: toJson(CaseSchema, c), savedAt: new Date().toISOString(), countdowns: kept ?? [] } satisfies Saved,
    c.caseId,
  );
}

export async function recallCase(
  caseId: string,
): Promise<{ c: Case; savedAt: string; countdowns: DeadlineCountdown[] } | undefined> {
  const saved = await get<Saved>("cases", caseId);
  return saved
    ? { c: fromJson(CaseSchema, saved.json), savedAt: saved.savedAt, countdowns: countdownsFromJson(saved.countdowns) }
    : undefined;
}

export async function rememberList(principalId: string, list: Case[], countdowns: DeadlineCountdown[]): Promise<void> {
  await put(
    "meta",
    { json: list.map((c) => toJson(CaseSchema, c)), savedAt: new Date().toISOString(), countdowns: countdownsToJson(countdowns) },
    `list:${principalId}`,
  );
}

export async function recallList(
  principalId: string,
): Promise<{ list: Case[]; savedAt: string; countdowns: DeadlineCountdown[] } | undefined> {
  const saved = await get<{ json: JsonValue[]; savedAt: string; countdowns?: JsonValue[] }>("meta", `list:${principalId}`);
  return saved
    ? { list: saved.json.map((j) => fromJson(CaseSchema, j)), savedAt: saved.savedAt, countdowns: countdownsFromJson(saved.countdowns) }
    : undefined;
}

export async function rememberPrincipal(p: Principal): Promise<void> {
  await put("meta", toJson(PrincipalSchema, p), "principal");
}

export async function recallPrincipal(): Promise<Principal | undefined> {
  const json = await get<JsonValue>("meta", "principal");
  return json ? fromJson(PrincipalSchema, json) : undefined;
}

// At logout: the cases, the list and who was logged in leave this device
// (a shared tablet must not show the last user's cases offline). The
// outbox stays: its items belong to their principal and sync when that
// user logs in again.
export async function forgetRecent(): Promise<void> {
  await clear("cases");
  await clear("meta");
  // The photos the service worker kept for offline viewing go too.
  if ("caches" in globalThis) await caches.delete(EVIDENCE_CACHE);
}

// The service worker's cache of evidence images (sw/sw.js keeps the same name).
export const EVIDENCE_CACHE = "rectify-evidence";
