//! The page: shared state, the plan made from it shortly after each change, and the two-column
//! layout (input on the left, plan on the right; stacked on narrow screens).

use crate::remember::{self, RememberPanel};
use crate::share::{self, ShareBanner, SharePanel};
use crate::{choices::ChoicesPanel, diagram::Diagram, editor::Editor, tabs::Output};
use leptos::prelude::*;
use planner::{Choices, DeployedWith, ImplementationId, Plan, PlanError, TlsModel};
use std::sync::Arc;
use std::time::Duration;

/// Above this size the plan is not remade while typing: the user asks for it (a 5 MB file takes
/// seconds to plan, and typing must never wait for that).
pub const LIVE_PLAN_LIMIT: usize = 1024 * 1024;

/// How long typing must pause before the plan is remade: short for small files so the plan
/// follows the typing, longer as the planning work grows.
fn plan_delay(len: usize) -> Duration {
    Duration::from_millis(if len < 128 * 1024 { 40 } else { 250 })
}

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
    /// What the text area holds.
    pub text: RwSignal<String>,
    /// The text the plan is made from: follows `text` once typing pauses.
    pub planned_text: RwSignal<String>,
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
    /// The Gateway's address once it exists: a host that cannot be moved becomes a name from it.
    pub gateway_address: RwSignal<String>,
    /// The user says external-dns manages the hostname.
    pub external_dns: RwSignal<bool>,
    /// Helm, Argo CD or Flux applies the values.
    pub deployed_with: RwSignal<DeployedWith>,
    pub outcome: Memo<Outcome>,
    pub editor: NodeRef<leptos::html::Textarea>,
}

impl State {
    pub fn plan(&self) -> Option<Arc<Plan>> {
        self.outcome.with(|o| o.plan.clone())
    }

    /// Replaces the text (example, upload, restore, link): the only writes to the text area.
    /// Planned at once unless it is large (then the user asks, see the editor).
    pub fn set_text(&self, text: String) {
        if let Some(area) = self.editor.get_untracked() {
            area.set_value(&text);
        }
        if text.len() <= LIVE_PLAN_LIMIT {
            self.planned_text.set(text.clone());
        }
        self.text.set(text);
    }

    /// Plans the text as it is now (large files, on request).
    pub fn plan_now(&self) {
        self.planned_text.set(self.text.get_untracked());
    }

    /// The text area holds edits the plan does not show yet.
    pub fn plan_pending(&self) -> bool {
        self.text.with(|t| self.planned_text.with(|p| t != p))
    }

    /// The user's choices; empty fields are `None` (derived from the values).
    pub fn choices(&self) -> Choices {
        Self::choices_of(
            self.implementation,
            self.tls,
            [
                self.gateway_name,
                self.gateway_namespace,
                self.namespace,
                self.release,
                self.host,
                self.issuer,
                self.certificate_arn,
                self.chart_version,
                self.gateway_address,
            ],
            self.external_dns,
            self.deployed_with,
        )
    }

    /// The choices from the controls' signals, before a `State` exists (the plan memo is part of it).
    fn choices_of(
        implementation: RwSignal<ImplementationId>,
        tls: RwSignal<Option<TlsModel>>,
        texts: [RwSignal<String>; 9],
        external_dns: RwSignal<bool>,
        deployed_with: RwSignal<DeployedWith>,
    ) -> Choices {
        let [gateway_name, gateway_namespace, namespace, release, host, issuer, certificate_arn, chart_version, gateway_address] =
            texts.map(optional);
        Choices {
            implementation: implementation.get(),
            tls: tls.get(),
            gateway_name,
            gateway_namespace,
            namespace,
            release,
            host,
            issuer,
            certificate_arn,
            chart_version,
            gateway_address,
            external_dns: external_dns.get(),
            deployed_with: deployed_with.get(),
        }
    }

    /// The choices without subscribing to them (event handlers).
    pub fn choices_untracked(&self) -> Choices {
        untrack(|| self.choices())
    }

    /// Sets every control from choices (a share link, a remembered set).
    pub fn set_choices(&self, c: &Choices) {
        self.implementation.set(c.implementation);
        self.tls.set(c.tls);
        for (signal, value) in [
            (self.gateway_name, &c.gateway_name),
            (self.gateway_namespace, &c.gateway_namespace),
            (self.namespace, &c.namespace),
            (self.release, &c.release),
            (self.host, &c.host),
            (self.issuer, &c.issuer),
            (self.certificate_arn, &c.certificate_arn),
            (self.chart_version, &c.chart_version),
            (self.gateway_address, &c.gateway_address),
        ] {
            signal.set(value.clone().unwrap_or_default());
        }
        self.external_dns.set(c.external_dns);
        self.deployed_with.set(c.deployed_with);
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

fn optional(s: RwSignal<String>) -> Option<String> {
    s.with(|v| {
        let v = v.trim();
        (!v.is_empty()).then(|| v.to_string())
    })
}

#[component]
pub fn App() -> impl IntoView {
    let text = RwSignal::new(String::new());
    let planned_text = RwSignal::new(String::new());
    let implementation = RwSignal::new(ImplementationId::EnvoyGateway);
    let tls = RwSignal::new(None);
    let [gateway_name, gateway_namespace, namespace, release, host, issuer, certificate_arn, chart_version, gateway_address] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    let external_dns = RwSignal::new(false);
    let deployed_with = RwSignal::new(DeployedWith::Helm);
    let editor = NodeRef::new();

    let outcome = Memo::new(move |previous: Option<&Outcome>| {
        let text = planned_text.get();
        if text.trim().is_empty() {
            return Outcome { plan: None, source: Arc::new(text), error: None };
        }
        let choices = State::choices_of(
            implementation,
            tls,
            [
                gateway_name,
                gateway_namespace,
                namespace,
                release,
                host,
                issuer,
                certificate_arn,
                chart_version,
                gateway_address,
            ],
            external_dns,
            deployed_with,
        );
        match planner::plan(&text, &choices) {
            Ok(plan) => Outcome { plan: Some(Arc::new(plan)), source: Arc::new(text), error: None },
            Err(error) => {
                let (plan, source) = previous.map(|o| (o.plan.clone(), o.source.clone())).unwrap_or_default();
                Outcome { plan, source, error: Some(error) }
            }
        }
    });

    let state = State {
        text,
        planned_text,
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
        gateway_address,
        external_dns,
        deployed_with,
        outcome,
        editor,
    };

    // Typing updates `text` only; the plan follows once typing pauses, so no keystroke waits
    // for planning. Large files are planned on request (see the editor).
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let len = text.with(String::len);
        if let Some(handle) = pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        if state.plan_pending() && len <= LIVE_PLAN_LIMIT {
            let handle = set_timeout_with_handle(move || state.plan_now(), plan_delay(len)).ok();
            pending.set_value(handle);
        }
    });

    // Counts the plans shown, on <html data-plans>, so a measuring script can tell when a
    // keystroke's plan is on screen (tests/browser/measure.mjs).
    let shown = StoredValue::new(0u64);
    Effect::new(move |_| {
        outcome.track();
        shown.update_value(|n| *n += 1);
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-plans", &shown.get_value().to_string());
        }
    });

    // A share link in the address wins over what this device remembers.
    remember::remove_legacy();
    let opened = RwSignal::new(None);
    if !share::open_from_address(state, opened) {
        remember::restore(state);
    }
    let opened_link = Signal::derive(move || opened.with(|o| matches!(o, Some(share::OpenedLink::Opened { .. }))));

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
                <ShareBanner opened=opened/>
                <Editor state=state/>
                <ChoicesPanel state=state/>
                <SharePanel state=state/>
                <RememberPanel state=state opened_link=opened_link/>
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
