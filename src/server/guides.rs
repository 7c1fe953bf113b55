//! The user guides (SPEC §15): Markdown files of `guides/`, embedded in the binary with their screenshots,
//! rendered once to HTML with pulldown-cmark.
//!
//! The first `#` heading is the guide's title; the `##` and `###` headings get an id and make the
//! "Sommaire". Images are written `![alt](images/name.png)` and served at `/documentation/images/name.png`.
//! The guides are ours, yet raw HTML in them is shown as text: the page only ever holds what Markdown makes.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::body::Body;
use axum::http::{header, HeaderMap, Response, StatusCode};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::api::public::{Guide, SommaireEntry};

#[derive(rust_embed::Embed)]
#[folder = "guides"]
struct GuideFiles;

/// The guides by address (`/documentation/<slug>`), in the order of /documentation.
pub const SLUGS: [&str; 5] = ["prepose", "individuel", "service", "magistrat", "admin"];
const IMAGE_PREFIX: &str = "images/";

static RENDERED: LazyLock<HashMap<&'static str, Guide>> = LazyLock::new(|| {
    SLUGS
        .iter()
        .filter_map(|slug| {
            let file = GuideFiles::get(&format!("{slug}.md"))?;
            let text = String::from_utf8_lossy(&file.data).into_owned();
            Some((*slug, render(&text)))
        })
        .collect()
});

/// The rendered guide at `/documentation/<slug>`; `None` for an unknown one.
pub fn guide(slug: &str) -> Option<Guide> {
    RENDERED.get(slug).cloned()
}

/// The titles of the guides, in order, for /documentation.
pub fn titles() -> Vec<(String, String)> {
    SLUGS
        .iter()
        .filter_map(|slug| {
            RENDERED
                .get(slug)
                .map(|g| ((*slug).to_owned(), g.title.clone()))
        })
        .collect()
}

/// A heading's id: its words folded like every compared text (`rules::text`), joined by "-".
fn anchor(text: &str) -> String {
    crate::rules::text::words(text).join("-")
}

/// Markdown to the guide: title, "Sommaire" and body HTML.
pub fn render(markdown: &str) -> Guide {
    let mut title = String::new();
    let mut sommaire = Vec::new();
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut heading: Option<(HeadingLevel, Vec<Event<'_>>)> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        // Raw HTML is shown as text, never interpreted.
        let event = match event {
            Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: match dest_url.strip_prefix(IMAGE_PREFIX) {
                    Some(name) => CowStr::from(format!("/documentation/images/{name}")),
                    None => dest_url,
                },
                title,
                id,
            }),
            other => other,
        };
        match (&mut heading, event) {
            (None, Event::Start(Tag::Heading { level, .. })) => heading = Some((level, Vec::new())),
            (Some((level, inner)), Event::End(TagEnd::Heading(_))) => {
                let text: String = inner
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                if *level == HeadingLevel::H1 {
                    title = text;
                } else {
                    let base = anchor(&text);
                    let seen = used.entry(base.clone()).or_insert(0);
                    *seen += 1;
                    let id = if *seen == 1 {
                        base
                    } else {
                        format!("{base}-{seen}")
                    };
                    let depth = *level as u8;
                    if depth <= 3 {
                        sommaire.push(SommaireEntry {
                            id: id.clone(),
                            text: text.clone(),
                            level: depth,
                        });
                    }
                    events.push(Event::Html(CowStr::from(format!("<h{depth} id=\"{id}\">"))));
                    events.append(inner);
                    events.push(Event::Html(CowStr::from(format!("</h{depth}>"))));
                }
                heading = None;
            }
            (Some((_, inner)), event) => inner.push(event),
            (None, event) => events.push(event),
        }
    }
    let mut html = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Guide {
        title,
        sommaire,
        html,
    }
}

/// A screenshot of the guides, `None` when there is no such file.
pub fn image(name: &str, request_headers: &HeaderMap) -> Option<Response<Body>> {
    if name.contains('/') || !name.ends_with(".png") {
        return None;
    }
    let file = GuideFiles::get(&format!("{IMAGE_PREFIX}{name}"))?;
    let etag = super::assets::etag(&file);
    let builder = Response::builder()
        .header(header::CONTENT_TYPE, "image/png")
        .header(header::ETAG, &etag)
        .header(header::CACHE_CONTROL, "no-cache");
    if super::assets::already_has(request_headers, &etag) {
        return builder
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .ok();
    }
    builder.body(Body::from(file.data.into_owned())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every image a guide shows: (alt text, address).
    fn images(markdown: &str) -> Vec<(String, String)> {
        let mut found = Vec::new();
        let mut current: Option<(String, String)> = None;
        for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
            match event {
                Event::Start(Tag::Image { dest_url, .. }) => {
                    current = Some((String::new(), dest_url.to_string()));
                }
                Event::Text(text) => {
                    if let Some((alt, _)) = &mut current {
                        alt.push_str(&text);
                    }
                }
                Event::End(TagEnd::Image) => found.extend(current.take()),
                _ => {}
            }
        }
        found
    }

    #[test]
    fn every_guide_exists_and_every_image_it_shows_is_embedded_with_an_alt_text() {
        let mut shown = std::collections::HashSet::new();
        for slug in SLUGS {
            let file = GuideFiles::get(&format!("{slug}.md"))
                .unwrap_or_else(|| panic!("guides/{slug}.md is missing"));
            let markdown = String::from_utf8(file.data.into_owned()).unwrap();
            let pictures = images(&markdown);
            assert!(
                pictures.len() >= 3,
                "{slug}: screenshots of the real product"
            );
            for (alt, address) in pictures {
                let name = address
                    .strip_prefix(IMAGE_PREFIX)
                    .unwrap_or_else(|| panic!("{slug}: « {address} » is not in images/"));
                assert!(
                    GuideFiles::get(&address).is_some(),
                    "{slug}: the image « {address} » does not exist (run `make screenshots`)"
                );
                assert!(
                    alt.trim().chars().count() >= 10,
                    "{slug}: « {address} » needs an alternative text"
                );
                shown.insert(name.to_owned());
            }
            assert!(
                !markdown.contains("<img"),
                "{slug}: images in Markdown only"
            );
        }
        // And no screenshot is embedded for nothing.
        for file in GuideFiles::iter().filter(|f| f.starts_with(IMAGE_PREFIX)) {
            let name = &file[IMAGE_PREFIX.len()..];
            assert!(shown.contains(name), "images/{name} is shown by no guide");
        }
    }

    #[test]
    fn screenshots_are_served_by_name_only_with_a_validator() {
        let served = image("connexion.png", &HeaderMap::new()).unwrap();
        assert_eq!(served.status(), StatusCode::OK);
        assert_eq!(served.headers()[header::CONTENT_TYPE], "image/png");
        let etag = served.headers()[header::ETAG].clone();
        let mut again = HeaderMap::new();
        again.insert(header::IF_NONE_MATCH, etag);
        assert_eq!(
            image("connexion.png", &again).unwrap().status(),
            StatusCode::NOT_MODIFIED
        );
        for refused in [
            "absente.png",
            "../prepose.md",
            "prepose.md",
            "images/connexion.png",
            "",
        ] {
            assert!(image(refused, &HeaderMap::new()).is_none(), "{refused}");
        }
    }

    #[test]
    fn a_missing_image_is_detected() {
        let pictures = images("# T\n\n![Le formulaire de connexion](images/absente.png)\n");
        assert_eq!(
            pictures,
            [(
                "Le formulaire de connexion".to_owned(),
                "images/absente.png".to_owned()
            )]
        );
        assert!(GuideFiles::get(&pictures[0].1).is_none());
    }

    #[test]
    fn the_prepose_guide_keeps_the_sections_of_the_original() {
        let guide = guide("prepose").unwrap();
        assert_eq!(guide.title, "Guide d'utilisation pour les MJPM Préposés");
        let sections: Vec<&str> = guide
            .sommaire
            .iter()
            .filter(|e| e.level == 2)
            .map(|e| e.text.as_str())
            .collect();
        let expected = [
            "S'inscrire",
            "Se connecter",
            "Première connexion",
            "Enregistrer vos mesures",
            "Modifier une mesure en cours",
            "Mettre fin à une mesure en cours",
            "Mesures en attente",
            "Voir la géolocalisation de mes mesures",
            "Mot de passe oublié",
            "Nous contacter",
        ];
        let mut at = 0;
        for wanted in expected {
            let found = sections[at..].iter().position(|s| *s == wanted);
            assert!(
                found.is_some(),
                "« {wanted} » missing or out of order in {sections:?}"
            );
            at += found.unwrap() + 1;
        }
        assert!(guide
            .sommaire
            .iter()
            .any(|e| e.text == "Se deconnecter" && e.level == 3));
        assert!(
            guide.html.contains("<h2 id=\"s-inscrire\">S'inscrire</h2>")
                || guide.html.contains("<h2 id=\"s-inscrire\">S’inscrire</h2>"),
            "{}",
            &guide.html[..400]
        );
        for title in [
            "Guide d'utilisation pour les MJPM Individuels",
            "Guide d'utilisation pour les magistrats",
            "Guide d'utilisation pour les administrateurs",
        ] {
            assert!(titles().iter().any(|(_, t)| t == title), "{title}");
        }
    }

    #[test]
    fn headings_get_ids_images_their_address_and_raw_html_is_text() {
        let guide = render(
            "# Titre\n\n## Première étape\n\n### Détail\n\n## Première étape\n\n![Capture de l'écran](images/a.png)\n\n<script>alert(1)</script>\n",
        );
        assert_eq!(guide.title, "Titre");
        let ids: Vec<&str> = guide.sommaire.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["premiere-etape", "detail", "premiere-etape-2"]);
        assert!(
            guide.html.contains(
                "<img src=\"/documentation/images/a.png\" alt=\"Capture de l&#39;écran\""
            ),
            "{}",
            guide.html
        );
        assert!(!guide.html.contains("<script>"), "{}", guide.html);
        assert!(guide.html.contains("&lt;script&gt;"));
        assert!(!guide.html.contains("<h1"));
    }
}
