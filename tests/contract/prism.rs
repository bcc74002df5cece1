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

/// The port in Prism's "listening on http://127.0.0.1:PORT" line.
fn listening_port(line: &str) -> Option<u16> {
    let (_, address) = line.split_once(READY)?;
    let port = address.trim().rsplit(':').next()?;
    port.trim_end_matches('/').parse().ok()
}

/// Copies a pipe of the child into `output` line by line, and reports on
/// `ready` the line saying Prism listens when it arrives.
fn drain(
    pipe: impl Read + Send + 'static,
    output: Arc<Mutex<String>>,
    ready: mpsc::Sender<String>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if line.contains(READY) {
                // The receiver is gone once the test stopped waiting; fine.
                let _ = ready.send(line.clone());
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
    /// (Prism listens on IPv4 only) and waits until it listens. Prism is
    /// given port 0 and says which port the system chose: a port found free
    /// here and then released could be taken by a parallel test before
    /// Prism binds it. Panics, saying how to install Prism, when it is not
    /// installed.
    pub fn start(spec: &Path, options: &[&str]) -> Prism {
        let program = executable();
        assert!(
            program.exists(),
            "Stoplight Prism is not installed ({} is missing). Run `cargo xtask test`, which \
             installs it, or `npm ci --ignore-scripts` in {}.",
            program.display(),
            root().join(CONTRACT_DIR).display()
        );
        let mut child = Command::new(&program)
            .arg("mock")
            .arg(spec)
            .args(["--host", "127.0.0.1", "--port", "0"])
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
        let mut prism = Prism {
            child,
            port: 0,
            output,
        };
        let Ok(line) = ready.recv_timeout(START_TIMEOUT) else {
            panic!(
                "Prism did not say \"{READY}\" within {START_TIMEOUT:?}; its output:\n{}",
                prism.output()
            );
        };
        prism.port =
            listening_port(&line).unwrap_or_else(|| panic!("no port in Prism's line {line:?}"));
        prism
    }

    /// The process id of the running mock.
    pub fn pid(&self) -> u32 {
        self.child.id()
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

#[test]
fn the_port_is_read_from_prisms_line() {
    assert_eq!(
        listening_port(
            "[1:38:36 PM] › [CLI] ▶  start     Prism is listening on http://127.0.0.1:45851"
        ),
        Some(45851)
    );
    assert_eq!(listening_port("Prism is listening on somewhere"), None);
}
