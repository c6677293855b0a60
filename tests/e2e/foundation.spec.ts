// The "Foundation" issue's browser flows (U1 sessions and roles, U2 tenants). All tests share one
// server and database, so every name is unique and each test creates what it needs.
import { expect, test, type Page } from "@playwright/test";
import { addMember, apiJson, createTenant, defaultTenantId } from "./support/api";
import { E2E_ADMIN, signIn, signOut, uniqueName } from "./support/auth";

const PASSWORD = "e2e-member-password-1";

function overviewHeading(page: Page, name: string) {
  return page.getByRole("heading", { level: 1, name });
}

test("admin creates a tenant and adds a member who then sees only that tenant (U1, U2)", async ({ page }) => {
  const tenantName = uniqueName("Foundation");
  const member = { email: `${uniqueName("member").replace(" ", "-")}@e2e.argus.test`, name: "Tenant Member" };

  await signIn(page);
  await page.getByRole("link", { name: "Tenants", exact: true }).click();
  await page.getByLabel("Name").fill(tenantName);
  await page.getByRole("button", { name: "Create tenant" }).click();
  await expect(page.getByRole("status")).toContainText(`Tenant "${tenantName}" created`);
  await expect(page.getByRole("row").filter({ hasText: tenantName })).toContainText("1");

  await page
    .getByRole("region", { name: "New tenant" })
    .getByRole("button", { name: `Switch to ${tenantName}` })
    .click();
  await expect(overviewHeading(page, tenantName)).toBeVisible();

  await page.getByRole("link", { name: "Members", exact: true }).click();
  await page.getByLabel("Email").fill(member.email);
  await page.getByLabel("Name").fill(member.name);
  await page.getByLabel("Initial password").fill(PASSWORD);
  await page.getByLabel("Role", { exact: true }).selectOption("operator");
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByRole("status")).toContainText(`Added ${member.email} as operator`);
  await expect(
    page.getByRole("row").filter({ hasText: member.email }).getByLabel(`Role of ${member.email}`, { exact: true }),
  ).toHaveValue("operator");
  await signOut(page);

  await signIn(page, member.email, PASSWORD);
  await expect(overviewHeading(page, tenantName)).toBeVisible();
  await expect(page.getByTestId("tenant-name").first()).toHaveText(tenantName);
  await expect(page.getByLabel("Tenant", { exact: true })).toHaveCount(0);
  await expect(page.getByRole("option", { name: "Default" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Tenants", exact: true })).toHaveCount(0);
  // The API agrees: this session can act in exactly one tenant.
  const me = await apiJson<{ tenants: Array<{ name: string; role: string }> }>(page, "GET", "/api/v1/me");
  expect(me.tenants).toEqual([expect.objectContaining({ name: tenantName, role: "operator" })]);
  await signOut(page);
});

test("admin switches tenants with the switcher and the overview follows (U2)", async ({ page }) => {
  await signIn(page);
  const other = await createTenant(page, uniqueName("Switch target"));
  await page.goto("/");
  const switcher = page.getByLabel("Tenant", { exact: true }).first();
  const before = (await switcher.locator("option:checked").textContent()) ?? "";
  expect(before).not.toBe(other.name);
  await expect(overviewHeading(page, before)).toBeVisible();

  await switcher.selectOption({ label: other.name });
  await expect(overviewHeading(page, other.name)).toBeVisible();
  await expect(page.getByLabel("Tenant", { exact: true }).first()).toHaveValue(other.id);

  // And back, so the switch is not a one-way fluke.
  await page.getByLabel("Tenant", { exact: true }).first().selectOption({ label: before });
  await expect(overviewHeading(page, before)).toBeVisible();
});

test("a wrong password is refused with an error (U1)", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Wrong email or password");
  await expect(page).toHaveURL(/\/login/);
});

test("an anonymous visit to a page redirects to login and back (U1)", async ({ page }) => {
  await page.goto("/sites");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fsites$/);
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/sites$/);
  await expect(page.getByRole("heading", { level: 1, name: "Sites" })).toBeVisible();
});

test("an API call without a session gets 401 JSON (U1)", async ({ page }) => {
  const response = await page.request.get("/api/v1/me");
  expect(response.status()).toBe(401);
  expect(response.headers()["content-type"]).toContain("application/json");
  expect(await response.json()).toMatchObject({ error: "unauthorized" });
});

test("a viewer sees no Members link and gets 403 on the page (U1)", async ({ page }) => {
  const viewer = {
    email: `${uniqueName("viewer").replace(" ", "-")}@e2e.argus.test`,
    name: "Read Only",
    password: PASSWORD,
    role: "viewer" as const,
  };
  await signIn(page);
  await addMember(page, await defaultTenantId(page), viewer);
  await signOut(page);

  await signIn(page, viewer.email, viewer.password);
  await expect(page.getByRole("link", { name: "Sites", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Members", exact: true })).toHaveCount(0);
  const response = await page.goto("/members");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  // Viewers read sites but get no create form.
  await page.goto("/sites");
  await expect(page.getByRole("button", { name: "Add site" })).toHaveCount(0);
});

test("sites: create, rename and delete through the page (U2)", async ({ page }) => {
  const name = uniqueName("Depot");
  await signIn(page);
  await page.goto("/sites");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Time zone").selectOption("Europe/Berlin");
  await page.getByRole("button", { name: "Add site" }).click();
  await expect(page.getByRole("status")).toContainText(`Site "${name}" created`);
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Europe/Berlin");
  await expect(page.getByLabel("Name")).toHaveValue("");

  // A duplicate name is refused inline, not with an error page.
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Add site" }).click();
  await expect(page.getByRole("alert")).toContainText("already exists");

  await row.getByRole("button", { name: `Edit ${name}` }).click();
  const editForm = page.getByRole("form", { name: `Edit site ${name}` });
  await editForm.getByLabel("Name").fill(`${name} North`);
  await editForm.getByRole("button", { name: "Save" }).click();
  const renamed = page.getByRole("row").filter({ hasText: `${name} North` });
  await expect(renamed).toContainText("Europe/Berlin");

  await renamed.getByRole("button", { name: "Delete" }).click();
  await renamed.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("status")).toContainText("Site deleted");
  await expect(page.getByRole("row").filter({ hasText: name })).toHaveCount(0);
});

test("changing the password keeps this browser signed in and ends the other sessions (U1)", async ({
  page,
  browser,
}) => {
  const user = {
    email: `${uniqueName("pw").replace(" ", "-")}@e2e.argus.test`,
    name: "Password Changer",
    password: PASSWORD,
    role: "viewer" as const,
  };
  await signIn(page);
  await addMember(page, await defaultTenantId(page), user);
  await signOut(page);

  const elsewhere = await browser.newContext();
  const otherPage = await elsewhere.newPage();
  await signIn(otherPage, user.email, user.password);
  await signIn(page, user.email, user.password);

  await page.goto("/account");
  await expect(page.getByTestId("current-session")).toContainText("this device");
  await expect(page.getByTestId("session")).toHaveCount(1);
  await page.getByLabel("Current password").fill(user.password);
  await page.getByLabel("New password", { exact: true }).fill("a-brand-new-password-2");
  await page.getByLabel("Confirm new password").fill("a-different-password-3");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("The passwords do not match")).toBeVisible();

  await page.getByLabel("Confirm new password").fill("a-brand-new-password-2");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toContainText("Password changed");
  await expect(page.getByTestId("current-session")).toBeVisible();
  await expect(page.getByTestId("session")).toHaveCount(0);

  await otherPage.goto("/sites");
  await expect(otherPage).toHaveURL(/\/login\?redirectTo=/);
  await elsewhere.close();
});

test("the REST API answers JSON with clear status codes (U2, U4)", async ({ page }) => {
  await signIn(page);
  const me = await apiJson<{ user: { email: string }; activeTenantId: string }>(page, "GET", "/api/v1/me");
  expect(me.user.email).toBe(E2E_ADMIN.email);

  const { site } = await apiJson<{ site: { id: string; name: string; timezone: string } }>(
    page,
    "POST",
    "/api/v1/sites",
    { name: uniqueName("API site"), timezone: "Asia/Tokyo" },
  );
  const patched = await apiJson<{ site: { name: string; timezone: string } }>(
    page,
    "PATCH",
    `/api/v1/sites/${site.id}`,
    { name: `${site.name} 2` },
  );
  expect(patched.site).toEqual(expect.objectContaining({ name: `${site.name} 2`, timezone: "Asia/Tokyo" }));

  const badId = await page.request.get("/api/v1/sites/not-a-uuid");
  expect(badId.status()).toBe(400);
  const badBody = await page.request.post("/api/v1/sites", { data: { name: "" } });
  expect(badBody.status()).toBe(400);
  expect((await badBody.json()).details).toEqual(expect.arrayContaining([expect.objectContaining({ path: "name" })]));
  const unknown = await page.request.get("/api/v1/does-not-exist");
  expect(unknown.status()).toBe(404);
  expect(await unknown.json()).toMatchObject({ error: "not_found" });
  const wrongMethod = await page.request.put("/api/v1/sites", { data: {} });
  expect(wrongMethod.status()).toBe(405);

  expect((await page.request.delete(`/api/v1/sites/${site.id}`)).status()).toBe(204);
  expect((await page.request.get(`/api/v1/sites/${site.id}`)).status()).toBe(404);
});
