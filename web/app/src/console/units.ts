// The responsible units directory (责任单位目录) for SUPERVISORs and ADMINs
// of the jurisdiction, over UnitService: every unit with its kind, region
// (by name), credit code and state, active or retired; create, edit, retire
// and bring back, each behind the console's confirmation dialog, a refusal
// shown with the server's Chinese reason (dialog.ts, src/refusal.ts). The
// contact person and phone show only when the server returns them (a
// reader who may see personal data of the unit's region); the server
// checks every field and the caller's jurisdiction.
import { Role } from "../gen/rectify/v1/common_pb";
import { UnitKind, type Unit, type UnitDetails } from "../gen/rectify/v1/unit_pb";
import { el } from "../dom";
import { units } from "../api";
import { forgetDirectory, regionLabel } from "../directory";
import { newCommandId } from "./clients";
import type { PageContext } from "./console";
import { type Action, type ActionField, actionButton } from "./dialog";
import { formatTime } from "./names";
import { refusalText } from "./refusal";

export const unitKindNames: Record<UnitKind, string> = {
  [UnitKind.UNSPECIFIED]: "未定",
  [UnitKind.TOWNSHIP]: "乡镇人民政府",
  [UnitKind.COUNTY_DEPARTMENT]: "县直部门",
  [UnitKind.ENTERPRISE]: "企业",
  [UnitKind.OTHER]: "其他",
};

const kindOptions: [string, string][] = [UnitKind.TOWNSHIP, UnitKind.COUNTY_DEPARTMENT, UnitKind.ENTERPRISE, UnitKind.OTHER].map((k) => [
  String(k),
  unitKindNames[k],
]);

// Who manages the directory (the server checks it again).
export function managesUnits(role: Role): boolean {
  return role === Role.SUPERVISOR || role === Role.ADMIN;
}

// The description fields of the create and edit dialogs; `d` the unit's
// description when editing, `withContact` whether to offer the contact.
function detailFields(jurisdiction: string, d: UnitDetails | undefined, withContact: boolean): ActionField[] {
  const fields: ActionField[] = [
    { name: "fullName", label: "单位全称", required: true, value: d?.fullName ?? "" },
    { name: "shortName", label: "简称", value: d?.shortName ?? "" },
    { name: "kind", label: "类别", kind: "select", options: kindOptions, value: String(d?.kind || UnitKind.TOWNSHIP) },
    { name: "region", label: "所在区划", required: true, value: d?.regionCode ?? jurisdiction, picker: "region", under: jurisdiction },
    { name: "uscc", label: "统一社会信用代码（企业必填）", value: d?.unifiedSocialCreditCode ?? "" },
  ];
  if (withContact) {
    fields.push(
      { name: "contactName", label: "联系人", value: d?.contact?.name ?? "" },
      { name: "contactPhone", label: "联系电话", value: d?.contact?.phone ?? "" },
    );
  }
  return fields;
}

function details(v: Record<string, string>) {
  return {
    fullName: v.fullName,
    shortName: v.shortName,
    kind: Number(v.kind) as UnitKind,
    regionCode: v.region,
    unifiedSocialCreditCode: v.uscc,
    contact: { name: v.contactName ?? "", phone: v.contactPhone ?? "" },
  };
}

export function showUnits(page: PageContext): void {
  const jurisdiction = page.principal.jurisdiction;
  // Only a SUPERVISOR may see contacts (server/access.h MaySeePersonalData);
  // the dialogs offer them to whoever the server showed them to.
  const mayEditContact = page.principal.role === Role.SUPERVISOR;
  const message = el("p", { role: "status", id: "units-message" });
  const body = el("div", { id: "units" }, el("p", {}, "正在加载…"));
  const showRetired = el("input", { type: "checkbox", id: "units-retired" });
  const done = (text: string) => () => {
    message.textContent = text;
    forgetDirectory(); // the names other pages read are read again
    void load();
  };
  const create: Action = {
    id: "create-unit",
    label: "新建单位",
    confirm: "在责任单位目录中新建一个单位。单位编号建好后不能修改。",
    fields: [
      { name: "unitId", label: "单位编号（小写字母、数字、. _ -，如 minle-sanbao-town）", required: true },
      ...detailFields(jurisdiction, undefined, mayEditContact),
    ],
    run: (v) => units.createUnit({ commandId: newCommandId(), unitId: v.unitId, details: details(v) }),
  };
  page.view.append(
    el("h1", {}, "责任单位目录"),
    el(
      "div",
      { class: "toolbar" },
      managesUnits(page.principal.role) ? actionButton(create, done("单位已新建")) : "",
      el("span", { class: "check" }, showRetired, el("label", { for: "units-retired" }, "显示已撤销的单位")),
    ),
    message,
    body,
  );
  showRetired.addEventListener("change", () => void load());

  const actionsOf = (u: Unit, withContact: boolean): Action[] => [
    {
      id: `edit-${u.unitId}`,
      label: "修改",
      confirm: withContact
        ? `修改单位「${u.details?.fullName}」的信息。`
        : `修改单位「${u.details?.fullName}」的信息。您的角色看不到联系人信息，保存后该单位的联系人和联系电话将被清空。`,
      fields: detailFields(jurisdiction, u.details, withContact),
      run: (v) => units.updateUnit({ commandId: newCommandId(), unitId: u.unitId, details: details(v), expectedVersion: u.version }),
    },
    u.retired
      ? {
          id: `reactivate-${u.unitId}`,
          label: "恢复",
          confirm: `恢复单位「${u.details?.fullName}」？恢复后可再向其交办问题。`,
          fields: [{ name: "reason", label: "理由", required: true }],
          run: (v) => units.reactivateUnit({ commandId: newCommandId(), unitId: u.unitId, reason: v.reason, expectedVersion: u.version }),
        }
      : {
          id: `retire-${u.unitId}`,
          label: "撤销",
          danger: true,
          confirm: `撤销单位「${u.details?.fullName}」？已交办的问题仍记在该单位名下，但不能再向其交办新问题。`,
          fields: [{ name: "reason", label: "理由", required: true }],
          run: (v) => units.retireUnit({ commandId: newCommandId(), unitId: u.unitId, reason: v.reason, expectedVersion: u.version }),
        },
  ];

  let loading = 0;
  const load = async () => {
    const mine = ++loading;
    try {
      const all: Unit[] = [];
      let pageToken = "";
      for (let pages = 0; pages < 20; pages++) {
        const reply = await units.listUnits({ includeRetired: showRetired.checked, pageSize: 500, pageToken });
        all.push(...reply.units);
        pageToken = reply.nextPageToken;
        if (!pageToken) break;
      }
      if (mine !== loading) return;
      // The contact columns only when the server showed a contact.
      const contacts = all.some((u) => u.details?.contact?.name || u.details?.contact?.phone);
      const heads = ["单位全称", "简称", "类别", "所在区划", "统一社会信用代码", ...(contacts ? ["联系人", "联系电话"] : []), "状态", "更新时间", "单位编号"];
      if (managesUnits(page.principal.role)) heads.push("操作");
      const rows = all.map((u) => {
        const d = u.details;
        return el(
          "tr",
          { "data-unit": u.unitId, class: u.retired ? "retired" : "" },
          el("th", { scope: "row" }, d?.fullName ?? u.unitId),
          el("td", {}, d?.shortName || "—"),
          el("td", {}, unitKindNames[d?.kind ?? UnitKind.UNSPECIFIED]),
          el("td", {}, regionLabel(d?.regionCode ?? "", "full")),
          el("td", {}, d?.unifiedSocialCreditCode || "—"),
          ...(contacts ? [el("td", { class: "contact-name" }, d?.contact?.name || "—"), el("td", { class: "contact-phone" }, d?.contact?.phone || "—")] : []),
          el("td", { class: "unit-state" }, u.retired ? "已撤销" : "在用"),
          el("td", {}, formatTime(u.updatedAt)),
          el("td", { class: "muted" }, u.unitId),
          ...(managesUnits(page.principal.role)
            ? [el("td", { class: "row-actions" }, ...actionsOf(u, mayEditContact).map((x) => actionButton(x, done(`「${x.label}」已完成`))))]
            : []),
        );
      });
      body.replaceChildren(
        rows.length
          ? el(
              "table",
              { id: "unit-table" },
              el("caption", {}, `共 ${all.length} 个单位`),
              el("thead", {}, el("tr", {}, ...heads.map((h) => el("th", { scope: "col" }, h)))),
              el("tbody", {}, ...rows),
            )
          : el("p", { class: "muted" }, "目录中还没有单位"),
      );
    } catch (e) {
      if (mine === loading) body.replaceChildren(el("p", { class: "error", role: "alert" }, refusalText(e)));
    }
  };
  void load();
}
