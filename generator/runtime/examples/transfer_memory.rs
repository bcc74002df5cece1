//! Peak memory of one transfer, for BENCHMARKS.md: uploads (one `PUT`, or
//! Azure staged blocks) or downloads `SIZE` bytes through a streaming
//! loopback server in the same process, then prints the process's peak
//! resident memory (`VmHWM`, Linux). One transfer a process, since the peak
//! only grows:
//!
//! ```sh
//! cargo run -p openapi-client-runtime --example transfer_memory -- upload 1073741824
//! ```
//!
//! Modes: `upload` (one `PUT`), `blocks` (Azure blocks of 8 MiB, 4 at
//! once), `download` (to a file, renamed when complete).

use std::time::Instant;

use openapi_client_runtime::{Client, DownloadOptions, Storage, UploadOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const PIECE: usize = 64 * 1024;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: transfer_memory upload|blocks|download SIZE";
    let mode = args.next().ok_or(usage)?;
    let size: u64 = args.next().ok_or(usage)?.parse()?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let _ = serve(socket, size).await;
            });
        }
    });
    let client = Client::builder().base_url(&base).build()?;
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("file.bin");
    let started = Instant::now();
    match mode.as_str() {
        "upload" | "blocks" => {
            // A sparse file: its size on disk costs nothing, it reads as zeros.
            std::fs::File::create(&file)?.set_len(size)?;
            let options = if mode == "blocks" {
                UploadOptions::default()
                    .storage(Storage::Azure)
                    .block_threshold(0)
            } else {
                UploadOptions::default()
            };
            client
                .upload_file(&format!("{base}/c/file.bin?sig=x"), &file, &options)
                .await?;
        }
        "download" => {
            let options = DownloadOptions::default().expected_size(size);
            client
                .download_to_file_with(&format!("{base}/c/file.bin?sig=x"), &file, &options)
                .await?;
            if std::fs::metadata(&file)?.len() != size {
                return Err("the downloaded file has another size".into());
            }
        }
        _ => return Err(usage.into()),
    }
    let elapsed = started.elapsed();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .unwrap_or("VmHWM: unknown");
    println!(
        "{mode} {size} bytes in {elapsed:.2?}: peak {}",
        peak.trim_start_matches("VmHWM:").trim()
    );
    Ok(())
}

/// One request: a `PUT` body is read and dropped, a `GET` gets `size`
/// bytes; neither is held in memory.
async fn serve(mut socket: TcpStream, size: u64) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if socket.read(&mut byte).await? == 0 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
    let length: u64 = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut buffer = vec![0u8; PIECE];
    if head.starts_with("put") {
        let mut left = length;
        while left > 0 {
            let want = usize::try_from(left).unwrap_or(PIECE).min(PIECE);
            let n = socket.read(&mut buffer[..want]).await?;
            if n == 0 {
                return Ok(());
            }
            left -= n as u64;
        }
        socket
            .write_all(b"HTTP/1.1 201 Created\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .await?;
    } else {
        let reply =
            format!("HTTP/1.1 200 OK\r\ncontent-length: {size}\r\nconnection: close\r\n\r\n");
        socket.write_all(reply.as_bytes()).await?;
        let mut left = size;
        while left > 0 {
            let n = usize::try_from(left).unwrap_or(PIECE).min(PIECE);
            socket.write_all(&buffer[..n]).await?;
            left -= n as u64;
        }
    }
    socket.shutdown().await
}
