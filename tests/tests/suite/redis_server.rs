//! A `redis-server` of the test's own on a free loopback port, for the token-store and rate-store
//! tests. Outside CI a missing `redis-server` skips the test with a notice; under CI it fails.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A `redis-server` of our own, stopped on drop.
pub struct RedisServer {
    child: Child,
    /// `redis://127.0.0.1:<port>/`
    pub url: String,
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start_redis() -> Option<RedisServer> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let spawned = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(Stdio::null())
        .spawn();
    let child = match spawned {
        Ok(c) => c,
        Err(e) if std::env::var_os("CI").is_some() => panic!("redis-server is required under CI: {e}"),
        Err(e) => {
            crate::support::skipped("a Redis test", &format!("cannot start redis-server ({e})"));
            return None;
        }
    };
    let server = RedisServer {
        child,
        url: format!("redis://127.0.0.1:{port}/"),
    };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(server);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("redis-server did not listen on port {port} within 5 s");
}
