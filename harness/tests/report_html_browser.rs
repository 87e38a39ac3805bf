//! Opens the HTML report in headless Chromium: the page must render the
//! fixture's totals, its filter (driven by `#filter=` in the URL) must hide
//! the right rows, and a screenshot is saved to `reports/out/` for people.
//!
//! Chromium is required: without it the test fails with a message saying
//! how to install it, unless `TOUCHSTONE_SKIP_BROWSER=1` is set, in which
//! case it says it skipped.

mod report_fixture;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use touchstone_harness::report::html;
use touchstone_harness::report::matrix::pass_rate;

const BROWSER_TIMEOUT: Duration = Duration::from_secs(90);

/// The browser to drive: `$TOUCHSTONE_CHROMIUM`, else Debian's `chromium`;
/// `None` when that file does not exist.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("TOUCHSTONE_CHROMIUM") {
        return Some(PathBuf::from(path)).filter(|p| p.exists());
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Runs headless Chromium on `url` with `extra` flags and returns stdout.
fn run_chromium(browser: &Path, url: &str, extra: &[String]) -> String {
    let profile = std::env::temp_dir().join(format!(
        "touchstone-chromium-{}-{}",
        std::process::id(),
        extra.len()
    ));
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", browser.display()));
    // Read stdout on a thread so a large DOM cannot fill the pipe while we
    // wait with a deadline.
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).map(|_| text)
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for chromium") {
            break status;
        }
        if start.elapsed() > BROWSER_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {BROWSER_TIMEOUT:?} on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = std::fs::remove_dir_all(&profile);
    assert!(status.success(), "chromium exited with {status} on {url}");
    reader
        .join()
        .expect("reader thread")
        .expect("chromium stdout is UTF-8")
}

/// The `<tr>` start tags of the file table's body, from a dumped DOM.
fn file_rows(dom: &str) -> Vec<&str> {
    let table = &dom[dom
        .find("id=\"file-table\"")
        .expect("file table in the DOM")..];
    let body =
        &table[table.find("<tbody>").expect("tbody")..table.find("</tbody>").expect("/tbody")];
    body.match_indices("<tr ")
        .map(|(i, _)| &body[i..i + body[i..].find('>').unwrap()])
        .collect()
}

#[test]
fn html_report_renders_filters_and_screenshots_in_chromium() {
    let Some(browser) = chromium() else {
        if std::env::var_os("TOUCHSTONE_SKIP_BROWSER").is_some_and(|v| v == "1") {
            eprintln!("SKIPPED: chromium not found and TOUCHSTONE_SKIP_BROWSER=1; the HTML report was not checked in a browser");
            return;
        }
        panic!(
            "chromium is required to check the HTML report: install it (Debian: `apt-get install -y chromium`), \
             point TOUCHSTONE_CHROMIUM at a Chromium binary, or set TOUCHSTONE_SKIP_BROWSER=1 to skip this test"
        );
    };

    let report = report_fixture::report();
    let page = html::render_with_sources(&report, &report_fixture::source).unwrap();
    let out = report_fixture::out_dir().canonicalize().unwrap();
    let html_path = out.join("report-fixture.html");
    std::fs::write(&html_path, page).unwrap();
    let url = format!("file://{}", html_path.display());
    let files = report.runs[0].files.len();

    // Unfiltered: every file listed, and each engine's pass rate shown.
    let dom = run_chromium(&browser, &url, &["--dump-dom".to_string()]);
    assert!(
        dom.contains(&format!("Showing {files} of {files} files")),
        "file count missing from:\n{dom}"
    );
    for run in &report.runs {
        let rate = format!("{:.2}", pass_rate(&run.totals));
        assert!(
            dom.contains(&format!("<span class=\"rate-num\">{rate}")),
            "{}'s pass rate {rate} not rendered",
            run.engine
        );
    }
    let rows = file_rows(&dom);
    assert_eq!(rows.len(), files);
    assert!(
        rows.iter().all(|r| !r.contains("hidden")),
        "nothing hidden without a filter: {rows:?}"
    );

    // Filtered through the URL fragment, as a shared link would be.
    let dom = run_chromium(
        &browser,
        &format!("{url}#filter=threads"),
        &["--dump-dom".to_string()],
    );
    let expected_shown: Vec<&str> = report.runs[0]
        .files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| p.contains("threads"))
        .collect();
    assert_eq!(expected_shown.len(), 1, "the fixture has one threads file");
    assert!(
        dom.contains(&format!("Showing 1 of {files} files")),
        "filter count missing"
    );
    let rows = file_rows(&dom);
    let visible: Vec<&&str> = rows.iter().filter(|r| !r.contains("hidden")).collect();
    assert_eq!(visible.len(), 1, "one row left visible: {rows:?}");
    assert!(
        visible[0].contains(&format!("data-path=\"{}\"", expected_shown[0])),
        "{visible:?}"
    );

    // A filter matching nothing says so.
    let dom = run_chromium(
        &browser,
        &format!("{url}#filter=no-such-file"),
        &["--dump-dom".to_string()],
    );
    assert!(dom.contains(&format!("Showing 0 of {files} files")));
    assert!(
        !dom.contains("id=\"no-match\" class=\"muted\" hidden"),
        "the no-match note is shown"
    );

    // The screenshot, for people (and the lead's review).
    let shot = out.join("report-fixture.png");
    let _ = std::fs::remove_file(&shot);
    run_chromium(
        &browser,
        &url,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000".to_string(),
        ],
    );
    let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "screenshot is a PNG");
    assert!(
        png.len() > 20_000,
        "a blank page compresses to a few kB; got {} bytes",
        png.len()
    );
    eprintln!("screenshot: {}", shot.display());
}
