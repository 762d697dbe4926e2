// What the console says when the server refuses an action: a Chinese
// sentence for the kind of refusal (the gRPC code) and the server's own
// reason beside it, word for word, so nothing the server said is lost.
import { Code, ConnectError } from "@connectrpc/connect";

const summaries: Partial<Record<Code, string>> = {
  [Code.FailedPrecondition]: "当前状态不允许此操作",
  [Code.PermissionDenied]: "您的角色或辖区无权进行此操作",
  [Code.InvalidArgument]: "填写的内容有误",
  [Code.NotFound]: "找不到该记录",
  [Code.Aborted]: "该记录已被他人修改，请刷新后重试",
  [Code.AlreadyExists]: "该记录已存在",
  [Code.Unauthenticated]: "登录已失效，请重新登录",
  [Code.ResourceExhausted]: "请求过多，请稍后再试",
  [Code.Unavailable]: "服务器暂时不可用，请稍后再试",
  [Code.DeadlineExceeded]: "服务器响应超时，请稍后再试",
};

export interface Refusal {
  summary: string;
  reason: string;
}

export function refusalOf(error: unknown): Refusal {
  const e = ConnectError.from(error);
  return { summary: summaries[e.code] ?? "操作失败", reason: e.rawMessage };
}

// The refusal as one line: 「操作未执行：当前状态不允许此操作。服务器说明：…」.
export function refusalText(error: unknown): string {
  const r = refusalOf(error);
  return r.reason ? `操作未执行：${r.summary}。服务器说明：${r.reason}` : `操作未执行：${r.summary}。`;
}
