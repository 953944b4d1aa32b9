// Starts the app (trunk's inline loader is not allowed by the page's CSP; see Trunk.toml) and
// provides the zlib functions share links use. scripts/service-worker.sh names this file after a
// hash of its content (boot-<hash>.js), like trunk's own JS, wasm and CSS.
// ?theme=light|dark overrides the system colour scheme; ?embed=1 gives the compact layout and,
// in a frame, posts {type: "gateway-planner:resize", height} to the parent (README: Embed): to the
// origin in &parent=<origin> when given (only a page of that origin receives it), else to "*".
const params = new URLSearchParams(location.search);
const root = document.documentElement;
const dark = matchMedia("(prefers-color-scheme: dark)");
const theme = ["light", "dark"].includes(params.get("theme")) ? params.get("theme") : null;
const applyTheme = () => (root.dataset.theme = theme ?? (dark.matches ? "dark" : "light"));
applyTheme();
dark.addEventListener("change", applyTheme);

/** The parent's origin from &parent=: an http(s) origin and nothing more (no user, path, query
 * or fragment; a trailing "/" is fine), or null. */
function parentOrigin(text) {
  try {
    const url = new URL(text);
    return /^https?:$/.test(url.protocol) && url.href === `${url.origin}/` ? url.origin : null;
  } catch {
    return null;
  }
}

if (params.get("embed") === "1") {
  root.dataset.embed = "1";
  const given = params.get("parent");
  const target = given === null ? "*" : parentOrigin(given);
  if (target === null) {
    console.warn(`Gateway Planner: parent=${JSON.stringify(given)} is not an origin like https://docs.example.com; no size messages are sent.`);
  } else if (window.parent !== window) {
    let posted = 0;
    new ResizeObserver(() => {
      const height = Math.ceil(document.body.getBoundingClientRect().height);
      if (height !== posted) {
        posted = height;
        window.parent.postMessage({ type: "gateway-planner:resize", height }, target);
      }
    }).observe(document.body);
  }
}

// Share links (src/share.rs) compress with the browser's own zlib: "deflate" in the Compression
// Streams API is RFC 1950 zlib, the format the native planner writes.
//
// Unpacking stops at a limit, and is made to stop early: a DecompressionStream inflates each chunk
// written to it whole, before the reader sees any of it, so a link's bytes go in 4 KiB at a time
// (deflate expands a chunk at most about 1032 times: 4 MiB) and the output is counted as it comes;
// past the limit both ends are cancelled. A zlib bomb then costs the limit plus one chunk's
// output, not what it would unpack to.
const piped = (bytes, stream) => new Blob([bytes]).stream().pipeThrough(stream);
async function deflate(bytes) {
  return new Uint8Array(await new Response(piped(bytes, new CompressionStream("deflate"))).arrayBuffer());
}
const SLICE = 4096;
async function inflate(view, limit) {
  // A copy: the view is into the wasm memory, which may move while this waits.
  const bytes = view.slice();
  const { readable, writable } = new DecompressionStream("deflate");
  const writer = writable.getWriter();
  const reader = readable.getReader();
  const feeding = (async () => {
    for (let at = 0; at < bytes.length; at += SLICE) {
      await writer.ready;
      await writer.write(bytes.subarray(at, at + SLICE));
    }
    await writer.close();
  })();
  // A failure to write shows on the reading side too (the stream errors); read that one.
  feeding.catch(() => {});
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) throw new Error("it unpacks to more than a values file can be");
      chunks.push(value);
    }
    await feeding;
  } catch (error) {
    chunks.length = 0;
    await Promise.allSettled([reader.cancel(), writer.abort()]);
    throw error;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
globalThis.gatewayPlannerZlib = { deflate, inflate };

const tag = document.querySelector("script[data-wasm]");
const base = document.baseURI;

/** Loads the app, which takes over the static page's values field (index.html). */
async function start() {
  const { default: init } = await import(new URL(tag.dataset.js, base).href);
  await init({ module_or_path: new URL(tag.dataset.wasm, base) });

  // Offline: public/sw.js keeps this build's files.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(new URL("sw.js", base)).catch((error) => {
      console.warn("Gateway Planner works online only here: the offline cache could not start.", error);
    });
  }
}
// After the static page's first frame: fetching and compiling the wasm and drawing the app would
// otherwise hold that frame, and with it the values field, which takes typing before the app is
// there (nor does the page preload them: see Trunk.toml).
requestAnimationFrame(() =>
  setTimeout(() => start().catch((error) => console.error("Gateway Planner could not start.", error)), 0),
);
