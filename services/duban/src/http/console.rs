//! The web console (控制台): static HTML, CSS and ES modules from `services/duban/console/`,
//! embedded in the binary (`rust-embed`; debug builds read the folder from disk), served
//! at `/` and `/console/...`.
//!
//! Every answer carries a Content-Security-Policy that allows scripts, styles, images and
//! connections from this server only (county intranets are often cut off from the
//! internet, and nothing should be fetched from elsewhere), an ETag with `no-cache` so a
//! browser revalidates and gets `304 Not Modified` while the binary is unchanged, and
//! `Referrer-Policy: no-referrer`. Sign-in links carry the token in the fragment
//! ([`sign_in_link`]), which browsers never send to a server.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use rust_embed::RustEmbed;

/// The console's files.
#[derive(RustEmbed)]
#[folder = "console/"]
struct Assets;

/// The sign-in link for a token: the console's address with the token in the fragment.
pub fn sign_in_link(base: &str, token: &str) -> String {
    let base = base.trim_end_matches('/');
    let base = if base.contains("://") {
        base.to_string()
    } else {
        format!("http://{base}")
    };
    format!("{base}/#token={token}")
}

/// The content type of a console file by its extension.
fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "json" => "application/json",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The policy: this origin only (its WebSocket included), no frames, no plugins.
fn policy(req: &HttpRequest) -> String {
    let info = req.connection_info();
    let host = info.host();
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self' ws://{host} wss://{host}; base-uri 'none'; \
         form-action 'none'; frame-ancestors 'none'"
    )
}

fn serve(req: &HttpRequest, path: &str) -> HttpResponse {
    let Some(file) = Assets::get(path) else {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("not found");
    };
    let etag = format!("\"{}\"", hex::encode(&file.metadata.sha256_hash()[..16]));
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut response = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::CONTENT_SECURITY_POLICY, policy(req)))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"));
    if fresh {
        return response.finish();
    }
    response
        .content_type(content_type(path))
        .body(file.data.into_owned())
}

/// GET /: the console's page.
pub async fn index(req: HttpRequest) -> HttpResponse {
    serve(&req, "index.html")
}

/// GET /console/{path}: its scripts and styles.
pub async fn asset(req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let path = path.into_inner();
    if path.split('/').any(|part| part == ".." || part.is_empty()) {
        return HttpResponse::NotFound().finish();
    }
    serve(&req, &path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_put_the_token_in_the_fragment() {
        assert_eq!(
            sign_in_link("127.0.0.1:8080", "abc"),
            "http://127.0.0.1:8080/#token=abc"
        );
        assert_eq!(
            sign_in_link("https://duban.example/", "abc"),
            "https://duban.example/#token=abc"
        );
    }

    #[test]
    fn every_file_has_a_known_type_and_the_page_loads_only_modules_of_its_own() {
        for path in Assets::iter() {
            assert_ne!(content_type(&path), "application/octet-stream", "{path}");
        }
        let page = Assets::get("index.html").expect("index.html");
        let page = String::from_utf8_lossy(&page.data);
        assert!(page.contains(r#"src="/console/app.js""#), "{page}");
        assert!(
            !page.contains("http://") && !page.contains("https://"),
            "no outside origin"
        );
    }
}
