//! The learning library (issue 11): notes link every kind of evidence; feedback is quoted
//! only as its consent allows (and held, hidden or removed items can never be linked, and
//! disappear from notes when held later); the public shared page carries no personal data
//! (names, emails and unquotable words seeded in the database never appear in its HTML or
//! its JSON); the list filters and pages in SQL; a theme page gathers everything under one
//! theme. Feedback, rounds and meetings are seeded as the app stores them.

use crate::support;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::SqlitePool;
use support::{Client, TestApp};

async fn scalar(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

async fn exec(pool: &SqlitePool, sql: &str) {
    sqlx::query(sql).execute(pool).await.unwrap();
}

/// Names, emails and words seeded for the people below: none may reach the public page
/// (the quotable words may, without names).
const NAMES: [&str; 4] = ["Alice Quotedname", "Bob Privatename", "Carol Anonname", "Gwen Authorname"];
const EMAILS: [&str; 4] = ["alice@example.org", "bob@example.org", "carol@example.org", "gwen@example.org"];
const NAMED_QUOTE: &str = "Evenings please, nobody answers after five";
const ANONYMOUS_QUOTE: &str = "A phone number that works at weekends";
const PRIVATE_COMMENT: &str = "Bob private words about his housing";
const QUOTABLE_ANSWER: &str = "One person who knows my story";
const PRIVATE_ANSWER: &str = "An answer only for the design group";
const HELD_COMMENT: &str = "Held words nobody may link";

/// Everything a note can point at, for one published prototype.
struct World {
    app: TestApp,
    _dir: tempfile::TempDir,
    gwen: Client,
    proto: i64,
    iteration: i64,
    round: i64,
    meeting: i64,
    decision: i64,
    named_comment: i64,
    anonymous_comment: i64,
    private_comment: i64,
    held_comment: i64,
    quotable_answer: i64,
    private_answer: i64,
}

impl World {
    async fn build() -> World {
        let (app, dir) = TestApp::fresh_quiet().await;
        let mut gwen = app.signed_in("gwen@example.org", Role::DesignGroup).await;
        let proto = gwen
            .published_prototype(&[
                ("title", "Living Well Hub"),
                ("summary", "One front door"),
                ("body", "## The problem\n\nPeople wait."),
                ("themes", "out of hours"),
            ])
            .await;
        let pool = app.state.db.write.clone();
        let alice = app.user("alice@example.org", Role::Member).await;
        let bob = app.user("bob@example.org", Role::Contributor).await;
        let carol = app.user("carol@example.org", Role::Member).await;
        for (email, name) in EMAILS.iter().zip(NAMES) {
            exec(&pool, &format!("UPDATE users SET display_name = '{name}' WHERE email = '{email}'")).await;
        }
        let gwen_id = scalar(&pool, "SELECT id FROM users WHERE email = 'gwen@example.org'").await;
        let iteration = scalar(&pool, &format!("SELECT id FROM iterations WHERE prototype_id = {proto}")).await;
        let round = scalar(
            &pool,
            &format!(
                "INSERT INTO rounds (prototype_id, iteration_number, title, purpose, purpose_html, audience, opens_at, closes_at, created_by, created_at)
                 VALUES ({proto}, 1, 'First round', '', '', 'public', 1, 2, {gwen_id}, 1) RETURNING id"
            ),
        )
        .await;
        let question = scalar(
            &pool,
            &format!("INSERT INTO questions (round_id, position, kind, prompt) VALUES ({round}, 0, 'text', 'What would help?') RETURNING id"),
        )
        .await;
        let meeting = scalar(
            &pool,
            &format!("INSERT INTO meetings (title, starts_at, created_by, created_at) VALUES ('March meeting', 1, {gwen_id}, 1) RETURNING id"),
        )
        .await;
        let item = scalar(
            &pool,
            &format!(
                "INSERT INTO agenda_items (meeting_id, position, kind, title, prototype_id) VALUES ({meeting}, 0, 'prototype', 'The hub', {proto}) RETURNING id"
            ),
        )
        .await;
        let decision = scalar(
            &pool,
            &format!(
                "INSERT INTO motions (meeting_id, item_id, question, prototype_id, method, status, outcome, decided_at, created_at)
                 VALUES ({meeting}, {item}, 'Adopt iteration 1?', {proto}, 'majority', 'closed', 'passed', 3, 1) RETURNING id"
            ),
        )
        .await;
        let comment = |author: i64, anonymous: i64, consent: &str, body: &str, status: &str| {
            format!(
                "INSERT INTO comments (prototype_id, author_id, anonymous, consent, body, status, form_key_hash, created_at)
                 VALUES ({proto}, {author}, {anonymous}, '{consent}', '{body}', '{status}', lower(hex(randomblob(16))), 1) RETURNING id"
            )
        };
        let named_comment = scalar(&pool, &comment(alice, 0, "quote_with_name", NAMED_QUOTE, "published")).await;
        let anonymous_comment =
            scalar(&pool, &comment(carol, 1, "quote_with_name", ANONYMOUS_QUOTE, "published")).await;
        let private_comment = scalar(&pool, &comment(bob, 0, "design_group_only", PRIVATE_COMMENT, "published")).await;
        let held_comment = scalar(&pool, &comment(alice, 0, "quote_with_name", HELD_COMMENT, "held")).await;
        let answer = |consent: &str, text: &str| {
            let consent = consent.to_string();
            let text = text.to_string();
            let pool = pool.clone();
            async move {
                let response = scalar(
                    &pool,
                    &format!(
                        "INSERT INTO responses (round_id, user_id, consent, submission_hash, created_at)
                         VALUES ({round}, {bob}, '{consent}', lower(hex(randomblob(16))), 1) RETURNING id"
                    ),
                )
                .await;
                scalar(
                    &pool,
                    &format!(
                        "INSERT INTO answers (response_id, question_id, text) VALUES ({response}, {question}, '{text}') RETURNING id"
                    ),
                )
                .await
            }
        };
        let quotable_answer = answer("quote_anonymously", QUOTABLE_ANSWER).await;
        let private_answer = answer("design_group_only", PRIVATE_ANSWER).await;
        World {
            app,
            _dir: dir,
            gwen,
            proto,
            iteration,
            round,
            meeting,
            decision,
            named_comment,
            anonymous_comment,
            private_comment,
            held_comment,
            quotable_answer,
            private_answer,
        }
    }

    /// Every piece of evidence, as the editor's checkboxes send it.
    fn all_evidence(&self) -> Vec<String> {
        vec![
            format!("iteration:{}", self.iteration),
            format!("round:{}", self.round),
            format!("decision:{}", self.decision),
            format!("meeting:{}", self.meeting),
            format!("comment:{}", self.named_comment),
            format!("comment:{}", self.anonymous_comment),
            format!("comment:{}", self.private_comment),
            format!("answer:{}", self.quotable_answer),
            format!("answer:{}", self.private_answer),
        ]
    }

    async fn notes(&self) -> i64 {
        scalar(&self.app.state.db.read, "SELECT count(*) FROM learning_notes").await
    }
}

/// A note's form: the fields, then one `evidence[]` per piece of evidence.
fn note_form<'a>(
    title: &'a str,
    kind: &'a str,
    proto: &'a str,
    shareable: bool,
    evidence: &'a [String],
) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("title", title),
        ("body", "People wanted an evening line more than a new building.\n\n- ask early\n- ask often"),
        ("kind", kind),
        ("themes", "out of hours, one phone number"),
        ("prototype", proto),
    ];
    if shareable {
        form.push(("shareable", "on"));
    }
    form.extend(evidence.iter().map(|e| ("evidence[]", e.as_str())));
    form
}

/// Creates a note as `who` and returns its id (from the redirect to `/library/{id}?saved=1`).
async fn create(who: &mut Client, form: &[(&str, &str)]) -> i64 {
    let r = who.call("create_note", form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.location().starts_with("/library/") && r.location().ends_with("?saved=1"), "{}", r.location());
    r.created_id()
}

async fn publish(who: &mut Client, id: i64) {
    let r = who.call("publish_note", &[("id", &id.to_string())]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.location(), format!("/library/{id}?published=1"));
}

/// The note's evidence items with the given variant ("Link", "Quote", …), each its fields.
fn items(note: &Value, variant: &str) -> Vec<Value> {
    note["evidence"].as_array().unwrap().iter().filter_map(|e| e.get(variant).cloned()).collect()
}

#[tokio::test]
async fn notes_link_every_kind_of_evidence_and_quote_only_as_consent_allows() {
    let mut w = World::build().await;
    let proto = w.proto.to_string();
    let all = w.all_evidence();

    // Held feedback can never be linked; nor can what does not exist; nothing is written.
    let mut with_held = all.clone();
    with_held.push(format!("comment:{}", w.held_comment));
    let r = w.gwen.call("create_note", &note_form("Evenings", "worked", &proto, false, &with_held)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("not published any more"), "{}", r.body);
    assert!(r.body.contains("Evenings"), "what was typed is kept: {}", r.body);
    let missing = vec!["meeting:999999".to_string()];
    let r = w.gwen.call("create_note", &note_form("Evenings", "worked", &proto, false, &missing)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("could not be found"), "{}", r.body);
    let r = w.gwen.call("create_note", &note_form("Evenings", "best ever", &proto, false, &all)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "kinds come from the fixed list");
    assert_eq!(w.notes().await, 0, "a refused note writes nothing");

    // Members cannot write notes; the design group can.
    let mut member = w.app.signed_in("member@example.org", Role::Member).await;
    let r = member.call("create_note", &note_form("Mine", "worked", &proto, false, &all)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let id = create(&mut w.gwen, &note_form("Evenings matter", "surprise", &proto, false, &all)).await;
    let evidence_rows =
        scalar(&w.app.state.db.read, &format!("SELECT count(*) FROM note_evidence WHERE note_id = {id}")).await;
    assert_eq!(evidence_rows, 9, "every kind of evidence is linked");

    // A draft is the design group's: "not found" for members.
    let r = member.call("library_note", &[("id", &id.to_string())]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let draft = w.gwen.call("library_note", &[("id", &id.to_string())]).await.json();
    assert_eq!(draft["draft"], true);
    assert_eq!(draft["kind"], "Surprise");
    publish(&mut w.gwen, id).await;

    // A member: links to each page; quotes as consent allows.
    let note = member.call("library_note", &[("id", &id.to_string())]).await;
    assert_eq!(note.status, StatusCode::OK, "{}", note.body);
    let body = note.body.clone();
    let note = note.json();
    assert_eq!(note["draft"], false);
    let hrefs: Vec<String> = items(&note, "Link").iter().map(|l| l["href"].as_str().unwrap().to_string()).collect();
    for want in [
        format!("/prototypes/{}/iterations/1", w.proto),
        format!("/consultations/{}/results", w.round),
        format!("/meetings/{}#motion-{}", w.meeting, w.decision),
        format!("/meetings/{}", w.meeting),
    ] {
        assert!(hrefs.contains(&want), "{want} in {hrefs:?}");
    }
    let quotes = items(&note, "Quote");
    let quote = |text: &str| quotes.iter().find(|q| q["text"] == text).cloned();
    assert_eq!(quote(NAMED_QUOTE).expect("quoted with name")["by"], "Alice Quotedname");
    assert!(quote(ANONYMOUS_QUOTE).expect("posted anonymously, still quotable")["by"].is_null());
    assert!(quote(QUOTABLE_ANSWER).expect("quotable anonymously")["by"].is_null());
    assert_eq!(items(&note, "NotForQuoting").len(), 2, "the two design-group-only items");
    for hidden in [PRIVATE_COMMENT, PRIVATE_ANSWER, "Bob Privatename", "Carol Anonname"] {
        assert!(!body.contains(hidden), "a member is not sent {hidden:?}");
    }

    // The design group reads every published word, with names unless posted anonymously.
    let designer = w.gwen.call("library_note", &[("id", &id.to_string())]).await;
    assert!(designer.body.contains(PRIVATE_COMMENT) && designer.body.contains(PRIVATE_ANSWER), "{}", designer.body);
    assert!(designer.body.contains("Bob Privatename") && !designer.body.contains("Carol Anonname"));

    // Held after it was linked: gone for everyone, at once.
    exec(&w.app.state.db.write, &format!("UPDATE comments SET status = 'held' WHERE id = {}", w.named_comment)).await;
    for who in [&mut member, &mut w.gwen] {
        let r = who.call("library_note", &[("id", &id.to_string())]).await;
        assert!(!r.body.contains(NAMED_QUOTE), "{}", r.body);
        assert_eq!(items(&r.json(), "Unavailable").len(), 1);
    }

    // Editing keeps it published; contributors and visitors read nothing.
    let keep = vec![format!("iteration:{}", w.iteration)];
    let id_field = id.to_string();
    let mut form = vec![("id", id_field.as_str())];
    form.extend(note_form("Evenings matter most", "surprise", &proto, false, &keep));
    let r = w.gwen.call("save_note", &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let note = member.call("library_note", &[("id", &id.to_string())]).await.json();
    assert_eq!((note["title"].as_str(), note["draft"].as_bool()), (Some("Evenings matter most"), Some(false)));
    assert_eq!(note["evidence"].as_array().unwrap().len(), 1);
    let mut contributor = w.app.signed_in("contributor@example.org", Role::Contributor).await;
    assert_eq!(contributor.call("library_note", &[("id", &id.to_string())]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.app.client().call("library_note", &[("id", &id.to_string())]).await.status, StatusCode::UNAUTHORIZED);
    w.app.stop().await;
}

#[tokio::test]
async fn the_shared_page_shows_no_personal_data() {
    let mut w = World::build().await;
    let proto = w.proto.to_string();
    let all = w.all_evidence();
    let id = create(&mut w.gwen, &note_form("One evening line", "worked", &proto, true, &all)).await;
    let mut visitor = w.app.client();
    let path = format!("/library/{id}/shared");

    // A draft, even a shareable one, has no public page; nor has a note not marked shareable.
    assert_eq!(visitor.call("shared_note", &[("id", &id.to_string())]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(visitor.get(&path).await.status, StatusCode::NOT_FOUND);
    let private = create(&mut w.gwen, &note_form("Members only", "method", &proto, false, &all)).await;
    publish(&mut w.gwen, private).await;
    assert_eq!(visitor.call("shared_note", &[("id", &private.to_string())]).await.status, StatusCode::NOT_FOUND);

    publish(&mut w.gwen, id).await;
    let json = visitor.call("shared_note", &[("id", &id.to_string())]).await;
    assert_eq!(json.status, StatusCode::OK, "{}", json.body);
    let page = visitor.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("One evening line") && page.body.contains("an evening line more than a new building"));
    for body in [&json.body, &page.body] {
        // Quotes people agreed to (anonymously or with their name) appear, never a name.
        for quoted in [NAMED_QUOTE, ANONYMOUS_QUOTE, QUOTABLE_ANSWER] {
            assert!(body.contains(quoted), "{quoted:?} is quotable");
        }
        for personal in NAMES.iter().chain(EMAILS.iter()).chain([PRIVATE_COMMENT, PRIVATE_ANSWER, HELD_COMMENT].iter())
        {
            assert!(!body.contains(personal), "{personal:?} on the public page");
        }
        assert!(!body.contains("Test person"), "no account's name at all");
        // No decisions or meetings (internal business), no counts, no author.
        assert!(!body.contains("Adopt iteration 1?") && !body.contains("March meeting"));
    }
    let shared = json.json();
    assert_eq!(shared["prototype"], "Living Well Hub");
    assert_eq!(shared["quotes"].as_array().unwrap().len(), 3);
    let mut keys: Vec<&String> = shared.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        ["body_html", "kind", "prototype", "quotes", "sources", "themes", "title"],
        "nothing else is sent"
    );

    // Held later: the quote leaves the public page too.
    exec(&w.app.state.db.write, &format!("UPDATE comments SET status = 'hidden' WHERE id = {}", w.anonymous_comment))
        .await;
    let again = visitor.call("shared_note", &[("id", &id.to_string())]).await;
    assert!(!again.body.contains(ANONYMOUS_QUOTE), "{}", again.body);
    w.app.stop().await;
}

#[tokio::test]
async fn the_library_filters_pages_and_gathers_themes() {
    let mut w = World::build().await;
    let proto = w.proto.to_string();
    let pool = w.app.state.db.write.clone();
    let none: Vec<String> = Vec::new();
    let worked = create(&mut w.gwen, &note_form("It worked", "worked", &proto, false, &none)).await;
    let method = create(&mut w.gwen, &note_form("How we asked", "method", "", false, &none)).await;
    let draft = create(&mut w.gwen, &note_form("Still thinking", "surprise", &proto, false, &none)).await;
    publish(&mut w.gwen, worked).await;
    publish(&mut w.gwen, method).await;
    // Values and statements are the prototype's.
    let value =
        scalar(&pool, "INSERT INTO lab_values (name, position) VALUES ('Equal partners', 1) RETURNING id").await;
    exec(&pool, &format!("INSERT INTO prototype_values (prototype_id, value_id) VALUES ({}, {value})", w.proto)).await;
    let statement = scalar(
        &pool,
        "INSERT INTO experience_statements (text, position) VALUES ('Easy in, easy out', 1) RETURNING id",
    )
    .await;
    exec(
        &pool,
        &format!("INSERT INTO prototype_statements (prototype_id, statement_id) VALUES ({}, {statement})", w.proto),
    )
    .await;

    let mut member = w.app.signed_in("member@example.org", Role::Member).await;
    let titles = |v: &Value, list: &str| -> Vec<String> {
        v[list].as_array().unwrap().iter().map(|n| n["title"].as_str().unwrap().to_string()).collect()
    };
    let all = member.call("list_notes", &[]).await.json();
    assert_eq!(titles(&all, "notes"), ["How we asked", "It worked"], "newest first, published only");
    assert!(all["drafts"].as_array().unwrap().is_empty() && all["can_write"] == false);
    for (filter, want) in [
        (("kind", "worked".to_string()), vec!["It worked"]),
        (("theme", "one phone number".to_string()), vec!["How we asked", "It worked"]),
        (("prototype", proto.clone()), vec!["It worked"]),
        (("value", value.to_string()), vec!["It worked"]),
        (("statement", statement.to_string()), vec!["It worked"]),
    ] {
        let v = member.call("list_notes", &[(filter.0, filter.1.as_str())]).await.json();
        assert_eq!(titles(&v, "notes"), want, "{filter:?}");
    }
    let designer = w.gwen.call("list_notes", &[]).await.json();
    assert_eq!(titles(&designer, "drafts"), ["Still thinking"]);
    assert_eq!(designer["can_write"], true);

    // Pages of 20, in SQL.
    exec(
        &pool,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25)
         INSERT INTO learning_notes (title, body, body_html, kind, status, created_at, updated_at, published_at)
         SELECT 'Bulk ' || i, 'b', '<p>b</p>', 'method', 'published', 1, 1, 1 FROM n",
    )
    .await;
    let first = member.call("list_notes", &[("page", "0")]).await.json();
    assert_eq!((first["notes"].as_array().unwrap().len(), first["has_more"].as_bool()), (20, Some(true)));
    let second = member.call("list_notes", &[("page", "1")]).await.json();
    assert_eq!((second["notes"].as_array().unwrap().len(), second["has_more"].as_bool()), (7, Some(false)));

    // The editor, as the prompts open it: the evidence named is ticked, the prototype's other
    // evidence offered, held feedback never.
    let iteration = format!("iteration:{}", w.iteration);
    let form =
        w.gwen.call("load_note_form", &[("prototype", proto.as_str()), ("evidence[]", iteration.as_str())]).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let form = form.json();
    let values = |list: &str| -> Vec<String> {
        form[list].as_array().unwrap().iter().map(|o| o["value"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(values("linked"), std::slice::from_ref(&iteration));
    let offered = values("offered");
    for want in [
        format!("round:{}", w.round),
        format!("decision:{}", w.decision),
        format!("meeting:{}", w.meeting),
        format!("comment:{}", w.private_comment),
        format!("answer:{}", w.quotable_answer),
    ] {
        assert!(offered.contains(&want), "{want} in {offered:?}");
    }
    assert!(!offered.contains(&format!("comment:{}", w.held_comment)), "held feedback is never offered");
    assert!(!offered.contains(&iteration), "not offered twice");
    // Publishing iteration N knows its number, not its id: the prompt may name it so.
    let by_number = w.gwen.call("load_note_form", &[("prototype", proto.as_str()), ("iteration", "1")]).await.json();
    assert_eq!(by_number["linked"][0]["value"].as_str(), Some(iteration.as_str()));
    assert_eq!(member.call("load_note_form", &[]).await.status, StatusCode::FORBIDDEN);

    // A theme: prototypes, notes, and coded feedback for the design group only.
    exec(
        &pool,
        &format!(
            "INSERT INTO feedback_themes (item_kind, item_id, theme, round_id) VALUES
                ('comment', {}, 'out of hours', NULL), ('comment', {}, 'out of hours', NULL), ('answer', {}, 'out of hours', {})",
            w.private_comment, w.held_comment, w.quotable_answer, w.round
        ),
    )
    .await;
    let t = member.call("theme_page", &[("name", "out of hours")]).await.json();
    assert_eq!(t["prototypes"][0]["title"], "Living Well Hub");
    assert_eq!(titles(&t, "notes"), ["How we asked", "It worked"]);
    assert!(t["feedback"].is_null(), "coded feedback is the design group's");
    let t = w.gwen.call("theme_page", &[("name", " out  of hours ")]).await;
    assert!(t.body.contains(PRIVATE_COMMENT) && t.body.contains(QUOTABLE_ANSWER), "{}", t.body);
    assert!(!t.body.contains(HELD_COMMENT), "held items are never gathered");
    let t = t.json();
    assert_eq!(titles(&t, "drafts"), ["Still thinking"]);
    assert_eq!(t["feedback"].as_array().unwrap().len(), 2);

    // The pages render for the design group (and the editor works from a prompt's link).
    for path in [
        "/library".to_string(),
        format!("/library/{worked}"),
        format!("/library/{worked}/edit"),
        format!("/library/new?prototype={}&evidence=iteration%3A{}", w.proto, w.iteration),
        format!("/library/new?prototype={}&iteration=1&evidence=decision:{}", w.proto, w.decision),
        "/themes/out%20of%20hours".to_string(),
    ] {
        let r = w.gwen.get(&path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    }
    let r = w.gwen.get(&format!("/library/new?prototype={}&evidence=iteration%3A{}", w.proto, w.iteration)).await;
    assert!(r.body.contains(&format!("value=\"iteration:{}\"", w.iteration)), "the prompt's evidence is pre-linked");
    assert!(r.body.contains("Check the text names nobody"), "the shareable reminder is on the form");
    let _ = draft;
    w.app.stop().await;
}
