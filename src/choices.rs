//! The user's choices: implementation, TLS model, and the names the core derives (left empty, a
//! field uses the derived value, shown as its placeholder).

use crate::help::{implementation_help, tls_help, tls_label};
use crate::state::{planned_tls, ChoiceProblem, Page, TextChoice};
use leptos::prelude::*;
use planner::{DeployedWith, FindingCode, Implementation, ImplementationId, Resolved, TlsModel, IMPLEMENTATIONS};

/// A text field whose empty value means "derived". The line under it says what an empty field
/// uses (`derived`), or why the core refused the value (or why it is needed, `needed`), and is
/// the field's description; it keeps its place when empty, so nothing below it moves.
fn text_field(
    page: Page,
    field: TextChoice,
    problem: Memo<Option<ChoiceProblem>>,
    placeholder: impl Fn() -> String + Send + Sync + 'static,
    derived: impl Fn() -> Option<String> + Send + Sync + 'static,
    needed: impl Fn() -> Option<&'static str> + Send + Sync + 'static,
) -> impl IntoView {
    let value = page.choice(move |c| c.text(field).to_string());
    let empty = page.choice(move |c| c.text(field).trim().is_empty());
    let refused = move || problem.with(|p| p.as_ref().filter(|p| p.field == Some(field)).map(|p| p.message.clone()));
    let (derived, needed) = (Signal::derive(derived), Signal::derive(needed));
    let needed = move || empty.get().then(|| needed.get()).flatten();
    let invalid = move || refused().is_some() || needed().is_some();
    let note_id = format!("{}-note", field.input_id());
    let note = move || {
        if let Some(message) = refused() {
            // The core's message continues a sentence ("Release name: only ..."); here it is one.
            let mut chars = message.chars();
            let message: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
            return Some(view! { <span class="field-error">{message}</span> }.into_any());
        }
        if let Some(why) = needed() {
            return Some(view! { <span class="field-error">{why}</span> }.into_any());
        }
        empty.get().then(|| derived.get()).flatten().map(|value| view! { "Derived: " <code>{value}</code> }.into_any())
    };
    let has_note = move || refused().is_some() || needed().is_some() || (empty.get() && derived.with(Option::is_some));
    let described_by = {
        let note_id = note_id.clone();
        move || has_note().then(|| note_id.clone())
    };
    view! {
        <div class="field">
            <label for=field.input_id()>{field.label()}</label>
            <input
                id=field.input_id()
                type="text"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                placeholder=placeholder
                aria-invalid=move || if invalid() { "true" } else { "false" }
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |ev| {
                    page.choices.update(|c| c.set_text(field, event_target_value(&ev)));
                    page.typed();
                }
                on:blur=move |_| page.stopped_typing()
            />
            <p class="field-note" id=note_id aria-live="polite">{note}</p>
        </div>
    }
}

/// Why the plan has external-dns manage the hostname or not: the user's word, or the values'.
fn external_dns_note(setting: Option<bool>, in_values: Option<bool>) -> &'static str {
    match (setting, in_values) {
        (Some(true), _) => "On: the DNS step hands the record from the Ingress to the HTTPRoute.",
        (Some(false), Some(true)) => {
            "Off, although the Ingress has external-dns annotations: the DNS step edits the record by hand."
        }
        (Some(false), _) => "Off: the DNS step edits the record by hand.",
        (None, Some(true)) => "Auto: on, because the Ingress has external-dns annotations.",
        (None, Some(false)) => "Auto: off, because the Ingress has no external-dns annotations.",
        (None, None) => "Auto: on when the Ingress has external-dns annotations.",
    }
}

#[component]
pub fn ChoicesPanel() -> impl IntoView {
    let page = Page::from_context();
    let implementation = page.choice(|c| c.implementation);
    let chosen_tls = page.choice(|c| c.tls);
    let deployed_with = page.choice(|c| c.deployed_with);
    let external_dns = page.choice(|c| c.external_dns);
    // What the values imply, and what the core refused, as of the last pause in typing (see
    // `Page::settled`): a half-typed line changes neither the radios nor the notes.
    let resolved = Memo::new(move |_| page.settled.with(|o| o.plan.as_ref().map(|p| p.resolved.clone())));
    let external_dns_in_values = Memo::new(move |_| resolved.with(|r| r.as_ref().map(|r| r.external_dns_in_values)));
    let placeholder =
        move |f: fn(&Resolved) -> Option<String>| move || resolved.with(|r| r.as_ref().and_then(f).unwrap_or_default());
    let derived = move |f: fn(&Resolved) -> Option<String>| move || resolved.with(|r| r.as_ref().and_then(f));
    let implied_tls = Memo::new(move |_| page.settled.with(|o| o.plan.as_deref().map(planned_tls)));
    let effective_tls = Memo::new(move |_| chosen_tls.get().or_else(|| implied_tls.get()));
    let problem = Memo::new(move |_| page.settled.with(|o| o.error.as_ref().and_then(ChoiceProblem::of)));
    let no_host = Memo::new(move |_| resolved.with(|r| r.as_ref().is_some_and(|r| r.host.is_none())));
    let other_problem = move || problem.with(|p| p.as_ref().filter(|p| p.field.is_none()).cloned());
    // A TLS model that serves plain HTTP to a release users reach over https today, flagged at
    // the TLS choice itself (derived or chosen), in the finding's own words.
    let downgrade = Memo::new(move |_| {
        page.settled.with(|o| {
            let plan = o.plan.as_ref()?;
            let finding = plan.findings.iter().find(|f| f.code == FindingCode::TlsDowngrade)?;
            Some(crate::wording::page_words(&finding.message).text)
        })
    });
    let tls_described_by = move || {
        if downgrade.with(Option::is_some) {
            "tls-help tls-downgrade"
        } else {
            "tls-help"
        }
    };

    view! {
        <div class="choices">
            <HelpMeChoose/>
            <fieldset class="radios" role="radiogroup" aria-labelledby="impl-legend" aria-describedby="impl-help">
                <legend id="impl-legend">"Gateway implementation"</legend>
                {IMPLEMENTATIONS
                    .iter()
                    .map(|imp| {
                        let id: ImplementationId = imp.id;
                        view! {
                            <label class="radio">
                                <input
                                    type="radio"
                                    name="implementation"
                                    value=imp.slug
                                    prop:checked=move || implementation.get() == id
                                    on:change=move |_| page.choices.update(|c| c.implementation = id)
                                />
                                <span>{imp.display_name}</span>
                            </label>
                        }
                    })
                    .collect_view()}
                <p class="hint radio-help" id="impl-help">
                    {move || implementation_help(Implementation::get(implementation.get()).slug)}
                </p>
            </fieldset>
            <fieldset class="radios" role="radiogroup" aria-labelledby="tls-legend" aria-describedby=tls_described_by>
                <legend id="tls-legend">"TLS"</legend>
                {TlsModel::ALL
                    .into_iter()
                    .map(|model| {
                        view! {
                            <label class="radio">
                                <input
                                    type="radio"
                                    name="tls"
                                    value=model.slug()
                                    prop:checked=move || effective_tls.get() == Some(model)
                                    on:change=move |_| page.choices.update(|c| c.tls = Some(model))
                                />
                                <span>{tls_label(model)}</span>
                            </label>
                        }
                    })
                    .collect_view()}
                <p class="hint radio-help" id="tls-help">{move || effective_tls.get().map(tls_help)}</p>
                <div aria-live="polite">
                    {move || {
                        downgrade
                            .get()
                            .map(|message| {
                                view! {
                                    <p class="field-error downgrade" id="tls-downgrade">
                                        <strong>"Lowers security: "</strong>
                                        {crate::tabs::rich_text(&message)}
                                    </p>
                                }
                            })
                    }}
                </div>
                <p class="hint tls-hint">
                    {move || {
                        if chosen_tls.with(Option::is_some) {
                            view! {
                                "Chosen by you. "
                                <button type="button" class="link" on:click=move |_| page.choices.update(|c| c.tls = None)>
                                    "Use what the values imply"
                                </button>
                            }
                                .into_any()
                        } else {
                            view! { "Derived from the Ingress settings in the values." }.into_any()
                        }
                    }}
                </p>
                // A refused choice that is not a text field (the TLS model) is said under the TLS models, politely.
                <div class="choice-problem" aria-live="polite">
                    {move || {
                        other_problem()
                            .map(|problem| {
                                view! {
                                    <p class="field-error" id="choice-error">
                                        <strong>{format!("{}: ", problem.label)}</strong>
                                        {problem.message}
                                    </p>
                                }
                            })
                    }}
                </div>
            </fieldset>
            <fieldset class="radios" role="radiogroup" aria-labelledby="deployed-legend">
                <legend id="deployed-legend">"Deployed with"</legend>
                {DeployedWith::ALL
                    .into_iter()
                    .map(|way| {
                        view! {
                            <label class="radio">
                                <input
                                    type="radio"
                                    name="deployed-with"
                                    value=way.slug()
                                    prop:checked=move || deployed_with.get() == way
                                    on:change=move |_| page.choices.update(|c| c.deployed_with = way)
                                />
                                <span>{way.label()}</span>
                            </label>
                        }
                    })
                    .collect_view()}
                <p class="hint">"Argo CD and Flux: each phase is a commit and a sync, not a helm upgrade."</p>
            </fieldset>
            <div class="fields">
                <p class="hint fields-hint">"Empty fields use what values.yaml implies (shown under each one)."</p>
                {text_field(page, TextChoice::GatewayName, problem, placeholder(|r| Some(r.gateway_name.clone())), derived(|r| Some(r.gateway_name.clone())), || None)}
                {text_field(page, TextChoice::GatewayNamespace, problem, placeholder(|r| Some(r.gateway_namespace.clone())), derived(|r| Some(r.gateway_namespace.clone())), || None)}
                {text_field(page, TextChoice::Namespace, problem, placeholder(|r| Some(r.namespace.clone())), derived(|r| Some(r.namespace.clone())), || None)}
                {text_field(page, TextChoice::Release, problem, placeholder(|r| Some(r.release.clone())), derived(|r| Some(r.release.clone())), || None)}
                {text_field(
                    page,
                    TextChoice::Host,
                    problem,
                    move || resolved.with(|r| match r.as_ref().and_then(|r| r.host.clone()) {
                        Some(h) => h,
                        None => "needed: the values set no host".to_string(),
                    }),
                    derived(|r| r.host.clone()),
                    move || no_host.get().then_some("Needed: the values set no hostname."),
                )}
                <Show when=move || effective_tls.get() == Some(TlsModel::CertManager)>
                    {text_field(page, TextChoice::Issuer, problem, placeholder(|r| r.issuer.clone()), derived(|r| r.issuer.clone()), || None)}
                </Show>
                <Show when=move || {
                    effective_tls.get() == Some(TlsModel::CloudLb)
                        && Implementation::get(implementation.get()).cloud_load_balancer.takes_acm_certificate()
                }>
                    {text_field(
                        page,
                        TextChoice::CertificateArn,
                        problem,
                        move || resolved.with(|r| r.as_ref().and_then(|r| r.certificate_arn.clone()).unwrap_or_else(|| "arn:aws:acm:REGION:ACCOUNT:certificate/ID".into())),
                        derived(|r| r.certificate_arn.clone()),
                        || None,
                    )}
                </Show>
                {text_field(page, TextChoice::ChartVersion, problem, || "optional, e.g. 0.94.3".to_string(), || None, || None)}
                <Show when=move || resolved.with(|r| r.as_ref().is_some_and(|r| r.host_moves))>
                    {text_field(page, TextChoice::GatewayAddress, problem, || "once the Gateway exists: its IP or DNS name".to_string(), || None, || None)}
                </Show>
                <fieldset class="radios inline" role="radiogroup" aria-labelledby="external-dns-legend" aria-describedby="external-dns-note">
                    <legend id="external-dns-legend">"external-dns manages the hostname"</legend>
                    {[(None, "Auto"), (Some(true), "On"), (Some(false), "Off")]
                        .into_iter()
                        .map(|(setting, label)| {
                            view! {
                                <label class="radio">
                                    <input
                                        type="radio"
                                        name="external-dns"
                                        prop:checked=move || external_dns.get() == setting
                                        on:change=move |_| page.choices.update(|c| c.external_dns = setting)
                                    />
                                    <span>{label}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                    <p class="hint" id="external-dns-note">{move || external_dns_note(external_dns.get(), external_dns_in_values.get())}</p>
                </fieldset>
            </div>
        </div>
    }
}

/// One question of "Help me choose": radios whose answer goes into `answer`.
fn question<T: Copy + PartialEq + Send + Sync + 'static>(
    id: &'static str,
    legend: &'static str,
    options: Vec<(T, &'static str)>,
    answer: RwSignal<Option<T>>,
) -> impl IntoView {
    let legend_id = format!("{id}-legend");
    view! {
        <fieldset class="radios" role="radiogroup" aria-labelledby=legend_id.clone()>
            <legend id=legend_id.clone()>{legend}</legend>
            {options
                .into_iter()
                .map(|(value, label)| {
                    view! {
                        <label class="radio">
                            <input
                                type="radio"
                                name=id
                                prop:checked=move || answer.get() == Some(value)
                                on:change=move |_| answer.set(Some(value))
                            />
                            <span>{label}</span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// "Help me choose": three questions, then the implementation and TLS model they point to, with
/// the reasons, applied with one click (see `choose`).
#[component]
pub fn HelpMeChoose() -> impl IntoView {
    use crate::choose::{suggest, Answers, Cloud, RunsToday, TlsToday};
    let page = Page::from_context();
    let cloud = RwSignal::new(None::<Cloud>);
    let runs = RwSignal::new(None::<RunsToday>);
    let tls = RwSignal::new(None::<TlsToday>);
    let suggestion =
        Memo::new(move |_| Some(suggest(Answers { cloud: cloud.get()?, runs: runs.get()?, tls: tls.get()? })));
    let applied = RwSignal::new(false);
    Effect::new(move |_| {
        suggestion.track();
        applied.set(false);
    });
    view! {
        <details class="fold help-choose">
            <summary>
                <h3 class="section-title">"Help me choose"</h3>
            </summary>
            <div class="questions">
                {question("q-cloud", "Where does the cluster run?", Cloud::ALL.map(|c| (c, c.label())).to_vec(), cloud)}
                {question("q-runs", "What serves its Ingress today?", RunsToday::ALL.map(|r| (r, r.label())).to_vec(), runs)}
                {question("q-tls", "Who ends TLS for ZenML today?", TlsToday::ALL.map(|t| (t, t.label())).to_vec(), tls)}
            </div>
            <div class="suggestion" aria-live="polite">
                {move || match suggestion.get() {
                    None => view! { <p class="hint">"Answer the three questions for a suggestion."</p> }.into_any(),
                    Some(s) => {
                        let implementation = Implementation::get(s.implementation).display_name;
                        let (id, model) = (s.implementation, s.tls);
                        view! {
                            <p>
                                <strong>{format!("Suggested: {implementation} with TLS {}", tls_label(model))}</strong>
                            </p>
                            <ul class="why">{s.why.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                            <button
                                type="button"
                                class="button"
                                on:click=move |_| {
                                    page.choices.update(|c| {
                                        c.implementation = id;
                                        c.tls = Some(model);
                                    });
                                    applied.set(true);
                                }
                            >
                                "Use these choices"
                            </button>
                            <span class="hint">{move || applied.get().then_some(" Chosen: the plan follows.")}</span>
                        }
                            .into_any()
                    }
                }}
            </div>
        </details>
    }
}
