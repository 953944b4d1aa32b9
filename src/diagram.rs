//! The traffic path in each phase, drawn as SVG: DNS -> Ingress load balancer or Gateway load
//! balancer -> the ZenML Service, with the selected phase highlighted.

use crate::state::{planned_implementation_name, Page};
use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Parallel,
    Cutover,
    IngressOff,
}

const PHASES: [(Phase, &str, &str); 3] =
    [(Phase::Parallel, "1", "Parallel"), (Phase::Cutover, "2", "DNS cutover"), (Phase::IngressOff, "3", "Ingress off")];

/// How a path looks in a phase.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Path {
    /// Users' traffic goes this way.
    Live,
    /// Reachable for testing (`curl --connect-to`), not in DNS.
    Test,
    /// Still running, for rollback.
    Standby,
    /// Not there.
    Off,
}

impl Path {
    fn class(self) -> &'static str {
        match self {
            Path::Live => "live",
            Path::Test => "test",
            Path::Standby => "standby",
            Path::Off => "off",
        }
    }
}

#[derive(Clone, Copy)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

struct Layout {
    view_box: &'static str,
    users: Rect,
    ingress: Rect,
    gateway: Rect,
    service: Rect,
    /// Left-to-right (edges leave on the right) or top-to-bottom.
    horizontal: bool,
    id: &'static str,
}

const WIDE: Layout = Layout {
    view_box: "0 0 720 240",
    users: Rect { x: 4.0, y: 88.0, w: 196.0, h: 64.0 },
    ingress: Rect { x: 290.0, y: 8.0, w: 220.0, h: 64.0 },
    gateway: Rect { x: 290.0, y: 156.0, w: 220.0, h: 76.0 },
    service: Rect { x: 560.0, y: 88.0, w: 156.0, h: 64.0 },
    horizontal: true,
    id: "wide",
};

const TALL: Layout = Layout {
    view_box: "0 0 360 400",
    users: Rect { x: 60.0, y: 4.0, w: 240.0, h: 60.0 },
    ingress: Rect { x: 4.0, y: 156.0, w: 168.0, h: 76.0 },
    gateway: Rect { x: 188.0, y: 156.0, w: 168.0, h: 76.0 },
    service: Rect { x: 60.0, y: 332.0, w: 240.0, h: 60.0 },
    horizontal: false,
    id: "tall",
};

fn clip(s: &str, chars: usize) -> String {
    if s.chars().count() <= chars {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(chars - 1).collect::<String>())
    }
}

fn node(r: Rect, class: &'static str, title: &str, details: Vec<String>) -> impl IntoView {
    // About 7.3 px per character of the 12 px monospace detail text.
    let chars = ((r.w - 14.0) / 7.3) as usize;
    let top = r.y + r.h / 2.0 - 10.0 * details.len() as f64 + 4.0;
    view! {
        <g class=format!("node {class}")>
            <rect x=r.x y=r.y width=r.w height=r.h rx="8"></rect>
            <text x=r.x + r.w / 2.0 y=top text-anchor="middle" class="node-title">{clip(title, chars)}</text>
            {details
                .into_iter()
                .enumerate()
                .map(|(i, d)| {
                    view! {
                        <text x=r.x + r.w / 2.0 y=top + 18.0 * (i + 1) as f64 text-anchor="middle" class="node-detail">{clip(&d, chars)}</text>
                    }
                })
                .collect_view()}
        </g>
    }
}

fn edge(from: Rect, to: Rect, layout: &Layout, path: Path, label: Option<&'static str>) -> impl IntoView {
    let horizontal = layout.horizontal;
    let (x1, y1, x2, y2) = if horizontal {
        (from.x + from.w, from.y + from.h / 2.0, to.x - 4.0, to.y + to.h / 2.0)
    } else {
        (from.x + from.w / 2.0, from.y + from.h, to.x + to.w / 2.0, to.y - 4.0)
    };
    let marker = format!("url(#arrow-{}-{})", if path == Path::Live { "live" } else { "muted" }, layout.id);
    let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
    let (lx, ly) = match (horizontal, y2 < y1, x2 < x1) {
        (true, true, _) => (mx - 14.0, my - 8.0),
        (true, false, _) => (mx - 14.0, my + 18.0),
        (false, _, true) => (mx - 20.0, my - 4.0),
        (false, _, false) => (mx + 20.0, my - 4.0),
    };
    let anchor = match (horizontal, x2 < x1) {
        (false, true) => "end",
        (false, false) => "start",
        _ => "middle",
    };
    view! {
        <g class=format!("edge {}", path.class())>
            <line x1=x1 y1=y1 x2=x2 y2=y2 marker-end=marker></line>
            {label.map(|l| view! { <text x=lx y=ly text-anchor=anchor class="edge-label">{l}</text> })}
        </g>
    }
}

struct Facts {
    host: String,
    ingress_active: bool,
    gateway: String,
    service: String,
    implementation: String,
}

fn drawing(layout: &'static Layout, phase: Phase, facts: &Facts) -> impl IntoView {
    let class = layout.id;
    let (ingress, gateway) = match (phase, facts.ingress_active) {
        (_, false) => (Path::Off, if phase == Phase::Parallel { Path::Test } else { Path::Live }),
        (Phase::Parallel, true) => (Path::Live, Path::Test),
        (Phase::Cutover, true) => (Path::Standby, Path::Live),
        (Phase::IngressOff, true) => (Path::Off, Path::Live),
    };
    let ingress_label = match ingress {
        Path::Live => Some("DNS"),
        Path::Standby => Some("rollback"),
        _ => None,
    };
    let gateway_label = match gateway {
        Path::Test => Some("curl --connect-to"),
        _ => Some("DNS"),
    };
    let ingress_detail = match ingress {
        Path::Off if !facts.ingress_active => "none today".to_string(),
        Path::Off => "turned off".to_string(),
        Path::Standby => "idle, kept for rollback".to_string(),
        _ => "load balancer".to_string(),
    };
    let l = layout;
    let description = format!(
        "{}: ingress path {}, gateway path {}",
        PHASES.iter().find(|p| p.0 == phase).map_or("", |p| p.2),
        ingress.class(),
        gateway.class()
    );
    view! {
        <svg class=format!("diagram {class}") viewBox=l.view_box role="img" aria-label=description>
            <defs>
                <marker id=format!("arrow-live-{class}") viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0,0 L10,5 L0,10 z" class="arrow-live"></path>
                </marker>
                <marker id=format!("arrow-muted-{class}") viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0,0 L10,5 L0,10 z" class="arrow-muted"></path>
                </marker>
            </defs>
            {edge(l.users, l.ingress, l, ingress, ingress_label)}
            {edge(l.ingress, l.service, l, ingress, None)}
            {edge(l.users, l.gateway, l, gateway, gateway_label)}
            {edge(l.gateway, l.service, l, gateway, None)}
            {node(l.users, "live", "Users", vec![facts.host.clone()])}
            {node(l.ingress, ingress.class(), "Ingress", vec![ingress_detail])}
            {node(l.gateway, gateway.class(), "Gateway", vec![facts.gateway.clone(), facts.implementation.clone()])}
            {node(l.service, "live", "ZenML Service", vec![facts.service.clone()])}
        </svg>
    }
}

fn caption(phase: Phase) -> &'static str {
    match phase {
        Phase::Parallel => "The Gateway runs beside the Ingress. Users still reach ZenML through the Ingress; test the Gateway with curl --connect-to before touching DNS.",
        Phase::Cutover => "DNS points at the Gateway's load balancer. The Ingress keeps running, so pointing DNS back is the rollback.",
        Phase::IngressOff => "The Ingress is turned off (values-final.yaml). Rolling back means re-applying values-parallel.yaml first.",
    }
}

#[component]
pub fn Diagram() -> impl IntoView {
    let page = Page::from_context();
    let phase = RwSignal::new(Phase::Parallel);
    let facts = Memo::new(move |_| {
        page.outcome.with(|o| {
            o.plan.as_ref().map(|p| {
                let r = &p.resolved;
                (
                    r.host.clone().unwrap_or_else(|| "DNS name".into()),
                    r.ingress_active,
                    format!("{}/{}", r.gateway_namespace, r.gateway_name),
                    format!("{}/{}", r.namespace, r.fullname),
                    planned_implementation_name(p).to_string(),
                )
            })
        })
    });
    view! {
        <section class="traffic" aria-labelledby="traffic-heading">
            <div class="traffic-head">
                <h3 id="traffic-heading" class="section-title">"Traffic path"</h3>
                <div class="phases" role="group" aria-label="Phase">
                    {PHASES
                        .into_iter()
                        .map(|(p, n, name)| {
                            view! {
                                <button
                                    type="button"
                                    class="chip phase"
                                    aria-pressed=move || if phase.get() == p { "true" } else { "false" }
                                    on:click=move |_| phase.set(p)
                                >
                                    <span class="phase-n" aria-hidden="true">{n}</span>
                                    {name}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </div>
            {move || {
                facts
                    .get()
                    .map(|(host, ingress_active, gateway, service, implementation)| {
                        let facts = Facts { host, ingress_active, gateway, service, implementation };
                        let p = phase.get();
                        view! {
                            {drawing(&WIDE, p, &facts)}
                            {drawing(&TALL, p, &facts)}
                        }
                    })
            }}
            <p class="caption">{move || caption(phase.get())}</p>
        </section>
    }
}
