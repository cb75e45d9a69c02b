//! One HTTP delivery: the request an endpoint's kind calls for (signed), sent with
//! timeouts on connect and answer, without redirects or proxies, the answer's body read
//! up to [`BODY_LIMIT`] bytes, and every address the host resolves to checked again at
//! send time (an address that was public when the endpoint was registered may resolve
//! to an internal one later: DNS rebinding).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use duban_domain::endpoint::EndpointKind;

use super::{address, sign};

/// How much of a receiver's answer is read (it is only logged, never parsed).
pub const BODY_LIMIT: usize = 4096;

/// Resolves names like the system does, then drops private addresses unless allowed;
/// a name with only private addresses fails to resolve.
struct CheckedResolver {
    allow_private: bool,
}

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| allow_private || !address::is_private(a.ip()))
                .collect();
            if found.is_empty() {
                return Err(format!("{host} resolves to no public address").into());
            }
            Ok(Box::new(found.into_iter()) as Addrs)
        })
    }
}

/// The client every delivery of a server uses.
pub fn client(
    connect_timeout: Duration,
    answer_timeout: Duration,
    allow_private: bool,
) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .timeout(answer_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .pool_max_idle_per_host(4)
        .user_agent(concat!("duban/", env!("CARGO_PKG_VERSION")))
        .dns_resolver(Arc::new(CheckedResolver { allow_private }))
        .build()
}

/// What a receiver answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Its HTTP status, when it answered at all.
    pub code: Option<u16>,
    /// Why the attempt failed (connection, timeout, a non-2xx answer).
    pub error: Option<String>,
}

impl Answer {
    /// Done only on 2xx.
    pub fn delivered(&self) -> bool {
        self.code.is_some_and(|c| (200..300).contains(&c))
    }
}

/// Posts `body` (JSON) to `url` as an endpoint of `kind` signed with `secret`;
/// `delivery_id` goes in `X-Duban-Delivery`.
pub async fn post(
    client: &reqwest::Client,
    kind: EndpointKind,
    url: &str,
    secret: Option<&str>,
    delivery_id: &str,
    mut body: serde_json::Value,
    allow_private: bool,
) -> Answer {
    let failed = |error: String| Answer {
        code: None,
        error: Some(error),
    };
    let Ok((mut url, host, _)) = address::parse(url) else {
        return failed("the endpoint's URL no longer parses".into());
    };
    // Literal addresses are not resolved, so the resolver cannot check them.
    if let Ok(ip) = host.parse::<IpAddr>()
        && !allow_private
        && address::is_private(ip)
    {
        return failed(format!("{ip} is not a public address"));
    }
    let now = chrono::Utc::now();
    match (kind, secret) {
        (EndpointKind::Dingtalk, Some(s)) => {
            let query = sign::dingtalk_query(s, now.timestamp_millis());
            let joined = match url.query() {
                Some(q) if !q.is_empty() => format!("{q}&{query}"),
                _ => query,
            };
            url.set_query(Some(&joined));
        }
        (EndpointKind::Feishu, Some(s)) => {
            body["timestamp"] = now.timestamp().to_string().into();
            body["sign"] = sign::feishu_sign(s, now.timestamp()).into();
        }
        _ => {}
    }
    let bytes = body.to_string().into_bytes();
    let mut request = client
        .post(url)
        .header("content-type", "application/json; charset=utf-8")
        .header("X-Duban-Delivery", delivery_id);
    if let (EndpointKind::Webhook, Some(s)) = (kind, secret) {
        request = request.header(
            "X-Duban-Signature",
            sign::webhook_signature(s, now.timestamp(), &bytes),
        );
    }
    let mut response = match request.body(bytes).send().await {
        Ok(r) => r,
        Err(e) => return failed(describe(&e)),
    };
    let code = response.status().as_u16();
    let mut read = 0usize;
    let mut excerpt = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let take = chunk.len().min(BODY_LIMIT - read);
                excerpt.extend_from_slice(&chunk[..take]);
                read += take;
                if read >= BODY_LIMIT {
                    break;
                }
            }
            Ok(None) => break,
            // The status is what counts; a body cut short does not undo a 2xx.
            Err(_) => break,
        }
    }
    let error = (!(200..300).contains(&code)).then(|| {
        let text = String::from_utf8_lossy(&excerpt);
        format!(
            "HTTP {code}: {}",
            text.chars().take(200).collect::<String>()
        )
    });
    Answer {
        code: Some(code),
        error,
    }
}

/// A send error in words, without the URL (which may hold a robot's key).
fn describe(e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "the request failed"
    };
    let mut source = std::error::Error::source(e);
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        what.to_string()
    } else {
        format!("{what}: {detail}")
    }
}
