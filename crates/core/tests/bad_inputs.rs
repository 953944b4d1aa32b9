//! probe
use planner::{plan, Choices, ImplementationId, PlanError};

fn choices() -> Choices {
    Choices::new(ImplementationId::EnvoyGateway)
}

fn show(name: &str, text: &str) {
    let r = std::panic::catch_unwind(|| plan(text, &choices()));
    match r {
        Err(_) => println!("### {name}: PANIC"),
        Ok(Err(PlanError::Values(e))) => println!("### {name}: ERR {}:{} {}", e.line, e.column, e.message),
        Ok(Err(e)) => println!("### {name}: CHOICE {e:?}"),
        Ok(Ok(p)) => {
            println!("### {name}: PLAN host={:?} tls={} key={} active={}", p.resolved.host, p.resolved.tls, p.resolved.values_key, p.resolved.ingress_active);
            for f in &p.findings {
                let m: String = f.message.chars().take(300).collect();
                println!("    finding {:?} {} {:?}:{:?}:{:?} {}", f.severity, f.code, f.path, f.line, f.column, m);
            }
            let par = p.file("values-parallel.yaml").unwrap();
            let pp: String = par.chars().take(600).collect();
            println!("    parallel: {:?}", pp);
        }
    }
}

#[test]
fn probe() {
    let path = std::env::var("PROBE").unwrap();
    let raw = std::fs::read(&path).unwrap();
    let text = String::from_utf8_lossy(&raw);
    for case in text.split("\n=====\n") {
        let (name, body) = case.split_once('\n').unwrap_or((case, ""));
        let body = if body.contains("\\n") { body.replace('\n', "").replace("\\n", "\n") } else { body.to_string() };
        let body = body.replace("\\r", "\r").replace("\\t", "\t").replace("\\0", "\0");
        show(name, &body);
    }
}

#[test]
fn probe_big() {
    let mb = "x".repeat(1024 * 1024);
    show("huge-annotation", &format!("server:\n  ingress:\n    host: zenml.example.com\n    annotations:\n      note: \"{mb}\"\n"));
    show("huge-annotation-then-error", &format!("server:\n  ingress:\n    annotations:\n      note: \"{mb}\"\n    enabled: \"yes\"\n"));
    show("huge-host", &format!("server:\n  ingress:\n    host: a{mb}.example.com\n"));
    show("huge-key", &format!("server:\n  ingress:\n    {mb}: 1\n    host: [\n"));
    let long = "y".repeat(200_000);
    show("long-line-err", &format!("server:\n  ingress: {{note: \"{long}\", enabled: \"yes\"}}\n"));
    show("long-line-scan", &format!("server:\n  ingress: {{note: \"{long}\", b: [}}\n"));
    let pad = format!("# {}\n", "p".repeat(100));
    let mut exact = String::from("server:\n  ingress:\n    host: zenml.example.com\n");
    while exact.len() + pad.len() <= 8 * 1024 * 1024 { exact.push_str(&pad); }
    let rest = 8 * 1024 * 1024 - exact.len();
    exact.push_str(&"#".repeat(rest));
    println!("exact len {}", exact.len());
    show("exact-8mib", &exact);
    exact.push('#');
    show("8mib-plus-1", &exact);
    show("nodes", &format!("server:\n  list: [{}]\n", "1,".repeat(600_000)));
    show("nodes-exact", &format!("server:\n  list: [{}]\n", "1,".repeat(499_996)));
    show("nodes-exact+1", &format!("server:\n  list: [{}]\n", "1,".repeat(499_997)));
    show("aliases", &format!("a: &a x\nlist: [{}]\n", "*a,".repeat(10_001)));
    show("aliases-exact", &format!("a: &a x\nlist: [{}]\nserver:\n  ingress:\n    host: zenml.example.com\n", "*a,".repeat(10_000)));
    show("flow-depth-201", &format!("{}{}", "[".repeat(201), "]".repeat(201)));
    show("flow-depth-200", &format!("a: {}{}", "[".repeat(199), "]".repeat(199)));
    show("flow-depth-201m", &format!("a: {}{}", "[".repeat(200), "]".repeat(200)));
    let mut block = String::new();
    for depth in 0..201 { block.push_str(&" ".repeat(depth)); block.push_str("k:\n"); }
    show("block-depth-201", &block);
    let mut block = String::new();
    for depth in 0..200 { block.push_str(&" ".repeat(depth)); block.push_str("k:\n"); }
    show("block-depth-200", &block);
}

#[test]
fn probe_files() {
    for t in ["server:\n  ingress:\n    host: \"*.example.com\"\n", "server:\n  ingress:\n    host: ZenML.Example.COM\n    tls:\n      enabled: true\n", "fullnameOverride: My_Server\nserver:\n  ingress:\n    host: zenml.example.com\n    tls:\n      enabled: true\n      generateCerts: true\n"] {
        let p = plan(t, &choices()).unwrap_or_else(|e| panic!("{e:?}"));
        println!("{}", p.file("gateway.yaml").unwrap());
        if let Some(t) = p.file("tls.yaml") { println!("{t}"); }
    }
}
