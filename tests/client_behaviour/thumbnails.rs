//! Thumbnails: the image bytes both ways.

use super::*;

#[tokio::test]
async fn get_thumbnail_returns_the_png_bytes_exactly() {
    let server = MockServer::start().await;
    // A PNG signature, an IHDR chunk header and bytes that are not UTF-8.
    let png: Vec<u8> = vec![
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x08, 0x06, 0x00, 0x00, 0x00, 0xFF,
        0xFE, 0x00,
    ];
    mount(
        &server,
        "GET",
        &imodel_path("/thumbnail"),
        ResponseTemplate::new(200).set_body_raw(png.clone(), "image/png"),
    )
    .await;

    let bytes: bytes::Bytes = client(&server)
        .get_thumbnail(uuid(IMODEL_ID))
        .size("large".into())
        .send()
        .await
        .expect("GetThumbnail succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &imodel_path("/thumbnail"),
            query: Some("size=large"),
            body: None,
            prefer: None,
        },
    );
    assert_eq!(bytes, bytes::Bytes::from(png));
}

#[tokio::test]
async fn get_thumbnail_default_size_sends_no_query() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        &imodel_path("/thumbnail"),
        ResponseTemplate::new(200).set_body_raw(vec![0x89, b'P', b'N', b'G'], "image/png"),
    )
    .await;

    let bytes = client(&server)
        .get_thumbnail(uuid(IMODEL_ID))
        .send()
        .await
        .expect("GetThumbnail succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &imodel_path("/thumbnail"),
            query: None,
            body: None,
            prefer: None,
        },
    );
    assert_eq!(&bytes[..], &[0x89, b'P', b'N', b'G']);
}

#[tokio::test]
async fn get_thumbnail_documented_error_is_json_despite_png_success() {
    check_documented_error(
        Op::GetThumbnail,
        404,
        "iModelNotFound",
        ErrorCode::IModelNotFound,
        "Requested iModel is not available.",
    )
    .await;
}

/// The thumbnail goes as raw image bytes with the image's media type (PNG
/// unless the caller says JPEG): no JSON, and the bytes exactly.
#[tokio::test]
async fn upload_thumbnail_sends_the_image_bytes_as_png_or_jpeg() {
    for (choice, media, bytes) in [
        (None, "image/png", PNG_BYTES),
        (
            Some(types::UploadThumbnailContentType::ImageJpeg),
            "image/jpeg",
            JPEG_BYTES,
        ),
    ] {
        let server = MockServer::start().await;
        let full_path = imodel_path("/thumbnail");
        mount(&server, "PUT", &full_path, ResponseTemplate::new(200)).await;

        let client = client(&server);
        let mut request = client.upload_thumbnail(uuid(IMODEL_ID), bytes);
        if let Some(choice) = choice {
            request = request.content_type(choice);
        }
        request.send().await.expect("UploadThumbnail succeeds");

        let sent = only_request(&server).await;
        assert_eq!(sent.method.as_str(), "PUT");
        assert_eq!(sent.url.path(), full_path);
        assert_eq!(sent.url.query(), None);
        assert_eq!(header(&sent, "content-type"), Some(media));
        assert_eq!(header(&sent, "accept"), Some(ACCEPT));
        assert_eq!(
            header(&sent, "authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(header(&sent, "prefer"), None);
        assert_eq!(sent.body, bytes);
    }
}

#[tokio::test]
async fn upload_thumbnail_documented_error() {
    check_documented_error(
        Op::UploadThumbnail,
        422,
        "InvalidThumbnailFormat",
        ErrorCode::InvalidThumbnailFormat,
        "Thumbnail format is not supported; use PNG or JPEG.",
    )
    .await;
}
