/**
 * Draws the app icon, the tray icons and the favicon as PNGs, with nothing but Node (zlib for the PNG stream).
 * Deterministic: the same code always gives the same bytes, so a test can check the committed files are current.
 *
 *   npx tsx scripts/make-icons.ts        writes build/icon.png, build/tray/*.png, renderer/public/favicon.png
 */
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type TrayIconName = 'idle' | 'syncing' | 'attention' | 'error' | 'paused';
export const TRAY_ICON_NAMES: readonly TrayIconName[] = ['idle', 'syncing', 'attention', 'error', 'paused'];

type Rgb = readonly [number, number, number];
/** A shape: coverage 0..1 of a point in unit coordinates (0..1 on both axes, y down). */
type Shape = (x: number, y: number) => boolean;

// ---- PNG encoding ----

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** RGBA pixels (row-major, 4 bytes each) → PNG bytes. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- drawing: layers of (shape, colour), anti-aliased by 4×4 supersampling ----

interface Layer {
  shape: Shape;
  color: Rgb | ((x: number, y: number) => Rgb);
}

function render(size: number, layers: Layer[]): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const S = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const x = (px + (sx + 0.5) / S) / size;
          const y = (py + (sy + 0.5) / S) / size;
          // Topmost layer that covers the sample wins (opaque layers).
          for (let i = layers.length - 1; i >= 0; i--) {
            const l = layers[i]!;
            if (l.shape(x, y)) {
              const c = typeof l.color === 'function' ? l.color(x, y) : l.color;
              r += c[0];
              g += c[1];
              b += c[2];
              a += 1;
              break;
            }
          }
        }
      }
      const o = (py * size + px) * 4;
      if (a > 0) {
        out[o] = Math.round(r / a);
        out[o + 1] = Math.round(g / a);
        out[o + 2] = Math.round(b / a);
      }
      out[o + 3] = Math.round((a / (S * S)) * 255);
    }
  }
  return out;
}

const circle =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const rect =
  (x0: number, y0: number, x1: number, y1: number): Shape =>
  (x, y) =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1;
const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((s) => s(x, y));

function roundedSquare(inset: number, radius: number): Shape {
  const lo = inset;
  const hi = 1 - inset;
  return (x, y) => {
    if (x < lo || x > hi || y < lo || y > hi) return false;
    const cx = Math.min(Math.max(x, lo + radius), hi - radius);
    const cy = Math.min(Math.max(y, lo + radius), hi - radius);
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius;
  };
}

/** A ring segment from angle a0 to a1 (degrees, counter-clockwise, 0 = east, y up). */
function arc(cx: number, cy: number, r: number, width: number, a0: number, a1: number): Shape {
  return (x, y) => {
    const d = Math.hypot(x - cx, y - cy);
    if (Math.abs(d - r) > width / 2) return false;
    let t = (Math.atan2(-(y - cy), x - cx) * 180) / Math.PI;
    if (t < 0) t += 360;
    const span = (a1 - a0 + 360) % 360;
    return (t - a0 + 360) % 360 <= span;
  };
}

/** The sync mark: two arcs with a dot at each leading end, rotated by `turn` degrees. */
function syncMark(cx: number, cy: number, r: number, width: number, turn = 0): Shape {
  const end = (deg: number) => {
    const rad = (deg * Math.PI) / 180;
    return circle(cx + r * Math.cos(rad), cy - r * Math.sin(rad), width * 0.8);
  };
  return union(
    arc(cx, cy, r, width, 35 + turn, 165 + turn),
    arc(cx, cy, r, width, 215 + turn, 345 + turn),
    end(35 + turn),
    end(215 + turn),
  );
}

const WHITE: Rgb = [255, 255, 255];
const BLUE_TOP: Rgb = [52, 112, 228];
const BLUE_BOTTOM: Rgb = [26, 66, 160];
const mix = (a: Rgb, b: Rgb, t: number): Rgb =>
  [0, 1, 2].map((i) => Math.round(a[i]! + (b[i]! - a[i]!) * t)) as unknown as Rgb;

export function appIcon(size: number): Buffer {
  const layers: Layer[] = [
    { shape: roundedSquare(0.06, 0.2), color: (_x, y) => mix(BLUE_TOP, BLUE_BOTTOM, y) },
    { shape: syncMark(0.5, 0.5, 0.24, 0.085), color: WHITE },
  ];
  return encodePng(size, size, render(size, layers));
}

const TRAY_COLOR: Record<TrayIconName, Rgb> = {
  idle: [36, 87, 197],
  syncing: [18, 132, 199],
  attention: [214, 146, 0],
  error: [198, 40, 40],
  paused: [98, 110, 124],
};

function trayGlyph(name: TrayIconName): Shape {
  switch (name) {
    case 'idle':
      return syncMark(0.5, 0.5, 0.26, 0.12);
    case 'syncing':
      return syncMark(0.5, 0.5, 0.26, 0.12, 45);
    case 'attention':
      return union(rect(0.43, 0.2, 0.57, 0.58), circle(0.5, 0.74, 0.08));
    case 'error': {
      const w = 0.075;
      const bar =
        (s: number): Shape =>
        (x, y) =>
          Math.abs(x - 0.5 - s * (y - 0.5)) / Math.SQRT2 <= w && Math.abs(y - 0.5) <= 0.22;
      return union(bar(1), bar(-1));
    }
    case 'paused':
      return union(rect(0.33, 0.27, 0.45, 0.73), rect(0.55, 0.27, 0.67, 0.73));
  }
}

export function trayIcon(name: TrayIconName, size: number): Buffer {
  return encodePng(
    size,
    size,
    render(size, [
      { shape: circle(0.5, 0.5, 0.47), color: TRAY_COLOR[name] },
      { shape: trayGlyph(name), color: WHITE },
    ]),
  );
}

/** Every icon file, relative to the repository root. */
export function allIcons(): Record<string, Buffer> {
  const files: Record<string, Buffer> = {
    'build/icon.png': appIcon(512),
    'renderer/public/favicon.png': appIcon(32),
  };
  for (const name of TRAY_ICON_NAMES) {
    files[`build/tray/tray-${name}.png`] = trayIcon(name, 16);
    files[`build/tray/tray-${name}@2x.png`] = trayIcon(name, 32);
  }
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  for (const [rel, bytes] of Object.entries(allIcons())) {
    const file = join(root, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, bytes);
    console.log(`wrote ${rel} (${bytes.length} bytes)`);
  }
}
