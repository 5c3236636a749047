//! How a module's structs refer to each other: which ones requests and responses use, and no
//! struct that holds itself except through a list (Rust cannot size it).

use super::super::types::{Type, Visit};
use super::super::*;
use super::Reporter;
use serde_saphyr::Location;

/// Every struct reachable from a type, following fields.
struct Reach<'m> {
    module: &'m Module,
    seen: Vec<bool>,
}

impl Visit for Reach<'_> {
    fn visit_struct(&mut self, id: StructId) {
        if !std::mem::replace(&mut self.seen[id.0], true) {
            for f in &self.module.strukt(id).fields {
                self.visit(&f.ty);
            }
        }
    }
}

/// Marks each struct as used by requests, responses or both.
pub(super) fn mark_usage(m: &mut Module) {
    let (req, resp, event) = {
        let mut req = Reach {
            module: m,
            seen: vec![false; m.structs.len()],
        };
        let mut resp = Reach {
            module: m,
            seen: vec![false; m.structs.len()],
        };
        let mut event = Reach {
            module: m,
            seen: vec![false; m.structs.len()],
        };
        for e in &m.endpoints {
            req.visit(&Type::Struct(e.request));
            resp.visit(&e.response);
        }
        for e in &m.events {
            event.visit(&Type::Struct(e.strukt));
        }
        (req.seen, resp.seen, event.seen)
    };
    for (i, s) in m.structs.iter_mut().enumerate() {
        s.usage.request = req[i];
        s.usage.response = resp[i];
        s.usage.event = event[i];
    }
}

/// The structs a struct holds directly (not through a list), each with the field that holds it.
struct Direct(Vec<StructId>);

impl Visit for Direct {
    fn visit_struct(&mut self, id: StructId) {
        self.0.push(id);
    }
    fn enter_list(&mut self, _list: &Type) -> bool {
        false
    }
}

/// Reports each cycle of structs holding each other directly, once, at its first struct.
pub(super) fn refuse_cycles(r: &mut Reporter, m: &Module, locs: &[Location]) {
    let edges: Vec<Vec<StructId>> = m
        .structs
        .iter()
        .map(|s| {
            let mut d = Direct(Vec::new());
            for f in &s.fields {
                d.visit(&f.ty);
            }
            d.0
        })
        .collect();
    // Iterative depth-first search: 0 unvisited, 1 on the current path, 2 done.
    let mut state = vec![0u8; edges.len()];
    for start in 0..edges.len() {
        if state[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&StructId(to)) = edges[node].get(*next) {
                *next += 1;
                match state[to] {
                    0 => {
                        state[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => {
                        let from = stack.iter().position(|(n, _)| *n == to).unwrap_or(0);
                        let names: Vec<&str> = stack[from..]
                            .iter()
                            .map(|(n, _)| m.structs[*n].name.as_str())
                            .chain(std::iter::once(m.structs[to].name.as_str()))
                            .collect();
                        if let Some(loc) = locs.get(to) {
                            r.at(
                                loc,
                                format!(
                                    "type cycle {}: a struct can hold itself only through a list",
                                    names.join(" -> ")
                                ),
                            );
                        }
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
}
