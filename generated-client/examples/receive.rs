//! Receive WeCom and DingTalk events over HTTP and print each as one JSON line.
//!
//! ```sh
//! WECOM_CALLBACK_TOKEN=... WECOM_ENCODING_AES_KEY=... WECOM_CORP_ID=... \
//! DINGTALK_CALLBACK_TOKEN=... DINGTALK_ENCODING_AES_KEY=... DINGTALK_APP_KEY=... \
//!     cargo run -p workapi --example receive --features axum
//! ```
//!
//! Listens on `WORKAPI_RECEIVE_ADDR` (default `127.0.0.1:8787`); serves WeCom on `/wecom` and
//! DingTalk HTTP push on `/dingtalk`, each when its three settings are set. Every accepted event
//! is a line `{"vendor":..,"event":..,...fields}` on stdout; every refused request a line on
//! stderr, and the server keeps running. `WORKAPI_RECEIVE_MAX_AGE` is the accepted age of a
//! request's timestamp in seconds (default 300; `off` accepts any, to replay old examples).

use std::io::{self, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use workapi::callback::CallbackCrypto;
use workapi::receive::{self, Delivery, Receiver, ReceiverBuilder};
use workapi::serde_json::{self, Value};

#[tokio::main]
async fn main() {
    let settings = match Settings::from_env(|name| std::env::var(name).ok()) {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("receive: {message}");
            std::process::exit(2);
        }
    };
    let listener = match TcpListener::bind(&settings.addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("receive: cannot listen on {}: {e}", settings.addr);
            std::process::exit(1);
        }
    };
    if let Err(e) = serve(listener, settings, io::stdout(), io::stderr()).await {
        eprintln!("receive: server stopped: {e}");
        std::process::exit(1);
    }
}

/// What the environment configures.
pub struct Settings {
    /// `WORKAPI_RECEIVE_ADDR`.
    pub addr: String,
    /// From `WECOM_CALLBACK_TOKEN`, `WECOM_ENCODING_AES_KEY`, `WECOM_CORP_ID`.
    pub wecom: Option<CallbackCrypto>,
    /// From `DINGTALK_CALLBACK_TOKEN`, `DINGTALK_ENCODING_AES_KEY`, `DINGTALK_APP_KEY`.
    pub dingtalk: Option<CallbackCrypto>,
    /// `WORKAPI_RECEIVE_MAX_AGE`.
    pub max_age: Option<Duration>,
}

impl Settings {
    /// Reads the settings through `var` (the process environment in `main`).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let vendor = |names: [&str; 3]| -> Result<Option<CallbackCrypto>, String> {
            match names.map(&var) {
                [None, None, None] => Ok(None),
                [Some(token), Some(key), Some(receive_id)] => CallbackCrypto::new(token, &key, receive_id)
                    .map(Some)
                    .map_err(|e| format!("{}/{}: {e}", names[0], names[1])),
                _ => Err(format!("set all of {} or none", names.join(", "))),
            }
        };
        let wecom = vendor(["WECOM_CALLBACK_TOKEN", "WECOM_ENCODING_AES_KEY", "WECOM_CORP_ID"])?;
        let dingtalk = vendor([
            "DINGTALK_CALLBACK_TOKEN",
            "DINGTALK_ENCODING_AES_KEY",
            "DINGTALK_APP_KEY",
        ])?;
        if wecom.is_none() && dingtalk.is_none() {
            return Err("no vendor configured: set the WECOM_* or the DINGTALK_* callback settings".to_owned());
        }
        let max_age = match var("WORKAPI_RECEIVE_MAX_AGE").as_deref() {
            None => Some(receive::DEFAULT_MAX_AGE),
            Some("off") => None,
            Some(secs) => Some(Duration::from_secs(secs.parse().map_err(|_| {
                format!("WORKAPI_RECEIVE_MAX_AGE: {secs:?} is not a number of seconds or `off`")
            })?)),
        };
        Ok(Settings {
            addr: var("WORKAPI_RECEIVE_ADDR").unwrap_or_else(|| "127.0.0.1:8787".to_owned()),
            wecom,
            dingtalk,
            max_age,
        })
    }
}

/// Serves the configured vendors on `listener` until the server fails: each event a JSON line
/// on `stdout`, each refused request a line on `stderr`.
pub async fn serve(
    listener: TcpListener,
    settings: Settings,
    stdout: impl Write + Send + 'static,
    stderr: impl Write + Send + 'static,
) -> io::Result<()> {
    let stderr = Arc::new(Mutex::new(stderr));
    let (sender, mut deliveries) = receive::channel(1024);
    let configure = |builder: ReceiverBuilder| {
        let stderr = Arc::clone(&stderr);
        builder.max_age(settings.max_age).on_rejected(move |error| {
            let mut stderr = stderr.lock().unwrap_or_else(|e| e.into_inner());
            let _ = writeln!(stderr, "refused {} ({}): {error}", error.vendor(), error.status());
        })
    };
    let mut app = axum::Router::new();
    let mut paths = Vec::new();
    if let Some(crypto) = settings.wecom {
        app = app.merge(receive::axum::router(
            "/wecom",
            configure(Receiver::wecom(crypto)).build(sender.clone()),
        ));
        paths.push("/wecom");
    }
    if let Some(crypto) = settings.dingtalk {
        app = app.merge(receive::axum::router(
            "/dingtalk",
            configure(Receiver::dingtalk(crypto)).build(sender),
        ));
        paths.push("/dingtalk");
    }
    {
        let mut stderr = stderr.lock().unwrap_or_else(|e| e.into_inner());
        let _ = writeln!(
            stderr,
            "listening on http://{} ({})",
            listener.local_addr()?,
            paths.join(", ")
        );
    }

    // The printer is the application: it reads the queue at its own pace; the server never waits for it.
    let mut stdout = stdout;
    tokio::spawn(async move {
        while let Some(delivery) = deliveries.recv().await {
            let _ = writeln!(stdout, "{}", event_line(&delivery));
            let _ = stdout.flush();
        }
    });
    axum::serve(listener, app).await
}

/// The typed event's spec id and fields (as the push names them), when the spec knows the event.
fn typed(delivery: &Delivery) -> Option<(&'static str, serde_json::Map<String, Value>)> {
    let as_fields = |value: Result<Value, serde_json::Error>| match value {
        Ok(Value::Object(fields)) => Some(fields),
        _ => None,
    };
    if let Some(Ok(event)) = delivery.wecom_event() {
        return Some((event.id()?, as_fields(serde_json::to_value(&event))?));
    }
    if let Some(Ok(event)) = delivery.dingtalk_event() {
        return Some((event.id()?, as_fields(serde_json::to_value(&event))?));
    }
    None
}

/// `{"vendor":..,"event":..,...fields}`: the vendor, the event, then its fields: every field pushed
/// (WeCom's elements as strings, nested ones as objects; DingTalk's JSON as is), with the typed
/// values over them when the spec knows the event, whose spec id (`create_user`) is then the
/// `"event"`; else the vendor's event type. Nothing pushed is dropped, including fields the spec
/// does not list. A field named `vendor` or `event` is left out rather than hide the first two.
pub fn event_line(delivery: &Delivery) -> String {
    let mut fields = delivery.fields();
    let event = match typed(delivery) {
        Some((id, typed_fields)) => {
            fields.extend(typed_fields);
            Value::from(id)
        }
        None => delivery.event_type().map_or(Value::Null, Value::from),
    };
    let mut line = format!(
        "{{\"vendor\":{},\"event\":{event}",
        Value::from(delivery.vendor().as_str()),
    );
    for (name, value) in fields {
        if name != "vendor" && name != "event" {
            line.push(',');
            line.push_str(&Value::from(name).to_string());
            line.push(':');
            line.push_str(&serde_json::to_string(&value).unwrap_or_default());
        }
    }
    line.push('}');
    line
}
