// What a refusal reads in the app: the server's sentence, then the request
// id the user quotes to the operator (「（请求编号：<32 hex digits>）」, the id
// rectify_web made for the call; web/app/src/refusal.ts withRequestId).
export function withRequestId(text: string): RegExp {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escaped}（请求编号：[0-9a-f]{32}）$`);
}

// The same for a pattern of the sentence (its source, without anchors).
export function patternWithRequestId(source: string): RegExp {
  return new RegExp(`^${source}（请求编号：[0-9a-f]{32}）$`);
}
