//! Meetings over HTTP: agendas, attendance, motions, the three voting methods, quorum with
//! its lived-experience part, decisions on the timeline, minutes, bad input and races.

use crate::support;

use app::auth::{
    fields::{DisplayName, Email},
    hashing, store, Role,
};
use reqwest::StatusCode;
use serde_json::Value;
use support::{Client, TestApp};

fn location(r: &support::Reply) -> String {
    r.headers.get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

fn json(r: &support::Reply) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", r.status, r.body))
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.state.db.read).await.unwrap()
}

/// A published prototype (id), a meeting (id) with an item on it (id).
async fn setup(app: &TestApp, pat: &mut Client) -> (i64, i64, i64) {
    let r = pat
        .call(
            "create_prototype",
            &[("title", "Living Well Hub"), ("summary", ""), ("body", "## The problem\n\nx\n"), ("themes", "")],
        )
        .await;
    let proto: i64 = location(&r).split('/').nth(2).unwrap().parse().unwrap();
    pat.call("publish_iteration", &[("id", &proto.to_string()), ("change_note", "first")]).await;
    let r = pat
        .call(
            "schedule_meeting",
            &[
                ("title", "March collaborative"),
                ("starts", &app::time::to_local_input(chrono::Utc::now().timestamp() + 3600)),
                ("place", "The Hub"),
                ("online_link", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let meeting: i64 = location(&r).split('/').nth(2).unwrap().parse().unwrap();
    let r = pat
        .call(
            "add_agenda_item",
            &[
                ("meeting", &meeting.to_string()),
                ("kind", "prototype"),
                ("title", "Living Well Hub: next step"),
                ("prototype", &proto.to_string()),
                ("round", ""),
                ("notes", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let item: i64 = count(app, "SELECT max(id) FROM agenda_items").await;
    (proto, meeting, item)
}

async fn stage_id(app: &TestApp, name: &str) -> String {
    let id: i64 = sqlx::query_scalar("SELECT id FROM stages WHERE name = ?")
        .bind(name)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    id.to_string()
}

/// Adds a motion; returns its id. `extra` overrides the defaults.
async fn motion(app: &TestApp, pat: &mut Client, item: i64, method: &str, extra: &[(&str, &str)]) -> i64 {
    let item = item.to_string();
    let mut form: Vec<(&str, &str)> = vec![
        ("item", &item),
        ("question", "Move it to Implementing?"),
        ("background", ""),
        ("method", method),
        ("options", ""),
        ("quorum_votes", "0"),
        ("quorum_lived", "0"),
        ("action", "none"),
    ];
    for (k, v) in extra {
        form.retain(|(key, _)| key != k);
        form.push((k, v));
    }
    let r = pat.call("add_motion", &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    count(app, "SELECT max(id) FROM motions").await
}

async fn member(app: &TestApp, email: &str, role: Role, perspective: Option<&str>) -> Client {
    let mut c = app.signed_in(email, role).await;
    if let Some(p) = perspective {
        let r = c.call("update_profile", &[("display_name", email), (p, "on")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    c
}

async fn vote(c: &mut Client, motion: i64, choice: &str, reason: &str) -> support::Reply {
    c.call("cast_vote", &[("motion", &motion.to_string()), ("choice", choice), ("reason", reason)]).await
}

#[tokio::test]
async fn a_consent_motion_passes_moves_the_prototype_and_lands_on_the_timeline() {
    let (app, _dir) = TestApp::fresh().await;
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let (proto, meeting, item) = setup(&app, &mut pat).await;
    let implementing = stage_id(&app, "Implementing").await;
    let m = motion(
        &app,
        &mut pat,
        item,
        "consent",
        &[("action", "move_stage"), ("stage", &implementing), ("quorum_votes", "3"), ("quorum_lived", "1")],
    )
    .await;
    let mut a = member(&app, "a@example.org", Role::Member, Some("service_user")).await;
    let mut b = member(&app, "b@example.org", Role::Member, Some("commissioner")).await;
    let mut c = member(&app, "c@example.org", Role::DesignGroup, None).await;

    let r = vote(&mut a, m, "agree", "").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "not open yet: {}", r.body);
    pat.call("open_motion", &[("id", &m.to_string()), ("hours", "")]).await;
    assert_eq!(vote(&mut a, m, "agree", "").await.status, StatusCode::OK);
    // A block needs a reason; with one it counts; then the person withdraws it.
    let r = vote(&mut b, m, "block", "").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("reason"));
    assert_eq!(vote(&mut b, m, "block", "Evening cover is not funded").await.status, StatusCode::OK);
    let page = json(&a.call("load_meeting", &[("id", &meeting.to_string())]).await);
    let tally = &page["items"][0]["motions"][0]["tally"];
    assert_eq!(tally["quorum_met"], false, "two of the three votes needed so far");
    assert_eq!(tally["blocks"][0], "Evening cover is not funded");
    assert_eq!(vote(&mut b, m, "agree", "").await.status, StatusCode::OK, "changed until close");
    assert_eq!(vote(&mut c, m, "object", "Check the cost first").await.status, StatusCode::OK);
    assert_eq!(count(&app, "SELECT count(*) FROM ballots").await, 3, "the last vote counts: one each");

    let r = pat.call("close_motion", &[("id", &m.to_string())]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let outcome: String =
        sqlx::query_scalar("SELECT outcome FROM motions").fetch_one(&app.state.db.read).await.unwrap();
    assert_eq!(outcome, "passed");
    let stage: String = sqlx::query_scalar("SELECT s.name FROM prototypes p JOIN stages s ON s.id = p.stage_id")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(stage, "Implementing");
    let view = json(&a.call("prototype", &[("id", &proto.to_string())]).await);
    let timeline = view["timeline"].as_array().unwrap();
    let decision = timeline.iter().find(|e| e["kind"].get("Decision").is_some()).expect("a decision event");
    assert!(decision["note"].as_str().unwrap().contains("Passed: 2 agree"), "{decision}");
    assert!(decision["note"].as_str().unwrap().contains("quorum 3 votes including 1 from service users or carers"));
    let moved = timeline.last().unwrap();
    assert!(moved["note"].as_str().unwrap().starts_with("Decision of March collaborative"), "{moved}");
    // Decisions are immutable: voting and closing again are refused, nothing changes.
    assert_eq!(vote(&mut a, m, "block", "late").await.status, StatusCode::CONFLICT);
    assert_eq!(pat.call("close_motion", &[("id", &m.to_string())]).await.status, StatusCode::CONFLICT);
    assert_eq!(count(&app, "SELECT count(*) FROM timeline_events WHERE kind = 'decision'").await, 1);
    app.stop().await;
}

#[tokio::test]
async fn quorum_not_met_is_no_decision_and_applies_nothing() {
    let (app, _dir) = TestApp::fresh().await;
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let (_, _, item) = setup(&app, &mut pat).await;
    let implementing = stage_id(&app, "Implementing").await;
    let m = motion(
        &app,
        &mut pat,
        item,
        "majority",
        &[("action", "move_stage"), ("stage", &implementing), ("quorum_votes", "2"), ("quorum_lived", "1")],
    )
    .await;
    pat.call("open_motion", &[("id", &m.to_string())]).await;
    let mut a = member(&app, "a@example.org", Role::Member, Some("commissioner")).await;
    let mut b = member(&app, "b@example.org", Role::Member, None).await;
    vote(&mut a, m, "for", "").await;
    vote(&mut b, m, "for", "").await;
    pat.call("close_motion", &[("id", &m.to_string())]).await;
    let (outcome, decision): (String, String) =
        sqlx::query_as("SELECT outcome, decision FROM motions").fetch_one(&app.state.db.read).await.unwrap();
    assert_eq!(outcome, "no_decision", "two votes, none from lived experience");
    assert!(decision.contains("quorum not met"));
    let stage: String = sqlx::query_scalar("SELECT s.name FROM prototypes p JOIN stages s ON s.id = p.stage_id")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_ne!(stage, "Implementing");
    app.stop().await;
}

#[tokio::test]
async fn bad_votes_and_motions_are_refused_and_write_nothing() {
    let (app, _dir) = TestApp::fresh().await;
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let (_, meeting, item) = setup(&app, &mut pat).await;
    // A retired stage cannot be a motion's action.
    let spare: i64 =
        sqlx::query_scalar("INSERT INTO stages (name, position, retired) VALUES ('Old', 60, 1) RETURNING id")
            .fetch_one(&app.state.db.write)
            .await
            .unwrap();
    let item_s = item.to_string();
    let r = pat
        .call(
            "add_motion",
            &[
                ("item", item_s.as_str()),
                ("question", "Move?"),
                ("background", ""),
                ("method", "majority"),
                ("options", ""),
                ("quorum_votes", ""),
                ("quorum_lived", ""),
                ("action", "move_stage"),
                ("stage", &spare.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("retired"));
    assert_eq!(count(&app, "SELECT count(*) FROM motions").await, 0);

    let approval = motion(&app, &mut pat, item, "approval", &[("options", "High street\nGP surgery")]).await;
    let other = motion(&app, &mut pat, item, "approval", &[("options", "Yes\nNo")]).await;
    let secret = motion(&app, &mut pat, item, "majority", &[("secret", "on")]).await;
    let present = motion(&app, &mut pat, item, "majority", &[("present_only", "on")]).await;
    for m in [approval, other, secret, present] {
        pat.call("open_motion", &[("id", &m.to_string())]).await;
    }
    let mut a = member(&app, "a@example.org", Role::Member, None).await;
    let other_option: i64 = sqlx::query_scalar("SELECT id FROM motion_options WHERE motion_id = ? LIMIT 1")
        .bind(other)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let r = a
        .call(
            "cast_vote",
            &[("motion", &approval.to_string()), ("choice", "approve"), ("options[]", &other_option.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "an option of another motion: {}", r.body);
    let r = vote(&mut a, approval, "for", "").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "not a choice of this method");
    // Secret ballots: one vote, never changed, and not linked to the voter.
    assert_eq!(vote(&mut a, secret, "for", "").await.status, StatusCode::OK);
    let r = vote(&mut a, secret, "against", "").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("secret"));
    assert_eq!(
        count(&app, &format!("SELECT count(*) FROM ballots WHERE motion_id = {secret} AND user_id IS NULL")).await,
        1
    );
    // Present only: not without attendance; yes once marked present.
    let r = vote(&mut a, present, "for", "").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let a_id = count(&app, "SELECT id FROM users WHERE email = 'a@example.org'").await;
    pat.call(
        "record_attendance",
        &[("meeting", &meeting.to_string()), ("user", &a_id.to_string()), ("status", "online")],
    )
    .await;
    assert_eq!(vote(&mut a, present, "for", "").await.status, StatusCode::OK);
    // Not eligible: contributors and visitors.
    let mut c = app.signed_in("c@example.org", Role::Contributor).await;
    assert_eq!(vote(&mut c, approval, "approve", "").await.status, StatusCode::FORBIDDEN);
    assert_eq!(vote(&mut app.client(), approval, "approve", "").await.status, StatusCode::UNAUTHORIZED);
    // After close.
    pat.call("close_motion", &[("id", &present.to_string())]).await;
    assert_eq!(vote(&mut a, present, "against", "").await.status, StatusCode::CONFLICT);
    assert_eq!(count(&app, "SELECT count(*) FROM ballots").await, 2, "only the two good votes");
    app.stop().await;
}

#[tokio::test]
async fn approval_ties_hidden_results_and_secret_breakdowns() {
    let (app, _dir) = TestApp::fresh().await;
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let (_, meeting, item) = setup(&app, &mut pat).await;
    let m = motion(
        &app,
        &mut pat,
        item,
        "approval",
        &[("options", "High street\nGP surgery"), ("hide_results", "on"), ("secret", "on")],
    )
    .await;
    pat.call("open_motion", &[("id", &m.to_string())]).await;
    let options: Vec<i64> = sqlx::query_scalar("SELECT id FROM motion_options ORDER BY position")
        .fetch_all(&app.state.db.read)
        .await
        .unwrap();
    let mut voters = Vec::new();
    for i in 0..4 {
        let mut c = member(&app, &format!("v{i}@example.org"), Role::Member, Some("carer")).await;
        let chosen = options[i % 2].to_string();
        let r = c.call("cast_vote", &[("motion", &m.to_string()), ("choice", "approve"), ("options[]", &chosen)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        voters.push(c);
    }
    let page = json(&voters[0].call("load_meeting", &[("id", &meeting.to_string())]).await);
    let motion_view = &page["items"][0]["motions"][0];
    assert!(motion_view["tally"].is_null(), "hidden until close");
    assert_eq!(motion_view["turnout"], 4, "turnout is always shown");
    pat.call("close_motion", &[("id", &m.to_string())]).await;
    let page = json(&voters[0].call("load_meeting", &[("id", &meeting.to_string())]).await);
    let motion_view = &page["items"][0]["motions"][0];
    assert_eq!(motion_view["tally"]["outcome"], "NoDecision");
    assert_eq!(motion_view["tally"]["winners"].as_array().unwrap().len(), 2, "a tie is reported as a tie");
    assert!(motion_view["breakdown"].as_array().unwrap().is_empty(), "four carers on a secret ballot: too few to show");
    assert!(motion_view["ballots"].as_array().unwrap().is_empty(), "no names on a secret ballot");
    app.stop().await;
}

#[tokio::test]
async fn minutes_are_drafted_edited_approved_and_then_final() {
    let (app, _dir) = TestApp::fresh().await;
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let (_, meeting, item) = setup(&app, &mut pat).await;
    let m = motion(&app, &mut pat, item, "majority", &[]).await;
    pat.call("open_motion", &[("id", &m.to_string())]).await;
    let mut a = member(&app, "a@example.org", Role::Member, None).await;
    vote(&mut a, m, "for", "").await;
    pat.call("close_motion", &[("id", &m.to_string())]).await;
    let id = meeting.to_string();
    let page = json(&pat.call("load_meeting", &[("id", &id)]).await);
    let draft = page["minutes_draft"].as_str().unwrap().to_string();
    assert!(draft.contains("- Outcome: Passed: 1 for, 0 against, 0 abstaining"), "{draft}");
    let edited = format!("{draft}\n\nAction: Pat to write to the commissioners.\n");
    assert_eq!(pat.call("save_minutes", &[("meeting", &id), ("text", &edited)]).await.status, StatusCode::OK);
    let r = a.get(&format!("/meetings/{id}/minutes.md")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "not approved yet");
    let r = a.call("save_minutes", &[("meeting", &id), ("text", "mine"), ("intent", "approve")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        pat.call("save_minutes", &[("meeting", &id), ("text", &edited), ("intent", "approve")]).await.status,
        StatusCode::OK
    );
    let r = a.get(&format!("/meetings/{id}/minutes.md")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Action: Pat to write"));
    assert!(r.headers["content-disposition"].to_str().unwrap().contains("minutes-march-collaborative.md"));
    let r = pat.call("save_minutes", &[("meeting", &id), ("text", "rewritten")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "approved minutes are final");
    let r = pat
        .call(
            "add_agenda_item",
            &[
                ("meeting", &id),
                ("kind", "free"),
                ("title", "Late item"),
                ("prototype", ""),
                ("round", ""),
                ("notes", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let page = json(&a.call("load_meeting", &[("id", &id)]).await);
    assert!(page["minutes_html"].as_str().unwrap().contains("Action: Pat to write"));
    app.stop().await;
}

/// 200 copies of one person's vote record one vote; 200 people voting at once all count.
#[tokio::test]
async fn two_hundred_concurrent_votes() {
    let (app, _dir) = TestApp::fresh().await;
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let (_, meeting, item) = setup(&app, &mut pat).await;
    let same = motion(&app, &mut pat, item, "majority", &[]).await;
    let many = motion(&app, &mut pat, item, "majority", &[]).await;
    for m in [same, many] {
        pat.call("open_motion", &[("id", &m.to_string())]).await;
    }
    let one = app.signed_in("one@example.org", Role::Member).await;
    let mut tasks = Vec::new();
    for _ in 0..200 {
        let mut c = one.at(&app);
        tasks.push(tokio::spawn(async move { vote(&mut c, same, "for", "").await.status }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::OK);
    }
    assert_eq!(count(&app, &format!("SELECT count(*) FROM ballots WHERE motion_id = {same}")).await, 1);
    assert_eq!(count(&app, &format!("SELECT count(*) FROM voters WHERE motion_id = {same}")).await, 1);

    // 200 people: accounts made directly (one password hash), each signed in.
    let hash = hashing::hash(support::PASSWORD.into()).await.unwrap();
    let mut clients = Vec::new();
    for i in 0..200 {
        let email = format!("p{i}@example.org");
        store::create_user(
            &app.state.db.write,
            &Email::parse(&email).unwrap(),
            &DisplayName::parse("Voter").unwrap(),
            &hash,
            Role::Member,
            None,
        )
        .await
        .unwrap();
        clients.push(email);
    }
    let mut logins = Vec::new();
    for email in clients {
        let mut c = app.client();
        logins.push(tokio::spawn(async move {
            let r = c.call("login", &[("email", &email), ("password", support::PASSWORD)]).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            c
        }));
    }
    let mut voters = Vec::new();
    for l in logins {
        voters.push(l.await.unwrap());
    }
    let mut tasks = Vec::new();
    for (i, mut c) in voters.into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            vote(&mut c, many, if i % 4 == 0 { "against" } else { "for" }, "").await.status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::OK);
    }
    pat.call("close_motion", &[("id", &many.to_string())]).await;
    let page = json(&pat.call("load_meeting", &[("id", &meeting.to_string())]).await);
    let tally = &page["items"][0]["motions"][1]["tally"];
    assert_eq!(tally["turnout"], 200);
    assert_eq!(tally["counts"][0][1], 150);
    assert_eq!(tally["counts"][1][1], 50);
    app.stop().await;
}

/// Issue 9, finding 10: the adoption stage is found by its flag, so renaming it changes
/// nothing; a timed motion is closed by the background job, not by a page read.
#[tokio::test]
async fn adopting_an_iteration_moves_the_prototype_to_adopted() {
    let (app, _dir) = TestApp::fresh().await;
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let (proto, _, item) = setup(&app, &mut pat).await;
    // Facilitators may rename stages: "Adopted" is now "Taken up".
    sqlx::query("UPDATE stages SET name = 'Taken up' WHERE name = 'Adopted'")
        .execute(&app.state.db.write)
        .await
        .unwrap();
    let r = pat
        .call(
            "add_motion",
            &[
                ("item", &item.to_string()),
                ("question", "Adopt?"),
                ("background", ""),
                ("method", "majority"),
                ("options", ""),
                ("quorum_votes", ""),
                ("quorum_lived", ""),
                ("action", "adopt_iteration"),
                ("iteration", "7"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "iteration 7 does not exist");
    let m = motion(&app, &mut pat, item, "majority", &[("action", "adopt_iteration"), ("iteration", "1")]).await;
    pat.call("open_motion", &[("id", &m.to_string()), ("hours", "2")]).await;
    let mut a = member(&app, "a@example.org", Role::Member, None).await;
    vote(&mut a, m, "for", "").await;
    // Another instance holds the job's lease, so this server's job loop stays out of the way
    // and the test decides when the job runs.
    let job = app::meetings::jobs::close_due_job().name;
    sqlx::query("INSERT INTO job_leases (job, holder, expires_at) VALUES (?, 'another instance', ?) ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at")
        .bind(job)
        .bind(chrono::Utc::now().timestamp() + 3600)
        .execute(&app.state.db.write)
        .await
        .unwrap();
    // Voting was opened for two hours; they have passed.
    sqlx::query("UPDATE motions SET closes_at = closes_at - 3 * 3600").execute(&app.state.db.write).await.unwrap();
    let closes_at = count(&app, "SELECT closes_at FROM motions").await;
    let meeting = count(&app, "SELECT meeting_id FROM motions").await;
    assert_eq!(vote(&mut a, m, "against", "").await.status, StatusCode::CONFLICT, "no votes after the closing time");
    // Reading the meeting writes nothing.
    let page = json(&a.call("load_meeting", &[("id", &meeting.to_string())]).await);
    assert_eq!(page["items"][0]["motions"][0]["status"], "Open");
    assert_eq!(count(&app, "SELECT count(*) FROM motions WHERE status = 'open'").await, 1, "a GET closed the motion");
    // The job closes it, with the decision dated at its closing time.
    assert_eq!(app::meetings::jobs::close_due_motions(&app.state.db.write).await.unwrap(), 1);
    assert_eq!(app::meetings::jobs::close_due_motions(&app.state.db.write).await.unwrap(), 0, "once");
    let page = json(&a.call("load_meeting", &[("id", &meeting.to_string())]).await);
    assert_eq!(page["items"][0]["motions"][0]["status"], "Closed");
    let (stage, note, at): (String, String, i64) = sqlx::query_as(
        "SELECT s.name, e.note, e.at FROM prototypes p JOIN stages s ON s.id = p.stage_id JOIN timeline_events e ON e.prototype_id = p.id WHERE p.id = ? ORDER BY e.id DESC LIMIT 1",
    )
    .bind(proto)
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert_eq!(stage, "Taken up");
    assert!(note.contains("iteration 1 adopted"), "{note}");
    let decided: i64 = sqlx::query_scalar("SELECT at FROM timeline_events WHERE kind = 'decision'")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(decided, closes_at, "the decision is on the timeline at the closing time");
    assert!(at >= closes_at);
    let home = json(&a.call("load_home", &[]).await);
    assert_eq!(home["decisions"][0]["prototype_id"], proto);
    app.stop().await;
}

/// The server's own job loop closes a due motion (here on start, its first tick), and a
/// lease lets exactly one holder run a job until it lapses or is given up.
#[tokio::test]
async fn the_server_closes_due_motions_under_a_lease() {
    let (app, _dir) = TestApp::fresh().await;
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let (_, _, item) = setup(&app, &mut pat).await;
    let m = motion(&app, &mut pat, item, "majority", &[]).await;
    pat.call("open_motion", &[("id", &m.to_string()), ("hours", "1")]).await;
    let url = app.db_url.clone();
    app.stop().await;

    // Leases, directly: one holder at a time; renewable by its holder; taken over once lapsed.
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let job = "test.job";
    assert!(app::jobs::try_lease(&pool, job, "a", 60).await.unwrap());
    assert!(!app::jobs::try_lease(&pool, job, "b", 60).await.unwrap(), "a holds it");
    assert!(app::jobs::try_lease(&pool, job, "a", 60).await.unwrap(), "a renews it");
    sqlx::query("UPDATE job_leases SET expires_at = expires_at - 61 WHERE job = ?")
        .bind(job)
        .execute(&pool)
        .await
        .unwrap();
    assert!(app::jobs::try_lease(&pool, job, "b", 60).await.unwrap(), "a stopped renewing: b takes over");
    app::jobs::release(&pool, job, "b").await.unwrap();
    assert!(app::jobs::try_lease(&pool, job, "c", 60).await.unwrap(), "given up");
    // The stopped server gave its lease up; its motion's time has run out meanwhile.
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM job_leases WHERE job = 'meetings.close_due_motions'")
            .fetch_one(&pool)
            .await
            .unwrap(),
        0
    );
    sqlx::query("UPDATE motions SET closes_at = closes_at - 2 * 3600").execute(&pool).await.unwrap();
    pool.close().await;

    let app = TestApp::spawn(&url).await;
    let mut closed = false;
    for _ in 0..200 {
        if count(&app, "SELECT count(*) FROM motions WHERE status = 'closed'").await == 1 {
            closed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(closed, "the job loop closed the due motion within 10 s of starting");
    app.stop().await;
}

/// Issue 9, finding 3: five service users agree and one commissioner blocks a secret
/// ballot. Showing the service users' row would tell everyone who blocked.
#[tokio::test]
async fn a_secret_ballots_breakdown_cannot_be_subtracted_from_the_tally() {
    let (app, _dir) = TestApp::fresh().await;
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let (_, meeting, item) = setup(&app, &mut pat).await;
    let small = motion(&app, &mut pat, item, "consent", &[("secret", "on")]).await;
    let large = motion(&app, &mut pat, item, "majority", &[("secret", "on")]).await;
    for m in [small, large] {
        pat.call("open_motion", &[("id", &m.to_string())]).await;
    }
    for i in 0..5 {
        let mut c = member(&app, &format!("su{i}@example.org"), Role::Member, Some("service_user")).await;
        assert_eq!(vote(&mut c, small, "agree", "").await.status, StatusCode::OK);
        assert_eq!(vote(&mut c, large, "for", "").await.status, StatusCode::OK);
    }
    let mut commissioners = Vec::new();
    for i in 0..5 {
        commissioners.push(member(&app, &format!("co{i}@example.org"), Role::Member, Some("commissioner")).await);
    }
    assert_eq!(vote(&mut commissioners[0], small, "block", "Not funded").await.status, StatusCode::OK);
    for c in commissioners.iter_mut() {
        assert_eq!(vote(c, large, "against", "").await.status, StatusCode::OK);
    }
    for m in [small, large] {
        pat.call("close_motion", &[("id", &m.to_string())]).await;
    }
    let mut a = member(&app, "a@example.org", Role::Member, None).await;
    let page = json(&a.call("load_meeting", &[("id", &meeting.to_string())]).await);
    let motions = page["items"][0]["motions"].as_array().unwrap();
    assert_eq!(motions[0]["tally"]["blocks"][0], "Not funded");
    assert_eq!(motions[0]["breakdown"], serde_json::json!([]), "5 + 1: no row can be shown");
    // 5 and 5: each group and everyone outside it are 5, so both rows are shown.
    let rows = motions[1]["breakdown"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][1], 5);
    // Closed: the ballots keep no perspective at all (the breakdown is on the motion).
    assert_eq!(count(&app, "SELECT count(*) FROM ballots WHERE perspective != ''").await, 0);
    app.stop().await;
}

/// Issue 9, finding 3: while a secret ballot is open nobody, the facilitator included, sees
/// a tally, a breakdown or the lived-experience turnout: only how many have voted.
#[tokio::test]
async fn an_open_secret_ballot_shows_only_its_turnout() {
    let (app, _dir) = TestApp::fresh().await;
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let (_, meeting, item) = setup(&app, &mut pat).await;
    let m = motion(&app, &mut pat, item, "majority", &[("secret", "on")]).await;
    pat.call("open_motion", &[("id", &m.to_string())]).await;
    let mut a = member(&app, "a@example.org", Role::Member, Some("carer")).await;
    assert_eq!(vote(&mut a, m, "against", "").await.status, StatusCode::OK);
    let id = meeting.to_string();
    for c in [&mut pat, &mut a] {
        let page = json(&c.call("load_meeting", &[("id", &id)]).await);
        let view = &page["items"][0]["motions"][0];
        assert!(view["tally"].is_null(), "a live tally of a secret ballot: {view}");
        assert_eq!(view["breakdown"], serde_json::json!([]));
        assert_eq!(view["turnout"], 1);
        let live = json(&c.call("live_tallies", &[("meeting", &id)]).await);
        assert!(live[0]["tally"].is_null(), "{live}");
        assert_eq!(live[0]["turnout"], 1);
    }
    pat.call("close_motion", &[("id", &m.to_string())]).await;
    let page = json(&a.call("load_meeting", &[("id", &id)]).await);
    assert_eq!(page["items"][0]["motions"][0]["tally"]["counts"][1][1], 1, "the result once closed");
    app.stop().await;
}

/// Issue 9, finding 3: nothing in the database pairs a secret ballot with its voter: no
/// shared time, no ids in voting order, no perspective finer than one breakdown cell, and
/// reasons shown in an order that is not the order of voting.
#[tokio::test]
async fn a_secret_ballot_cannot_be_linked_to_its_voter_in_the_database() {
    let (app, _dir) = TestApp::fresh().await;
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let (_, meeting, item) = setup(&app, &mut pat).await;
    let m = motion(&app, &mut pat, item, "consent", &[("secret", "on"), ("options", "")]).await;
    pat.call("open_motion", &[("id", &m.to_string())]).await;
    let reasons = ["zebra crossing first", "access is poor", "more time"];
    for (i, why) in reasons.iter().enumerate() {
        let mut c = member(&app, &format!("v{i}@example.org"), Role::Member, Some("carer")).await;
        let r = c.call("update_profile", &[("display_name", "Voter"), ("carer", "on"), ("service_user", "on")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(vote(&mut c, m, "block", why).await.status, StatusCode::OK);
    }
    let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info('ballots') ORDER BY name")
        .fetch_all(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(
        columns,
        ["choice", "id", "motion_id", "perspective", "reason", "user_id"],
        "no time, no lived flag, one cell"
    );
    let cells: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT perspective FROM ballots").fetch_all(&app.state.db.read).await.unwrap();
    assert_eq!(cells, ["several"], "a carer who is also a service user: one cell, not the list");
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM ballots").fetch_all(&app.state.db.read).await.unwrap();
    assert!(ids.iter().all(|&id| id > 1 << 32), "ids are random, not 1, 2, 3 in voting order: {ids:?}");
    let options_sql: String = sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE name = 'ballot_options'")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert!(options_sql.contains("WITHOUT ROWID"), "rowids would keep the order of voting");
    pat.call("close_motion", &[("id", &m.to_string())]).await;
    let page = json(&pat.call("load_meeting", &[("id", &meeting.to_string())]).await);
    assert_eq!(
        page["items"][0]["motions"][0]["tally"]["blocks"],
        serde_json::json!(["access is poor", "more time", "zebra crossing first"])
    );
    app.stop().await;
}

/// Issue 9, finding 2: a draft of the minutes is the facilitator's until approved. Neither
/// the JSON nor the server-rendered page gives it to a member.
#[tokio::test]
async fn draft_minutes_reach_only_facilitators_until_approved() {
    let (app, _dir) = TestApp::fresh().await;
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let (_, meeting, _) = setup(&app, &mut pat).await;
    let id = meeting.to_string();
    let words = "Unapproved: Sam said the budget is gone";
    assert_eq!(pat.call("save_minutes", &[("meeting", &id), ("text", words)]).await.status, StatusCode::OK);
    let mut a = member(&app, "a@example.org", Role::Member, None).await;
    let r = a.call("load_meeting", &[("id", &id)]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("Sam said"), "the API gives a member the draft: {}", r.body);
    assert!(!r.body.contains("# Minutes:"), "nor the generated first draft");
    let r = a.get(&format!("/meetings/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("Sam said"), "the page carries the draft");
    let page = json(&pat.call("load_meeting", &[("id", &id)]).await);
    assert_eq!(page["minutes_draft"], words, "the facilitator still has it");
    // Once approved, the minutes are everyone's.
    assert_eq!(
        pat.call("save_minutes", &[("meeting", &id), ("text", words), ("intent", "approve")]).await.status,
        StatusCode::OK
    );
    let page = json(&a.call("load_meeting", &[("id", &id)]).await);
    assert!(page["minutes_html"].as_str().unwrap().contains("Sam said"));
    app.stop().await;
}

/// Migration 7 keeps existing votes: a database as it was before (ids in voting order,
/// times on ballots, perspective lists) comes out with random ids, no times, one cell per
/// ballot (none on a closed secret ballot), `lived` on voters, options still attached, and
/// the adoption stage flagged even though a facilitator had renamed it.
#[tokio::test]
async fn migration_7_keeps_votes_and_unlinks_secret_ballots() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/old.db", dir.path().display());
    let options = url.parse::<sqlx::sqlite::SqliteConnectOptions>().unwrap().create_if_missing(true).foreign_keys(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let mut before = sqlx::migrate!("../migrations");
    before.migrations =
        std::borrow::Cow::Owned(before.migrations.iter().filter(|m| m.version < 20261126000007).cloned().collect());
    before.run(&pool).await.unwrap();
    for sql in [
        "UPDATE stages SET name = 'Taken up' WHERE name = 'Adopted'",
        "INSERT INTO users (id, email, display_name, password_hash, role, created_at) VALUES (1, 'a@x.org', 'A', 'x', 'member', 0), (2, 'b@x.org', 'B', 'x', 'member', 0)",
        "INSERT INTO user_perspectives (user_id, perspective) VALUES (2, 'carer')",
        "INSERT INTO meetings (id, title, starts_at, created_by, created_at) VALUES (1, 'M', 0, 1, 0)",
        "INSERT INTO agenda_items (id, meeting_id, position, kind, title) VALUES (1, 1, 1, 'free', 'Item')",
        "INSERT INTO motions (id, meeting_id, item_id, question, method, secret, status, created_at) VALUES
            (1, 1, 1, 'Open secret', 'approval', 1, 'open', 0), (2, 1, 1, 'Closed open', 'majority', 0, 'closed', 0), (3, 1, 1, 'Closed secret', 'majority', 1, 'closed', 0)",
        "INSERT INTO motion_options (id, motion_id, position, label) VALUES (1, 1, 0, 'One'), (2, 1, 1, 'Two')",
        "INSERT INTO voters (motion_id, user_id, cast_at) VALUES (1, 1, 5), (1, 2, 6), (2, 1, 7), (3, 2, 8)",
        "INSERT INTO ballots (id, motion_id, user_id, choice, lived, perspectives, cast_at) VALUES
            (1, 1, NULL, 'approve', 0, '', 5), (2, 1, NULL, 'approve', 1, 'carer,service_user', 6), (3, 2, 1, 'for', 0, 'commissioner', 7), (4, 3, NULL, 'for', 1, 'carer', 8)",
        "INSERT INTO ballot_options (ballot_id, option_id) VALUES (1, 1), (2, 1), (2, 2)",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    pool.close().await;

    let app = TestApp::spawn(&url).await;
    let rows: Vec<(i64, i64, Option<i64>, String)> =
        sqlx::query_as("SELECT id, motion_id, user_id, perspective FROM ballots ORDER BY motion_id, perspective")
            .fetch_all(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r.0 > 1 << 32), "random ids: {rows:?}");
    let cells: Vec<(i64, &str)> = rows.iter().map(|r| (r.1, r.3.as_str())).collect();
    assert_eq!(
        cells,
        [(1, ""), (1, "several"), (2, "commissioner"), (3, "")],
        "one cell; none left on a closed secret ballot"
    );
    assert_eq!(rows[2].2, Some(1), "an open ballot keeps its voter");
    assert_eq!(count(&app, "SELECT count(*) FROM ballot_options").await, 3);
    assert_eq!(
        count(&app, &format!("SELECT count(*) FROM ballot_options WHERE ballot_id = {}", rows[1].0)).await,
        2,
        "options follow their ballot"
    );
    assert_eq!(count(&app, "SELECT count(*) FROM pragma_foreign_key_check").await, 0);
    let lived: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT motion_id, user_id, lived FROM voters ORDER BY motion_id, user_id")
            .fetch_all(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(lived, [(1, 1, 0), (1, 2, 1), (2, 1, 0), (3, 2, 1)]);
    let adoption: String =
        sqlx::query_scalar("SELECT name FROM stages WHERE adoption = 1").fetch_one(&app.state.db.read).await.unwrap();
    assert_eq!(adoption, "Taken up");
    app.stop().await;
}
