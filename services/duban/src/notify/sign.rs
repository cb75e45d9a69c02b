//! Signatures a receiver checks to know a message came from this server.
//!
//! - Generic webhook: `X-Duban-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
//!   "<t>.<body>" keyed with the endpoint's secret>` (the Stripe scheme: the time is
//!   signed with the body, so a receiver can refuse old replays).
//! - 钉钉 robot (加签): `&timestamp=<ms>&sign=<url-encoded base64 HMAC-SHA256 of
//!   "<ms>\n<secret>" keyed with the secret>` appended to the robot's URL.
//! - 飞书 robot (签名校验): `timestamp` and `sign` = base64 HMAC-SHA256 of an empty
//!   message keyed with "<seconds>\n<secret>", in the JSON body.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
    // HMAC takes a key of any length, so `new_from_slice` cannot fail.
    let mut mac = HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// The `X-Duban-Signature` header of a webhook `body` sent at `unix_seconds`.
pub fn webhook_signature(secret: &str, unix_seconds: i64, body: &[u8]) -> String {
    let mut message = format!("{unix_seconds}.").into_bytes();
    message.extend_from_slice(body);
    format!(
        "t={unix_seconds},v1={}",
        hex::encode(hmac(secret.as_bytes(), &message))
    )
}

/// Checks a `X-Duban-Signature` header against `body` in constant time (what a
/// receiver does; the tests use it as one).
pub fn verify_webhook_signature(secret: &str, header: &str, body: &[u8]) -> bool {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => t = value.parse::<i64>().ok(),
            Some(("v1", value)) => v1 = hex::decode(value).ok(),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return false;
    };
    let mut message = format!("{t}.").into_bytes();
    message.extend_from_slice(body);
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable!());
    mac.update(&message);
    mac.verify_slice(&v1).is_ok()
}

/// The query 钉钉 expects on a signed robot's URL at `unix_millis`.
pub fn dingtalk_query(secret: &str, unix_millis: i64) -> String {
    let sign = STANDARD.encode(hmac(
        secret.as_bytes(),
        format!("{unix_millis}\n{secret}").as_bytes(),
    ));
    let encoded: String = url::form_urlencoded::byte_serialize(sign.as_bytes()).collect();
    format!("timestamp={unix_millis}&sign={encoded}")
}

/// 飞书's `sign` for a body sent at `unix_seconds`.
pub fn feishu_sign(secret: &str, unix_seconds: i64) -> String {
    STANDARD.encode(hmac(format!("{unix_seconds}\n{secret}").as_bytes(), b""))
}

/// A new signing secret: 32 random bytes, hex.
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_webhook_signature_verifies_and_a_changed_body_does_not() {
        let secret = new_secret();
        let body = br#"{"id":"e:1","type":"TaskUrged"}"#;
        let header = webhook_signature(&secret, 1_751_504_400, body);
        assert!(header.starts_with("t=1751504400,v1="));
        assert!(verify_webhook_signature(&secret, &header, body));
        assert!(!verify_webhook_signature(&secret, &header, b"{}"));
        assert!(!verify_webhook_signature("other", &header, body));
        let later = header.replace("t=1751504400", "t=1751504401");
        assert!(!verify_webhook_signature(&secret, &later, body));
        assert!(!verify_webhook_signature(&secret, "garbage", body));
    }

    #[test]
    fn the_webhook_signature_is_hmac_sha256_of_time_dot_body() {
        // RFC 4231-independent check: recompute with the hmac crate directly.
        let header = webhook_signature("key", 42, b"body");
        let expected = hex::encode(hmac(b"key", b"42.body"));
        assert_eq!(header, format!("t=42,v1={expected}"));
    }

    #[test]
    fn dingtalk_and_feishu_signatures_have_their_documented_shape() {
        let q = dingtalk_query("SEC000", 1_751_504_400_000);
        let (ts, sign) = q.split_once("&sign=").expect("two parts");
        assert_eq!(ts, "timestamp=1751504400000");
        let decoded: String = url::form_urlencoded::parse(format!("s={sign}").as_bytes())
            .next()
            .expect("sign")
            .1
            .into_owned();
        assert_eq!(
            STANDARD.decode(decoded).expect("base64"),
            hmac(b"SEC000", b"1751504400000\nSEC000")
        );
        assert_eq!(
            STANDARD.decode(feishu_sign("s", 7)).expect("base64"),
            hmac(b"7\ns", b"")
        );
    }
}
