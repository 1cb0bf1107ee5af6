//! The permission table: every server function × every role (visitor, contributor,
//! member, design group, facilitator), called over HTTP, allowed or refused as DESIGN.md says.

mod support;

use app::auth::Role;
use reqwest::StatusCode;
use support::{Client, TestApp};

#[derive(Clone, Copy, Debug)]
enum Who {
    Visitor,
    As(Role),
}

const EVERYONE: [Who; 5] = [Who::Visitor, Who::As(Role::Contributor), Who::As(Role::Member), Who::As(Role::DesignGroup), Who::As(Role::Facilitator)];

/// Which of EVERYONE (in that order) may call each function.
const ANYONE: [bool; 5] = [true, true, true, true, true];
const SIGNED_IN: [bool; 5] = [false, true, true, true, true];
const DESIGN_GROUP: [bool; 5] = [false, false, false, true, true];
const FACILITATORS: [bool; 5] = [false, false, false, false, true];

#[tokio::test]
async fn every_server_function_for_every_role() {
    let (app, _dir) = TestApp::fresh().await;
    let target = app.user("target@example.org", Role::Contributor).await.to_string();
    // A published prototype (readable by every account) with two iterations, and a stage and
    // statement to act on.
    let author = app.user("author@example.org", Role::DesignGroup).await;
    let mut gp = app.client();
    gp.call("login", &[("email", "author@example.org"), ("password", support::PASSWORD)]).await;
    let r = gp.call("create_prototype", &[("title", "Hub"), ("summary", ""), ("body", "one"), ("themes", "")]).await;
    let proto = r.headers["location"].to_str().unwrap().split('/').nth(2).unwrap().to_string();
    gp.call("publish_iteration", &[("id", &proto), ("change_note", "first")]).await;
    gp.call("publish_iteration", &[("id", &proto), ("change_note", "second")]).await;
    let spare_stage: i64 = sqlx::query_scalar("INSERT INTO stages (name, position) VALUES ('Spare', 50) RETURNING id").fetch_one(&app.state.db.write).await.unwrap();
    let statement: i64 = sqlx::query_scalar("INSERT INTO experience_statements (text, position) VALUES ('I am heard', 1) RETURNING id").fetch_one(&app.state.db.write).await.unwrap();
    let (spare_stage, statement, author) = (spare_stage.to_string(), statement.to_string(), author.to_string());
    let testing: i64 = sqlx::query_scalar("SELECT id FROM stages WHERE name = 'Testing'").fetch_one(&app.state.db.read).await.unwrap();
    let testing = testing.to_string();
    // Consultations (issue 4): an open public round with one optional text question, a
    // closed one, an answer and a comment by the author.
    let now = chrono::Utc::now().timestamp();
    let (opens, closes) = (app::consultations::to_local_input(now - 60), app::consultations::to_local_input(now + 86_400));
    let mut rounds = Vec::new();
    for _ in 0..2 {
        let r = gp.call("open_round", &[("prototype", proto.as_str()), ("iteration", "1"), ("title", "Round"), ("purpose", ""), ("audience", "public"), ("opens", &opens), ("closes", &closes),
            ("kind[]", "text"), ("prompt[]", "Anything?"), ("options[]", ""), ("low[]", ""), ("high[]", ""), ("required[]", "no")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        rounds.push(r.headers["location"].to_str().unwrap().split('/').nth(2).unwrap().split('?').next().unwrap().to_string());
    }
    let (round, closed) = (rounds[0].clone(), rounds[1].clone());
    gp.call("close_round", &[("id", closed.as_str())]).await;
    let question: i64 = sqlx::query_scalar("SELECT id FROM questions WHERE round_id = ?").bind(round.parse::<i64>().unwrap()).fetch_one(&app.state.db.read).await.unwrap();
    let r = gp.call("submit_response", &[("round", round.as_str()), ("key", &"a".repeat(32)), (&format!("answers[q{question}]"), "Evenings please")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let answer: i64 = sqlx::query_scalar("SELECT id FROM answers").fetch_one(&app.state.db.read).await.unwrap();
    let response: i64 = sqlx::query_scalar("SELECT id FROM responses").fetch_one(&app.state.db.read).await.unwrap();
    let r = gp.call("add_comment", &[("prototype", proto.as_str()), ("key", &"b".repeat(32)), ("body", "A first comment")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let comment: i64 = sqlx::query_scalar("SELECT id FROM comments").fetch_one(&app.state.db.read).await.unwrap();
    let (answer, response, comment) = (answer.to_string(), response.to_string(), comment.to_string());
    let answer_field = format!("answers[q{question}]");
    const MEMBERS: [bool; 5] = [false, false, true, true, true];
    // Meetings (issue 5): a meeting with an item and three motions (to vote on, to open, to close).
    let mut fac = app.signed_in("setup-facilitator@example.org", Role::Facilitator).await;
    let r = fac.call("schedule_meeting", &[("title", "Meeting"), ("starts", &opens), ("place", "Hub"), ("online_link", "")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let meeting = r.headers["location"].to_str().unwrap().split('/').nth(2).unwrap().to_string();
    fac.call("add_agenda_item", &[("meeting", meeting.as_str()), ("kind", "free"), ("title", "Item"), ("prototype", ""), ("round", ""), ("notes", "")]).await;
    let item: i64 = sqlx::query_scalar("SELECT id FROM agenda_items").fetch_one(&app.state.db.read).await.unwrap();
    let item = item.to_string();
    for _ in 0..3 {
        let r = fac.call("add_motion", &[("item", item.as_str()), ("question", "Agree?"), ("background", ""), ("method", "majority"), ("options", ""), ("quorum_votes", "0"), ("quorum_lived", "0"), ("action", "none")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let motions: Vec<i64> = sqlx::query_scalar("SELECT id FROM motions ORDER BY id").fetch_all(&app.state.db.read).await.unwrap();
    let (to_vote, to_open, to_close) = (motions[0].to_string(), motions[1].to_string(), motions[2].to_string());
    for m in [&to_vote, &to_close] {
        fac.call("open_motion", &[("id", m.as_str())]).await;
    }
    const NOBODY: [bool; 5] = [false, false, false, false, false];
    // (function, form, who may call it). Forms are valid, so an allowed call never fails for permission.
    let table: Vec<(&str, Vec<(&str, String)>, [bool; 5])> = vec![
        ("site_info", vec![], ANYONE),
        ("invitation", vec![("token", "no-such-token".into())], ANYONE),
        ("login", vec![("email", "nobody@example.org".into()), ("password", "a wrong password".into())], ANYONE),
        ("register", vec![("display_name", "New".into()), ("email", "{fresh}".into()), ("password", support::PASSWORD.into())], ANYONE),
        ("logout", vec![], ANYONE),
        ("account", vec![], SIGNED_IN),
        ("update_profile", vec![("display_name", "Renamed".into()), ("carer", "on".into())], SIGNED_IN),
        ("change_password", vec![("current_password", "not my password".into()), ("new_password", "a new long password".into()), ("confirm_password", "a new long password".into())], SIGNED_IN),
        ("list_members", vec![("page", "0".into())], FACILITATORS),
        ("invite_member", vec![("email", "".into()), ("role", "member".into())], FACILITATORS),
        ("set_member_role", vec![("user_id", target.clone()), ("role", "member".into())], FACILITATORS),
        ("set_member_active", vec![("user_id", target.clone()), ("active", "true".into())], FACILITATORS),
        ("set_open_registration", vec![("open", "true".into())], FACILITATORS),
        // Prototypes (issue 3).
        ("board", vec![], SIGNED_IN),
        ("list_prototypes", vec![("q", "Hub".into())], SIGNED_IN),
        ("prototype", vec![("id", proto.clone())], SIGNED_IN),
        ("iteration_page", vec![("id", proto.clone()), ("number", "1".into())], SIGNED_IN),
        ("compare", vec![("id", proto.clone()), ("from", "1".into()), ("to", "2".into())], SIGNED_IN),
        ("list_stages", vec![], SIGNED_IN),
        ("list_statements", vec![], SIGNED_IN),
        ("statement_page", vec![("id", statement.clone())], SIGNED_IN),
        ("load_draft", vec![("id", proto.clone())], DESIGN_GROUP),
        ("preview", vec![("body", "# Hello".into())], DESIGN_GROUP),
        ("create_prototype", vec![("title", "New".into()), ("summary", "".into()), ("body", "b".into()), ("themes", "".into())], DESIGN_GROUP),
        ("save_draft", vec![("id", proto.clone()), ("revision", "1".into()), ("title", "Hub".into()), ("summary", "".into()), ("body", "x".into()), ("themes", "".into()), ("authors[]", author.clone())], DESIGN_GROUP),
        ("publish_iteration", vec![("id", proto.clone()), ("change_note", "another".into())], DESIGN_GROUP),
        ("move_stage", vec![("id", proto.clone()), ("stage", testing.clone()), ("reason", "ready".into())], DESIGN_GROUP),
        ("add_stage", vec![("name", "Extra".into())], FACILITATORS),
        ("rename_stage", vec![("id", spare_stage.clone()), ("name", "Spare stage".into())], FACILITATORS),
        ("reorder_stage", vec![("id", spare_stage.clone()), ("direction", "up".into())], FACILITATORS),
        ("retire_stage", vec![("id", spare_stage.clone()), ("retired", "true".into())], FACILITATORS),
        ("add_statement", vec![("text", "I can get help".into()), ("short_name", "".into())], FACILITATORS),
        ("update_statement", vec![("id", statement.clone()), ("text", "I am heard and answered".into()), ("short_name", "".into())], FACILITATORS),
        ("reorder_statement", vec![("id", statement.clone()), ("direction", "down".into())], FACILITATORS),
        ("retire_statement", vec![("id", statement.clone()), ("retired", "false".into())], FACILITATORS),
        // Consultations and feedback (issue 4).
        ("list_rounds", vec![], ANYONE),
        ("load_round", vec![("id", round.clone())], ANYONE),
        ("submit_response", vec![("round", round.clone()), ("key", "{key}".into()), (answer_field.as_str(), "Yes".into())], ANYONE),
        ("load_receipt", vec![("token", "a".repeat(32))], ANYONE),
        ("load_new_round", vec![("prototype", proto.clone())], DESIGN_GROUP),
        ("open_round", vec![("prototype", proto.clone()), ("iteration", "1".into()), ("title", "Another".into()), ("purpose", "".into()), ("audience", "members".into()), ("opens", opens.clone()), ("closes", closes.clone()),
            ("kind[]", "scale".into()), ("prompt[]", "How much?".into()), ("options[]", "".into()), ("low[]", "".into()), ("high[]", "".into()), ("required[]", "no".into())], DESIGN_GROUP),
        ("close_round", vec![("id", round.clone())], DESIGN_GROUP),
        ("load_results", vec![("id", closed.clone())], MEMBERS),
        ("prototype_comments", vec![("id", proto.clone())], SIGNED_IN),
        ("add_comment", vec![("prototype", proto.clone()), ("key", "{key}".into()), ("body", "Me too".into())], SIGNED_IN),
        ("edit_comment", vec![("id", comment.clone()), ("body", "Not yours".into())], NOBODY),
        ("delete_comment", vec![("id", comment.clone())], NOBODY),
        ("report_comment", vec![("id", comment.clone()), ("reason", "off_topic".into())], SIGNED_IN),
        ("moderation_queue", vec![], FACILITATORS),
        ("moderate", vec![("kind", "comment".into()), ("id", comment.clone()), ("decision", "release".into())], FACILITATORS),
        ("code_themes", vec![("kind", "answer".into()), ("id", answer.clone()), ("themes", "evenings".into())], DESIGN_GROUP),
        ("set_outcome", vec![("kind", "response".into()), ("id", response.clone()), ("iteration", "1".into())], DESIGN_GROUP),
        ("open_feedback", vec![("prototype", proto.clone())], DESIGN_GROUP),
        ("iteration_feedback", vec![("prototype", proto.clone()), ("number", "1".into())], SIGNED_IN),
        ("my_contributions", vec![], SIGNED_IN),
        ("load_safeguarding", vec![], FACILITATORS),
        ("update_safeguarding", vec![("crisis_text", "".into()), ("phrases", "".into())], FACILITATORS),
        ("load_home", vec![], ANYONE),
        // Meetings (issue 5).
        ("list_meetings", vec![], MEMBERS),
        ("load_meeting", vec![("id", meeting.clone())], MEMBERS),
        ("live_tallies", vec![("meeting", meeting.clone())], MEMBERS),
        ("cast_vote", vec![("motion", to_vote.clone()), ("choice", "for".into())], MEMBERS),
        ("schedule_meeting", vec![("title", "Another".into()), ("starts", opens.clone()), ("place", "Hub".into()), ("online_link", "".into())], FACILITATORS),
        ("add_agenda_item", vec![("meeting", meeting.clone()), ("kind", "free".into()), ("title", "More".into()), ("prototype", "".into()), ("round", "".into()), ("notes", "".into())], FACILITATORS),
        ("add_motion", vec![("item", item.clone()), ("question", "More?".into()), ("background", "".into()), ("method", "consent".into()), ("options", "".into()), ("quorum_votes", "".into()), ("quorum_lived", "".into()), ("action", "none".into())], FACILITATORS),
        ("open_motion", vec![("id", to_open.clone())], FACILITATORS),
        ("close_motion", vec![("id", to_close.clone())], FACILITATORS),
        ("record_attendance", vec![("meeting", meeting.clone()), ("user", target.clone()), ("status", "apologies".into())], FACILITATORS),
        ("save_minutes", vec![("meeting", meeting.clone()), ("text", "Draft".into())], FACILITATORS),
    ];

    let mut n = 0;
    let mut failures = Vec::new();
    for (function, form, allowed) in &table {
        for (who, allowed) in EVERYONE.iter().zip(allowed) {
            n += 1;
            let mut client: Client = match who {
                Who::Visitor => app.client(),
                Who::As(role) => app.signed_in(&format!("{function}-{}@example.org", role.as_str()), *role).await,
            };
            let fresh = format!("fresh-{n}@example.org");
            let key = format!("{n:032x}");
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, match v.as_str() { "{fresh}" => fresh.as_str(), "{key}" => key.as_str(), v => v })).collect();
            let r = client.call(function, &form).await;
            let refused = matches!(r.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN);
            let expected_refusal = match who {
                Who::Visitor => StatusCode::UNAUTHORIZED,
                Who::As(_) => StatusCode::FORBIDDEN,
            };
            if *allowed == refused || (!allowed && r.status != expected_refusal) {
                failures.push(format!("{function} as {who:?}: expected {}, got {} {}", if *allowed { "allowed" } else { "refused" }, r.status, r.body));
            }
            if !allowed {
                assert!(!r.body.contains("Internal"), "a refusal is not an error: {}", r.body);
            }
        }
    }
    assert!(failures.is_empty(), "{} of {n} cases wrong:\n{}", failures.len(), failures.join("\n"));
    // Refusals wrote nothing: the target is still a contributor unless a facilitator changed it.
    let role: String = sqlx::query_scalar("SELECT role FROM users WHERE id = ?").bind(target.parse::<i64>().unwrap()).fetch_one(&app.state.db.read).await.unwrap();
    assert_eq!(role, "member", "only the facilitator's call changed it");
    let iterations: i64 = sqlx::query_scalar("SELECT count(*) FROM iterations").fetch_one(&app.state.db.read).await.unwrap();
    assert_eq!(iterations, 4, "two set-up iterations plus one each from the design group and the facilitator");
    let comments: i64 = sqlx::query_scalar("SELECT count(*) FROM comments WHERE body = 'Not yours'").fetch_one(&app.state.db.read).await.unwrap();
    assert_eq!(comments, 0, "nobody but its author edits a comment");
    app.stop().await;
}
