// Detection models page (SPEC D1): an admin sees the built-in models and uploads a YOLO ONNX file in the browser; it
// appears in the list and in a camera's model choice. The file is a tiny YOLO-shaped model this test writes with the
// project's own ONNX writer (no weights are downloaded).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { OnnxGraphBuilder } from "../../scripts/models/onnx-writer";
import { signIn, uniqueName } from "./support/auth";

function tinyYolo(): string {
  const b = new OnnxGraphBuilder();
  b.addInput("images", [1, 3, 64, 64]);
  const table = b.addFloat("table", [1, 6, 1], new Float32Array([32, 32, 10, 10, 0.9, 0.1]));
  b.addNode("ReduceSum", ["images"], ["sum"], { keepdims: 0 });
  b.addNode("Mul", ["sum", b.addFloat("zero", [], [0])], ["zeroed"]);
  b.addNode("Add", [table, "zeroed"], ["output0"]);
  b.addOutput("output0", [1, 6, 1]);
  const file = path.join(mkdtempSync(path.join(tmpdir(), "argus-e2e-yolo-")), "tiny.onnx");
  writeFileSync(file, b.encode("tiny-yolo", ""));
  return file;
}

test("an admin uploads a YOLO model and it is listed with its checksum (D1)", async ({ page }) => {
  const id = uniqueName("yolo")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-");
  await signIn(page);
  await page.getByRole("link", { name: "Models", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Detection models" })).toBeVisible();
  // The built-in default, converted at setup.
  await expect(page.locator('[data-testid="model-row"][data-model-id="nanodet-m-416"]')).toContainText("default");

  await page.getByLabel("Model id").fill(id);
  await page.getByLabel("Version").fill("1");
  await page.getByLabel("Input size").fill("64");
  await page.getByLabel("Classes").fill("person, car");
  await page.getByLabel("ONNX file").setInputFiles(tinyYolo());
  await page.getByRole("button", { name: "Upload model" }).click();
  await expect(page.getByRole("status").filter({ hasText: "uploaded" })).toContainText(id);
  const row = page.locator(`[data-testid="model-row"][data-model-id="${id}"]`);
  await expect(row).toContainText("yolo");
  await expect(row).toContainText("64×64");

  // The same id and version again is refused with a clear message.
  await page.getByLabel("Model id").fill(id);
  await page.getByLabel("Version").fill("1");
  await page.getByLabel("Classes").fill("person, car");
  await page.getByLabel("ONNX file").setInputFiles(tinyYolo());
  await page.getByRole("button", { name: "Upload model" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
});
