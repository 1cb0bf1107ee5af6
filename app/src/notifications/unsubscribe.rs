//! One-click unsubscribe links (RFC 8058): `/unsubscribe/{user}/{kind}/{mac}` opens a page
//! that asks before it acts (link scanners fetch links), and a mail program's one-click POST
//! goes to `/unsubscribe/one-click/...`. The MAC (HMAC-SHA256 under a site secret) makes a
//! link work without signing in, for that person and kind only. `kind` is a notification
//! kind, or `all` for the pause switch (a digest mixes kinds).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The `kind` of a link that pauses every notification email.
pub const ALL: &str = "all";

fn mac_of(key: &[u8], user: i64, kind: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(format!("unsubscribe\0{user}\0{kind}").as_bytes());
    mac
}

pub fn sign(key: &[u8], user: i64, kind: &str) -> String {
    hex::encode(mac_of(key, user, kind).finalize().into_bytes())
}

/// Constant-time check of a link's MAC.
pub fn verify(key: &[u8], user: i64, kind: &str, mac: &str) -> bool {
    hex::decode(mac).is_ok_and(|m| mac_of(key, user, kind).verify_slice(&m).is_ok())
}

/// The page a person opens from an email.
pub fn page_url(public_url: &str, key: &[u8], user: i64, kind: &str) -> String {
    format!("{public_url}/unsubscribe/{user}/{kind}/{}", sign(key, user, kind))
}

/// Where a mail program posts `List-Unsubscribe=One-Click`.
pub fn one_click_url(public_url: &str, key: &[u8], user: i64, kind: &str) -> String {
    format!("{public_url}/unsubscribe/one-click/{user}/{kind}/{}", sign(key, user, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_works_for_its_person_and_kind_only() {
        let key = b"a site secret";
        let mac = sign(key, 7, "reply");
        assert!(verify(key, 7, "reply", &mac));
        assert!(!verify(key, 8, "reply", &mac), "another person");
        assert!(!verify(key, 7, "all", &mac), "another kind");
        assert!(!verify(b"another secret", 7, "reply", &mac));
        assert!(!verify(key, 7, "reply", "zz"), "not hex");
        assert!(!verify(key, 7, "reply", ""));
        assert!(
            page_url("https://lab.example", key, 7, "reply").starts_with("https://lab.example/unsubscribe/7/reply/")
        );
    }
}
