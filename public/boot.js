// Starts the app. trunk fills in the hashed file names (Trunk.toml `pattern_script`); this file
// exists because the Content-Security-Policy forbids inline scripts.
const tag = document.querySelector("script[data-wasm]");
const base = document.baseURI;
const { default: init } = await import(new URL(tag.dataset.js, base).href);
await init({ module_or_path: new URL(tag.dataset.wasm, base) });
