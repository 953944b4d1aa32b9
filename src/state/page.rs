//! The page's state as signals, made once by `App` and given to every component through Leptos
//! context, so no component imports the page that places it.

use super::{next_outcome, ChoicesForm, Outcome, LIVE_PLAN_LIMIT};
use leptos::prelude::*;
use planner::{Choices, Plan};
use std::sync::Arc;
use std::time::Duration;

/// How long typing must pause before the plan is remade: short for small files so the plan
/// follows the typing, longer as the planning work grows.
fn plan_delay(len: usize) -> Duration {
    Duration::from_millis(if len < 128 * 1024 { 40 } else { 250 })
}

#[derive(Clone, Copy)]
pub struct Page {
    /// What the text area holds.
    pub text: RwSignal<String>,
    /// The text the plan is made from: follows `text` once typing pauses.
    pub planned_text: RwSignal<String>,
    pub choices: RwSignal<ChoicesForm>,
    /// Remade from `planned_text` and `choices`, keeping the last good plan (see `next_outcome`).
    pub outcome: Memo<Outcome>,
    pub editor: NodeRef<leptos::html::Textarea>,
}

impl Page {
    /// Makes the state and provides it to every component below the caller (`App`, once).
    pub fn provide() -> Page {
        let text = RwSignal::new(String::new());
        let planned_text = RwSignal::new(String::new());
        let choices = RwSignal::new(ChoicesForm::default());
        let outcome = Memo::new(move |previous: Option<&Outcome>| {
            next_outcome(previous, planned_text.get(), &choices.with(ChoicesForm::to_choices))
        });
        let page = Page { text, planned_text, choices, outcome, editor: NodeRef::new() };

        // Typing updates `text` only; the plan follows once typing pauses, so no keystroke waits
        // for planning. Large files are planned on request (see the editor).
        let pending = StoredValue::new_local(None::<TimeoutHandle>);
        Effect::new(move |_| {
            let len = text.with(String::len);
            if let Some(handle) = pending.try_update_value(Option::take).flatten() {
                handle.clear();
            }
            if page.plan_pending() && len <= LIVE_PLAN_LIMIT {
                let handle = set_timeout_with_handle(move || page.plan_now(), plan_delay(len)).ok();
                pending.set_value(handle);
            }
        });

        provide_context(page);
        page
    }

    /// The state `App` provided.
    pub fn from_context() -> Page {
        expect_context()
    }

    pub fn plan(&self) -> Option<Arc<Plan>> {
        self.outcome.with(|o| o.plan.clone())
    }

    /// One part of the choices as its own signal: a view reading it reruns only when it changes,
    /// not on every keystroke in another field.
    pub fn choice<T>(&self, part: impl Fn(&ChoicesForm) -> T + Send + Sync + 'static) -> Memo<T>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        let choices = self.choices;
        Memo::new(move |_| choices.with(&part))
    }

    /// The choices as the core reads them, subscribing to them.
    pub fn planner_choices(&self) -> Choices {
        self.choices.with(ChoicesForm::to_choices)
    }

    /// Sets every control from choices (a share link, a remembered set).
    pub fn set_choices(&self, choices: &Choices) {
        self.choices.set(ChoicesForm::from_choices(choices));
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
