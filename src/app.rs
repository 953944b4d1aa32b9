//! The page: shared state, the plan made from it on every change, and the two-column layout
//! (input on the left, plan on the right; stacked on narrow screens).

use crate::{choices::ChoicesPanel, diagram::Diagram, editor::Editor, tabs::Output};
use leptos::prelude::*;
use planner::{Choices, ImplementationId, Plan, PlanError, TlsModel};
use std::sync::Arc;

/// Where the pasted text is kept between visits (this browser only; it is never sent anywhere).
const STORAGE_KEY: &str = "gateway-planner.values";

/// The latest plan that could be made, and why the current input makes none.
#[derive(Clone, PartialEq)]
pub struct Outcome {
    pub plan: Option<Arc<Plan>>,
    /// The values text `plan` was made from (the left side of the diff).
    pub source: Arc<String>,
    pub error: Option<PlanError>,
}

impl Outcome {
    /// A plan is shown but no longer matches the input.
    pub fn stale(&self) -> bool {
        self.plan.is_some() && self.error.is_some()
    }
}

#[derive(Clone, Copy)]
pub struct State {
    pub text: RwSignal<String>,
    pub implementation: RwSignal<ImplementationId>,
    /// `None`: the model the values imply.
    pub tls: RwSignal<Option<TlsModel>>,
    pub gateway_name: RwSignal<String>,
    pub gateway_namespace: RwSignal<String>,
    pub namespace: RwSignal<String>,
    pub release: RwSignal<String>,
    pub host: RwSignal<String>,
    pub issuer: RwSignal<String>,
    pub certificate_arn: RwSignal<String>,
    pub chart_version: RwSignal<String>,
    /// The user says external-dns manages the hostname.
    pub external_dns: RwSignal<bool>,
    pub outcome: Memo<Outcome>,
    pub editor: NodeRef<leptos::html::Textarea>,
}

impl State {
    pub fn plan(&self) -> Option<Arc<Plan>> {
        self.outcome.with(|o| o.plan.clone())
    }

    /// Replaces the text (example, upload, restore): the only writes to the text area.
    pub fn set_text(&self, text: String) {
        if let Some(area) = self.editor.get_untracked() {
            area.set_value(&text);
        }
        self.text.set(text);
    }

    /// Selects line `line` of the text area (1-based) and scrolls it into view.
    pub fn select_line(&self, line: usize) {
        let Some(area) = self.editor.get_untracked() else {
            return;
        };
        let text = area.value();
        // Offsets in UTF-16 code units, as the DOM counts them.
        let mut offset = 0u32;
        let mut range = None;
        for (i, l) in text.split('\n').enumerate() {
            let len = l.encode_utf16().count() as u32;
            if i + 1 == line {
                range = Some((offset, offset + len));
                break;
            }
            offset += len + 1;
        }
        let Some((start, end)) = range else { return };
        let _ = area.focus();
        let _ = area.set_selection_range(start, end);
        // Keep the line a few rows below the top edge.
        let line_height = web_sys::window()
            .and_then(|w| w.get_computed_style(&area).ok().flatten())
            .and_then(|s| s.get_property_value("line-height").ok())
            .and_then(|v| v.trim_end_matches("px").parse::<f64>().ok())
            .unwrap_or(20.0);
        area.set_scroll_top(((line as f64 - 4.0) * line_height).max(0.0) as i32);
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn optional(s: RwSignal<String>) -> Option<String> {
    s.with(|v| {
        let v = v.trim();
        (!v.is_empty()).then(|| v.to_string())
    })
}

#[component]
pub fn App() -> impl IntoView {
    let saved = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()).unwrap_or_default();
    let text = RwSignal::new(saved);
    let implementation = RwSignal::new(ImplementationId::EnvoyGateway);
    let tls = RwSignal::new(None);
    let [gateway_name, gateway_namespace, namespace, release, host, issuer, certificate_arn, chart_version] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    let external_dns = RwSignal::new(false);

    let outcome = Memo::new(move |previous: Option<&Outcome>| {
        let text = text.get();
        if text.trim().is_empty() {
            return Outcome { plan: None, source: Arc::new(text), error: None };
        }
        let mut choices = Choices::new(implementation.get());
        choices.tls = tls.get();
        choices.gateway_name = optional(gateway_name);
        choices.gateway_namespace = optional(gateway_namespace);
        choices.namespace = optional(namespace);
        choices.release = optional(release);
        choices.host = optional(host);
        choices.issuer = optional(issuer);
        choices.certificate_arn = optional(certificate_arn);
        choices.chart_version = optional(chart_version);
        choices.external_dns = external_dns.get();
        match planner::plan(&text, &choices) {
            Ok(plan) => Outcome { plan: Some(Arc::new(plan)), source: Arc::new(text), error: None },
            Err(error) => {
                let (plan, source) = previous.map(|o| (o.plan.clone(), o.source.clone())).unwrap_or_default();
                Outcome { plan, source, error: Some(error) }
            }
        }
    });

    Effect::new(move |_| {
        let text = text.get();
        if let Some(s) = storage() {
            let _ = if text.is_empty() { s.remove_item(STORAGE_KEY) } else { s.set_item(STORAGE_KEY, &text) };
        }
    });

    let state = State {
        text,
        implementation,
        tls,
        gateway_name,
        gateway_namespace,
        namespace,
        release,
        host,
        issuer,
        certificate_arn,
        chart_version,
        external_dns,
        outcome,
        editor: NodeRef::new(),
    };

    view! {
        <header class="masthead">
            <div class="brand">
                <img src="favicon.svg" alt="" width="28" height="28"/>
                <h1>"Gateway Planner"</h1>
            </div>
            <p class="tagline">
                "Plan the move of a ZenML Helm release from Ingress to Gateway API. "
                "Everything runs in this page: your values never leave the browser."
            </p>
        </header>
        <main class="layout">
            <section class="pane input-pane" aria-labelledby="input-heading">
                <h2 id="input-heading" class="visually-hidden">"Input"</h2>
                <Editor state=state/>
                <ChoicesPanel state=state/>
            </section>
            <section
                class="pane output-pane"
                class:stale=move || outcome.with(Outcome::stale)
                aria-labelledby="output-heading"
            >
                <h2 id="output-heading" class="visually-hidden">"Plan"</h2>
                <Show when=move || outcome.with(Outcome::stale)>
                    <p class="stale-note">
                        "Showing the last plan that could be made. It updates again once the input is fixed."
                    </p>
                </Show>
                <Show
                    when=move || outcome.with(|o| o.plan.is_some())
                    fallback=move || view! { <Welcome state=state/> }
                >
                    <div class="stale-dim">
                        <Diagram state=state/>
                        <Output state=state/>
                    </div>
                </Show>
            </section>
        </main>
        <footer class="footer">
            <p>"Gateway Planner · no data leaves this page · output is a plan to review, not a guarantee"</p>
        </footer>
    }
}

#[component]
fn Welcome(state: State) -> impl IntoView {
    view! {
        <div class="welcome">
            <h2>"No plan yet"</h2>
            <Show
                when=move || state.outcome.with(|o| o.error.is_some())
                fallback=|| {
                    view! {
                        <p>
                            "Paste the " <code>"values.yaml"</code>
                            " of your ZenML server release (or upload it, or press "
                            <strong>"Load example"</strong>
                            "), then pick the Gateway implementation and TLS model."
                        </p>
                        <ol>
                            <li>"The values are read with their line numbers; nothing is uploaded."</li>
                            <li>"You get migrated values for each phase, the Gateway and TLS objects, findings and a runbook."</li>
                            <li>"The move runs in three reversible phases: parallel, DNS cutover, Ingress off."</li>
                        </ol>
                    }
                }
            >
                <p>"The input has a problem (see the message next to it); the plan appears once it is fixed."</p>
            </Show>
        </div>
    }
}
