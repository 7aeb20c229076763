// Draws extension/media/icon.png (128x128): a heartbeat line on a Go-blue
// rounded square. Plain Node (zlib), no image libraries. Run it again after
// changing the drawing; the PNG is committed.
import { Buffer } from "node:buffer";
import { deflateSync } from "node:zlib";
import { writeFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as path from "node:path";

const SIZE = 128;
const SAMPLES = 4; // supersampling per axis, for smooth edges
const BACKGROUND = [0x00, 0xad, 0xd8];
const LINE = [0xff, 0xff, 0xff];
const RADIUS = 26;
const HALF_WIDTH = 4.5;
const PULSE = [
  [12, 70],
  [42, 70],
  [52, 42],
  [66, 98],
  [79, 56],
  [88, 70],
  [116, 70],
];

function insideRoundedSquare(x, y) {
  const cx = Math.min(Math.max(x, RADIUS), SIZE - RADIUS);
  const cy = Math.min(Math.max(y, RADIUS), SIZE - RADIUS);
  return (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS ** 2;
}

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function onPulse(x, y) {
  for (let i = 1; i < PULSE.length; i++) {
    if (distanceToSegment(x, y, PULSE[i - 1], PULSE[i]) <= HALF_WIDTH) {
      return true;
    }
  }
  return false;
}

// RGBA rows, each prefixed with filter type 0.
const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  const row = y * (SIZE * 4 + 1);
  raw[row] = 0;
  for (let x = 0; x < SIZE; x++) {
    let inside = 0;
    let line = 0;
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const px = x + (sx + 0.5) / SAMPLES;
        const py = y + (sy + 0.5) / SAMPLES;
        if (insideRoundedSquare(px, py)) {
          inside++;
          if (onPulse(px, py)) {
            line++;
          }
        }
      }
    }
    const alpha = inside / (SAMPLES * SAMPLES);
    const mix = inside === 0 ? 0 : line / inside;
    const at = row + 1 + x * 4;
    for (let c = 0; c < 3; c++) {
      raw[at + c] = Math.round(BACKGROUND[c] * (1 - mix) + LINE[c] * mix);
    }
    raw[at + 3] = Math.round(alpha * 255);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) {
    c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // colour type: RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk("IHDR", header),
  chunk("IDAT", deflateSync(raw, { level: 9 })),
  chunk("IEND", Buffer.alloc(0)),
]);

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "media", "icon.png");
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
