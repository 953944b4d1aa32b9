//! How a change of values reaches the cluster: `helm upgrade`, or a commit that Argo CD or Flux
//! applies. Under GitOps a `helm upgrade` either finds no release (Argo CD renders the chart
//! itself) or is reverted at the next reconciliation (Flux), so every phase is a change in Git.
//!
//! Commands checked against: Argo CD's CLI reference (`argocd app get|diff|sync|wait|manifests`,
//! `argocd app wait --health --timeout SECONDS`, `argocd app sync --prune`) and Flux's
//! (`flux reconcile kustomization|helmrelease`, `--with-source`, `flux suspend|resume
//! helmrelease`; HelmRelease `spec.values`, `spec.valuesFrom`, the `Ready` condition).

use crate::plan::{DeployedWith, Model};
use crate::shell::quote as q;
use crate::FileName;

/// Prose to show before a block of commands, and the commands.
pub struct Step {
    pub prose: Option<String>,
    pub commands: Vec<String>,
}

const CHART: &str = "oci://public.ecr.aws/zenml/zenml";

pub struct Delivery<'a> {
    model: &'a Model,
}

impl<'a> Delivery<'a> {
    pub fn new(model: &'a Model) -> Delivery<'a> {
        Delivery { model }
    }

    pub fn kind(&self) -> DeployedWith {
        self.model.deployed_with
    }

    fn release_filter(&self) -> String {
        q(&format!("^{}$", self.model.release_name)).into_owned()
    }

    /// Sets CHART_VERSION to the chart running now (each block sets what it uses: phases run
    /// days apart, in new shells).
    fn chart_version_line(&self) -> String {
        format!(
            "CHART_VERSION=$(helm list -n {} --filter {} -o json | jq -r '.[0].chart | sub(\"^zenml-\"; \"\")')   # the chart running now: the upgrade keeps it",
            q(&self.model.namespace),
            self.release_filter()
        )
    }

    fn helm_upgrade(&self, values: &str) -> String {
        // Without --version, helm upgrade would also move to the newest chart: pin the one running.
        let version = match self.model.chart_version.as_deref() {
            Some(v) => q(v).into_owned(),
            None => "\"${CHART_VERSION:?}\"".to_string(),
        };
        format!(
            "helm upgrade {} {CHART} --version {version} -n {} {values}",
            q(&self.model.release_name),
            q(&self.model.namespace)
        )
    }

    /// The upgrade to `full`, with the chart version it keeps set in the same block.
    fn helm_upgrade_to(&self, full: &str) -> Vec<String> {
        let mut commands = Vec::new();
        if self.model.chart_version.is_none() {
            commands.push(self.chart_version_line());
        }
        commands.push(self.helm_upgrade(&format!("-f {full}")));
        commands
    }

    fn argocd_app(&self) -> String {
        format!(
            "ARGOCD_APP={}   # the name of the Argo CD Application that deploys this release",
            q(&self.model.release_name)
        )
    }

    fn flux_names(&self) -> Vec<String> {
        vec![
            "FLUX_KUSTOMIZATION=flux-system   # the Flux Kustomization that applies your HelmRelease from Git"
                .to_string(),
            format!(
                "HELMRELEASE={} HELMRELEASE_NS={}   # your HelmRelease's name and namespace",
                q(&self.model.release_name),
                q(&self.model.namespace)
            ),
        ]
    }

    fn argocd_sync(&self) -> Vec<String> {
        vec![
            self.argocd_app(),
            "argocd app diff \"$ARGOCD_APP\"   # after the push: the change you expect, nothing else".to_string(),
            "argocd app sync \"$ARGOCD_APP\"".to_string(),
            "argocd app wait \"$ARGOCD_APP\" --health --timeout 600".to_string(),
        ]
    }

    fn flux_reconcile(&self) -> Vec<String> {
        let mut lines = self.flux_names();
        lines.extend([
            "flux reconcile kustomization \"$FLUX_KUSTOMIZATION\" -n flux-system --with-source   # applies your commit to the HelmRelease".to_string(),
            "flux reconcile helmrelease \"$HELMRELEASE\" -n \"$HELMRELEASE_NS\"".to_string(),
            "kubectl wait helmreleases.helm.toolkit.fluxcd.io/\"$HELMRELEASE\" -n \"$HELMRELEASE_NS\" --for=condition=Ready --timeout=10m".to_string(),
        ]);
        lines
    }

    /// Step 1: which chart runs, and the values it runs with.
    pub fn check(&self) -> Step {
        let m = self.model;
        let (ns, release) = (q(&m.namespace), q(&m.release_name));
        match m.deployed_with {
            DeployedWith::Helm => Step {
                prose: None,
                commands: vec![
                    format!("helm list -n {ns} --filter {}   # CHART must be zenml-0.94.3 or later", self.release_filter()),
                    format!("helm get values {release} -n {ns} -o yaml > values-from-cluster.yaml   # STOP if it holds settings your values.yaml lacks (set with --set): every helm upgrade below replaces the release's values with the file's, so add them to values.yaml and plan again"),
                ],
            },
            DeployedWith::ArgoCd => Step {
                prose: Some("Argo CD renders the chart from Git, so there is no Helm release to upgrade: each phase below is a commit, then a sync. Check the chart version the Application pins and how it syncs. With `selfHeal`, anything changed by hand in objects the Application owns (the Ingress, the HTTPRoute, the Service) is reverted within minutes: make those changes in Git. With `prune`, Argo CD deletes the Ingress in phase 3 when the values turn it off; without it the Ingress stays until you sync with `--prune`.".into()),
                commands: vec![
                    self.argocd_app(),
                    "argocd app get \"$ARGOCD_APP\" -o json | jq -r '.spec.source.targetRevision // .spec.sources[0].targetRevision'   # the chart version: 0.94.3 or later".into(),
                    "argocd app get \"$ARGOCD_APP\" -o json | jq '.spec.syncPolicy'   # automated, prune, selfHeal".into(),
                    "argocd app manifests \"$ARGOCD_APP\" > manifests-from-argocd.yaml   # what Argo CD renders today, to compare after each phase".into(),
                ],
            },
            DeployedWith::Flux => Step {
                prose: Some("Flux's helm-controller upgrades the release from a HelmRelease in Git: a manual `helm upgrade` is reverted at its next reconciliation, so each phase below is a commit, then a reconcile. Check the chart version the HelmRelease pins and the values the release runs with:".into()),
                commands: {
                    let mut lines = self.flux_names();
                    lines.extend([
                        "kubectl get helmreleases.helm.toolkit.fluxcd.io \"$HELMRELEASE\" -n \"$HELMRELEASE_NS\" -o jsonpath='{.spec.chart.spec.version}{\"\\n\"}'   # 0.94.3 or later (with spec.chartRef, the OCIRepository's tag)".to_string(),
                        format!("helm get values {release} -n {ns} -o yaml > values-from-cluster.yaml   # the helm-controller's release (its name may be spec.releaseName)"),
                    ]);
                    lines
                },
            },
        }
    }

    /// A phase: the values become `full` (or your file plus `overlay`).
    pub fn apply(&self, full: FileName, overlay: FileName) -> Step {
        match self.model.deployed_with {
            DeployedWith::Helm => {
                let mut commands = self.helm_upgrade_to(full.as_str());
                commands.push(format!("# or, keeping your file as it is: {}", self.helm_upgrade(&format!("-f values.yaml -f {overlay}"))));
                Step { prose: None, commands }
            }
            DeployedWith::ArgoCd => Step {
                prose: Some(format!("In Git, make `{full}` the values file the Application reads (`spec.source.helm.valueFiles`), or add `{overlay}` after your file in `valueFiles`. Commit, push, then sync:")),
                commands: self.argocd_sync(),
            },
            DeployedWith::Flux => Step {
                prose: Some(format!("In Git, merge `{overlay}` into the HelmRelease's `spec.values` (or, if it reads `spec.valuesFrom`, put `{full}` in that ConfigMap or Secret). Commit, push, then reconcile:")),
                commands: self.flux_reconcile(),
            },
        }
    }

    /// Going back to `full`: the original values, or a phase's.
    pub fn revert(&self, full: &str, commit: &str) -> Step {
        match self.model.deployed_with {
            DeployedWith::Helm => Step { prose: None, commands: self.helm_upgrade_to(full) },
            DeployedWith::ArgoCd => Step {
                prose: Some(format!("`git revert` the commit of {commit}, push, then sync:")),
                commands: self.argocd_sync(),
            },
            DeployedWith::Flux => Step {
                prose: Some(format!("`git revert` the commit of {commit}, push, then reconcile. In an emergency, before Git is fixed: `flux suspend helmrelease` first, `helm rollback`, and `flux resume helmrelease` once Git holds the same values.")),
                commands: self.flux_reconcile(),
            },
        }
    }

    /// How to apply the same values again after an annotation change (external-dns steps).
    pub fn again(&self) -> &'static str {
        match self.model.deployed_with {
            DeployedWith::Helm => "run the phase 1 `helm upgrade` again",
            DeployedWith::ArgoCd => "commit and sync as in phase 1",
            DeployedWith::Flux => "commit and reconcile as in phase 1",
        }
    }

    /// A Helm command on another release (cert-manager) is reverted under GitOps too.
    pub fn other_release_note(&self) -> Option<&'static str> {
        match self.model.deployed_with {
            DeployedWith::Helm => None,
            DeployedWith::ArgoCd => Some("If Argo CD deploys cert-manager too, set the same value in its values in Git instead of running `helm upgrade`, or self-heal undoes it."),
            DeployedWith::Flux => Some("If Flux deploys cert-manager too, set the same value in its HelmRelease in Git instead of running `helm upgrade`, or the next reconciliation undoes it."),
        }
    }
}
