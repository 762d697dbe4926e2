// A case's timeline with the verified-history badge: every event of the
// case (GetCaseHistory, all pages), and its hash chain checked in the
// browser with the field app's rule (../chain.ts: hash = SHA-256(prev_hash
// ‖ canonical bytes), personal data outside the hashed bytes, so every
// reader checks every event), each prev_hash equal to the previous event's
// hash.
import { eventDigest } from "../chain";
import type { Event } from "../gen/rectify/v1/event_pb";
import { cases } from "./clients";

export async function caseHistory(caseId: string): Promise<Event[]> {
  const events: Event[] = [];
  let pageToken = "";
  do {
    const page = await cases.getCaseHistory({ caseId, pageSize: 1000, pageToken });
    events.push(...page.events);
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return events;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export type ChainResult =
  | { ok: true; count: number }
  | { ok: false; count: number; version: number; why: "link" | "hash" | "unavailable" };

export async function verifyChain(events: Event[]): Promise<ChainResult> {
  if (!globalThis.crypto?.subtle) return { ok: false, count: events.length, version: 0, why: "unavailable" };
  let prev = new Uint8Array(0);
  for (const event of events) {
    if (!equal(event.prevHash, prev)) return { ok: false, count: events.length, version: Number(event.version), why: "link" };
    const digest = await eventDigest(event);
    if (!equal(digest, event.hash)) return { ok: false, count: events.length, version: Number(event.version), why: "hash" };
    prev = event.hash;
  }
  return { ok: true, count: events.length };
}
