//! The cargo features of `workapi` match the spec: one per vendor and one per module.

use crate::support::spec;

#[test]
fn every_spec_module_has_a_cargo_feature_and_no_feature_is_stale() {
    let manifest =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../generated-client/Cargo.toml")).unwrap();
    let features: Vec<&str> = manifest
        .split("[features]")
        .nth(1)
        .unwrap()
        .split("\n[")
        .next()
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim()))
        .filter(|k| !k.starts_with('#'))
        .collect();
    // Runtime features that are not spec modules.
    let mut expected = vec![
        "default".to_owned(),
        "redis".to_owned(),
        "callback".to_owned(),
        "fuzzing".to_owned(),
        "tls-ring".to_owned(),
        "tls-aws-lc".to_owned(),
        "tls-native".to_owned(),
        "receive".to_owned(),
        "axum".to_owned(),
        "stream".to_owned(),
    ];
    for v in &spec().vendors {
        expected.push(v.name.to_string());
        expected.push(format!("{}-all", v.name));
        for m in &v.modules {
            expected.push(workapi_codegen::emit::feature(v, m));
        }
    }
    let mut got: Vec<String> = features.iter().map(|s| s.to_string()).collect();
    got.sort();
    expected.sort();
    assert_eq!(got, expected, "generated-client/Cargo.toml [features] vs spec/");
}

#[test]
fn check_names_a_module_whose_feature_is_missing() {
    let manifest_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated-client/Cargo.toml");
    let manifest = std::fs::read_to_string(manifest_path).unwrap();
    let spec = spec();
    assert!(workapi_codegen::features::missing_features(spec, &manifest, "Cargo.toml").is_empty());
    // Every module, its feature line taken out, is named with its file.
    for v in &spec.vendors {
        for m in &v.modules {
            let f = workapi_codegen::emit::feature(v, m);
            let without: String = manifest
                .lines()
                .filter(|l| !l.trim_start().starts_with(&format!("{f} =")))
                .map(|l| format!("{l}\n"))
                .collect();
            let problems = workapi_codegen::features::missing_features(spec, &without, "Cargo.toml");
            assert_eq!(problems.len(), 1, "{f}: {problems:?}");
            assert_eq!(problems[0].file, m.file);
            assert!(problems[0].message.contains(&f), "{}", problems[0].message);
        }
    }
}
