//! `gateway-planner-web`: the planner as a client-side web app (Leptos, built with trunk).
//! Everything runs in the page; the pure parts (diff, zip, markdown, the page state) also build
//! natively so `cargo test` covers them.

// The pure modules are used only by the wasm app, but are tested natively.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod choose;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod diff;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod download;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod help;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod markdown;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod state;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod wording;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod choices;
#[cfg(target_arch = "wasm32")]
mod code;
#[cfg(target_arch = "wasm32")]
mod diagram;
#[cfg(target_arch = "wasm32")]
mod editor;
#[cfg(target_arch = "wasm32")]
mod remember;
#[cfg(target_arch = "wasm32")]
mod share;
#[cfg(target_arch = "wasm32")]
mod tabs;

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("gateway-planner-web is the browser app: build it with `trunk build --release` (see scripts/serve.sh).");
}
