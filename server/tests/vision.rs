//! The vision (issue 11): facilitators write it, every edit is a version with who, when and
//! what changed; two editors cannot overwrite each other; anyone reads it and its history,
//! and any version can be compared with the one before.

mod support;

use app::auth::Role;
use reqwest::StatusCode;
use support::TestApp;

async fn versions(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM vision_versions").fetch_one(&app.state.db.read).await.unwrap()
}

#[tokio::test]
async fn the_vision_is_versioned_compared_and_safe() {
    let (app, _dir) = TestApp::fresh_quiet().await;
    let mut visitor = app.client();
    let v = visitor.call("load_vision", &[]).await.json();
    assert!(v["html"].is_null() && v["editor"].is_null(), "{v}");

    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let editor = pat.call("load_vision", &[]).await.json();
    assert_eq!(editor["editor"], serde_json::json!(["", 0]), "a facilitator gets an empty editor");

    // Bad input: plain words, nothing written.
    let r = pat.call("save_vision", &[("body", "   "), ("note", ""), ("based_on", "0")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("cannot be empty"), "{}", r.body);
    assert_eq!(versions(&app).await, 0);

    let first = "# Our vision\n\nPeople who use services design them.\n\n<script>alert(1)</script>";
    let r = pat.call("save_vision", &[("body", first), ("note", "First words"), ("based_on", "0")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = visitor.call("load_vision", &[]).await.json();
    let html = v["html"].as_str().unwrap();
    assert!(html.contains("People who use services design them."), "{html}");
    assert!(!html.contains("<script"), "sanitised: {html}");
    assert!(v["edited"].as_str().unwrap().starts_with("Version 1,"));
    assert!(v["editor"].is_null(), "visitors get no editor");

    // A second facilitator saves first; the first one's stale save is refused, text kept.
    let mut sam = app.signed_in("sam@example.org", Role::Facilitator).await;
    let second = "# Our vision\n\nPeople who use services and their carers design them.";
    let r = sam.call("save_vision", &[("body", second), ("note", "Carers too"), ("based_on", "1")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = pat.call("save_vision", &[("body", "Overwrite"), ("note", ""), ("based_on", "1")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Someone else changed the vision"), "{}", r.body);
    assert_eq!(versions(&app).await, 2);

    // Members read but cannot write.
    let mut member = app.signed_in("member@example.org", Role::Member).await;
    let r = member.call("save_vision", &[("body", "Mine"), ("note", ""), ("based_on", "2")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(versions(&app).await, 2);

    // History: newest first; names for people signed in, "a facilitator" for visitors.
    let h = member.call("vision_history", &[("page", "0")]).await.json();
    let numbers: Vec<i64> = h["versions"].as_array().unwrap().iter().map(|v| v["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, vec![2, 1]);
    assert_eq!(h["versions"][0]["note"], "Carers too");
    assert_eq!(h["versions"][0]["by"], "Test person");
    let h = visitor.call("vision_history", &[("page", "0")]).await.json();
    assert_eq!(h["versions"][0]["by"], "a facilitator");

    // Version 2 against version 1: the changed line, word by word.
    let h = visitor.call("vision_history", &[("version", "2")]).await.json();
    let lines = h["compared"][1].as_array().unwrap();
    let added: Vec<&serde_json::Value> = lines.iter().filter(|l| l["kind"] == "Added").collect();
    assert_eq!(added.len(), 1, "{lines:?}");
    let words: String = added[0]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["changed"] == true)
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert!(words.contains("and their carers"), "{words}");
    let h = visitor.call("vision_history", &[("version", "1")]).await.json();
    assert!(h["compared"][1].as_array().unwrap().iter().all(|l| l["kind"] != "Removed"), "the first version only adds");
    assert_eq!(visitor.call("vision_history", &[("version", "3")]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(visitor.call("vision_history", &[("version", "-1")]).await.status, StatusCode::NOT_FOUND);
    app.stop().await;
}
