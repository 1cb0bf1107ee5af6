//! Search (issue 11): ranking, stemming, phrases and exclusions, hostile input against the
//! real index, filters and pages, and the permission matrix: every role × every content
//! state, each state carrying a word of its own, asserting exactly what each role finds.
//! Then: a removed comment is unfindable the moment it is removed, and (after erasure's
//! compaction) gone from the database file.

use crate::support;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::SqlitePool;
use support::{Client, TestApp};

async fn exec(pool: &SqlitePool, sql: &str) {
    sqlx::query(sql).execute(pool).await.unwrap_or_else(|e| panic!("{e}: {sql}"));
}

async fn scalar(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap_or_else(|e| panic!("{e}: {sql}"))
}

/// A search as the page makes it; the answer must be a 200 with JSON.
async fn search(c: &mut Client, form: &[(&str, &str)]) -> Value {
    let r = c.call("search", form).await;
    assert_eq!(r.status, StatusCode::OK, "{form:?}: {}", r.body);
    // No name is ever stored in the index, so none can come back (every test account is
    // called "Test person").
    assert!(!r.body.contains("Test person"), "a name in search results: {}", r.body);
    r.json()
}

/// The results' kinds and plain titles, best first.
fn titles(v: &Value) -> Vec<(String, String)> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let title: String =
                r["title"].as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap()).collect::<String>();
            (r["kind"].as_str().unwrap().to_string(), title)
        })
        .collect()
}

fn total(v: &Value) -> i64 {
    v["total"].as_i64().unwrap()
}

/// Whether `c` finds `word` (a visitor is asked to sign in, and so finds nothing).
async fn finds(c: &mut Client, word: &str) -> bool {
    let r = c.call("search", &[("q", word)]).await;
    if r.status == StatusCode::UNAUTHORIZED {
        return false;
    }
    assert_eq!(r.status, StatusCode::OK, "{word}: {}", r.body);
    assert!(!r.body.contains("Test person"), "a name in search results: {}", r.body);
    let v = r.json();
    let n = total(&v);
    let shown = v["results"].as_array().unwrap().len() as i64;
    assert_eq!(n > 0, shown > 0, "the count and the results agree: {v}");
    let counted: i64 = v["kinds"].as_array().unwrap().iter().map(|k| k["count"].as_i64().unwrap()).sum();
    assert_eq!(counted, n, "the kind counts add up to the total: {v}");
    n > 0
}

/// The id in a comment redirect (`…#comment-{id}`).
fn comment_id(r: &support::Reply) -> i64 {
    let l = r.location();
    l.rsplit("#comment-").next().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no comment id in {l:?}"))
}

#[tokio::test]
async fn ranking_stemming_phrases_exclusions_and_hostile_input() {
    let (app, _dir) = TestApp::fresh_quiet().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let titled = gp
        .published_prototype(&[
            ("title", "Lantern hub"),
            ("summary", "A place to meet"),
            ("body", "Open most days."),
            ("themes", "evenings"),
        ])
        .await;
    gp.published_prototype(&[
        ("title", "Quiet room"),
        ("summary", "Somewhere calm"),
        ("body", "We put a lantern in the window so people know the evening line is open."),
        ("themes", ""),
    ])
    .await;
    let mut reader = app.signed_in("reader@example.org", Role::Contributor).await;
    let r = reader
        .comment(titled, "The bus waits outside the café in the evening, and there is no crisis line nearby.", None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let comment = comment_id(&r);

    // A title match outranks a body match.
    let v = search(&mut reader, &[("q", "lantern")]).await;
    let found = titles(&v);
    assert!(found.len() >= 3, "{found:?}");
    assert!(found[0].1.contains("Lantern hub") && found[1].1.contains("Lantern hub"), "titles first: {found:?}");
    assert!(found[2].1.contains("Quiet room"), "{found:?}");
    // The matched word is marked in the title, and nothing in a snippet is HTML.
    assert!(v["results"][0]["title"].as_array().unwrap().iter().any(|s| s["hit"] == true && s["text"] == "Lantern"));
    assert!(v["searched"].as_str().unwrap().contains("“lantern”"), "{v}");

    // Stemming and folded accents: "waiting" finds "waits", "cafe" finds "café".
    let v = search(&mut reader, &[("q", "waiting")]).await;
    assert_eq!(titles(&v), [("comment".to_string(), "Comment on “Lantern hub”".to_string())]);
    assert_eq!(v["results"][0]["link"], format!("/prototypes/{titled}#comment-{comment}"));
    assert!(v["results"][0]["snippet"].as_array().unwrap().iter().any(|s| s["hit"] == true && s["text"] == "waits"));
    assert_eq!(total(&search(&mut reader, &[("q", "cafe")]).await), 1);

    // Phrases and exclusions.
    assert_eq!(total(&search(&mut reader, &[("q", "\"evening line\"")]).await), 1, "only the exact phrase");
    assert!(total(&search(&mut reader, &[("q", "evening line")]).await) >= 2, "both words anywhere");
    let v = search(&mut reader, &[("q", "line -crisis")]).await;
    assert!(titles(&v).iter().all(|(k, _)| k != "comment"), "the comment says crisis: {v}");
    assert!(v["searched"].as_str().unwrap().contains("without “crisis”"), "{v}");
    let v = search(&mut reader, &[("q", "-crisis")]).await;
    assert_eq!(total(&v), 0);
    assert!(v["problem"].as_str().unwrap().contains("at least one word"), "{v}");

    // Filters: kind, theme and stage.
    let v = search(&mut reader, &[("q", "lantern"), ("kind", "iteration")]).await;
    assert!(titles(&v).iter().all(|(k, _)| k == "iteration") && total(&v) == 2, "{v}");
    assert!(v["kinds"].as_array().unwrap().len() >= 2, "the other kinds are still counted: {v}");
    let v = search(&mut reader, &[("q", "lantern"), ("theme", "evenings")]).await;
    assert!(titles(&v).iter().all(|(_, t)| t.contains("Lantern hub")) && total(&v) == 2, "{v}");
    assert!(v["themes"].as_array().unwrap().iter().any(|t| t == "evenings"), "{v}");
    let stage = scalar(&app.state.db.read, &format!("SELECT stage_id FROM prototypes WHERE id = {titled}")).await;
    assert!(total(&search(&mut reader, &[("q", "lantern"), ("stage", &stage.to_string())]).await) >= 3);
    let other = scalar(&app.state.db.read, &format!("SELECT max(id) FROM stages WHERE id <> {stage}")).await;
    assert_eq!(total(&search(&mut reader, &[("q", "lantern"), ("stage", &other.to_string())]).await), 0);
    assert_eq!(reader.call("search", &[("q", "x"), ("kind", "ballot")]).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(reader.call("search", &[("q", "x"), ("page", "-1")]).await.status, StatusCode::BAD_REQUEST);

    // Nothing typed is nothing found, not an error.
    let v = search(&mut reader, &[("q", "")]).await;
    assert!(v["searched"].is_null() && v["results"].as_array().unwrap().is_empty(), "{v}");

    // Hostile input never reaches the index as syntax.
    let long = "lantern ".repeat(1_300);
    let quotes = "\"".repeat(10_240);
    for q in [
        "\"unbalanced",
        "lantern\"",
        "NEAR(",
        "NEAR(lantern window, 2)",
        "*",
        "lant*",
        "title:lantern",
        "body:",
        "{title body}: lantern",
        "^lantern",
        "lantern AND",
        "OR lantern",
        "NOT",
        "lantern NOT",
        "(lantern",
        ")",
        "-",
        "--lantern",
        "\"\"",
        "'; DROP TABLE search_docs; --",
        "\u{E000}lantern\u{E001}",
        "lantern\u{0}window",
        "💡 lantern",
        long.as_str(),
        quotes.as_str(),
    ] {
        let v = search(&mut reader, &[("q", q)]).await;
        assert!(v["results"].is_array(), "{q:?}: {v}");
    }
    let v = search(&mut reader, &[("q", &long)]).await;
    assert!(v["searched"].as_str().unwrap().contains("only its first part"), "{v}");
    assert!(v["q"].as_str().unwrap().chars().count() <= 200);
    assert_eq!(total(&search(&mut reader, &[("q", "title:lantern")]).await), 0, "a column filter is plain text");
    // Who may open a thing and its kind are words of the index (migration 26), in a column
    // no typed word reaches: typing them finds nothing, not everything.
    for tag in ["audcontributor", "auddesigngroup", "kindcomment", "tags:audcontributor", "{tags}:kindnote"] {
        assert_eq!(total(&search(&mut reader, &[("q", tag)]).await), 0, "{tag}");
    }
    // The counts by kind, from the index alone, agree with the kind filter's pages and with
    // the count read row by row (a stage filter goes that way).
    let v = search(&mut reader, &[("q", "lantern")]).await;
    let by_stage = search(&mut reader, &[("q", "lantern"), ("stage", &stage.to_string())]).await;
    for k in v["kinds"].as_array().unwrap() {
        let kind = k["kind"].as_str().unwrap();
        let only = search(&mut reader, &[("q", "lantern"), ("kind", kind)]).await;
        assert_eq!(only["results"].as_array().unwrap().len() as i64, k["count"].as_i64().unwrap(), "{kind}: {v}");
        assert!(only["results"].as_array().unwrap().iter().all(|r| r["kind"] == kind), "{only}");
        let staged = by_stage["kinds"].as_array().unwrap().iter().find(|s| s["kind"] == kind);
        assert!(staged.is_none_or(|s| s["count"].as_i64() <= k["count"].as_i64()), "{by_stage}");
    }

    // One account searching in a loop is held to a minute's allowance (a soft limit per
    // server); someone else still searches.
    let mut busy = app.signed_in("loop@example.org", Role::Contributor).await;
    for _ in 0..app::throttle::SEARCHES_PER_MINUTE {
        assert_eq!(busy.call("search", &[("q", "lantern")]).await.status, StatusCode::OK);
    }
    let r = busy.call("search", &[("q", "lantern")]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.body.contains("TooOften"), "{}", r.body);
    assert_eq!(reader.call("search", &[("q", "lantern")]).await.status, StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn results_are_paged_and_comments_link_to_their_page() {
    let (app, _dir) = TestApp::fresh_quiet().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let proto = gp.published_prototype(&[("title", "Hub"), ("summary", ""), ("body", "Words."), ("themes", "")]).await;
    let pool = &app.state.db.write;
    let author = scalar(pool, "SELECT id FROM users WHERE email = 'gp@example.org'").await;
    // 75 comments (as add_comment stores them): the last ones are on the thread's second page.
    for n in 0..75 {
        exec(
            pool,
            &format!(
                "INSERT INTO comments (prototype_id, author_id, body, form_key_hash, created_at)
                 VALUES ({proto}, {author}, 'Pagingword number {n}', 'paging-{n}', {n})"
            ),
        )
        .await;
    }
    exec(pool, "UPDATE comments SET thread_id = id").await;
    let v = search(&mut gp, &[("q", "pagingword")]).await;
    assert_eq!((total(&v), v["results"].as_array().unwrap().len(), v["has_more"].as_bool()), (75, 20, Some(true)));
    let v = search(&mut gp, &[("q", "pagingword"), ("page", "3")]).await;
    assert_eq!((v["results"].as_array().unwrap().len(), v["has_more"].as_bool()), (15, Some(false)));
    let last = scalar(pool, "SELECT max(id) FROM comments").await;
    let v = search(&mut gp, &[("q", "\"pagingword number 74\"")]).await;
    assert_eq!(v["results"][0]["link"], format!("/prototypes/{proto}?comments=1#comment-{last}"), "{v}");
    app.stop().await;
}

/// Everything there is, in every state, each with a word of its own.
struct Planted {
    /// (word, what it is, found by [visitor, contributor, member, design group, facilitator])
    rows: Vec<(&'static str, &'static str, [bool; 5])>,
}

const NOBODY: [bool; 5] = [false; 5];
const SIGNED_IN: [bool; 5] = [false, true, true, true, true];
const MEMBERS: [bool; 5] = [false, false, true, true, true];
const DESIGN_GROUP: [bool; 5] = [false, false, false, true, true];

#[tokio::test]
async fn each_role_finds_exactly_what_it_may_open() {
    let (app, dir) = TestApp::fresh_quiet().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let mut fac = app.signed_in("fac@example.org", Role::Facilitator).await;
    let mut contributor = app.signed_in("contributor@example.org", Role::Contributor).await;
    let mut member = app.signed_in("member@example.org", Role::Member).await;
    let mut visitor = app.client();
    let pool = app.state.db.write.clone();
    let gp_id = scalar(&pool, "SELECT id FROM users WHERE email = 'gp@example.org'").await;

    // Prototypes: one published (its iteration's body and a second iteration's change note),
    // one never published, with a comment of the design group's.
    let proto = gp
        .published_prototype(&[
            ("title", "Evening line"),
            ("summary", "A phone line"),
            ("body", "## How it works\n\nZephyriteration calls come through."),
            ("themes", "evenings"),
        ])
        .await;
    let r = gp.call("publish_iteration", &[("id", &proto.to_string()), ("change_note", "Marmosetchange added")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = gp
        .call(
            "create_prototype",
            &[("title", "Quokkadraft plan"), ("summary", ""), ("body", "Wombatdraftbody"), ("themes", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let draft = r.created_id();
    let r = gp.comment(draft, "Cranecomment on the draft", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Comments, through the app: published, anonymous, held by triage, hidden by a
    // facilitator, removed by their author.
    let r = contributor.comment(proto, "Pelicancomment about evenings", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let key = contributor.comment_key(proto).await;
    let p = proto.to_string();
    let r = contributor
        .call(
            "add_comment",
            &[("prototype", &p), ("key", &key), ("body", "Ibiscomment said quietly"), ("anonymous", "on")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = contributor.comment(proto, "Heroncomment: some days I want to die", None).await;
    assert!(r.location().contains("held=1"), "held by triage: {}", r.location());
    let r = contributor.comment(proto, "Egretcomment to be hidden", None).await;
    let hidden = comment_id(&r).to_string();
    let r = fac
        .call("moderate", &[("kind", "comment"), ("id", &hidden), ("decision", "hide"), ("reason", "Off topic")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = contributor.comment(proto, "Storkcomment to be removed", None).await;
    let removed = comment_id(&r).to_string();
    let r = contributor.call("delete_comment", &[("id", &removed)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Answers to a round on the published prototype (as submit_response stores them):
    // design group only, quotable anonymously, and one held by triage.
    exec(
        &pool,
        &format!(
            "INSERT INTO rounds (prototype_id, iteration_number, title, purpose, purpose_html, audience, opens_at, closes_at, created_by, created_at)
             VALUES ({proto}, 1, 'First round', '', '', 'public', 1, 2, {gp_id}, 1)"
        ),
    )
    .await;
    exec(&pool, "INSERT INTO questions (round_id, position, kind, prompt) VALUES ((SELECT max(id) FROM rounds), 0, 'text', 'What would help?')").await;
    for (word, consent, anonymous, status) in [
        ("Otteranswer", "design_group_only", 0, "published"),
        ("Beaveranswer", "quote_anonymously", 1, "published"),
        ("Badgeranswer", "quote_with_name", 0, "held"),
    ] {
        exec(
            &pool,
            &format!(
                "INSERT INTO responses (round_id, user_id, anonymous, consent, submission_hash, status, created_at)
                 VALUES ((SELECT max(id) FROM rounds), {gp_id}, {anonymous}, '{consent}', '{word}', '{status}', 1)"
            ),
        )
        .await;
        exec(
            &pool,
            &format!(
                "INSERT INTO answers (response_id, question_id, text)
                 VALUES ((SELECT max(id) FROM responses), (SELECT max(id) FROM questions), '{word} in my words')"
            ),
        )
        .await;
    }

    // Learning notes, statements, values.
    for (word, status) in [("Falconnote", "draft"), ("Kestrelnote", "published")] {
        exec(
            &pool,
            &format!(
                "INSERT INTO learning_notes (prototype_id, title, body, body_html, kind, status, created_by, created_at, updated_at)
                 VALUES ({proto}, 'What we learned', '{word} taught us', '', 'worked', '{status}', {gp_id}, 1, 1)"
            ),
        )
        .await;
    }
    exec(&pool, "INSERT INTO experience_statements (text, position) VALUES ('Lynxstatement: I am heard', 1)").await;
    exec(
        &pool,
        "INSERT INTO experience_statements (text, position, retired) VALUES ('Ocelotstatement: retired', 2, 1)",
    )
    .await;
    exec(&pool, "INSERT INTO lab_values (name, description, position) VALUES ('Pumavalue', 'Care', 1)").await;

    // Meetings: draft minutes, approved minutes, a closed secret ballot (its stored result
    // carries a reason given with an objection), and a motion still open.
    exec(
        &pool,
        &format!(
            "INSERT INTO meetings (title, starts_at, created_by, created_at, minutes_draft)
             VALUES ('April meeting', 1, {gp_id}, 1, 'Walrusminutes not yet approved')"
        ),
    )
    .await;
    exec(
        &pool,
        &format!(
            "INSERT INTO meetings (title, starts_at, created_by, created_at, minutes_approved)
             VALUES ('March meeting', 1, {gp_id}, 1, 'Narwhalminutes agreed by all')"
        ),
    )
    .await;
    let meeting = scalar(&pool, "SELECT max(id) FROM meetings").await;
    exec(
        &pool,
        &format!("INSERT INTO agenda_items (meeting_id, position, kind, title) VALUES ({meeting}, 0, 'free', 'Votes')"),
    )
    .await;
    exec(
        &pool,
        &format!(
            "INSERT INTO motions (meeting_id, item_id, question, method, secret, status, created_at)
             VALUES ({meeting}, (SELECT max(id) FROM agenda_items), 'Jaguarmotion: adopt it?', 'consent', 1, 'open', 1)"
        ),
    )
    .await;
    let secret = scalar(&pool, "SELECT max(id) FROM motions").await;
    exec(&pool, &format!("INSERT INTO ballots (motion_id, user_id, choice, reason) VALUES ({secret}, NULL, 'object', 'Cougarreason')")).await;
    exec(
        &pool,
        &format!(
            "UPDATE motions SET status = 'closed', outcome = 'passed', decided_at = 2,
                decision = json_object('summary', 'Passed: Tamarinsummary', 'objections', json_array('Cougarreason'), 'blocks', json_array())
             WHERE id = {secret}"
        ),
    )
    .await;
    exec(
        &pool,
        &format!(
            "INSERT INTO motions (meeting_id, item_id, question, method, status, created_at)
             VALUES ({meeting}, (SELECT max(id) FROM agenda_items), 'Tapirmotion: still open?', 'majority', 'open', 1)"
        ),
    )
    .await;

    let planted = Planted {
        rows: vec![
            ("zephyriteration", "a published iteration's body", SIGNED_IN),
            ("marmosetchange", "a change note", SIGNED_IN),
            ("quokkadraft", "a prototype never published (title)", DESIGN_GROUP),
            ("wombatdraftbody", "a prototype never published (working text)", DESIGN_GROUP),
            ("cranecomment", "a comment on a prototype never published", DESIGN_GROUP),
            ("pelicancomment", "a published comment", SIGNED_IN),
            ("ibiscomment", "an anonymous published comment", SIGNED_IN),
            ("heroncomment", "a comment held by triage", NOBODY),
            ("egretcomment", "a hidden comment", NOBODY),
            ("storkcomment", "a removed comment", NOBODY),
            ("otteranswer", "an answer for the design group only", DESIGN_GROUP),
            ("beaveranswer", "an answer quotable anonymously", DESIGN_GROUP),
            ("badgeranswer", "a held answer", NOBODY),
            ("falconnote", "a draft learning note", DESIGN_GROUP),
            ("kestrelnote", "a published learning note", MEMBERS),
            ("lynxstatement", "an experience statement", SIGNED_IN),
            ("ocelotstatement", "a retired statement", NOBODY),
            ("pumavalue", "a value", SIGNED_IN),
            ("jaguarmotion", "a closed secret ballot's question", MEMBERS),
            ("tamarinsummary", "a closed secret ballot's decision", MEMBERS),
            ("cougarreason", "a reason given with a secret objection", NOBODY),
            ("tapirmotion", "a motion still open", NOBODY),
            ("walrusminutes", "draft minutes", NOBODY),
            ("narwhalminutes", "approved minutes", MEMBERS),
        ],
    };
    let roles = ["visitor", "contributor", "member", "design group", "facilitator"];
    let mut wrong = Vec::new();
    for (word, what, expected) in &planted.rows {
        let clients: [&mut Client; 5] = [&mut visitor, &mut contributor, &mut member, &mut gp, &mut fac];
        for ((c, want), role) in clients.into_iter().zip(expected).zip(roles) {
            if finds(c, word).await != *want {
                wrong.push(format!("{role} {} {what} ({word})", if *want { "should find" } else { "found" }));
            }
        }
    }
    assert!(wrong.is_empty(), "search shows the wrong things:\n{}", wrong.join("\n"));
    assert_eq!(visitor.call("search", &[("q", "pelicancomment")]).await.status, StatusCode::UNAUTHORIZED);

    // Counts and filter choices come only from what the viewer may open: one word in a
    // published comment, a draft note and a design-group answer.
    exec(
        &pool,
        "INSERT INTO note_themes (note_id, theme) VALUES ((SELECT id FROM learning_notes WHERE body LIKE 'Falconnote%'), 'draftonlytheme')",
    )
    .await;
    let v = search(&mut contributor, &[("q", "evenings")]).await;
    assert!(v["kinds"].as_array().unwrap().iter().all(|k| k["kind"] != "note" && k["kind"] != "answer"), "{v}");
    assert!(!v["themes"].as_array().unwrap().iter().any(|t| t == "draftonlytheme"), "{v}");
    let v = search(&mut gp, &[("q", "evenings")]).await;
    assert!(v["themes"].as_array().unwrap().iter().any(|t| t == "draftonlytheme"), "{v}");

    // Links go to the exact place.
    let v = search(&mut fac, &[("q", "narwhalminutes")]).await;
    assert_eq!(v["results"][0]["link"], format!("/meetings/{meeting}#minutes-heading"));
    let v = search(&mut fac, &[("q", "jaguarmotion")]).await;
    assert_eq!(v["results"][0]["link"], format!("/meetings/{meeting}#motion-{secret}"));
    let v = search(&mut fac, &[("q", "otteranswer")]).await;
    assert!(v["results"][0]["link"].as_str().unwrap().starts_with("/consultations/"), "{v}");
    assert!(v["results"][0]["link"].as_str().unwrap().contains("/results#answer-"), "{v}");
    let v = search(&mut member, &[("q", "zephyriteration")]).await;
    let links: Vec<&str> = v["results"].as_array().unwrap().iter().map(|r| r["link"].as_str().unwrap()).collect();
    assert!(links.contains(&format!("/prototypes/{proto}/iterations/1").as_str()), "{links:?}");
    assert!(links.contains(&format!("/prototypes/{proto}/iterations/2").as_str()), "{links:?}");

    // A published comment is unfindable the moment it is removed, and findable the moment
    // a held one is released.
    let r = contributor.comment(proto, "Vanishingword for a moment", None).await;
    let vanishing = comment_id(&r).to_string();
    assert!(finds(&mut member, "vanishingword").await);
    let r = contributor.call("delete_comment", &[("id", &vanishing)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!finds(&mut member, "vanishingword").await, "removed, so gone");
    let held = scalar(&pool, "SELECT id FROM comments WHERE status = 'held'").await.to_string();
    let r = fac.call("moderate", &[("kind", "comment"), ("id", &held), ("decision", "release")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(finds(&mut member, "heroncomment").await, "released, so found");
    // A prototype's first iteration opens its comments to everyone signed in.
    assert!(!finds(&mut contributor, "cranecomment").await);
    let r = gp.call("publish_iteration", &[("id", &draft.to_string()), ("change_note", "First")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(finds(&mut contributor, "cranecomment").await, "published, so its comments are readable");
    assert!(finds(&mut contributor, "quokkadraft").await, "published, so its title is readable");

    // Erasure's compaction leaves no trace of removed words in the file (the index keeps a
    // deleted word until it is rebuilt: `privacy::erase::compact` rebuilds it).
    app::privacy::erase::compact(&pool).await.unwrap();
    let mut bytes = std::fs::read(dir.path().join("test.db")).unwrap();
    if let Ok(wal) = std::fs::read(dir.path().join("test.db-wal")) {
        bytes.extend(wal);
    }
    for gone in ["storkcomment", "vanishingword"] {
        assert!(
            !bytes.windows(gone.len()).any(|w| w.eq_ignore_ascii_case(gone.as_bytes())),
            "{gone} is still in the file"
        );
    }
    app.stop().await;
}

/// A word in over 5,000 things: titles with it come first (ranked), then the rest newest
/// first; the pages split the results exactly (no repeats, none lost), exclusions still
/// hold, and the page says how it is ordered.
#[tokio::test]
async fn a_very_common_word_lists_titles_first_then_newest() {
    let (app, _dir) = TestApp::fresh_quiet().await;
    let pool = app.state.db.write.clone();
    let mut reader = app.signed_in("reader@example.org", Role::Contributor).await;
    // Written straight into the index's table (its triggers index them), oldest first.
    let mut tx = pool.begin().await.unwrap();
    for (title, body) in
        [("Commonword hub", "a"), ("Commonword line", "b"), ("Commonword but excluded", "excludedword")]
    {
        sqlx::query("INSERT INTO search_docs (kind, ref_id, audience, heading, title, body) VALUES ('value', (SELECT coalesce(max(ref_id), 0) + 1 FROM search_docs), 'contributor', ?, ?, ?)")
            .bind(title)
            .bind(title)
            .bind(body)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10200)
         INSERT INTO search_docs (kind, ref_id, audience, heading, title, body)
         SELECT 'statement', 100 + i, CASE WHEN i % 2 = 0 THEN 'contributor' ELSE 'design_group' END, 'S', '', 'commonword number ' || i FROM n",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let v = search(&mut reader, &[("q", "commonword")]).await;
    assert_eq!(total(&v), 3 + 5100, "what a contributor may open: {}", v["searched"]);
    assert!(v["order_note"].as_str().unwrap().contains("title come first"), "{}", v["order_note"]);
    let found = titles(&v);
    assert!(found[..3].iter().all(|(_, t)| t.starts_with("Commonword")), "{found:?}");
    // Then newest first: the newest contributor-readable row's number is 10200.
    assert!(v["results"][3]["snippet"].to_string().contains("10200"), "{}", v["results"][3]);
    assert!(v["results"][4]["snippet"].to_string().contains("10198"), "{}", v["results"][4]);
    // Pages split the results exactly.
    let mut seen = std::collections::HashSet::new();
    for page in 0..3 {
        let v = search(&mut reader, &[("q", "commonword"), ("page", &page.to_string())]).await;
        for r in v["results"].as_array().unwrap() {
            assert!(seen.insert(r.to_string()), "repeated on page {page}: {r}");
        }
    }
    assert_eq!(seen.len(), 60);
    // An exclusion holds in both tiers.
    let v = search(&mut reader, &[("q", "commonword -excludedword")]).await;
    assert_eq!(total(&v), 2 + 5100);
    assert!(titles(&v).iter().all(|(_, t)| !t.contains("excluded")), "{v}");
    // A rare word is still ranked whole, with no note.
    let v = search(&mut reader, &[("q", "hub")]).await;
    assert!(v["order_note"].is_null(), "{v}");
    app.stop().await;
}
