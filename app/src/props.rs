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

use proptest::{prelude::*, sample::select};

/// Values a form field might carry: anything at all, numbers at and past every edge,
/// the words the forms use, and text right at the 20,000-character limit in one-, two-,
/// three- and four-byte characters and in spaces.
pub fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => short_value(),
        1 => (select(&["x", "é", "€", "😀", " ", "\n"][..]), 19_990usize..20_010).prop_map(|(c, n)| c.repeat(n)),
    ]
}

/// As `value`, without the long texts (for parsers whose cost grows with the length).
pub fn short_value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        3 => select(&[
            "", " ", "\t", "\n", "\r\n", "0", "1", "2", "3", "4", "5", "6", "-1", "-0", "+3", " 3 ", "3\n", "03", "1e3", "3.0", "٣", "３",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "18446744073709551615", "18446744073709551616",
            "99999999999999999999999", "on", "off", "yes", "true", "design_group_only", "quote_anonymously", "quote_with_name",
            "service_user", "carer", "\u{0}", "\u{feff}", "\u{a0}", "\u{2028}",
        ][..]).prop_map(str::to_string),
        2 => "[0-9 +-]{0,24}",
    ]
}

/// Field names nobody should send: near misses of the forms' own names and anything else.
pub fn junk_name() -> impl Strategy<Value = String> {
    prop_oneof![
        select(
            &[
                "",
                "q",
                "q_",
                "q1_",
                "q1_s",
                "q-1",
                "q01",
                "q+1",
                "q1_01",
                "q1_s01",
                "qx",
                "Q1",
                "answers",
                "consent",
                "anonymous",
                "__proto__",
                "q1\u{0}"
            ][..]
        )
        .prop_map(str::to_string),
        any::<String>(),
        "q[0-9_s-]{0,6}",
    ]
}
