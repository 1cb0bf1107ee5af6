//! Shared settings for the property tests (issue 9, finding 13). Each property runs 2,000
//! cases in `cargo test`; `PROPTEST_CASES` overrides that (`scripts/proptest.sh` sets 100,000).
//! A failure prints the smallest input proptest found: keep it as a plain unit test beside
//! the property (no regression files are written).

use proptest::test_runner::Config;

pub const DEFAULT_CASES: u32 = 2_000;

pub fn config() -> Config {
    // `Config::default()` reads the `PROPTEST_*` environment variables.
    let base = Config::default();
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() { base.cases } else { DEFAULT_CASES };
    Config { cases, failure_persistence: None, ..base }
}
