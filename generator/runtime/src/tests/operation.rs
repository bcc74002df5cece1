//! The parts every request builder shares (`client::operation`): a builder
//! that implements `Operation` gets `send`, `send_with_response`, its
//! custom headers and the error decoding from there.

use super::blob_server::{headers, Reply, Server};
use crate::api::ErrorBody;
use crate::client::operation::{self, Operation};
use crate::client::request::RequestParts;
use crate::client::response::Response;
use crate::{Client, Error};

/// A builder like a generated one: a path parameter and custom headers.
struct GetThing {
    headers: Vec<(String, String)>,
    id: &'static str,
}

impl Operation for GetThing {
    type Output = serde_json::Value;

    fn into_request(self) -> Result<RequestParts, Error> {
        let mut request = RequestParts::new(
            "GetThing",
            reqwest::Method::GET,
            format!("/things/{}", self.id),
        );
        request.custom_headers(&self.headers)?;
        Ok(request)
    }

    fn success(response: Response) -> Result<serde_json::Value, Error> {
        response.json()
    }
}

/// The same operation, declaring a text body for its 418s.
struct GetTeapot(GetThing);

impl Operation for GetTeapot {
    type Output = serde_json::Value;

    fn into_request(self) -> Result<RequestParts, Error> {
        self.0.into_request()
    }

    fn success(response: Response) -> Result<serde_json::Value, Error> {
        GetThing::success(response)
    }

    fn error_body(response: &Response) -> ErrorBody {
        match response.status() {
            418 => ErrorBody::Text("teapot".into()),
            _ => crate::api::error_body(response),
        }
    }
}

async fn server() -> Server {
    Server::start(|request, _| match request.path() {
        "/things/1" => Reply::Full(
            200,
            headers(&[("content-type", "application/json"), ("x-seen", "yes")]),
            format!(
                "{{\"correlation\":{:?}}}",
                request.header("x-correlation-id").unwrap_or_default()
            )
            .into_bytes(),
        ),
        "/things/2" => Reply::Full(418, Vec::new(), b"{\"code\":\"Teapot\"}".to_vec()),
        _ => Reply::Full(404, Vec::new(), b"{\"code\":\"NotFound\"}".to_vec()),
    })
    .await
}

fn client(server: &Server) -> Client {
    Client::builder()
        .base_url(server.url(""))
        .retry_policy(crate::RetryPolicy::never())
        .build()
        .expect("client")
}

fn get(id: &'static str) -> GetThing {
    GetThing {
        headers: vec![("X-Correlation-Id".into(), "case-7".into())],
        id,
    }
}

#[tokio::test]
async fn send_decodes_a_success_and_sends_the_custom_headers() {
    let server = server().await;
    let client = client(&server);
    let body = operation::send(&client, get("1")).await.expect("sent");
    assert_eq!(body, serde_json::json!({"correlation": "case-7"}));
    let answered = operation::send_with_response(&client, get("1"))
        .await
        .expect("sent");
    assert_eq!(answered.status, 200);
    assert_eq!(answered.headers["x-seen"], "yes");
    assert_eq!(answered.body, body);
}

#[tokio::test]
async fn an_error_status_is_decoded_by_the_api_default_unless_the_builder_says_otherwise() {
    let server = server().await;
    let client = client(&server);
    let error = operation::send(&client, get("3")).await.expect_err("404");
    let api = error.api().expect("an API error");
    assert_eq!(api.status, 404);
    assert_eq!(
        api.body,
        ErrorBody::Json(serde_json::json!({"code": "NotFound"}))
    );
    let default = operation::send(&client, get("2")).await.expect_err("418");
    assert_eq!(
        default.api().map(|e| &e.body),
        Some(&ErrorBody::Json(serde_json::json!({"code": "Teapot"})))
    );
    let own = operation::send_with_response(&client, GetTeapot(get("2")))
        .await
        .expect_err("418");
    assert_eq!(
        own.api().map(|e| &e.body),
        Some(&ErrorBody::Text("teapot".into()))
    );
}

#[tokio::test]
async fn a_bad_custom_header_sends_nothing() {
    let server = server().await;
    let client = client(&server);
    let mut builder = get("1");
    builder.headers.push(("bad name".into(), "v".into()));
    let error = operation::send(&client, builder)
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(server.received().is_empty());
}
