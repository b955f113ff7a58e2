import type QRCodeModule from 'qrcode';

/** A QR code as dark runs of modules, drawn the same way as SVG (print page) and as PDF rectangles. */
export interface Qr {
  url: string;
  /** Modules per side, without the quiet zone. */
  size: number;
  /** Horizontal runs of dark modules: row, first column, length. */
  runs: { row: number; col: number; length: number }[];
}

/** Modules of white kept around the code, as the standard asks for scanners to find it. */
export const QUIET_ZONE = 4;

// Loaded with the first printed page, not at start (a server that never prints does not need it).
let qrcode: typeof QRCodeModule | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when first needed, typed above
const loadQrcode = () => (qrcode ??= require('qrcode') as typeof QRCodeModule);

export function qrFor(url: string): Qr {
  const { modules } = loadQrcode().create(url, { errorCorrectionLevel: 'M' });
  const runs: Qr['runs'] = [];
  for (let row = 0; row < modules.size; row++) {
    let start = -1;
    for (let col = 0; col <= modules.size; col++) {
      const dark = col < modules.size && modules.get(row, col) === 1;
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        runs.push({ row, col: start, length: col - start });
        start = -1;
      }
    }
  }
  return { url, size: modules.size, runs };
}

/** The code as one SVG path in a viewBox that includes the quiet zone. */
export function qrSvg(qr: Qr, label: string): string {
  const side = qr.size + 2 * QUIET_ZONE;
  const path = qr.runs.map((r) => `M${r.col + QUIET_ZONE} ${r.row + QUIET_ZONE}h${r.length}v1h-${r.length}z`).join('');
  return `<svg class="pr-qr__code" viewBox="0 0 ${side} ${side}" role="img" aria-label="${escapeAttr(label)}" shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg"><rect width="${side}" height="${side}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
}

const escapeAttr = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
