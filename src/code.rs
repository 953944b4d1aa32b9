//! A file shown with line numbers, a copy button and its own download, and a unified diff.

use crate::diff::{Change, Hunk};
use crate::download;
use crate::state::Page;
use leptos::prelude::*;

/// The clipboard, where the page may use it: browsers leave it undefined on plain-http origins
/// other than localhost, and calling into undefined would abort the app.
pub fn clipboard() -> Option<web_sys::Clipboard> {
    use wasm_bindgen::JsCast;
    let navigator = web_sys::window()?.navigator();
    let value = js_sys::Reflect::get(&navigator, &"clipboard".into()).ok()?;
    (!value.is_undefined() && !value.is_null()).then(|| value.unchecked_into())
}

/// Puts `text` on the clipboard; false when the page may not (no clipboard, or refused).
pub async fn write_clipboard(text: &str) -> bool {
    let Some(clipboard) = clipboard() else { return false };
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text)).await.is_ok()
}

/// Copies `text` to the clipboard; `done` is set to the outcome for the status line.
fn copy(text: String, done: RwSignal<&'static str>) {
    if clipboard().is_none() {
        done.set("Copy is not available here: select the text instead");
        return;
    }
    leptos::task::spawn_local(async move {
        let ok = write_clipboard(&text).await;
        done.set(if ok { "Copied" } else { "Copy failed: select the text instead" });
        set_timeout(move || done.set(""), std::time::Duration::from_secs(2));
    });
}

/// Longer files show this many lines until the user asks for all: a 5 MB file is some 80 000
/// lines, and drawing them all takes the page seconds. Copy and the downloads always have all.
const FIRST_LINES: usize = 2_000;

/// A plan file (one of the plan's files, by name): its lines, Copy, and Download (of the file as
/// the input holds it now, like Download all). A new plan redraws only the lines that changed
/// (keyed by number and text), so a keystroke in a long file does not rebuild the whole file on
/// the page.
#[component]
pub fn CodeBlock(#[prop(into)] name: Signal<String>, #[prop(into)] content: Signal<String>) -> impl IntoView {
    let page = Page::from_context();
    let status = RwSignal::new("");
    let offered = Memo::new(move |_| page.offers_downloads());
    let total = Memo::new(move |_| content.with(|c| c.lines().count()));
    // Long files show their first lines until asked (a new file starts folded again).
    let asked_for_all = RwSignal::new(false);
    Effect::new(move |_| {
        name.track();
        asked_for_all.set(false);
    });
    let show_all = move || asked_for_all.get() || total.get() <= FIRST_LINES;
    let lines = Memo::new(move |_| {
        let limit = if show_all() { usize::MAX } else { FIRST_LINES };
        content.with(|c| c.lines().take(limit).map(str::to_string).enumerate().collect::<Vec<_>>())
    });
    view! {
        <figure class="code-block">
            <figcaption class="code-head">
                <span class="file-name">{name}</span>
                <span class="copy-status" role="status">{move || status.get()}</span>
                <button
                    type="button"
                    class="button small"
                    aria-label=move || format!("Copy {}", name.get())
                    on:click=move |_| copy(content.get_untracked(), status)
                >
                    "Copy"
                </button>
                <button
                    type="button"
                    class="button small"
                    aria-label=move || format!("Download {}", name.get())
                    disabled=move || !offered.get()
                    on:click=move |_| {
                        let name = name.get_untracked();
                        let mime = if name.ends_with(".json") { "application/json" } else { "application/yaml" };
                        // The file as the input holds it now, which may be newer than the one shown.
                        let Some(plan) = page.plan_to_download() else { return };
                        if let Some(content) = plan.file(&name) {
                            let _ = download::save(&name, content.as_bytes(), mime);
                        }
                    }
                >
                    "Download"
                </button>
            </figcaption>
            <pre class="code" tabindex="0" aria-label=name>
                <code>
                    <For
                        each=move || lines.get()
                        key=|line| line.clone()
                        children=|(i, line)| {
                            view! {
                                <span class="line">
                                    <span class="ln" aria-hidden="true">{i + 1}</span>
                                    <span class="lt">{line}</span>
                                    "\n"
                                </span>
                            }
                        }
                    />
                </code>
            </pre>
            <Show when=move || !show_all()>
                <p class="hint code-more">
                    {move || format!("The first {FIRST_LINES} of {} lines are shown; Copy and the downloads hold them all. ", total.get())}
                    <button type="button" class="link" on:click=move |_| asked_for_all.set(true)>
                        {move || format!("Show all {} lines", total.get())}
                    </button>
                </p>
            </Show>
        </figure>
    }
}

#[component]
pub fn DiffView(hunks: Vec<Hunk>, label: String) -> impl IntoView {
    if hunks.is_empty() {
        return view! { <p class="hint">"No changes."</p> }.into_any();
    }
    view! {
        <pre class="code diff" tabindex="0" aria-label=label>
            <code>
                {hunks
                    .into_iter()
                    .map(|hunk| {
                        view! {
                            <span class="line hunk">{hunk.header}"\n"</span>
                            {hunk
                                .lines
                                .into_iter()
                                .map(|l| {
                                    let (class, sign) = match l.change {
                                        Change::Same => ("line same", " "),
                                        Change::Removed => ("line del", "-"),
                                        Change::Added => ("line add", "+"),
                                    };
                                    view! {
                                        <span class=class>
                                            <span class="ln" aria-hidden="true">{l.old.map(|n| n.to_string()).unwrap_or_default()}</span>
                                            <span class="ln" aria-hidden="true">{l.new.map(|n| n.to_string()).unwrap_or_default()}</span>
                                            <span class="sign">{sign}</span>
                                            <span class="lt">{l.text}</span>
                                            "\n"
                                        </span>
                                    }
                                })
                                .collect_view()}
                        }
                    })
                    .collect_view()}
            </code>
        </pre>
    }
    .into_any()
}
