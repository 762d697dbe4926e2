// Checks a case's hash chain in the browser (docs/storage.md, "Hash
// chain"): for each event, oldest first, prev_hash equals the previous
// event's hash (empty for version 1) and hash = SHA-256(prev_hash ‖ the
// event's deterministic protobuf bytes with hash unset). protobuf-es writes
// fields in number order and unknown fields last, as the server's
// deterministic serialization does; the events come over binary protobuf
// so nothing is lost on the way.
//
// Personal data: the complainant's values and their salts are outside the
// hashed bytes (docs/storage.md, "Canonical bytes"); the event keeps a salted
// commitment to them, which is hashed. So every reader checks the whole
// chain, whether or not the server gave it the complainant.
import { clone, toBinary } from "@bufbuild/protobuf";
import { EventSchema, type Event } from "./gen/rectify/v1/event_pb";

export interface ChainResult {
  ok: boolean;
  checked: number;
  // The version of the first event that does not check out.
  brokenAt?: bigint;
  headHex?: string;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// The bytes an event's hash covers (docs/storage.md, "Canonical bytes";
// storage/event_hash.h): the event without `hash` and without the
// complainant's values and salts (the commitment stays), fields in number
// order as protobuf's deterministic serialization writes them.
export function canonicalBytes(event: Event): Uint8Array {
  const copy = clone(EventSchema, event);
  copy.hash = new Uint8Array(0);
  if (copy.payload.case === "caseReported") {
    copy.payload.value.complainant = undefined;
    copy.payload.value.complainantSalts = undefined;
  }
  return toBinary(EventSchema, copy);
}

// SHA-256(prev_hash ‖ canonical bytes).
export async function eventDigest(event: Event): Promise<Uint8Array> {
  const body = canonicalBytes(event);
  const input = new Uint8Array(event.prevHash.length + body.length);
  input.set(event.prevHash, 0);
  input.set(body, event.prevHash.length);
  return new Uint8Array(await crypto.subtle.digest("SHA-256", input));
}

export async function checkChain(events: Event[]): Promise<ChainResult> {
  let previous = new Uint8Array(0);
  let expectedVersion = 1n;
  for (const event of events) {
    if (
      event.version !== expectedVersion ||
      !equal(event.prevHash, previous) ||
      !equal(await eventDigest(event), event.hash)
    ) {
      return { ok: false, checked: Number(expectedVersion) - 1, brokenAt: event.version };
    }
    previous = event.hash;
    expectedVersion++;
  }
  return { ok: events.length > 0, checked: events.length, headHex: hex(previous) };
}
