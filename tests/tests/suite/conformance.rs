//! Every example response in the docs decodes into the generated type and encodes back to the
//! same JSON: nothing the vendor documents is lost or changed by the client.

use crate::support::{spec, whole_floats_as_integers};

#[test]
fn every_example_response_round_trips_through_its_generated_type() {
    let mut checked = 0;
    for vendor in &spec().vendors {
        for (_, ep) in vendor.endpoints() {
            let Some(payload) = ep.example_payload(&vendor.envelope) else {
                panic!("{}.{} has no example response", vendor.name, ep.id);
            };
            let back = match vendor.name.as_str() {
                "dingtalk" => workapi::dingtalk::reencode_response(&ep.id, payload.clone()),
                "wecom" => workapi::wecom::reencode_response(&ep.id, payload.clone()),
                other => panic!("no client for vendor {other}"),
            };
            let back = back.unwrap_or_else(|e| panic!("{}.{}: {e}", vendor.name, ep.id));
            assert_eq!(
                whole_floats_as_integers(back),
                whole_floats_as_integers(payload),
                "{}.{} does not round-trip",
                vendor.name,
                ep.id
            );
            checked += 1;
        }
    }
    // Counted from the spec, so a new endpoint is checked without touching this test.
    let endpoints: usize = spec().vendors.iter().map(|v| v.endpoints().count()).sum();
    assert!(endpoints > 0, "the spec has no endpoints");
    assert_eq!(checked, endpoints, "every endpoint of the spec is checked");
}

#[test]
fn lenient_decoding_accepts_numbers_sent_as_strings_and_unknown_enum_values() {
    // report/list sends contents.sort and contents.type as strings; others may send sizes so too.
    let payload = serde_json::json!({
        "data_list": [{"report_id": "r1", "create_time": "1507564800000",
                       "contents": [{"key": "今日工作", "sort": "0", "type": "1", "value": "x"}]}],
        "has_more": "false", "next_cursor": "10000", "size": "10", "a_field_from_the_future": 1
    });
    let back = workapi::dingtalk::reencode_response("report_list", payload).unwrap();
    assert_eq!(back["next_cursor"], 10000);
    assert_eq!(back["has_more"], false);
    assert_eq!(back["data_list"][0]["create_time"], 1507564800000_i64);
    // `wire: string` fields go back out as strings, as the vendor sends them.
    assert_eq!(back["data_list"][0]["contents"][0]["sort"], "0");
    assert!(
        back.get("a_field_from_the_future").is_none(),
        "unknown fields are ignored"
    );

    // An order_by value the spec does not list survives as Unknown.
    let req = serde_json::json!({"day_begin_time": 1600272000, "owner_filter": {"userid_list": ["a"]}, "order_by": 9});
    let typed: workapi::wecom::externalcontact::ExternalcontactGroupchatStatisticRequest =
        serde_json::from_value(req).unwrap();
    assert_eq!(
        typed.order_by,
        Some(workapi::wecom::externalcontact::GroupChatOrderBy::Unknown(9))
    );
    assert_eq!(serde_json::to_value(&typed).unwrap()["order_by"], 9);
}

#[test]
fn a_response_that_does_not_fit_names_the_path() {
    let bad = serde_json::json!({"data_list": [{"create_time": "yesterday"}]});
    let err = workapi::dingtalk::reencode_response("report_list", bad).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("data_list[0].create_time"), "{text}");
}
