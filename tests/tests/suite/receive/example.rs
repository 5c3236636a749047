//! The `receive` example's server (`generated-client/examples/receive.rs`, compiled here so it
//! runs in-process with no second cargo build): settings from the environment, one JSON line per
//! event on stdout, a line per refusal on stderr, and it keeps serving.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::net::TcpListener;
use workapi::receive;

use super::*;

#[path = "../../../../generated-client/examples/receive.rs"]
#[allow(dead_code)]
mod program;

/// A `Write` into a shared buffer, to read what the example printed.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn lines(&self) -> Vec<String> {
        String::from_utf8(self.0.lock().unwrap().clone())
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    async fn wait_for_lines(&self, n: usize) -> Vec<String> {
        for _ in 0..100 {
            if self.lines().len() >= n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.lines()
    }
}

#[tokio::test]
async fn the_example_prints_one_json_line_per_event_and_keeps_running_after_a_refusal() {
    let env = [
        ("WECOM_CALLBACK_TOKEN", WECOM_TOKEN),
        ("WECOM_ENCODING_AES_KEY", WECOM_KEY),
        ("WECOM_CORP_ID", CORP_ID),
        ("DINGTALK_CALLBACK_TOKEN", DINGTALK_TOKEN),
        ("DINGTALK_ENCODING_AES_KEY", DINGTALK_KEY),
        ("DINGTALK_APP_KEY", APP_KEY),
    ];
    let var = |name: &str| env.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned());
    let settings = program::Settings::from_env(var).unwrap();
    assert_eq!(settings.addr, "127.0.0.1:8787");
    assert_eq!(settings.max_age, Some(receive::DEFAULT_MAX_AGE));
    // Half a vendor's settings is an error that names the variables, not a silent skip.
    let half = program::Settings::from_env(|name| (name == "WECOM_CORP_ID").then(|| "x".to_owned()));
    assert!(half.err().unwrap().contains("WECOM_CALLBACK_TOKEN"));

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stdout, stderr) = (Captured::default(), Captured::default());
    tokio::spawn(program::serve(listener, settings, stdout.clone(), stderr.clone()));
    // Reuse the request helpers against the example's server.
    let server = Server {
        base,
        deliveries: receive::channel(1).1,
        refused: Arc::default(),
        http: workapi::http_client_builder().unwrap().build().unwrap(),
    };
    assert_eq!(
        server
            .wecom_post(&change_contact("wangwu", "1700000003"), &now_secs())
            .await
            .status(),
        200
    );
    let refused = server
        .post(
            "/dingtalk?msg_signature=bad&timestamp=1&nonce=1",
            r#"{"encrypt":"AAAA"}"#.to_owned(),
        )
        .await;
    assert_eq!(refused.status(), 403, "a timestamp of 1970 is refused");
    assert_dingtalk_success(server.dingtalk_post(&user_add_org("ex-1"), &now_millis()).await).await;

    let lines = stdout.wait_for_lines(2).await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    let first: Value = serde_json::from_str(&lines[0]).unwrap();
    assert!(
        lines[0].starts_with(r#"{"vendor":"wecom","event":"create_user","#),
        "{}",
        lines[0]
    );
    assert_eq!(first["UserID"], "wangwu");
    assert_eq!(first["ChangeType"], "create_user");
    let second: Value = serde_json::from_str(&lines[1]).unwrap();
    let mut expected = user_add_org("ex-1");
    expected["vendor"] = json!("dingtalk");
    expected["event"] = json!("user_add_org");
    assert_eq!(second, expected);

    let errors = stderr.lines();
    assert!(errors[0].starts_with("listening on http://127.0.0.1:"), "{errors:?}");
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[1].starts_with("refused dingtalk (403 Forbidden)"), "{errors:?}");
}
