//! Share links in the page: copy one for the current input, and open one from the address. The
//! link is made only when asked for, from the settings the plan reads (see `planner::share`).

use crate::state::Page;
use leptos::prelude::*;
use planner::share::{compressed_payload, fragment, payload, read_payload, ShareError, MAX_PAYLOAD_BYTES};
use wasm_bindgen::prelude::*;

// The browser's own zlib ("deflate" in the Compression Streams API is RFC 1950 zlib, the format
// the native planner writes), so the wasm carries no compressor. The two functions live in
// public/boot.js (`globalThis.gatewayPlannerZlib`), whose name carries a hash of its content, so
// every file of the app is named by its content (an inline snippet would not be). Unpacking stops
// at a limit, early: see `inflate` there.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = gatewayPlannerZlib)]
    async fn deflate(bytes: &[u8]) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = gatewayPlannerZlib)]
    async fn inflate(bytes: &[u8], limit: usize) -> Result<JsValue, JsValue>;
}

/// What opening the page with a link in its address did.
#[derive(Clone, Debug, PartialEq)]
pub enum OpenedLink {
    Opened { left_out: Vec<String>, same_lines: bool },
    Refused(String),
}

/// Reads a link from the address, if there is one, into the controls and the text area. Returns
/// false when the address holds no link (the page then starts as it would without one).
pub fn open_from_address(page: Page, opened: RwSignal<Option<OpenedLink>>) -> bool {
    let Some(hash) = web_sys::window().and_then(|w| w.location().hash().ok()) else { return false };
    let compressed = match compressed_payload(&hash) {
        Err(ShareError::NotALink) => return false,
        Err(refused) => {
            opened.set(Some(OpenedLink::Refused(refused.to_string())));
            return true;
        }
        Ok(compressed) => compressed,
    };
    leptos::task::spawn_local(async move {
        let unpacked = inflate(&compressed, MAX_PAYLOAD_BYTES).await.map_err(|e| {
            let why = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message()));
            ShareError::Damaged(
                why.filter(|w| w.starts_with("it ")).unwrap_or_else(|| "the data ends early or was changed".into()),
            )
        });
        let shared = unpacked.and_then(|bytes| read_payload(&js_sys::Uint8Array::new(&bytes).to_vec()));
        opened.set(Some(match shared {
            Err(refused) => OpenedLink::Refused(refused.to_string()),
            Ok(shared) => {
                page.set_choices(&shared.choices);
                page.set_text(shared.values);
                OpenedLink::Opened { left_out: shared.left_out, same_lines: shared.same_lines }
            }
        }));
    });
    true
}

fn left_out_sentence(left_out: &[String]) -> String {
    if left_out.is_empty() {
        "Nothing was left out.".into()
    } else {
        format!("Not in the link: {}.", left_out.join(", "))
    }
}

/// The receiver's view of the same list: it comes from the link, so it is what the sender's page
/// wrote (or what whoever made the link wrote), not something this page can check.
fn left_out_claim(left_out: &[String]) -> String {
    if left_out.is_empty() {
        "The link says nothing was left out.".into()
    } else {
        format!("The link says its sender left out: {}.", left_out.join(", "))
    }
}

/// The most lines the preview of a link shows.
const PREVIEW_LINES: usize = 2000;

#[component]
pub fn ShareBanner(opened: RwSignal<Option<OpenedLink>>) -> impl IntoView {
    let dismiss = move |_| opened.set(None);
    move || {
        opened.get().map(|o| match o {
            OpenedLink::Opened { left_out, same_lines } => view! {
                <div class="banner" role="status" id="link-opened">
                    <p>
                        <strong>"Opened from a share link. "</strong>
                        {crate::tabs::rich_text(&left_out_claim(&left_out))}
                        " (That list is the sender's claim, carried in the link; this page cannot check it.)"
                        " The full values files in this plan hold only the shared settings; the other files are the sender's plan."
                        {(!same_lines).then_some(" The sender's file could not be cut line by line (flow style or merge keys), so its settings were written out afresh: line numbers differ from theirs.")}
                    </p>
                    <button type="button" class="link" on:click=dismiss>"Dismiss"</button>
                </div>
            }
            .into_any(),
            OpenedLink::Refused(message) => view! {
                <div class="alert" role="alert" id="link-error">
                    <p>{message}</p>
                    <button type="button" class="link" on:click=dismiss>"Dismiss"</button>
                </div>
            }
            .into_any(),
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
enum ShareResult {
    Copied {
        url: String,
        left_out: Vec<String>,
    },
    /// The clipboard refused; the link is in the box to copy by hand.
    CopyByHand {
        url: String,
        left_out: Vec<String>,
    },
    Failed(String),
}

#[component]
pub fn SharePanel() -> impl IntoView {
    let page = Page::from_context();
    let result = RwSignal::new(None::<ShareResult>);
    let can_share = move || page.outcome.with(|o| o.plan.is_some() && o.error.is_none());
    let copy = move |_| {
        // The plan on screen is what gets shared (typing may be a moment ahead of it).
        let made = match payload(&page.planned_text.get_untracked(), &untrack(|| page.planner_choices())) {
            Ok(made) => made,
            Err(e) => {
                result.set(Some(ShareResult::Failed(format!("No link: the input does not plan ({e})."))));
                return;
            }
        };
        let Some(window) = web_sys::window() else { return };
        // The page's address without its query (an embedded page's `?embed=1`) or fragment.
        let location = window.location();
        let base = format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default());
        let clipboard = crate::code::clipboard();
        leptos::task::spawn_local(async move {
            let compressed = match deflate(made.text.as_bytes()).await {
                Ok(bytes) => js_sys::Uint8Array::new(&bytes).to_vec(),
                Err(_) => {
                    result.set(Some(ShareResult::Failed("This browser cannot compress the link.".into())));
                    return;
                }
            };
            let url = format!("{base}#{}", fragment(&compressed));
            let copied = match clipboard {
                Some(clipboard) => wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&url)).await.is_ok(),
                None => false,
            };
            let left_out = made.left_out;
            result.set(Some(if copied {
                ShareResult::Copied { url, left_out }
            } else {
                ShareResult::CopyByHand { url, left_out }
            }));
        });
    };
    // The exact text a link made now would carry, shown on request (it is planned twice to check
    // the link, so only while shown).
    let preview_shown = RwSignal::new(false);
    let preview = move || {
        preview_shown.get().then(|| match payload(&page.planned_text.get(), &page.planner_choices()) {
            Ok(made) => {
                let lines = made.text.lines().count();
                let mut shown: String = made.text.split_inclusive('\n').take(PREVIEW_LINES).collect();
                if lines > PREVIEW_LINES {
                    shown.push_str(&format!("\n… and {} more lines of the values above", lines - PREVIEW_LINES));
                }
                shown
            }
            Err(e) => format!("No link: the input does not plan ({e})."),
        })
    };
    view! {
        <section class="share" aria-labelledby="share-heading">
            <h3 id="share-heading" class="section-title">"Share"</h3>
            <p class="hint">
                "The link holds your choices and only the settings the plan reads (ingress, gateway, service port, names, URLs), compressed after the # so it is never sent to a server. Passwords, keys, tokens, the values of annotations the plan does not read, and other settings stay here."
            </p>
            <button
                type="button"
                class="link share-preview-toggle"
                aria-expanded=move || if preview_shown.get() { "true" } else { "false" }
                aria-controls="share-preview"
                disabled=move || !can_share()
                on:click=move |_| preview_shown.update(|shown| *shown = !*shown)
            >
                {move || if preview_shown.get() { "Hide what the link holds" } else { "Show exactly what the link holds" }}
            </button>
            <div id="share-preview" hidden=move || !preview_shown.get() || !can_share()>
                <p class="hint">"The link carries exactly this text, compressed: your choices, what it leaves out, then the values."</p>
                <pre class="share-payload" tabindex="0" aria-label="What the link holds">{preview}</pre>
            </div>
            <button type="button" class="button" disabled=move || !can_share() on:click=copy>
                "Copy share link"
            </button>
            {move || {
                result
                    .get()
                    .map(|r| {
                        let (note, url, left_out) = match r {
                            ShareResult::Copied { url, left_out } => ("Link copied. ", url, left_out),
                            ShareResult::CopyByHand { url, left_out } => {
                                ("The clipboard is not available here: copy the link below. ", url, left_out)
                            }
                            ShareResult::Failed(message) => {
                                return view! { <p class="share-status" role="alert">{message}</p> }.into_any();
                            }
                        };
                        view! {
                            <p class="share-status" role="status">
                                {note}
                                {crate::tabs::rich_text(&left_out_sentence(&left_out))}
                            </p>
                            <label class="visually-hidden" for="share-link">"Share link"</label>
                            <input id="share-link" class="share-link" type="text" readonly prop:value=url/>
                        }
                        .into_any()
                    })
            }}
        </section>
    }
}
