// Issue 12 §3: one route idiom for /api/v1 and the OpenAPI 3.1 document generated from it. Against the real
// server and its build: every app/routes/api.v1.* file is declared with defineApiRoute and its path is in the
// served document with an operation per method it serves (a new route without a documented schema fails here);
// every request body and path/query parameter carries a schema; the document and the reference page are readable
// without a session; the reference renders the descriptions' Markdown instead of showing it raw.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, makeDataDir, repoRoot, startServerProcess, type ServerProcess } from "./support/server-process";

let server: ServerProcess;
let data: ReturnType<typeof makeDataDir>;
let cookie: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document's shape is what is under test
type Json = any;
let doc: Json;

const ROUTES_DIR = path.join(repoRoot, "app/routes");
/** The catch-all answers 404 for paths that are not routes: there is nothing to document. */
const NOT_AN_ENDPOINT = new Set(["api.v1.$.tsx"]);

/** `api.v1.cameras.$cameraId.assign.tsx` -> `/api/v1/cameras/{}/assign` (parameter names may differ in the docs). */
function pathOfRouteFile(file: string): string {
  const segments = file
    .replace(/\.tsx$/, "")
    .replace(/\[\.\]/g, "\u0000")
    .split(".")
    .filter((s) => s !== "_index")
    .map((s) => (s.startsWith("$") ? "{}" : s.replace(/\u0000/g, ".")));
  return "/" + segments.join("/");
}
const normalise = (documented: string) => documented.replace(/\{\w+\}/g, "{}");

const apiRouteFiles = () =>
  readdirSync(ROUTES_DIR)
    .filter((f) => f.startsWith("api.v1.") && f.endsWith(".tsx") && !NOT_AN_ENDPOINT.has(f))
    .sort();

beforeAll(async () => {
  data = makeDataDir();
  server = await startServerProcess({ dataDir: data.dir });
  cookie = await login(server.url);
  const res = await fetch(`${server.url}/api/v1/openapi.json`); // no session, no key
  expect(res.status).toBe(200);
  doc = await res.json();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  data?.remove();
});

describe("every /api/v1 route is declared once and documented from its schemas", () => {
  it("maps route file names to URL paths", () => {
    expect(pathOfRouteFile("api.v1.cameras.$cameraId.assign.tsx")).toBe("/api/v1/cameras/{}/assign");
    expect(pathOfRouteFile("api.v1.analytics.vcc[.]csv.tsx")).toBe("/api/v1/analytics/vcc.csv");
    expect(pathOfRouteFile("api.v1.factory.workers._index.tsx")).toBe("/api/v1/factory/workers");
  });

  it("finds the route files (the walk itself works)", () => {
    expect(apiRouteFiles().length).toBeGreaterThan(45);
  });

  it.each(apiRouteFiles())("%s uses defineApiRoute and its path is in the document", (file) => {
    const source = readFileSync(path.join(ROUTES_DIR, file), "utf8");
    expect(source, `${file} is not declared with defineApiRoute`).toMatch(/\bdefineApiRoute\(/);
    const documented = Object.keys(doc.paths).filter((p) => normalise(p) === pathOfRouteFile(file));
    expect(documented, `${file}: ${pathOfRouteFile(file)} is not in the OpenAPI document`).toHaveLength(1);
    const operations = doc.paths[documented[0]];
    expect(Object.keys(operations).length).toBeGreaterThan(0);
    for (const [method, op] of Object.entries<Json>(operations)) {
      const where = `${method.toUpperCase()} ${documented[0]}`;
      expect(op.summary, where).toBeTruthy();
      expect(op.description, `${where}: who may call it`).toMatch(/Access: /);
      expect(
        Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)),
        `${where}: a success response`,
      ).toBe(true);
      for (const p of op.parameters) expect(p.schema, `${where}: parameter ${p.name}`).toBeTruthy();
      const pathParams = op.parameters.filter((p: { in: string }) => p.in === "path").length;
      expect(pathParams, `${where}: one parameter per path segment`).toBe((documented[0].match(/\{/g) ?? []).length);
      if (op.requestBody) {
        for (const content of Object.values<Json>(op.requestBody.content))
          expect(Object.keys(content.schema).length, `${where}: body schema`).toBeGreaterThan(0);
      }
      // Writes that take input say what it is.
      if (["post", "put", "patch"].includes(method) && /\bbody\b/.test(source))
        expect(op.requestBody, `${where}: request body`).toBeTruthy();
    }
  });

  it("documents nothing that is not a route file", () => {
    const files = new Set(apiRouteFiles().map(pathOfRouteFile));
    for (const documented of Object.keys(doc.paths)) expect(files, documented).toContain(normalise(documented));
  });

  it("the document is OpenAPI 3.1 with unique operation ids and known security schemes", () => {
    expect(doc.openapi).toBe("3.1.0");
    const ids = Object.values<Json>(doc.paths).flatMap((ops) => Object.values<Json>(ops).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    const schemes = Object.keys(doc.components.securitySchemes);
    for (const ops of Object.values<Json>(doc.paths))
      for (const op of Object.values<Json>(ops))
        for (const requirement of op.security)
          for (const name of Object.keys(requirement)) expect(schemes).toContain(name);
    // Schemas come from the routes' zod schemas: the camera body knows its fields and their limits.
    const camera = doc.paths["/api/v1/cameras"].post.requestBody.content["application/json"].schema;
    expect(camera.properties).toHaveProperty("name");
    expect(camera.properties).toHaveProperty("kind");
    expect(doc.paths["/api/v1/openapi.json"].get.security).toEqual([]);
  });
});

describe("the reference is readable without a session and renders its Markdown", () => {
  it("GET /docs without a session renders the reference; /api/v1/openapi.json answers anonymously", async () => {
    const page = await fetch(`${server.url}/docs`, { redirect: "manual", headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("/api/v1/cameras/{cameraId}/assign");
    expect(html).toContain('href="/api/v1/openapi.json"');
    const json = await fetch(`${server.url}/docs`, { redirect: "manual", headers: { accept: "application/json" } });
    expect(json.headers.get("location")).toBe("/api/v1/openapi.json");
    // Nothing else became public: a data endpoint still refuses an anonymous caller.
    expect((await fetch(`${server.url}/api/v1/cameras`)).status).toBe(401);
  });

  it("/api-docs (signed in) shows code spans and links, not raw Markdown or bare file names", async () => {
    const res = await fetch(`${server.url}/api-docs`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    const text = html
      .replace(/<script[\s\S]*?<\/script>/g, "")
      .replace(/<[^>]+>/g, " ")
      .replace(/&#x27;|&quot;/g, "'");
    expect(html).toMatch(/<code[^>]*>X-Argus-Tenant<\/code>/);
    expect(text).not.toMatch(/`[^`\s][^`]*`/); // no backtick-quoted text left raw
    expect(text).not.toMatch(/\*\*\w/);
    expect(text).not.toMatch(/\bdocs\/[\w-]+\.md\b/); // repository file names are not links a reader can follow
  });
});
