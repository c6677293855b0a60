import "./utils/zod-browser"; // first: before any route module builds a zod schema (CSP without eval)
import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import stylesheet from "./tailwind.css";
import { useNonce } from "./utils/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];
export const meta: MetaFunction = () => [
  { title: "Argus" },
  { name: "description", content: "Self-hosted video analytics" },
];

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce(); // CSP (ADR 0012): Remix's inline scripts carry the request's nonce
  return (
    <html lang="en" className="h-full bg-slate-50">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="h-full text-slate-900 antialiased">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error)
    ? error.statusText || (typeof error.data === "string" ? error.data : "Request failed")
    : "Something went wrong. The error has been logged.";
  return (
    <main className="mx-auto flex min-h-full max-w-lg flex-col items-center justify-center p-8 text-center">
      <p className="text-sm font-semibold text-indigo-600">{status}</p>
      <h1 className="mt-2 text-2xl font-bold">
        {status === 404 ? "Page not found" : status === 403 ? "Not allowed" : "Error"}
      </h1>
      <p className="mt-2 text-slate-600" role="alert">
        {message}
      </p>
      <a
        href="/"
        className="mt-6 rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500"
      >
        Back to Argus
      </a>
    </main>
  );
}
