//! The user's choices: implementation, TLS model, and the names the core derives (left empty, a
//! field uses the derived value, shown as its placeholder).

use crate::state::{planned_tls, ChoiceProblem, Page, TextChoice};
use leptos::prelude::*;
use planner::{DeployedWith, Implementation, ImplementationId, Resolved, TlsModel, IMPLEMENTATIONS};

fn tls_label(model: TlsModel) -> &'static str {
    match model {
        TlsModel::CertManager => "cert-manager",
        TlsModel::ExistingSecret => "Existing secret",
        TlsModel::CloudLb => "Cloud load balancer",
        TlsModel::None => "None",
    }
}

/// A text field whose empty value means "derived"; marked invalid when the core refused it, or
/// when `also_invalid` says so.
fn text_field(
    page: Page,
    field: TextChoice,
    problem: Memo<Option<ChoiceProblem>>,
    placeholder: impl Fn() -> String + Send + Sync + 'static,
    also_invalid: impl Fn() -> bool + Send + Sync + 'static,
) -> impl IntoView {
    let value = page.choice(move |c| c.text(field).to_string());
    let invalid = move || problem.with(|p| p.as_ref().is_some_and(|p| p.field == Some(field))) || also_invalid();
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
                prop:value=move || value.get()
                on:input=move |ev| page.choices.update(|c| c.set_text(field, event_target_value(&ev)))
            />
        </div>
    }
}

#[component]
pub fn ChoicesPanel() -> impl IntoView {
    let page = Page::from_context();
    let implementation = page.choice(|c| c.implementation);
    let chosen_tls = page.choice(|c| c.tls);
    let deployed_with = page.choice(|c| c.deployed_with);
    let external_dns = page.choice(|c| c.external_dns);
    let resolved = Memo::new(move |_| page.outcome.with(|o| o.plan.as_ref().map(|p| p.resolved.clone())));
    let derived =
        move |f: fn(&Resolved) -> Option<String>| move || resolved.with(|r| r.as_ref().and_then(f).unwrap_or_default());
    let implied_tls = Memo::new(move |_| page.outcome.with(|o| o.plan.as_deref().map(planned_tls)));
    let effective_tls = Memo::new(move |_| chosen_tls.get().or_else(|| implied_tls.get()));
    let problem = Memo::new(move |_| page.outcome.with(|o| o.error.as_ref().and_then(ChoiceProblem::of)));
    let no_host = Memo::new(move |_| resolved.with(|r| r.as_ref().is_some_and(|r| r.host.is_none())));
    let host_empty = page.choice(|c| c.text(TextChoice::Host).trim().is_empty());

    view! {
        <div class="choices">
            <fieldset class="radios" role="radiogroup" aria-labelledby="impl-legend">
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
            </fieldset>
            <fieldset class="radios" role="radiogroup" aria-labelledby="tls-legend">
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
                <p class="hint fields-hint">"Empty fields use the value derived from values.yaml, shown greyed."</p>
                {text_field(page, TextChoice::GatewayName, problem, derived(|r| Some(r.gateway_name.clone())), || false)}
                {text_field(page, TextChoice::GatewayNamespace, problem, derived(|r| Some(r.gateway_namespace.clone())), || false)}
                {text_field(page, TextChoice::Namespace, problem, derived(|r| Some(r.namespace.clone())), || false)}
                {text_field(page, TextChoice::Release, problem, derived(|r| Some(r.release.clone())), || false)}
                {text_field(
                    page,
                    TextChoice::Host,
                    problem,
                    move || resolved.with(|r| match r.as_ref().and_then(|r| r.host.clone()) {
                        Some(h) => h,
                        None => "needed: the values set no host".to_string(),
                    }),
                    move || no_host.get() && host_empty.get(),
                )}
                <Show when=move || effective_tls.get() == Some(TlsModel::CertManager)>
                    {text_field(page, TextChoice::Issuer, problem, derived(|r| r.issuer.clone()), || false)}
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
                        || false,
                    )}
                </Show>
                {text_field(page, TextChoice::ChartVersion, problem, || "optional, e.g. 0.94.3".to_string(), || false)}
                <Show when=move || resolved.with(|r| r.as_ref().is_some_and(|r| r.host_moves))>
                    {text_field(page, TextChoice::GatewayAddress, problem, || "once the Gateway exists: its IP or DNS name".to_string(), || false)}
                </Show>
                <div class="field field-check">
                    <input
                        id="external-dns"
                        type="checkbox"
                        prop:checked=move || external_dns.get()
                        on:change=move |ev| page.choices.update(|c| c.external_dns = event_target_checked(&ev))
                    />
                    <label for="external-dns">"external-dns manages the hostname"</label>
                </div>
            </div>
            {move || {
                problem
                    .get()
                    .map(|problem| {
                        view! {
                            <div class="alert" role="alert" id="choice-error">
                                <p>
                                    <strong>{format!("{}: ", problem.label)}</strong>
                                    {problem.message}
                                </p>
                            </div>
                        }
                    })
            }}
        </div>
    }
}
