//! The envelope every emitted Kubernetes object is written in: `apiVersion`, `kind`, the little
//! metadata a manifest needs, and a typed spec (the `gateway-api` crate's structs, or the small
//! typed structs of the other CRDs). The crate's full objects carry `k8s-openapi`'s `ObjectMeta`,
//! whose timestamp formatting alone would add tens of kilobytes to the browser bundle; the JSON
//! is the same, and the tests round-trip every object through the crate's full types.

use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Serialize, Debug, Clone, PartialEq, Default)]
pub struct Meta {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

impl Meta {
    pub fn new(name: &str, namespace: Option<&str>) -> Meta {
        Meta { name: name.to_string(), namespace: namespace.map(str::to_string), annotations: BTreeMap::new() }
    }

    pub fn with_annotations(mut self, annotations: BTreeMap<String, String>) -> Meta {
        self.annotations = annotations;
        self
    }
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Manifest<S> {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: Meta,
    pub spec: S,
}

impl<S: Serialize> Manifest<S> {
    pub fn new(api_version: &'static str, kind: &'static str, metadata: Meta, spec: S) -> Self {
        Manifest { api_version, kind, metadata, spec }
    }

    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).expect("typed Kubernetes objects serialise")
    }
}

/// The envelope of an object that carries `data` instead of a `spec` (a ConfigMap).
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DataManifest<D> {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: Meta,
    pub data: D,
}

impl<D: Serialize> DataManifest<D> {
    pub fn new(api_version: &'static str, kind: &'static str, metadata: Meta, data: D) -> Self {
        DataManifest { api_version, kind, metadata, data }
    }

    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).expect("typed Kubernetes objects serialise")
    }
}
