//! Every operation of the pet store, catalog and params-forms fixtures on
//! the wire: the exact request, the decoded response, and an error each.
//! These are the generated paths the snapshots and clippy see but nothing
//! else runs: response headers as output, per-status outputs, header and
//! cookie parameters, `explode: false` arrays, byte and text bodies,
//! `merge-patch+json`, and per-operation error types.

use super::{serve, serve_each, Answer, Seen};

use petstore_client::types::{NewPet, PetStatus};

/// No retries: the one-request server answers once, and a 5xx would be
/// tried again.
fn pets(url: &str) -> petstore_client::Client {
    petstore_client::Client::builder()
        .base_url(url)
        .api_key("k")
        .retry_policy(petstore_client::RetryPolicy::never())
        .build()
        .expect("client")
}

fn json(status: &'static str, body: &'static str) -> Answer {
    Answer {
        status,
        content_type: "application/json",
        headers: "",
        body: body.as_bytes(),
    }
}

fn empty(status: &'static str) -> Answer {
    Answer {
        status,
        content_type: "application/json",
        headers: "",
        body: b"",
    }
}

fn join(server: std::thread::JoinHandle<Seen>) -> Seen {
    server.join().expect("server thread")
}

const PET: &str = r#"{"id":7,"name":"Rex","tag":null,"type":"dog","self":true,"status":"in stock","chip":"5e19bee0-3aea-4355-a9f0-c6df9989ee7d","attributes":{"colour":"brown"}}"#;

#[tokio::test]
async fn list_pets_sends_every_parameter_and_reads_the_response_header() {
    let (url, server) = serve(Answer {
        status: "200 OK",
        content_type: "application/json",
        headers: "x-next-page: page-2\r\n",
        body: PET_LIST.as_bytes(),
    });
    let page = pets(&url)
        .list_pets()
        .limit(5)
        .tags(vec!["a b".into(), "c".into()])
        .status(vec![PetStatus::Available, PetStatus::InStock])
        .x_request_id("req-1")
        .session("s 1")
        .send()
        .await
        .expect("list_pets");
    let seen = join(server);
    // `tags` is `explode: false` (one comma-joined value, the comma inside
    // it escaped like any delimiter), `status` exploded (one pair each).
    assert_eq!(
        seen.line,
        "GET /pets?limit=5&tags=a%20b%2Cc&status=available&status=in%20stock HTTP/1.1"
    );
    assert_eq!(seen.header("x-request-id"), Some("req-1"));
    assert_eq!(seen.header("cookie"), Some("session=s%201"));
    assert_eq!(seen.header("x-api-key"), Some("k"));
    assert_eq!(page.x_next_page.as_deref(), Some("page-2"));
    assert_eq!(page.body.len(), 1);
    assert_eq!(page.body[0].id, 7);
    assert_eq!(page.body[0].status, Some(PetStatus::InStock));
    assert_eq!(page.body[0].type_.as_deref(), Some("dog"));
    assert_eq!(page.body[0].self_, Some(true));

    // Without the optional parameters: nothing of them is sent, and a
    // missing response header is `None`.
    let (url, server) = serve(json("200 OK", "[]"));
    let page = pets(&url).list_pets().send().await.expect("list_pets");
    let seen = join(server);
    assert_eq!(seen.line, "GET /pets HTTP/1.1");
    assert_eq!(seen.header("x-request-id"), None);
    assert_eq!(seen.header("cookie"), None);
    assert_eq!(page.x_next_page, None);
    assert!(page.body.is_empty());

    // The `default` response is the Problem type.
    let (url, server) = serve(json(
        "500 Internal Server Error",
        r#"{"title":"down","status":500}"#,
    ));
    let err = pets(&url).list_pets().send().await.expect_err("500");
    join(server);
    assert_eq!(err.status(), Some(500));
    match err.api().map(|api| &api.body) {
        Some(petstore_client::ErrorBody::Problem(problem)) => {
            assert_eq!(problem.title.as_deref(), Some("down"));
            assert_eq!(problem.status, Some(500));
        }
        other => panic!("expected the Problem body, got {other:?}"),
    }
}

const PET_LIST: &str = concat!(
    r#"[{"id":7,"name":"Rex","tag":null,"type":"dog","self":true,"status":"in stock","#,
    r#""chip":"5e19bee0-3aea-4355-a9f0-c6df9989ee7d","attributes":{"colour":"brown"}}]"#
);

#[tokio::test]
async fn create_pet_gives_one_variant_per_success_status() {
    let new_pet = || {
        let mut pet = NewPet::new("Rex");
        pet.type_ = Some("dog".into());
        pet.self_ = Some(false);
        pet
    };
    let (url, server) = serve(json("201 Created", PET));
    let created = pets(&url)
        .create_pet(new_pet())
        .send()
        .await
        .expect("create_pet");
    let seen = join(server);
    assert_eq!(seen.line, "POST /pets HTTP/1.1");
    assert_eq!(seen.header("content-type"), Some("application/json"));
    // Wire names (`type`, `self`), and the unset optional `tag` left out.
    assert_eq!(seen.body, r#"{"name":"Rex","type":"dog","self":false}"#);
    match created {
        petstore_client::operations::CreatePetResponse::Status201(pet) => {
            assert_eq!((pet.id, pet.name.as_str()), (7, "Rex"));
            assert_eq!(
                pet.attributes.and_then(|a| a.get("colour").cloned()),
                Some("brown".to_string())
            );
        }
        other => panic!("expected 201, got {other:?}"),
    }

    let (url, server) = serve(empty("202 Accepted"));
    let accepted = pets(&url)
        .create_pet(new_pet())
        .send()
        .await
        .expect("create_pet");
    join(server);
    assert!(
        matches!(
            accepted,
            petstore_client::operations::CreatePetResponse::Status202
        ),
        "{accepted:?}"
    );

    // 409 has its own type (in `application/problem+json`); other 4XX the
    // Problem type.
    let (url, server) = serve(Answer {
        status: "409 Conflict",
        content_type: "application/problem+json",
        headers: "",
        body: br#"{"existing":3}"#,
    });
    let err = pets(&url)
        .create_pet(new_pet())
        .send()
        .await
        .expect_err("409");
    join(server);
    match err.api().map(|api| &api.body) {
        Some(petstore_client::ErrorBody::Conflict(conflict)) => {
            assert_eq!(conflict.existing, Some(3))
        }
        other => panic!("expected the Conflict body, got {other:?}"),
    }
    let (url, server) = serve(json("422 Unprocessable Entity", r#"{"title":"no"}"#));
    let err = pets(&url)
        .create_pet(new_pet())
        .send()
        .await
        .expect_err("422");
    join(server);
    assert!(
        matches!(
            err.api().map(|api| &api.body),
            Some(petstore_client::ErrorBody::Problem(p)) if p.title.as_deref() == Some("no")
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn photos_go_and_come_as_bytes() {
    let jpeg: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01";
    let (url, server) = serve(empty("204 No Content"));
    pets(&url)
        .upload_photo(3, jpeg.to_vec())
        .send()
        .await
        .expect("upload_photo");
    let seen = join(server);
    assert_eq!(seen.line, "PUT /pets/3/photo HTTP/1.1");
    assert_eq!(
        seen.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(seen.raw, jpeg);

    let (url, server) = serve(Answer {
        status: "200 OK",
        content_type: "image/jpeg",
        headers: "",
        body: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01",
    });
    let photo = pets(&url).get_photo(3).send().await.expect("get_photo");
    let seen = join(server);
    assert_eq!(seen.line, "GET /pets/3/photo HTTP/1.1");
    assert_eq!(photo.as_ref(), jpeg);

    // Streamed to a writer: the same bytes, and their count.
    let (url, server) = serve(Answer {
        status: "200 OK",
        content_type: "image/jpeg",
        headers: "",
        body: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01",
    });
    let mut written = Vec::new();
    let count = pets(&url)
        .get_photo(3)
        .send_to(&mut written)
        .await
        .expect("send_to");
    join(server);
    assert_eq!((count, written.as_slice()), (jpeg.len() as u64, jpeg));

    let (url, server) = serve(empty("404 Not Found"));
    let err = pets(&url).get_photo(4).send().await.expect_err("404");
    join(server);
    assert_eq!(err.status(), Some(404));
    let (url, server) = serve(empty("413 Payload Too Large"));
    let err = pets(&url)
        .upload_photo(3, jpeg.to_vec())
        .send()
        .await
        .expect_err("413");
    join(server);
    assert_eq!(err.status(), Some(413));
}

#[tokio::test]
async fn a_note_is_plain_text_both_ways() {
    let (url, server) = serve(Answer {
        status: "200 OK",
        content_type: "text/plain; charset=utf-8",
        headers: "",
        body: "noted: fed ✓".as_bytes(),
    });
    let echo = pets(&url)
        .add_note()
        .body("fed ✓".into())
        .send()
        .await
        .expect("add_note");
    let seen = join(server);
    assert_eq!(seen.line, "POST /notes HTTP/1.1");
    assert!(
        seen.header("content-type")
            .is_some_and(|t| t.starts_with("text/plain")),
        "{:?}",
        seen.header("content-type")
    );
    assert_eq!(seen.body, "fed ✓");
    assert_eq!(echo, "noted: fed ✓");

    let (url, server) = serve(empty("503 Service Unavailable"));
    let err = pets(&url)
        .add_note()
        .body("x".into())
        .send()
        .await
        .expect_err("503");
    join(server);
    assert_eq!(err.status(), Some(503));
}

#[tokio::test]
async fn get_pet_and_delete_pet_fail_with_their_status() {
    let (url, server) = serve(empty("404 Not Found"));
    let err = pets(&url).get_pet(9).send().await.expect_err("404");
    let seen = join(server);
    assert_eq!(seen.line, "GET /pets/9 HTTP/1.1");
    assert_eq!(err.status(), Some(404));
    let (url, server) = serve(empty("409 Conflict"));
    let err = pets(&url).delete_pet(9).send().await.expect_err("409");
    join(server);
    assert_eq!(err.status(), Some(409));
}

const ITEM: &str = r#"{"id":"a/b","kind":"item","label":null,"price":2.5,"parent":null,"category":{"name":"tools","children":[{"name":"saws"}]},"blob":"AAE="}"#;

fn catalog(url: &str) -> catalog_client::Client {
    catalog_client::Client::builder()
        .base_url(url)
        .bearer_token("t")
        .build()
        .expect("client")
}

#[tokio::test]
async fn get_item_decodes_3_1_shapes_and_its_own_404_type() {
    use catalog_client::types::ItemKind;
    let (url, server) = serve(json("200 OK", ITEM));
    let item = catalog(&url).get_item("a/b").send().await.expect("get_item");
    let seen = join(server);
    assert_eq!(seen.line, "GET /items/a%2Fb HTTP/1.1");
    assert_eq!(seen.header("authorization"), Some("Bearer t"));
    assert_eq!(item.id, "a/b");
    assert_eq!(item.kind, ItemKind::Item);
    assert_eq!(item.label, None);
    assert_eq!(item.price, Some(2.5));
    assert_eq!(item.parent, None);
    let category = item.category.expect("the category");
    assert_eq!(category.name.as_deref(), Some("tools"));
    assert_eq!(category.children.map(|c| c.len()), Some(1));
    assert_eq!(item.blob.as_deref(), Some("AAE="));

    let (url, server) = serve(json("404 Not Found", r#"{"message":"no such item"}"#));
    let err = catalog(&url).get_item("x").send().await.expect_err("404");
    join(server);
    match err.api().map(|api| &api.body) {
        Some(catalog_client::ErrorBody::GetItem404Error(body)) => {
            assert_eq!(body.message.as_deref(), Some("no such item"))
        }
        other => panic!("expected the 404 type, got {other:?}"),
    }
}

#[tokio::test]
async fn put_item_sends_a_merge_patch_and_decodes_200_and_204() {
    use catalog_client::operations::PutItemResponse;
    use catalog_client::types::{Item, ItemKind};
    let item = || {
        let mut item = Item::new("a", ItemKind::Item);
        item.label = Some("Saw".into());
        item
    };
    let (url, server) = serve(json("200 OK", ITEM));
    let updated = catalog(&url)
        .put_item("a", item())
        .send()
        .await
        .expect("put_item");
    let seen = join(server);
    assert_eq!(seen.line, "PUT /items/a HTTP/1.1");
    assert_eq!(
        seen.header("content-type"),
        Some("application/merge-patch+json")
    );
    // `parent` is required and nullable: sent as null; unset optional
    // fields are left out.
    assert_eq!(
        seen.body,
        r#"{"id":"a","kind":"item","label":"Saw","parent":null}"#
    );
    assert!(
        matches!(&updated, PutItemResponse::Status200(i) if i.id == "a/b"),
        "{updated:?}"
    );

    let (url, server) = serve(empty("204 No Content"));
    let unchanged = catalog(&url)
        .put_item("a", item())
        .send()
        .await
        .expect("put_item");
    join(server);
    assert!(
        matches!(unchanged, PutItemResponse::Status204),
        "{unchanged:?}"
    );

    let (url, server) = serve(json("409 Conflict", r#"{"message":"stale"}"#));
    let err = catalog(&url)
        .put_item("a", item())
        .send()
        .await
        .expect_err("409");
    join(server);
    assert_eq!(err.status(), Some(409));
}

#[tokio::test]
async fn feedback_is_a_form_body() {
    use params_forms_client::types::FeedbackBody;
    let (url, server) = serve(empty("204 No Content"));
    super::client(&url)
        .feedback()
        .body(FeedbackBody {
            message: Some("a&b = c".into()),
        })
        .send()
        .await
        .expect("feedback");
    let seen = join(server);
    assert_eq!(seen.line, "POST /feedback HTTP/1.1");
    assert_eq!(
        seen.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(seen.body, "message=a%26b+%3D+c");

    // Without a body: nothing is sent.
    let (url, server) = serve(empty("204 No Content"));
    super::client(&url).feedback().send().await.expect("feedback");
    let seen = join(server);
    assert_eq!(seen.body, "");

    let (url, server) = serve(empty("400 Bad Request"));
    let err = super::client(&url)
        .feedback()
        .send()
        .await
        .expect_err("400");
    join(server);
    assert_eq!(err.status(), Some(400));
}

#[tokio::test]
async fn operations_named_like_runtime_methods_reach_their_paths() {
    use runtime_names_client::Client as NamesClient;
    let names = |url: &str| {
        NamesClient::builder()
            .base_url(url)
            .retry_policy(runtime_names_client::RetryPolicy::never())
            .build()
            .expect("client")
    };
    // Each `GET /m/<name>`, 204: the renamed method, not the runtime's.
    macro_rules! each {
        ($($method:ident => $path:literal),* $(,)?) => {$({
            let (url, server) = serve(empty("204 No Content"));
            let () = names(&url).$method().send().await.expect(stringify!($method));
            assert_eq!(join(server).line, concat!("GET ", $path, " HTTP/1.1"));
        })*};
    }
    each!(
        builder_2 => "/m/builder",
        base_url_2 => "/m/base_url",
        http_client_2 => "/m/http_client",
        is_api_origin_2 => "/m/is_api_origin",
        max_response_bytes_2 => "/m/max_response_bytes",
        retry_policy_2 => "/m/retry_policy",
        execute_2 => "/m/execute",
        execute_raw_2 => "/m/execute_raw",
        prepare_2 => "/m/prepare",
        prepare_within_2 => "/m/prepare_within",
        max_pages_2 => "/m/max_pages",
        download_2 => "/m/download",
        download_to_file_2 => "/m/download_to_file",
        download_with_2 => "/m/download_with",
        download_to_file_with_2 => "/m/download_to_file_with",
        clone_from_2 => "/m/clone_from",
        fmt_2 => "/m/fmt",
    );
    // Named like the test fake's methods: the client keeps these names.
    each!(
        start => "/f/start",
        uri => "/f/uri",
        client => "/f/client",
        expect => "/f/expect",
        received => "/f/received",
        verify => "/f/verify",
        of => "/f/of",
        all => "/f/all",
    );

    // Paging parameters named like the builder's paging methods.
    let (url, server) = serve(json("200 OK", r#"{"items":["a","b"],"next":"n"}"#));
    let page = names(&url)
        .list_pages()
        .pages_2(2)
        .into_stream_2("s")
        .send_items_2("i")
        .send()
        .await
        .expect("list_pages");
    assert_eq!(
        join(server).line,
        "GET /pages?pages=2&into_stream=s&send_items=i HTTP/1.1"
    );
    assert_eq!(page.items, ["a", "b"]);
    assert_eq!(page.next.as_deref(), Some("n"));
    let (url, server) = serve(empty("500 Internal Server Error"));
    let err = names(&url).list_pages().send().await.expect_err("500");
    join(server);
    assert_eq!(err.status(), Some(500));
}

#[tokio::test]
async fn the_refused_documents_other_operations() {
    use refused_client::{types, Client as ArchivesClient};
    let archives = |url: &str| {
        ArchivesClient::builder()
            .base_url(url)
            .build()
            .expect("client")
    };
    let (url, server) = serve(json("200 OK", r#"{"id":"a","state":"open"}"#));
    let archive = archives(&url)
        .get_archive("a/1")
        .send()
        .await
        .expect("get_archive");
    assert_eq!(join(server).line, "GET /archives/a%2F1 HTTP/1.1");
    assert_eq!(archive.id, "a");
    assert_eq!(archive.state, types::ArchiveState::Open);

    // No `responses`: any success is `()`.
    let (url, server) = serve(empty("200 OK"));
    let () = archives(&url)
        .seal_archive("a")
        .send()
        .await
        .expect("seal_archive");
    assert_eq!(join(server).line, "DELETE /archives/a HTTP/1.1");
    let (url, server) = serve(empty("404 Not Found"));
    let err = archives(&url)
        .seal_archive("a")
        .send()
        .await
        .expect_err("404");
    join(server);
    assert_eq!(err.status(), Some(404));

    let order = types::Order {
        lines: Some(vec![serde_json::from_str(r#"{"sku":"x","quantity":2}"#).expect("a line")]),
    };
    let (url, server) = serve(json("201 Created", r#"{"first":{"sku":"x","quantity":2}}"#));
    let receipt = archives(&url)
        .create_order(order)
        .send()
        .await
        .expect("create_order");
    let seen = join(server);
    assert_eq!(seen.line, "POST /orders HTTP/1.1");
    assert_eq!(seen.body, r#"{"lines":[{"sku":"x","quantity":2}]}"#);
    let first = receipt.first.expect("the first line");
    assert_eq!((first.sku.as_str(), first.quantity), ("x", Some(2)));
}

#[tokio::test]
async fn renamed_duplicates_each_reach_their_own_endpoint() {
    use duplicate_ids_client::Client as ItwinsClient;
    let itwins = |url: &str| ItwinsClient::builder().base_url(url).build().expect("client");
    let (url, server) = serve(json("200 OK", r#"[{"id":"x","displayName":"X"}]"#));
    let all = itwins(&url).get_itwin().send().await.expect("get_itwin");
    assert_eq!(join(server).line, "GET / HTTP/1.1");
    assert_eq!(all[0].display_name.as_deref(), Some("X"));

    let (url, server) = serve(json("200 OK", r#"["r1","r2"]"#));
    let repositories = itwins(&url)
        .get_repository("x")
        .send()
        .await
        .expect("get_repository");
    assert_eq!(join(server).line, "GET /x/repositories HTTP/1.1");
    assert_eq!(repositories, ["r1", "r2"]);

    let (url, server) = serve(json("200 OK", r#""r1""#));
    let repository = itwins(&url)
        .get_id_repositories_repository_id("x", "r 1")
        .send()
        .await
        .expect("get one repository");
    assert_eq!(join(server).line, "GET /x/repositories/r%201 HTTP/1.1");
    assert_eq!(repository, "r1");

    let (url, server) = serve(empty("404 Not Found"));
    let err = itwins(&url).get_itwin().send().await.expect_err("404");
    join(server);
    assert_eq!(err.status(), Some(404));
}

/// Operations named like the fake's own methods (`start`, `verify`, `all`,
/// …) get fake methods of other names (`Fake::start_2`, `Log::all_2`), and
/// the fake's own methods stay the fake's.
#[tokio::test]
async fn the_fake_answers_operations_named_like_its_methods() {
    use runtime_names_client::testing::Fake;
    let fake = Fake::start().await;
    fake.start_2().times(1).returns(()).await;
    fake.verify_2().times(2).returns(()).await;
    let client = fake.client().expect("client");
    client.start().send().await.expect("start");
    client.verify().send().await.expect("verify");
    client.verify().send().await.expect("verify again");
    let log = fake.received().await;
    assert_eq!(log.start_2().len(), 1);
    assert_eq!(log.verify_2().len(), 2);
    assert_eq!(log.all_2().len(), 0);
    assert_eq!(log.all().len(), 3, "the fake's own `Log::all`: every request");
    fake.verify().expect("every expectation met");
}

/// The upload flow of the runtime-names fixture: its first call's required
/// parameters are named like the flow method's own bindings (`size`,
/// `url`, `created`, `progress`, …). The next step must get the caller's
/// values for them, not the file's size, the upload URL or the first answer.
#[tokio::test]
async fn a_flow_passes_on_the_callers_parameters_not_its_own_bindings() {
    use runtime_names_client::{types, Client as NamesClient, RetryPolicy, UploadOptions};
    let (blob, blob_server) = serve(empty("201 Created"));
    // The handed-out URL must outlive the server thread: leaked, in a test.
    let created: &'static str = Box::leak(
        format!(r#"{{"id":"new-1","upload":{{"href":"{blob}/blob?sig=secret"}}}}"#)
            .into_boxed_str(),
    );
    let (api, api_server) = serve_each(vec![
        json("201 Created", created),
        json("200 OK", r#"{"state":"done"}"#),
    ]);
    let client = NamesClient::builder()
        .base_url(&api)
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("client");
    let file = tempfile::NamedTempFile::new().expect("a temporary file");
    std::fs::write(file.path(), b"0123456789").expect("write the file");
    let mut body = types::StartUploadBody::new(0);
    body.note = Some("hello".into());
    let done = client
        .upload_with_busy_names(
            "caller-size", "caller-file", "caller-url", "u", "p", "req", "resp", "caller-created",
            "cj", "s", "sb", "s0", body, file.path(), &UploadOptions::default(),
        )
        .await
        .expect("the flow");
    assert_eq!(done.state.as_deref(), Some("done"));
    let seen = api_server.join().expect("the API server");
    let start = &seen[0];
    assert!(
        start.line.starts_with("POST /flows/caller-size/caller-file/caller-url?upload=u&progress=p&request=req&response=resp&created=caller-created&"),
        "{}",
        start.line
    );
    let sent: serde_json::Value = serde_json::from_str(&start.body).expect("JSON body");
    assert_eq!(sent["fileSize"], 10, "the file's size goes into the body");
    let put = blob_server.join().expect("the blob server");
    assert_eq!(put.line, "PUT /blob?sig=secret HTTP/1.1");
    assert_eq!(put.raw, b"0123456789");
    let finish = &seen[1];
    assert_eq!(
        finish.line,
        "PATCH /flows/caller-size/caller-url/new-1?created=caller-created HTTP/1.1",
        "the caller's size, url and created, the first answer's id"
    );
    let finish_body: serde_json::Value = serde_json::from_str(&finish.body).expect("JSON body");
    assert_eq!(
        finish_body,
        serde_json::json!({"state": "done", "note": "hello", "uploadId": "new-1"})
    );
}
