use super::*;

const FULL: &str = r#"
[suite]
features = "wasm2,+threads"
dialect = "wasmtime"
timeout = 30
strict-messages = true

[suite.limits]
max-memory = "64 MiB"
max-table-elements = 1000
max-call-depth = 500

[suite.host-modules]
wasmtime = "host/gc.wat"

[[suite.files]]
glob = "proposals/gc/*.wast"
features = "wasm3"
limits = { max-call-depth = 100 }

[[suite.files]]
glob = "slow/**"
skip = "takes minutes"

[engines.external]
wasm3 = "python3 adapters/wasm3.py"

[engines.node]
command = "/usr/bin/node"
flags = ["--experimental-wasm-jspi"]
"#;

#[test]
fn every_section_parses() {
    let c = Config::parse(FULL).unwrap();
    assert_eq!(c.suite.features.as_deref(), Some("wasm2,+threads"));
    assert_eq!(c.suite.dialect, Some(Dialect::Wasmtime));
    assert_eq!(c.suite.strict_messages, Some(true));
    assert_eq!(c.suite.limits.max_memory, Some(ByteSize(64 << 20)));
    assert_eq!(c.suite.limits.max_call_depth, Some(500));
    assert_eq!(
        c.suite.host_modules["wasmtime"],
        PathBuf::from("host/gc.wat")
    );
    assert_eq!(c.suite.files.len(), 2);
    assert_eq!(c.suite.files[1].skip.as_deref(), Some("takes minutes"));
    assert_eq!(c.engines.external["wasm3"], "python3 adapters/wasm3.py");
    assert_eq!(c.engines.node.flags, ["--experimental-wasm-jspi"]);
    assert_eq!(c.engines.node.command.as_deref(), Some("/usr/bin/node"));
}

#[test]
fn rules_follow_the_file_order_after_the_suite_wide_one() {
    let loaded = Loaded {
        path: PathBuf::from("/x/touchstone.toml"),
        config: Config::parse(FULL).unwrap(),
    };
    let rules = loaded.file_rules().unwrap();
    assert_eq!(rules.len(), 3);
    assert!(rules[0].glob.is_none());
    assert_eq!(rules[0].limits.max_memory_bytes, Some(64 << 20));
    assert_eq!(rules[0].timeout, Some(Duration::from_secs(30)));
    assert!(rules[1]
        .glob
        .as_ref()
        .unwrap()
        .is_match("proposals/gc/ref.wast"));
    assert_eq!(rules[1].limits.max_call_depth, Some(100));
    assert_eq!(rules[1].limits.max_memory_bytes, None);
    assert!(rules[2].glob.as_ref().unwrap().is_match("slow/a/b.wast"));
}

#[test]
fn mistakes_are_reported_with_where() {
    let err = |text: &str| format!("{:#}", Config::parse(text).unwrap_err());
    assert!(err("[suite]\nfeatures = \"+bogus\"").contains("suite.features"));
    assert!(err("[[suite.files]]\nglob = \"a/[\"").contains("suite.files[0]"));
    assert!(err("[suite]\ntimeout = -1").contains("positive"));
    assert!(err("[suite]\ndialect = \"v8\"").contains("dialect"));
    assert!(err("[sweet]\n").contains("sweet"));
    assert!(err("[engines.external]\ntouchstone = \"x\"").contains("built-in"));
    assert!(err("[suite.limits]\nmax-memory = \"lots\"").contains("lots"));
}

#[test]
fn the_first_existing_file_is_used() {
    let dir = std::env::temp_dir().join(format!("touchstone-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(FILE_NAME), "[suite]\nfeatures = \"wasm1\"\n").unwrap();
    let at_root = Config::find(None, Some(&dir)).unwrap().unwrap();
    assert_eq!(at_root.path, dir.join(FILE_NAME));
    assert_eq!(at_root.config.suite.features.as_deref(), Some("wasm1"));
    // A file PATH looks beside the file.
    std::fs::write(dir.join("a.wast"), "(module)").unwrap();
    let beside = Config::find(None, Some(&dir.join("a.wast")))
        .unwrap()
        .unwrap();
    assert_eq!(beside.path, dir.join(FILE_NAME));
    // --config wins, and must exist.
    let other = dir.join("other.toml");
    std::fs::write(&other, "").unwrap();
    assert_eq!(
        Config::find(Some(&other), Some(&dir))
            .unwrap()
            .unwrap()
            .path,
        other
    );
    assert!(Config::find(Some(&dir.join("missing.toml")), None).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn host_modules_are_read_relative_to_the_config() {
    let dir = std::env::temp_dir().join(format!("touchstone-host-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("host")).unwrap();
    std::fs::write(dir.join("host/gc.wat"), "(module (func (export \"gc\")))").unwrap();
    let config = Config::parse("[suite.host-modules]\nwasmtime = \"host/gc.wat\"\n").unwrap();
    let loaded = Loaded {
        path: dir.join(FILE_NAME),
        config,
    };
    let hosts = loaded.host_modules().unwrap();
    assert_eq!(hosts[0].name, "wasmtime");
    assert_eq!(&hosts[0].wasm[..4], b"\0asm");
    std::fs::remove_file(dir.join("host/gc.wat")).unwrap();
    assert!(loaded.host_modules().is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}
