// Photos from the camera (<input type="file" capture>): each one's SHA-256
// computed here with WebCrypto over the original bytes, its time and the
// position it was taken at, shown before anything is sent. The original file
// is what is uploaded, unless the user ticks 「压缩后上传」: then a smaller
// JPEG copy (at most 1600 px on its long side) is uploaded, and the
// original's SHA-256 and size travel with it (original_sha256), recorded by
// the server beside the copy's own hash. A copy that would not be smaller is
// not made: the original goes.
import { el } from "./dom";
import { formatTime } from "./format";
import type { Fix } from "./geo";

export interface Photo {
  // What is uploaded: the original, or the compressed copy.
  blob: Blob;
  fileName: string;
  // Of `blob`: the hash the server checks.
  sha256: string;
  size: number;
  // Set when `blob` is a compressed copy: the original's hash and size.
  originalSha256?: string;
  originalSize?: number;
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

// The long side of a compressed copy, and its JPEG quality.
const COPY_MAX_SIDE = 1600;
const COPY_QUALITY = 0.7;

// A smaller JPEG copy of an image, or undefined when the browser cannot
// decode it or the copy would not be smaller.
export async function compressedCopy(original: Blob): Promise<Blob | undefined> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(original);
  } catch {
    return undefined;
  }
  const scale = Math.min(1, COPY_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const context = canvas.getContext("2d");
  if (!context) return undefined;
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const copy = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/jpeg", COPY_QUALITY));
  return copy && copy.size < original.size ? copy : undefined;
}

function jpegName(name: string): string {
  const dot = name.lastIndexOf(".");
  return `${dot > 0 ? name.slice(0, dot) : name}.jpg`;
}

function safeFileName(name: string, index: number): string {
  // The server refuses control characters and very long names.
  const cleaned = name.replace(/[\u0000-\u001f\u007f-\u009f/\\]/g, "_").slice(-100);
  return cleaned === "" || cleaned.startsWith(".") ? `photo-${index + 1}.jpg` : cleaned;
}

// A photo field: the button, the consent to compress, and one card per
// photo with its thumbnail, SHA-256 (the original's), time and position.
// `position` gives the fix to record with a new photo. `photos()` waits for
// any compression still running.
export function photoField(id: string, label: string, position: () => Fix | undefined) {
  interface Entry {
    original: Blob;
    fileName: string;
    sha256: string;
    capturedAt: string;
    description: string;
    // The compressed copy, when the user agreed and it is smaller.
    copy?: { blob: Blob; sha256: string };
  }
  const entries: Entry[] = [];
  let work: Promise<unknown> = Promise.resolve();
  const input = el("input", {
    id,
    type: "file",
    accept: "image/*",
    capture: "environment",
    multiple: "",
    class: "visually-hidden",
  });
  const pick = el("label", { for: id, class: "button secondary photo-button" }, `📷 ${label}`);
  const consent = el("input", { id: `${id}-compress`, type: "checkbox", class: "compress-consent" });
  const consentBox = el(
    "label",
    { for: `${id}-compress`, class: "choice consent" },
    consent,
    "压缩后上传（节省流量；记录原图的 SHA-256）",
  );
  const list = el("ul", { class: "photos", "aria-label": "已添加的照片" });
  const status = el("p", { class: "hint", role: "status" });
  const render = () => {
    list.replaceChildren(
      ...entries.map((entry, i) => {
        const img = el("img", { src: URL.createObjectURL(entry.copy?.blob ?? entry.original), alt: `照片 ${i + 1}`, width: "96", height: "96" });
        const drop = el("button", { type: "button", class: "secondary small", "aria-label": `删除照片 ${i + 1}` }, "删除");
        drop.addEventListener("click", () => {
          entries.splice(i, 1);
          render();
        });
        const sizes = entry.copy
          ? [
              el(
                "span",
                { class: "photo-copy" },
                `压缩后上传：${Math.ceil(entry.copy.blob.size / 1024)} KB（原图 ${Math.ceil(entry.original.size / 1024)} KB）`,
              ),
            ]
          : consent.checked
            ? [el("span", { class: "photo-copy" }, "压缩后不会更小，上传原图")]
            : [];
        return el(
          "li",
          { class: "photo" },
          img,
          el(
            "div",
            { class: "photo-facts" },
            el("span", { class: "photo-name" }, entry.fileName),
            el("span", {}, "SHA-256（原图）："),
            el("code", { class: "sha256" }, entry.sha256),
            ...sizes,
            el("span", { class: "photo-time" }, `拍摄时间 ${formatTime(entry.capturedAt)}`),
            el("span", {}, entry.description || "未记录位置"),
          ),
          drop,
        );
      }),
    );
  };
  // Makes (or drops) each entry's copy as the consent says.
  const applyConsent = async (only?: Entry) => {
    for (const entry of only ? [only] : entries) {
      if (!consent.checked) {
        entry.copy = undefined;
        continue;
      }
      if (entry.copy) continue;
      const blob = await compressedCopy(entry.original);
      if (blob && consent.checked) entry.copy = { blob, sha256: await sha256Hex(blob) };
    }
  };
  consent.addEventListener("change", () => {
    status.textContent = consent.checked ? "正在压缩照片…" : "";
    work = work.then(() => applyConsent()).then(() => {
      status.textContent = consent.checked ? "照片将压缩后上传，记录原图的 SHA-256" : "照片将按原图上传";
      render();
    });
  });
  input.addEventListener("change", () => {
    const files = Array.from(input.files ?? []);
    input.value = "";
    work = work.then(async () => {
      for (const file of files) {
        if (entries.length >= MAX_PHOTOS) {
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
        const entry: Entry = {
          original: file,
          fileName: safeFileName(file.name, entries.length),
          sha256,
          capturedAt: new Date(file.lastModified || Date.now()).toISOString(),
          description: fix ? positionText(fix) : "",
        };
        entries.push(entry);
        await applyConsent(entry);
        status.textContent = `已添加 ${entries.length} 张照片`;
        render();
      }
    });
  });
  const element = el("div", { class: "field photo-field" }, input, pick, consentBox, status, list);
  const photos = async (): Promise<Photo[]> => {
    await work;
    return entries.map((entry) =>
      entry.copy
        ? {
            blob: entry.copy.blob,
            fileName: jpegName(entry.fileName),
            sha256: entry.copy.sha256,
            size: entry.copy.blob.size,
            originalSha256: entry.sha256,
            originalSize: entry.original.size,
            capturedAt: entry.capturedAt,
            description: entry.description,
          }
        : {
            blob: entry.original,
            fileName: entry.fileName,
            sha256: entry.sha256,
            size: entry.original.size,
            capturedAt: entry.capturedAt,
            description: entry.description,
          },
    );
  };
  return { element, photos };
}
