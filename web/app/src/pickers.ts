// Pickers that show names and submit ids, for the field app and the console
// alike: a responsible unit of the directory, a region of the user's
// jurisdiction. Each is a text input with a <datalist> whose options carry
// the id or code as value and the name as label (the browser lists both),
// so a user picks by name and a user who knows the code types it; the
// name of what is chosen shows beside the input (role="status", tied by
// aria-describedby). A name typed exactly as listed becomes its id. The
// server checks what is submitted, as before.
//
//   const unit = unitPicker("f-unit", filter.responsibleUnit);
//   form.append(el("label", { for: "f-unit" }, "责任单位"), unit.node);
//   ... unit.input.value  // the id
import { el } from "./dom";
import { childRegions, regionKnown, regionName, unitChoices, unitName } from "./directory";

export interface Picker {
  // The input whose value is submitted (the id or code).
  input: HTMLInputElement;
  // The input, its list and the name beside it, to place after the label.
  node: HTMLElement;
}

type Attributes = Record<string, string>;

function picker(
  id: string,
  value: string,
  attributes: Attributes,
  choices: () => Promise<[string, string][]>,
  nameOf: (v: string) => Promise<string>,
  unknown: string,
): Picker {
  const listId = `${id}-choices`;
  const nameId = `${id}-name`;
  const input = el("input", { id, value, list: listId, autocomplete: "off", spellcheck: "false", "aria-describedby": nameId, ...attributes });
  const list = el("datalist", { id: listId });
  const name = el("span", { id: nameId, class: "picked-name", role: "status" });
  let known: [string, string][] = [];
  let asked = 0;
  const show = async () => {
    const mine = ++asked;
    const v = input.value.trim();
    const byName = known.find(([, n]) => n === v);
    if (byName) input.value = byName[0];
    const id = byName ? byName[0] : v;
    const text = id === "" ? "" : (known.find(([k]) => k === id)?.[1] ?? (await nameOf(id)));
    if (mine === asked) name.textContent = text !== id ? text : id !== "" && known.length > 0 ? unknown : "";
  };
  input.addEventListener("input", () => void show());
  input.addEventListener("change", () => void show());
  void choices().then((c) => {
    known = c;
    list.replaceChildren(...c.map(([v, n]) => el("option", { value: v, label: n })));
    void show();
  });
  return { input, node: el("span", { class: "picker" }, input, list, name) };
}

// A unit of the directory (active ones listed; any id may be typed).
export function unitPicker(id: string, value: string, attributes: Attributes = {}): Picker {
  return picker(id, value, { maxlength: "64", ...attributes }, unitChoices, (v) => unitName(v), "目录中没有此单位");
}

// A region of `under` (the user's jurisdiction): itself and the regions
// directly under it, by name; any code may be typed, its full name shown.
export function regionPicker(id: string, value: string, under: string, attributes: Attributes = {}): Picker {
  const choices = async (): Promise<[string, string][]> => {
    if (!under) return [];
    const [self, children] = await Promise.all([regionName(under, "full"), childRegions(under)]);
    return [[under, self === under ? under : `${self}（全辖区）`], ...children];
  };
  // A code the directory does not name itself reads as unknown, with the
  // levels above it that are known (甘肃省张掖市民乐县).
  const nameOf = async (v: string): Promise<string> => {
    const full = await regionName(v, "full");
    if (await regionKnown(v)) return full;
    return full === v ? "未知的区划代码" : `未知的区划代码（${full}）`;
  };
  return picker(id, value, { inputmode: "numeric", maxlength: "12", ...attributes }, choices, nameOf, "未知的区划代码");
}
