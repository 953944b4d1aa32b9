//! The user's choices: implementation, TLS model, and the names the core derives (left empty, a
//! field uses the derived value, shown as its placeholder).

use crate::app::State;
use leptos::prelude::*;
use planner::{ChoiceField, DeployedWith, ImplementationId, PlanError, Resolved, TlsModel, IMPLEMENTATIONS};

fn tls_label(model: TlsModel) -> &'static str {
    match model {
        TlsModel::CertManager => "cert-manager",
        TlsModel::ExistingSecret => "Existing secret",
        TlsModel::CloudLb => "Cloud load balancer",
        TlsModel::None => "None",
    }
}

/// A text field whose empty value means "derived".
fn text_field(
    label: &'static str,
    id: &'static str,
    value: RwSignal<String>,
    placeholder: impl Fn() -> String + Send + Sync + 'static,
    invalid: impl Fn() -> bool + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                type="text"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                placeholder=placeholder
                aria-invalid=move || if invalid() { "true" } else { "false" }
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </div>
    }
}

#[component]
pub fn ChoicesPanel(state: State) -> impl IntoView {
    let resolved = Memo::new(move |_| state.outcome.with(|o| o.plan.as_ref().map(|p| p.resolved.clone())));
    let derived =
        move |f: fn(&Resolved) -> Option<String>| move || resolved.with(|r| r.as_ref().and_then(f).unwrap_or_default());
    let effective_tls = Memo::new(move |_| state.tls.get().or_else(|| resolved.with(|r| r.as_ref().map(|r| r.tls))));
    let choice_error = Memo::new(move |_| {
        state.outcome.with(|o| match &o.error {
            Some(PlanError::Choice { option, message }) => Some((*option, message.clone())),
            _ => None,
        })
    });
    let invalid =
        move |option: ChoiceField| move || choice_error.with(|e| e.as_ref().is_some_and(|(o, _)| *o == option));
    let no_host = Memo::new(move |_| resolved.with(|r| r.as_ref().is_some_and(|r| r.host.is_none())));

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
                                    prop:checked=move || state.implementation.get() == id
                                    on:change=move |_| state.implementation.set(id)
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
                                    on:change=move |_| state.tls.set(Some(model))
                                />
                                <span>{tls_label(model)}</span>
                            </label>
                        }
                    })
                    .collect_view()}
                <p class="hint tls-hint">
                    {move || {
                        if state.tls.with(Option::is_some) {
                            view! {
                                "Chosen by you. "
                                <button type="button" class="link" on:click=move |_| state.tls.set(None)>
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
                                    prop:checked=move || state.deployed_with.get() == way
                                    on:change=move |_| state.deployed_with.set(way)
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
                {text_field("Gateway name", "gateway-name", state.gateway_name, derived(|r| Some(r.gateway_name.clone())), invalid(ChoiceField::GatewayName))}
                {text_field("Gateway namespace", "gateway-namespace", state.gateway_namespace, derived(|r| Some(r.gateway_namespace.clone())), invalid(ChoiceField::GatewayNamespace))}
                {text_field("ZenML namespace", "zenml-namespace", state.namespace, derived(|r| Some(r.namespace.clone())), invalid(ChoiceField::Namespace))}
                {text_field("Release name", "release-name", state.release, derived(|r| Some(r.release.clone())), invalid(ChoiceField::Release))}
                {text_field(
                    "Hostname",
                    "hostname",
                    state.host,
                    move || resolved.with(|r| match r.as_ref().and_then(|r| r.host.clone()) {
                        Some(h) => h,
                        None => "needed: the values set no host".to_string(),
                    }),
                    move || invalid(ChoiceField::Host)() || (no_host.get() && state.host.with(|h| h.trim().is_empty())),
                )}
                <Show when=move || effective_tls.get() == Some(TlsModel::CertManager)>
                    {text_field("Issuer", "issuer", state.issuer, derived(|r| r.issuer.clone()), invalid(ChoiceField::Issuer))}
                </Show>
                <Show when=move || {
                    effective_tls.get() == Some(TlsModel::CloudLb) && state.implementation.get() != ImplementationId::Gke
                }>
                    {text_field(
                        "Certificate ARN",
                        "certificate-arn",
                        state.certificate_arn,
                        move || resolved.with(|r| r.as_ref().and_then(|r| r.certificate_arn.clone()).unwrap_or_else(|| "arn:aws:acm:REGION:ACCOUNT:certificate/ID".into())),
                        invalid(ChoiceField::CertificateArn),
                    )}
                </Show>
                {text_field("Chart version", "chart-version", state.chart_version, || "optional, e.g. 0.94.3".to_string(), invalid(ChoiceField::ChartVersion))}
                <Show when=move || resolved.with(|r| r.as_ref().is_some_and(|r| r.host_moves))>
                    {text_field("Gateway address", "gateway-address", state.gateway_address, || "once the Gateway exists: its IP or DNS name".to_string(), invalid(ChoiceField::GatewayAddress))}
                </Show>
                <div class="field field-check">
                    <input
                        id="external-dns"
                        type="checkbox"
                        prop:checked=move || state.external_dns.get()
                        on:change=move |ev| state.external_dns.set(event_target_checked(&ev))
                    />
                    <label for="external-dns">"external-dns manages the hostname"</label>
                </div>
            </div>
            {move || {
                choice_error
                    .get()
                    .map(|(option, message)| {
                        view! {
                            <div class="alert" role="alert" id="choice-error">
                                <p>
                                    <strong>{format!("{}: ", option_label(option))}</strong>
                                    {message}
                                </p>
                            </div>
                        }
                    })
            }}
        </div>
    }
}

/// The field's label, for messages.
fn option_label(option: ChoiceField) -> &'static str {
    match option {
        ChoiceField::GatewayName => "Gateway name",
        ChoiceField::GatewayNamespace => "Gateway namespace",
        ChoiceField::Namespace => "ZenML namespace",
        ChoiceField::Release => "Release name",
        ChoiceField::Host => "Hostname",
        ChoiceField::Issuer => "Issuer",
        ChoiceField::CertificateArn => "Certificate ARN",
        ChoiceField::ChartVersion => "Chart version",
        ChoiceField::GatewayAddress => "Gateway address",
        ChoiceField::Tls => "TLS",
    }
}
