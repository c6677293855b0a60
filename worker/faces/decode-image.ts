// Decodes an uploaded enrolment image (issue 14, S1) to the RgbImage the face analyzer takes: JPEG (jpeg-js, with
// the EXIF orientation phones write applied) and PNG (pngjs, alpha composited over white). Pure JS, in memory:
// the bytes never touch the disk here (C6). Limits are checked from the header BEFORE decoding, so a hostile
// 60000x60000 header costs nothing; every failure is an ImageDecodeError whose message the server returns as 4xx.
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { applyOrientation, jpegOrientation } from "./exif-orientation";
import type { RgbImage } from "./types";

export const MAX_IMAGE_BYTES = 15 * 1024 * 1024;
export const MAX_IMAGE_MEGAPIXELS = 25;

export type ImageDecodeReason = "too-large" | "too-many-pixels" | "unsupported-format" | "corrupt" | "empty";

/** A bad upload: `reason` for programs, `message` for people (safe to show; no internals). */
export class ImageDecodeError extends Error {
  constructor(
    readonly reason: ImageDecodeReason,
    message: string,
  ) {
    super(message);
    this.name = "ImageDecodeError";
  }
}

export type ImageFormat = "jpeg" | "png";

/** The format from the magic bytes (the client's MIME type is only a hint and is not trusted). */
export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((v, i) => bytes[i] === v)) return "png";
  return null;
}

/** Width and height from the header without decoding (JPEG: the first SOF marker; PNG: IHDR). */
export function imageDimensions(bytes: Uint8Array, format: ImageFormat): { width: number; height: number } | null {
  if (format === "png") {
    if (bytes.length < 24) return null;
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { width: v.getUint32(16), height: v.getUint32(20) };
  }
  let p = 2;
  while (p + 9 < bytes.length) {
    if (bytes[p] !== 0xff) return null;
    const m = bytes[p + 1]!;
    if (m === 0xff) {
      p++; // fill byte
      continue;
    }
    const len = (bytes[p + 2]! << 8) | bytes[p + 3]!;
    // SOF0..SOF15 except DHT (c4), JPG (c8) and DAC (cc).
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      return { height: (bytes[p + 5]! << 8) | bytes[p + 6]!, width: (bytes[p + 7]! << 8) | bytes[p + 8]! };
    }
    if (m === 0xda || len < 2) return null;
    p += 2 + len;
  }
  return null;
}

const MIME: Record<string, ImageFormat> = { "image/jpeg": "jpeg", "image/jpg": "jpeg", "image/png": "png" };

/** Decodes JPEG or PNG bytes to RGB. Throws ImageDecodeError (too large, unsupported, corrupt). */
export function decodeImage(bytes: Uint8Array, mime?: string): RgbImage {
  if (bytes.length === 0) throw new ImageDecodeError("empty", "the image is empty");
  if (bytes.length > MAX_IMAGE_BYTES)
    throw new ImageDecodeError(
      "too-large",
      `the image is ${(bytes.length / 1e6).toFixed(1)} MB; at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB is accepted`,
    );
  const format = sniffFormat(bytes);
  if (!format) {
    const hint = mime && !MIME[mime.toLowerCase()] ? ` (${mime})` : "";
    throw new ImageDecodeError("unsupported-format", `unsupported image format${hint}: upload a JPEG or PNG`);
  }
  const dims = imageDimensions(bytes, format);
  if (!dims || dims.width === 0 || dims.height === 0)
    throw new ImageDecodeError("corrupt", `the ${format.toUpperCase()} file is damaged (no readable image size)`);
  const mp = (dims.width * dims.height) / 1e6;
  if (mp > MAX_IMAGE_MEGAPIXELS)
    throw new ImageDecodeError(
      "too-many-pixels",
      `the image is ${dims.width}x${dims.height} (${mp.toFixed(1)} megapixels); at most ${MAX_IMAGE_MEGAPIXELS} megapixels is accepted`,
    );
  try {
    return format === "jpeg" ? decodeJpeg(bytes) : decodePng(bytes);
  } catch (error) {
    if (error instanceof ImageDecodeError) throw error;
    throw new ImageDecodeError("corrupt", `the ${format.toUpperCase()} file is damaged and cannot be decoded`);
  }
}

function decodeJpeg(bytes: Uint8Array): RgbImage {
  const decoded = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: false,
    maxResolutionInMP: MAX_IMAGE_MEGAPIXELS,
    maxMemoryUsageInMB: 1024,
  });
  if (decoded.data.length !== decoded.width * decoded.height * 3) throw new Error("unexpected JPEG channel count");
  const image: RgbImage = { width: decoded.width, height: decoded.height, data: decoded.data };
  return applyOrientation(image, jpegOrientation(bytes));
}

function decodePng(bytes: Uint8Array): RgbImage {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const { width, height, data } = png; // RGBA whatever the source's colour type
  const out = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < width * height; i++, j += 4) {
    const a = data[j + 3]!;
    // Transparent pixels become white (a cut-out portrait on white, not on black).
    out[i * 3] = (data[j]! * a + 255 * (255 - a) + 127) / 255;
    out[i * 3 + 1] = (data[j + 1]! * a + 255 * (255 - a) + 127) / 255;
    out[i * 3 + 2] = (data[j + 2]! * a + 255 * (255 - a) + 127) / 255;
  }
  return { width, height, data: out };
}
