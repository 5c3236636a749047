//! The comparison of pushed events. Events match by vendor and id; an event's struct is read by
//! users as a response is, so its fields are compared with the response rules.

use super::changes::{Change, Class, Kind, Scope};
use super::fields::{Side, TypeWalk};
use crate::model::{Event, Module, Type, Vendor};

/// An event with the module it is in.
type Located<'a> = (&'a Module, &'a Event);

fn events(v: &Vendor) -> Vec<Located<'_>> {
    v.modules
        .iter()
        .flat_map(|m| m.events.iter().map(move |e| (m, e)))
        .collect()
}

fn event_scope(scope: &Scope, m: &Module, e: &Event) -> Scope {
    Scope {
        module: Some(m.name.to_string()),
        endpoint: Some(format!("event {}", e.id)),
        ..scope.clone()
    }
}

/// `Event=change_contact, ChangeType=create_user`.
fn on_text(e: &Event) -> String {
    e.on.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn compare_events(scope: &Scope, o: &Vendor, n: &Vendor, out: &mut Vec<Change>) {
    let (olds, news) = (events(o), events(n));
    for &(om, oe) in &olds {
        let Some(&(nm, ne)) = news.iter().find(|(_, e)| e.id == oe.id) else {
            out.push(event_scope(scope, om, oe).change(
                Class::Breaking,
                Kind::EventRemoved,
                None,
                Some(on_text(oe)),
                None,
                format!(
                    "the variant `Event::{}` and its struct are gone; such pushes decode as `Event::Unknown`",
                    oe.variant
                ),
            ));
            continue;
        };
        let scope = event_scope(scope, nm, ne);
        if om.name != nm.name {
            out.push(scope.change(
                Class::Breaking,
                Kind::EndpointMoved,
                None,
                Some(om.name.to_string()),
                Some(nm.name.to_string()),
                "the event's struct moves to another module, behind another feature",
            ));
        }
        if oe.on != ne.on {
            out.push(scope.change(
                Class::Behaviour,
                Kind::EventDiscriminatorsChanged,
                Some("on".into()),
                Some(on_text(oe)),
                Some(on_text(ne)),
                "other pushes decode as this event",
            ));
        }
        TypeWalk::new(&scope, om, nm, out).root(
            Side::Response,
            "event",
            &Type::Struct(oe.strukt),
            &Type::Struct(ne.strukt),
        );
    }
    for &(nm, ne) in news.iter().filter(|(_, e)| !olds.iter().any(|(_, x)| x.id == e.id)) {
        out.push(event_scope(scope, nm, ne).change(
            Class::Compatible,
            Kind::EventAdded,
            None,
            None,
            Some(on_text(ne)),
            format!(
                "a new variant `Event::{}`; the enum is `#[non_exhaustive]`, and such pushes were `Unknown` before",
                ne.variant
            ),
        ));
    }
}
