// The outbox: every command the app sends goes through it. A command is
// stored in IndexedDB (with its photos) under a command_id made once, then
// sent in order; the server is idempotent on command_id, so a command sent
// again after a lost answer, a reload or a crash acts once. Offline, items
// wait as 待同步; a refusal keeps the item with the reason until the user
// drops or retries it; an expired session stops the sync until the user
// logs in again. A case reported offline has a local id until its report
// is synced; later commands on it (e.g. 补充照片, photos added to it while
// it waits) wait behind the report and then use the real id.
import { fromJson, type JsonObject } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { cases, isTransient, refusalText, uploadEvidence } from "./api";
import {
  ProposeReferralRequestSchema,
  ReportCaseRequestSchema,
  ReportProgressRequestSchema,
  RequestExtensionRequestSchema,
  StartRectificationRequestSchema,
  SubmitCompletionRequestSchema,
  VerifyRectificationRequestSchema,
} from "./gen/rectify/v1/case_service_pb";
import type { Case } from "./gen/rectify/v1/case_pb";
import { get, getAll, put, remove } from "./idb";
import type { Photo } from "./photos";
import { rememberCase } from "./recent";

export type Kind =
  | "reportCase"
  | "startRectification"
  | "reportProgress"
  | "requestExtension"
  | "submitCompletion"
  | "verifyRectification"
  | "proposeReferral"
  | "addPhotos";

export const kindNames: Record<Kind, string> = {
  reportCase: "上报案件",
  startRectification: "开始整改",
  reportProgress: "报告整改进展",
  requestExtension: "申请延期",
  submitCompletion: "提交整改完成",
  verifyRectification: "现场验收",
  proposeReferral: "提议移送公安",
  addPhotos: "补充照片",
};

export interface OutboxItem {
  seq?: number;
  commandId: string;
  kind: Kind;
  // The case: its id, or the local id of a case reported offline.
  caseRef: string;
  // For reportCase: the local id the new case has until it is synced.
  localId?: string;
  // What the user reads in the queue, e.g. the case title.
  label: string;
  // The request in protobuf's JSON form, without command_id, case_id and
  // evidence_ids (added when sent).
  request: JsonObject;
  photos: Photo[];
  // Evidence ids of photos already uploaded, by photo index.
  evidenceIds: (string | null)[];
  state: "pending" | "refused";
  error?: string;
  createdAt: string;
  principalId: string;
}

export function newCommandId(): string {
  return `web-${crypto.randomUUID()}`;
}

export function newLocalId(): string {
  return `local-${crypto.randomUUID().slice(0, 8)}`;
}

export function isLocalId(id: string): boolean {
  return id.startsWith("local-");
}

export interface SyncState {
  syncing: boolean;
  // The item being sent and its upload progress (0..1) while photos go up.
  currentSeq?: number;
  uploadFraction?: number;
  uploadLabel?: string;
  sessionExpired: boolean;
}

const state: SyncState = { syncing: false, sessionExpired: false };
const listeners = new Set<() => void>();

export function syncState(): SyncState {
  return { ...state };
}

export function onOutboxChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of listeners) listener();
}

export async function outboxItems(principalId: string): Promise<OutboxItem[]> {
  const all = await getAll<OutboxItem>("outbox");
  return all.filter((i) => i.principalId === principalId).sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
}

export async function enqueue(item: Omit<OutboxItem, "seq" | "state" | "evidenceIds" | "createdAt">): Promise<number> {
  const stored: OutboxItem = {
    ...item,
    state: "pending",
    evidenceIds: item.photos.map(() => null),
    createdAt: new Date().toISOString(),
  };
  const seq = (await put("outbox", stored)) as number;
  notify();
  return seq;
}

// Queues `item` (a fixed copy of the refused `old`, under a new command
// id), then drops `old`: queued first, so a page closed in between leaves
// both rather than neither.
export async function requeue(old: OutboxItem, item: Omit<OutboxItem, "seq" | "state" | "evidenceIds" | "createdAt">): Promise<number> {
  const seq = await enqueue(item);
  if (old.seq !== undefined) await dropItem(old.seq);
  return seq;
}

export async function dropItem(seq: number): Promise<void> {
  await remove("outbox", seq);
  notify();
}

export async function retryItem(seq: number): Promise<void> {
  const item = await get<OutboxItem>("outbox", seq);
  if (!item) return;
  item.state = "pending";
  delete item.error;
  await put("outbox", item);
  notify();
}

// The real id of a case reported offline, once its report is synced.
export async function realCaseId(id: string): Promise<string | undefined> {
  return isLocalId(id) ? get<string>("localIds", id) : id;
}

// The queued report of a case reported offline, by its local id, and the
// items queued on that case behind it.
export async function queuedCase(principalId: string, localId: string): Promise<{ report?: OutboxItem; later: OutboxItem[] }> {
  const items = await outboxItems(principalId);
  return {
    report: items.find((i) => i.kind === "reportCase" && i.localId === localId),
    later: items.filter((i) => i.kind !== "reportCase" && i.caseRef === localId),
  };
}

async function uploadPhotos(item: OutboxItem, caseId: string): Promise<string[]> {
  for (let i = 0; i < item.photos.length; i++) {
    if (item.evidenceIds[i]) continue;
    const photo = item.photos[i];
    state.uploadLabel = `正在上传照片 ${i + 1}/${item.photos.length}`;
    state.uploadFraction = 0;
    notify();
    const evidenceId = await uploadEvidence(
      {
        caseId,
        commandId: `${item.commandId}-p${i + 1}`,
        blob: photo.blob,
        fileName: photo.fileName,
        sha256: photo.sha256,
        originalSha256: photo.originalSha256,
        originalSize: photo.originalSize,
        description: photo.description,
        capturedAt: photo.capturedAt,
      },
      (fraction) => {
        state.uploadFraction = fraction;
        notify();
      },
    );
    item.evidenceIds[i] = evidenceId;
    await put("outbox", item);
  }
  state.uploadLabel = undefined;
  state.uploadFraction = undefined;
  return item.evidenceIds.filter((id): id is string => id !== null);
}

async function send(item: OutboxItem, caseId: string, evidenceIds: string[]): Promise<Case | undefined> {
  const base = { ...item.request, commandId: item.commandId, caseId };
  const withEvidence = evidenceIds.length > 0 ? { ...base, evidenceIds } : base;
  switch (item.kind) {
    case "startRectification":
      return (await cases.startRectification(fromJson(StartRectificationRequestSchema, base))).case;
    case "reportProgress":
      return (await cases.reportProgress(fromJson(ReportProgressRequestSchema, withEvidence))).case;
    case "requestExtension":
      return (await cases.requestExtension(fromJson(RequestExtensionRequestSchema, base))).case;
    case "submitCompletion":
      return (await cases.submitCompletion(fromJson(SubmitCompletionRequestSchema, withEvidence))).case;
    case "verifyRectification":
      return (await cases.verifyRectification(fromJson(VerifyRectificationRequestSchema, withEvidence))).case;
    case "proposeReferral":
      return (await cases.proposeReferral(fromJson(ProposeReferralRequestSchema, base))).case;
    case "addPhotos":
      return undefined; // its photos are the whole command: uploaded above
    case "reportCase":
      throw new Error("reportCase is sent by syncItem");
  }
}

// Sends one item. Returns "sent", "wait" (its new case is not synced yet),
// "orphan" (its new case's report was dropped from the queue), or throws
// what the server or the network said.
async function syncItem(item: OutboxItem): Promise<"sent" | "wait" | "orphan"> {
  if (item.kind === "reportCase") {
    let caseId = isLocalId(item.caseRef) ? undefined : item.caseRef;
    if (!caseId) {
      const reply = await cases.reportCase(
        fromJson(ReportCaseRequestSchema, { ...item.request, commandId: item.commandId }),
      );
      caseId = reply.case?.caseId ?? "";
      await put("localIds", caseId, item.localId ?? item.caseRef);
      item.caseRef = caseId;
      await put("outbox", item);
      if (reply.case) await rememberCase(reply.case);
    }
    await uploadPhotos(item, caseId);
    return "sent";
  }
  const caseId = await realCaseId(item.caseRef);
  if (!caseId) return (await queuedCase(item.principalId, item.caseRef)).report ? "wait" : "orphan";
  if (caseId !== item.caseRef) {
    item.caseRef = caseId;
    await put("outbox", item);
  }
  const evidenceIds = await uploadPhotos(item, caseId);
  const after = await send(item, caseId, evidenceIds);
  if (after) await rememberCase(after);
  return "sent";
}

let running: Promise<void> | undefined;
let again: Promise<void> | undefined;

// Sends the principal's pending items in order. One sync at a time per
// page (and, where the browser has Web Locks, per origin); a call while a
// sync runs gets one more run after it, so an item queued meanwhile is not
// left for the next trigger.
export function syncOutbox(principalId: string): Promise<void> {
  if (running) {
    again ??= running.catch(() => undefined).then(() => {
      again = undefined;
      return syncOutbox(principalId);
    });
    return again;
  }
  running = (async () => {
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    if (locks) await locks.request("rectify-outbox-sync", () => syncAll(principalId));
    else await syncAll(principalId);
  })().finally(() => {
    running = undefined;
  });
  return running;
}

async function syncAll(principalId: string): Promise<void> {
  state.syncing = true;
  notify();
  try {
    for (const item of await outboxItems(principalId)) {
      if (item.state !== "pending") continue;
      state.currentSeq = item.seq;
      notify();
      try {
        const result = await syncItem(item);
        if (result === "sent") await remove("outbox", item.seq as number);
        if (result === "orphan") {
          item.state = "refused";
          item.error = "该案件的上报已从待同步队列删除，无法发送；请删除此项";
          await put("outbox", item);
        }
        state.sessionExpired = false;
      } catch (e) {
        if (isTransient(e)) break; // no network: the rest waits too, in order
        if (ConnectError.from(e).code === Code.Unauthenticated) {
          state.sessionExpired = true;
          break;
        }
        item.state = "refused";
        item.error = refusalText(e);
        await put("outbox", item);
      }
      notify();
    }
  } finally {
    state.syncing = false;
    state.currentSeq = undefined;
    state.uploadFraction = undefined;
    state.uploadLabel = undefined;
    notify();
  }
}
