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

// PUT `path`: the bytes of `blob` streamed, with upload progress (XHR,
// since fetch reports none). Resolves with the JSON reply once `done` finds
// in it what was recorded; rejects with a ConnectError (unavailable when
// there was no answer, else the gateway's or the server's refusal).
function putFile<T>(path: string, query: URLSearchParams, blob: Blob, onProgress: (fraction: number) => void, done: (body: Record<string, unknown>) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", `${path}?${query.toString()}`);
    xhr.setRequestHeader("Connect-Protocol-Version", "1");
    xhr.setRequestHeader("Content-Type", blob.type || "application/octet-stream");
    xhr.withCredentials = true;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ConnectError("网络不可用", Code.Unavailable));
    xhr.ontimeout = () => reject(new ConnectError("网络不可用", Code.Unavailable));
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: handled below
      }
      const result = xhr.status === 200 ? done(body) : undefined;
      if (result !== undefined) {
        onProgress(1);
        resolve(result);
        return;
      }
      reject(errorFromBody(body, xhr.status >= 500 ? Code.Unavailable : Code.Unknown, `HTTP ${xhr.status}`, xhr.getResponseHeader("X-Request-Id")));
    };
    xhr.send(blob);
  });
}

// PUT /evidence/{case_id}: the bytes streamed, with upload progress.
// Resolves with the recorded evidence id; rejects with a ConnectError.
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
  return putFile(`/evidence/${encodeURIComponent(upload.caseId)}`, query, upload.blob, onProgress, (body) => {
    const id = (body.evidence as { evidenceId?: string } | undefined)?.evidenceId;
    return id ? id : undefined;
  });
}

// A site-check document as stored: what CloseComplaintUnfounded names.
export interface StoredDocument {
  documentId: string;
  sha256: string;
  size: number;
}

// PUT /complaint-documents/{complaint_id}: one document of a site check
// (现场检查笔录, a photo), streamed with progress, before the close names it.
export function uploadSiteCheckDocument(
  upload: { complaintId: string; commandId: string; blob: Blob; fileName: string; sha256: string; kind: string },
  onProgress: (fraction: number) => void,
): Promise<StoredDocument> {
  const query = new URLSearchParams({ command_id: upload.commandId, kind: upload.kind, file_name: upload.fileName, sha256: upload.sha256 });
  return putFile(`/complaint-documents/${encodeURIComponent(upload.complaintId)}`, query, upload.blob, onProgress, (body) => {
    const d = body.document as { documentId?: string; sha256?: string; size?: string | number } | undefined;
    return d?.documentId ? { documentId: d.documentId, sha256: d.sha256 ?? "", size: Number(d.size ?? 0) } : undefined;
  });
}
