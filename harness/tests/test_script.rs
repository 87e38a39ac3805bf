//! `scripts/test.sh`, the README's test command: on a machine without
//! Chromium or xmllint and without root, it stops before building and says
//! the exact command that installs them (never a silent skip).

use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn without_the_report_tools_and_root_it_prints_the_install_command() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    // A PATH with only what the script itself needs, and an `id` that says
    // "not root".
    let bin = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("test_script_bin");
    let _ = std::fs::remove_dir_all(&bin);
    std::fs::create_dir_all(&bin).unwrap();
    for tool in ["bash", "dirname"] {
        let path = ["/usr/bin", "/bin"]
            .iter()
            .map(|d| Path::new(d).join(tool))
            .find(|p| p.exists())
            .unwrap_or_else(|| panic!("{tool} not found"));
        std::os::unix::fs::symlink(path, bin.join(tool)).unwrap();
    }
    let id = bin.join("id");
    std::fs::write(&id, "#!/bin/sh\necho 1000\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&id, std::fs::Permissions::from_mode(0o755)).unwrap();

    let out = Command::new(bin.join("bash"))
        .arg(repo.join("scripts/test.sh"))
        .env_clear()
        .env("PATH", &bin)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("sudo apt-get update && sudo apt-get install -y chromium libxml2-utils"),
        "{stderr}"
    );
}
