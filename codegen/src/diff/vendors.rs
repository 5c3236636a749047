//! The comparison of vendors, hosts, modules and endpoints. Endpoints match by vendor and id (an
//! id that changed at the same host, method and path is a rename); the walk into their requests and
//! responses is in `fields.rs`. Struct and enum ids are never compared: they differ between models.

use super::changes::{Change, Class, Kind, Scope};
use super::fields::{Side, TypeWalk};
use crate::model::{self, Endpoint, Errcode, Method, Module, RateLimit, Spec, Vendor};
use std::collections::{BTreeMap, BTreeSet};

/// Every change from `old` to `new`, vendors in name order, then in spec order within a vendor.
pub fn compare(old: &Spec, new: &Spec) -> Vec<Change> {
    let mut out = Vec::new();
    let olds: BTreeMap<&str, &Vendor> = old.vendors.iter().map(|v| (v.name.as_str(), v)).collect();
    let news: BTreeMap<&str, &Vendor> = new.vendors.iter().map(|v| (v.name.as_str(), v)).collect();
    let names: BTreeSet<&str> = olds.keys().chain(news.keys()).copied().collect();
    for name in names {
        let scope = Scope {
            vendor: name.to_owned(),
            ..Scope::default()
        };
        match (olds.get(name), news.get(name)) {
            (Some(_), None) => out.push(scope.change(
                Class::Breaking,
                Kind::VendorRemoved,
                None,
                Some(name.to_owned()),
                None,
                format!("the module `workapi::{name}` and the `{name}` feature are gone"),
            )),
            (None, Some(_)) => out.push(scope.change(
                Class::Compatible,
                Kind::VendorAdded,
                None,
                None,
                Some(name.to_owned()),
                format!("a new module `workapi::{name}` behind a new feature"),
            )),
            (Some(o), Some(n)) => compare_vendor(&scope, o, n, &mut out),
            (None, None) => {}
        }
    }
    out
}

fn compare_vendor(scope: &Scope, o: &Vendor, n: &Vendor, out: &mut Vec<Change>) {
    compare_hosts(scope, o, n, out);
    let token_settings = |v: &Vendor| {
        let t = &v.token;
        vec![
            ("endpoint", v.token_endpoint().id.to_string()),
            ("query_param", t.query_param.clone()),
            ("header", t.header.clone().unwrap_or_default()),
            ("id", format!("{} (env {})", t.id_param, t.id_env)),
            ("secret", format!("{} (env {})", t.secret_param, t.secret_env)),
            ("token_field", t.token_field.clone()),
            ("expires_field", t.expires_field.clone()),
        ]
    };
    for ((key, old), (_, new)) in token_settings(o).into_iter().zip(token_settings(n)) {
        if old != new {
            out.push(scope.change(
                Class::Behaviour,
                Kind::TokenChanged,
                Some(format!("token.{key}")),
                Some(old),
                Some(new),
                "the client fetches or carries its token differently (env variables included)",
            ));
        }
    }
    if o.envelope != n.envelope {
        out.push(scope.change(
            Class::Behaviour,
            Kind::EnvelopeChanged,
            Some("envelope".into()),
            Some(o.envelope.join(", ")),
            Some(n.envelope.join(", ")),
            "other top-level response fields are taken for envelope rather than payload",
        ));
    }
    rate_limit(
        scope,
        Some("vendor rate_limit".into()),
        &o.rate_limit,
        &n.rate_limit,
        out,
    );
    errcodes(scope, "errcodes", &o.errcodes, &n.errcodes, true, out);
    http_errors(scope, o, n, out);
    compare_modules(scope, o, n, out);
    compare_endpoints(scope, o, n, out);
    super::events::compare_events(scope, o, n, out);
}

fn compare_hosts(scope: &Scope, o: &Vendor, n: &Vendor, out: &mut Vec<Change>) {
    for h in &o.hosts {
        let at = Some(format!("host {}", h.id));
        let Some(nh) = n.hosts.iter().find(|x| x.id == h.id) else {
            out.push(scope.change(
                Class::Breaking,
                Kind::HostRemoved,
                at,
                Some(h.base_url.clone()),
                None,
                format!("the variant `Host::{}` is gone", h.variant),
            ));
            continue;
        };
        let pairs = [
            ("base_url", h.base_url.clone(), nh.base_url.clone()),
            ("env", h.env.clone(), nh.env.clone()),
            ("token", placement(h.token).into(), placement(nh.token).into()),
            ("errors", format!("{:?}", h.errors), format!("{:?}", nh.errors)),
        ];
        for (key, old, new) in pairs {
            if old != new {
                out.push(scope.change(
                    Class::Behaviour,
                    Kind::HostChanged,
                    Some(format!("host {}.{key}", h.id)),
                    Some(old),
                    Some(new),
                    "every endpoint on this host is called or decoded differently",
                ));
            }
        }
    }
    for h in n.hosts.iter().filter(|h| !o.hosts.iter().any(|x| x.id == h.id)) {
        out.push(scope.change(
            Class::Compatible,
            Kind::HostAdded,
            Some(format!("host {}", h.id)),
            None,
            Some(h.base_url.clone()),
            format!("a new variant `Host::{}`; the enum is `#[non_exhaustive]`", h.variant),
        ));
    }
}

fn http_errors(scope: &Scope, o: &Vendor, n: &Vendor, out: &mut Vec<Change>) {
    // The same rules as errcodes; the key is the `code` string and the status travels with it.
    let as_errcodes = |v: &Vendor| -> Vec<(String, String)> {
        v.http_errors
            .iter()
            .map(|e| (e.code.clone(), format!("HTTP {} {:?}", e.status, e.kind)))
            .collect()
    };
    keyed_runtime_table(scope, "http_errors", &as_errcodes(o), &as_errcodes(n), out);
}

fn errcodes(scope: &Scope, at: &str, o: &[Errcode], n: &[Errcode], runtime: bool, out: &mut Vec<Change>) {
    let table = |list: &[Errcode]| -> Vec<(String, String)> {
        list.iter()
            .map(|e| {
                let subs = if e.sub_codes.is_empty() {
                    String::new()
                } else {
                    format!(" sub_codes {}", e.sub_codes.join(","))
                };
                (e.code.to_string(), format!("{:?}{subs}", e.kind))
            })
            .collect()
    };
    if runtime {
        keyed_runtime_table(scope, at, &table(o), &table(n), out);
        return;
    }
    // An endpoint's errcodes are its rustdoc only.
    let (o, n) = (table(o), table(n));
    for (code, kind) in &o {
        if !n.iter().any(|(c, _)| c == code) {
            out.push(scope.change(
                Class::Compatible,
                Kind::ErrcodeRemoved,
                Some(format!("{at} {code}")),
                Some(kind.clone()),
                None,
                "documentation only: the method's rustdoc no longer lists it",
            ));
        }
    }
    for (code, kind) in &n {
        if !o.iter().any(|(c, _)| c == code) {
            out.push(scope.change(
                Class::Compatible,
                Kind::ErrcodeAdded,
                Some(format!("{at} {code}")),
                None,
                Some(kind.clone()),
                "documentation only: the method's rustdoc lists it",
            ));
        }
    }
}

/// Vendor-wide error tables drive retries and token refresh: a code that changes its kind (or
/// appears or disappears with a kind other than `Other`) changes what the runtime does.
fn keyed_runtime_table(scope: &Scope, at: &str, o: &[(String, String)], n: &[(String, String)], out: &mut Vec<Change>) {
    let find = |list: &[(String, String)], code: &str| list.iter().find(|(c, _)| c == code).map(|(_, k)| k.clone());
    let codes: BTreeSet<&String> = o.iter().chain(n).map(|(c, _)| c).collect();
    for code in codes {
        let (old, new) = (find(o, code), find(n, code));
        let kind = match (&old, &new) {
            (Some(a), Some(b)) if a == b => continue,
            (Some(_), Some(_)) => Kind::ErrcodeChanged,
            (Some(_), None) => Kind::ErrcodeRemoved,
            (None, _) => Kind::ErrcodeAdded,
        };
        let plain = |k: &Option<String>| k.as_deref().is_none_or(|k| k.starts_with("Other"));
        let (class, reason) = if plain(&old) && plain(&new) {
            (
                Class::Compatible,
                "documentation only: the runtime treats it as any other error",
            )
        } else {
            (
                Class::Behaviour,
                "the runtime classifies this code differently (token refresh, retry or quota decisions)",
            )
        };
        out.push(scope.change(class, kind, Some(format!("{at} {code}")), old, new, reason));
    }
}

fn compare_modules(scope: &Scope, o: &Vendor, n: &Vendor, out: &mut Vec<Change>) {
    let v = &scope.vendor;
    for m in &o.modules {
        let scope = Scope {
            module: Some(m.name.to_string()),
            ..scope.clone()
        };
        match n.modules.iter().find(|x| x.name == m.name) {
            None => out.push(scope.change(
                Class::Breaking,
                Kind::ModuleRemoved,
                None,
                Some(m.title.clone()),
                None,
                format!(
                    "the module `workapi::{v}::{0}` and the `{v}-{0}` feature are gone",
                    m.name
                ),
            )),
            Some(nm) if nm.secret_env != m.secret_env => out.push(scope.change(
                Class::Behaviour,
                Kind::SecretEnvChanged,
                Some("secret_env".into()),
                m.secret_env.clone(),
                nm.secret_env.clone(),
                "`Client::from_env()` of this module's app reads another variable",
            )),
            Some(_) => {}
        }
    }
    for m in n.modules.iter().filter(|m| !o.modules.iter().any(|x| x.name == m.name)) {
        let scope = Scope {
            module: Some(m.name.to_string()),
            ..scope.clone()
        };
        out.push(scope.change(
            Class::Compatible,
            Kind::ModuleAdded,
            None,
            None,
            Some(m.title.clone()),
            format!("a new module `workapi::{v}::{0}` behind the `{v}-{0}` feature", m.name),
        ));
    }
}

/// An endpoint with the module it is in.
pub(super) type Located<'a> = (&'a Module, &'a Endpoint);

fn compare_endpoints(scope: &Scope, o: &Vendor, n: &Vendor, out: &mut Vec<Change>) {
    let olds: Vec<Located> = o.endpoints().collect();
    let news: Vec<Located> = n.endpoints().collect();
    let in_news = |id: &str| news.iter().any(|(_, e)| e.id.as_str() == id);
    let in_olds = |id: &str| olds.iter().any(|(_, e)| e.id.as_str() == id);
    let mut removed: Vec<Located> = olds.iter().copied().filter(|(_, e)| !in_news(&e.id)).collect();
    let mut added: Vec<Located> = news.iter().copied().filter(|(_, e)| !in_olds(&e.id)).collect();
    // An id that changed while host, method and path stayed is a rename, not a removal.
    let address = |v: &Vendor, e: &Endpoint| (v.host(e.host).id.clone(), e.method, e.path.clone());
    let mut renamed = Vec::new();
    removed.retain(
        |&(om, oe)| match added.iter().position(|&(_, ne)| address(n, ne) == address(o, oe)) {
            Some(i) => {
                renamed.push(((om, oe), added.remove(i)));
                false
            }
            None => true,
        },
    );
    for (m, e) in removed {
        let scope = endpoint_scope(scope, m, e);
        out.push(scope.change(
            Class::Breaking,
            Kind::EndpointRemoved,
            None,
            Some(format!("{} {}", method(e.method), e.path)),
            None,
            format!("the method `{}` and its request and response types are gone", e.id),
        ));
    }
    for ((om, oe), (nm, ne)) in renamed {
        let scope = endpoint_scope(scope, nm, ne);
        out.push(scope.change(
            Class::Breaking,
            Kind::EndpointRenamed,
            None,
            Some(oe.id.to_string()),
            Some(ne.id.to_string()),
            format!(
                "same host, method and path under a new id: the method `{}` is now `{}`",
                oe.id, ne.id
            ),
        ));
        compare_endpoint(&scope, (o, om, oe), (n, nm, ne), out);
    }
    for &(om, oe) in &olds {
        if let Some(&(nm, ne)) = news.iter().find(|(_, e)| e.id == oe.id) {
            compare_endpoint(&endpoint_scope(scope, nm, ne), (o, om, oe), (n, nm, ne), out);
        }
    }
    for (m, e) in added {
        let scope = endpoint_scope(scope, m, e);
        out.push(scope.change(
            Class::Compatible,
            Kind::EndpointAdded,
            None,
            None,
            Some(format!("{} {}", method(e.method), e.path)),
            format!("a new method `{}`", e.id),
        ));
    }
}

fn endpoint_scope(scope: &Scope, m: &Module, e: &Endpoint) -> Scope {
    Scope {
        module: Some(m.name.to_string()),
        endpoint: Some(e.id.to_string()),
        ..scope.clone()
    }
}

/// An endpoint in its vendor and module.
type Full<'a> = (&'a Vendor, &'a Module, &'a Endpoint);

fn compare_endpoint(scope: &Scope, (ov, om, oe): Full, (nv, nm, ne): Full, out: &mut Vec<Change>) {
    if om.name != nm.name {
        out.push(scope.change(
            Class::Breaking,
            Kind::EndpointMoved,
            None,
            Some(om.name.to_string()),
            Some(nm.name.to_string()),
            format!(
                "its types move from `workapi::{v}::{}` to `workapi::{v}::{}`, behind another feature",
                om.name,
                nm.name,
                v = scope.vendor
            ),
        ));
    }
    let simple = [
        (
            Kind::MethodChanged,
            method(oe.method).to_owned(),
            method(ne.method).to_owned(),
            "the client sends another HTTP method",
        ),
        (
            Kind::HostChanged,
            ov.host(oe.host).base_url.clone(),
            nv.host(ne.host).base_url.clone(),
            "the client calls another host (and another `Host` base-URL override applies)",
        ),
        (
            Kind::PathChanged,
            oe.path.clone(),
            ne.path.clone(),
            "the client calls another path",
        ),
        (
            Kind::TokenPlacementChanged,
            placement(oe.token).into(),
            placement(ne.token).into(),
            "the client carries the token elsewhere",
        ),
        (
            Kind::WrapChanged,
            oe.wrap.clone().unwrap_or_else(|| "(none)".into()),
            ne.wrap.clone().unwrap_or_else(|| "(none)".into()),
            "the request body is wrapped differently",
        ),
        (
            Kind::PayloadChanged,
            format!("{:?}", oe.payload_at),
            format!("{:?}", ne.payload_at),
            "the client reads the payload from another place of the response",
        ),
    ];
    for (kind, old, new, reason) in simple {
        if old != new {
            out.push(scope.change(Class::Behaviour, kind, None, Some(old), Some(new), reason));
        }
    }
    if oe.idempotent != ne.idempotent {
        let reason = if ne.idempotent {
            "the retry policy may now resend it after it may have reached the vendor"
        } else {
            "the retry policy no longer resends it once it may have reached the vendor"
        };
        out.push(scope.change(
            Class::Behaviour,
            Kind::IdempotentChanged,
            None,
            Some(oe.idempotent.to_string()),
            Some(ne.idempotent.to_string()),
            reason,
        ));
    }
    rate_limit(scope, None, &oe.rate_limit, &ne.rate_limit, out);
    spans(scope, (om, oe), (nm, ne), out);
    super::paging::compare(scope, (om, oe), (nm, ne), out);
    super::docs::endpoint_docs(scope, oe, ne, out);
    errcodes(scope, "errcodes", &oe.errcodes, &ne.errcodes, false, out);
    let mut walk = TypeWalk::new(scope, om, nm, out);
    walk.request(om.request(oe), nm.request(ne));
    walk.root(Side::Response, "response", &oe.response, &ne.response);
}

fn rate_limit(scope: &Scope, at: Option<String>, o: &Option<RateLimit>, n: &Option<RateLimit>, out: &mut Vec<Change>) {
    let text = |r: &Option<RateLimit>| match r {
        None => "(none)".to_owned(),
        Some(r) => format!("{} per {}s", r.calls, r.per_seconds),
    };
    let (old, new) = (text(o), text(n));
    if old != new {
        out.push(scope.change(
            Class::Behaviour,
            Kind::RateLimitChanged,
            at,
            Some(old),
            Some(new),
            "the client's rate limiter (`rate_limit(true)`) paces calls differently",
        ));
    }
}

fn spans(scope: &Scope, (om, oe): Located, (nm, ne): Located, out: &mut Vec<Change>) {
    let list = |m: &Module, e: &Endpoint| -> Vec<(String, u32)> {
        e.spans
            .iter()
            .map(|s| (format!("{}..{}", m.field(s.from).wire, m.field(s.to).wire), s.max_days))
            .collect()
    };
    let (o, n) = (list(om, oe), list(nm, ne));
    let keys: BTreeSet<&String> = o.iter().chain(&n).map(|(k, _)| k).collect();
    for key in keys {
        let find = |l: &[(String, u32)]| l.iter().find(|(k, _)| k == key).map(|(_, d)| *d);
        let (old, new) = (find(&o), find(&n));
        let tightened = match (old, new) {
            (Some(a), Some(b)) if a == b => continue,
            (Some(a), Some(b)) => b < a,
            (None, _) => true,
            (Some(_), None) => false,
        };
        let days = |d: Option<u32>| Some(d.map_or("(none)".into(), |d| format!("{d} days")));
        let (class, kind, reason) = if tightened {
            (
                Class::Behaviour,
                Kind::SpanTightened,
                "calls with a longer span are now refused before sending",
            )
        } else {
            (Class::Compatible, Kind::SpanLoosened, "longer spans are accepted")
        };
        out.push(scope.change(
            class,
            kind,
            Some(format!("request span {key}")),
            days(old),
            days(new),
            reason,
        ));
    }
}

fn method(m: Method) -> &'static str {
    match m {
        Method::Get => "GET",
        Method::Post => "POST",
    }
}

fn placement(t: model::TokenPlacement) -> &'static str {
    match t {
        model::TokenPlacement::Query => "query",
        model::TokenPlacement::Header => "header",
        model::TokenPlacement::None => "none",
    }
}
