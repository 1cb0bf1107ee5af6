//! Round trips: the statements the meeting pages run, counted from sqlx's own log (issue 10:
//! at most 3 of their own after the request frame), for a facilitator and for a member, on a
//! meeting with several agenda items, motions of each voting method with votes cast (open and
//! secret, open and closed), attendance and draft minutes.

use crate::support;

use app::auth::Role;
use support::{statements, Client, TestApp};

/// The statements a signed-in GET of `path` runs.
async fn statements_for(c: &mut Client, path: &str) -> (String, Vec<String>) {
    let (reply, seen) = statements::during(c.get(path)).await;
    assert_eq!(reply.status, 200, "{path}: {}", reply.body);
    (reply.body, seen)
}

async fn ok(c: &mut Client, name: &str, form: &[(&str, &str)]) -> support::Reply {
    let r = c.call(name, form).await;
    assert_eq!(r.status, 200, "{name}: {}", r.body);
    r
}

async fn last_id(app: &TestApp, table: &str) -> String {
    let id: i64 =
        sqlx::query_scalar(&format!("SELECT max(id) FROM {table}")).fetch_one(&app.state.db.read).await.unwrap();
    id.to_string()
}

/// Adds a motion to `item` and returns its id.
async fn motion(app: &TestApp, pat: &mut Client, item: &str, method: &str, extra: &[(&str, &str)]) -> String {
    let mut form: Vec<(&str, &str)> = vec![
        ("item", item),
        ("question", "Shall we?"),
        ("background", "Some *background*."),
        ("method", method),
        ("options", ""),
        ("quorum_votes", "2"),
        ("quorum_lived", "1"),
        ("action", "none"),
    ];
    for (k, v) in extra {
        form.retain(|(key, _)| key != k);
        form.push((k, v));
    }
    ok(pat, "add_motion", &form).await;
    last_id(app, "motions").await
}

#[tokio::test]
async fn the_meeting_page_and_the_list_read_in_few_statements() {
    let _alone = statements::alone().await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let app = TestApp::spawn_quiet(support::config(&db)).await;
    let mut pat = app.signed_in("pat@lab.test", Role::Facilitator).await;

    // A published prototype, a past meeting and the meeting under test.
    let proto = pat
        .published_prototype(&[
            ("title", "Living Well Hub"),
            ("summary", "One door"),
            ("body", "# One\n\ntext"),
            ("themes", ""),
        ])
        .await
        .to_string();
    let soon = app::time::to_local_input(chrono::Utc::now().timestamp() + 3600);
    let past = app::time::to_local_input(chrono::Utc::now().timestamp() - 30 * 86400);
    for (title, when) in [("February collaborative", past.as_str()), ("March collaborative", soon.as_str())] {
        ok(
            &mut pat,
            "schedule_meeting",
            &[("title", title), ("starts", when), ("place", "The Hub"), ("online_link", "")],
        )
        .await;
    }
    let meeting = last_id(&app, "meetings").await;
    let mut items = Vec::new();
    for (kind, title, prototype) in [
        ("prototype", "Living Well Hub: next step", proto.as_str()),
        ("free", "Evening line", ""),
        ("free", "Any other business", ""),
    ] {
        ok(
            &mut pat,
            "add_agenda_item",
            &[
                ("meeting", &meeting),
                ("kind", kind),
                ("title", title),
                ("prototype", prototype),
                ("round", ""),
                ("notes", "Notes with **Markdown**."),
            ],
        )
        .await;
        items.push(last_id(&app, "agenda_items").await);
    }
    let implementing: i64 = sqlx::query_scalar("SELECT id FROM stages WHERE name = 'Implementing'")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let implementing = implementing.to_string();
    let motions = [
        motion(&app, &mut pat, &items[0], "consent", &[("action", "move_stage"), ("stage", &implementing)]).await,
        motion(&app, &mut pat, &items[0], "majority", &[("action", "adopt_iteration"), ("iteration", "1")]).await,
        motion(&app, &mut pat, &items[1], "majority", &[("secret", "on")]).await,
        motion(&app, &mut pat, &items[1], "approval", &[("options", "High street\nGP surgery\nOnline")]).await,
        motion(&app, &mut pat, &items[2], "consent", &[("hide_results", "on"), ("present_only", "on")]).await,
        motion(&app, &mut pat, &items[2], "majority", &[]).await, // stays a draft
    ];
    for m in &motions[..5] {
        ok(&mut pat, "open_motion", &[("id", m), ("hours", "")]).await;
    }
    let option: i64 =
        sqlx::query_scalar("SELECT min(id) FROM motion_options").fetch_one(&app.state.db.read).await.unwrap();
    let option = option.to_string();

    // Members: attendance, perspectives, votes on every open motion.
    let mut members = Vec::new();
    for (i, perspective) in ["service_user", "carer", "commissioner", "", "service_user", ""].iter().enumerate() {
        let email = format!("m{i}@lab.test");
        let mut c = app.signed_in(&email, Role::Member).await;
        if !perspective.is_empty() {
            ok(&mut c, "update_profile", &[("display_name", &format!("Member {i}")), (perspective, "on")]).await;
        }
        let user: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = ?")
            .bind(&email)
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
        let status = ["in_person", "online", "apologies"][i % 3];
        ok(&mut pat, "record_attendance", &[("meeting", &meeting), ("user", &user.to_string()), ("status", status)])
            .await;
        let consent = if i == 2 { ("object", "Check the cost") } else { ("agree", "") };
        ok(&mut c, "cast_vote", &[("motion", &motions[0]), ("choice", consent.0), ("reason", consent.1)]).await;
        ok(&mut c, "cast_vote", &[("motion", &motions[1]), ("choice", ["for", "against"][i % 2]), ("reason", "")])
            .await;
        ok(&mut c, "cast_vote", &[("motion", &motions[2]), ("choice", ["for", "abstain"][i % 2]), ("reason", "")])
            .await;
        ok(
            &mut c,
            "cast_vote",
            &[("motion", &motions[3]), ("choice", "approve"), ("reason", ""), ("options[]", &option)],
        )
        .await;
        if status != "apologies" {
            ok(&mut c, "cast_vote", &[("motion", &motions[4]), ("choice", "agree"), ("reason", "")]).await;
        }
        members.push(c);
    }
    // Two closed (one secret), the rest open; the facilitator saves draft minutes.
    for m in [&motions[0], &motions[2]] {
        ok(&mut pat, "close_motion", &[("id", m)]).await;
    }
    ok(&mut pat, "save_minutes", &[("meeting", &meeting), ("text", "# Minutes\n\nDraft."), ("intent", "save")]).await;

    let member = &mut members[0];
    let _ = statements_for(member, "/login").await; // warm
    let (_, floor) = statements_for(member, "/login").await;
    let mut failures = Vec::new();
    for (who, c) in [("facilitator", &mut pat), ("member", member)] {
        for path in [format!("/meetings/{meeting}"), "/meetings".to_string()] {
            let (body, seen) = statements_for(c, &path).await;
            assert!(body.contains("March collaborative"), "{who} {path}: the page shows the meeting");
            if path.starts_with("/meetings/") {
                // What the rows become: decisions, live tallies, names on open ballots, options,
                // attendance, the action in words; draft minutes and forms for the facilitator.
                for shown in [
                    "Decision: ",
                    "Who voted how",
                    "High street",
                    "Member 1: Present online",
                    "If it passes, the prototype moves to Implementing.",
                    "Check the cost",
                    "You have voted (secret ballot).",
                ] {
                    assert!(
                        who == "facilitator" && shown.starts_with("You have") || body.contains(shown),
                        "{who} {path}: {shown}"
                    );
                }
                let facilitator = who == "facilitator";
                assert_eq!(body.contains("Draft minutes (Markdown)"), facilitator, "{who}: draft minutes");
                assert_eq!(body.contains("Add a motion to this item"), facilitator, "{who}: forms");
            }
            let own = statements::own(&seen);
            println!(
                "{who} {path}: {} own statements (floor /login: {})\n  {}",
                own.len(),
                floor.len(),
                own.join("\n  ")
            );
            if own.len() > 3 {
                failures.push(format!("{who} {path}: {} own statements", own.len()));
            }
        }
    }
    app.stop().await;
    assert!(failures.is_empty(), "{failures:?}");
}
