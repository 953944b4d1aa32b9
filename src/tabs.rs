//! The plan's outputs: the download toolbar and the tabs (Values, Gateway, TLS, Policies,
//! Findings, Runbook).

use crate::code::{CodeBlock, DiffView};
use crate::diff::{diff_lines, hunks};
use crate::state::{
    planned_implementation_name, planned_tls, ChoiceProblem, Page, PlanSummary, PlanTab, TextChoice, VALUES_FILES,
};
use crate::{download, markdown, wording};
use leptos::prelude::*;
use planner::markdown::Span;
use planner::{ChoiceField, Finding, PlanError, Severity, TlsModel};

fn focus_tab(slug: &str) {
    if let Some(el) =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&format!("tab-{slug}")))
    {
        use wasm_bindgen::JsCast;
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

/// The content of one plan file (empty when absent), changing only when the file does.
fn file_memo(page: Page, name: impl Fn() -> &'static str + Send + Sync + 'static) -> Memo<Option<String>> {
    Memo::new(move |_| {
        let name = name();
        page.outcome.with(|o| o.plan.as_ref().and_then(|p| p.file(name).map(str::to_string)))
    })
}

#[component]
pub fn Output() -> impl IntoView {
    let page = Page::from_context();
    let selected = page.tab;
    let release = Memo::new(move |_| {
        page.outcome.with(|o| o.plan.as_ref().map(|p| p.resolved.release.clone()).unwrap_or_default())
    });
    let summary = Memo::new(move |_| page.outcome.with(|o| o.plan.as_deref().map(PlanSummary::of)));
    let finding_count = move || summary.with(|s| s.as_ref().map_or(0, |s| s.findings));
    let error_count = move || summary.with(|s| s.as_ref().map_or(0, |s| s.errors));
    // The badge shows the number; the tab's name says it in words ("Findings: 1 error, 6
    // warnings, 5 notes"), from text only screen readers get.
    let findings_name = move || {
        summary
            .with(|s| s.as_ref().map_or_else(|| "Findings".to_string(), |s| format!("Findings: {}", s.by_severity())))
    };

    // A stale plan no longer matches the input: it stays visible but is not offered (see
    // `Page::offers_downloads`); a download is of the input as it is when clicked.
    let offered = Memo::new(move |_| page.offers_downloads());
    let withheld = move || !offered.get();
    let download_runbook = move |_| {
        if let Some(plan) = page.plan_to_download() {
            let _ = download::save(
                &format!("{}-runbook.md", plan.resolved.release),
                plan.file("runbook.md").unwrap_or_default().as_bytes(),
                "text/markdown;charset=utf-8",
            );
        }
    };
    let download_all = move |_| {
        if let Some(plan) = page.plan_to_download() {
            let files: Vec<(&str, &[u8])> =
                plan.files.iter().map(|f| (f.name.as_str(), f.content.as_bytes())).collect();
            let _ = download::save(
                &format!("{}-gateway-plan.zip", plan.resolved.release),
                &download::zip_store(&files),
                "application/zip",
            );
        }
    };

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let tabs = PlanTab::ALL;
        let current = tabs.iter().position(|t| *t == selected.get_untracked()).unwrap_or(0);
        let next = match ev.key().as_str() {
            "ArrowRight" => (current + 1) % tabs.len(),
            "ArrowLeft" => (current + tabs.len() - 1) % tabs.len(),
            "Home" => 0,
            "End" => tabs.len() - 1,
            _ => return,
        };
        ev.prevent_default();
        selected.set(tabs[next]);
        focus_tab(tabs[next].slug());
    };

    view! {
        <div class="toolbar">
            <div class="toolbar-actions">
                <button type="button" class="button" disabled=withheld on:click=download_runbook>"Download runbook"</button>
                <button
                    type="button"
                    class="button primary"
                    disabled=withheld
                    on:click=download_all
                    aria-describedby="download-all-note"
                >
                    "Download all"
                </button>
                <p id="download-all-note" class="hint">
                    "The zip holds your whole values file twice (database URL, keys): keep it private, and do not commit the values files in plain text."
                </p>
            </div>
        </div>
        <div class="tabs" role="tablist" aria-label="Plan outputs" on:keydown=on_keydown>
            {PlanTab::ALL
                .into_iter()
                .map(|tab| {
                    let (label, slug) = (tab.label(), tab.slug());
                    view! {
                        <button
                            type="button"
                            role="tab"
                            id=format!("tab-{slug}")
                            aria-controls="tab-panel"
                            aria-selected=move || if selected.get() == tab { "true" } else { "false" }
                            tabindex=move || if selected.get() == tab { "0" } else { "-1" }
                            on:click=move |_| selected.set(tab)
                        >
                            // The Findings tab's name is its hidden text, label and counts together.
                            <span aria-hidden=(tab == PlanTab::Findings).then_some("true")>{label}</span>
                            {(tab == PlanTab::Findings)
                                .then(|| {
                                    view! {
                                        <span class="badge" class:has-errors=move || { error_count() != 0 } aria-hidden="true">
                                            {finding_count}
                                        </span>
                                        <span class="visually-hidden tab-name">{findings_name}</span>
                                    }
                                })}
                        </button>
                    }
                })
                .collect_view()}
        </div>
        <div
            class="tab-panel"
            id="tab-panel"
            role="tabpanel"
            tabindex="0"
            aria-labelledby=move || format!("tab-{}", selected.get().slug())
        >
            {move || match selected.get() {
                PlanTab::Values => view! { <ValuesPanel/> }.into_any(),
                PlanTab::Gateway => view! { <FilePanel name="gateway.yaml"/> }.into_any(),
                PlanTab::Tls => view! { <TlsPanel/> }.into_any(),
                PlanTab::Policies => view! { <PoliciesPanel/> }.into_any(),
                PlanTab::Findings => view! { <FindingsPanel/> }.into_any(),
                PlanTab::Runbook => view! { <RunbookPanel release=release/> }.into_any(),
            }}
        </div>
    }
}

/// The plan's status, above the diagram and the tabs and sticky while the plan is read: what it
/// is for and its counts (a way to the findings), or, once typing pauses on input that does not
/// plan, that the plan shown is the last good one. It changes only when typing pauses.
#[component]
pub fn PlanStatus() -> impl IntoView {
    let page = Page::from_context();
    let status = Memo::new(move |_| {
        page.settled.with(|o| {
            let plan = o.plan.as_ref()?;
            let r = &plan.resolved;
            let about = format!(
                "Release {} in {} · Gateway {}/{} · {}",
                r.release,
                r.namespace,
                r.gateway_namespace,
                r.gateway_name,
                r.host.clone().unwrap_or_else(|| "no hostname".into()),
            );
            let problem = o.error.as_ref().map(|e| match e {
                PlanError::Values(e) => format!("values.yaml has a problem at line {}, column {}", e.line, e.column),
                PlanError::Choice { .. } => match ChoiceProblem::of(e) {
                    Some(problem) => format!("{} has a problem", problem.label),
                    None => "a choice has a problem".to_string(),
                },
            });
            Some((PlanSummary::of(plan), about, problem))
        })
    });
    // Always two lines, each cut to its width, so the status changing moves nothing below it.
    move || {
        status.get().map(|(summary, about, problem)| match problem {
            Some(problem) => view! {
                <div class="plan-status stale">
                    <p><strong>"Showing the last plan that could be made:"</strong></p>
                    <p title=format!("{problem}; the plan updates once it is fixed.")>
                        {format!("{problem}; the plan updates once it is fixed.")}
                    </p>
                </div>
            }
            .into_any(),
            None => view! {
                <div class="plan-status">
                    <p>
                        <button type="button" class="link" on:click=move |_| page.tab.set(PlanTab::Findings)>
                            {summary.by_severity()}
                        </button>
                        {format!(" · plan for {}", summary.implementation)}
                    </p>
                    <p class="plan-about" title=about.clone()>{about.clone()}</p>
                </div>
            }
            .into_any(),
        })
    }
}

#[component]
fn ValuesPanel() -> impl IntoView {
    let page = Page::from_context();
    let chosen = page.values_file;
    let content = file_memo(page, move || chosen.get());
    let diff = Memo::new(move |_| {
        let name = chosen.get();
        if name.starts_with("overlay") {
            return None;
        }
        page.outcome
            .with(|o| o.plan.as_ref().and_then(|p| p.file(name)).map(|new| hunks(&diff_lines(&o.source, new), 3)))
    });
    view! {
        <div class="file-picker" role="group" aria-label="Values file">
            {VALUES_FILES
                .into_iter()
                .map(|name| {
                    view! {
                        <button
                            type="button"
                            class="chip"
                            aria-pressed=move || if chosen.get() == name { "true" } else { "false" }
                            on:click=move |_| chosen.set(name)
                        >
                            {name}
                        </button>
                    }
                })
                .collect_view()}
        </div>
        <p class="hint">
            {move || match chosen.get() {
                "values-parallel.yaml" => "Phase 1 and rollback target: your values with the Gateway route added beside the Ingress.",
                "values-final.yaml" => "Phase 3: your values with the Ingress turned off.",
                "overlay-parallel.yaml" => "Phase 1 as an overlay: helm upgrade -f values.yaml -f overlay-parallel.yaml",
                _ => "Phase 3 as an overlay: helm upgrade -f values.yaml -f overlay-final.yaml",
            }}
        </p>
        {move || {
            diff.get()
                .map(|hunks| {
                    let label = format!("Changes in {} against your values.yaml", chosen.get_untracked());
                    view! {
                        <h3 class="section-title">"Changes against your values.yaml"</h3>
                        <DiffView hunks=hunks label=label/>
                    }
                })
        }}
        <h3 class="section-title">"Full file"</h3>
        <Show when=move || content.with(Option::is_some)>
            <CodeBlock
                name=Signal::derive(move || chosen.get().to_string())
                content=Signal::derive(move || content.get().unwrap_or_default())
            />
        </Show>
    }
}

#[component]
fn FilePanel(name: &'static str) -> impl IntoView {
    let page = Page::from_context();
    let content = file_memo(page, move || name);
    view! {
        <Show
            when=move || content.with(Option::is_some)
            fallback=move || view! { <p class="hint">{format!("This plan has no {name}.")}</p> }
        >
            <CodeBlock name=name.to_string() content=Signal::derive(move || content.get().unwrap_or_default())/>
        </Show>
    }
}

#[component]
fn TlsPanel() -> impl IntoView {
    let page = Page::from_context();
    let content = file_memo(page, || "tls.yaml");
    let tls = Memo::new(move |_| page.outcome.with(|o| o.plan.as_deref().map(planned_tls)));
    let explain = move || {
        match tls.get() {
        Some(TlsModel::CertManager) => "cert-manager issues the Gateway's certificate: the issuer annotation goes on the Gateway (gateway-shim).",
        Some(TlsModel::ExistingSecret) => "The Gateway's HTTPS listener serves the Secret the Ingress uses today (see gateway.yaml); no new objects are needed.",
        Some(TlsModel::CloudLb) => "TLS ends at the cloud load balancer in front of the Gateway; the Gateway's listeners and annotations are in gateway.yaml.",
        Some(TlsModel::None) | None => "No TLS: the Gateway listens on plain HTTP only.",
    }
    };
    view! {
        <p class="lead">{explain}</p>
        <Show
            when=move || content.with(Option::is_some)
            fallback=|| view! { <p class="hint">"This TLS model needs no tls.yaml."</p> }
        >
            <CodeBlock name="tls.yaml".to_string() content=Signal::derive(move || content.get().unwrap_or_default())/>
        </Show>
    }
}

/// The implementation policies that keep the ingress's behaviour (body size, timeouts, affinity,
/// allowed networks), or a plain statement that the implementation needs none.
#[component]
fn PoliciesPanel() -> impl IntoView {
    let page = Page::from_context();
    let content = file_memo(page, || "policies.yaml");
    let implementation = Memo::new(move |_| {
        page.outcome.with(|o| o.plan.as_deref().map_or("The chosen implementation", planned_implementation_name))
    });
    move || match content.get() {
        Some(c) => view! {
            <p class="lead">
                {move || {
                    format!(
                        "{} policies that keep what the ingress does today. Apply them after the phase 1 helm upgrade.",
                        implementation.get(),
                    )
                }}
            </p>
            <CodeBlock name="policies.yaml".to_string() content=c/>
        }
        .into_any(),
        None => view! {
            <p class="lead">
                {move || format!("{} needs no policy to keep this ingress's behaviour.", implementation.get())}
            </p>
        }
        .into_any(),
    }
}

/// Focuses the control that holds `choice`: its text field, or the chosen TLS model.
fn focus_choice(choice: ChoiceField) {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let control = match TextChoice::of(choice) {
        Some(field) => document.get_element_by_id(field.input_id()),
        None => document
            .query_selector("input[name=tls]:checked")
            .ok()
            .flatten()
            .or_else(|| document.query_selector("input[name=tls]").ok().flatten()),
    };
    if let Some(control) = control.and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok()) {
        control.scroll_into_view();
        let _ = control.focus();
    }
}

/// Message text with `code` spans, read as the runbook's Markdown reads them (a value holding
/// backticks sits in a longer run of them).
pub fn rich_text(message: &str) -> impl IntoView {
    planner::markdown::spans(message)
        .into_iter()
        .map(|span| match span {
            Span::Code(code) => view! { <code>{code.to_string()}</code> }.into_any(),
            Span::Text(text) => text.to_string().into_any(),
        })
        .collect_view()
}

#[component]
fn FindingsPanel() -> impl IntoView {
    let page = Page::from_context();
    let findings =
        Memo::new(move |_| page.outcome.with(|o| o.plan.as_ref().map(|p| p.findings.clone()).unwrap_or_default()));
    let group = move |severity: Severity, title: &'static str| {
        let items: Vec<Finding> = findings.with(|f| f.iter().filter(|f| f.severity == severity).cloned().collect());
        if items.is_empty() {
            return None;
        }
        let count = items.len();
        Some(view! {
            <section class=format!("finding-group {}", severity.as_str())>
                <h3 class="section-title">{format!("{title} ({count})")}</h3>
                <ul class="findings">
                    {items
                        .into_iter()
                        .map(|f| {
                            let location = f.line.map(|line| {
                                let column = f.column.unwrap_or(1);
                                view! {
                                    <button type="button" class="link location" on:click=move |_| page.select_line(line)>
                                        {format!("line {line}, column {column}")}
                                    </button>
                                }
                            });
                            // In the page's words, with a way to each field it asks for.
                            let said = wording::page_words(&f.message);
                            let asks = !said.fields.is_empty();
                            let fields = said
                                .fields
                                .into_iter()
                                .map(|field| {
                                    let label = wording::choice_label(field);
                                    view! {
                                        <button type="button" class="link" on:click=move |_| focus_choice(field)>
                                            {format!("Go to the {label} field")}
                                        </button>
                                    }
                                })
                                .collect_view();
                            view! {
                                <li class="finding">
                                    <div class="finding-head">
                                        <span class=format!("severity {}", f.severity.as_str())>{f.severity.as_str()}</span>
                                        <strong class="finding-title">{f.code.title()}</strong>
                                        <code class="finding-code" title="The finding's code in findings.json">{f.code.as_str()}</code>
                                        {f.path.clone().map(|p| view! { <code class="finding-path">{p}</code> })}
                                        {location}
                                    </div>
                                    <p>{rich_text(&said.text)}</p>
                                    {asks.then(|| view! { <p class="finding-actions">{fields}</p> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        })
    };
    move || {
        if findings.with(Vec::is_empty) {
            return view! { <p class="hint">"No findings."</p> }.into_any();
        }
        view! {
            {group(Severity::Error, "Errors")}
            {group(Severity::Warning, "Warnings")}
            {group(Severity::Info, "Notes")}
        }
        .into_any()
    }
}

/// Shows the Runbook tab at step `id` (a heading of the rendered runbook): scrolled into view
/// and focused, so the keyboard goes on from there.
pub fn go_to_step(page: Page, id: String) {
    page.tab.set(PlanTab::Runbook);
    // Once the tab's content is on the page.
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let heading = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&id));
        if let Some(heading) = heading.and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok()) {
            heading.scroll_into_view();
            let _ = heading.focus();
        }
    });
}

/// A click on a runbook code block's Copy button (the buttons are in the rendered HTML, see
/// `markdown::render`): copies the block's text without its last line break, and says so on
/// the button and to screen readers.
fn copy_code_block(ev: leptos::ev::MouseEvent, said: RwSignal<String>) {
    use wasm_bindgen::JsCast;
    let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
    let Some(button) = target.closest("[data-copy]").ok().flatten() else { return };
    let Some(code) = button.closest("figure").ok().flatten().and_then(|f| f.query_selector("pre code").ok().flatten())
    else {
        return;
    };
    let text = code.text_content().unwrap_or_default();
    let text = text.strip_suffix('\n').unwrap_or(&text).to_string();
    let name = button.get_attribute("aria-label").unwrap_or_default();
    leptos::task::spawn_local(async move {
        let copied = crate::code::write_clipboard(&text).await;
        button.set_text_content(Some(if copied { "Copied" } else { "Copy failed" }));
        said.set(if copied {
            format!("{}: copied", name.trim_start_matches("Copy "))
        } else {
            "Copy is not available here: select the text instead".to_string()
        });
        set_timeout(move || button.set_text_content(Some("Copy")), std::time::Duration::from_secs(2));
    });
}

/// The runbook: a list of its steps (sticky beside it on wide screens), and the runbook with a
/// Copy button on every code block and a switch to wrap long lines.
#[component]
fn RunbookPanel(release: Memo<String>) -> impl IntoView {
    let page = Page::from_context();
    let rendered = Memo::new(move |_| {
        page.outcome
            .with(|o| o.plan.as_ref().and_then(|p| p.file("runbook.md")).map(markdown::render).unwrap_or_default())
    });
    let wrap = RwSignal::new(false);
    let said = RwSignal::new(String::new());
    // The step being read: the last section whose heading has passed the top of the window.
    let reading = RwSignal::new(None::<String>);
    let follow = window_event_listener(leptos::ev::scroll, move |_| {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let Ok(headings) = document.query_selector_all("article.markdown h4") else { return };
        let mut current = None;
        for i in 0..headings.length() {
            use wasm_bindgen::JsCast;
            let Some(heading) = headings.item(i).and_then(|h| h.dyn_into::<web_sys::Element>().ok()) else { continue };
            if heading.get_bounding_client_rect().top() > 120.0 {
                break;
            }
            current = Some(heading.id());
        }
        if reading.with_untracked(|r| *r != current) {
            reading.set(current);
        }
    });
    on_cleanup(move || follow.remove());
    view! {
        <div class="runbook-head">
            <p class="hint">{move || format!("The runbook for release {} (Download runbook saves it as Markdown).", release.get())}</p>
            <label class="check">
                <input type="checkbox" prop:checked=move || wrap.get() on:change=move |ev| wrap.set(event_target_checked(&ev))/>
                "Wrap long lines"
            </label>
            <button
                type="button"
                class="button"
                on:click=move |_| {
                    if let Some(w) = web_sys::window() {
                        let _ = w.print();
                    }
                }
            >
                "Print / Save as PDF"
            </button>
        </div>
        <div class="runbook-body">
            <nav class="runbook-steps" aria-label="Runbook steps">
                <p class="section-title" aria-hidden="true">"Steps"</p>
                <ol>
                    {move || {
                        rendered
                            .with(|r| r.steps.clone())
                            .into_iter()
                            .map(|step| {
                                let id = step.id.clone();
                                let this = step.id.clone();
                                let current = move || reading.with(|r| r.as_deref() == Some(this.as_str())).then_some("location");
                                view! {
                                    <li>
                                        <a
                                            aria-current=current
                                            href=format!("#{}", step.id)
                                            on:click=move |ev| {
                                                // The address keeps what it holds (a share link).
                                                ev.prevent_default();
                                                go_to_step(page, id.clone());
                                            }
                                        >
                                            {step.title}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ol>
            </nav>
            <article
                class="markdown"
                class:wrap=move || wrap.get()
                on:click=move |ev| copy_code_block(ev, said)
                inner_html=move || rendered.with(|r| r.html.clone())
            ></article>
        </div>
        <p class="visually-hidden" role="status">{move || said.get()}</p>
    }
}
