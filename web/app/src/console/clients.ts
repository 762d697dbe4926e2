// The Connect clients the supervision console uses (CaseService,
// SupervisionService, AdminService, ComplaintService), made from the generated descriptors.
// SupervisionService, AdminService, PenaltyService), made from the generated descriptors.
// A transport of its own, like src/api.ts: the session cookie goes along,
// no token is ever handled by page scripts.
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { AdminService } from "../gen/rectify/v1/admin_service_pb";
import { CaseService } from "../gen/rectify/v1/case_service_pb";
import { ComplaintService } from "../gen/rectify/v1/complaint_service_pb";
import { PenaltyService } from "../gen/rectify/v1/penalty_service_pb";
import { SupervisionService } from "../gen/rectify/v1/supervision_service_pb";

const transport = createConnectTransport({
  baseUrl: window.location.origin,
  useBinaryFormat: false,
  fetch: (input, init) => globalThis.fetch(input, { ...init, credentials: "same-origin" }),
});

export const cases: Client<typeof CaseService> = createClient(CaseService, transport);
export const supervision: Client<typeof SupervisionService> = createClient(SupervisionService, transport);
export const admin: Client<typeof AdminService> = createClient(AdminService, transport);
export const complaints: Client<typeof ComplaintService> = createClient(ComplaintService, transport);
export const penalties: Client<typeof PenaltyService> = createClient(PenaltyService, transport);

// A fresh command id for each user action (the server's idempotency key):
// a retry of the same click reuses it, a new click gets a new one.
export function newCommandId(): string {
  // getRandomValues works on plain-HTTP origins too (randomUUID does not).
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
