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

// True when the error means "no answer now, try again later".
export function isTransient(error: unknown): boolean {
  const code = ConnectError.from(error).code;
  return code === Code.Unavailable || code === Code.DeadlineExceeded || code === Code.ResourceExhausted;
}

// A refusal in words a user reads, with the server's own message (English,
// it names the field) kept after it for the record.
export function refusalText(error: unknown): string {
  const e = ConnectError.from(error);
  const reason: Partial<Record<Code, string>> = {
    [Code.InvalidArgument]: "填写的内容不符合要求",
    [Code.FailedPrecondition]: "案件当前状态不允许此操作（案件可能已被他人处理）",
    [Code.Aborted]: "案件已被他人更新，请刷新后重试",
    [Code.PermissionDenied]: "您无权进行此操作",
    [Code.NotFound]: "案件不存在或您无权查看",
    [Code.Unauthenticated]: "登录已过期，请重新登录",
    [Code.AlreadyExists]: "该操作已存在",
    [Code.Unavailable]: "网络不可用，稍后自动重试",
    [Code.ResourceExhausted]: "请求过多或文件过大，请稍后再试",
  };
  const text = reason[e.code] ?? "服务器未能处理此操作";
  return e.rawMessage && e.rawMessage !== "网络不可用" ? `${text}（服务器：${e.rawMessage}）` : text;
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
      let body: { evidence?: { evidenceId?: string }; code?: string; message?: string } = {};
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
      const code = codeFromName(body.code) ?? (xhr.status >= 500 ? Code.Unavailable : Code.Unknown);
      reject(new ConnectError(body.message ?? `HTTP ${xhr.status}`, code));
    };
    xhr.send(upload.blob);
  });
}

function codeFromName(name: string | undefined): Code | undefined {
  if (!name) return undefined;
  const key = name.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase()) as keyof typeof Code;
  return typeof Code[key] === "number" ? (Code[key] as Code) : undefined;
}
