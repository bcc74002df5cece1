use serde_json::json;

use crate::multipart::{FilePart, Multipart};

/// The encoded body with its random boundary replaced by `BOUNDARY`.
fn encoded(form: Multipart) -> (String, String) {
    let (content_type, bytes) = form.encode().expect("encoded");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a multipart content type")
        .to_string();
    let body = String::from_utf8(bytes.to_vec()).expect("text");
    (boundary.clone(), body.replace(&boundary, "BOUNDARY"))
}

#[test]
fn text_json_and_file_parts() {
    let mut form = Multipart::new();
    form.text("title", "A \"report\"".into(), None)
        .expect("text");
    form.json("meta", &json!({"pages": 3}), None).expect("json");
    form.file(
        "doc",
        FilePart::new("abc").file_name("a.txt"),
        Some("text/plain"),
    )
    .expect("file");
    form.file(
        "raw",
        FilePart::new(vec![0u8, 1]).content_type("image/png"),
        Some("text/plain"),
    )
    .expect("file");
    let (boundary, body) = encoded(form);
    assert!(!boundary.is_empty());
    assert_eq!(
        body,
        "--BOUNDARY\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nA \"report\"\r\n\
         --BOUNDARY\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"pages\":3}\r\n\
         --BOUNDARY\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nabc\r\n\
         --BOUNDARY\r\nContent-Disposition: form-data; name=\"raw\"; filename=\"raw\"\r\nContent-Type: image/png\r\n\r\n\u{0}\u{1}\r\n\
         --BOUNDARY--\r\n"
    );
}

#[test]
fn a_bad_media_type_is_an_error_naming_the_part() {
    let mut form = Multipart::new();
    let error = form
        .file("doc", FilePart::new("abc"), Some("nonsense"))
        .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "invalid request: part `doc`: `nonsense` is not a media type"
    );
}

#[test]
fn a_file_parts_debug_shows_its_size_not_its_contents() {
    let part = FilePart::new("s3cret contents").file_name("a.txt");
    let shown = format!("{part:?}");
    assert!(
        shown.contains("len: 15") && !shown.contains("s3cret"),
        "{shown}"
    );
    assert_eq!((part.len(), part.is_empty()), (15, false));
}
