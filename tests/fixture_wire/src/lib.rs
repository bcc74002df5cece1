//! What generated fixture crates put on the wire, checked by running them
//! against a one-request HTTP server on a local port. It is copied into the
//! temporary workspace of `tests/compile_fixtures.rs`, next to the crates it
//! uses; it has no code of its own.

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::thread::JoinHandle;

    use params_forms_client::{types, Client};

    /// The request a server received: request line, lower-cased headers, body.
    struct Seen {
        line: String,
        headers: Vec<(String, String)>,
        body: String,
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
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let handle = std::thread::spawn(move || {
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
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{response_body}",
                response_body.len()
            )
            .expect("write response");
            Seen {
                line: line.trim_end().to_string(),
                headers,
                body: String::from_utf8(body).expect("UTF-8 body"),
            }
        });
        (url, handle)
    }

    fn client(url: &str) -> Client {
        Client::builder().base_url(url).build().expect("client")
    }

    #[tokio::test]
    async fn union_parameters_are_written_as_the_branch_they_hold() {
        let (url, server) = serve_once("[]");
        let runs = client(&url)
            .list_runs(types::WorkflowId::String("ci.yml".into()))
            .id(types::ListRunsId::StringList(vec!["a".into(), "b c".into()]))
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
            Pet::Dog(Dog {
                pet_type: "dog".into(),
                name: "Rex".into()
            })
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
            "in progress", "in-progress", "IN_PROGRESS", "2xx", "", "self", "Self", "type", "a",
            "A", "Other", "_", "-",
        ];
        for value in values {
            let parsed = Hard::from(value);
            assert!(!matches!(parsed, Hard::Other(_)), "{value:?} is a known value");
            assert_eq!(parsed.as_str(), value);
            let json = serde_json::to_string(&parsed).expect("serialize");
            assert_eq!(serde_json::from_str::<Hard>(&json).expect("deserialize"), parsed);
        }
        assert_eq!(Hard::from("a"), Hard::A);
        assert_eq!(Hard::from("A"), Hard::A2);
        assert_eq!(Hard::from("Other"), Hard::Other2);
        assert_eq!(Hard::from("new"), Hard::Other("new".into()));
        let text = r#"{"type":"t","Type":"T","self":"s","super":true,"match":"in-progress","2fa":false,"a-b":"dash","a_b":"under","":"empty","level":2}"#;
        let parsed: Type = serde_json::from_str(text).expect("a Type");
        assert_eq!((parsed.type_.as_str(), parsed.type_2.as_str()), ("t", "T"));
        assert_eq!((parsed.a_b.as_str(), parsed.a_b_2.as_str()), ("dash", "under"));
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
            assert_eq!(serde_json::from_str::<Priority>(&json).expect("deserialize"), known);
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
        assert_eq!(serde_json::to_string(&TaskOffset::Minus1).expect("serialize"), "-1");
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
}
