// Enrolment image decoding (issue 14, S1): JPEG/PNG to RGB, EXIF orientation, and the limits that turn bad uploads
// into clear errors (the server answers them with 4xx).
import { existsSync, readFileSync } from "node:fs";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { decodeImage, ImageDecodeError, MAX_IMAGE_BYTES } from "./decode-image";

/** w x h image, left half red, right half blue. */
function halves(w: number, h: number): Uint8Array {
  const rgba = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      rgba.set(x < w / 2 ? [255, 0, 0, 255] : [0, 0, 255, 255], i);
    }
  return rgba;
}

function encodeJpeg(w: number, h: number): Uint8Array {
  return new Uint8Array(jpeg.encode({ width: w, height: h, data: halves(w, h) }, 95).data);
}

/** Inserts an APP1 Exif block (TIFF in either byte order, one IFD entry: Orientation) right after SOI. */
function withOrientation(jpg: Uint8Array, orientation: number, little = false): Uint8Array {
  const tiff = little
    ? [0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, orientation, 0, 0, 0, 0, 0, 0, 0]
    : [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0];
  const payload = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  const len = payload.length + 2;
  return new Uint8Array([0xff, 0xd8, 0xff, 0xe1, len >> 8, len & 255, ...payload, ...jpg.subarray(2)]);
}

const expectReason = (fn: () => unknown, reason: string, message: RegExp) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ImageDecodeError);
    expect((error as ImageDecodeError).reason).toBe(reason);
    expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error("expected an ImageDecodeError");
};

const MESSI = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg";

describe("decodeImage", () => {
  it.skipIf(!existsSync(MESSI))("decodes a real JPEG photograph (opencv-doc messi5.jpg) to RGB", () => {
    const img = decodeImage(readFileSync(MESSI), "image/jpeg");
    expect([img.width, img.height]).toEqual([548, 342]);
    expect(img.data.length).toBe(548 * 342 * 3);
    // The green pitch at the bottom left: green dominates.
    const i = (330 * 548 + 20) * 3;
    expect(img.data[i + 1]!).toBeGreaterThan(img.data[i]!);
    expect(img.data[i + 1]!).toBeGreaterThan(img.data[i + 2]!);
  });

  it("decodes PNG with alpha composited over white", () => {
    const png = new PNG({ width: 4, height: 2 });
    png.data.set(halves(4, 2));
    png.data[3] = 0; // first pixel fully transparent
    const img = decodeImage(new Uint8Array(PNG.sync.write(png)), "image/png");
    expect([img.width, img.height]).toEqual([4, 2]);
    expect(Array.from(img.data.subarray(0, 6))).toEqual([255, 255, 255, 255, 0, 0]);
    expect(Array.from(img.data.subarray(9, 12))).toEqual([0, 0, 255]);
  });

  it("applies the EXIF orientation a phone writes (6 = rotate 90 clockwise to view)", () => {
    const plain = decodeImage(encodeJpeg(32, 16));
    expect([plain.width, plain.height]).toEqual([32, 16]);
    const rotated = decodeImage(withOrientation(encodeJpeg(32, 16), 6));
    expect([rotated.width, rotated.height]).toEqual([16, 32]);
    // The red left half of the sensor image is on top after turning it clockwise.
    const at = (x: number, y: number) => Array.from(rotated.data.subarray((y * 16 + x) * 3, (y * 16 + x) * 3 + 3));
    expect(at(8, 4)[0]!).toBeGreaterThan(200);
    expect(at(8, 28)[2]!).toBeGreaterThan(200);
    // Little-endian Exif (Android) too; 8 = rotate 90 counter-clockwise to view: red ends at the bottom.
    const ccw = decodeImage(withOrientation(encodeJpeg(32, 16), 8, true));
    expect([ccw.width, ccw.height]).toEqual([16, 32]);
    expect(ccw.data[(28 * 16 + 8) * 3]!).toBeGreaterThan(200);
    expect(ccw.data[(4 * 16 + 8) * 3 + 2]!).toBeGreaterThan(200);
    const flipped = decodeImage(withOrientation(encodeJpeg(32, 16), 3)); // 180: red goes right
    expect(flipped.data[(8 * 32 + 28) * 3]!).toBeGreaterThan(200);
  });

  it("rejects what is not a JPEG or PNG, whatever the MIME type says", () => {
    expectReason(
      () => decodeImage(new TextEncoder().encode("GIF89a........"), "image/gif"),
      "unsupported-format",
      /JPEG or PNG/,
    );
    expectReason(
      () => decodeImage(new TextEncoder().encode("<svg></svg>"), "image/jpeg"),
      "unsupported-format",
      /JPEG or PNG/,
    );
    expectReason(() => decodeImage(new Uint8Array(0)), "empty", /empty/);
  });

  it("rejects damaged files", () => {
    const jpg = encodeJpeg(64, 64);
    expectReason(() => decodeImage(jpg.subarray(0, 40)), "corrupt", /damaged/);
    const png = new Uint8Array(PNG.sync.write(Object.assign(new PNG({ width: 8, height: 8 }), {})));
    const broken = png.slice(0, png.length - 30);
    expectReason(() => decodeImage(broken), "corrupt", /damaged/);
  });

  it("rejects over 15 MB and over 25 megapixels before decoding", () => {
    const big = new Uint8Array(MAX_IMAGE_BYTES + 1);
    big.set([0xff, 0xd8, 0xff]);
    expectReason(() => decodeImage(big), "too-large", /at most 15 MB/);
    // A PNG header claiming 6000x6000 (36 MP): rejected from IHDR alone, nothing is inflated.
    const png = new Uint8Array(PNG.sync.write(new PNG({ width: 8, height: 8 })));
    const v = new DataView(png.buffer);
    v.setUint32(16, 6000);
    v.setUint32(20, 6000);
    expectReason(() => decodeImage(png), "too-many-pixels", /6000x6000 \(36\.0 megapixels\); at most 25/);
    // Same for a JPEG's SOF (height/width at offset 5/7 of the marker).
    const jpg = encodeJpeg(16, 16);
    for (let p = 2; p < jpg.length - 9; p++)
      if (jpg[p] === 0xff && jpg[p + 1] === 0xc0) {
        jpg.set([0x17, 0x70, 0x17, 0x70], p + 5); // 6000 x 6000
        break;
      }
    expectReason(() => decodeImage(jpg), "too-many-pixels", /6000x6000/);
  });
});
