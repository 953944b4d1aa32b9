// Starts the app. trunk fills in the hashed file names (Trunk.toml `pattern_script`); this file
// exists because the Content-Security-Policy forbids inline scripts. It also applies the page's
// URL options before the app draws anything:
//   ?theme=light|dark  overrides the system colour scheme;
//   ?embed=1           compact layout for an iframe, and the page's height posted to the parent
//                      as {type: "gateway-planner:resize", height} so the iframe can fit it.
const params = new URLSearchParams(location.search);
const root = document.documentElement;

const systemDark = matchMedia("(prefers-color-scheme: dark)");
const forcedTheme = ["light", "dark"].includes(params.get("theme")) ? params.get("theme") : null;
const applyTheme = () => {
  root.dataset.theme = forcedTheme ?? (systemDark.matches ? "dark" : "light");
};
applyTheme();
systemDark.addEventListener("change", applyTheme);

if (params.get("embed") === "1") {
  root.dataset.embed = "1";
  if (window.parent !== window) {
    let posted = 0;
    const postHeight = () => {
      const height = Math.ceil(document.body.getBoundingClientRect().height);
      if (height !== posted) {
        posted = height;
        // Only a number leaves the frame; any parent may size it.
        window.parent.postMessage({ type: "gateway-planner:resize", height }, "*");
      }
    };
    new ResizeObserver(postHeight).observe(document.body);
  }
}

const tag = document.querySelector("script[data-wasm]");
const base = document.baseURI;
const { default: init } = await import(new URL(tag.dataset.js, base).href);
await init({ module_or_path: new URL(tag.dataset.wasm, base) });

// Offline: the service worker keeps this build's files (see public/sw.js).
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register(new URL("sw.js", base)).catch((error) => {
    console.warn("Gateway Planner works online only here: the offline cache could not start.", error);
  });
}
