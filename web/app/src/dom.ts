// A few lines instead of a framework: build elements with text (never
// HTML strings, so nothing a user typed can become markup).
type Attributes = Record<string, string>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) element.append(child);
  return element;
}

export function mount(root: HTMLElement, ...children: Node[]): void {
  root.replaceChildren(...children);
}

// A link to an app route (handled by router.ts without a page load).
export function link(href: string, text: string, attributes: Attributes = {}): HTMLAnchorElement {
  return el("a", { href, "data-link": "", ...attributes }, text);
}

// A labelled field: label above the control, an optional hint below.
export function field(id: string, label: string, control: HTMLElement, hint?: HTMLElement): HTMLDivElement {
  return el("div", { class: "field" }, el("label", { for: id }, label), control, ...(hint ? [hint] : []));
}

export function select<T extends number>(id: string, names: Record<T, string>, values: T[]): HTMLSelectElement {
  const s = el("select", { id, name: id });
  for (const value of values) s.append(el("option", { value: String(value) }, names[value]));
  return s;
}
