// 系统运维 for admins: the server's health (the gateway's /healthz, which
// asks rectify_server's gRPC health check), an online backup
// (AdminService.CreateBackupWithProgress) and a consistency check of the
// store (AdminService.VerifyStoreWithProgress). Both run on the server while
// it keeps writing; their server streams (relayed by the gateway as Connect
// streaming, like WatchEvents) send how far the work has come, shown as a
// progress bar, and then the result, which the page shows.
import { el } from "../dom";
import { admin } from "./clients";
import type { PageContext } from "./console";
import { type Action, openAction } from "./dialog";
import { formatTime } from "./names";
import type { CreateBackupResponse, Progress, VerifyStoreResponse } from "../gen/rectify/v1/admin_service_pb";

async function health(): Promise<string> {
  try {
    const reply = await fetch("/healthz", { cache: "no-store", credentials: "same-origin" });
    return reply.ok ? "● 服务器运行正常" : `○ 服务器不可用（网关答复 HTTP ${reply.status}）`;
  } catch {
    return "○ 无法连接网关";
  }
}

// A progress bar (上传进度 style) for a streamed operation: `update` shows a
// Progress message of the server (done of total, in events or bytes);
// `finish` fills it when the result arrives.
function progressBar(id: string, label: string): { node: HTMLElement; update: (p: Progress) => void; finish: () => void } {
  const bar = el("progress", { id: `${id}-progress`, max: "1", value: "0", "aria-label": label });
  const text = el("span", { id: `${id}-progress-text`, class: "muted" }, "正在开始…");
  const amount = (unit: string, n: bigint) =>
    unit === "bytes" ? `${(Number(n) / 1048576).toFixed(1)} MiB` : `${Number(n).toLocaleString("zh-CN")} 条事件`;
  return {
    node: el("p", { class: "progress-line" }, bar, " ", text),
    update: (p) => {
      const what = p.unit === "bytes" ? "已写入" : "已校验";
      if (p.total > 0n) {
        bar.max = Number(p.total);
        bar.value = Math.min(Number(p.done), Number(p.total));
        const percent = Math.floor((Number(p.done) * 100) / Number(p.total));
        text.textContent = `${what} ${amount(p.unit, p.done)} / ${amount(p.unit, p.total)}（${Math.min(percent, 100)}%）`;
      } else {
        bar.removeAttribute("value"); // indeterminate
        text.textContent = `${what} ${amount(p.unit, p.done)}`;
      }
    },
    finish: () => {
      bar.max = bar.max > 0 ? bar.max : 1;
      bar.value = bar.max;
      text.textContent = "已完成（100%）";
    },
  };
}

// A button opening the confirmation of an operation that takes a while:
// while the server works, `target` shows `busy` and the progress bar `run`
// updates; then what `run` made of the answer under the filled bar. A
// refusal stays in the dialog (dialog.ts).
function longRunning(
  action: Omit<Action, "run">,
  target: HTMLElement,
  busy: (values: Record<string, string>) => string,
  barLabel: string,
  run: (values: Record<string, string>, progress: (p: Progress) => void) => Promise<Node[]>,
): HTMLButtonElement {
  const button = el("button", { type: "button", id: `start-${action.id}` }, action.label);
  const full: Action = {
    ...action,
    run: async (values) => {
      const bar = progressBar(action.id, barLabel);
      target.replaceChildren(el("p", { class: "busy" }, busy(values)), bar.node);
      try {
        const result = await run(values, bar.update);
        bar.finish();
        target.replaceChildren(bar.node, ...result);
      } catch (e) {
        target.replaceChildren();
        throw e;
      }
    },
  };
  button.addEventListener("click", () => openAction(full, () => undefined));
  return button;
}

export function showOperations(page: PageContext): void {
  const healthLine = el("p", { id: "server-health", role: "status", class: "lead" }, "正在检查…");
  const checkHealth = el("button", { type: "button", class: "secondary", id: "check-health" }, "重新检查");
  const refreshHealth = async () => {
    healthLine.textContent = "正在检查…";
    const text = await health();
    healthLine.textContent = `${text}（检查时间 ${new Date().toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false })}）`;
    healthLine.dataset.ok = String(text.startsWith("●"));
  };
  checkHealth.addEventListener("click", () => void refreshHealth());

  const backupResult = el("div", { id: "backup-result", role: "status" });
  const backupButton = longRunning(
    {
      id: "backup",
      label: "在线备份",
      confirm: "在服务器运行期间对数据库做一次在线备份（RocksDB 备份引擎）。备份期间服务照常受理业务。",
      fields: [{ name: "dir", label: "备份目录（服务器上的绝对路径）", required: true, hint: "例如 /var/backups/rectify；目录须可由服务进程写入。" }],
    },
    backupResult,
    (v) => `正在备份到 ${v.dir}…`,
    "备份进度",
    async (v, progress) => {
      let r: CreateBackupResponse | undefined;
      for await (const u of admin.createBackupWithProgress({ backupDir: v.dir })) {
        if (u.update.case === "progress") progress(u.update.value);
        else if (u.update.case === "result") r = u.update.value;
      }
      if (!r) throw new Error("备份的结果没有送达");
      return [
        el(
          "dl",
          { class: "facts" },
          el("div", {}, el("dt", {}, "结果"), el("dd", {}, "备份完成")),
          el("div", {}, el("dt", {}, "备份编号"), el("dd", { id: "backup-id" }, String(r.backupId))),
          el("div", {}, el("dt", {}, "包含的事件至"), el("dd", {}, `日志位置 ${r.lastPosition}`)),
          el("div", {}, el("dt", {}, "备份时间"), el("dd", {}, formatTime(r.takenAt))),
        ),
      ];
    },
  );

  const verifyResult = el("div", { id: "verify-result", role: "status" });
  const verifyButton = longRunning(
    {
      id: "verify",
      label: "校验数据库",
      confirm: "由全部事件重新推算各投影、索引和定时器，并校验每条哈希链，与库中现有数据比对（在一致的快照上进行，不改动数据）。",
    },
    verifyResult,
    () => "正在校验…",
    "校验进度",
    async (_, progress) => {
      let r: VerifyStoreResponse | undefined;
      for await (const u of admin.verifyStoreWithProgress({ maxProblems: 100 })) {
        if (u.update.case === "progress") progress(u.update.value);
        else if (u.update.case === "result") r = u.update.value;
      }
      if (!r) throw new Error("校验的结果没有送达");
      const summary = el(
        "p",
        { class: r.problems.length === 0 ? "lead ok-text" : "lead error", id: "verify-summary" },
        r.problems.length === 0
          ? `校验通过：${r.streams} 个记录流、${r.events} 条事件，未发现不一致。`
          : `发现 ${r.problems.length} 处不一致（${r.streams} 个记录流、${r.events} 条事件）：`,
      );
      return r.problems.length ? [summary, el("ol", { id: "verify-problems" }, ...r.problems.map((p) => el("li", {}, p)))] : [summary];
    },
  );

  page.view.append(
    el("h1", {}, "系统运维"),
    el("section", { "aria-labelledby": "health-title" }, el("h2", { id: "health-title" }, "服务器状态"), healthLine, checkHealth),
    el("section", { "aria-labelledby": "backup-title" }, el("h2", { id: "backup-title" }, "在线备份"), backupButton, backupResult),
    el("section", { "aria-labelledby": "verify-title" }, el("h2", { id: "verify-title" }, "数据校验"), verifyButton, verifyResult),
  );
  void refreshHealth();
  const timer = window.setInterval(() => void refreshHealth(), 30_000);
  page.onLeave(() => window.clearInterval(timer));
}
