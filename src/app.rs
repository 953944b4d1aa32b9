//! The page: its state (see `state`) provided to every component, and the two-column layout
//! (input on the left, plan on the right; stacked on narrow screens).

use crate::editor::{BootInput, Editor};
use crate::remember::{self, RememberPanel};
use crate::share::{self, ShareBanner, SharePanel};
use crate::state::{Page, PlanSummary};
use crate::tabs::{Output, PlanStatus};
use crate::{choices::ChoicesPanel, diagram::Diagram};
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    // Before anything of the app is drawn: the static page's field and what was typed in it.
    let typed_before_start = BootInput::take();
    let page = Page::provide();
    let outcome = page.outcome;

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
    if !share::open_from_address(page, opened) {
        remember::restore(page);
    }
    // What the user typed before the app started wins over a remembered text.
    if let Some(typed) = typed_before_start {
        typed.restore(page);
    }
    let opened_link = Signal::derive(move || opened.with(|o| matches!(o, Some(share::OpenedLink::Opened { .. }))));

    // What changed, for screen readers, once typing pauses: "Plan updated for Istio: 12
    // findings, no errors". Errors are announced where they are shown.
    let announcement = Memo::new(move |_| {
        page.settled.with(|o| match (&o.plan, &o.error) {
            (Some(plan), None) => PlanSummary::of(plan).announcement(),
            _ => String::new(),
        })
    });
    // Embedded, the masthead (and its h1) is hidden: the page still has its one h1.
    let embedded = document().document_element().is_some_and(|root| root.has_attribute("data-embed"));

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
            {embedded.then(|| view! { <h1 class="visually-hidden">"Gateway Planner"</h1> })}
            <section class="pane input-pane" aria-labelledby="input-heading">
                <h2 id="input-heading" class="visually-hidden">"Input"</h2>
                <ShareBanner opened=opened/>
                <p class="intro">
                    "Paste the " <code>"values.yaml"</code> " of your ZenML server release (or upload it, or load the example), "
                    "then choose the Gateway implementation and TLS model: you get the values for each phase, the Gateway and TLS objects, findings and a runbook."
                </p>
                <Editor/>
                <ChoicesPanel/>
                <SharePanel/>
                <RememberPanel opened_link=opened_link/>
            </section>
            <section class="pane output-pane" id="plan" aria-labelledby="output-heading">
                <h2 id="output-heading" class="visually-hidden">"Plan"</h2>
                <Show
                    when=move || outcome.with(|o| o.plan.is_some())
                    fallback=move || view! { <Welcome/> }
                >
                    <PlanStatus/>
                    <Diagram/>
                    <Output/>
                </Show>
            </section>
            <p class="visually-hidden" role="status" id="plan-announcement">{move || announcement.get()}</p>
        </main>
        <footer class="footer">
            <p>"Gateway Planner · no data leaves this page · output is a plan to review, not a guarantee"</p>
        </footer>
    }
}

#[component]
fn Welcome() -> impl IntoView {
    let outcome = Page::from_context().settled;
    view! {
        <div class="welcome">
            <h3>"No plan yet"</h3>
            <Show
                when=move || outcome.with(|o| o.error.is_some())
                fallback=|| {
                    view! {
                        <p>"The plan appears here once there are values to read."</p>
                        <ul>
                            <li>"The values are read with their line numbers; nothing is uploaded."</li>
                            <li>"The move runs in three reversible phases: parallel, DNS cutover, Ingress off."</li>
                        </ul>
                    }
                }
            >
                <p>"The input has a problem (see the message under it); the plan appears once it is fixed."</p>
            </Show>
        </div>
    }
}

/// The plan sits beside the input (the page's two-column layout, see the style sheet), rather
/// than below it.
pub fn wide_layout() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(min-width: 901px)").ok().flatten())
        .is_some_and(|query| query.matches())
}
