//! Where a module comes from: a local `.wasm` / `.wat` file or an
//! `http://` / `https://` URL, opened as a reader so a binary module can be
//! compiled while its bytes arrive.

use std::fs::File;
use std::io::{self, BufReader, Cursor, Read};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Default for `--fetch-timeout`: the longest a connection may take to
/// open, and the longest the server may stay silent while sending.
pub const DEFAULT_FETCH_TIMEOUT: Duration = Duration::from_secs(30);

/// What went wrong with the network during a download, if anything, so a
/// module cut short is reported as a network error and not as a module
/// that does not compile.
#[derive(Clone, Debug, Default)]
pub struct Download {
    failure: Arc<Mutex<Option<String>>>,
}

impl Download {
    /// The first read error of the download.
    pub fn failure(&self) -> Option<String> {
        self.failure.lock().unwrap().clone()
    }
}

/// Passes reads through, recording the first error in its [`Download`].
struct Watched<R> {
    inner: R,
    download: Download,
}

impl<R: Read> Read for Watched<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).inspect_err(|e| {
            let mut failure = self.download.failure.lock().unwrap();
            if failure.is_none() {
                *failure = Some(network_io_error(e));
            }
        })
    }
}

/// An I/O error of the download in words: a timeout says how it stalled.
fn network_io_error(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
            format!("the server stopped sending ({e})")
        }
        io::ErrorKind::UnexpectedEof => format!("the download was cut short ({e})"),
        _ => e.to_string(),
    }
}

/// A module location given on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModuleSource {
    File(PathBuf),
    Url(String),
}

/// The module's bytes, ready to compile.
pub enum Opened {
    /// A binary module, still arriving: the magic bytes already read are
    /// put back in front of the rest.
    Binary(Box<dyn Read + Send>),
    /// A text module, read whole and converted to binary (the text format
    /// cannot be compiled piecemeal).
    Text(Vec<u8>),
}

impl ModuleSource {
    /// Reads `MODULE` from the command line: a URL if it has an http(s)
    /// scheme, else a path.
    pub fn parse(arg: &str) -> ModuleSource {
        let lower = arg.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            ModuleSource::Url(arg.to_string())
        } else {
            ModuleSource::File(PathBuf::from(arg))
        }
    }

    /// Opens the module with the default fetch timeout (see [`Self::open_with`]).
    pub fn open(&self) -> Result<Opened, String> {
        self.open_with(DEFAULT_FETCH_TIMEOUT)
            .map(|(opened, _)| opened)
    }

    /// Opens the module: connects and reads the response head for a URL
    /// (the connection and every read bounded by `timeout`), opens the file
    /// for a path, then tells binary from text by the first four bytes
    /// (`\0asm`). The [`Download`] tells later whether reading the rest
    /// failed on the network.
    pub fn open_with(&self, timeout: Duration) -> Result<(Opened, Download), String> {
        let download = Download::default();
        let reader: Box<dyn Read + Send> = match self {
            ModuleSource::File(path) => Box::new(BufReader::new(
                File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?,
            )),
            ModuleSource::Url(url) => {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .timeout_resolve(Some(timeout))
                    .timeout_connect(Some(timeout))
                    .timeout_per_read(Some(timeout))
                    .timeout_per_write(Some(timeout))
                    .build()
                    .into();
                let response = agent.get(url).call().map_err(|e| match e {
                    ureq::Error::StatusCode(code) => {
                        format!("cannot fetch {url}: the server answered HTTP {code}")
                    }
                    ureq::Error::Timeout(_) => format!(
                        "network error: {url}: no answer within {} s (--fetch-timeout): {e}",
                        timeout.as_secs_f64()
                    ),
                    other => format!("network error: cannot fetch {url}: {other}"),
                })?;
                Box::new(Watched {
                    inner: response.into_body().into_reader(),
                    download: download.clone(),
                })
            }
        };
        let is_url = matches!(self, ModuleSource::Url(_));
        let opened = classify(reader).map_err(|e| match download.failure() {
            Some(net) if is_url => format!("network error: downloading {self}: {net}"),
            _ => format!("cannot read {self}: {e}"),
        })?;
        Ok((opened, download))
    }
}

impl std::fmt::Display for ModuleSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModuleSource::File(path) => write!(f, "{}", path.display()),
            ModuleSource::Url(url) => f.write_str(url),
        }
    }
}

/// Peeks at the first bytes of `reader` to decide binary or text.
fn classify(mut reader: Box<dyn Read + Send>) -> io::Result<Opened> {
    let mut head = Vec::with_capacity(4);
    (&mut reader).take(4).read_to_end(&mut head)?;
    if head.is_empty() {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "empty module"));
    }
    if head == b"\0asm" {
        return Ok(Opened::Binary(Box::new(Cursor::new(head).chain(reader))));
    }
    let mut text = head;
    reader.read_to_end(&mut text)?;
    let wasm = wat::parse_bytes(&text)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
    Ok(Opened::Text(wasm.into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(opened: Opened) -> Vec<u8> {
        match opened {
            Opened::Binary(mut r) => {
                let mut bytes = Vec::new();
                r.read_to_end(&mut bytes).unwrap();
                bytes
            }
            Opened::Text(bytes) => bytes,
        }
    }

    #[test]
    fn urls_and_paths_are_told_apart() {
        assert_eq!(
            ModuleSource::parse("HTTP://x/m.wasm"),
            ModuleSource::Url("HTTP://x/m.wasm".into())
        );
        assert_eq!(
            ModuleSource::parse("https://x/m.wasm"),
            ModuleSource::Url("https://x/m.wasm".into())
        );
        assert_eq!(
            ModuleSource::parse("dir/http.wasm"),
            ModuleSource::File("dir/http.wasm".into())
        );
    }

    #[test]
    fn binary_keeps_every_byte_and_text_is_converted() {
        let wasm = wat::parse_str("(module (func (export \"f\")))").unwrap();
        let opened = classify(Box::new(Cursor::new(wasm.clone()))).unwrap();
        assert!(matches!(opened, Opened::Binary(_)));
        assert_eq!(read_all(opened), wasm);

        let text = b"(module (func (export \"f\")))".to_vec();
        let opened = classify(Box::new(Cursor::new(text))).unwrap();
        assert!(matches!(opened, Opened::Text(_)));
        assert_eq!(read_all(opened), wasm);
    }

    #[test]
    fn short_or_bad_text_is_an_error() {
        assert!(classify(Box::new(Cursor::new(b"(mod".to_vec()))).is_err());
        assert!(classify(Box::new(Cursor::new(Vec::new()))).is_err());
    }

    #[test]
    fn read_errors_are_recorded_for_the_report() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::TimedOut, "timeout"))
            }
        }
        let download = Download::default();
        let mut watched = Watched {
            inner: Broken,
            download: download.clone(),
        };
        assert!(watched.read(&mut [0; 4]).is_err());
        assert_eq!(
            download.failure().unwrap(),
            "the server stopped sending (timeout)"
        );
    }

    #[test]
    fn missing_file_names_the_path() {
        let err = ModuleSource::parse("/nonexistent/x.wasm")
            .open()
            .err()
            .unwrap();
        assert!(err.contains("/nonexistent/x.wasm"), "{err}");
    }
}
