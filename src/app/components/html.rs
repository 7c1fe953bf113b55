//! Table rows written as one HTML string on the server.
//!
//! Why: the view renderer turns every element into its own node, resolved asynchronously; in a profile the
//! rows of the large tables (the magistrat's 300 mandataires, a mandataire's 50 mesures) took most of a page's
//! CPU time, far above SPEC §17's budget (docs/ARCHITECTURE.md, "Where the time of a large page goes").
//! These tables are server-rendered only (no island inside), so their rows are written directly, every text
//! escaped by `Escaped`, and set as the `<tbody>`'s inner HTML.

use std::fmt::{self, Display, Write};

/// Text escaped for HTML content and for double-quoted attribute values.
pub struct Escaped<'a>(pub &'a str);

impl Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..at])?;
            f.write_str(match rest.as_bytes()[at] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[at + 1..];
        }
        f.write_str(rest)
    }
}

/// Appends formatted markup to `html`. Writing to a `String` cannot fail.
pub fn put(html: &mut String, markup: fmt::Arguments<'_>) {
    let _ = html.write_fmt(markup);
}

/// JSON made safe inside a `<script type="application/json">` element: a `<` can only be inside a JSON
/// string, where `\u003c` means the same, so no user text can close the element.
pub fn json_in_script(json: &str) -> String {
    json.replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_markup_character_is_escaped() {
        assert_eq!(
            Escaped(r#"<a href="x">L'été & co</a>"#).to_string(),
            "&lt;a href=&quot;x&quot;&gt;L&#39;été &amp; co&lt;/a&gt;"
        );
        assert_eq!(
            Escaped("Curatelle renforcée").to_string(),
            "Curatelle renforcée"
        );
        let mut html = String::new();
        put(&mut html, format_args!("<td>{}</td>", Escaped("1 < 2")));
        assert_eq!(html, "<td>1 &lt; 2</td>");
    }

    #[test]
    fn json_cannot_close_its_script_element() {
        let json = serde_json::to_string(&["</script><script>alert(1)</script>"]).unwrap();
        let safe = json_in_script(&json);
        assert!(!safe.contains("</"));
        let back: Vec<String> = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, ["</script><script>alert(1)</script>"]);
    }
}
