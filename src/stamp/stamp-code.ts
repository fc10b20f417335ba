// The frame stamp of the test video (docs/test-video.md): a band across the top of the picture, an
// eighth of its height, cut into 20 cells, each black (0) or white (1): the frame number's 16
// bits, most significant first, then 4 check bits. Cells this large survive x264 at 300 kbit/s
// and a scale to 320x240; the check tells a stamp from a picture that has none (an all-black or
// all-white band fails it). Numbers wrap at 65536 frames (36 min at 30 fps). Pure.
export const DATA_BITS = 16;
export const CHECK_BITS = 4;
export const CELLS = DATA_BITS + CHECK_BITS;
/** The band's height, as a fraction of the picture's. */
export const BAND_FRACTION = 1 / 8;
const CHECK_OFFSET = 5;
const LUMA_THRESHOLD = 128;

/** (sum of the number's four nibbles + 5) mod 16. */
export function checkOf(number: number): number {
  let sum = CHECK_OFFSET;
  for (let shift = 0; shift < DATA_BITS; shift += 4) sum += (number >> shift) & 0xf;
  return sum % 16;
}

/** The 20 cells of frame `frame`, left to right: 1 white, 0 black. */
export function stampCells(frame: number): number[] {
  const number = frame % 2 ** DATA_BITS;
  const check = checkOf(number);
  return [
    ...Array.from({ length: DATA_BITS }, (_, i) => (number >> (DATA_BITS - 1 - i)) & 1),
    ...Array.from({ length: CHECK_BITS }, (_, i) => (check >> (CHECK_BITS - 1 - i)) & 1),
  ];
}

export interface CellBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Cell `index` of a `width`x`height` picture, in whole pixels (the last cell takes the remainder). */
export function cellBox(index: number, width: number, height: number): CellBox {
  const x = Math.floor((index * width) / CELLS);
  const next = Math.floor(((index + 1) * width) / CELLS);
  return { x, y: 0, width: next - x, height: Math.floor(height * BAND_FRACTION) };
}

/**
 * The frame number stamped on a decoded picture (8-bit luma, `width`x`height`, rows of `stride`
 * bytes), or undefined when the band does not hold a valid stamp. Each cell is read as the mean
 * of its middle half, away from the ringing at its edges.
 */
export function readStamp(luma: Uint8Array, width: number, height: number, stride = width): number | undefined {
  let number = 0;
  let check = 0;
  for (let cell = 0; cell < CELLS; cell += 1) {
    const box = cellBox(cell, width, height);
    const x0 = box.x + Math.floor(box.width / 4);
    const x1 = box.x + Math.ceil((box.width * 3) / 4);
    const y0 = Math.floor(box.height / 4);
    const y1 = Math.ceil((box.height * 3) / 4);
    let sum = 0;
    for (let y = y0; y < y1; y += 1) for (let x = x0; x < x1; x += 1) sum += luma[y * stride + x]!;
    const bit = sum / ((x1 - x0) * (y1 - y0)) >= LUMA_THRESHOLD ? 1 : 0;
    if (cell < DATA_BITS) number = (number << 1) | bit;
    else check = (check << 1) | bit;
  }
  return check === checkOf(number) ? number : undefined;
}
