// Reporting a case on site (现场检查): title, category, severity, source,
// the subject with its unified social credit code checked as it is typed
// (uscc.ts, the server's rule), region and address, the position (located
// with its accuracy, typed, or none), when it was found, and photos with
// their SHA-256. The report goes through the outbox: online it is sent at
// once and the new case opens; offline it waits as 待同步 under a local id.
import type { JsonObject } from "@bufbuild/protobuf";
import { el, field, mount, select } from "./dom";
import { CaseSource, Category, Severity, type Principal } from "./gen/rectify/v1/common_pb";
import { positionField } from "./geo";
import { categoryNames, severityNames, sourceNames } from "./labels";
import { fillReport, itemToEdit } from "./edit";
import { enqueue, newCommandId, newLocalId, outboxItems, realCaseId, requeue, syncOutbox, type OutboxItem } from "./outbox";
import { photoField } from "./photos";
import { casePath, navigate } from "./router";
import { usccHint } from "./uscc";
import { regionPicker } from "./pickers";

// datetime-local's value for now, in the device's time zone.
function localNow(): string {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function showReport(content: HTMLElement, principal: Principal): void {
  const title = el("input", { id: "title", maxlength: "200", required: "" });
  const category = select("category", categoryNames, [
    Category.UNSPECIFIED,
    Category.AIR,
    Category.WATER,
    Category.SOIL,
    Category.SOLID_WASTE,
    Category.NOISE,
    Category.ECOLOGY,
    Category.RADIATION,
    Category.OTHER,
  ]);
  const severity = select("severity", severityNames, [
    Severity.UNSPECIFIED,
    Severity.LOW,
    Severity.MEDIUM,
    Severity.HIGH,
    Severity.CRITICAL,
  ]);
  const source = select("source", sourceNames, [
    CaseSource.INSPECTION,
    CaseSource.HOTLINE_12369,
    CaseSource.CENTRAL_INSPECTION,
    CaseSource.PROVINCIAL_INSPECTION,
    CaseSource.MONITORING,
    CaseSource.MEDIA,
    CaseSource.SELF_FOUND,
  ]);
  const sourceReference = el("input", { id: "source-reference", maxlength: "100" });
  const description = el("textarea", { id: "description", rows: "4", maxlength: "10000" });
  const subjectName = el("input", { id: "subject-name", maxlength: "200" });
  const uscc = el("input", {
    id: "uscc",
    maxlength: "18",
    autocapitalize: "characters",
    autocomplete: "off",
    spellcheck: "false",
    "aria-describedby": "uscc-hint",
  });
  const usccStatus = el("p", { id: "uscc-hint", class: "hint", "aria-live": "polite" }, usccHint("").text);
  uscc.addEventListener("input", () => {
    const upper = uscc.value.toUpperCase().replace(/\s/g, "");
    if (upper !== uscc.value) uscc.value = upper;
    const hint = usccHint(upper);
    usccStatus.textContent = hint.text;
    usccStatus.classList.toggle("bad", !hint.ok);
    usccStatus.classList.toggle("good", hint.ok && upper !== "");
    uscc.setAttribute("aria-invalid", String(!hint.ok));
  });
  const regionPick = regionPicker("region", principal.jurisdiction, principal.jurisdiction);
  const region = regionPick.input;
  const address = el("input", { id: "address", maxlength: "500" });
  const position = positionField();
  const foundAt = el("input", { id: "found-at", type: "datetime-local", value: localNow(), max: localNow() });
  const complainantName = el("input", { id: "complainant-name", maxlength: "100" });
  const complainantPhone = el("input", { id: "complainant-phone", inputmode: "tel", maxlength: "30" });
  const complainant = el(
    "div",
    { hidden: "" },
    field("complainant-name", "举报人姓名", complainantName),
    field("complainant-phone", "举报人电话", complainantPhone),
  );
  source.addEventListener("change", () => {
    complainant.hidden = Number(source.value) !== CaseSource.HOTLINE_12369;
  });
  const photos = photoField("photos", "拍照或选择照片", position.fix);
  const error = el("p", { id: "form-error", class: "error", role: "alert" });
  const submit = el("button", { type: "submit" }, "提交上报");
  const form = el(
    "form",
    { class: "form", novalidate: "", "aria-labelledby": "report-title" },
    el("h1", { id: "report-title" }, "现场上报"),
    field("title", "问题标题（必填）", title),
    el("div", { class: "row3" }, field("category", "类别（必填）", category), field("severity", "严重程度（必填）", severity), field("source", "来源（必填）", source)),
    field("source-reference", "来源编号", sourceReference),
    complainant,
    field("description", "问题描述", description),
    field("subject-name", "当事单位或个人", subjectName),
    field("uscc", "统一社会信用代码", uscc, usccStatus),
    el("div", { class: "row2" }, field("region", "行政区划（必填）", regionPick.node), field("address", "地址", address)),
    position.element,
    field("found-at", "发现时间（必填）", foundAt),
    el("fieldset", { class: "field" }, el("legend", {}, "现场照片"), photos.element),
    error,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const problems: [HTMLElement, string][] = [];
    if (title.value.trim() === "") problems.push([title, "请填写问题标题"]);
    if (Number(category.value) === Category.UNSPECIFIED) problems.push([category, "请选择类别"]);
    if (Number(severity.value) === Severity.UNSPECIFIED) problems.push([severity, "请选择严重程度"]);
    if (!usccHint(uscc.value).ok) problems.push([uscc, `统一社会信用代码有误：${usccHint(uscc.value).text}`]);
    if (!/^\d{6,12}$/.test(region.value) || !region.value.startsWith(principal.jurisdiction)) {
      problems.push([region, `行政区划须为本辖区（${principal.jurisdiction}）内的区划：从列表中选择名称，或填写 6 至 12 位代码`]);
    }
    if (!position.valid()) problems.push([position.element, "手动位置须填写有效的纬度和经度"]);
    const found = new Date(foundAt.value);
    if (foundAt.value === "" || Number.isNaN(found.getTime())) problems.push([foundAt, "请填写发现时间"]);
    else if (found.getTime() > Date.now() + 60_000) problems.push([foundAt, "发现时间不能晚于现在"]);
    if (problems.length > 0) {
      error.textContent = problems.map(([, m]) => m).join("；");
      problems[0][0].focus();
      return;
    }
    const fix = position.fix();
    const request: JsonObject = {
      title: title.value.trim(),
      description: description.value.trim(),
      category: Number(category.value),
      severity: Number(severity.value),
      source: Number(source.value),
      sourceReference: sourceReference.value.trim(),
      location: {
        regionCode: region.value,
        address: address.value.trim(),
        ...(fix ? { point: { latitude: fix.latitude, longitude: fix.longitude, ...(fix.accuracy ? { accuracyM: fix.accuracy } : {}) } } : {}),
      },
      subject: { name: subjectName.value.trim(), unifiedSocialCreditCode: uscc.value },
      foundAt: found.toISOString(),
      occurredAt: new Date().toISOString(),
    };
    if (Number(source.value) === CaseSource.HOTLINE_12369 && (complainantName.value || complainantPhone.value)) {
      request.complainant = { name: complainantName.value.trim(), phone: complainantPhone.value.trim() };
    }
    submit.disabled = true;
    submit.textContent = "正在提交…";
    // A fixed report keeps its local id (commands queued on the case wait
    // for it) and its earlier photos.
    const localId = editing?.localId ?? newLocalId();
    const queued = {
      commandId: newCommandId(),
      kind: "reportCase" as const,
      caseRef: localId,
      localId,
      label: title.value.trim(),
      request,
      photos: [...(editing?.photos ?? []), ...(await photos.photos())],
      principalId: principal.principalId,
    };
    if (editing) await requeue(editing, queued);
    else await enqueue(queued);
    if (navigator.onLine) await syncOutbox(principal.principalId);
    const real = await realCaseId(localId);
    const left = (await outboxItems(principal.principalId)).find((i) => i.localId === localId);
    if (real && !left) {
      navigate(casePath(real));
      return;
    }
    if (left?.state === "refused") {
      editing = { ...left, photos: editing?.photos ?? [] };
      error.textContent = `上报被拒绝：${left.error ?? ""}。已保留在待同步队列，可修改后重新上报或删除。`;
      submit.disabled = false;
      submit.textContent = "提交上报";
      return;
    }
    navigate("/outbox");
  });
  mount(content, form);
  title.focus();
  // A refused report reopened from the queue (?edit=): its fields filled in.
  let editing: OutboxItem | undefined;
  void itemToEdit(principal.principalId, "reportCase").then((item) => {
    if (!item) return;
    editing = item;
    fillReport(form, item.request);
    const point = (item.request.location as { point?: { latitude: number; longitude: number; accuracyM?: number } } | undefined)?.point;
    if (point) position.preset(point);
    error.textContent = `上次上报被拒绝：${item.error ?? ""}${item.photos.length > 0 ? `。原有照片 ${item.photos.length} 张将一并提交` : ""}`;
  });
}
