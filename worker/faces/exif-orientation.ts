// EXIF orientation of JPEGs (issue 14, S1 enrolment uploads): phones store the sensor's pixels and a rotation tag,
// so a portrait photo decodes sideways unless the tag is applied. Only the Orientation tag (0x0112) of the APP1
// Exif block is read; everything else in the metadata is ignored (and never stored).
import type { RgbImage } from "./types";

/** The EXIF orientation (1..8) of a JPEG, 1 when absent or unreadable. */
export function jpegOrientation(bytes: Uint8Array): number {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return 1;
  let p = 2;
  while (p + 4 <= bytes.length) {
    if (bytes[p] !== 0xff) return 1;
    const marker = bytes[p + 1]!;
    if (marker === 0xda || marker === 0xd9) return 1; // start of scan: no metadata after this
    const len = (bytes[p + 2]! << 8) | bytes[p + 3]!;
    if (len < 2) return 1;
    if (marker === 0xe1 && len >= 16) {
      const o = readExifOrientation(bytes, p + 4, Math.min(bytes.length, p + 2 + len));
      if (o) return o;
    }
    p += 2 + len;
  }
  return 1;
}

function readExifOrientation(b: Uint8Array, start: number, end: number): number | null {
  // "Exif\0\0" then a TIFF header: byte order, 42, offset of IFD0.
  if (String.fromCharCode(b[start]!, b[start + 1]!, b[start + 2]!, b[start + 3]!) !== "Exif") return null;
  const t = start + 6;
  const little = b[t] === 0x49 && b[t + 1] === 0x49;
  const u16 = (o: number) => (o + 2 > end ? 0 : little ? b[o]! | (b[o + 1]! << 8) : (b[o]! << 8) | b[o + 1]!);
  const u32 = (o: number) => (little ? u16(o) + u16(o + 2) * 65536 : u16(o) * 65536 + u16(o + 2));
  const ifd = t + u32(t + 4);
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > end) return null;
    if (u16(e) === 0x0112) {
      const v = u16(e + 8);
      return v >= 1 && v <= 8 ? v : null;
    }
  }
  return null;
}

/** Applies an EXIF orientation so the image is upright (1 = unchanged). */
export function applyOrientation(img: RgbImage, orientation: number): RgbImage {
  if (orientation <= 1 || orientation > 8) return img;
  const { width: w, height: h, data } = img;
  const swap = orientation >= 5;
  const ow = swap ? h : w;
  const oh = swap ? w : h;
  const out = new Uint8Array(ow * oh * 3);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      // Source pixel for output (x, y), per the EXIF definitions of the eight orientations.
      let sx: number;
      let sy: number;
      switch (orientation) {
        case 2:
          sx = w - 1 - x;
          sy = y;
          break; // mirrored
        case 3:
          sx = w - 1 - x;
          sy = h - 1 - y;
          break; // 180
        case 4:
          sx = x;
          sy = h - 1 - y;
          break; // flipped vertically
        case 5:
          sx = y;
          sy = x;
          break; // transposed
        case 6:
          sx = y;
          sy = h - 1 - x;
          break; // rotate 90 clockwise to view
        case 7:
          sx = w - 1 - y;
          sy = h - 1 - x;
          break; // transverse
        default:
          sx = w - 1 - y;
          sy = x;
          break; // 8: rotate 90 counter-clockwise to view
      }
      const s = (sy * w + sx) * 3;
      const d = (y * ow + x) * 3;
      out[d] = data[s]!;
      out[d + 1] = data[s + 1]!;
      out[d + 2] = data[s + 2]!;
    }
  }
  return { width: ow, height: oh, data: out };
}
