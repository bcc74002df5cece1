//! What generated fixture crates put on the wire, checked by running them
//! against a one-request HTTP server on a local port. It is copied into the
//! temporary workspace of `tests/compile_fixtures.rs`, next to the crates it
//! uses; it has no code of its own.

#[cfg(test)]
mod tests {
    mod every_operation;

    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::thread::JoinHandle;

    use params_forms_client::{types, Client};

    /// The request a server received: request line, lower-cased headers, body.
    struct Seen {
        line: String,
        headers: Vec<(String, String)>,
        body: String,
        /// The body's bytes (multipart bodies hold files that are not text).
        raw: Vec<u8>,
    }

    impl Seen {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        }
    }

    /// Serves one request with `response_body` (JSON, status 200) and
    /// returns what it received.
    fn serve_once(response_body: &'static str) -> (String, JoinHandle<Seen>) {
        serve_once_with("200 OK", response_body)
    }

    /// [`serve_once`] with another status line (`404 Not Found`).
    fn serve_once_with(
        status: &'static str,
        response_body: &'static str,
    ) -> (String, JoinHandle<Seen>) {
        serve(Answer {
            status,
            content_type: "application/json",
            headers: "",
            body: response_body.as_bytes(),
        })
    }

    /// What the one-request server answers.
    struct Answer {
        /// Status line after the version (`201 Created`).
        status: &'static str,
        content_type: &'static str,
        /// More header lines, each ending in `\r\n`.
        headers: &'static str,
        body: &'static [u8],
    }

    /// Serves one request with `answer` and returns what it received.
    fn serve(answer: Answer) -> (String, JoinHandle<Seen>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let handle = std::thread::spawn(move || answer_one(&listener, answer));
        (url, handle)
    }

    /// Serves one request per answer, in order (each on its own
    /// connection: the answers say `connection: close`), and returns what
    /// it received.
    fn serve_each(answers: Vec<Answer>) -> (String, JoinHandle<Vec<Seen>>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let handle = std::thread::spawn(move || {
            answers
                .into_iter()
                .map(|answer| answer_one(&listener, answer))
                .collect()
        });
        (url, handle)
    }

    /// Accepts one connection, reads one request and writes `answer`.
    fn answer_one(listener: &TcpListener, answer: Answer) -> Seen {
        let Answer {
            status,
            content_type,
            headers: extra_headers,
            body: response_body,
        } = answer;
        {
            let (stream, _) = listener.accept().expect("accept");
            let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
            let mut line = String::new();
            reader.read_line(&mut line).expect("request line");
            let mut headers = Vec::new();
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).expect("header line");
                let header = header.trim_end();
                if header.is_empty() {
                    break;
                }
                let (name, value) = header.split_once(':').expect("a header has a colon");
                headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
            }
            let length: usize = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .map_or(0, |(_, v)| v.parse().expect("content-length"));
            let mut body = vec![0; length];
            reader.read_exact(&mut body).expect("body");
            let mut stream = stream;
            write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\n{extra_headers}content-length: {}\r\nconnection: close\r\n\r\n",
                response_body.len()
            )
            .expect("write response head");
            stream.write_all(response_body).expect("write response body");
            Seen {
                line: line.trim_end().to_string(),
                headers,
                body: String::from_utf8_lossy(&body).into_owned(),
                raw: body,
            }
        }
    }

    fn client(url: &str) -> Client {
        Client::builder().base_url(url).build().expect("client")
    }

    #[tokio::test]
    async fn union_parameters_are_written_as_the_branch_they_hold() {
        let (url, server) = serve_once("[]");
        let runs = client(&url)
            .list_runs(types::WorkflowId::String("ci.yml".into()))
            .id(types::ListRunsId::StringList(vec![
                "a".into(),
                "b c".into(),
            ]))
            .status(types::ListRunsStatus::GrantList(vec![
                types::Grant::DeviceCode,
                types::Grant::RefreshToken,
            ]))
            .x_trace(types::ListRunsXTrace::Integer(7))
            .since("2024-01-02T03:04:05.5Z".parse().expect("a date-time"))
            .send()
            .await
            .expect("list_runs");
        assert!(runs.is_empty());
        let seen = server.join().expect("server thread");
        // `id`: form, exploded; `status`: form, not exploded (`,` escaped as
        // the runtime escapes every delimiter inside a component); `since`:
        // RFC 3339, not chrono's `Display` (`2024-01-02 03:04:05.500 UTC`).
        assert_eq!(
            seen.line,
            "GET /workflows/ci.yml/runs?id=a&id=b%20c&status=device_code%2Crefresh_token&since=2024-01-02T03%3A04%3A05.500Z HTTP/1.1"
        );
        assert_eq!(seen.header("x-trace"), Some("7"));
    }

    #[tokio::test]
    async fn deep_object_parameters_are_one_pair_per_property() {
        let (url, server) = serve_once("[]");
        client(&url)
            .search_runs(types::SearchRunsFilter {
                status: types::Grant::DeviceCode,
                limit: Some(5),
                label: Some("a b&c".into()),
            })
            .send()
            .await
            .expect("search_runs");
        let seen = server.join().expect("server thread");
        assert_eq!(
            seen.line,
            "GET /runs/search?filter%5Blabel%5D=a%20b%26c&filter%5Blimit%5D=5&filter%5Bstatus%5D=device_code HTTP/1.1"
        );

        let (url, server) = serve_once("[]");
        client(&url)
            .search_runs(types::SearchRunsFilter {
                status: types::Grant::RefreshToken,
                limit: None,
                label: None,
            })
            .send()
            .await
            .expect("search_runs");
        let seen = server.join().expect("server thread");
        assert_eq!(
            seen.line,
            "GET /runs/search?filter%5Bstatus%5D=refresh_token HTTP/1.1"
        );
    }

    #[tokio::test]
    async fn a_scalar_branch_is_one_value() {
        let (url, server) = serve_once("[]");
        client(&url)
            .list_runs(types::WorkflowId::Integer(42))
            .id(types::ListRunsId::String("only".into()))
            .status(types::ListRunsStatus::Grant(types::Grant::DeviceCode))
            .send()
            .await
            .expect("list_runs");
        let seen = server.join().expect("server thread");
        assert_eq!(
            seen.line,
            "GET /workflows/42/runs?id=only&status=device_code HTTP/1.1"
        );
    }

    #[tokio::test]
    async fn form_bodies_are_url_encoded() {
        let (url, server) = serve_once(r#"{"access_token":"t"}"#);
        let token = client(&url)
            .token(types::TokenRequest {
                client_id: uuid::Uuid::nil(),
                grant_type: types::Grant::DeviceCode,
                scope: Some("read write".into()),
                lifetime: None,
            })
            .send()
            .await
            .expect("token");
        assert_eq!(token.access_token.as_deref(), Some("t"));
        let seen = server.join().expect("server thread");
        assert_eq!(seen.line, "POST /token HTTP/1.1");
        assert_eq!(
            seen.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(
            seen.body,
            "client_id=00000000-0000-0000-0000-000000000000&grant_type=device_code&scope=read+write"
        );
    }

    #[test]
    fn union_values_round_trip_through_json() {
        for value in [
            types::ListRunsId::String("x".into()),
            types::ListRunsId::StringList(vec!["x".into(), "y".into()]),
        ] {
            let text = serde_json::to_string(&value).expect("serialize");
            let back: types::ListRunsId = serde_json::from_str(&text).expect("deserialize");
            assert_eq!(back, value);
        }
    }

    #[test]
    fn the_discriminator_picks_the_variant() {
        use discriminator_client::types::{Cat, Dog, Lizard, Pet};
        // Cat and Dog have the same shape: only `petType` tells them apart
        // (an untagged enum would read every dog as a cat).
        let dog: Pet = serde_json::from_str(r#"{"petType":"dog","name":"Rex"}"#).expect("a dog");
        assert_eq!(
            dog,
            // `Dog` is response-only (`#[non_exhaustive]`): built with `new`.
            Pet::Dog(Dog::new("dog", "Rex"))
        );
        let cat: Pet = serde_json::from_str(r#"{"petType":"cat","name":"Tom"}"#).expect("a cat");
        assert!(matches!(cat, Pet::Cat(Cat { .. })));
        // Without a mapping entry, a branch's schema name selects it.
        let lizard: Pet = serde_json::from_str(r#"{"petType":"Lizard"}"#).expect("a lizard");
        assert!(matches!(lizard, Pet::Lizard(Lizard { tail: None, .. })));
        // A listed value with the wrong shape is an error, not another variant.
        assert!(serde_json::from_str::<Pet>(r#"{"petType":"dog"}"#).is_err());
        // An unknown value falls back to the branches in order.
        let other: Pet = serde_json::from_str(r#"{"petType":"fox","name":"F"}"#).expect("fallback");
        assert!(matches!(other, Pet::Cat(_)));
        // Writing gives back the same JSON.
        let text = serde_json::to_string(&dog).expect("serialize");
        assert_eq!(text, r#"{"petType":"dog","name":"Rex"}"#);
        assert_eq!(serde_json::from_str::<Pet>(&text).expect("round trip"), dog);
    }

    #[test]
    fn hard_names_keep_their_wire_values() {
        use names_client::types::{Hard, Type};
        let values = [
            "in progress",
            "in-progress",
            "IN_PROGRESS",
            "2xx",
            "",
            "self",
            "Self",
            "type",
            "a",
            "A",
            "Other",
            "_",
            "-",
        ];
        for value in values {
            let parsed = Hard::from(value);
            assert!(
                !matches!(parsed, Hard::Other(_)),
                "{value:?} is a known value"
            );
            assert_eq!(parsed.as_str(), value);
            let json = serde_json::to_string(&parsed).expect("serialize");
            assert_eq!(
                serde_json::from_str::<Hard>(&json).expect("deserialize"),
                parsed
            );
        }
        assert_eq!(Hard::from("a"), Hard::A);
        assert_eq!(Hard::from("A"), Hard::A2);
        assert_eq!(Hard::from("Other"), Hard::Other2);
        assert_eq!(Hard::from("new"), Hard::Other("new".into()));
        let text = r#"{"type":"t","Type":"T","self":"s","super":true,"match":"in-progress","2fa":false,"a-b":"dash","a_b":"under","":"empty","level":2}"#;
        let parsed: Type = serde_json::from_str(text).expect("a Type");
        assert_eq!((parsed.type_.as_str(), parsed.type_2.as_str()), ("t", "T"));
        assert_eq!(
            (parsed.a_b.as_str(), parsed.a_b_2.as_str()),
            ("dash", "under")
        );
        assert_eq!(parsed.field, "empty");
        assert_eq!(parsed.match_, Hard::InProgress2);
        assert_eq!(
            serde_json::to_value(&parsed).expect("serialize"),
            serde_json::from_str::<serde_json::Value>(text).expect("json")
        );
    }

    #[test]
    fn integer_enums_round_trip_as_numbers() {
        use enums_defaults_client::types::{Kind, Level, Priority, TaskOffset};
        for (value, known) in [(1, Priority::V1), (2, Priority::V2), (4, Priority::V4)] {
            assert_eq!(Priority::from(value), known);
            assert_eq!(known.value(), value);
            let json = serde_json::to_string(&known).expect("serialize");
            assert_eq!(json, value.to_string());
            assert_eq!(
                serde_json::from_str::<Priority>(&json).expect("deserialize"),
                known
            );
        }
        // A value the document does not list is kept, and written back as it came.
        let unknown: Priority = serde_json::from_str("3").expect("an unknown value");
        assert_eq!(unknown, Priority::Other(3));
        assert_eq!(serde_json::to_string(&unknown).expect("serialize"), "3");
        // Names from `x-enum-varnames` and `x-enumNames`; negative values.
        assert_eq!(Level::Unknown.value(), -1);
        assert_eq!(Level::from(0), Level::Off);
        assert_eq!(Level::Full.to_string(), "10");
        assert_eq!((Kind::SmallTask.value(), Kind::BigTask.value()), (3, 7));
        assert_eq!(TaskOffset::from(-2), TaskOffset::Minus2);
        assert_eq!(
            serde_json::to_string(&TaskOffset::Minus1).expect("serialize"),
            "-1"
        );
        // Not an integer: an error, not a guess.
        assert!(serde_json::from_str::<Priority>("\"1\"").is_err());
    }

    #[test]
    fn defaults_are_documented_not_applied() {
        use enums_defaults_client::types::{Priority, Task};
        let task: Task = serde_json::from_str(r#"{"id":1,"priority":4}"#).expect("a Task");
        assert_eq!(task.priority, Priority::V4);
        // `name` defaults to "untitled", `done` to false: absent stays `None`,
        // and nothing absent is sent back.
        assert_eq!((task.name, task.done, task.urgency), (None, None, None));
        let task: Task =
            serde_json::from_str(r#"{"id":1,"priority":9,"done":true}"#).expect("a Task");
        assert_eq!(task.priority, Priority::Other(9));
        assert_eq!(
            serde_json::to_string(&task).expect("serialize"),
            r#"{"id":1,"priority":9,"done":true}"#
        );
    }

    #[tokio::test]
    async fn integer_enum_parameters_are_their_numbers() {
        use enums_defaults_client::types::{Level, Priority};
        let (url, server) =
            serve_once(r#"[{"id":1,"priority":4,"level":-1,"kind":7},{"id":2,"priority":8}]"#);
        let tasks = enums_defaults_client::Client::builder()
            .base_url(&url)
            .build()
            .expect("client")
            .list_tasks(Level::Unknown)
            .priority(Priority::V4)
            .send()
            .await
            .expect("list_tasks");
        let seen = server.join().expect("server thread");
        assert_eq!(seen.line, "GET /tasks/-1?priority=4 HTTP/1.1");
        assert_eq!(tasks[0].level, Some(Level::Unknown));
        assert_eq!(tasks[1].priority, Priority::Other(8));
    }

    /// One part of a multipart body: its `Content-Disposition` and
    /// `Content-Type` headers and its bytes.
    #[derive(Debug, PartialEq)]
    struct Part {
        disposition: String,
        content_type: Option<String>,
        data: Vec<u8>,
    }

    /// Splits a `multipart/form-data` body at the boundary its
    /// `Content-Type` names, checking the framing on the way.
    fn multipart_parts(seen: &Seen) -> Vec<Part> {
        let content_type = seen.header("content-type").expect("a content type");
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap_or_else(|| panic!("not multipart: {content_type}"));
        let delimiter = format!("--{boundary}");
        let closing = format!("{delimiter}--\r\n");
        let raw = seen.raw.as_slice();
        assert!(
            raw.starts_with(format!("{delimiter}\r\n").as_bytes()),
            "{}",
            seen.body
        );
        assert!(raw.ends_with(closing.as_bytes()), "{}", seen.body);
        let inner = &raw[delimiter.len() + 2..raw.len() - closing.len()];
        let separator = format!("\r\n{delimiter}\r\n");
        let mut parts = Vec::new();
        for chunk in split(inner, separator.as_bytes()) {
            // The last part ends with the CRLF before the closing delimiter.
            let chunk = chunk.strip_suffix(b"\r\n").unwrap_or(chunk);
            let end = find(chunk, b"\r\n\r\n").expect("part headers end");
            let head = String::from_utf8(chunk[..end].to_vec()).expect("ASCII part headers");
            let mut part = Part {
                disposition: String::new(),
                content_type: None,
                data: chunk[end + 4..].to_vec(),
            };
            for line in head.split("\r\n") {
                let (name, value) = line.split_once(": ").expect("a part header");
                match name.to_ascii_lowercase().as_str() {
                    "content-disposition" => part.disposition = value.to_string(),
                    "content-type" => part.content_type = Some(value.to_string()),
                    other => panic!("unexpected part header {other}"),
                }
            }
            parts.push(part);
        }
        parts
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    fn split<'a>(mut rest: &'a [u8], separator: &[u8]) -> Vec<&'a [u8]> {
        let mut out = Vec::new();
        while let Some(at) = find(rest, separator) {
            out.push(&rest[..at]);
            rest = &rest[at + separator.len()..];
        }
        out.push(rest);
        out
    }

    fn text_part(name: &str, value: &str) -> Part {
        Part {
            disposition: format!("form-data; name=\"{name}\""),
            content_type: None,
            data: value.as_bytes().to_vec(),
        }
    }

    #[tokio::test]
    async fn multipart_bodies_are_one_part_per_field() {
        use uploads_client::{types, Client, FilePart};
        let (url, server) = serve_once(r#"{"id":"d1"}"#);
        // Not UTF-8, with CR LF and something like a delimiter inside: the
        // boundary must frame it, not the contents.
        let pdf: Vec<u8> = [b"%PDF\xff\x00\r\n--".as_slice(), &[0x80; 3]].concat();
        let document = Client::builder()
            .base_url(&url)
            .api_key("k ey")
            .build()
            .expect("client")
            .create_document(types::CreateDocumentBody {
                file: FilePart::new(pdf.clone()).file_name("Q3 \"final\".pdf"),
                title: "Q3 report".into(),
                kind: Some(types::Kind::Invoice),
                tags: Some(vec!["a".into(), "b c".into()]),
                pages: Some(12),
                draft: Some(false),
                received: Some("2024-01-02T03:04:05Z".parse().expect("a date-time")),
                metadata: Some(types::Metadata {
                    author: Some("Ann".into()),
                    pages: None,
                }),
            })
            .send()
            .await
            .expect("create_document");
        assert_eq!(document.id, "d1");
        let seen = server.join().expect("server thread");
        // The API key goes in the query (`in: query`), not in a header.
        assert_eq!(seen.line, "POST /documents?api_key=k%20ey HTTP/1.1");
        assert_eq!(seen.header("authorization"), None);
        assert_eq!(
            seen.header("content-length"),
            Some(seen.raw.len().to_string().as_str())
        );
        let parts = multipart_parts(&seen);
        assert_eq!(
            parts,
            vec![
                Part {
                    // A quote in the file name is escaped as in an HTTP
                    // quoted-string (reqwest's choice).
                    disposition: r#"form-data; name="file"; filename="Q3 \"final\".pdf""#.into(),
                    content_type: Some("application/pdf".into()),
                    data: pdf,
                },
                text_part("title", "Q3 report"),
                text_part("kind", "invoice"),
                text_part("tags", "a"),
                text_part("tags", "b c"),
                text_part("pages", "12"),
                text_part("draft", "false"),
                text_part("received", "2024-01-02T03:04:05Z"),
                Part {
                    disposition: "form-data; name=\"metadata\"".into(),
                    content_type: Some("application/json".into()),
                    data: br#"{"author":"Ann"}"#.to_vec(),
                },
            ]
        );
    }

    #[tokio::test]
    async fn files_default_to_their_field_name_and_octet_stream() {
        use uploads_client::{types, Client, FilePart};
        let (url, server) = serve_once("");
        Client::builder()
            .base_url(&url)
            .build()
            .expect("client")
            .attach_files(
                "d/1",
                types::AttachmentUploadForm {
                    files: vec![
                        FilePart::new(&b"one"[..]),
                        FilePart::new(&b"two"[..]).content_type("text/csv"),
                    ],
                    note: None,
                },
            )
            .send()
            .await
            .expect("attach_files");
        let seen = server.join().expect("server thread");
        assert_eq!(seen.line, "PUT /documents/d%2F1/attachments HTTP/1.1");
        let file = |content_type: &str, data: &[u8]| Part {
            disposition: "form-data; name=\"files\"; filename=\"files\"".into(),
            content_type: Some(content_type.into()),
            data: data.to_vec(),
        };
        assert_eq!(
            multipart_parts(&seen),
            vec![
                file("application/octet-stream", b"one"),
                file("text/csv", b"two")
            ]
        );
    }

    #[tokio::test]
    async fn a_byte_body_goes_as_the_media_type_the_caller_picks() {
        use uploads_client::{types::PutImageContentType, Client};
        for (choice, expected) in [
            (None, "image/png"),
            (Some(PutImageContentType::ImageJpeg), "image/jpeg"),
            (Some(PutImageContentType::ImageWebp), "image/webp"),
            (Some(PutImageContentType::from("image/avif")), "image/avif"),
        ] {
            let (url, server) = serve_once("");
            let client = Client::builder().base_url(&url).build().expect("client");
            let mut request = client.put_image("i1", &b"\x89PNG-ish"[..]);
            if let Some(choice) = choice {
                request = request.content_type(choice);
            }
            request.send().await.expect("put_image");
            let seen = server.join().expect("server thread");
            assert_eq!(seen.line, "PUT /images/i1 HTTP/1.1");
            assert_eq!(seen.header("content-type"), Some(expected));
            assert_eq!(seen.raw, b"\x89PNG-ish");
        }
    }

    #[tokio::test]
    async fn an_optional_multipart_body_can_be_left_out() {
        use uploads_client::{types, Client, FilePart};
        let (url, server) = serve_once("");
        let client = Client::builder().base_url(&url).build().expect("client");
        client.set_avatar().send().await.expect("set_avatar");
        let seen = server.join().expect("server thread");
        assert_eq!(seen.line, "PUT /avatar HTTP/1.1");
        assert_eq!(seen.header("content-type"), None);
        assert!(seen.raw.is_empty());

        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("me.png");
        std::fs::write(&path, b"\x89PNG").expect("write the file");
        let image = FilePart::from_path(&path)
            .await
            .expect("read the file")
            .content_type("image/png");
        assert_eq!(
            format!("{image:?}"),
            "FilePart { len: 4, file_name: Some(\"me.png\"), content_type: Some(\"image/png\") }"
        );
        let (url, server) = serve_once("");
        Client::builder()
            .base_url(&url)
            .build()
            .expect("client")
            .set_avatar()
            .body(types::SetAvatarBody { image: Some(image) })
            .send()
            .await
            .expect("set_avatar");
        let seen = server.join().expect("server thread");
        assert_eq!(
            multipart_parts(&seen),
            vec![Part {
                disposition: "form-data; name=\"image\"; filename=\"me.png\"".into(),
                content_type: Some("image/png".into()),
                data: b"\x89PNG".to_vec(),
            }]
        );
    }

    #[tokio::test]
    async fn a_missing_file_is_an_io_error() {
        let missing = std::path::Path::new("/nonexistent/dir/file.bin");
        match uploads_client::FilePart::from_path(missing).await {
            Err(uploads_client::Error::Io { context, .. }) => {
                assert_eq!(context, "cannot read /nonexistent/dir/file.bin")
            }
            other => panic!("expected an Io error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn api_keys_go_where_the_security_scheme_says() {
        // In a header (the pet store's `X-Api-Key`), never as a bearer token.
        let pets = |url: &str| {
            petstore_client::Client::builder()
                .base_url(url)
                .api_key("s3cret")
                .build()
                .expect("client")
        };
        let (url, server) = serve_once(r#"{"id":1,"name":"Rex"}"#);
        let pet = pets(&url).get_pet(1).send().await.expect("get_pet");
        assert_eq!(pet.name, "Rex");
        let seen = server.join().expect("server thread");
        assert_eq!(seen.line, "GET /pets/1 HTTP/1.1");
        assert_eq!(seen.header("x-api-key"), Some("s3cret"));
        assert_eq!(seen.header("authorization"), None);

        // `security: []` on the operation: no key at all.
        let (url, server) = serve_once("");
        pets(&url).delete_pet(1).send().await.expect("delete_pet");
        let seen = server.join().expect("server thread");
        assert_eq!(seen.line, "DELETE /pets/1 HTTP/1.1");
        assert_eq!(seen.header("x-api-key"), None);

        // In a cookie (the names fixture's `sid`), percent-encoded so that a
        // `;` cannot start another cookie.
        let (url, server) = serve_once(
            r#"{"type":"","Type":"","self":"","super":true,"match":"a","2fa":true,"a-b":"","a_b":"","":""}"#,
        );
        names_client::Client::builder()
            .base_url(&url)
            .api_key("s;cret")
            .build()
            .expect("client")
            .match_(names_client::types::Hard::A)
            .send()
            .await
            .expect("match_");
        let seen = server.join().expect("server thread");
        assert_eq!(seen.line, "GET /match/a HTTP/1.1");
        assert_eq!(seen.header("cookie"), Some("sid=s%3Bcret"));
        assert_eq!(seen.header("authorization"), None);
    }

    #[test]
    fn constructors_take_the_required_fields_and_leave_the_rest_out() {
        use discriminator_client::types::{Expr, Literal, Negate};
        // A required recursive field: boxed in the struct, not in `new`.
        let negate = Negate::new(Expr::Literal(Literal::new(1.5)));
        let json = serde_json::to_string(&negate).expect("serialise");
        assert_eq!(json, r#"{"operand":{"value":1.5}}"#);
        let back: Negate = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(back, negate);

        // Optional fields are `None`, so they are not sent.
        let request = types::TokenRequest::new(uuid::Uuid::nil(), types::Grant::RefreshToken);
        assert_eq!(
            serde_json::to_value(&request).expect("serialise"),
            serde_json::json!({
                "client_id": "00000000-0000-0000-0000-000000000000",
                "grant_type": "refresh_token"
            })
        );
        let form = uploads_client::types::CreateDocumentBody::new(
            uploads_client::FilePart::new(&b"x"[..]),
            "t",
        );
        assert_eq!(form.title, "t");
        assert!(form.kind.is_none() && form.tags.is_none() && form.metadata.is_none());
    }

    /// Operations named like the runtime's `Client` methods (`uploadFile`,
    /// `clone`, ...) are methods of their own, and the runtime's are still
    /// the runtime's.
    #[tokio::test]
    async fn operations_named_like_runtime_methods_leave_them_alone() {
        use runtime_names_client::Client as NamesClient;
        let (url, server) = serve_once("{}");
        let client = NamesClient::builder().base_url(&url).build().expect("client");
        assert_eq!(client.base_url(), url);
        // `Clone::clone`, not the `clone` operation (that is `clone_2`).
        let copy: NamesClient = client.clone();
        copy.upload_file_2()
            .body(&b"the file"[..])
            .send()
            .await
            .expect("uploadFile");
        let seen = server.join().expect("server thread");
        assert_eq!(seen.line, "POST /m/upload_file HTTP/1.1");
        assert_eq!(seen.body, "the file");

        let (url, server) = serve_once("{}");
        let client = NamesClient::builder().base_url(&url).build().expect("client");
        client.clone_2().send().await.expect("clone");
        assert_eq!(server.join().expect("server").line, "GET /m/clone HTTP/1.1");

        // Parameters named like the builder's own members.
        let (url, server) = serve_once("{}");
        let client = NamesClient::builder().base_url(&url).build().expect("client");
        let bytes = client
            .get_file("c")
            .send_2("a")
            .error_2("b")
            .decode_2(true)
            .into_request_2("d")
            .send_to_2("e")
            .body_2("f")
            .send()
            .await
            .expect("getFile");
        assert_eq!(&bytes[..], b"{}");
        let seen = server.join().expect("server thread");
        assert_eq!(
            seen.line,
            "GET /files/c?send=a&error=b&decode=true&into_request=d&send_to=e HTTP/1.1"
        );
        assert_eq!(seen.header("body"), Some("f"));
    }

    /// Error schemas named `Text` and `Empty` decode into the variants
    /// `ErrorBody` names for them.
    #[tokio::test]
    async fn error_schemas_named_like_error_body_variants_decode() {
        use error_names_client::{types, Client as ErrorsClient, Error, ErrorBody};
        let (url, server) = serve_once_with("404 Not Found", r#"{"message":"gone"}"#);
        let client = ErrorsClient::builder().base_url(&url).build().expect("client");
        match client.get_attachment("a").send().await {
            Err(Error::Api(e)) => {
                assert_eq!(e.status, 404);
                assert_eq!(e.body, ErrorBody::Text2(types::Text::new("gone")));
            }
            other => panic!("{other:?}"),
        }
        server.join().expect("server thread");
        let (url, server) = serve_once_with("409 Conflict", r#"{"reason":"locked"}"#);
        let client = ErrorsClient::builder().base_url(&url).build().expect("client");
        match client.get_attachment("a").send().await {
            Err(Error::Api(e)) => assert!(
                matches!(&e.body, ErrorBody::Empty2(body) if body.reason.as_deref() == Some("locked")),
                "{e:?}"
            ),
            other => panic!("{other:?}"),
        }
        server.join().expect("server thread");
        // A `binary` JSON field is the string the JSON holds.
        let attachment: types::Attachment =
            serde_json::from_str(r#"{"name":"a","content":"aGk="}"#).expect("attachment");
        let content: Option<String> = attachment.content;
        assert_eq!(content.as_deref(), Some("aGk="));
    }

    /// What the refused documents now give: `$ref`s to deep places share
    /// one type, an operation without `responses` returns `()`.
    #[tokio::test]
    async fn documents_once_refused_work() {
        use refused_client::{types, Client as ArchivesClient};
        let (url, server) = serve_once(r#"[{"archive":"a","state":"sealed"}]"#);
        let client = ArchivesClient::builder().base_url(&url).build().expect("client");
        let jobs = client.list_jobs().send().await.expect("listJobs");
        server.join().expect("server thread");
        // The job's state is the archive's state type.
        let state: types::ArchiveState = jobs[0].state.clone().expect("a state");
        let archive = types::Archive::new("a", state);
        assert_eq!(archive.state, types::ArchiveState::Sealed);

        let (url, server) = serve_once("");
        let client = ArchivesClient::builder().base_url(&url).build().expect("client");
        let () = client
            .replace_archive("a b", archive.clone())
            .send()
            .await
            .expect("replaceArchive");
        let seen = server.join().expect("server thread");
        assert_eq!(seen.line, "PUT /archives/a%20b HTTP/1.1");
        assert_eq!(seen.body, r#"{"id":"a","state":"sealed"}"#);

        let (url, server) = serve_once(r#"{"id":"b","state":"open"}"#);
        let client = ArchivesClient::builder().base_url(&url).build().expect("client");
        let copy: types::Archive = client
            .copy_archive("a", archive)
            .send()
            .await
            .expect("copyArchive");
        assert_eq!(copy.state, types::ArchiveState::Open);
        assert_eq!(server.join().expect("server").line, "POST /archives/a/copy HTTP/1.1");

        let line: types::OrderLine = serde_json::from_str(r#"{"sku":"x"}"#).expect("line");
        // `Receipt` is response-only (`#[non_exhaustive]`): built from
        // `default`, its fields set one by one.
        let mut receipt = types::Receipt::default();
        receipt.first = Some(line);
        assert_eq!(serde_json::to_string(&receipt).expect("json"), r#"{"first":{"sku":"x"}}"#);

        // The `mutualTLS` scheme: the builder takes a certificate (checked
        // when built; the handshake itself is tested in the runtime).
        let error = ArchivesClient::builder()
            .base_url("https://localhost")
            .client_certificate("not a certificate", "not a key")
            .build()
            .expect_err("not PEM");
        assert!(error.to_string().contains("client certificate"), "{error}");
    }

    /// 3.1 spellings in a 3.0 document read as 3.1 reads them.
    #[test]
    fn spellings_of_3_1_round_trip() {
        use spellings_client::types;
        let item: types::Item =
            serde_json::from_str(r#"{"id":"1","label":null,"kind":"item","count":2,"parent":{"id":"0"}}"#)
                .expect("item");
        assert_eq!(item.label, None);
        assert_eq!(item.kind, types::ItemKind::Item);
        assert_eq!(item.parent.as_ref().map(|p| p.id.as_str()), Some("0"));
        let back: types::Item =
            serde_json::from_str(&serde_json::to_string(&item).expect("json")).expect("again");
        assert_eq!(back, item);
    }

    /// Reused operationIds, renamed as the error's fragment suggests.
    #[tokio::test]
    async fn renamed_duplicates_call_their_own_endpoints() {
        use duplicate_ids_client::Client as ItwinsClient;
        let (url, server) = serve_once(r#"{"id":"x"}"#);
        let client = ItwinsClient::builder().base_url(&url).build().expect("client");
        let itwin = client.get_id("x").send().await.expect("get one");
        assert_eq!(itwin.id, "x");
        assert_eq!(server.join().expect("server").line, "GET /x HTTP/1.1");
        let (url, server) = serve_once("");
        let client = ItwinsClient::builder().base_url(&url).build().expect("client");
        client
            .delete_id_repositories_repository_id("x", "r")
            .send()
            .await
            .expect("delete");
        assert_eq!(
            server.join().expect("server").line,
            "DELETE /x/repositories/r HTTP/1.1"
        );
    }
}
