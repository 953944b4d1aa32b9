// Starts the app (trunk's inline loader is not allowed by the page's CSP; see Trunk.toml).
// ?theme=light|dark overrides the system colour scheme; ?embed=1 gives the compact layout and,
// in a frame, posts {type: "gateway-planner:resize", height} to the parent (README: Embed).
const params = new URLSearchParams(location.search);
const root = document.documentElement;
const dark = matchMedia("(prefers-color-scheme: dark)");
const theme = ["light", "dark"].includes(params.get("theme")) ? params.get("theme") : null;
const applyTheme = () => (root.dataset.theme = theme ?? (dark.matches ? "dark" : "light"));
applyTheme();
dark.addEventListener("change", applyTheme);

if (params.get("embed") === "1") {
  root.dataset.embed = "1";
  if (window.parent !== window) {
    let posted = 0;
    new ResizeObserver(() => {
      const height = Math.ceil(document.body.getBoundingClientRect().height);
      if (height !== posted) {
        posted = height;
        window.parent.postMessage({ type: "gateway-planner:resize", height }, "*");
      }
    }).observe(document.body);
  }
}

const tag = document.querySelector("script[data-wasm]");
const base = document.baseURI;
const { default: init } = await import(new URL(tag.dataset.js, base).href);
await init({ module_or_path: new URL(tag.dataset.wasm, base) });

// Offline: public/sw.js keeps this build's files.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register(new URL("sw.js", base)).catch((error) => {
    console.warn("Gateway Planner works online only here: the offline cache could not start.", error);
  });
}
