//! `--partition K/N`: one of N disjoint parts of a suite, for a CI matrix.
//!
//! A file's part is the xxh3 hash of its path (as reports name it) modulo
//! N, so it does not depend on which other files exist, on their order or
//! on the platform: adding a file moves no other file to another part.

use std::str::FromStr;

use super::Script;

/// Part `index` (1-based) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Partition {
    pub index: u64,
    pub count: u64,
}

impl FromStr for Partition {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}`: expected K/N with 1 <= K <= N, e.g. 2/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Partition { index, count })
    }
}

impl Partition {
    /// Whether the script at `path` belongs to this part.
    pub fn contains(&self, path: &str) -> bool {
        xxhash_rust::xxh3::xxh3_64(path.as_bytes()) % self.count == self.index - 1
    }

    /// Keeps this part's scripts.
    pub fn select(&self, scripts: &mut Vec<Script>) {
        scripts.retain(|s| self.contains(&s.path));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_k_of_n() {
        assert_eq!("2/4".parse(), Ok(Partition { index: 2, count: 4 }));
        for bad in ["0/4", "5/4", "1/0", "x/2", "3"] {
            assert!(bad.parse::<Partition>().is_err(), "{bad}");
        }
    }

    #[test]
    fn parts_are_disjoint_cover_everything_and_are_stable() {
        let paths: Vec<String> = (0..200)
            .map(|i| format!("dir{}/f{i}.wast", i % 7))
            .collect();
        let parts: Vec<Partition> = (1..=3).map(|k| Partition { index: k, count: 3 }).collect();
        for p in &paths {
            assert_eq!(
                parts.iter().filter(|part| part.contains(p)).count(),
                1,
                "{p}"
            );
        }
        // Every part gets a fair share.
        for part in &parts {
            let n = paths.iter().filter(|p| part.contains(p)).count();
            assert!((40..=95).contains(&n), "{part:?}: {n}");
        }
        // The assignment is xxh3-64 of the path, a fixed function: these
        // values come from an independent implementation (Python's
        // `xxhash`), so parts stay put across versions and platforms.
        assert_eq!(
            xxhash_rust::xxh3::xxh3_64(b"i32.wast"),
            15708122914835343487
        );
        let threads = "proposals/threads/atomic.wast";
        assert_eq!(
            xxhash_rust::xxh3::xxh3_64(threads.as_bytes()),
            16055416314040418670
        );
        assert!(Partition {
            index: 16055416314040418670 % 4 + 1,
            count: 4
        }
        .contains(threads));
        let one = Partition { index: 1, count: 1 };
        assert!(paths.iter().all(|p| one.contains(p)));
    }
}
