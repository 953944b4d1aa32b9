//! The page: its state (see `state`) provided to every component, and the two-column layout
//! (input on the left, plan on the right; stacked on narrow screens).

use crate::remember::{self, RememberPanel};
use crate::share::{self, ShareBanner, SharePanel};
use crate::state::{Outcome, Page};
use crate::{choices::ChoicesPanel, diagram::Diagram, editor::Editor, tabs::Output};
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
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
                <Editor/>
                <ChoicesPanel/>
                <SharePanel/>
                <RememberPanel opened_link=opened_link/>
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
                    fallback=move || view! { <Welcome/> }
                >
                    <div class="stale-dim">
                        <Diagram/>
                        <Output/>
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
fn Welcome() -> impl IntoView {
    let outcome = Page::from_context().outcome;
    view! {
        <div class="welcome">
            <h2>"No plan yet"</h2>
            <Show
                when=move || outcome.with(|o| o.error.is_some())
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
