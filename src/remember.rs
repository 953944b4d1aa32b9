//! "Remember on this device": off by default. When on, the choices are kept in this browser's
//! localStorage, and the values only when the user ticks that too (they may hold secrets).
//! "Forget" clears it. Nothing else is ever stored.

use crate::state::Page;
use leptos::prelude::*;
use planner::share::{choices_from_text, choices_to_text};

/// The choices as `name=value` lines (as in a share link).
const CHOICES_KEY: &str = "gateway-planner.choices";
/// The values text, only when the user asked for it.
const VALUES_KEY: &str = "gateway-planner.remembered-values";
/// Earlier versions kept the pasted text here unasked; it is removed on every start.
const LEGACY_KEY: &str = "gateway-planner.values";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

/// Removes what an earlier version stored without asking (it may hold secrets).
pub fn remove_legacy() {
    if let Some(s) = storage() {
        let _ = s.remove_item(LEGACY_KEY);
    }
}

/// Puts remembered choices (and values, if kept) back into the page.
pub fn restore(page: Page) {
    if let Some(choices) = get(CHOICES_KEY).and_then(|c| choices_from_text(&c).ok()) {
        page.set_choices(&choices);
    }
    if let Some(values) = get(VALUES_KEY) {
        page.set_text(values);
    }
}

/// `opened_link`: while a share link's plan is shown (until its banner is dismissed), nothing is
/// written, so opening a link never replaces what this device remembers.
#[component]
pub fn RememberPanel(opened_link: Signal<bool>) -> impl IntoView {
    let page = Page::from_context();
    let remember = RwSignal::new(get(CHOICES_KEY).is_some());
    let remember_values = RwSignal::new(get(VALUES_KEY).is_some());

    Effect::new(move |ran_before: Option<()>| {
        let (on, with_values, choices) = (remember.get(), remember_values.get(), page.planner_choices());
        // The planned text only when it is kept: saved once typing pauses, not on every keystroke,
        // and plans run no storage writes at all while nothing is remembered.
        if on && with_values {
            page.planned_text.track();
        }
        // The first run only subscribes: the page has just been filled from storage or a link.
        if ran_before.is_none() || opened_link.get() {
            return;
        }
        let Some(s) = storage() else { return };
        let _ = match on {
            true => s.set_item(CHOICES_KEY, &choices_to_text(&choices)),
            false => s.remove_item(CHOICES_KEY),
        };
        let _ = match on && with_values {
            true => page.text.with_untracked(|text| s.set_item(VALUES_KEY, text)),
            false => s.remove_item(VALUES_KEY),
        };
    });

    let forget = move |_| {
        remember_values.set(false);
        remember.set(false);
        if let Some(s) = storage() {
            let _ = s.remove_item(CHOICES_KEY);
            let _ = s.remove_item(VALUES_KEY);
        }
        remove_legacy();
    };

    view! {
        <section class="remember" aria-labelledby="remember-heading">
            <h3 id="remember-heading" class="section-title">"This device"</h3>
            <div class="field field-check">
                <input
                    id="remember"
                    type="checkbox"
                    prop:checked=move || remember.get()
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        remember.set(on);
                        if !on {
                            remember_values.set(false);
                        }
                    }
                />
                <label for="remember">"Remember on this device"</label>
            </div>
            <div class="field field-check">
                <input
                    id="remember-values"
                    type="checkbox"
                    disabled=move || !remember.get()
                    prop:checked=move || remember_values.get()
                    on:change=move |ev| remember_values.set(event_target_checked(&ev))
                />
                <label for="remember-values">"Also remember the values (they may hold secrets)"</label>
            </div>
            <p class="hint">
                {move || match (remember.get(), remember_values.get()) {
                    (false, _) => "Nothing is stored: closing the page forgets everything.",
                    (true, false) => "Your choices are kept in this browser's storage; the values are not.",
                    (true, true) => "Your choices and values are kept in this browser's storage, unencrypted.",
                }}
            </p>
            <button type="button" class="button" on:click=forget>"Forget"</button>
        </section>
    }
}
