//! The values input: the text area, file upload and drop, the example, and the located error.

use crate::state::{Outcome, Page, PlanSummary};
use leptos::prelude::*;
use planner::PlanError;
use wasm_bindgen::JsCast;

const EXAMPLE: &str = include_str!("example-values.yaml");

/// What the user typed into the page's static values field (index.html) before the app started.
pub struct BootInput {
    text: String,
    selection: Option<(u32, u32)>,
    focused: bool,
}

impl BootInput {
    /// Takes the static page's field, and removes the static page: called once, before the app
    /// draws its own.
    pub fn take() -> Option<BootInput> {
        let document = web_sys::window()?.document()?;
        let shell = document.get_element_by_id("boot-shell")?;
        let field =
            document.get_element_by_id("values-boot").and_then(|f| f.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
        let taken = field.map(|field| {
            let selection = match (field.selection_start(), field.selection_end()) {
                (Ok(Some(start)), Ok(Some(end))) => Some((start, end)),
                _ => None,
            };
            // Read before the removal, which moves the focus to the body.
            let focused = document.active_element().is_some_and(|active| active == **field);
            BootInput { text: field.value(), selection, focused }
        });
        shell.remove();
        taken
    }

    /// Puts the text into the app's field, with the caret and focus where they were: the plan
    /// follows as after a paste.
    pub fn restore(self, page: Page) {
        if !self.text.is_empty() {
            page.set_text(self.text);
        }
        if !self.focused {
            return;
        }
        request_animation_frame(move || {
            if let Some(field) = page.editor.get_untracked() {
                let _ = field.focus();
                if let Some((start, end)) = self.selection {
                    let _ = field.set_selection_range(start, end);
                }
            }
        });
    }
}

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
    let current = page.text_now();
    if !current.trim().is_empty() && current != text {
        previous.set(Some(current));
    }
    page.set_text(text);
}

#[component]
pub fn Editor() -> impl IntoView {
    let page = Page::from_context();
    let previous = RwSignal::new(None::<String>);
    // Reported once typing pauses (see `Page::settled`), so a half-typed line is no error yet.
    let located = Memo::new(move |_| {
        page.settled.with(|o| match &o.error {
            Some(PlanError::Values(e)) => Some((e.line, e.column, crate::wording::page_words(&e.message).text)),
            _ => None,
        })
    });
    let dragging = RwSignal::new(false);
    let large_and_pending = move || page.waits_for_update_plan();
    // Planning a large file blocks the page for seconds: say so first, then plan.
    let planning = RwSignal::new(false);
    let plan_large = move |_| {
        page.stopped_typing();
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
                    aria-describedby=move || if located.with(Option::is_some) { "values-error values-help" } else { "values-help" }
                    aria-invalid=move || if located.with(Option::is_some) { "true" } else { "false" }
                    prop:value=page.text.get_untracked()
                    on:input=move |ev| {
                        // A paste, a drop or a script's change is not typing: report on it at once.
                        let input_type = ev.dyn_ref::<web_sys::InputEvent>().map(|e| e.input_type());
                        let typing = !matches!(input_type.as_deref(), None | Some("insertFromPaste" | "insertFromDrop"));
                        page.field_edited(typing);
                    }
                    on:blur=move |_| page.stopped_typing()
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        // The modifiers first: they cost no string, and most keys have none.
                        if (ev.ctrl_key() || ev.meta_key()) && ev.key() == "Enter" {
                            ev.prevent_default();
                            page.stopped_typing();
                            page.plan_now();
                        }
                    }
                ></textarea>
            </div>
            <PlanJump/>
            // The hint and the error share one place, sized by the larger, so an error coming or
            // going moves nothing below it. Announced politely: it waits for a pause in typing.
            <div class="input-status">
                <p id="values-help" class="hint" class:covered=move || located.with(Option::is_some)>
                    "The plan follows your typing; problems are shown when you pause. The text never leaves this page and is not stored unless you ask (This device, below)."
                </p>
                <div class="input-problem" aria-live="polite">
                    {move || {
                        located
                            .get()
                            .map(|(line, column, message)| {
                                view! {
                                    <div class="problem" id="values-error">
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
                </div>
            </div>
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

/// Where the plan is when it is not beside the text (narrow screens, embedded): its counts right
/// under the text area, and a way to it.
#[component]
fn PlanJump() -> impl IntoView {
    let page = Page::from_context();
    let said = Memo::new(move |_| {
        page.settled.with(|o| match (&o.plan, &o.error) {
            (Some(_), Some(_)) => "The last good plan is shown; the input has a problem.".to_string(),
            (Some(plan), None) => PlanSummary::of(plan).by_severity(),
            (None, Some(_)) => "No plan: the input has a problem.".to_string(),
            (None, None) => "No plan yet.".to_string(),
        })
    });
    let has_plan = Memo::new(move |_| page.outcome.with(|o| o.plan.is_some()));
    let jump = move |_| {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        if let Some(pane) = document.get_element_by_id("plan") {
            pane.scroll_into_view();
        }
        let tab = document.query_selector("[role=tab][aria-selected=true]").ok().flatten();
        if let Some(tab) = tab.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = tab.focus();
        }
    };
    view! {
        <p class="plan-jump" class:stale=move || page.settled.with(Outcome::stale)>
            <span>{move || said.get()}</span>
            <Show when=move || has_plan.get()>
                <button type="button" class="link" on:click=jump>"View plan"</button>
            </Show>
        </p>
    }
}
