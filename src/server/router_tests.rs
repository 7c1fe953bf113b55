//! The router as a whole: errors on the wire, health, autocomplete, pages and headers, cross-site writes,
//! panics.

use super::*;
use axum::http::header;
use tower::ServiceExt;

async fn get(app: &Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

use super::test_kit::app as test_app;

async fn post(
    app: &Router,
    uri: &str,
    accept: &str,
    body: &str,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app
        .clone()
        .oneshot(
            Request::post(uri)
                .header(header::ORIGIN, "http://127.0.0.1:3000")
                .header(header::ACCEPT, accept)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body.to_owned()))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

/// The one request error on the wire: its status comes from its variant, its body names the variant and
/// carries the French sentence, the browser decodes it back, and a plain form gets a French page.
#[tokio::test]
async fn request_errors_have_their_status_body_and_page() {
    use leptos::server_fn::error::FromServerFnError;
    let dir = tempfile::tempdir().unwrap();
    let app = test_app(dir.path());
    // Anonymous, in the background (JavaScript): 401 and the variant.
    let (status, _, body) = post(&app, "/api/mandataire/mesure/reactiver", "*/*", "id=1").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("\"erreur\":\"Unauthorized\""), "{body}");
    assert!(body.contains("Connectez-vous à nouveau"), "{body}");
    let decoded = crate::api::AppError::de(body.clone().into());
    assert_eq!(decoded, crate::api::AppError::Unauthorized);
    // Anonymous plain form: the redirect to the login page wins over the status.
    let (status, headers, _) = post(
        &app,
        "/api/mandataire/mesure/reactiver",
        "text/html",
        "id=1",
    )
    .await;
    assert!(status.is_redirection(), "{status}");
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/connexion");
    // Anonymous, the arguments are not even read: 401 whatever they are.
    let (status, _, body) = post(
        &app,
        "/api/mandataire/mesure/reactiver",
        "*/*",
        "id=abc&id=2",
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    // A missing argument is the client's fault: 400, never a 500.
    let (status, _, body) = post(&app, "/api/reinitialiser/valide", "*/*", "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("BadRequest"), "{body}");
    let (status, _, page) = post(&app, "/api/reinitialiser/valide", "text/html", "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("Requête invalide"), "{page}");
    assert!(page.contains("La requête n'est pas valide."), "{page}");
    // Every variant survives the trip.
    for error in [
        crate::api::AppError::NotFound,
        crate::api::AppError::Forbidden,
        crate::api::AppError::Internal,
    ] {
        assert_eq!(crate::api::AppError::de(error.ser()), error);
    }
}

#[tokio::test]
async fn health_autocomplete_pages_and_headers() {
    let dir = tempfile::tempdir().unwrap();
    let app = test_app(dir.path());
    assert_eq!(get(&app, "/sante").await.2, "ok");

    let (status, _, body) = get(&app, "/api/autocomplete/communes?q=calais").await;
    assert_eq!(status, StatusCode::OK);
    let suggestions: Vec<crate::rules::Suggestion> = serde_json::from_str(&body).unwrap();
    assert_eq!(suggestions[0].label, "62100 Calais");
    assert_eq!(suggestions[0].id, "62193-62100");
    let (status, _, body) = get(&app, "/api/autocomplete/inconnu?q=calais").await;
    assert_eq!((status, body.as_str()), (StatusCode::NOT_FOUND, "[]"));

    let (status, headers, body) = get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<html lang=\"fr\""), "{body}");
    assert!(body.contains("Trouvez le bon professionnel pour les majeurs à protéger"));
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap();
    assert!(
        body.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the CSP nonce"
    );
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(
        !headers.contains_key(header::STRICT_TRANSPORT_SECURITY),
        "no HSTS over plain http"
    );

    let (status, _, body) = get(&app, "/?commune=calais").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("Pas-de-Calais (62)"),
        "resolved on the server without JavaScript"
    );

    let (status, headers, body) = get(&app, "/pas/de/page/ici").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Page introuvable"));
    assert!(headers.contains_key(header::CONTENT_SECURITY_POLICY));
}

#[tokio::test]
async fn cross_site_writes_are_refused_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let app = test_app(dir.path());
    let post = |origin: Option<&'static str>| {
        let mut request = Request::post("/sante");
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        app.clone().oneshot(request.body(Body::empty()).unwrap())
    };
    for origin in [Some("https://evil.example"), None] {
        let response = post(origin).await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(response
            .headers()
            .contains_key(header::X_CONTENT_TYPE_OPTIONS));
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        assert!(String::from_utf8_lossy(&body).contains("Requête refusée"));
    }
    // From the public origin the request reaches the router (which has no POST /sante).
    let response = post(Some("http://127.0.0.1:3000")).await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn a_panic_becomes_the_french_500_page() {
    let app: Router = Router::new()
        .route(
            "/panique",
            axum::routing::get(|| async {
                if true {
                    panic!("boom")
                } else {
                    "jamais"
                }
            }),
        )
        .layer(panic_layer());
    let (status, _, body) = get(&app, "/panique").await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(body.contains("Une erreur est survenue. Veuillez réessayer plus tard."));
    assert!(!body.contains("boom"), "no internals shown");
}
