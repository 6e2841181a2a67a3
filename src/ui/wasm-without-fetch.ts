// Imported by start.tsx before Ink. Ink's layout engine (yoga, WebAssembly
// inlined as base64) loads its binary with fetch() whenever a global fetch
// exists; in Node that first loads undici, Node's fetch implementation -
// about 70 ms of the 500 ms first-frame budget, spent to decode a data: URL.
// Without a global fetch, yoga decodes the base64 itself. The property is a
// lazy getter (reading it loads undici), so it is moved aside unread and put
// back by restoreFetch() once Ink has loaded.
const saved = Object.getOwnPropertyDescriptor(globalThis, "fetch");
if (saved?.configurable) {
  Object.defineProperty(globalThis, "fetch", { value: undefined, configurable: true, writable: true });
}

export function restoreFetch(): void {
  if (saved?.configurable) Object.defineProperty(globalThis, "fetch", saved);
}
