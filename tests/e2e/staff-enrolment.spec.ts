// Staff enrolment in the browser (issue 14, S1): a photo taken with the browser's camera (Chromium's fake camera
// streams a real opencv-doc portrait) goes through getUserMedia -> canvas -> JPEG -> the upload API and is enrolled
// with its face-found badge; a refused file shows its reason; an image and a person are deleted after confirmation;
// the directory (de)activates. The faces spec (faces.spec.ts) covers file upload, the switch, live view and viewers.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from "../../playwright.config";
import { apiJson } from "./support/api";
import { signIn, uniqueName } from "./support/auth";
import { fakeCameraArgs } from "./support/fake-camera";

const PORTRAIT = "/usr/share/doc/opencv-doc/opencv4/html/face_swapped.jpg";
const NO_FACE = "/usr/share/doc/opencv-doc/examples/data/fruits.jpg";
const CLIP = path.resolve(import.meta.dirname, "../.tmp/staff-portrait-640x480.y4m");

/** 3 s of the portrait, padded to 640x480 (no stretching), as Chromium's fake webcam. */
function portraitClip(): string {
  if (existsSync(CLIP) && statSync(CLIP).size > 1_000_000) return CLIP;
  mkdirSync(path.dirname(CLIP), { recursive: true });
  execFileSync("ffmpeg", [
    "-y",
    "-loglevel",
    "error",
    "-loop",
    "1",
    "-i",
    PORTRAIT,
    "-t",
    "3",
    "-vf",
    "scale=-2:400,pad=640:480:(ow-iw)/2:(oh-ih)/2:color=gray,fps=10",
    "-pix_fmt",
    "yuv420p",
    CLIP,
  ]);
  return CLIP;
}

test.use({
  launchOptions: { executablePath: CHROMIUM_EXECUTABLE, args: [...CHROMIUM_ARGS, ...fakeCameraArgs(portraitClip())] },
});

test("enrol from the browser's camera, see the refusal of a photo without a face, delete the image and the person", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page);
  const name = uniqueName("Camera Person");
  const { person } = await apiJson<{ person: { id: string } }>(page, "POST", "/api/v1/staff", { name });
  await page.goto(`/staff/${person.id}`);
  await expect(page.getByRole("heading", { name: "0 enrolled images" })).toBeVisible();

  await page.getByRole("button", { name: "Use the camera" }).click();
  await expect(page.getByLabel("Camera preview")).toBeVisible();
  await page.getByRole("button", { name: "Capture photo" }).click();
  await expect(page.getByText(/camera\.jpg: enrolled, face of \d+ px/)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("heading", { name: "1 enrolled image" })).toBeVisible();
  await expect(page.getByText("Face found")).toBeVisible();
  await expect(page.getByRole("img", { name: `Enrolment image 1 of ${name}` })).toBeVisible();
  await page.getByRole("button", { name: "Stop camera" }).click();

  await page.getByLabel("Face images").setInputFiles(NO_FACE);
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByText(/fruits\.jpg: No face found in this image/)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("heading", { name: "1 enrolled image" })).toBeVisible();

  await page.getByRole("button", { name: "Delete image" }).click();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page.getByRole("heading", { name: "0 enrolled images" })).toBeVisible();

  await page.goto("/staff");
  const row = page.getByRole("row").filter({ hasText: name });
  await row.getByRole("button", { name: `Deactivate ${name}` }).click();
  await expect(row.getByText("Inactive")).toBeVisible();
  await row.getByRole("button", { name: "Delete" }).click();
  await row.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page.getByText(/Person deleted with 0 image\(s\) and 0 recognition event\(s\)/)).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: name })).toHaveCount(0);
});
