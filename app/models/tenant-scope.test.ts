// U2: data never crosses tenants. Proven against a real embedded TimescaleDB through the
// data-access layer (the same functions routes call), not against mocks.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle, type Db } from "../../db/client";
import { memberships, sites, tenants } from "../../db/schema";
import { HttpError } from "../utils/errors.server";
import { scopeFor, type TenantScope } from "./scope.server";
import { createSite, deleteSite, getSite, listSites, updateSite } from "./sites.server";
import { createTenant } from "./tenants.server";
import { addMember, changeMemberRole, createUser, listMembers, removeMember } from "./users.server";

const PASSWORD = "tenant-scope-password";

let dataDir: string;
let handle: DatabaseHandle;
let db: Db;
let tenantA: string;
let tenantB: string;
let adminA: string; // tenant admin of A only
let adminB: string; // tenant admin of B only
let viewerB: string;
let siteOfB: string;
let scopeA: TenantScope;

async function expectStatus(promise: Promise<unknown>, status: number): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected HTTP ${status}, but it succeeded`).toBeInstanceOf(HttpError);
  expect((error as HttpError).status).toBe(status);
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "argus-scope-"));
  handle = await openDatabase({ dataDir });
  await handle.migrate();
  db = handle.db;
  const root = await createUser(db, {
    email: "root@argus.test",
    name: "Root",
    password: PASSWORD,
    isPlatformAdmin: true,
  });
  tenantA = (await createTenant(db, root, { name: "Tenant A" }, { defaultSiteName: "A main" })).id;
  tenantB = (await createTenant(db, root, { name: "Tenant B" }, { defaultSiteName: "B main" })).id;
  const rootA = await scopeFor(db, root.id, tenantA);
  const rootB = await scopeFor(db, root.id, tenantB);
  adminA = (await addMember(rootA, { email: "alice@a.test", name: "Alice", password: PASSWORD, role: "admin" })).member
    .userId;
  adminB = (await addMember(rootB, { email: "bob@b.test", name: "Bob", password: PASSWORD, role: "admin" })).member
    .userId;
  viewerB = (await addMember(rootB, { email: "vera@b.test", name: "Vera", password: PASSWORD, role: "viewer" })).member
    .userId;
  // Leave the platform admin out of A so A's only admin is Alice (last-admin checks below).
  await removeMember(await scopeFor(db, adminA, tenantA), root.id);
  const [b] = await db.select().from(sites).where(eq(sites.tenantId, tenantB));
  siteOfB = b.id;
  scopeA = await scopeFor(db, adminA, tenantA);
}, 60_000);

afterAll(async () => {
  await handle?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("U2 tenant isolation in the data-access layer", () => {
  it("U2: scopeFor refuses a tenant the user is not a member of (403)", async () => {
    await expectStatus(scopeFor(db, adminA, tenantB), 403);
    await expectStatus(scopeFor(db, adminB, tenantA), 403);
    await expectStatus(scopeFor(db, adminA, "00000000-0000-0000-0000-000000000000"), 403);
    expect((await scopeFor(db, adminA, tenantA)).role).toBe("admin");
  });

  it("U2: listSites with A's scope never returns B's sites", async () => {
    await createSite(await scopeFor(db, adminB, tenantB), { name: "B second" });
    const names = (await listSites(scopeA)).map((s) => s.name);
    expect(names).toEqual(["A main"]);
    const all = await db.select().from(sites);
    expect(all.filter((s) => s.tenantId === tenantB)).toHaveLength(2);
  });

  it("U2: getSite/updateSite/deleteSite on B's site through A's scope are 404 and leave B's row unchanged", async () => {
    const [before] = await db.select().from(sites).where(eq(sites.id, siteOfB));
    await expectStatus(getSite(scopeA, siteOfB), 404);
    await expectStatus(updateSite(scopeA, siteOfB, { name: "hijacked", timezone: "Europe/Paris" }), 404);
    await expectStatus(deleteSite(scopeA, siteOfB), 404);
    const [after] = await db.select().from(sites).where(eq(sites.id, siteOfB));
    expect(after).toEqual(before);
    expect(after.name).toBe("B main");
  });

  it("U2: a site created in A's scope belongs to A even when it shares a name with B's", async () => {
    const site = await createSite(scopeA, { name: "B main" });
    expect(site.tenantId).toBe(tenantA);
    expect((await getSite(scopeA, site.id)).id).toBe(site.id);
    await expectStatus(getSite(await scopeFor(db, adminB, tenantB), site.id), 404);
    await deleteSite(scopeA, site.id);
  });

  it("U2: listMembers with A's scope excludes B's members", async () => {
    const emails = (await listMembers(scopeA)).map((m) => m.email);
    expect(emails).toEqual(["alice@a.test"]);
    const bEmails = (await listMembers(await scopeFor(db, adminB, tenantB))).map((m) => m.email);
    expect(bEmails).toContain("bob@b.test");
    expect(bEmails).not.toContain("alice@a.test");
  });

  it("U2: removeMember/changeMemberRole through A's scope cannot touch B's members", async () => {
    await expectStatus(removeMember(scopeA, adminB), 404);
    await expectStatus(changeMemberRole(scopeA, viewerB, "admin"), 404);
    const rows = await db.select().from(memberships).where(eq(memberships.tenantId, tenantB));
    expect(rows.find((m) => m.userId === adminB)?.role).toBe("admin");
    expect(rows.find((m) => m.userId === viewerB)?.role).toBe("viewer");
  });

  it("U2: adding an existing user of B to A does not move or change their B membership", async () => {
    const { created } = await addMember(scopeA, {
      email: "vera@b.test",
      name: "Vera",
      password: "ignored-password-x",
      role: "operator",
    });
    expect(created).toBe(false);
    expect((await scopeFor(db, viewerB, tenantB)).role).toBe("viewer");
    expect((await scopeFor(db, viewerB, tenantA)).role).toBe("operator");
    await removeMember(scopeA, viewerB);
    await expectStatus(scopeFor(db, viewerB, tenantA), 403);
    expect((await scopeFor(db, viewerB, tenantB)).role).toBe("viewer");
  });
});

describe("U1/U2 roles inside a tenant", () => {
  it("U1: a viewer cannot create a site, an operator can create but not delete, an admin can delete", async () => {
    const { member: viewer } = await addMember(scopeA, {
      email: "view@a.test",
      name: "Viewer",
      password: PASSWORD,
      role: "viewer",
    });
    const { member: operator } = await addMember(scopeA, {
      email: "op@a.test",
      name: "Operator",
      password: PASSWORD,
      role: "operator",
    });
    const viewerScope = await scopeFor(db, viewer.userId, tenantA);
    const operatorScope = await scopeFor(db, operator.userId, tenantA);

    await expectStatus(createSite(viewerScope, { name: "by viewer" }), 403);
    expect((await listSites(viewerScope)).map((s) => s.name)).not.toContain("by viewer");

    const site = await createSite(operatorScope, { name: "by operator" });
    await expectStatus(deleteSite(operatorScope, site.id), 403);
    await expectStatus(
      addMember(operatorScope, { email: "x@a.test", name: "X", password: PASSWORD, role: "admin" }),
      403,
    );
    await expectStatus(changeMemberRole(operatorScope, operator.userId, "admin"), 403);
    expect((await getSite(scopeA, site.id)).name).toBe("by operator");

    await deleteSite(scopeA, site.id);
    await expectStatus(getSite(scopeA, site.id), 404);
  });

  it("U2: the last admin of a tenant cannot demote or remove themselves", async () => {
    await expectStatus(changeMemberRole(scopeA, adminA, "operator"), 400);
    await expectStatus(removeMember(scopeA, adminA), 400);
    expect((await scopeFor(db, adminA, tenantA)).role).toBe("admin");

    // With a second admin, stepping down works.
    const { member: second } = await addMember(scopeA, {
      email: "second@a.test",
      name: "Second",
      password: PASSWORD,
      role: "admin",
    });
    await changeMemberRole(scopeA, adminA, "operator");
    expect((await scopeFor(db, adminA, tenantA)).role).toBe("operator");
    const secondScope = await scopeFor(db, second.userId, tenantA);
    await changeMemberRole(secondScope, adminA, "admin");
    scopeA = await scopeFor(db, adminA, tenantA);
    expect(scopeA.role).toBe("admin");
  });

  it("U2: only platform admins create tenants", async () => {
    const user = { id: adminA, isPlatformAdmin: false };
    await expectStatus(createTenant(db, user, { name: "Rogue" }), 403);
    expect(await db.select().from(tenants).where(eq(tenants.slug, "rogue"))).toHaveLength(0);
  });
});
