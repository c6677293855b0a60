// One-shot messages shown after a redirect (saved, deleted, errors). A signed cookie read once.
import { createCookie, redirect, type AppLoadContext } from "@remix-run/node";

export interface Flash {
  type: "success" | "error" | "info";
  message: string;
}

function flashCookie(context: AppLoadContext) {
  return createCookie("argus_flash", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: context.secure,
    secrets: [context.services.flashSecret],
    maxAge: 60,
  });
}

export async function redirectWithFlash(
  url: string,
  flash: Flash,
  context: AppLoadContext,
  init: ResponseInit = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", await flashCookie(context).serialize(flash));
  return redirect(url, { ...init, headers });
}

/** Reads and clears the flash; returns the header to set so it shows once. */
export async function readFlash(
  request: Request,
  context: AppLoadContext,
): Promise<{ flash: Flash | null; headers: Headers }> {
  const cookie = flashCookie(context);
  const value = (await cookie.parse(request.headers.get("Cookie"))) as Flash | null;
  const headers = new Headers();
  if (value) headers.append("Set-Cookie", await cookie.serialize("", { maxAge: 0 }));
  const valid = value && typeof value.message === "string" && ["success", "error", "info"].includes(value.type);
  return { flash: valid ? value : null, headers };
}
