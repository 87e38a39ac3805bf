//! `touchstone inspect MODULE`: what `WebAssembly.Module.imports`,
//! `.exports` and `.customSections` show on the web, plus how many
//! functions, tables, memories, globals and tags the module has.
//!
//! MODULE is a `.wasm` or `.wat` file or an `http://` / `https://` URL, as
//! for `touchstone run`. Types are printed in the text format:
//!
//! ```text
//! imports (1):
//!   "env" "log": func (param i32)
//! exports (2):
//!   "run": func (param i32) (result i64)
//!   "memory": memory 2
//! custom sections (1):
//!   "name": 1 section, 42 bytes
//! functions: 3 (1 imported), tables: 0 (0 imported), memories: 1 (0 imported), globals: 0 (0 imported), tags: 0 (0 imported)
//! ```
//!
//! Exit status: 0, or 2 when the module cannot be fetched or compiled.

use std::io::Write;

use touchstone_engine::{
    default_features, ExternType, FuncType, GlobalType, MemoryType, Module, TableType,
};

use super::run_module::cli_values::type_name;
use super::run_module::source::{ModuleSource, Opened};
use super::run_module::RunStatus;

/// Command-line arguments of `touchstone inspect`.
#[derive(Clone, Debug, clap::Args)]
pub struct InspectArgs {
    /// A `.wasm` or `.wat` file, or an `http://` / `https://` URL.
    pub module: String,
}

/// Runs the command on the process's standard output and error; the exit status.
pub fn main(args: &InspectArgs) -> std::process::ExitCode {
    let status = execute(
        args,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::ExitCode::from(status as u8)
}

/// Runs the command, printing the description on `out` and errors on `err`.
pub fn execute(args: &InspectArgs, out: &mut dyn Write, err: &mut dyn Write) -> RunStatus {
    let source = ModuleSource::parse(&args.module);
    let described = source.open().and_then(|opened| {
        let module = match opened {
            // Binaries compile while their bytes arrive, as for `run`.
            Opened::Binary(reader) => Module::from_reader(reader, default_features()),
            Opened::Text(bytes) => Module::new(&bytes),
        }
        .map_err(|e| format!("{source}: compile error: {e}"))?;
        Ok(describe(&module))
    });
    match described {
        Ok(text) => {
            let _ = out.write_all(text.as_bytes());
            RunStatus::Ok
        }
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            RunStatus::Load
        }
    }
}

/// The whole description of `module`, as printed.
pub fn describe(module: &Module) -> String {
    let mut text = String::new();
    let imports: Vec<String> = module
        .imports()
        .map(|i| format!("{:?} {:?}: {}", i.module, i.name, extern_type(&i.ty)))
        .collect();
    section(&mut text, "imports", &imports);
    let exports: Vec<String> = module
        .exports()
        .map(|e| format!("{:?}: {}", e.name, extern_type(&e.ty)))
        .collect();
    section(&mut text, "exports", &exports);

    let customs: Vec<String> = module
        .custom_section_names()
        .map(|name| {
            let sizes: Vec<usize> = module.custom_sections(name).map(<[u8]>::len).collect();
            let plural = if sizes.len() == 1 { "" } else { "s" };
            format!(
                "{name:?}: {} section{plural}, {} bytes",
                sizes.len(),
                sizes.iter().sum::<usize>()
            )
        })
        .collect();
    section(&mut text, "custom sections", &customs);

    let counts = module.counts();
    let [funcs, tables, memories, globals, tags] = [
        counts.functions,
        counts.tables,
        counts.memories,
        counts.globals,
        counts.tags,
    ]
    .map(|count| format!("{} ({} imported)", count.total(), count.imported));
    text.push_str(&format!(
        "functions: {funcs}, tables: {tables}, memories: {memories}, globals: {globals}, tags: {tags}\n"
    ));
    text
}

fn section(text: &mut String, title: &str, lines: &[String]) {
    text.push_str(&format!("{title} ({}):\n", lines.len()));
    for line in lines {
        text.push_str(&format!("  {line}\n"));
    }
}

/// An import's or export's type in the text format's words.
pub fn extern_type(ty: &ExternType) -> String {
    match ty {
        ExternType::Func(f) => format!("func{}", signature(f)),
        ExternType::Table(t) => table_type(t),
        ExternType::Memory(m) => memory_type(m),
        ExternType::Global(g) => global_type(g),
        ExternType::Tag(f) => format!("tag{}", signature(f)),
    }
}

/// ` (param i32 i32) (result i64)`, or empty for `[] -> []`.
fn signature(ty: &FuncType) -> String {
    let mut text = String::new();
    for (word, types) in [("param", ty.params()), ("result", ty.results())] {
        if !types.is_empty() {
            let names: Vec<String> = types.iter().map(|&t| type_name(t)).collect();
            text.push_str(&format!(" ({word} {})", names.join(" ")));
        }
    }
    text
}

fn limits(minimum: u64, maximum: Option<u64>) -> String {
    match maximum {
        Some(max) => format!("{minimum} {max}"),
        None => minimum.to_string(),
    }
}

fn table_type(ty: &TableType) -> String {
    format!(
        "table {} {}",
        limits(ty.minimum(), ty.maximum()),
        type_name(ty.element().into())
    )
}

fn memory_type(ty: &MemoryType) -> String {
    let index = if ty.is_64() { "i64 " } else { "" };
    format!("memory {index}{}", limits(ty.minimum(), ty.maximum()))
}

fn global_type(ty: &GlobalType) -> String {
    let content = type_name(ty.content());
    if ty.mutable() {
        format!("global (mut {content})")
    } else {
        format!("global {content}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_read_like_the_text_format() {
        use touchstone_engine::{RefType, ValType};
        assert_eq!(
            extern_type(&ExternType::Func(FuncType::new([], []))),
            "func"
        );
        assert_eq!(
            extern_type(&ExternType::Func(FuncType::new(
                [ValType::I32, ValType::F64],
                [ValType::I64]
            ))),
            "func (param i32 f64) (result i64)"
        );
        assert_eq!(
            extern_type(&ExternType::Memory(MemoryType::new(1, Some(2)))),
            "memory 1 2"
        );
        assert_eq!(
            extern_type(&ExternType::Memory(MemoryType::new64(3, None))),
            "memory i64 3"
        );
        assert_eq!(
            extern_type(&ExternType::Table(TableType::new(
                RefType::EXTERNREF,
                10,
                None
            ))),
            "table 10 externref"
        );
        assert_eq!(
            extern_type(&ExternType::Global(GlobalType::new(ValType::F32, true))),
            "global (mut f32)"
        );
    }

    #[test]
    fn describes_imports_exports_customs_and_counts() {
        let mut wasm = wat::parse_str(
            r#"(module
                 (import "env" "log" (func (param i32)))
                 (import "env" "mem" (memory 1))
                 (global (mut i64) (i64.const 0))
                 (table 2 funcref)
                 (func (export "run") (param i32) (result i64) i64.const 0)
                 (func)
                 (export "g" (global 0)))"#,
        )
        .unwrap();
        // A custom section named "meta" with 3 payload bytes, twice.
        for _ in 0..2 {
            wasm.extend_from_slice(&[0, 8, 4, b'm', b'e', b't', b'a', 1, 2, 3]);
        }
        let text = describe(&Module::new(&wasm).unwrap());
        assert!(
            text.contains(
                "imports (2):\n  \"env\" \"log\": func (param i32)\n  \"env\" \"mem\": memory 1\n"
            ),
            "{text}"
        );
        assert!(text.contains("exports (2):\n  \"run\": func (param i32) (result i64)\n  \"g\": global (mut i64)\n"), "{text}");
        assert!(
            text.contains("custom sections (1):\n  \"meta\": 2 sections, 6 bytes\n"),
            "{text}"
        );
        assert!(text.contains("functions: 3 (1 imported), tables: 1 (0 imported), memories: 1 (1 imported), globals: 1 (0 imported), tags: 0 (0 imported)"), "{text}");
    }

    #[test]
    fn empty_module_has_empty_lists() {
        let wasm = wat::parse_str("(module)").unwrap();
        let text = describe(&Module::new(&wasm).unwrap());
        assert!(
            text.starts_with("imports (0):\nexports (0):\ncustom sections (0):\n"),
            "{text}"
        );
    }
}
