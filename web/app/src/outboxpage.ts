// The queue (待同步): every command not yet accepted by the server, in the
// order it will be sent, with its photos' SHA-256, its state (待同步, or
// 被拒绝 with the reason), and buttons to sync now, retry, fix in its form
// (修改, edit.ts) or drop.
import { el, link, mount } from "./dom";
import { formatTime } from "./format";
import type { Principal } from "./gen/rectify/v1/common_pb";
import { dropItem, isLocalId, kindNames, onOutboxChange, outboxItems, retryItem, syncOutbox, syncState } from "./outbox";
import { editPath } from "./edit";
import { casePath } from "./router";

let unsubscribe: (() => void) | undefined;

export async function showOutbox(content: HTMLElement, principal: Principal): Promise<void> {
  unsubscribe?.();
  const list = el("ol", { class: "queue", "aria-label": "待同步的操作" });
  const summary = el("p", { id: "queue-summary", role: "status" });
  const progress = el("progress", { id: "queue-progress", max: "1", value: "0", hidden: "", "aria-label": "照片上传进度" });
  const syncNow = el("button", { type: "button", id: "sync-now" }, "立即同步");
  syncNow.addEventListener("click", () => void syncOutbox(principal.principalId));
  mount(content, el("h1", {}, "待同步"), summary, progress, syncNow, list);
  const draw = async () => {
    if (!content.contains(list)) {
      unsubscribe?.();
      return;
    }
    const items = await outboxItems(principal.principalId);
    const s = syncState();
    summary.textContent =
      items.length === 0
        ? "所有操作均已同步"
        : `${items.length} 条操作待同步${navigator.onLine ? "" : "（离线，联网后自动同步）"}${s.syncing ? "，正在同步…" : ""}`;
    progress.hidden = s.uploadFraction === undefined;
    progress.value = s.uploadFraction ?? 0;
    syncNow.disabled = s.syncing || items.length === 0;
    list.replaceChildren(
      ...items.map((item) => {
        const stateText = item.state === "refused" ? "被拒绝" : item.seq === s.currentSeq ? "正在同步" : "待同步";
        const row = el(
          "li",
          { class: `queue-item ${item.state}`, "data-command-id": item.commandId },
          el("strong", {}, `${kindNames[item.kind]}：${item.label.replace(/^.*?：/, "")}`),
          el("span", { class: `badge ${item.state === "refused" ? "overdue" : "pending"}` }, stateText),
          el(
            "span",
            { class: "hint" },
            `${isLocalId(item.caseRef) ? `本地编号 ${item.caseRef}` : item.caseRef} · ${formatTime(item.createdAt)} · 照片 ${item.photos.length} 张`,
          ),
          ...item.photos.map((p) => el("code", { class: "sha256" }, `${p.fileName} ${p.sha256}`)),
        );
        if (item.state === "refused") {
          row.append(el("p", { class: "error", role: "alert" }, item.error ?? ""));
          const retry = el("button", { type: "button", class: "secondary" }, "重试");
          retry.addEventListener("click", async () => {
            await retryItem(item.seq as number);
            void syncOutbox(principal.principalId);
          });
          const drop = el("button", { type: "button", class: "secondary danger" }, "删除");
          drop.addEventListener("click", async () => {
            if (window.confirm("删除后该操作不会再发送，确定删除吗？")) await dropItem(item.seq as number);
          });
          // A refused report, progress report, extension or completion
          // opens in its form, filled in, to be fixed and queued again.
          const edit = editPath(item);
          row.append(el("div", { class: "actions" }, ...(edit ? [link(edit, "修改", { class: "button" })] : []), retry, drop));
        }
        // A case still under its local id opens as reported on this device.
        row.append(link(casePath(item.caseRef), "查看案件"));
        return row;
      }),
    );
  };
  unsubscribe = onOutboxChange(() => void draw());
  await draw();
}
