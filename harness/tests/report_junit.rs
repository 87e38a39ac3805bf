//! The JUnit output must be valid for its consumers: it is validated
//! against the JUnit XSD kept in `tests/golden/junit.xsd` with `xmllint`
//! (Debian's `libxml2-utils`), and read back with `quick-junit`'s parser,
//! whose counts must match the report's.
//!
//! Without `xmllint` the schema check fails with a message, unless
//! `TOUCHSTONE_SKIP_XMLLINT=1` is set (it then says it skipped).

mod report_fixture;

use std::process::Command;

use quick_junit::TestCaseStatus;
use touchstone_harness::report::junit;

#[test]
fn junit_is_valid_against_the_schema() {
    let xml = junit::render(&report_fixture::report()).unwrap();
    let path = report_fixture::out_dir().join("junit-fixture.xml");
    std::fs::write(&path, &xml).unwrap();
    let schema = report_fixture::golden_dir().join("junit.xsd");
    let output = match Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(&path)
        .output()
    {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if std::env::var_os("TOUCHSTONE_SKIP_XMLLINT").is_some_and(|v| v == "1") {
                eprintln!("SKIPPED: xmllint not found and TOUCHSTONE_SKIP_XMLLINT=1; JUnit not schema-checked");
                return;
            }
            panic!("xmllint is required to validate JUnit output: `apt-get install -y libxml2-utils`, or set TOUCHSTONE_SKIP_XMLLINT=1");
        }
        Err(e) => panic!("running xmllint: {e}"),
    };
    assert!(
        output.status.success(),
        "JUnit output does not validate against {}:\n{}",
        schema.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn schema_rejects_malformed_junit() {
    // Proves the schema check has teeth: a testcase without its required name.
    if Command::new("xmllint").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("TOUCHSTONE_SKIP_XMLLINT").is_some_and(|v| v == "1"),
            "xmllint is required (apt-get install -y libxml2-utils), or set TOUCHSTONE_SKIP_XMLLINT=1"
        );
        eprintln!("SKIPPED: xmllint not found");
        return;
    }
    let bad = "<testsuites tests=\"1\" failures=\"0\" errors=\"0\"><testsuite name=\"s\" tests=\"1\" failures=\"0\" errors=\"0\"><testcase classname=\"c\"/></testsuite></testsuites>";
    let path = report_fixture::out_dir().join("junit-invalid.xml");
    std::fs::write(&path, bad).unwrap();
    let schema = report_fixture::golden_dir().join("junit.xsd");
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        !output.status.success(),
        "a testcase without a name must not validate"
    );
}

#[test]
fn junit_reads_back_with_the_report_counts() {
    let report = report_fixture::report();
    let xml = junit::render(&report).unwrap();
    let parsed =
        quick_junit::Report::deserialize_from_str(&xml).expect("quick-junit parses our output");

    let files: usize = report.runs.iter().map(|r| r.files.len()).sum();
    assert_eq!(
        parsed.test_suites.len(),
        files,
        "one testsuite per engine and file"
    );

    for run in &report.runs {
        for file in &run.files {
            let name = format!("{}/{}", run.engine, file.path);
            let suite = parsed
                .test_suites
                .iter()
                .find(|s| s.name.as_str() == name)
                .unwrap_or_else(|| panic!("suite {name}"));
            let t = &file.totals;
            let file_case = usize::from(file.message.is_some());
            assert_eq!(
                suite.tests,
                file.assertions.len() + file_case,
                "{name}: tests"
            );
            assert_eq!(suite.failures as u64, t.failed, "{name}: failures");
            assert_eq!(
                suite.errors as u64,
                t.errors + t.timeouts + t.crashes + file_case as u64,
                "{name}: errors"
            );
            assert_eq!(suite.skipped as u64, t.unsupported, "{name}: skipped");
            for (case, a) in suite
                .test_cases
                .iter()
                .skip(file_case)
                .zip(&file.assertions)
            {
                assert_eq!(
                    case.name.as_str(),
                    format!("line {}:{}: {}", a.line, a.column, a.kind)
                );
                let classname = case.classname.as_ref().unwrap().as_str();
                assert!(
                    classname.starts_with(&format!("{}.", run.engine)),
                    "{classname}"
                );
                if let TestCaseStatus::NonSuccess {
                    description: Some(d),
                    ..
                } = &case.status
                {
                    // Escaped on the way out, intact on the way back in.
                    if let Some(m) = &a.message {
                        assert!(
                            d.as_str().contains(m.as_str()),
                            "{name}: message {m:?} lost in {d:?}"
                        );
                    }
                }
            }
        }
    }
}
