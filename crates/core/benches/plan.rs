//! How long a plan takes: parse + model + every output file (`planner::plan`), for a small values
//! file, the chart's full default file (63 KB), and generated files of 1 MB and 5 MB, plus the
//! parse alone and a share link's payload. Run with `cargo bench -p gateway-planner-core`;
//! BENCHMARKS.md has the figures. Tests never assert on wall-clock time.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use planner::values::Document;
use planner::{plan, Choices, ImplementationId};
use std::time::Duration;

const SMALL: &str = include_str!("../../../tests/golden/eg-cert-manager-zenml-key/values.yaml");
const DEFAULT_VALUES: &str = include_str!("../../../tests/golden/gke-default-values/values.yaml");

/// A values file of about `bytes`: a real ingress block and a long environment list, the shape a
/// large generated values file takes.
fn generated(bytes: usize) -> String {
    let mut text = String::from(
        "zenml:\n  ingress:\n    enabled: true\n    host: zenml.example.com\n    annotations:\n      nginx.ingress.kubernetes.io/proxy-body-size: 64m\n  environment:\n",
    );
    let mut i = 0;
    while text.len() < bytes {
        text.push_str(&format!("    VARIABLE_{i}: \"some configuration value that is fairly long {i}\"  # note {i}\n"));
        i += 1;
    }
    text
}

fn inputs() -> Vec<(&'static str, String)> {
    vec![
        ("small (787 B)", SMALL.to_string()),
        ("chart default (63 KB)", DEFAULT_VALUES.to_string()),
        ("generated 1 MB", generated(1024 * 1024)),
        ("generated 5 MB", generated(5 * 1024 * 1024)),
    ]
}

fn benches(c: &mut Criterion) {
    let choices = Choices::new(ImplementationId::EnvoyGateway);
    let inputs = inputs();
    let mut group = c.benchmark_group("plan");
    for (label, text) in &inputs {
        if text.len() > 512 * 1024 {
            group.sample_size(10).measurement_time(Duration::from_secs(20));
        }
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(label), text, |b, text| {
            b.iter(|| plan(black_box(text), &choices).expect("the input plans"))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("parse");
    for (label, text) in &inputs {
        if text.len() > 512 * 1024 {
            group.sample_size(10);
        }
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(label), text, |b, text| {
            b.iter(|| Document::parse(black_box(text)).expect("the input parses"))
        });
    }
    group.finish();

    c.bench_function("share link payload, chart default (63 KB)", |b| {
        b.iter(|| planner::share::payload(black_box(DEFAULT_VALUES), &choices).expect("shares"))
    });
}

criterion_group!(plan_benches, benches);
criterion_main!(plan_benches);
