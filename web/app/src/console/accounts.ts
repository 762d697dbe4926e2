// Accounts (账号管理) for admins, over AdminService: every account of the
// admin's jurisdiction with its role, unit and state; create one; change
// role, unit or jurisdiction; reset the password; disable and enable; the
// open sessions of an account, each of which can be ended.
// The server checks everything (jurisdiction, password length, names).
import { el } from "../dom";
import { Role } from "../gen/rectify/v1/common_pb";
import type { Account } from "../gen/rectify/v1/account_pb";
import { roleName } from "../labels";
import { admin, newCommandId } from "./clients";
import type { PageContext } from "./console";
import { type Action, actionButton } from "./dialog";
import { formatTime } from "./names";
import { refusalText } from "./refusal";
import { regionLabel, unitLabel } from "../directory";

const roles: Role[] = [Role.INSPECTOR, Role.SUPERVISOR, Role.RECTIFIER, Role.BUREAU_HEAD, Role.POLICE, Role.PROCURATOR, Role.AUDITOR, Role.ADMIN];
const roleOptions: [string, string][] = roles.map((r) => [String(r), roleName(r)]);

export function showAccounts(page: PageContext): void {
  const message = el("p", { role: "status", id: "accounts-message" });
  const body = el("div", { id: "accounts" }, el("p", {}, "正在加载…"));
  const done = (text: string) => () => {
    message.textContent = text;
    void load();
  };
  const create: Action = {
    id: "create-account",
    label: "新建账号",
    confirm: "新建一个登录账号。",
    fields: [
      { name: "name", label: "账号（小写字母、数字、. _ -）", required: true },
      { name: "display", label: "姓名", required: true },
      { name: "role", label: "角色", kind: "select", options: roleOptions },
      { name: "unit", label: "单位", picker: "unit" },
      { name: "jurisdiction", label: "辖区（区域代码前缀）", required: true, value: page.principal.jurisdiction, picker: "region", under: page.principal.jurisdiction },
      { name: "password", label: "初始密码（至少 10 个字符）", required: true },
    ],
    run: (v) =>
      admin.createAccount({
        commandId: newCommandId(),
        accountName: v.name,
        displayName: v.display,
        role: Number(v.role) as Role,
        unitId: v.unit,
        jurisdiction: v.jurisdiction,
        password: v.password,
      }),
  };
  page.view.append(el("h1", {}, "账号管理"), el("div", { class: "toolbar" }, actionButton(create, done("账号已创建"))), message, body);

  // The open sessions of one account (ListSessions), each with 结束会话
  // (RevokeSession, behind a confirmation).
  const sessionsPanel = el("section", { id: "sessions", "aria-live": "polite" });
  const showSessions = async (accountName: string) => {
    sessionsPanel.replaceChildren(el("h2", {}, `账号 ${accountName} 的在线会话`), el("p", {}, "正在加载…"));
    try {
      const reply = await admin.listSessions({ accountName });
      const rows = reply.sessions.map((s) => {
        const revoke: Action = {
          id: `revoke-${s.sessionId}`,
          label: "结束会话",
          danger: true,
          confirm: `结束账号 ${accountName} 在「${s.deviceLabel || "未命名设备"}」上的会话？该设备需重新登录。`,
          run: () => admin.revokeSession({ accountName, sessionId: s.sessionId }),
        };
        return el(
          "tr",
          { "data-session": s.sessionId },
          el("td", {}, s.deviceLabel || "—"),
          el("td", {}, formatTime(s.createdAt)),
          el("td", {}, formatTime(s.lastSeenAt)),
          el("td", {}, formatTime(s.expiresAt)),
          el("td", {}, formatTime(s.idleExpiresAt)),
          el("td", { class: "row-actions" }, actionButton(revoke, () => {
            message.textContent = `账号 ${accountName} 的一个会话已结束`;
            void showSessions(accountName);
          })),
        );
      });
      sessionsPanel.replaceChildren(
        el("h2", {}, `账号 ${accountName} 的在线会话`),
        rows.length
          ? el(
              "table",
              { id: "session-table" },
              el("thead", {}, el("tr", {}, ...["设备", "登录时间", "最近活动", "到期时间", "闲置到期", "操作"].map((h) => el("th", { scope: "col" }, h)))),
              el("tbody", {}, ...rows),
            )
          : el("p", { class: "muted" }, "该账号当前没有在线会话"),
      );
    } catch (e) {
      sessionsPanel.replaceChildren(el("h2", {}, `账号 ${accountName} 的在线会话`), el("p", { class: "error", role: "alert" }, refusalText(e)));
    }
  };

  const actionsOf = (a: Account): Action[] => [
    {
      id: `update-${a.accountName}`,
      label: "修改",
      confirm: `修改账号 ${a.accountName} 的角色、单位或辖区（修改后该账号需重新登录）。`,
      fields: [
        { name: "role", label: "角色", kind: "select", options: roleOptions, value: String(a.principal?.role ?? Role.INSPECTOR) },
        { name: "unit", label: "单位", value: a.principal?.unitId ?? "", picker: "unit" },
        { name: "jurisdiction", label: "辖区", value: a.principal?.jurisdiction ?? "", picker: "region", under: page.principal.jurisdiction },
      ],
      run: (v) =>
        admin.updateAccount({
          commandId: newCommandId(),
          accountName: a.accountName,
          role: Number(v.role) !== a.principal?.role ? (Number(v.role) as Role) : undefined,
          unitId: v.unit !== a.principal?.unitId ? v.unit : undefined,
          jurisdiction: v.jurisdiction !== a.principal?.jurisdiction ? v.jurisdiction : undefined,
        }),
    },
    {
      id: `reset-${a.accountName}`,
      label: "重置密码",
      confirm: `为账号 ${a.accountName} 设置新密码。`,
      fields: [{ name: "password", label: "新密码（至少 10 个字符）", required: true }],
      run: (v) => admin.resetPassword({ commandId: newCommandId(), accountName: a.accountName, newPassword: v.password }),
    },
    a.disabled
      ? {
          id: `enable-${a.accountName}`,
          label: "启用",
          confirm: `重新启用账号 ${a.accountName}？`,
          run: () => admin.enableAccount({ commandId: newCommandId(), accountName: a.accountName }),
        }
      : {
          id: `disable-${a.accountName}`,
          label: "停用",
          danger: true,
          confirm: `停用账号 ${a.accountName}？其所有会话将立即失效。`,
          fields: [{ name: "reason", label: "理由" }],
          run: (v) => admin.disableAccount({ commandId: newCommandId(), accountName: a.accountName, reason: v.reason }),
        },
  ];

  const sessionsButton = (accountName: string) => {
    const b = el("button", { type: "button", class: "secondary", "data-action": `sessions-${accountName}` }, "在线会话");
    b.addEventListener("click", () => {
      void showSessions(accountName).then(() => sessionsPanel.scrollIntoView({ block: "start" }));
    });
    return b;
  };
  page.view.append(sessionsPanel);

  const load = async () => {
    try {
      const all: Account[] = [];
      let pageToken = "";
      do {
        const reply = await admin.listAccounts({ pageSize: 500, pageToken });
        all.push(...reply.accounts);
        pageToken = reply.nextPageToken;
      } while (pageToken !== "");
      body.replaceChildren(
        el(
          "table",
          { id: "account-table" },
          el("thead", {}, el("tr", {}, ...["账号", "姓名", "角色", "单位", "辖区", "状态", "密码设置时间", "操作"].map((h) => el("th", { scope: "col" }, h)))),
          el(
            "tbody",
            {},
            ...all.map((a) =>
              el(
                "tr",
                { "data-account": a.accountName },
                el("td", {}, a.accountName),
                el("td", {}, a.principal?.displayName ?? ""),
                el("td", {}, roleName(a.principal?.role ?? Role.UNSPECIFIED)),
                el("td", {}, unitLabel(a.principal?.unitId ?? "")),
                el("td", {}, regionLabel(a.principal?.jurisdiction ?? "")),
                el("td", {}, a.disabled ? "已停用" : "正常"),
                el("td", {}, formatTime(a.passwordSetAt)),
                el(
                  "td",
                  { class: "row-actions" },
                  ...actionsOf(a).map((x) => actionButton(x, done(`「${x.label}」已完成`))),
                  sessionsButton(a.accountName),
                ),
              ),
            ),
          ),
        ),
      );
    } catch (e) {
      body.replaceChildren(el("p", { class: "error", role: "alert" }, refusalText(e)));
    }
  };
  void load();
}
