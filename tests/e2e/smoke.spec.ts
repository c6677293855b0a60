import { expect, test } from "@playwright/test";
import { signIn } from "./support/auth";

test("bootstrap admin signs in and sees the overview (U1)", async ({ page }) => {
  await signIn(page);
  await expect(page.getByRole("heading", { name: "Default" })).toBeVisible();
});
