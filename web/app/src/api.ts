// The clients of rectify_web's Connect API, made from the generated service
// descriptors (src/gen, from proto/): no method or field name is typed by
// hand. The session lives in an HttpOnly cookie the gateway sets at login,
// so these calls carry no token; fetch sends the cookie to our own origin.
// A fetch that fails before any answer (no network) becomes Connect's
// `unavailable`, so callers can tell "try later" from a refusal.
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { AuthService } from "./gen/rectify/v1/auth_service_pb";
import { CaseService } from "./gen/rectify/v1/case_service_pb";
import { UnitService } from "./gen/rectify/v1/unit_service_pb";
import { codeSummary, errorFromBody, refusalDetail, userMessageOf, userReason, withRequestId } from "./refusal";

const fetchWithCookie: typeof globalThis.fetch = async (input, init) => {
  try {
    return await globalThis.fetch(input, { ...init, credentials: "same-origin" });
  } catch (e) {
    if (e instanceof Error && e.name === "AbortError") throw e;
    throw new ConnectError("网络不可用", Code.Unavailable, undefined, undefined, e);
  }
};

const transport = createConnectTransport({
  baseUrl: window.location.origin,
  useBinaryFormat: false,
  fetch: fetchWithCookie,
});

// Binary protobuf, for GetCaseHistory: the events' bytes are hashed, and
// binary keeps every field (unknown ones too) as the server sent it.
const binaryTransport = createConnectTransport({
  baseUrl: window.location.origin,
  useBinaryFormat: true,
  fetch: fetchWithCookie,
});

export const auth: Client<typeof AuthService> = createClient(AuthService, transport);
export const cases: Client<typeof CaseService> = createClient(CaseService, transport);
export const casesBinary: Client<typeof CaseService> = createClient(CaseService, binaryTransport);
export const units: Client<typeof UnitService> = createClient(UnitService, transport);

// True when the error means "no answer now, try again later".
export function isTransient(error: unknown): boolean {
  const code = ConnectError.from(error).code;
  return code === Code.Unavailable || code === Code.DeadlineExceeded || code === Code.ResourceExhausted;
}

// A refusal in words a user reads: the server's Chinese reason, else what
// the code means with the server's own message after it (src/refusal.ts).
export function refusalText(error: unknown): string {
  const e = ConnectError.from(error);
  if (userMessageOf(e)) return withRequestId(userReason(e), e);
  const detail = refusalDetail(e);
  return withRequestId(detail && detail !== "网络不可用" ? `${codeSummary(e)}（服务器：${detail}）` : codeSummary(e), e);
}

export interface EvidenceUpload {
  caseId: string;
  commandId: string;
  blob: Blob;
  fileName: string;
  sha256: string;
  // For a compressed copy (the user agreed): the original's SHA-256 and size,
  // which the server records beside the copy's.
  originalSha256?: string;
  originalSize?: number;
  description: string;
  capturedAt: string; // RFC 3339
}

// PUT /evidence/{case_id}: the bytes streamed, with upload progress (XHR,
// since fetch reports none). Resolves with the recorded evidence id; rejects
// with a ConnectError (unavailable when there was no answer).
export function uploadEvidence(upload: EvidenceUpload, onProgress: (fraction: number) => void): Promise<string> {
  const query = new URLSearchParams({
    command_id: upload.commandId,
    kind: "EVIDENCE_KIND_PHOTO",
    file_name: upload.fileName,
    sha256: upload.sha256,
    description: upload.description,
    captured_at: upload.capturedAt,
  });
  if (upload.originalSha256 && upload.originalSize) {
    query.set("original_sha256", upload.originalSha256);
    query.set("original_size", String(upload.originalSize));
  }
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", `/evidence/${encodeURIComponent(upload.caseId)}?${query.toString()}`);
    xhr.setRequestHeader("Connect-Protocol-Version", "1");
    xhr.setRequestHeader("Content-Type", upload.blob.type || "application/octet-stream");
    xhr.withCredentials = true;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ConnectError("网络不可用", Code.Unavailable));
    xhr.ontimeout = () => reject(new ConnectError("网络不可用", Code.Unavailable));
    xhr.onload = () => {
      let body: { evidence?: { evidenceId?: string } } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: handled below
      }
      if (xhr.status === 200 && body.evidence?.evidenceId) {
        onProgress(1);
        resolve(body.evidence.evidenceId);
        return;
      }
      reject(errorFromBody(body, xhr.status >= 500 ? Code.Unavailable : Code.Unknown, `HTTP ${xhr.status}`, xhr.getResponseHeader("X-Request-Id")));
    };
    xhr.send(upload.blob);
  });
}
