// Writes the app's PNG icons (public/icons/) with Node's zlib alone: a blue
// square, a white leaf-like circle and a check mark. Run once when the
// design changes (`node scripts/make-icons.mjs`); the PNGs are committed.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

const out = join(resolve(dirname(fileURLToPath(import.meta.url)), ".."), "public", "icons");
mkdirSync(out, { recursive: true });

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, margin) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const u = x / size;
      const v = y / size;
      let rgba = [0x0b, 0x63, 0xc5, 255];
      const inside = u >= margin && u <= 1 - margin && v >= margin && v <= 1 - margin;
      if (!inside && margin > 0) rgba = [0x0b, 0x63, 0xc5, 255];
      const d = Math.hypot(u - 0.5, v - 0.5);
      if (d < 0.3 - margin * 0.5) rgba = [255, 255, 255, 255];
      // a check mark: two thick strokes
      const onStroke = (ax, ay, bx, by) => {
        const t = Math.max(0, Math.min(1, ((u - ax) * (bx - ax) + (v - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
        return Math.hypot(u - (ax + t * (bx - ax)), v - (ay + t * (by - ay))) < 0.035;
      };
      if (onStroke(0.36, 0.5, 0.46, 0.62) || onStroke(0.46, 0.62, 0.66, 0.4)) rgba = [0x1b, 0x8a, 0x3a, 255];
      row.set(rgba, 1 + x * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
writeFileSync(join(out, "icon-192.png"), png(192, 0));
writeFileSync(join(out, "icon-512.png"), png(512, 0));
writeFileSync(join(out, "icon-maskable-512.png"), png(512, 0.1));
