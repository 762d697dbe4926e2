// What the console says when the server refuses an action: the server's
// Chinese reason when it sent one (src/refusal.ts reads it), else a Chinese
// sentence for the kind of refusal (the gRPC code) with the server's own
// message beside it, word for word, so nothing the server said is lost; and
// the request id to quote to the operator (请求编号, src/refusal.ts).
import { ConnectError } from "@connectrpc/connect";
import { codeSummary, userMessageOf, withRequestId } from "../refusal";

export interface Refusal {
  summary: string;
  reason: string;
}

export function refusalOf(error: unknown): Refusal {
  const e = ConnectError.from(error);
  const fromServer = userMessageOf(e);
  if (fromServer) return { summary: fromServer.zhCn, reason: "" };
  return { summary: codeSummary(e), reason: e.rawMessage };
}

// A form's own check that failed before anything was sent: its Chinese
// message is shown as it is, not as a refusal of the server.
export class InputError extends Error {}

// The refusal as one line: 「操作未执行：案件……当前为“整改中”，……」, or without
// a Chinese reason 「操作未执行：当前状态不允许此操作。服务器说明：…」.
export function refusalText(error: unknown): string {
  if (error instanceof InputError) return error.message;
  const r = refusalOf(error);
  return withRequestId(r.reason ? `操作未执行：${r.summary}。服务器说明：${r.reason}` : `操作未执行：${r.summary}`, error);
}
