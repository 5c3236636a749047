//! Nesting the vendors' flattened parameter tables back into trees.
//!
//! A table writes a child as `parent.child` (WeCom), with a `└` before it (a few DingTalk pages), or
//! only by listing it right after its parent (most DingTalk pages). The first two are explicit; for
//! the third the page's example JSON (and the PHP SDK sample's `$parent->child=` lines) say which
//! object a row belongs to, and where they are silent the row's place is a guess with a TODO.

use super::Row;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A table row placed in the tree, or a field only the example shows.
#[derive(Debug, Clone)]
pub struct Node {
    /// The wire name.
    pub name: String,
    /// The table row; `None` for a field taken from the example JSON alone.
    pub row: Option<Row>,
    /// The nested fields.
    pub children: Vec<Node>,
    /// What was guessed about this node's place, for `TODO(import)` comments.
    pub todos: Vec<String>,
}

/// The keys an example JSON shows at each place, list items merged.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    /// Keys of the object at this place (empty if it is not an object).
    pub keys: BTreeMap<String, Shape>,
    /// Whether the example has an object here (so `keys` is what the page shows, not nothing).
    pub object: bool,
    /// Whether the example has an array here.
    pub list: bool,
    /// The first non-null value seen here (for field examples).
    pub value: Option<Value>,
}

impl Shape {
    /// The shape of an example value.
    pub fn of(value: &Value) -> Shape {
        let mut s = Shape::default();
        s.merge(value);
        s
    }

    fn merge(&mut self, value: &Value) {
        if self.value.is_none() && !value.is_null() {
            self.value = Some(value.clone());
        }
        match value {
            Value::Object(map) => {
                self.object = true;
                for (k, v) in map {
                    self.keys.entry(k.clone()).or_default().merge(v);
                }
            }
            Value::Array(items) => {
                self.list = true;
                for item in items {
                    // Items merge into this place: `a.b` names a field of a's items.
                    let keep = self.value.take();
                    self.merge(item);
                    self.value = keep;
                }
            }
            _ => {}
        }
    }

    /// The shape at a path of keys.
    pub fn at(&self, path: &[String]) -> Option<&Shape> {
        path.iter().try_fold(self, |s, k| s.keys.get(k))
    }
}

/// What a page shows about nesting besides its table.
#[derive(Debug, Default)]
pub struct Evidence {
    /// The example JSON's shape (the whole body, envelope included).
    pub json: Option<Shape>,
    /// Keys per object name, from SDK samples (`$blackboard_receiver->deptid_list=`).
    pub by_name: HashMap<String, BTreeSet<String>>,
    /// Top-level names that are always at the top (the response envelope, listed last by DingTalk).
    pub top_level: Vec<String>,
}

impl Evidence {
    /// The keys the evidence shows for the object at `path` (`[]` is the root), if it shows any.
    fn keys_for(&self, path: &[String]) -> Option<BTreeSet<String>> {
        if let Some(s) = self.json.as_ref().and_then(|j| j.at(path)).filter(|s| s.object) {
            return Some(s.keys.keys().cloned().collect());
        }
        let name = path.last().map_or("", String::as_str);
        self.by_name.get(name).cloned()
    }
}

/// Field names that hold the next position of a page: they belong beside the page's list.
const PAGING_NAMES: &[&str] = &[
    "next_cursor",
    "nextCursor",
    "has_more",
    "hasMore",
    "nextToken",
    "next_token",
    "total",
    "totalCount",
    "next_offset",
];

/// Nests `rows` (in table order). `is_container(row)` says whether a row opens an object (its type is
/// an object or a list of objects). Dotted names and `└` marks are followed as written; otherwise
/// the evidence decides, and every guess is noted on the node.
pub fn nest(rows: Vec<Row>, evidence: &Evidence, is_container: &dyn Fn(&Row) -> bool) -> Vec<Node> {
    if rows.iter().any(|r| r.name.contains('.')) {
        return nest_dotted(reparent_dotted(rows, evidence));
    }
    if rows.iter().any(|r| r.depth.is_some_and(|d| d > 0)) {
        return nest_marked(rows);
    }
    nest_flat(rows, evidence, is_container)
}

fn leaf(row: Row) -> Node {
    Node {
        name: row.name.clone(),
        row: Some(row),
        children: Vec::new(),
        todos: Vec::new(),
    }
}

/// Finds (or makes, with a TODO) the node at `path` under `nodes`.
fn node_at<'a>(nodes: &'a mut Vec<Node>, path: &[String]) -> &'a mut Vec<Node> {
    let Some((first, rest)) = path.split_first() else {
        return nodes;
    };
    let i = match nodes.iter().position(|n| &n.name == first) {
        Some(i) => i,
        None => {
            nodes.push(Node {
                name: first.clone(),
                row: None,
                children: Vec::new(),
                todos: vec![format!(
                    "`{first}` is not a row of the table; added as the parent its children name"
                )],
            });
            nodes.len() - 1
        }
    };
    node_at(&mut nodes[i].children, rest)
}

/// Dotted rows whose first part is neither a row nor a top-level key of the example, where the
/// example shows that key at exactly one deeper place (`department_info.id` under a
/// `created_department_list` row, whose example is `{"department_info": [{"id": 1}]}`): the
/// example's place is written in front.
fn reparent_dotted(mut rows: Vec<Row>, evidence: &Evidence) -> Vec<Row> {
    let Some(json) = &evidence.json else { return rows };
    let names: BTreeSet<String> = rows.iter().map(|r| r.name.clone()).collect();
    for row in &mut rows {
        let Some((first, _)) = row.name.split_once('.') else {
            continue;
        };
        if names.contains(first) || json.keys.contains_key(first) {
            continue;
        }
        let mut found = Vec::new();
        paths_to(json, first, &mut Vec::new(), &mut found);
        if let [only] = found.as_slice() {
            row.name = format!("{}.{}", only.join("."), row.name);
        }
    }
    rows
}

/// Every path (parent keys) at which `key` appears in `shape`, below the top level.
fn paths_to(shape: &Shape, key: &str, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    for (k, sub) in &shape.keys {
        if k == key && !at.is_empty() {
            out.push(at.clone());
        }
        at.push(k.clone());
        paths_to(sub, key, at, out);
        at.pop();
    }
}

fn nest_dotted(rows: Vec<Row>) -> Vec<Node> {
    let mut out = Vec::new();
    for mut row in rows {
        let parts: Vec<String> = row.name.split('.').map(|p| p.trim().to_owned()).collect();
        let Some((last, parents)) = parts.split_last() else {
            continue;
        };
        row.name = last.clone();
        let siblings = node_at(&mut out, parents);
        // A row named twice (a page listing `a.b` before `a`) fills the placeholder.
        match siblings.iter_mut().find(|n| n.name == row.name && n.row.is_none()) {
            Some(n) => {
                n.row = Some(row);
                n.todos.clear();
            }
            None => siblings.push(leaf(row)),
        }
    }
    out
}

fn nest_marked(rows: Vec<Row>) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    for row in rows {
        let depth = row.depth.unwrap_or(0).min(path.len());
        path.truncate(depth);
        let name = row.name.clone();
        node_at(&mut out, &path).push(leaf(row));
        path.push(name);
    }
    out
}

fn nest_flat(rows: Vec<Row>, evidence: &Evidence, is_container: &dyn Fn(&Row) -> bool) -> Vec<Node> {
    // Each row's level: the path of the object it belongs to. Decide all levels first (a guess may
    // look ahead), then build the tree.
    let mut placed: Vec<(Vec<String>, Row, Option<String>)> = Vec::new();
    let mut stack: Vec<Vec<String>> = vec![Vec::new()];
    let mut list_containers: Vec<Vec<String>> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if evidence.top_level.contains(&row.name) {
            stack.truncate(1);
            placed.push((Vec::new(), row.clone(), None));
            continue;
        }
        let found = (0..stack.len())
            .rev()
            .find(|&l| evidence.keys_for(&stack[l]).is_some_and(|k| k.contains(&row.name)));
        let top = stack.len() - 1;
        let (level, guess) = match found {
            Some(l) => (l, None),
            None if top == 0 => (0, None),
            None if evidence.keys_for(&stack[top]).is_none() => (
                top,
                Some(format!(
                    "nested under `{}` because it follows it in the table; the example does not show it",
                    stack[top].join(".")
                )),
            ),
            None => {
                // The example shows the innermost object without this row: the row closes it. Take
                // the place of the next row whose place the example shows, if that is further out.
                let ahead = rows[i + 1..]
                    .iter()
                    .filter(|r| !evidence.top_level.contains(&r.name))
                    .find_map(|r| {
                        (0..stack.len())
                            .rev()
                            .find(|&l| evidence.keys_for(&stack[l]).is_some_and(|k| k.contains(&r.name)))
                    });
                let paging_parent = PAGING_NAMES
                    .contains(&row.name.as_str())
                    .then(|| {
                        list_containers
                            .iter()
                            .filter(|p| stack.contains(p))
                            .map(|p| p.len().saturating_sub(1))
                            .min()
                    })
                    .flatten();
                let level = match (ahead, paging_parent) {
                    (_, Some(p)) => p,
                    (Some(a), None) if a < top => a,
                    _ => top,
                };
                let at = if level == 0 {
                    "the top level".to_owned()
                } else {
                    format!("`{}`", stack[level].join("."))
                };
                (
                    level,
                    Some(format!(
                        "placed in {at}; the table lists it after `{}` and the example does not show it",
                        stack[top].join(".")
                    )),
                )
            }
        };
        // A name already placed at that level belongs to the innermost open object instead
        // (flat tables list `name` once per object).
        let taken = |l: usize| placed.iter().any(|(p, r, _)| *p == stack[l] && r.name == row.name);
        let (level, guess) = if taken(level) && level < top && !taken(top) {
            (
                top,
                Some(format!(
                    "the table lists `{}` twice; this row was placed in `{}`",
                    row.name,
                    stack[top].join(".")
                )),
            )
        } else {
            (level, guess)
        };
        stack.truncate(level + 1);
        let parent = stack[level].clone();
        let mut path = parent.clone();
        path.push(row.name.clone());
        // A row without a type cell (most WeCom tables) opens an object when the example shows
        // one there: the rows after it (`userlist`, then `userid`, `name`) are its fields.
        let shown = row
            .ty
            .is_none()
            .then(|| evidence.json.as_ref().and_then(|j| j.at(&path)))
            .flatten()
            .filter(|s| s.object);
        if is_container(row) || shown.is_some() {
            let typed_list = row
                .ty
                .as_deref()
                .is_some_and(|t| t.ends_with("[]") || t.starts_with("Array"));
            if typed_list || shown.is_some_and(|s| s.list) {
                list_containers.push(path.clone());
            }
            stack.push(path);
        }
        placed.push((parent, row.clone(), guess));
    }
    let mut out = Vec::new();
    for (parent, row, guess) in placed {
        let siblings = node_at(&mut out, &parent);
        if let Some(first) = siblings.iter_mut().find(|n| n.name == row.name) {
            // Two rows for one key: keep the first, and say so where a reviewer looks.
            first.todos.push(format!(
                "the table lists `{}` again here ({}); that row was not imported",
                row.name,
                row.doc.replace('\n', " ")
            ));
            continue;
        }
        let mut node = leaf(row);
        node.todos.extend(guess);
        siblings.push(node);
    }
    out
}

/// Adds the fields the example shows but the table does not list, each with a TODO, so nothing the
/// page shows is dropped. `skip` names top-level keys that are not payload (the envelope).
pub fn add_example_only(nodes: &mut Vec<Node>, shape: &Shape, skip: &[&str]) {
    for (key, sub) in &shape.keys {
        if skip.contains(&key.as_str()) {
            continue;
        }
        match nodes.iter_mut().find(|n| &n.name == key) {
            Some(n) => add_example_only(&mut n.children, sub, &[]),
            None => {
                let mut node = Node {
                    name: key.clone(),
                    row: None,
                    children: Vec::new(),
                    todos: vec![
                        "not in the table; the page's example shows it (type taken from the example)".to_owned(),
                    ],
                };
                add_example_only(&mut node.children, sub, &[]);
                // Children of a new node are new too; one TODO on the parent covers them.
                for c in &mut node.children {
                    c.todos.clear();
                }
                nodes.push(node);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, ty: &str) -> Row {
        Row {
            name: name.into(),
            ty: Some(ty.into()),
            ..Row::default()
        }
    }

    fn names(nodes: &[Node]) -> String {
        nodes
            .iter()
            .map(|n| {
                if n.children.is_empty() {
                    n.name.clone()
                } else {
                    format!("{}({})", n.name, names(&n.children))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn container(r: &Row) -> bool {
        r.ty.as_deref()
            .is_some_and(|t| t.ends_with("Vo") || t.ends_with("Vo[]"))
    }

    #[test]
    fn dotted_names_nest_as_written() {
        let rows = vec![
            row("a", "obj"),
            row("a.b", "string"),
            row("a.c", "obj[]"),
            row("a.c.d", "int32"),
            row("e", "int32"),
        ];
        assert_eq!(names(&nest(rows, &Evidence::default(), &container)), "a(b c(d)) e");
    }

    #[test]
    fn flat_rows_follow_the_example() {
        let example: Value =
            serde_json::from_str(r#"{"errcode":0,"result":{"list":[{"x":1,"y":2}],"has_more":true}}"#).unwrap();
        let evidence = Evidence {
            json: Some(Shape::of(&example)),
            ..Evidence::default()
        };
        let rows = vec![
            row("result", "PageVo"),
            row("list", "ItemVo[]"),
            row("x", "Number"),
            row("y", "Number"),
            row("has_more", "Boolean"),
            row("errcode", "Number"),
        ];
        let nodes = nest(rows, &evidence, &container);
        assert_eq!(names(&nodes), "result(list(x y) has_more) errcode");
        assert!(nodes.iter().all(|n| n.todos.is_empty()));
    }

    #[test]
    fn rows_the_example_does_not_show_are_guesses() {
        let example: Value = serde_json::from_str(r#"{"result":{"list":[{"x":1}]}}"#).unwrap();
        let evidence = Evidence {
            json: Some(Shape::of(&example)),
            ..Evidence::default()
        };
        let rows = vec![
            row("result", "PageVo"),
            row("list", "ItemVo[]"),
            row("x", "Number"),
            row("next_cursor", "Number"),
        ];
        let nodes = nest(rows, &evidence, &container);
        assert_eq!(names(&nodes), "result(list(x) next_cursor)");
        assert_eq!(nodes[0].children[1].todos.len(), 1);
    }

    #[test]
    fn sdk_samples_close_objects() {
        let mut evidence = Evidence::default();
        evidence
            .by_name
            .insert("recv".into(), ["a".to_owned(), "b".to_owned()].into());
        evidence
            .by_name
            .insert("req".into(), ["t".to_owned(), "recv".to_owned()].into());
        let rows = vec![
            row("req", "ReqVo"),
            row("recv", "RecvVo"),
            row("a", "String"),
            row("b", "String"),
            row("t", "String"),
        ];
        assert_eq!(names(&nest(rows, &evidence, &container)), "req(recv(a b) t)");
    }

    #[test]
    fn untyped_rows_open_the_objects_the_example_shows() {
        // WeCom tables without a type column list a list's item fields right after it.
        let example: Value =
            serde_json::from_str(r#"{"errcode":0,"userlist":[{"userid":"a","name":"b"}],"total":1}"#).unwrap();
        let evidence = Evidence {
            json: Some(Shape::of(&example)),
            top_level: vec!["errcode".into()],
            ..Evidence::default()
        };
        let untyped = |n: &str| Row {
            name: n.into(),
            ..Row::default()
        };
        let rows = ["errcode", "userlist", "userid", "name", "total"].map(untyped).to_vec();
        let nodes = nest(rows, &evidence, &|_| false);
        assert_eq!(names(&nodes), "errcode userlist(userid name) total");
        assert!(nodes.iter().all(|n| n.todos.is_empty()));
    }

    #[test]
    fn dotted_rows_under_an_unlisted_parent_follow_the_example() {
        let example: Value = serde_json::from_str(r#"{"created":{"info":[{"id":1,"name":"x"}]}}"#).unwrap();
        let evidence = Evidence {
            json: Some(Shape::of(&example)),
            ..Evidence::default()
        };
        let rows = vec![row("created", "obj"), row("info.id", "int"), row("info.name", "string")];
        let nodes = nest(rows, &evidence, &container);
        assert_eq!(names(&nodes), "created(info(id name))");
    }

    #[test]
    fn example_only_fields_are_added() {
        let example: Value = serde_json::from_str(r#"{"errcode":0,"a":{"b":1,"c":2}}"#).unwrap();
        let mut nodes = nest_dotted(vec![row("a", "obj"), row("a.b", "int32")]);
        add_example_only(&mut nodes, &Shape::of(&example), &["errcode"]);
        assert_eq!(names(&nodes), "a(b c)");
        assert_eq!(nodes[0].children[1].todos.len(), 1);
    }
}
