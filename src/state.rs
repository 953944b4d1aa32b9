//! The page's state without its views: the user's choices as one value, the outcome of the latest
//! planning (which keeps the last plan that could be made), and the few places the page reads the
//! core's names for choices and plans. All plain data, tested natively; the signals that hold it
//! in the browser, shared with every component through context, are in `page` (wasm only).

use planner::{
    ChoiceField, Choices, DeployedWith, Implementation, ImplementationId, Plan, PlanError, Severity, TlsModel,
};
use std::sync::Arc;

#[cfg(target_arch = "wasm32")]
mod page;
#[cfg(target_arch = "wasm32")]
pub use page::Page;

/// Above this size the plan is not remade while typing: the user asks for it (a 5 MB file takes
/// seconds to plan, and typing must never wait for that).
pub const LIVE_PLAN_LIMIT: usize = 1024 * 1024;

/// How long typing must pause before the page reports on it (errors, the plan's status, derived
/// values): a half-typed line is not a mistake yet. Leaving the field reports at once.
pub const SETTLE_DELAY_MS: u64 = 700;

/// The plan's tabs; the page keeps the chosen one (and the chosen values file, see
/// `VALUES_FILES`) while the plan comes and goes, so clearing and re-pasting the text keeps them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanTab {
    Values,
    Gateway,
    Tls,
    Policies,
    Findings,
    Runbook,
}

impl PlanTab {
    pub const ALL: [PlanTab; 6] =
        [PlanTab::Values, PlanTab::Gateway, PlanTab::Tls, PlanTab::Policies, PlanTab::Findings, PlanTab::Runbook];

    pub fn label(self) -> &'static str {
        match self {
            PlanTab::Values => "Values",
            PlanTab::Gateway => "Gateway",
            PlanTab::Tls => "TLS",
            PlanTab::Policies => "Policies",
            PlanTab::Findings => "Findings",
            PlanTab::Runbook => "Runbook",
        }
    }

    /// Names the tab's element: `tab-<slug>`.
    pub fn slug(self) -> &'static str {
        match self {
            PlanTab::Values => "values",
            PlanTab::Gateway => "gateway",
            PlanTab::Tls => "tls",
            PlanTab::Policies => "policies",
            PlanTab::Findings => "findings",
            PlanTab::Runbook => "runbook",
        }
    }
}

/// The files the Values tab offers, in its order.
pub const VALUES_FILES: [&str; 4] =
    ["values-parallel.yaml", "values-final.yaml", "overlay-parallel.yaml", "overlay-final.yaml"];

/// A choice typed into a text field; left empty, the core derives it from the values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextChoice {
    GatewayName,
    GatewayNamespace,
    Namespace,
    Release,
    Host,
    Issuer,
    CertificateArn,
    ChartVersion,
    GatewayAddress,
}

impl TextChoice {
    /// Every text choice, in the order of the variants (which index [`ChoicesForm`]'s texts).
    pub const ALL: [TextChoice; 9] = [
        TextChoice::GatewayName,
        TextChoice::GatewayNamespace,
        TextChoice::Namespace,
        TextChoice::Release,
        TextChoice::Host,
        TextChoice::Issuer,
        TextChoice::CertificateArn,
        TextChoice::ChartVersion,
        TextChoice::GatewayAddress,
    ];

    pub fn label(self) -> &'static str {
        match self {
            TextChoice::GatewayName => "Gateway name",
            TextChoice::GatewayNamespace => "Gateway namespace",
            TextChoice::Namespace => "ZenML namespace",
            TextChoice::Release => "Release name",
            TextChoice::Host => "Hostname",
            TextChoice::Issuer => "Issuer",
            TextChoice::CertificateArn => "Certificate ARN",
            TextChoice::ChartVersion => "Chart version",
            TextChoice::GatewayAddress => "Gateway address",
        }
    }

    /// The id of the field's input element.
    pub fn input_id(self) -> &'static str {
        match self {
            TextChoice::GatewayName => "gateway-name",
            TextChoice::GatewayNamespace => "gateway-namespace",
            TextChoice::Namespace => "zenml-namespace",
            TextChoice::Release => "release-name",
            TextChoice::Host => "hostname",
            TextChoice::Issuer => "issuer",
            TextChoice::CertificateArn => "certificate-arn",
            TextChoice::ChartVersion => "chart-version",
            TextChoice::GatewayAddress => "gateway-address",
        }
    }

    /// The text field that holds a choice, when one does (the TLS model is a radio group).
    pub fn of(choice: ChoiceField) -> Option<TextChoice> {
        TextChoice::ALL.into_iter().find(|field| field.choice_field() == choice)
    }

    /// The choice the core names when it refuses this one.
    fn choice_field(self) -> ChoiceField {
        match self {
            TextChoice::GatewayName => ChoiceField::GatewayName,
            TextChoice::GatewayNamespace => ChoiceField::GatewayNamespace,
            TextChoice::Namespace => ChoiceField::Namespace,
            TextChoice::Release => ChoiceField::Release,
            TextChoice::Host => ChoiceField::Host,
            TextChoice::Issuer => ChoiceField::Issuer,
            TextChoice::CertificateArn => ChoiceField::CertificateArn,
            TextChoice::ChartVersion => ChoiceField::ChartVersion,
            TextChoice::GatewayAddress => ChoiceField::GatewayAddress,
        }
    }

    /// Where the core's choices hold this one.
    fn in_choices(self, choices: &mut Choices) -> &mut Option<String> {
        match self {
            TextChoice::GatewayName => &mut choices.gateway_name,
            TextChoice::GatewayNamespace => &mut choices.gateway_namespace,
            TextChoice::Namespace => &mut choices.namespace,
            TextChoice::Release => &mut choices.release,
            TextChoice::Host => &mut choices.host,
            TextChoice::Issuer => &mut choices.issuer,
            TextChoice::CertificateArn => &mut choices.certificate_arn,
            TextChoice::ChartVersion => &mut choices.chart_version,
            TextChoice::GatewayAddress => &mut choices.gateway_address,
        }
    }
}

/// The user's choices as the controls hold them: the texts as typed (the core gets them trimmed,
/// an empty one as "derive it"). Share links and this device's storage go through
/// [`planner::Choices`], see [`ChoicesForm::to_choices`] and [`ChoicesForm::from_choices`].
#[derive(Clone, Debug, PartialEq)]
pub struct ChoicesForm {
    pub implementation: ImplementationId,
    /// `None`: the model the values imply.
    pub tls: Option<TlsModel>,
    texts: [String; TextChoice::ALL.len()],
    /// external-dns manages the hostname: the user's On or Off, or `None` to follow the values.
    pub external_dns: Option<bool>,
    /// Helm, Argo CD or Flux applies the values.
    pub deployed_with: DeployedWith,
}

impl Default for ChoicesForm {
    fn default() -> Self {
        ChoicesForm::from_choices(&Choices::new(ImplementationId::EnvoyGateway))
    }
}

impl ChoicesForm {
    pub fn text(&self, field: TextChoice) -> &str {
        &self.texts[field as usize]
    }

    pub fn set_text(&mut self, field: TextChoice, value: String) {
        self.texts[field as usize] = value;
    }

    /// The choices the core plans with; empty fields are `None` (derived from the values).
    pub fn to_choices(&self) -> Choices {
        let mut choices = Choices {
            tls: self.tls,
            external_dns: self.external_dns,
            deployed_with: self.deployed_with,
            ..Choices::new(self.implementation)
        };
        for field in TextChoice::ALL {
            let text = self.text(field).trim();
            *field.in_choices(&mut choices) = (!text.is_empty()).then(|| text.to_string());
        }
        choices
    }

    /// The controls for choices read from a share link or this device's storage.
    pub fn from_choices(choices: &Choices) -> ChoicesForm {
        let mut choices = choices.clone();
        ChoicesForm {
            implementation: choices.implementation,
            tls: choices.tls,
            texts: TextChoice::ALL.map(|field| field.in_choices(&mut choices).take().unwrap_or_default()),
            external_dns: choices.external_dns,
            deployed_with: choices.deployed_with,
        }
    }
}

/// A choice the core refused, as the page names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChoiceProblem {
    /// The text field to mark, when the refused choice is one.
    pub field: Option<TextChoice>,
    /// The choice's name on the page.
    pub label: String,
    pub message: String,
}

impl ChoiceProblem {
    /// The choice `error` blames; `None` when it is about the values.
    pub fn of(error: &PlanError) -> Option<ChoiceProblem> {
        let PlanError::Choice { option, message } = error else { return None };
        Some(ChoiceProblem {
            field: TextChoice::of(*option),
            label: crate::wording::choice_label(*option).to_string(),
            message: crate::wording::page_words(message).text,
        })
    }
}

/// A problem with the input as the page says it: located in the values, or named by the field
/// (the core's own text names a choice by its CLI option).
pub fn page_error(error: &PlanError) -> String {
    match error {
        PlanError::Values(e) => {
            format!("line {}, column {}: {}", e.line, e.column, crate::wording::page_words(&e.message).text)
        }
        PlanError::Choice { option, message } => {
            format!("{}: {}", crate::wording::choice_label(*option), crate::wording::page_words(message).text)
        }
    }
}

/// The display name of the implementation a plan is for.
pub fn planned_implementation_name(plan: &Plan) -> &'static str {
    Implementation::get(plan.resolved.implementation).display_name
}

/// The TLS model a plan uses (the chosen one, or the one the values imply).
pub fn planned_tls(plan: &Plan) -> TlsModel {
    plan.resolved.tls
}

/// The latest plan that could be made, and why the current input makes none.
#[derive(Clone, Debug, Default, PartialEq)]
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

/// Plans `text` with `choices`. When that fails the previous outcome's plan stays, with the text
/// it was made from, so the page keeps showing the last good plan (greyed) beside the error
/// while the user fixes the input. Empty text clears the plan: there is nothing to plan.
pub fn next_outcome(previous: Option<&Outcome>, text: String, choices: &Choices) -> Outcome {
    if text.trim().is_empty() {
        return Outcome { plan: None, source: Arc::new(text), error: None };
    }
    match planner::plan(&text, choices) {
        Ok(plan) => Outcome { plan: Some(Arc::new(plan)), source: Arc::new(text), error: None },
        Err(error) => {
            let (plan, source) = previous.map(|o| (o.plan.clone(), o.source.clone())).unwrap_or_default();
            Outcome { plan, source, error: Some(error) }
        }
    }
}

/// What the page reports about the input: the outcome as it was when typing last paused. While
/// the user types, the plan itself follows (see `next_outcome`), but nothing around it changes:
/// no error comes and goes with each keystroke, and nothing above the plan moves.
/// The exception is the first plan: it comes with its status at once (the plan appears then
/// anyway, and a status arriving later would push it down under the pointer).
pub fn settled_outcome(previous: Option<&Outcome>, current: &Outcome, typing: bool) -> Outcome {
    let first_plan = current.plan.is_some() && current.error.is_none();
    match previous {
        Some(previous) if typing && (previous.plan.is_some() || !first_plan) => previous.clone(),
        _ => current.clone(),
    }
}

/// A plan in a few words, for the status line above the tabs, the summary under the text area
/// and the announcement for screen readers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanSummary {
    pub implementation: &'static str,
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

/// "1 error", "6 warnings", "no errors".
fn count(n: usize, one: &str, many: &str) -> String {
    match n {
        0 => format!("no {many}"),
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

impl PlanSummary {
    pub fn of(plan: &Plan) -> PlanSummary {
        let with = |severity| plan.findings.iter().filter(|f| f.severity == severity).count();
        PlanSummary {
            implementation: planned_implementation_name(plan),
            findings: plan.findings.len(),
            errors: with(Severity::Error),
            warnings: with(Severity::Warning),
            notes: with(Severity::Info),
        }
    }

    /// "12 findings, no errors", "1 finding, 1 error".
    pub fn counts(&self) -> String {
        let findings = match self.findings {
            1 => "1 finding".to_string(),
            n => format!("{n} findings"),
        };
        format!("{findings}, {}", count(self.errors, "error", "errors"))
    }

    /// "1 error, 6 warnings, 5 notes": the findings by severity, as the Findings tab groups them.
    pub fn by_severity(&self) -> String {
        if self.findings == 0 {
            return "no findings".to_string();
        }
        [
            count(self.errors, "error", "errors"),
            count(self.warnings, "warning", "warnings"),
            count(self.notes, "note", "notes"),
        ]
        .join(", ")
    }

    /// What a screen reader hears when a new plan is on screen.
    pub fn announcement(&self) -> String {
        format!("Plan updated for {}: {}", self.implementation, self.counts())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use planner::share::{choices_from_text, choices_to_text, payload, read_payload};

    const EXAMPLE: &str = include_str!("example-values.yaml");

    /// Every choice set, each text to its own value.
    fn every_choice_set() -> Choices {
        Choices {
            implementation: ImplementationId::Istio,
            tls: Some(TlsModel::CertManager),
            gateway_name: Some("edge".into()),
            gateway_namespace: Some("gateways".into()),
            namespace: Some("zenml-prod".into()),
            release: Some("zenml-server".into()),
            issuer: Some("ClusterIssuer/letsencrypt-staging".into()),
            certificate_arn: Some("arn:aws:acm:eu-west-1:123456789012:certificate/abc".into()),
            host: Some("ml.example.org".into()),
            chart_version: Some("0.94.3".into()),
            external_dns: Some(true),
            deployed_with: DeployedWith::Flux,
            gateway_address: Some("203.0.113.7".into()),
        }
    }

    #[test]
    fn every_variant_indexes_its_own_text() {
        for (i, field) in TextChoice::ALL.into_iter().enumerate() {
            assert_eq!(field as usize, i, "{field:?}");
        }
        let mut form = ChoicesForm::default();
        for field in TextChoice::ALL {
            form.set_text(field, field.label().to_string());
        }
        for field in TextChoice::ALL {
            assert_eq!(form.text(field), field.label());
        }
    }

    #[test]
    fn the_form_carries_every_choice_to_the_core_and_back() {
        let choices = every_choice_set();
        let form = ChoicesForm::from_choices(&choices);
        for field in TextChoice::ALL {
            assert!(!form.text(field).is_empty(), "{field:?} was dropped");
        }
        assert_eq!(form.to_choices(), choices);
    }

    #[test]
    fn every_choice_survives_the_remembered_text_and_a_share_link() {
        let form = ChoicesForm::from_choices(&every_choice_set());
        let remembered = choices_from_text(&choices_to_text(&form.to_choices())).unwrap();
        assert_eq!(ChoicesForm::from_choices(&remembered), form);

        // A link must plan, so its choices must be valid for the example (no gateway address:
        // the example's host can be moved).
        let mut linked = form.clone();
        linked.set_text(TextChoice::GatewayAddress, String::new());
        let made = payload(EXAMPLE, &linked.to_choices()).unwrap();
        let shared = read_payload(made.text.as_bytes()).unwrap();
        assert_eq!(ChoicesForm::from_choices(&shared.choices), linked);
    }

    #[test]
    fn texts_reach_the_core_trimmed_and_empty_ones_are_derived() {
        let mut form = ChoicesForm::default();
        form.set_text(TextChoice::Host, "  ml.example.org ".into());
        form.set_text(TextChoice::Release, "   ".into());
        let choices = form.to_choices();
        assert_eq!(choices.host.as_deref(), Some("ml.example.org"));
        assert_eq!(choices.release, None);
        // What the user typed stays in the field.
        assert_eq!(form.text(TextChoice::Host), "  ml.example.org ");
    }

    #[test]
    fn a_valid_text_replaces_the_plan() {
        let choices = ChoicesForm::default().to_choices();
        let first = next_outcome(None, EXAMPLE.to_string(), &choices);
        assert!(first.plan.is_some() && first.error.is_none() && !first.stale());
        let edited = EXAMPLE.replace("zenml.example.com", "ml.example.org");
        let second = next_outcome(Some(&first), edited.clone(), &choices);
        assert_eq!(second.error, None);
        assert_eq!(*second.source, edited);
        assert_eq!(second.plan.unwrap().resolved.host.as_deref(), Some("ml.example.org"));
    }

    #[test]
    fn an_invalid_text_keeps_the_last_good_plan_and_says_why() {
        let choices = ChoicesForm::default().to_choices();
        let good = next_outcome(None, EXAMPLE.to_string(), &choices);
        let broken = format!("{EXAMPLE}\n  [unclosed\n");
        let after = next_outcome(Some(&good), broken, &choices);
        assert!(matches!(after.error, Some(PlanError::Values(_))), "{:?}", after.error);
        assert!(after.stale());
        assert_eq!(after.plan, good.plan);
        // The diff still compares the kept plan with the text it was made from.
        assert_eq!(*after.source, EXAMPLE);
    }

    #[test]
    fn an_error_with_no_earlier_plan_shows_no_plan() {
        let after = next_outcome(None, "server: [".to_string(), &ChoicesForm::default().to_choices());
        assert!(after.plan.is_none() && after.error.is_some() && !after.stale());
    }

    #[test]
    fn a_refused_choice_keeps_the_plan_and_marks_its_field() {
        let mut form = ChoicesForm::default();
        let good = next_outcome(None, EXAMPLE.to_string(), &form.to_choices());
        form.set_text(TextChoice::Release, "Not_A_Release".into());
        let after = next_outcome(Some(&good), EXAMPLE.to_string(), &form.to_choices());
        assert_eq!(after.plan, good.plan);
        let problem = ChoiceProblem::of(after.error.as_ref().unwrap()).unwrap();
        assert_eq!(problem.field, Some(TextChoice::Release));
        assert_eq!(problem.label, "Release name");
        assert!(!problem.message.is_empty());
    }

    #[test]
    fn clearing_the_text_clears_the_plan() {
        let choices = ChoicesForm::default().to_choices();
        let good = next_outcome(None, EXAMPLE.to_string(), &choices);
        let after = next_outcome(Some(&good), "  \n".to_string(), &choices);
        assert_eq!(after, Outcome { plan: None, source: Arc::new("  \n".into()), error: None });
    }

    #[test]
    fn each_text_choice_the_core_refuses_marks_its_own_field() {
        // A value the core refuses for each field, with the choices under which it reads it.
        let plain = ChoicesForm::default();
        let with_tls = |tls| ChoicesForm { tls: Some(tls), ..ChoicesForm::default() };
        let mut wildcard_host = ChoicesForm::default();
        wildcard_host.set_text(TextChoice::Host, "zenml.203.0.113.7.nip.io".into());
        let cases = [
            (TextChoice::GatewayName, "Not_A_Name", plain.clone()),
            (TextChoice::GatewayNamespace, "Not_A_Name", plain.clone()),
            (TextChoice::Namespace, "Not_A_Name", plain.clone()),
            (TextChoice::Release, "Not_A_Name", plain.clone()),
            (TextChoice::Host, "not a host", plain.clone()),
            (TextChoice::Issuer, "Nobody/letsencrypt", with_tls(TlsModel::CertManager)),
            (TextChoice::CertificateArn, "not-an-arn", with_tls(TlsModel::CloudLb)),
            (TextChoice::ChartVersion, "not a version", plain),
            (TextChoice::GatewayAddress, "not an address!", wildcard_host),
        ];
        for (field, refused, mut form) in cases {
            form.set_text(field, refused.into());
            let error = planner::plan(EXAMPLE, &form.to_choices()).expect_err(field.label());
            let problem = ChoiceProblem::of(&error).unwrap_or_else(|| panic!("{field:?}: {error}"));
            assert_eq!((problem.field, problem.label.as_str()), (Some(field), field.label()));
        }
    }

    #[test]
    fn a_refused_tls_model_is_named_but_marks_no_text_field() {
        let generated = EXAMPLE.replace("generateCerts: false", "generateCerts: true");
        let form = ChoicesForm { tls: Some(TlsModel::ExistingSecret), ..ChoicesForm::default() };
        let error = planner::plan(&generated, &form.to_choices()).unwrap_err();
        let problem = ChoiceProblem::of(&error).unwrap();
        assert_eq!((problem.field, problem.label.as_str()), (None, "TLS"));
    }

    #[test]
    fn while_typing_the_report_stays_as_it_was_and_catches_up_after_the_pause() {
        let choices = ChoicesForm::default().to_choices();
        let good = next_outcome(None, EXAMPLE.to_string(), &choices);
        // A half-typed line: the text does not parse.
        let half = next_outcome(Some(&good), format!("{EXAMPLE}  proxy\n"), &choices);
        assert!(half.error.is_some());
        // Typing: the good plan is still what the page reports, with no error.
        assert_eq!(settled_outcome(Some(&good), &half, true), good);
        // The pause (or leaving the field): the error is reported.
        assert_eq!(settled_outcome(Some(&good), &half, false), half);
        // Good news also waits for the pause, so the error does not vanish under the cursor and
        // nothing shifts while typing.
        assert_eq!(settled_outcome(Some(&half), &good, true), half);
        assert_eq!(settled_outcome(Some(&half), &good, false), good);
        // Nothing reported yet: the first outcome is reported whatever the typing.
        assert_eq!(settled_outcome(None, &half, true), half);
        // The first plan comes with its status, even while typing; a first error waits.
        let empty = next_outcome(None, String::new(), &choices);
        assert_eq!(settled_outcome(Some(&empty), &good, true), good);
        let broken = next_outcome(Some(&empty), "server: [".to_string(), &choices);
        assert_eq!(settled_outcome(Some(&empty), &broken, true), empty);
    }

    #[test]
    fn a_summary_counts_findings_and_errors_in_words() {
        let choices = ChoicesForm { implementation: ImplementationId::Istio, ..ChoicesForm::default() }.to_choices();
        let plan = planner::plan(EXAMPLE, &choices).unwrap();
        let summary = PlanSummary::of(&plan);
        assert_eq!(summary.implementation, "Istio");
        assert_eq!(summary.findings, plan.findings.len());
        let counts = summary.counts();
        assert!(counts.starts_with(&format!("{} findings, ", plan.findings.len())), "{counts}");
        assert_eq!(summary.announcement(), format!("Plan updated for Istio: {counts}"));
        assert_eq!(summary.errors + summary.warnings + summary.notes, summary.findings);
        let summary = |errors, warnings, notes| PlanSummary {
            implementation: "Istio",
            findings: errors + warnings + notes,
            errors,
            warnings,
            notes,
        };
        assert_eq!(summary(0, 0, 1).counts(), "1 finding, no errors");
        assert_eq!(summary(1, 6, 5).counts(), "12 findings, 1 error");
        assert_eq!(summary(0, 0, 0).counts(), "0 findings, no errors");
        assert_eq!(summary(2, 0, 5).counts(), "7 findings, 2 errors");
        assert_eq!(summary(1, 6, 5).by_severity(), "1 error, 6 warnings, 5 notes");
        assert_eq!(summary(0, 1, 0).by_severity(), "no errors, 1 warning, no notes");
        assert_eq!(summary(0, 0, 0).by_severity(), "no findings");
    }

    #[test]
    fn an_error_in_the_values_blames_no_choice() {
        let error = planner::plan("server: [", &ChoicesForm::default().to_choices()).unwrap_err();
        assert_eq!(ChoiceProblem::of(&error), None);
    }
}
