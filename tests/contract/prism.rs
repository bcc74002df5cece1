//! Starts Stoplight Prism (installed by `cargo xtask test` with `npm ci` in
//! `contract/`) as a validating mock of a document, and stops it on drop.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The directory that holds `package.json` and the lockfile pinning Prism.
pub const CONTRACT_DIR: &str = "contract";

/// Prism logs this line once it accepts connections.
const READY: &str = "Prism is listening";

/// Generous: Prism starts in about a second, but CI machines are shared.
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// How long Prism's log may lag behind its answer.
const LOG_TIMEOUT: Duration = Duration::from_secs(30);

/// A running `prism mock`; the process is killed when this is dropped, so a
/// failing test leaves no server behind.
pub struct Prism {
    child: Child,
    port: u16,
    output: Arc<Mutex<String>>,
}

/// The repository root (this package lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Where `npm ci` puts the `prism` command.
fn executable() -> PathBuf {
    let bin = if cfg!(windows) { "prism.cmd" } else { "prism" };
    root()
        .join(CONTRACT_DIR)
        .join("node_modules")
        .join(".bin")
        .join(bin)
}

/// A port nobody listens on right now: bind port 0, read what the OS chose,
/// and release it for Prism.
fn free_port() -> u16 {
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").expect("cannot bind a local port for Prism");
    listener
        .local_addr()
        .expect("a bound socket has an address")
        .port()
}

/// Copies a pipe of the child into `output` line by line, and reports on
/// `ready` when the line saying Prism listens arrives.
fn drain(pipe: impl Read + Send + 'static, output: Arc<Mutex<String>>, ready: mpsc::Sender<()>) {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if line.contains(READY) {
                // The receiver is gone once the test stopped waiting; fine.
                let _ = ready.send(());
            }
            if let Ok(mut all) = output.lock() {
                all.push_str(&line);
                all.push('\n');
            }
        }
    });
}

impl Prism {
    /// Starts `prism mock spec` with `options` on a free port of 127.0.0.1
    /// (Prism listens on IPv4 only) and waits until it listens. Panics,
    /// saying how to install Prism, when it is not installed.
    pub fn start(spec: &Path, options: &[&str]) -> Prism {
        let program = executable();
        assert!(
            program.exists(),
            "Stoplight Prism is not installed ({} is missing). Run `cargo xtask test`, which \
             installs it, or `npm ci --ignore-scripts` in {}.",
            program.display(),
            root().join(CONTRACT_DIR).display()
        );
        let port = free_port();
        let mut child = Command::new(&program)
            .arg("mock")
            .arg(spec)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(options)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
        let output = Arc::new(Mutex::new(String::new()));
        let (ready_tx, ready) = mpsc::channel();
        if let Some(stdout) = child.stdout.take() {
            drain(stdout, output.clone(), ready_tx.clone());
        }
        if let Some(stderr) = child.stderr.take() {
            drain(stderr, output.clone(), ready_tx);
        }
        // From here on the guard owns the process: a panic below kills it.
        let prism = Prism {
            child,
            port,
            output,
        };
        if ready.recv_timeout(START_TIMEOUT).is_err() {
            panic!(
                "Prism did not say \"{READY}\" within {START_TIMEOUT:?}; its output:\n{}",
                prism.output()
            );
        }
        prism
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Everything Prism printed so far (its log names each violation).
    pub fn output(&self) -> String {
        self.output.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// What Prism printed after the first `start` bytes, once it contains
    /// one of `markers` (or after a few seconds: the caller then sees the
    /// marker missing). Prism writes its log before it answers, but the
    /// threads copying it may lag behind the answer.
    pub async fn log_since(&self, start: usize, markers: [&str; 2]) -> String {
        let deadline = std::time::Instant::now() + LOG_TIMEOUT;
        loop {
            let all = self.output();
            let since = all.get(start..).unwrap_or_default().to_string();
            if markers.iter().any(|m| since.contains(m)) || std::time::Instant::now() > deadline {
                return since;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // Already exited is fine; anything else is the best we can do in drop.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
