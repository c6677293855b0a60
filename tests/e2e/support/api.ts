// Test setup through the REST API, using the page's session cookie: faster than clicking through
// forms for things a test only needs to exist.
import { expect, type Page } from "@playwright/test";

type Role = "admin" | "operator" | "viewer";

export async function apiJson<T = Record<string, unknown>>(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
  tenantId?: string,
): Promise<T> {
  const response = await page.request.fetch(path, {
    method,
    data: body,
    headers: tenantId ? { "X-Argus-Tenant": tenantId } : undefined,
  });
  expect(response.ok(), `${method} ${path} -> ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

export async function createTenant(page: Page, name: string): Promise<{ id: string; name: string }> {
  const { tenant } = await apiJson<{ tenant: { id: string; name: string } }>(page, "POST", "/api/v1/tenants", { name });
  return tenant;
}

export async function defaultTenantId(page: Page): Promise<string> {
  const me = await apiJson<{ tenants: Array<{ id: string; slug: string }> }>(page, "GET", "/api/v1/me");
  const tenant = me.tenants.find((t) => t.slug === "default");
  if (!tenant) throw new Error("the bootstrap admin has no default tenant");
  return tenant.id;
}

export async function addMember(
  page: Page,
  tenantId: string,
  member: { email: string; name: string; password: string; role: Role },
): Promise<void> {
  await apiJson(page, "POST", "/api/v1/members", member, tenantId);
}
