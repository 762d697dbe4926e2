// Checks a case's hash chain in the browser (docs/storage.md, "Hash
// chain"): for each event, oldest first, prev_hash equals the previous
// event's hash (empty for version 1) and hash = SHA-256(prev_hash ‖ the
// event's deterministic protobuf bytes with hash unset). protobuf-es writes
// fields in number order and unknown fields last, as the server's
// deterministic serialization does; the events come over binary protobuf
// so nothing is lost on the way.
//
// Personal data: the server removes the complainant from CaseReported for
// readers who may not see it, and the complainant is inside the hashed
// bytes (DESIGN.md's salted commitment is not built yet). An empty
// complainant is stored as a present, empty message, so for a removed one
// the check tries that too (lossless). A hotline case whose complainant was
// really removed cannot be checked here: that event is reported as
// unverifiable, never as verified; the links after it are still checked.
import { clone, create, toBinary } from "@bufbuild/protobuf";
import { CaseSource, ComplainantSchema } from "./gen/rectify/v1/common_pb";
import { EventSchema, type Event } from "./gen/rectify/v1/event_pb";

export interface ChainResult {
  ok: boolean;
  checked: number;
  // The version of the first event that does not check out.
  brokenAt?: bigint;
  // Versions whose bytes hold personal data removed for this reader.
  unverifiable: bigint[];
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

async function digestOf(event: Event): Promise<Uint8Array> {
  const unhashed = clone(EventSchema, event);
  unhashed.hash = new Uint8Array(0);
  const body = toBinary(EventSchema, unhashed);
  const input = new Uint8Array(event.prevHash.length + body.length);
  input.set(event.prevHash, 0);
  input.set(body, event.prevHash.length);
  return new Uint8Array(await crypto.subtle.digest("SHA-256", input));
}

export async function checkChain(events: Event[]): Promise<ChainResult> {
  let previous = new Uint8Array(0);
  let expectedVersion = 1n;
  const unverifiable: bigint[] = [];
  const broken = (event: Event): ChainResult => ({
    ok: false,
    checked: Number(expectedVersion) - 1,
    brokenAt: event.version,
    unverifiable,
  });
  for (const event of events) {
    if (event.version !== expectedVersion || !equal(event.prevHash, previous)) return broken(event);
    let matches = equal(await digestOf(event), event.hash);
    const reported = event.payload.case === "caseReported" ? event.payload.value : undefined;
    if (!matches && reported && !reported.complainant) {
      const withEmpty = clone(EventSchema, event);
      if (withEmpty.payload.case === "caseReported") withEmpty.payload.value.complainant = create(ComplainantSchema);
      matches = equal(await digestOf(withEmpty), event.hash);
      if (!matches && reported.source === CaseSource.HOTLINE_12369) {
        unverifiable.push(event.version);
        matches = true;
      }
    }
    if (!matches) return broken(event);
    previous = event.hash;
    expectedVersion++;
  }
  return { ok: events.length > 0, checked: events.length, headHex: hex(previous), unverifiable };
}
