// Browser side of enrolment (issue 14, S1): each image goes in its own request to the API (the server limits a
// request to 2 MiB); a photo above that is scaled down in the browser first (a phone photo is often 3-5 MB).
// The camera capture produces a JPEG through the same path. Nothing is kept in the browser.

export const UPLOAD_LIMIT_BYTES = 1_900_000;
const MAX_SIDE = 1600;

export interface UploadResult {
  name: string;
  ok: boolean;
  message: string;
}

/** A JPEG of the image scaled so its longer side is at most MAX_SIDE (only when the file is too large). */
async function fitForUpload(file: Blob): Promise<Blob> {
  if (file.size <= UPLOAD_LIMIT_BYTES) return file;
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d")!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return canvasToJpeg(canvas);
}

export function canvasToJpeg(canvas: HTMLCanvasElement, quality = 0.92): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error("The image could not be encoded"))),
      "image/jpeg",
      quality,
    ),
  );
}

export async function uploadImage(personId: string, file: Blob, name: string): Promise<UploadResult> {
  try {
    const body = new FormData();
    body.append("images", await fitForUpload(file), name);
    const res = await fetch(`/api/v1/staff/${personId}/images`, { method: "POST", body });
    const json = (await res.json().catch(() => null)) as {
      images?: Array<{ quality: { sizePx: number } }>;
      message?: string;
    } | null;
    if (res.ok) return { name, ok: true, message: `face of ${json?.images?.[0]?.quality.sizePx ?? "?"} px` };
    return { name, ok: false, message: json?.message ?? `refused (HTTP ${res.status})` };
  } catch (error) {
    return { name, ok: false, message: error instanceof Error ? error.message : "upload failed" };
  }
}
