// Epic Stack's singleton: server.ts runs the source through tsx while the Remix build bundles its
// own copy of the same modules, so process-wide state must live on globalThis, keyed by name.
export function singleton<T>(name: string, create: () => T): T {
  const store = globalThis as unknown as { __argusSingletons?: Map<string, unknown> };
  store.__argusSingletons ??= new Map();
  if (!store.__argusSingletons.has(name)) store.__argusSingletons.set(name, create());
  return store.__argusSingletons.get(name) as T;
}
