// Photos from the camera (<input type="file" capture>): each one's SHA-256
// computed here with WebCrypto over the original bytes (that is the hash
// the server checks and records), its time and the position it was taken
// at, shown before anything is sent. The original file is what is uploaded.
import { el } from "./dom";
import { formatTime } from "./format";
import type { Fix } from "./geo";

export interface Photo {
  blob: Blob;
  fileName: string;
  sha256: string;
  size: number;
  capturedAt: string; // RFC 3339
  description: string;
}

export const MAX_PHOTOS = 10;
export const MAX_PHOTO_BYTES = 64 * 1024 * 1024; // the gateway's limit

export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function positionText(fix: Fix | undefined): string {
  if (!fix) return "未记录位置";
  return `位置 ${fix.latitude.toFixed(6)}, ${fix.longitude.toFixed(6)}` +
    (fix.accuracy !== undefined ? `（精度约 ${Math.round(fix.accuracy)} 米）` : "（手动输入）");
}

function safeFileName(name: string, index: number): string {
  // The server refuses control characters and very long names.
  const cleaned = name.replace(/[\u0000-\u001f\u007f-\u009f/\\]/g, "_").slice(-100);
  return cleaned === "" || cleaned.startsWith(".") ? `photo-${index + 1}.jpg` : cleaned;
}

// A photo field: the button, and one card per photo with its thumbnail,
// SHA-256, time and position. `position` gives the fix to record with a
// new photo.
export function photoField(id: string, label: string, position: () => Fix | undefined) {
  const photos: Photo[] = [];
  const input = el("input", {
    id,
    type: "file",
    accept: "image/*",
    capture: "environment",
    multiple: "",
    class: "visually-hidden",
  });
  const pick = el("label", { for: id, class: "button secondary photo-button" }, `📷 ${label}`);
  const list = el("ul", { class: "photos", "aria-label": "已添加的照片" });
  const status = el("p", { class: "hint", role: "status" });
  const render = () => {
    list.replaceChildren(
      ...photos.map((photo, i) => {
        const img = el("img", { src: URL.createObjectURL(photo.blob), alt: `照片 ${i + 1}`, width: "96", height: "96" });
        const drop = el("button", { type: "button", class: "secondary small", "aria-label": `删除照片 ${i + 1}` }, "删除");
        drop.addEventListener("click", () => {
          photos.splice(i, 1);
          render();
        });
        return el(
          "li",
          { class: "photo" },
          img,
          el(
            "div",
            { class: "photo-facts" },
            el("span", { class: "photo-name" }, photo.fileName),
            el("span", {}, "SHA-256："),
            el("code", { class: "sha256" }, photo.sha256),
            el("span", { class: "photo-time" }, `拍摄时间 ${formatTime(photo.capturedAt)}`),
            el("span", {}, photo.description || "未记录位置"),
          ),
          drop,
        );
      }),
    );
  };
  input.addEventListener("change", async () => {
    const files = Array.from(input.files ?? []);
    input.value = "";
    for (const file of files) {
      if (photos.length >= MAX_PHOTOS) {
        status.textContent = `最多 ${MAX_PHOTOS} 张照片`;
        break;
      }
      if (file.size > MAX_PHOTO_BYTES) {
        status.textContent = `「${file.name}」超过 64 MB，未添加`;
        continue;
      }
      status.textContent = "正在计算照片的 SHA-256…";
      const sha256 = await sha256Hex(file);
      const fix = position();
      photos.push({
        blob: file,
        fileName: safeFileName(file.name, photos.length),
        sha256,
        size: file.size,
        capturedAt: new Date(file.lastModified || Date.now()).toISOString(),
        description: fix ? positionText(fix) : "",
      });
      status.textContent = `已添加 ${photos.length} 张照片`;
      render();
    }
  });
  const element = el("div", { class: "field photo-field" }, input, pick, status, list);
  return { element, photos: () => photos.slice() };
}
