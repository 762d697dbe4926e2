// A case's timeline with the verified-history badge: every event of the
// case (GetCaseHistory, all pages), and its hash chain checked in the
// browser: hash = SHA-256(prev_hash || the event's deterministic protobuf
// bytes with `hash` unset) (storage/event_hash.h), each prev_hash equal to
// the previous event's hash. protobuf-es writes fields in number order, as
// the server's deterministic serialization does. Events the server
// redacted for this reader (personal data removed) cannot match their
// hash: the badge says so instead of claiming a verification.
import { clone, toBinary } from "@bufbuild/protobuf";
import type { Event } from "../gen/rectify/v1/event_pb";
import { EventSchema } from "../gen/rectify/v1/event_pb";
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
    const copy = clone(EventSchema, event);
    copy.hash = new Uint8Array(0);
    const body = toBinary(EventSchema, copy);
    const input = new Uint8Array(prev.length + body.length);
    input.set(prev, 0);
    input.set(body, prev.length);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", input));
    if (!equal(digest, event.hash)) return { ok: false, count: events.length, version: Number(event.version), why: "hash" };
    prev = event.hash;
  }
  return { ok: true, count: events.length };
}
