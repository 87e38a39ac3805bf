//! Where a module comes from: a local `.wasm` / `.wat` file or an
//! `http://` / `https://` URL, opened as a reader so a binary module can be
//! compiled while its bytes arrive.

use std::fs::File;
use std::io::{self, BufReader, Cursor, Read};
use std::path::PathBuf;

/// A module location given on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
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

impl Source {
    /// Reads `MODULE` from the command line: a URL if it has an http(s)
    /// scheme, else a path.
    pub fn parse(arg: &str) -> Source {
        let lower = arg.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            Source::Url(arg.to_string())
        } else {
            Source::File(PathBuf::from(arg))
        }
    }

    /// Opens the module: connects and reads the response head for a URL,
    /// opens the file for a path, then tells binary from text by the first
    /// four bytes (`\0asm`).
    pub fn open(&self) -> Result<Opened, String> {
        let reader: Box<dyn Read + Send> = match self {
            Source::File(path) => Box::new(BufReader::new(
                File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?,
            )),
            Source::Url(url) => {
                let response = ureq::get(url)
                    .call()
                    .map_err(|e| format!("cannot fetch {url}: {e}"))?;
                Box::new(response.into_body().into_reader())
            }
        };
        classify(reader).map_err(|e| format!("cannot read {self}: {e}"))
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::File(path) => write!(f, "{}", path.display()),
            Source::Url(url) => f.write_str(url),
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
            Source::parse("HTTP://x/m.wasm"),
            Source::Url("HTTP://x/m.wasm".into())
        );
        assert_eq!(
            Source::parse("https://x/m.wasm"),
            Source::Url("https://x/m.wasm".into())
        );
        assert_eq!(
            Source::parse("dir/http.wasm"),
            Source::File("dir/http.wasm".into())
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
    fn missing_file_names_the_path() {
        let err = Source::parse("/nonexistent/x.wasm").open().err().unwrap();
        assert!(err.contains("/nonexistent/x.wasm"), "{err}");
    }
}
