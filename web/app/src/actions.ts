// The forms of the actions on a case, each one command through the outbox:
// the responsible unit's start (开始整改), progress report with photos,
// extension request with a reason, completion with a summary and photos;
// the inspector's on-site verification, pass or fail with findings, photos
// and, for a fail, the new deadline; the inspector's referral proposal to the
// police, signed with a second officer picked from the server's list
// (ListOfficers); the inspector's 补充照片 on a case reported offline and not
// yet synced (its local id), queued behind the report. Online the command is
// sent at once and the case page opens again; offline it waits as 待同步.
import type { JsonObject } from "@bufbuild/protobuf";
import { cases, isTransient, refusalText } from "./api";
import { el, field, link, mount } from "./dom";
import type { Case } from "./gen/rectify/v1/case_pb";
import type { Principal } from "./gen/rectify/v1/common_pb";
import { endOfDay } from "./format";
import { locate, type Fix } from "./geo";
import { itemToEdit, pickedDay, text } from "./edit";
import { enqueue, isLocalId, kindNames, newCommandId, outboxItems, queuedCase, realCaseId, requeue, syncOutbox, type Kind } from "./outbox";
import { photoField } from "./photos";
import { recallCase } from "./recent";
import { casePath, navigate } from "./router";

// A date input's day as the deadline's instant: the end of that day in
// China time (the next midnight, format.ts endOfDay), e.g. 2026-12-20 →
// 2026-12-20T16:00:00Z, shown back as 2026-12-20.
export function dayToInstant(day: string): string {
  return (endOfDay(day) ?? new Date(NaN)).toISOString();
}

function textArea(id: string, maxlength: number): HTMLTextAreaElement {
  return el("textarea", { id, rows: "4", maxlength: String(maxlength) });
}

const actionKinds: Record<string, Kind> = {
  start: "startRectification",
  progress: "reportProgress",
  extension: "requestExtension",
  completion: "submitCompletion",
  verify: "verifyRectification",
  refer: "proposeReferral",
  photos: "addPhotos",
};

const MAX_OFFICER_PAGES = 10;

// The officers who may sign a proposal on the case with the caller, as the
// server lists them.
async function loadOfficers(caseId: string): Promise<{ principalId: string; displayName: string }[]> {
  const out: { principalId: string; displayName: string }[] = [];
  let pageToken = "";
  for (let page = 0; page < MAX_OFFICER_PAGES; page++) {
    const reply = await cases.listOfficers({ caseId, pageSize: 500, pageToken });
    out.push(...reply.officers.map((o) => ({ principalId: o.principalId, displayName: o.displayName })));
    pageToken = reply.nextPageToken;
    if (pageToken === "") break;
  }
  return out;
}

export async function showAction(content: HTMLElement, principal: Principal, caseId: string, action: string): Promise<void> {
  const kind = actionKinds[action];
  if (!kind) {
    navigate(casePath(caseId), true);
    return;
  }
  let c: Case | undefined;
  let title = caseId;
  if (isLocalId(caseId)) {
    // A case reported offline: only 补充照片 until its report is synced.
    const real = await realCaseId(caseId);
    if (real) {
      navigate(casePath(real, action), true);
      return;
    }
    const report = (await queuedCase(principal.principalId, caseId)).report;
    if (!report || kind !== "addPhotos") {
      navigate(casePath(caseId), true);
      return;
    }
    title = report.label;
  } else {
    try {
      c = (await cases.getCase({ caseId })).case;
    } catch (e) {
      if (isTransient(e)) c = (await recallCase(caseId))?.c;
    }
    if (c) title = c.title;
  }
  // A refused command of this kind being fixed (?edit=), its fields filled in.
  let editing = await itemToEdit(principal.principalId, kind);
  const was = editing?.request ?? {};
  // The position of photos taken for this action, located once when the form opens.
  let fix: Fix | undefined;
  void locate(10_000).then((f) => (fix = f)).catch(() => undefined);
  const error = el("p", { id: "form-error", class: "error", role: "alert" });
  const submit = el("button", { type: "submit" }, "提交");
  const controls: Node[] = [];
  let build: () => JsonObject | string;
  let photos: ReturnType<typeof photoField> | undefined;
  switch (kind) {
    case "startRectification": {
      const note = textArea("note", 2000);
      controls.push(field("note", "备注", note));
      build = () => ({ note: note.value.trim() });
      break;
    }
    case "reportProgress": {
      const progressText = textArea("progress-text", 10000);
      const percent = el("input", { id: "percent", type: "number", min: "0", max: "100", step: "5", value: text(was, "percentComplete") || "50", inputmode: "numeric" });
      progressText.value = text(was, "text");
      photos = photoField("progress-photos", "拍照或选择照片", () => fix);
      controls.push(field("progress-text", "进展情况（必填）", progressText), field("percent", "完成比例（%）", percent), photos.element);
      build = () => {
        const p = Number(percent.value);
        if (progressText.value.trim() === "") return "请填写进展情况";
        if (!Number.isInteger(p) || p < 0 || p > 100) return "完成比例须为 0 至 100 的整数";
        return { text: progressText.value.trim(), percentComplete: p };
      };
      break;
    }
    case "requestExtension": {
      const day = el("input", { id: "requested-day", type: "date", value: pickedDay(text(was, "requestedDueAt")) });
      const reason = textArea("reason", 2000);
      reason.value = text(was, "reason");
      controls.push(field("requested-day", "申请延至（必填）", day), field("reason", "延期理由（必填）", reason));
      build = () => {
        if (day.value === "") return "请选择申请延至的日期";
        if (reason.value.trim() === "") return "请填写延期理由";
        const at = dayToInstant(day.value);
        if (c?.rectificationDueAt && new Date(at) <= new Date(Number(c.rectificationDueAt.seconds) * 1000)) {
          return "申请的日期须晚于当前整改期限";
        }
        return { requestedDueAt: at, reason: reason.value.trim() };
      };
      break;
    }
    case "submitCompletion": {
      const summary = textArea("summary", 10000);
      summary.value = text(was, "summary");
      photos = photoField("completion-photos", "拍照或选择照片", () => fix);
      controls.push(field("summary", "整改完成情况（必填）", summary), photos.element);
      build = () => (summary.value.trim() === "" ? "请填写整改完成情况" : { summary: summary.value.trim() });
      break;
    }
    case "verifyRectification": {
      const pass = el("input", { type: "radio", name: "verdict", id: "verdict-pass", value: "pass" });
      const fail = el("input", { type: "radio", name: "verdict", id: "verdict-fail", value: "fail" });
      const notes = textArea("findings", 10000);
      const day = el("input", { id: "new-due-day", type: "date" });
      const dueBox = el("div", { hidden: "" }, field("new-due-day", "新的整改期限（不填则按规定期限）", day));
      for (const r of [pass, fail]) r.addEventListener("change", () => (dueBox.hidden = !fail.checked));
      photos = photoField("verify-photos", "拍照或选择照片", () => fix);
      controls.push(
        el(
          "fieldset",
          { class: "field" },
          el("legend", {}, "验收结论（必填）"),
          el("div", { class: "choices" }, el("label", { for: "verdict-pass", class: "choice" }, pass, "通过"), el("label", { for: "verdict-fail", class: "choice" }, fail, "不通过")),
        ),
        field("findings", "验收意见（不通过时必填）", notes),
        dueBox,
        photos.element,
      );
      build = () => {
        if (!pass.checked && !fail.checked) return "请选择验收结论";
        if (fail.checked && notes.value.trim() === "") return "不通过时须填写验收意见";
        const request: JsonObject = { passed: pass.checked, notes: notes.value.trim() };
        if (fail.checked && day.value !== "") {
          if (new Date(dayToInstant(day.value)) <= new Date()) return "新的整改期限不能早于今天";
          request.newRectificationDueAt = dayToInstant(day.value);
        }
        return request;
      };
      break;
    }
    case "addPhotos": {
      photos = photoField("more-photos", "拍照或选择照片", () => fix);
      controls.push(photos.element);
      build = () => ({});
      break;
    }
    case "proposeReferral": {
      const offence = el("input", { id: "suspected-offence", type: "text", maxlength: "200" });
      const report = textArea("referral-report", 10000);
      const officer = el("select", { id: "second-officer" }, el("option", { value: "" }, "正在加载执法人员名单…"));
      officer.disabled = true;
      const officerNote = el("p", { class: "hint", role: "status", id: "officer-note" });
      loadOfficers(caseId)
        .then((officers) => {
          officer.replaceChildren(
            el("option", { value: "" }, officers.length > 0 ? "请选择" : "没有可联名的执法人员"),
            ...officers.map((o) => el("option", { value: o.principalId }, `${o.displayName}（${o.principalId}）`)),
          );
          officer.disabled = officers.length === 0;
        })
        .catch((e) => {
          officer.replaceChildren(el("option", { value: "" }, "无法加载执法人员名单"));
          officerNote.textContent = isTransient(e) ? "离线时无法选择联名执法人员，请联网后再提议移送" : refusalText(e);
        });
      controls.push(
        field("suspected-offence", "涉嫌违法犯罪事实（必填）", offence),
        field("referral-report", "书面报告（必填）", report),
        field("second-officer", "联名执法人员（必填，至少两名执法人员签署）", officer),
        officerNote,
      );
      build = () => {
        if (offence.value.trim() === "") return "请填写涉嫌违法犯罪事实";
        if (report.value.trim() === "") return "请填写书面报告";
        if (officer.value === "") return "请选择联名执法人员";
        return {
          suspectedOffence: offence.value.trim(),
          report: report.value.trim(),
          proposingOfficers: [principal.principalId, officer.value],
        };
      };
      break;
    }
    default:
      return;
  }
  const form = el(
    "form",
    { class: "form", novalidate: "", "aria-labelledby": "action-title" },
    el("p", { class: "crumbs" }, link(casePath(caseId), "← 返回案件")),
    el("h1", { id: "action-title" }, kindNames[kind]),
    el("p", { class: "subtitle" }, `${isLocalId(caseId) ? `本地编号 ${caseId}` : caseId} ${title === caseId ? "" : title}`),
    ...(editing
      ? [
          el("p", { class: "error", id: "refused-reason" }, `上次提交被拒绝：${editing.error ?? ""}`),
          el("p", { class: "hint" }, `修改后重新提交${editing.photos.length > 0 ? `，原有照片 ${editing.photos.length} 张一并提交` : ""}；被拒绝的那条在新的一条排入队列后删除。`),
        ]
      : []),
    ...controls,
    error,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const request = build();
    if (typeof request === "string") {
      error.textContent = request;
      return;
    }
    request.occurredAt = new Date().toISOString();
    submit.disabled = true;
    submit.textContent = "正在提交…";
    const taken = (await photos?.photos()) ?? [];
    if (kind === "addPhotos" && taken.length === 0) {
      error.textContent = "请至少添加一张照片";
      submit.disabled = false;
      submit.textContent = "提交";
      return;
    }
    const queued = {
      commandId: newCommandId(),
      kind,
      caseRef: caseId,
      label: `${kindNames[kind]}：${title}`,
      request,
      photos: [...(editing?.photos ?? []), ...taken],
      principalId: principal.principalId,
    };
    const seq = editing ? await requeue(editing, queued) : await enqueue(queued);
    if (navigator.onLine) await syncOutbox(principal.principalId);
    const left = (await outboxItems(principal.principalId)).find((i) => i.seq === seq);
    if (!left) {
      navigate(casePath(caseId));
      return;
    }
    if (left.state === "refused") {
      // Submitting again replaces the refused one (its earlier photos kept).
      editing = { ...left, photos: editing?.photos ?? [] };
      error.textContent = `操作被拒绝：${left.error ?? ""}。已保留在待同步队列，可修改后重新提交，或在待同步中重试或删除。`;
      submit.disabled = false;
      submit.textContent = "提交";
      return;
    }
    navigate("/outbox");
  });
  mount(content, form);
}
