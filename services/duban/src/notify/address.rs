//! Which endpoint URLs the server may call. A department must not be able to make the
//! server reach internal hosts (SSRF), so a URL is refused unless it is http or https
//! and every address its host resolves to is public; loopback, private, link-local,
//! carrier-grade NAT, unspecified, broadcast and multicast addresses are refused unless
//! the server runs with `--allow-private-endpoints` (tests, and offices whose OA system
//! is on the internal network).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::error::{ServiceError, ServiceResult};

/// Whether `ip` is one the server refuses to call by default.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => private_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return private_v4(v4);
            }
            private_v6(v6)
        }
    }
}

fn private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
}

fn private_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
}

/// Parses `raw` and checks its scheme and host; returns the URL and its host and port
/// for the address check.
pub fn parse(raw: &str) -> ServiceResult<(url::Url, String, u16)> {
    let url = url::Url::parse(raw.trim())
        .map_err(|e| ServiceError::invalid("url", format!("not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ServiceError::invalid(
            "url",
            "only http and https are allowed",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ServiceError::invalid(
            "url",
            "credentials in the URL are not allowed",
        ));
    }
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| ServiceError::invalid("url", "the URL names no host"))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let port = url
        .port_or_known_default()
        .ok_or_else(|| ServiceError::invalid("url", "no port"))?;
    Ok((url, host, port))
}

/// Checks an endpoint URL: its form, then (unless `allow_private`) every address its
/// host resolves to. A host that does not resolve is refused.
pub async fn check(raw: &str, allow_private: bool) -> ServiceResult<url::Url> {
    let (url, host, port) = parse(raw)?;
    if allow_private {
        return Ok(url);
    }
    let addresses: Vec<IpAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => tokio::net::lookup_host((host.as_str(), port))
            .await
            .map_err(|e| ServiceError::invalid("url", format!("cannot resolve {host}: {e}")))?
            .map(|a| a.ip())
            .collect(),
    };
    if addresses.is_empty() {
        return Err(ServiceError::invalid(
            "url",
            format!("{host} has no address"),
        ));
    }
    if let Some(ip) = addresses.into_iter().find(|ip| is_private(*ip)) {
        return Err(ServiceError::invalid(
            "url",
            format!(
                "{host} is a loopback, private or link-local address ({ip}); the server \
                 calls only public addresses unless started with --allow-private-endpoints"
            ),
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: ServiceResult<url::Url>) -> &'static str {
        r.err().map_or("OK", |e| e.code().as_str())
    }

    #[tokio::test]
    async fn internal_addresses_are_refused_unless_allowed() {
        for url in [
            "http://127.0.0.1:8080/hook",
            "http://localhost/hook",
            "http://10.1.2.3/",
            "http://172.16.0.1/",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data",
            "http://100.64.0.1/",
            "http://0.0.0.0/",
            "http://[::1]/",
            "http://[fe80::1]/",
            "http://[fd00::1]/",
            "http://[::ffff:127.0.0.1]/",
        ] {
            assert_eq!(code(check(url, false).await), "BAD_USER_INPUT", "{url}");
            assert_eq!(code(check(url, true).await), "OK", "{url}");
        }
        assert_eq!(code(check("http://8.8.8.8/hook", false).await), "OK");
        assert_eq!(code(check("https://[2001:4860::8888]/", false).await), "OK");
    }

    #[tokio::test]
    async fn other_schemes_and_malformed_urls_are_refused() {
        for url in [
            "ftp://8.8.8.8/",
            "file:///etc/passwd",
            "gopher://8.8.8.8/",
            "not a url",
            "http://user:pw@8.8.8.8/",
            "",
        ] {
            assert_eq!(code(check(url, true).await), "BAD_USER_INPUT", "{url}");
        }
    }

    #[test]
    fn parsing_never_panics_on_random_input() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let alphabet: Vec<char> = "htps:/[]@%.:0123456789abcdef?#教 \u{0}".chars().collect();
        for _ in 0..5_000 {
            let len = (state % 40) as usize;
            let mut s = String::new();
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                s.push(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            let _ = parse(&s);
        }
    }
}
