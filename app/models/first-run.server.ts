// First-run checklist (issue 12 §2): the landing page's next steps for a new tenant, each ticked off from real
// state: cameras someone added (not the demo), workers that registered from elsewhere (not the built-in local
// worker), counting lines someone drew (not the demo camera's pre-drawn one), and this user's own marks for having
// watched live video and opened analytics. Dismissing it is a mark too, per user and tenant.
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { cameras, firstRunMarks, workerCredentials, workers } from "../../db/schema";
import { LOCAL_CREDENTIAL_NAME } from "../fleet/local-worker.server";
import { DEMO_SCENE } from "./demo-scene";
import { hasRole, type TenantScope } from "./scope.server";
import type { Role } from "../../db/schema";

export const FIRST_RUN_MARKS = ["watched_live", "opened_analytics", "dismissed"] as const;
export type FirstRunMark = (typeof FIRST_RUN_MARKS)[number];
export const firstRunMarkSchema = z.enum(FIRST_RUN_MARKS);

export type FirstRunStepId = "watch" | "camera" | "worker" | "line" | "analytics";

export interface FirstRunStep {
  id: FirstRunStepId;
  done: boolean;
  /** Where the step is done. */
  href: string;
}

export interface FirstRunChecklist {
  steps: FirstRunStep[];
  done: number;
  dismissed: boolean;
  /** The demo camera the watch step points at, when the tenant has one. */
  demoCameraId: string | null;
  /** The worker step's command needs a credential, and only admins issue them. */
  canIssueCredentials: boolean;
}

/** What the checklist is decided from (read by loadFirstRunFacts; a plain object so the decision is testable). */
export interface FirstRunFacts {
  role: Role;
  addedCameras: number;
  firstAddedCameraId: string | null;
  demoCameraId: string | null;
  remoteWorkers: number;
  drawnLines: number;
  marks: ReadonlySet<FirstRunMark>;
}

/** Pure: the steps this role can do, in the order a new user does them, with their state and links. */
export function buildChecklist(facts: FirstRunFacts): FirstRunChecklist {
  const liveCamera = facts.demoCameraId ?? facts.firstAddedCameraId;
  const all: Array<FirstRunStep & { role: Role }> = [
    {
      id: "watch",
      role: "viewer",
      done: facts.marks.has("watched_live"),
      href: liveCamera ? `/cameras/${liveCamera}/live` : "/live",
    },
    { id: "camera", role: "operator", done: facts.addedCameras > 0, href: "/cameras" },
    { id: "worker", role: "operator", done: facts.remoteWorkers > 0, href: "/workers" },
    {
      id: "line",
      role: "operator",
      done: facts.drawnLines > 0,
      // Lines are drawn on the live view: the user's own camera when there is one, else the demo's.
      href: facts.firstAddedCameraId
        ? `/cameras/${facts.firstAddedCameraId}/live`
        : facts.demoCameraId
          ? `/cameras/${facts.demoCameraId}/live`
          : "/cameras",
    },
    { id: "analytics", role: "viewer", done: facts.marks.has("opened_analytics"), href: "/analytics" },
  ];
  const steps = all.filter((s) => hasRole(facts.role, s.role)).map(({ role: _role, ...step }) => step);
  return {
    steps,
    done: steps.filter((s) => s.done).length,
    dismissed: facts.marks.has("dismissed"),
    demoCameraId: facts.demoCameraId,
    canIssueCredentials: hasRole(facts.role, "admin"),
  };
}

const demoLineIds = DEMO_SCENE.lines.map((l) => l.id);

export async function loadFirstRunFacts(scope: TenantScope): Promise<FirstRunFacts> {
  const { db, tenantId, userId } = scope;
  const cameraFacts = db
    .select({
      added: sql<number>`count(*) filter (where ${cameras.kind} <> 'demo')`.mapWith(Number),
      firstAddedCameraId: sql<
        string | null
      >`(array_agg(${cameras.id} order by ${cameras.createdAt}) filter (where ${cameras.kind} <> 'demo'))[1]`,
      demoCameraId: sql<
        string | null
      >`(array_agg(${cameras.id} order by ${cameras.createdAt}) filter (where ${cameras.kind} = 'demo'))[1]`,
    })
    .from(cameras)
    .where(eq(cameras.tenantId, tenantId));
  // A line counts unless it is the demo camera's pre-drawn one (bootstrap gives the demo a walkway line).
  const lines = sql`case when jsonb_typeof(${cameras.scene} -> 'lines') = 'array' then ${cameras.scene} -> 'lines' else '[]'::jsonb end`;
  const notDemoLine = demoLineIds.length
    ? sql`not (${cameras.kind} = 'demo' and line ->> 'id' in (${sql.join(
        demoLineIds.map((id) => sql`${id}`),
        sql`, `,
      )}))`
    : sql`true`;
  const lineFacts = db
    .select({
      drawn: sql<number>`count(*)`.mapWith(Number),
    })
    .from(cameras)
    .innerJoin(sql`jsonb_array_elements(${lines}) as line`, sql`true`)
    .where(and(eq(cameras.tenantId, tenantId), notDemoLine));
  const workerFacts = db
    .select({ remote: sql<number>`count(*)`.mapWith(Number) })
    .from(workers)
    .leftJoin(workerCredentials, eq(workerCredentials.id, workers.credentialId))
    .where(
      and(eq(workers.tenantId, tenantId), sql`${workerCredentials.name} is distinct from ${LOCAL_CREDENTIAL_NAME}`),
    );
  const markRows = db
    .select({ mark: firstRunMarks.mark })
    .from(firstRunMarks)
    .where(and(eq(firstRunMarks.tenantId, tenantId), eq(firstRunMarks.userId, userId)));
  const [[camera], [line], [worker], marks] = await Promise.all([cameraFacts, lineFacts, workerFacts, markRows]);
  return {
    role: scope.role,
    addedCameras: camera?.added ?? 0,
    firstAddedCameraId: camera?.firstAddedCameraId ?? null,
    demoCameraId: camera?.demoCameraId ?? null,
    remoteWorkers: worker?.remote ?? 0,
    drawnLines: line?.drawn ?? 0,
    // Unknown marks (written by a newer version) are ignored rather than failing the landing page.
    marks: new Set(
      marks.flatMap((m) => (firstRunMarkSchema.safeParse(m.mark).success ? [m.mark as FirstRunMark] : [])),
    ),
  };
}

export async function getFirstRunChecklist(scope: TenantScope): Promise<FirstRunChecklist> {
  return buildChecklist(await loadFirstRunFacts(scope));
}

/** Records a mark once (the first time wins); any member may record their own. */
export async function markFirstRun(scope: TenantScope, mark: FirstRunMark): Promise<void> {
  await scope.db
    .insert(firstRunMarks)
    .values({ tenantId: scope.tenantId, userId: scope.userId, mark })
    .onConflictDoNothing();
}

/** Brings a dismissed checklist back (the overview offers it after dismissing). */
export async function restoreFirstRun(scope: TenantScope): Promise<void> {
  await scope.db
    .delete(firstRunMarks)
    .where(
      and(
        eq(firstRunMarks.tenantId, scope.tenantId),
        eq(firstRunMarks.userId, scope.userId),
        eq(firstRunMarks.mark, "dismissed"),
      ),
    );
}
