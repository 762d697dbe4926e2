// The user's recent cases in IndexedDB, so that the work list and the case
// pages they opened read offline: each case as protobuf JSON with when it
// was saved, and the last work list per user.
import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { CaseSchema, type Case } from "./gen/rectify/v1/case_pb";
import type { Principal } from "./gen/rectify/v1/common_pb";
import { PrincipalSchema } from "./gen/rectify/v1/common_pb";
import { clear, get, put } from "./idb";

interface Saved {
  json: JsonValue;
  savedAt: string;
}

export async function rememberCase(c: Case): Promise<void> {
  await put("cases", { json: toJson(CaseSchema, c), savedAt: new Date().toISOString() } satisfies Saved, c.caseId);
}

export async function recallCase(caseId: string): Promise<{ c: Case; savedAt: string } | undefined> {
  const saved = await get<Saved>("cases", caseId);
  return saved ? { c: fromJson(CaseSchema, saved.json), savedAt: saved.savedAt } : undefined;
}

export async function rememberList(principalId: string, list: Case[]): Promise<void> {
  await put(
    "meta",
    { json: list.map((c) => toJson(CaseSchema, c)), savedAt: new Date().toISOString() },
    `list:${principalId}`,
  );
}

export async function recallList(principalId: string): Promise<{ list: Case[]; savedAt: string } | undefined> {
  const saved = await get<{ json: JsonValue[]; savedAt: string }>("meta", `list:${principalId}`);
  return saved ? { list: saved.json.map((j) => fromJson(CaseSchema, j)), savedAt: saved.savedAt } : undefined;
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
}
