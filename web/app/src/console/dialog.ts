// The confirmation dialog every console action goes through: what will
// happen, the fields the server needs, 确认 / 取消, and on refusal the
// server's reason inside the dialog (role="alert"), the dialog kept open.
import { el } from "../dom";
import { regionPicker, unitPicker } from "../pickers";
import { refusalText } from "./refusal";

export interface ActionField {
  name: string;
  label: string;
  // "file": one or more files (`multiple`), given to run() in `files`.
  kind?: "text" | "textarea" | "date" | "select" | "number" | "file";
  multiple?: boolean;
  // For "file": the media types offered, e.g. "application/pdf,image/*".
  accept?: string;
  required?: boolean;
  options?: [string, string][];
  value?: string;
  hint?: string;
  // A picker by name instead of a bare text input: a unit of the directory,
  // or a region under `under` (pickers.ts); the value stays the id or code.
  picker?: "unit" | "region";
  under?: string;
  // A line the server computes from the field's value (e.g. the due date of
  // N working days), shown under it when the dialog opens and as it is
  // typed; the text of a refusal when the server refuses.
  preview?: (value: string) => Promise<string>;
}

export interface Action {
  id: string;
  label: string;
  // The sentence the user confirms, e.g. 「确认将该问题销号？」.
  confirm: string;
  fields?: ActionField[];
  danger?: boolean;
  // `files`: each "file" field's files. `progress`: a line and a bar in the
  // dialog for a long step (e.g. 「正在上传 1/2：笔录.pdf」, 0.4).
  run: (values: Record<string, string>, files: Record<string, File[]>, progress: (text: string, fraction?: number) => void) => Promise<unknown>;
}

export function actionButton(action: Action, onDone: () => void): HTMLButtonElement {
  const button = el("button", { type: "button", class: action.danger ? "danger" : "", "data-action": action.id }, action.label);
  button.addEventListener("click", () => openAction(action, onDone));
  return button;
}

export function openAction(action: Action, onDone: () => void): void {
  const inputs = new Map<string, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>();
  const fieldNodes = (action.fields ?? []).map((f) => {
    const id = `dlg-${action.id}-${f.name}`;
    let input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    let control: HTMLElement | undefined;
    if (f.picker) {
      const p = f.picker === "unit" ? unitPicker(id, f.value ?? "") : regionPicker(id, f.value ?? "", f.under ?? "");
      input = p.input;
      control = p.node;
    } else if (f.kind === "textarea") input = el("textarea", { id, rows: "3", maxlength: "2000" });
    else if (f.kind === "select") input = el("select", { id }, ...(f.options ?? []).map(([v, l]) => el("option", { value: v }, l)));
    else if (f.kind === "file") {
      input = el("input", { id, type: "file" });
      if (f.multiple) input.setAttribute("multiple", "");
      if (f.accept) input.setAttribute("accept", f.accept);
    } else input = el("input", { id, type: f.kind === "date" ? "date" : f.kind === "number" ? "number" : "text", maxlength: "500" });
    if (f.value !== undefined) input.value = f.value;
    if (f.required) input.setAttribute("aria-required", "true");
    inputs.set(f.name, input);
    let preview: HTMLElement | string = "";
    if (f.preview) {
      const line = el("p", { class: "preview", id: `${id}-preview`, role: "status" });
      const ask = f.preview;
      let asked = 0;
      const update = async () => {
        const mine = ++asked;
        let text: string;
        try {
          text = await ask(input.value.trim());
        } catch (e) {
          text = refusalText(e);
        }
        if (mine === asked) line.textContent = text;
      };
      let timer = 0;
      input.addEventListener("input", () => {
        window.clearTimeout(timer);
        timer = window.setTimeout(() => void update(), 250);
      });
      void update();
      preview = line;
    }
    return el(
      "div",
      { class: "dialog-field" },
      el("label", { for: id }, f.required ? `${f.label}（必填）` : f.label),
      control ?? input,
      f.hint ? el("p", { class: "muted" }, f.hint) : "",
      preview,
    );
  });
  const error = el("p", { class: "error", role: "alert", id: "dialog-error" });
  const progressLine = el("p", { class: "muted", role: "status", id: "dialog-progress" });
  const progressBar = el("progress", { id: "dialog-progress-bar", max: "1", value: "0" });
  progressBar.hidden = true;
  const ok = el("button", { type: "submit", class: action.danger ? "danger" : "" }, "确认");
  const cancel = el("button", { type: "button", class: "secondary" }, "取消");
  const title = el("h2", { id: "dialog-title" }, action.label);
  const form = el("form", { method: "dialog" }, title, el("p", {}, action.confirm), ...fieldNodes, progressLine, progressBar, error, el("div", { class: "actions" }, ok, cancel));
  const dialog = el("dialog", { "aria-labelledby": "dialog-title", class: "action-dialog" }, form);
  document.body.append(dialog);
  const close = () => {
    dialog.close();
    dialog.remove();
  };
  cancel.addEventListener("click", close);
  dialog.addEventListener("cancel", () => dialog.remove());
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    const values: Record<string, string> = {};
    const files: Record<string, File[]> = {};
    for (const f of action.fields ?? []) {
      if (f.kind === "file") files[f.name] = Array.from((inputs.get(f.name) as HTMLInputElement).files ?? []);
      const v = (inputs.get(f.name) as HTMLInputElement).value.trim();
      if (f.required && v === "") {
        error.textContent = f.kind === "file" ? `请选择「${f.label}」` : `请填写「${f.label}」`;
        inputs.get(f.name)?.focus();
        return;
      }
      values[f.name] = v;
    }
    ok.disabled = true;
    try {
      await action.run(values, files, (text, fraction) => {
        progressLine.textContent = text;
        progressBar.hidden = fraction === undefined;
        if (fraction !== undefined) progressBar.value = fraction;
      });
      close();
      onDone();
    } catch (err) {
      error.textContent = refusalText(err);
    } finally {
      ok.disabled = false;
    }
  });
  dialog.showModal();
  (inputs.values().next().value ?? ok).focus();
}
