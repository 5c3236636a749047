//! Pages with one section per message type have one request example per section, and the spec keeps
//! one example per endpoint. This checks every other example of those pages, read from the real
//! `../shared/vendor-docs/` when it is there: each decodes into the typed request and re-encodes to equal JSON.
//! 微信客服 likewise, and also for what it reads: each message kind and event of 接收消息和事件 decodes
//! into `KfMessage`, and each attachment of the knowledge base's appendix into `KfIntentAttachment`.

use crate::support::whole_floats_as_integers;
use serde_json::Value;
use std::path::{Path, PathBuf};
use workapi::wecom::{kf, message};

/// The folder of WeCom's 消息接收与发送 pages in the corpus beside the repository.
fn message_pages() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/vendor-docs/wecom/001-企业内部开发/002-服务端API/009-消息接收与发送")
}

/// The JSON objects of a page's code blocks that are requests (no `errcode`), in page order. Blocks
/// inside an HTML comment (a section the vendor has withdrawn) are skipped.
pub(crate) fn request_examples(page: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut block: Option<String> = None;
    let mut in_comment = false;
    for line in page.lines() {
        if block.is_none() && line.contains("<!--") {
            in_comment = true;
        }
        if in_comment {
            in_comment = !line.contains("-->");
            continue;
        }
        if line.trim_start().starts_with("```") {
            match block.take() {
                Some(text) => {
                    if let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(&text)
                        && v.get("errcode").is_none()
                    {
                        out.push(v);
                    }
                }
                None => block = Some(String::new()),
            }
        } else if let Some(text) = block.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    out
}

/// A check of one page's examples: decode as the endpoint's request type, encode back, compare.
type Check = fn(&str, &Value) -> Result<(), String>;

/// The `Check` for request type `$t`.
macro_rules! round_trip {
    ($t:ty) => {
        |page: &str, example: &Value| -> Result<(), String> {
            let typed: $t = serde_json::from_value(example.clone()).map_err(|e| format!("{page}: {e}\n{example}"))?;
            let back = serde_json::to_value(&typed).map_err(|e| format!("{page}: {e}"))?;
            if whole_floats_as_integers(back.clone()) == whole_floats_as_integers(example.clone()) {
                Ok(())
            } else {
                Err(format!("{page}: does not round-trip\nsent: {example}\nback: {back}"))
            }
        }
    };
}

/// The documented corrections (each a `note` in spec/wecom/message.yaml): the 小程序通知消息 example
/// of 发送应用消息 leaves out `agentid`, which every other section and the spec require.
fn correct(example: &mut Value) {
    if example["msgtype"] == "miniprogram_notice" && example.get("agentid").is_none() {
        example["agentid"] = Value::from(1);
    }
}

#[test]
fn every_message_type_example_round_trips_through_its_typed_request() {
    let dir = message_pages();
    if !dir.exists() {
        crate::support::skipped("the message page examples", &format!("{} is not there", dir.display()));
        return;
    }
    // Page, its endpoint's request type, and how many request examples the page has (so a page
    // whose examples stop parsing fails here instead of checking nothing).
    let pages: [(&str, Check, usize); 4] = [
        ("002-发送应用消息.md", round_trip!(message::MessageSendRequest), 15),
        (
            "003-更新模版卡片消息.md",
            round_trip!(message::MessageUpdateTemplateCardRequest),
            6,
        ),
        (
            "006-应用发送消息到群聊会话/005-应用推送消息.md",
            round_trip!(message::AppchatSendRequest),
            9,
        ),
        (
            "007-家校消息推送/001-发送学校通知.md",
            round_trip!(message::ExternalcontactMessageSendRequest),
            8,
        ),
    ];
    let mut failures = Vec::new();
    for (file, check, expected) in pages {
        let text = std::fs::read_to_string(dir.join(file)).expect("read a corpus page");
        let mut examples = request_examples(&text);
        assert_eq!(examples.len(), expected, "{file}: request examples found");
        examples.iter_mut().for_each(correct);
        failures.extend(examples.iter().filter_map(|e| check(file, e).err()));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The folder of WeCom's 微信客服 pages in the corpus beside the repository.
fn kf_pages() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/vendor-docs/wecom/001-企业内部开发/002-服务端API/016-微信客服")
}

#[test]
fn every_kf_message_kind_example_round_trips_through_its_type() {
    let dir = kf_pages();
    if !dir.exists() {
        crate::support::skipped("the 微信客服 page examples", &format!("{} is not there", dir.display()));
        return;
    }
    // Page, the type of its examples that carry a `msgtype` (the per-kind sections; the pages' other
    // request examples have none), and how many there are. Not counted, as they are not JSON: 发送消息's
    // 小程序 example and 发送事件响应消息's 菜单 example (each misses a comma; see spec/wecom/kf.yaml).
    let pages: [(&str, Check, usize); 4] = [
        (
            "004-会话分配与消息收发/003-发送消息.md",
            round_trip!(kf::KfSendMsgRequest),
            9,
        ),
        (
            "004-会话分配与消息收发/004-发送欢迎语等事件响应消息.md",
            round_trip!(kf::KfSendMsgOnEventRequest),
            2,
        ),
        (
            "004-会话分配与消息收发/002-接收消息和事件.md",
            round_trip!(kf::KfMessage),
            24,
        ),
        (
            "008-机器人管理/002-知识库问答管理.md",
            round_trip!(kf::KfIntentAttachment),
            7,
        ),
    ];
    let mut failures = Vec::new();
    for (file, check, expected) in pages {
        let text = std::fs::read_to_string(dir.join(file)).expect("read a corpus page");
        let examples: Vec<Value> = request_examples(&text)
            .into_iter()
            .filter(|e| e.get("msgtype").is_some())
            .collect();
        assert_eq!(examples.len(), expected, "{file}: examples with a msgtype found");
        failures.extend(examples.iter().filter_map(|e| check(file, e).err()));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
