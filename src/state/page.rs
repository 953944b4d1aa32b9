//! The page's state as signals, made once by `App` and given to every component through Leptos
//! context, so no component imports the page that places it.

use super::{
    next_outcome, settled_outcome, ChoicesForm, Outcome, PlanTab, LIVE_PLAN_LIMIT, SETTLE_DELAY_MS, VALUES_FILES,
};
use leptos::prelude::*;
use planner::{Choices, Plan};
use std::sync::Arc;
use std::time::Duration;

/// How long typing must pause before the plan is remade: short for small files so the plan
/// follows the typing, longer as the planning work grows.
fn plan_delay(len: usize) -> Duration {
    Duration::from_millis(if len < 128 * 1024 { 40 } else { 250 })
}

/// Clears the timeout `timer` holds, if any.
fn clear_timer(timer: StoredValue<Option<TimeoutHandle>, LocalStorage>) {
    if let Some(handle) = timer.try_update_value(Option::take).flatten() {
        handle.clear();
    }
}

#[derive(Clone, Copy)]
pub struct Page {
    /// What the text area held when it was last read (`sync_text`). A keystroke does not read
    /// it: copying a large file out of the field on every key would make typing slow down with
    /// the file's size. It is read when typing pauses, before a plan, and before any use of it.
    pub text: RwSignal<String>,
    /// The text area holds edits `text` has not read yet (set by the first keystroke after a
    /// read, not by every one).
    unread: RwSignal<bool>,
    /// The text the plan is made from: follows `text` once typing pauses.
    pub planned_text: RwSignal<String>,
    /// What the controls hold.
    pub choices: RwSignal<ChoicesForm>,
    /// The choices the plan is made from: follow `choices` like `planned_text` follows `text`, so
    /// a click or a keystroke in a side field never waits for planning a large file.
    pub planned_choices: RwSignal<ChoicesForm>,
    /// Remade from `planned_text` and `planned_choices`, keeping the last good plan (see
    /// `next_outcome`). The tabs show its plan as it follows the typing.
    pub outcome: Memo<Outcome>,
    /// The user is typing (in the text area or a text field) and has not paused yet.
    pub typing: RwSignal<bool>,
    /// `outcome` as it was when typing last paused: what errors, the plan's status and the
    /// derived values report (see `settled_outcome`).
    pub settled: Memo<Outcome>,
    pub editor: NodeRef<leptos::html::Textarea>,
    /// The plan's tab on show, and the file the Values tab shows.
    pub tab: RwSignal<PlanTab>,
    pub values_file: RwSignal<&'static str>,
    /// Ends `typing` once typing pauses.
    pause: StoredValue<Option<TimeoutHandle>, LocalStorage>,
    /// Plans (or, for a large file, reads the text) once edits pause.
    plan_timer: StoredValue<Option<TimeoutHandle>, LocalStorage>,
}

impl Page {
    /// Makes the state and provides it to every component below the caller (`App`, once).
    pub fn provide() -> Page {
        let text = RwSignal::new(String::new());
        let planned_text = RwSignal::new(String::new());
        let choices = RwSignal::new(ChoicesForm::default());
        let planned_choices = RwSignal::new(ChoicesForm::default());
        let outcome = Memo::new(move |previous: Option<&Outcome>| {
            next_outcome(previous, planned_text.get(), &planned_choices.with(ChoicesForm::to_choices))
        });
        let typing = RwSignal::new(false);
        let settled = Memo::new(move |previous: Option<&Outcome>| {
            outcome.with(|current| settled_outcome(previous, current, typing.get()))
        });
        let page = Page {
            text,
            unread: RwSignal::new(false),
            planned_text,
            choices,
            planned_choices,
            outcome,
            typing,
            settled,
            editor: NodeRef::new(),
            tab: RwSignal::new(PlanTab::Values),
            values_file: RwSignal::new(VALUES_FILES[0]),
            pause: StoredValue::new_local(None),
            plan_timer: StoredValue::new_local(None),
        };

        // Typing marks the text unread (see `field_edited`) or updates `choices`, and nothing
        // more; the plan follows once typing pauses, so no keystroke waits for planning.
        Effect::new(move |_| {
            choices.track();
            page.plan_when_edits_pause();
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

    /// The choices the plan on screen was made from, as the core reads them.
    pub fn planned_choices_untracked(&self) -> Choices {
        self.planned_choices.with_untracked(ChoicesForm::to_choices)
    }

    /// Sets every control from choices (a share link, a remembered set), planned at once unless
    /// the text is large.
    pub fn set_choices(&self, choices: &Choices) {
        let form = ChoicesForm::from_choices(choices);
        if self.text.with_untracked(String::len) <= LIVE_PLAN_LIMIT {
            self.planned_choices.set(form.clone());
        }
        self.choices.set(form);
    }

    /// The text area's content changed (typing, a paste, a drop): the text is read and planned once
    /// edits pause. `typing`: a keystroke, reported on once typing pauses; a paste or a drop is
    /// reported on at once.
    pub fn field_edited(&self, typing: bool) {
        if !self.unread.get_untracked() {
            self.unread.set(true);
        }
        if typing {
            self.typed();
        } else {
            // Read at once: the editor says at once whether a pasted file is planned live.
            self.stopped_typing();
            self.sync_text();
        }
        self.plan_when_edits_pause();
    }

    /// (Re)starts the wait for a pause in edits, after which the text is read and planned, unless
    /// it is large (planned on request, see the editor).
    fn plan_when_edits_pause(&self) {
        clear_timer(self.plan_timer);
        let page = *self;
        let delay = plan_delay(self.text.with_untracked(String::len));
        let handle = set_timeout_with_handle(
            move || {
                // A large file is planned on request (the editor offers Update plan), and read
                // only when it becomes large or small: its length in UTF-16 units, which the
                // field knows, tells that without copying the text out of it.
                let was_large = page.text.with_untracked(String::len) > LIVE_PLAN_LIMIT;
                let is_large = page.editor.get_untracked().is_some_and(|a| a.text_length() as usize > LIVE_PLAN_LIMIT);
                if !(was_large && is_large) {
                    page.sync_text();
                }
                if page.text.with_untracked(String::len) <= LIVE_PLAN_LIMIT {
                    page.plan_now();
                }
            },
            delay,
        )
        .ok();
        self.plan_timer.set_value(handle);
    }

    /// Reads the text area into `text`, if it holds unread edits.
    pub fn sync_text(&self) {
        if !self.unread.get_untracked() {
            return;
        }
        if let Some(area) = self.editor.get_untracked() {
            let value = area.value();
            if self.text.with_untracked(|text| *text != value) {
                self.text.set(value);
            }
        }
        self.unread.set(false);
    }

    /// What the text area holds now.
    pub fn text_now(&self) -> String {
        self.sync_text();
        self.text.get_untracked()
    }

    /// A keystroke in the text area or a text field: the page reports on it once typing pauses.
    pub fn typed(&self) {
        clear_timer(self.pause);
        if !self.typing.get_untracked() {
            self.typing.set(true);
        }
        let page = *self;
        let handle =
            set_timeout_with_handle(move || page.typing.set(false), Duration::from_millis(SETTLE_DELAY_MS)).ok();
        self.pause.set_value(handle);
    }

    /// Typing is over (the field was left, the text replaced, a plan asked for): report now.
    pub fn stopped_typing(&self) {
        clear_timer(self.pause);
        if self.typing.get_untracked() {
            self.typing.set(false);
        }
    }

    /// Replaces the text (example, upload, restore, link): the only writes to the text area.
    /// Planned at once unless it is large (then the user asks, see the editor).
    pub fn set_text(&self, text: String) {
        if let Some(area) = self.editor.get_untracked() {
            area.set_value(&text);
        }
        self.stopped_typing();
        clear_timer(self.plan_timer);
        if self.unread.get_untracked() {
            self.unread.set(false);
        }
        if text.len() <= LIVE_PLAN_LIMIT {
            self.planned_text.set(text.clone());
            self.planned_choices.set(self.choices.get_untracked());
        }
        self.text.set(text);
    }

    /// Plans the text and choices as they are now (large files, on request).
    pub fn plan_now(&self) {
        self.sync_text();
        if self.plan_pending_untracked() {
            self.planned_choices.set(self.choices.get_untracked());
            self.planned_text.set(self.text.get_untracked());
        }
    }

    /// The text area or the controls hold edits the plan does not show yet.
    pub fn plan_pending(&self) -> bool {
        self.unread.get()
            || self.text.with(|t| self.planned_text.with(|p| t != p))
            || self.choices.with(|c| self.planned_choices.with(|p| c != p))
    }

    fn plan_pending_untracked(&self) -> bool {
        untrack(|| self.plan_pending())
    }

    /// The plan on screen is the plan of what the controls hold now (not a stale or pending one).
    pub fn plan_is_current(&self) -> bool {
        !self.outcome.with(Outcome::stale) && !self.plan_pending()
    }

    /// Downloads are offered unless the plan is stale (the input has a problem) or a large file's
    /// edits wait for Update plan. Edits the plan is about to catch up with keep the offer, so the
    /// first keystroke after a pause redraws no button: a download plans them first
    /// (`plan_to_download`).
    pub fn offers_downloads(&self) -> bool {
        !self.outcome.with(Outcome::stale) && !self.waits_for_update_plan()
    }

    /// A large file holds edits the plan does not show: they are planned on request only.
    pub fn waits_for_update_plan(&self) -> bool {
        self.text.with(String::len) > LIVE_PLAN_LIMIT && self.plan_pending()
    }

    /// The plan of what the input holds now, for a download: edits the plan has not caught up
    /// with yet are planned first (a file under the live limit plans in milliseconds). None while
    /// that plan is stale, or a large file's edits wait for Update plan.
    pub fn plan_to_download(&self) -> Option<Arc<Plan>> {
        untrack(|| {
            if self.text.with(String::len) <= LIVE_PLAN_LIMIT {
                self.stopped_typing();
                self.plan_now();
            }
            if self.plan_is_current() {
                self.plan()
            } else {
                None
            }
        })
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
