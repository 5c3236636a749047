//! One case per spec key the diff must see beyond the first set (`min_*`, per-item `items:`, an
//! enum's `wire: string`, paging's `next: computed` and `end:`, `secret`, `default`, examples and
//! their `source`, rustdoc text), each asserting every change it gives with its class; `note` is
//! asserted to give none, since it never reaches users. All edits at once are a snapshot.

use super::{REPORT, SpecCopy};
use workapi_codegen::diff::{self, Class, Kind};

const HRM: &str = "dingtalk/hrm.yaml";

/// One edit of the spec and the changes it must give: (kind, class, at, old, new).
struct Case {
    name: &'static str,
    edits: &'static [(&'static str, &'static str, &'static str)],
    expect: &'static [(Kind, Class, &'static str, &'static str, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        name: "min_bytes",
        edits: &[(
            REPORT,
            "          doc: 创建日志的员工userId。\n",
            "          min_bytes: 1\n          doc: 创建日志的员工userId。\n",
        )],
        expect: &[(
            Kind::LimitTightened,
            Class::Behaviour,
            "request.body.userid",
            "min_bytes (none)",
            "min_bytes 1",
        )],
    },
    Case {
        name: "min_chars",
        edits: &[(
            REPORT,
            "              max_chars: 1000\n",
            "              min_chars: 2\n              max_chars: 1000\n",
        )],
        expect: &[(
            Kind::LimitTightened,
            Class::Behaviour,
            "request.body.contents[].content",
            "min_chars (none)",
            "min_chars 2",
        )],
    },
    Case {
        name: "items",
        edits: &[(
            REPORT,
            "          doc: 日志发送到的员工userId。\n",
            "          items: {max_bytes: 64}\n          doc: 日志发送到的员工userId。\n",
        )],
        expect: &[(
            Kind::LimitTightened,
            Class::Behaviour,
            "request.body.to_userids[]",
            "max_bytes (none)",
            "max_bytes 64",
        )],
    },
    Case {
        name: "enum_wire_string",
        edits: &[
            (
                REPORT,
                "  ReportStatisticsType:\n    type: int32\n",
                "  ReportStatisticsType:\n    type: int32\n    wire: string\n",
            ),
            (REPORT, "\"type\": 0, \"offset\"", "\"type\": \"0\", \"offset\""),
        ],
        expect: &[
            (
                Kind::WireFormatChanged,
                Class::Behaviour,
                "request.body.type",
                "wire: number",
                "wire: string",
            ),
            (
                Kind::ExampleChanged,
                Class::Compatible,
                "example.request.type",
                "0",
                "\"0\"",
            ),
        ],
    },
    Case {
        name: "field_wire_string",
        edits: &[(
            REPORT,
            "        type: int64\n        doc: 下一次分页调用的offset值,当返回结果里没有next_cursor时,表示分页结束。\n",
            "        type: int64\n        wire: string\n        doc: 下一次分页调用的offset值,当返回结果里没有next_cursor时,表示分页结束。\n",
        )],
        // ReportUserIdPage is the response of two endpoints; each reports it.
        expect: &[
            (
                Kind::WireFormatChanged,
                Class::Behaviour,
                "response.next_cursor",
                "int64",
                "int64 (wire: string)",
            ),
            (
                Kind::WireFormatChanged,
                Class::Behaviour,
                "response.next_cursor",
                "int64",
                "int64 (wire: string)",
            ),
        ],
    },
    Case {
        name: "paging_end",
        edits: &[(
            REPORT,
            "      end: [has_more_false]\n      has_more: has_more\n    example:",
            "      end: [has_more_false, next_absent]\n      has_more: has_more\n    example:",
        )],
        expect: &[(
            Kind::PagingChanged,
            Class::Behaviour,
            "paging.end",
            "has_more_false",
            "has_more_false, next_absent",
        )],
    },
    Case {
        name: "paging_next_computed",
        edits: &[(
            HRM,
            "          example: [\"11\", \"22\"]\n    paging:\n      style: offset\n      request: offset\n      size: size\n      next: next_cursor\n      items: data_list\n      end: [next_absent]\n",
            "          example: [\"11\", \"22\"]\n    paging:\n      style: offset\n      request: offset\n      size: size\n      next: computed\n      items: data_list\n      end: [short_page]\n",
        )],
        expect: &[
            (
                Kind::PagingChanged,
                Class::Behaviour,
                "paging.next",
                "next_cursor",
                "computed",
            ),
            (
                Kind::PagingChanged,
                Class::Behaviour,
                "paging.end",
                "next_absent",
                "short_page",
            ),
        ],
    },
    Case {
        name: "secret",
        edits: &[(
            REPORT,
            "          doc: 日志来源,每个组织可以自己起一个唯一的来源标识,自定义的值。\n",
            "          secret: true\n          doc: 日志来源,每个组织可以自己起一个唯一的来源标识,自定义的值。\n",
        )],
        expect: &[(
            Kind::FieldRetyped,
            Class::Breaking,
            "request.body.dd_from",
            "string",
            "string (secret)",
        )],
    },
    Case {
        name: "default",
        edits: &[(
            REPORT,
            "          doc: 日志发送到的员工userId。\n",
            "          default: []\n          doc: 日志发送到的员工userId。\n",
        )],
        expect: &[(
            Kind::DefaultChanged,
            Class::Compatible,
            "request.body.to_userids",
            "(none)",
            "[]",
        )],
    },
    Case {
        name: "example_source",
        edits: &[(
            REPORT,
            "      source: table\n      note: >-\n        `result` is the id",
            "      source: doc-corrected\n      note: >-\n        `result` is the id",
        )],
        expect: &[(
            Kind::ExampleChanged,
            Class::Compatible,
            "example.source",
            "table",
            "doc-corrected",
        )],
    },
    Case {
        name: "field_example",
        edits: &[(
            REPORT,
            "          example: true\n        to_cids:",
            "          example: false\n        to_cids:",
        )],
        expect: &[(
            Kind::ExampleChanged,
            Class::Compatible,
            "request.body.to_chat",
            "true",
            "false",
        )],
    },
    Case {
        name: "doc",
        edits: &[(
            REPORT,
            "          doc: 日志要发送到的群ID。",
            "          doc: 日志要发送到的群聊ID。",
        )],
        expect: &[(
            Kind::DocChanged,
            Class::Compatible,
            "request.body.to_cids",
            // Long text is cut at 60 characters.
            "日志要发送到的群ID。 重要 进入钉钉工作台,然后选择日志 > 模板管理 > 权限设置 > 默认发送范围,设置该日志模板…",
            "日志要发送到的群聊ID。 重要 进入钉钉工作台,然后选择日志 > 模板管理 > 权限设置 > 默认发送范围,设置该日志模…",
        )],
    },
    Case {
        name: "note_is_not_user_visible",
        edits: &[(
            REPORT,
            "              note: Always \"markdown\".\n",
            "              note: Always \"markdown\" (checked 2026).\n",
        )],
        expect: &[],
    },
];

fn apply(copy: &SpecCopy, case: &Case) {
    for (file, from, to) in case.edits {
        copy.edit(file, from, to);
    }
}

#[test]
fn each_key_gives_its_changes_and_class() {
    for case in CASES {
        let copy = SpecCopy::new(&format!("key_{}", case.name));
        apply(&copy, case);
        let report = copy.report();
        let got: Vec<_> = report
            .changes
            .iter()
            .map(|c| {
                (
                    c.kind,
                    c.class,
                    c.at.as_deref().unwrap_or_default(),
                    c.old.as_deref().unwrap_or_default(),
                    c.new.as_deref().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(got, case.expect, "{}: {:#?}", case.name, report.changes);
        let breaking = case.expect.iter().any(|e| e.1 == Class::Breaking);
        assert_eq!(report.exit_code(false), u8::from(breaking), "{}", case.name);
    }
}

#[test]
fn snapshot_of_every_key_edit_at_once() {
    let copy = SpecCopy::new("keys_all");
    for case in CASES {
        apply(&copy, case);
    }
    let report = copy.report();
    let expected: usize = CASES.iter().map(|c| c.expect.len()).sum();
    assert_eq!(report.changes.len(), expected, "{:#?}", report.changes);
    insta::assert_snapshot!("diff_keys_markdown", diff::render::markdown(&report));
}
