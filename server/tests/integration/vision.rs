//! The vision (issue 11): facilitators write it, every edit is a version with who, when and
//! what changed; two editors cannot overwrite each other; anyone reads it and its history,
//! and any version can be compared with the one before.

use crate::support;

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

async fn value_id(app: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM lab_values WHERE name = ?")
        .bind(name)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap()
}

/// Values: facilitators add, edit, reorder and retire them; prototypes say which they serve
/// (saved with the draft, shown once published); the board, the list and a value's page
/// filter by them; a retired value cannot be chosen again.
#[tokio::test]
async fn values_are_managed_chosen_and_filtered() {
    let (app, _dir) = TestApp::fresh_quiet().await;
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let r = pat.call("add_value", &[("name", "  "), ("description", "kept")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("short name"), "{}", r.body);
    for (name, description) in [("Listen first", "We ask before we act."), ("Close to home", ""), ("Old idea", "")] {
        let r = pat.call("add_value", &[("name", name), ("description", description)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let (listen, home, old) =
        (value_id(&app, "Listen first").await, value_id(&app, "Close to home").await, value_id(&app, "Old idea").await);
    let r = pat.call("reorder_value", &[("id", &home.to_string()), ("direction", "up")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = pat.call("retire_value", &[("id", &old.to_string()), ("retired", "true")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = pat
        .call(
            "update_value",
            &[("id", &listen.to_string()), ("name", "Listen first"), ("description", "We ask, then act.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Everyone reads the values in order; retired ones only facilitators (to bring back).
    let mut visitor = app.client();
    let v = visitor.call("load_vision", &[]).await.json();
    let names: Vec<&str> = v["values"].as_array().unwrap().iter().map(|x| x["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Close to home", "Listen first"]);
    assert_eq!(v["values"][1]["description"], "We ask, then act.");
    let v = pat.call("load_vision", &[]).await.json();
    assert_eq!(v["values"].as_array().unwrap().len(), 3);

    // A design-group member's prototype serves two values; a retired one is refused.
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let base =
        [("title", "Evening line"), ("summary", "Someone answers after 5pm"), ("body", "Phone us."), ("themes", "")];
    let mut refused = base.to_vec();
    let old_s = old.to_string();
    refused.push(("values[]", &old_s));
    let r = gp.call("create_prototype", &refused).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("choose values from the list"), "{}", r.body);
    let (listen_s, home_s) = (listen.to_string(), home.to_string());
    let mut fields = base.to_vec();
    fields.extend([("values[]", listen_s.as_str()), ("values[]", home_s.as_str())]);
    let serving = gp.published_prototype(&fields).await;
    let other =
        gp.published_prototype(&[("title", "Quiet room"), ("summary", ""), ("body", "A room."), ("themes", "")]).await;

    let p = gp.call("prototype", &[("id", &serving.to_string())]).await.json();
    let on_page: Vec<&str> = p["values"].as_array().unwrap().iter().map(|x| x["name"].as_str().unwrap()).collect();
    assert_eq!(on_page, ["Close to home", "Listen first"]);
    let form = gp.call("load_draft", &[("id", &serving.to_string())]).await.json();
    assert_eq!(form["value_ids"].as_array().unwrap().len(), 2, "the editor keeps the choice: {form}");

    // Filters: the list, the board and the value's page show only the serving prototype.
    let mut member = app.signed_in("member@example.org", Role::Member).await;
    let list = member.call("list_prototypes", &[("value", &listen_s)]).await.json();
    let ids: Vec<i64> = list["cards"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [serving]);
    assert_eq!(list["values"].as_array().unwrap().len(), 2, "the filter offers values in use");
    let board = member.call("board", &[("value", &home_s)]).await.json();
    let on_board: Vec<i64> = board[0]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["cards"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()))
        .collect();
    assert_eq!(on_board, [serving]);
    assert!(!on_board.contains(&other));
    let page = member.call("value_page", &[("id", &listen_s)]).await.json();
    assert_eq!(page["value"]["name"], "Listen first");
    assert_eq!(page["cards"].as_array().unwrap().len(), 1);
    let page = visitor.call("value_page", &[("id", &listen_s)]).await.json();
    assert!(page["cards"].is_null(), "visitors read the value, not the prototypes: {page}");
    assert_eq!(visitor.call("value_page", &[("id", "999")]).await.status, StatusCode::NOT_FOUND);

    // Members cannot manage values.
    assert_eq!(member.call("add_value", &[("name", "Mine"), ("description", "")]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        member.call("retire_value", &[("id", &listen_s), ("retired", "true")]).await.status,
        StatusCode::FORBIDDEN
    );
    app.stop().await;
}
