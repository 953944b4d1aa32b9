//! Measures how long a plan takes for realistic and large inputs:
//! `cargo run --release -p gateway-planner-core --example bench [VALUES_FILE]`.
//! Results go in the closing notes; tests never assert on wall-clock time.

use planner::{plan, Choices, ImplementationId};
use std::time::Instant;

fn measure(label: &str, text: &str, rounds: u32) {
    let choices = Choices::new(ImplementationId::EnvoyGateway);
    let _ = plan(text, &choices).expect("the input plans");
    let start = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(plan(std::hint::black_box(text), &choices).expect("the input plans"));
    }
    let per = start.elapsed() / rounds;
    println!("{label:<40} {:>8} bytes  {:>10.3} ms per plan", text.len(), per.as_secs_f64() * 1e3);
}

fn main() {
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/golden");
    let default_values =
        std::fs::read_to_string(format!("{corpus}/gke-default-values/values.yaml")).expect("corpus file");
    let small =
        std::fs::read_to_string(format!("{corpus}/eg-cert-manager-zenml-key/values.yaml")).expect("corpus file");
    measure("docs example (01, cert-manager)", &small, 2000);
    measure("chart default values (63 KB)", &default_values, 100);
    if let Some(path) = std::env::args().nth(1) {
        let text = std::fs::read_to_string(&path).expect("readable file");
        measure(&path, &text, 10);
    }
    let mut big = String::from("server:\n  ingress:\n    host: zenml.example.com\n  environment:\n");
    let mut i = 0;
    while big.len() < 10 * 1024 * 1024 {
        big.push_str(&format!("    VARIABLE_{i}: \"some configuration value that is fairly long {i}\"  # note {i}\n"));
        i += 1;
    }
    measure("synthetic 10 MB values file", &big, 3);
}
