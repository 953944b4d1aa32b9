//! The plan's outputs: the download toolbar and the tabs (Values, Gateway, TLS, Policies,
//! Findings, Runbook).

use crate::code::{CodeBlock, DiffView};
use crate::diff::{diff_lines, hunks};
use crate::state::{planned_implementation_name, planned_tls, Outcome, Page};
use crate::{download, markdown};
use leptos::prelude::*;
use planner::markdown::Span;
use planner::{Finding, Severity, TlsModel};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Values,
    Gateway,
    Tls,
    Policies,
    Findings,
    Runbook,
}

const TABS: [(Tab, &str, &str); 6] = [
    (Tab::Values, "Values", "values"),
    (Tab::Gateway, "Gateway", "gateway"),
    (Tab::Tls, "TLS", "tls"),
    (Tab::Policies, "Policies", "policies"),
    (Tab::Findings, "Findings", "findings"),
    (Tab::Runbook, "Runbook", "runbook"),
];

const VALUES_FILES: [&str; 4] =
    ["values-parallel.yaml", "values-final.yaml", "overlay-parallel.yaml", "overlay-final.yaml"];

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
    let selected = RwSignal::new(Tab::Values);
    let release = Memo::new(move |_| {
        page.outcome.with(|o| o.plan.as_ref().map(|p| p.resolved.release.clone()).unwrap_or_default())
    });
    let finding_count = Memo::new(move |_| page.outcome.with(|o| o.plan.as_ref().map_or(0, |p| p.findings.len())));
    let error_count = Memo::new(move |_| {
        page.outcome.with(|o| {
            o.plan.as_ref().map_or(0, |p| p.findings.iter().filter(|f| f.severity == Severity::Error).count())
        })
    });

    // A greyed (stale) plan no longer matches the input: it stays visible but is not offered.
    // Nor while the text area holds edits the plan has not caught up with (a large file waits
    // for Update plan): the downloads would be of the earlier text.
    let stale = move || page.outcome.with(Outcome::stale) || page.plan_pending();
    let download_runbook = move |_| {
        if let Some(plan) = page.plan() {
            let _ = download::save(
                &format!("{}-runbook.md", plan.resolved.release),
                plan.file("runbook.md").unwrap_or_default().as_bytes(),
                "text/markdown;charset=utf-8",
            );
        }
    };
    let download_all = move |_| {
        if let Some(plan) = page.plan() {
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
        let current = TABS.iter().position(|(t, _, _)| *t == selected.get_untracked()).unwrap_or(0);
        let next = match ev.key().as_str() {
            "ArrowRight" => (current + 1) % TABS.len(),
            "ArrowLeft" => (current + TABS.len() - 1) % TABS.len(),
            "Home" => 0,
            "End" => TABS.len() - 1,
            _ => return,
        };
        ev.prevent_default();
        selected.set(TABS[next].0);
        focus_tab(TABS[next].2);
    };

    view! {
        <div class="toolbar">
            <p class="summary">
                {move || {
                    page
                        .outcome
                        .with(|o| {
                            o.plan
                                .as_ref()
                                .map(|p| {
                                    let r = &p.resolved;
                                    format!(
                                        "Release {} in {} · Gateway {}/{} · {}",
                                        r.release,
                                        r.namespace,
                                        r.gateway_namespace,
                                        r.gateway_name,
                                        r.host.clone().unwrap_or_else(|| "no hostname".into()),
                                    )
                                })
                        })
                }}
            </p>
            <div class="toolbar-actions">
                <button type="button" class="button" disabled=stale on:click=download_runbook>"Download runbook"</button>
                <button
                    type="button"
                    class="button primary"
                    disabled=stale
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
            {TABS
                .into_iter()
                .map(|(tab, label, slug)| {
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
                            {label}
                            {(tab == Tab::Findings)
                                .then(|| {
                                    view! {
                                        <span class="badge" class:has-errors=move || { error_count.get() != 0 } aria-hidden="true">
                                            {move || finding_count.get()}
                                        </span>
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
            aria-labelledby=move || format!("tab-{}", TABS.iter().find(|(t, _, _)| *t == selected.get()).map_or("values", |t| t.2))
        >
            {move || match selected.get() {
                Tab::Values => view! { <ValuesPanel/> }.into_any(),
                Tab::Gateway => view! { <FilePanel name="gateway.yaml"/> }.into_any(),
                Tab::Tls => view! { <TlsPanel/> }.into_any(),
                Tab::Policies => view! { <PoliciesPanel/> }.into_any(),
                Tab::Findings => view! { <FindingsPanel/> }.into_any(),
                Tab::Runbook => view! { <RunbookPanel release=release/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn ValuesPanel() -> impl IntoView {
    let page = Page::from_context();
    let chosen = RwSignal::new(VALUES_FILES[0]);
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
        {move || content.get().map(|c| view! { <CodeBlock name=chosen.get_untracked().to_string() content=c/> })}
    }
}

#[component]
fn FilePanel(name: &'static str) -> impl IntoView {
    let page = Page::from_context();
    let content = file_memo(page, move || name);
    move || {
        content
            .get()
            .map(|c| view! { <CodeBlock name=name.to_string() content=c/> }.into_any())
            .unwrap_or_else(|| view! { <p class="hint">{format!("This plan has no {name}.")}</p> }.into_any())
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
        {move || {
            content
                .get()
                .map(|c| view! { <CodeBlock name="tls.yaml".to_string() content=c/> }.into_any())
                .unwrap_or_else(|| view! { <p class="hint">"This TLS model needs no tls.yaml."</p> }.into_any())
        }}
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
                            view! {
                                <li class="finding">
                                    <div class="finding-head">
                                        <span class=format!("severity {}", f.severity.as_str())>{f.severity.as_str()}</span>
                                        <code class="finding-code">{f.code.as_str()}</code>
                                        {f.path.clone().map(|p| view! { <code class="finding-path">{p}</code> })}
                                        {location}
                                    </div>
                                    <p>{rich_text(&f.message)}</p>
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

#[component]
fn RunbookPanel(release: Memo<String>) -> impl IntoView {
    let page = Page::from_context();
    let html = Memo::new(move |_| {
        page.outcome
            .with(|o| o.plan.as_ref().and_then(|p| p.file("runbook.md")).map(markdown::render).unwrap_or_default())
    });
    view! {
        <div class="runbook-head">
            <p class="hint">{move || format!("The runbook for release {} (Download runbook saves it as Markdown).", release.get())}</p>
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
        <article class="markdown" inner_html=move || html.get()></article>
    }
}
