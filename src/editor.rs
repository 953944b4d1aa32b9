//! The values input: the text area, file upload and drop, the example, and the located error.

use crate::state::{Page, LIVE_PLAN_LIMIT};
use leptos::prelude::*;
use planner::PlanError;

const EXAMPLE: &str = include_str!("example-values.yaml");

/// Reads a chosen or dropped file into the text area.
fn load_file(page: Page, previous: RwSignal<Option<String>>, file: web_sys::File) {
    leptos::task::spawn_local(async move {
        if let Ok(value) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
            if let Some(text) = value.as_string() {
                replace_text(page, previous, text);
            }
        }
    });
}

/// Replaces the text, keeping what was there so it can be restored.
fn replace_text(page: Page, previous: RwSignal<Option<String>>, text: String) {
    let current = page.text.get_untracked();
    if !current.trim().is_empty() && current != text {
        previous.set(Some(current));
    }
    page.set_text(text);
}

#[component]
pub fn Editor() -> impl IntoView {
    let page = Page::from_context();
    let previous = RwSignal::new(None::<String>);
    let located = Memo::new(move |_| {
        page.outcome.with(|o| match &o.error {
            Some(PlanError::Values(e)) => Some((e.line, e.column, e.message.clone())),
            _ => None,
        })
    });
    let dragging = RwSignal::new(false);
    let large_and_pending = move || page.plan_pending() && page.text.with(String::len) > LIVE_PLAN_LIMIT;
    // Planning a large file blocks the page for seconds: say so first, then plan.
    let planning = RwSignal::new(false);
    let plan_large = move |_| {
        planning.set(true);
        set_timeout(
            move || {
                page.plan_now();
                planning.set(false);
            },
            std::time::Duration::from_millis(50),
        );
    };

    let on_upload = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            load_file(page, previous, file);
        }
        // Choosing the same file again must fire `change` again.
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|files| files.get(0)) {
            load_file(page, previous, file);
        }
    };

    view! {
        <div class="editor">
            <div class="editor-head">
                <label for="values-input" class="editor-label">"values.yaml"</label>
                <div class="editor-actions">
                    <button type="button" class="button" on:click=move |_| replace_text(page, previous, EXAMPLE.to_string())>
                        "Load example"
                    </button>
                    <input
                        id="values-upload"
                        class="file-input"
                        type="file"
                        accept=".yaml,.yml,text/yaml,application/x-yaml,text/plain"
                        on:change=on_upload
                    />
                    <label for="values-upload" class="button">"Upload values.yaml"</label>
                </div>
            </div>
            <div
                class="editor-area"
                class:dragging=move || dragging.get()
                on:dragover=move |ev: leptos::ev::DragEvent| {
                    ev.prevent_default();
                    dragging.set(true);
                }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <textarea
                    id="values-input"
                    node_ref=page.editor
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    wrap="off"
                    rows="18"
                    placeholder="Paste your values.yaml here, or drop the file"
                    aria-describedby=move || if located.with(Option::is_some) { "values-help values-error" } else { "values-help" }
                    aria-invalid=move || if located.with(Option::is_some) { "true" } else { "false" }
                    prop:value=page.text.get_untracked()
                    on:input=move |ev| page.text.set(event_target_value(&ev))
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                            ev.prevent_default();
                            page.plan_now();
                        }
                    }
                ></textarea>
            </div>
            <p id="values-help" class="hint">
                "The plan follows your typing. The text never leaves this page and is not stored unless you ask (This device, below)."
            </p>
            <Show when=large_and_pending>
                <p class="large-file" role="status">
                    {move || {
                        if planning.get() {
                            "Planning a file this large takes a few seconds…"
                        } else {
                            "This file is large, so the plan is not remade while you type. "
                        }
                    }}
                    <button type="button" class="button" disabled=move || planning.get() on:click=plan_large>
                        "Update plan"
                    </button>
                    " (Ctrl+Enter)"
                </p>
            </Show>
            {move || {
                located
                    .get()
                    .map(|(line, column, message)| {
                        view! {
                            <div class="alert" role="alert" id="values-error">
                                <p>
                                    <strong>{format!("Line {line}, column {column}: ")}</strong>
                                    {message}
                                </p>
                                <button type="button" class="link" on:click=move |_| page.select_line(line)>
                                    {format!("Go to line {line}")}
                                </button>
                            </div>
                        }
                    })
            }}
            {move || {
                previous
                    .get()
                    .map(|old| {
                        view! {
                            <p class="restore">
                                "Your earlier text was replaced. "
                                <button
                                    type="button"
                                    class="link"
                                    on:click=move |_| {
                                        previous.set(None);
                                        page.set_text(old.clone());
                                    }
                                >
                                    "Restore previous text"
                                </button>
                            </p>
                        }
                    })
            }}
        </div>
    }
}
