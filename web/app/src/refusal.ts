// The one home of reading a refusal as a bureau user reads it: the server's
// Chinese sentence (a rectify.v1.UserMessage in the Connect error's details,
// see proto/rectify/v1/user_message.proto and docs/web.md), or, when the
// error carries none (no network, a gateway that answered by itself), a
// Chinese summary of its code. The English message stays for operators
// (refusalDetail), never as what the user reads first.
import { base64Decode } from "@bufbuild/protobuf/wire";
import { Code, ConnectError } from "@connectrpc/connect";
import { type UserMessage, UserMessageSchema } from "./gen/rectify/v1/user_message_pb";

// The server's user message in `error`, if it sent one.
export function userMessageOf(error: unknown): UserMessage | undefined {
  const found = ConnectError.from(error).findDetails(UserMessageSchema);
  return found.find((m) => m.zhCn !== "");
}

// What a refusal of `code` means, for errors without a user message.
const summaries: Partial<Record<Code, string>> = {
  [Code.FailedPrecondition]: "当前状态不允许此操作",
  [Code.PermissionDenied]: "您的角色或辖区无权进行此操作",
  [Code.InvalidArgument]: "填写的内容有误",
  [Code.NotFound]: "找不到该记录",
  [Code.Aborted]: "该记录已被他人修改，请刷新后重试",
  [Code.AlreadyExists]: "该记录已存在",
  [Code.Unauthenticated]: "登录已失效，请重新登录",
  [Code.ResourceExhausted]: "请求过多，请稍后再试",
  [Code.Unavailable]: "网络或服务器暂时不可用，请稍后再试",
  [Code.DeadlineExceeded]: "服务器响应超时，请稍后再试",
};

export function codeSummary(error: unknown): string {
  return summaries[ConnectError.from(error).code] ?? "操作失败";
}

// The sentence a user reads for `error`: the server's Chinese reason, else
// the code's summary.
export function userReason(error: unknown): string {
  return userMessageOf(error)?.zhCn ?? codeSummary(error);
}

// The request id of the call that was refused: the gateway's X-Request-Id
// reply header (the same id the server logs the call under, docs/
// operations.md "Request ids"); undefined when no reply came.
export function requestIdOf(error: unknown): string | undefined {
  // Headers and trailers merged may hold it twice ("a, a"): the first.
  const id = ConnectError.from(error).metadata.get("x-request-id")?.split(",")[0].trim();
  return id && /^[A-Za-z0-9._:-]{1,64}$/.test(id) ? id : undefined;
}

// A refusal sentence with the request id a user quotes to the operator:
// 「……（请求编号：3f2a…）」; the sentence alone when there is no id.
export function withRequestId(text: string, error: unknown): string {
  const id = requestIdOf(error);
  return id ? `${text}（请求编号：${id}）` : text;
}

// The server's own (English) message, for a title attribute or a log line.
export function refusalDetail(error: unknown): string {
  return ConnectError.from(error).rawMessage;
}

// A ConnectError from a Connect JSON error body (as the gateway writes for
// the evidence PUT: {"code", "message", "details": [{"type", "value"}]}),
// details included, so that userMessageOf reads it too, and the reply's
// X-Request-Id as its metadata (requestIdOf).
export function errorFromBody(body: unknown, fallbackCode: Code, fallbackMessage: string, requestId?: string | null): ConnectError {
  const b = (typeof body === "object" && body !== null ? body : {}) as {
    code?: unknown;
    message?: unknown;
    details?: unknown;
  };
  const code = typeof b.code === "string" ? codeFromName(b.code) : undefined;
  const error = new ConnectError(typeof b.message === "string" ? b.message : fallbackMessage, code ?? fallbackCode);
  if (requestId) error.metadata.set("x-request-id", requestId);
  if (Array.isArray(b.details)) {
    for (const d of b.details as { type?: unknown; value?: unknown }[]) {
      if (typeof d.type !== "string" || typeof d.value !== "string") continue;
      try {
        error.details.push({ type: d.type, value: base64Decode(d.value) });
      } catch {
        // a detail that is not base64 is left out
      }
    }
  }
  return error;
}

// Connect's code name ("failed_precondition") as a Code.
export function codeFromName(name: string): Code | undefined {
  const key = name.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase()) as keyof typeof Code;
  return typeof Code[key] === "number" ? (Code[key] as Code) : undefined;
}
