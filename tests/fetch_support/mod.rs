//! A scriptable HTTP/1.1 server on 127.0.0.1 for the fetch tests and bench.
//!
//! Each path gets a list of [`Reply`]s: the n-th request to the path gets
//! the n-th reply, and the last one repeats. A reply can wait before its
//! headers, dribble its body in slow chunks, omit `Content-Length`, or reset
//! the connection. Every request is recorded with its headers and arrival
//! time, so tests can count retries and check what was sent.

#![allow(dead_code)]

pub mod heap;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

/// One scripted answer.
#[derive(Clone, Debug)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Arc<Vec<u8>>,
    header_delay: Duration,
    slow_chunks: Option<(usize, Duration)>,
    with_length: bool,
    reset: bool,
}

impl Reply {
    /// 200 with this body.
    pub fn ok(body: impl Into<Vec<u8>>) -> Reply {
        Reply::status(200).body(body)
    }

    /// An empty answer with this status.
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Arc::new(Vec::new()),
            header_delay: Duration::ZERO,
            slow_chunks: None,
            with_length: true,
            reset: false,
        }
    }

    /// A redirect to `location`.
    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::status(status).header("Location", location)
    }

    /// Closes the connection with a TCP reset instead of answering.
    pub fn reset() -> Reply {
        Reply {
            reset: true,
            ..Reply::status(200)
        }
    }

    /// Replaces the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Reply {
        self.body = Arc::new(body.into());
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Waits this long before sending the status line.
    pub fn delay_headers(mut self, delay: Duration) -> Reply {
        self.header_delay = delay;
        self
    }

    /// Sends the body `chunk` bytes at a time, `pause` between chunks.
    pub fn slow_body(mut self, chunk: usize, pause: Duration) -> Reply {
        self.slow_chunks = Some((chunk.max(1), pause));
        self
    }

    /// Omits `Content-Length` and ends the body by closing the connection.
    pub fn without_length(mut self) -> Reply {
        self.with_length = false;
        self
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    /// Path and query.
    pub path: String,
    /// Header names lower-cased.
    pub headers: HashMap<String, String>,
    /// Arrival time.
    pub at: Instant,
}

#[derive(Default)]
struct State {
    routes: HashMap<String, Vec<Reply>>,
    seen: Vec<Seen>,
    served: HashMap<String, usize>,
    /// Body bytes the server managed to hand to the socket, per path.
    written: HashMap<String, usize>,
}

/// The running server; stops when dropped.
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestServer {
    /// Binds 127.0.0.1 on a free port and starts serving.
    pub async fn start() -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&shared)));
            }
        });
        TestServer { addr, state, task }
    }

    /// Scripts the replies for `path` (path and query, e.g. `/feed?x=1`).
    pub fn route(&self, path: &str, replies: Vec<Reply>) -> &Self {
        assert!(!replies.is_empty());
        self.state
            .lock()
            .unwrap()
            .routes
            .insert(path.into(), replies);
        self
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Requests seen for `path`, in arrival order.
    pub fn seen(&self, path: &str) -> Vec<Seen> {
        let state = self.state.lock().unwrap();
        state
            .seen
            .iter()
            .filter(|s| s.path == path)
            .cloned()
            .collect()
    }

    /// How many requests reached `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.seen(path).len()
    }

    /// Body bytes written to the socket for `path` so far.
    pub fn body_bytes_written(&self, path: &str) -> usize {
        let state = self.state.lock().unwrap();
        state.written.get(path).copied().unwrap_or(0)
    }
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::with_capacity(4096);
    loop {
        let Some((path, headers)) = read_head(&mut stream, &mut buf).await else {
            return;
        };
        let reply = {
            let mut state = state.lock().unwrap();
            state.seen.push(Seen {
                path: path.clone(),
                headers,
                at: Instant::now(),
            });
            let n = state.served.entry(path.clone()).or_insert(0);
            let index = *n;
            *n += 1;
            match state.routes.get(&path) {
                Some(replies) => replies[index.min(replies.len() - 1)].clone(),
                None => Reply::status(404).body("not found"),
            }
        };
        if !reply.header_delay.is_zero() {
            tokio::time::sleep(reply.header_delay).await;
        }
        if reply.reset {
            let _ = stream.set_zero_linger();
            return;
        }
        if write_reply(&mut stream, &reply, &path, &state)
            .await
            .is_err()
            || !reply.with_length
        {
            return;
        }
    }
}

/// Reads one request head; `None` when the peer closed or sent garbage.
async fn read_head(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> Option<(String, HashMap<String, String>)> {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            buf.drain(..end + 4);
            let mut lines = head.split("\r\n");
            let path = lines.next()?.split(' ').nth(1)?.to_string();
            let headers = lines
                .filter_map(|line| line.split_once(':'))
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                .collect();
            return Some((path, headers));
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

async fn write_reply(
    stream: &mut TcpStream,
    reply: &Reply,
    path: &str,
    state: &Mutex<State>,
) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} Scripted\r\n", reply.status);
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    match reply.with_length {
        true => head.push_str(&format!("Content-Length: {}\r\n", reply.body.len())),
        false => head.push_str("Connection: close\r\n"),
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    let (chunk, pause) = reply.slow_chunks.unwrap_or((64 * 1024, Duration::ZERO));
    for piece in reply.body.chunks(chunk) {
        if !pause.is_zero() {
            tokio::time::sleep(pause).await;
        }
        stream.write_all(piece).await?;
        *state
            .lock()
            .unwrap()
            .written
            .entry(path.into())
            .or_insert(0) += piece.len();
    }
    stream.flush().await
}
