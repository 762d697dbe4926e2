// The position of a report: from the Geolocation API with its accuracy, typed
// by hand (a pin without a fix), or none.
import { el } from "./dom";

export interface Fix {
  latitude: number;
  longitude: number;
  accuracy?: number; // metres; undefined when typed by hand
}

export function locate(timeoutMs = 15_000): Promise<Fix> {
  return new Promise((resolve, reject) => {
    if (!("geolocation" in navigator)) {
      reject(new Error("此设备不支持定位"));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude, accuracy: p.coords.accuracy }),
      (e) => reject(new Error(e.code === e.PERMISSION_DENIED ? "未获得定位权限" : "暂时无法定位")),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}

// The position field of the report form: three choices and what each shows.
export function positionField() {
  let fix: Fix | undefined;
  let mode: "gps" | "manual" | "none" = "none";
  const choice = (value: string, text: string) => {
    const input = el("input", { type: "radio", name: "position-mode", id: `position-${value}`, value });
    return { input, label: el("label", { for: `position-${value}`, class: "choice" }, input, text) };
  };
  const gps = choice("gps", "使用定位");
  const manual = choice("manual", "手动输入");
  const none = choice("none", "不记录位置");
  none.input.checked = true;
  const status = el("p", { id: "position-status", class: "hint", role: "status" }, "不记录位置");
  const lat = el("input", { id: "manual-lat", inputmode: "decimal", placeholder: "纬度，如 38.4321" });
  const lng = el("input", { id: "manual-lng", inputmode: "decimal", placeholder: "经度，如 100.8123" });
  const manualBox = el(
    "div",
    { class: "pair", hidden: "" },
    el("label", { for: "manual-lat" }, "纬度"),
    lat,
    el("label", { for: "manual-lng" }, "经度"),
    lng,
  );
  const readManual = () => {
    const la = Number(lat.value);
    const lo = Number(lng.value);
    if (lat.value.trim() === "" || lng.value.trim() === "") return undefined;
    if (!Number.isFinite(la) || la < -90 || la > 90 || !Number.isFinite(lo) || lo < -180 || lo > 180) return undefined;
    return { latitude: la, longitude: lo };
  };
  const update = async () => {
    manualBox.hidden = mode !== "manual";
    if (mode === "none") {
      fix = undefined;
      status.textContent = "不记录位置";
    } else if (mode === "manual") {
      fix = readManual();
      status.textContent = fix ? `手动位置 ${fix.latitude}, ${fix.longitude}` : "请输入纬度（-90 至 90）和经度（-180 至 180）";
    } else {
      status.textContent = "正在定位…";
      try {
        const got = await locate();
        if (mode !== "gps") return;
        fix = got;
        status.textContent = `已定位 ${got.latitude.toFixed(6)}, ${got.longitude.toFixed(6)}，精度约 ${Math.round(got.accuracy ?? 0)} 米`;
      } catch (e) {
        fix = undefined;
        status.textContent = `${(e as Error).message}，可改为手动输入或不记录`;
      }
    }
  };
  for (const c of [gps, manual, none]) {
    c.input.addEventListener("change", () => {
      mode = c.input.value as typeof mode;
      void update();
    });
  }
  lat.addEventListener("input", () => void update());
  lng.addEventListener("input", () => void update());
  const element = el(
    "fieldset",
    { class: "field" },
    el("legend", {}, "位置"),
    el("div", { class: "choices" }, gps.label, manual.label, none.label),
    manualBox,
    status,
  );
  // The position a queued report recorded (its form reopened to fix a
  // refusal): shown as typed by hand, keeping its accuracy until changed.
  const preset = (point: { latitude: number; longitude: number; accuracyM?: number }) => {
    mode = "manual";
    manual.input.checked = true;
    manualBox.hidden = false;
    lat.value = String(point.latitude);
    lng.value = String(point.longitude);
    fix = { latitude: point.latitude, longitude: point.longitude, accuracy: point.accuracyM };
    status.textContent = `沿用原记录的位置 ${point.latitude}, ${point.longitude}`;
  };
  return {
    element,
    fix: () => fix,
    valid: () => mode !== "manual" || fix !== undefined,
    preset,
  };
}
