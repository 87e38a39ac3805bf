//! Streaming compilation (the counterpart of `WebAssembly.compileStreaming`):
//! sections are decoded, validated and translated as bytes arrive from a reader.

use std::io::Read;

use wasmparser::{Chunk, Parser, WasmFeatures};

use super::{CompiledModule, ModuleBuilder};
use crate::binary::malformed;
use crate::error::{CompileError, CompileErrorKind};

/// Reads a module from `reader`, handing each payload to the builder as soon
/// as it is complete; only the bytes of the section in progress are buffered.
pub(crate) fn compile_from_reader(
    mut reader: impl Read,
    features: WasmFeatures,
) -> Result<CompiledModule, CompileError> {
    let mut builder = ModuleBuilder::new(features);
    let mut parser = Parser::new(0);
    parser.set_features(features);
    let mut buf: Vec<u8> = Vec::new();
    let mut eof = false;
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let (consumed, payload) = match parser.parse(&buf, eof).map_err(malformed)? {
            Chunk::NeedMoreData(_) => {
                if eof {
                    return Err(CompileError::new(
                        CompileErrorKind::Malformed,
                        "unexpected end",
                    ));
                }
                let n = reader.read(&mut chunk).map_err(|e| {
                    CompileError::new(CompileErrorKind::Malformed, format!("read failed: {e}"))
                })?;
                eof = n == 0;
                buf.extend_from_slice(&chunk[..n]);
                continue;
            }
            Chunk::Parsed { consumed, payload } => (consumed, payload),
        };
        builder.payload(&payload)?;
        drop(payload);
        buf.drain(..consumed);
        if builder.is_done() {
            return builder.finish();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out one byte at a time, the worst case for streaming.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), out.first_mut()) {
                (Some((b, rest)), Some(o)) => {
                    *o = *b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn byte_by_byte_matches_whole() {
        let wasm = wat::parse_str(
            r#"(module (memory 1) (data (i32.const 0) "hi")
                 (func (export "f") (param i32) (result i32) local.get 0 i32.const 1 i32.add))"#,
        )
        .unwrap();
        let streamed = compile_from_reader(Trickle(&wasm), WasmFeatures::default()).unwrap();
        let whole = super::super::compile(&wasm, WasmFeatures::default()).unwrap();
        assert_eq!(streamed.code.len(), whole.code.len());
        assert_eq!(streamed.info.datas.len(), 1);
        assert_eq!(&*streamed.info.datas[0].bytes, b"hi");
    }

    #[test]
    fn truncated_stream_is_malformed() {
        let wasm = wat::parse_str(r#"(module (func))"#).unwrap();
        let err = compile_from_reader(Trickle(&wasm[..wasm.len() - 1]), WasmFeatures::default())
            .unwrap_err();
        assert_eq!(err.kind(), CompileErrorKind::Malformed);
    }
}
