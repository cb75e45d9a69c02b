//! A notification receiver for the delivery tests: a small HTTP/1.1 server on port 0
//! (plain tokio, so it can misbehave at the TCP level) that answers each request as its
//! [`Schedule`] says — 200, 500, hang past the sender's timeout, or drop the connection
//! before answering — and keeps every request it acknowledged with 200.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// What the receiver does with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// Answers 200.
    Ok,
    /// Answers 500.
    Fail,
    /// Answers nothing for this long, then closes.
    Hang(Duration),
    /// Closes the connection without answering.
    Drop,
}

/// Decides the behaviour for the n-th request (0-based) received.
pub type Schedule = Arc<dyn Fn(u64) -> Behaviour + Send + Sync>;

/// A request the receiver acknowledged with 200.
#[derive(Debug, Clone)]
pub struct Received {
    /// `X-Duban-Delivery`.
    pub delivery: String,
    /// `X-Duban-Signature`, when sent.
    pub signature: Option<String>,
    /// The request path and query.
    pub path: String,
    /// The raw body.
    pub raw: Vec<u8>,
    /// The body as JSON.
    pub body: Value,
}

struct State {
    schedule: Mutex<Schedule>,
    count: Mutex<u64>,
    received: Mutex<Vec<Received>>,
}

/// A running receiver.
#[derive(Clone)]
pub struct Receiver {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    state: Arc<State>,
}

impl Receiver {
    /// Starts a receiver that follows `schedule`.
    pub async fn start(schedule: Schedule) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let state = Arc::new(State {
            schedule: Mutex::new(schedule),
            count: Mutex::new(0),
            received: Mutex::new(Vec::new()),
        });
        let accepting = Arc::clone(&state);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&accepting)));
            }
        });
        Receiver { base, state }
    }

    /// Replaces the schedule (e.g. the receiver recovers).
    pub fn set_schedule(&self, schedule: Schedule) {
        *self.state.schedule.lock().expect("lock") = schedule;
    }

    /// Every acknowledged request so far, in the order received.
    pub fn received(&self) -> Vec<Received> {
        self.state.received.lock().expect("lock").clone()
    }

    /// How many requests arrived (answered or not).
    pub fn requests(&self) -> u64 {
        *self.state.count.lock().expect("lock")
    }
}

/// Always 200.
pub fn always_ok() -> Schedule {
    Arc::new(|_| Behaviour::Ok)
}

async fn serve(stream: TcpStream, state: Arc<State>) {
    let mut reader = BufReader::new(stream);
    loop {
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if line == "\r\n" || line == "\n" {
                break;
            }
            head.push(line.trim_end().to_string());
        }
        let Some(request_line) = head.first() else {
            return;
        };
        let path = request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or("/")
            .to_string();
        let header = |name: &str| {
            head.iter().skip(1).find_map(|h| {
                let (k, v) = h.split_once(':')?;
                k.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| v.trim().to_string())
            })
        };
        let length: usize = header("content-length")
            .and_then(|l| l.parse().ok())
            .unwrap_or(0);
        let mut raw = vec![0u8; length];
        if reader.read_exact(&mut raw).await.is_err() {
            return;
        }
        let behaviour = {
            let mut count = state.count.lock().expect("lock");
            let n = *count;
            *count += 1;
            (state.schedule.lock().expect("lock"))(n)
        };
        let status = match behaviour {
            Behaviour::Drop => return,
            Behaviour::Hang(d) => {
                tokio::time::sleep(d).await;
                return;
            }
            Behaviour::Fail => "500 Internal Server Error",
            Behaviour::Ok => {
                state.received.lock().expect("lock").push(Received {
                    delivery: header("x-duban-delivery").unwrap_or_default(),
                    signature: header("x-duban-signature"),
                    path,
                    body: serde_json::from_slice(&raw).unwrap_or(Value::Null),
                    raw,
                });
                "200 OK"
            }
        };
        let answer = format!("HTTP/1.1 {status}\r\ncontent-length: 2\r\n\r\nok");
        if reader.get_mut().write_all(answer.as_bytes()).await.is_err() {
            return;
        }
    }
}
