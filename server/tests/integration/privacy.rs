//! People's own data (issue 13): an export holds everything of one person and nothing of
//! anyone else's; erasure leaves no trace of the person in the database file, keeps the
//! words they agreed could be quoted (anonymously) and keeps vote counts; signing in during
//! the grace period cancels it; a facilitator acts on a request by phone; retention removes
//! what is past its time and reports it. Jobs are driven directly (no background jobs run).

use crate::support;

use std::io::Read;

use app::auth::Role;
use reqwest::StatusCode;
use sqlx::SqlitePool;
use support::{Client, TestApp};

async fn scalar(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

async fn exec(pool: &SqlitePool, sql: &str) {
    sqlx::query(sql).execute(pool).await.unwrap();
}

/// A GET's status and raw bytes (a ZIP is not text).
async fn download(c: &Client, path: &str) -> (StatusCode, Vec<u8>) {
    let http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(120)).build().unwrap();
    let mut req = http.get(format!("{}{path}", c.base));
    if let Some(cookie) = c.cookies() {
        req = req.header("cookie", cookie);
    }
    let res = req.send().await.unwrap();
    (res.status(), res.bytes().await.unwrap().to_vec())
}

/// The two files of an export ZIP: (index.html, data.json).
fn unzip(bytes: &[u8]) -> (String, String) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP file");
    let mut read = |name: &str| {
        let mut s = String::new();
        archive.by_name(name).unwrap_or_else(|_| panic!("{name} in the ZIP")).read_to_string(&mut s).unwrap();
        s
    };
    (read("index.html"), read("data.json"))
}

/// Everything a person can leave behind, each thing carrying a phrase of its own, seeded as
/// the app writes it. Returns the phrases, by what they are.
async fn seed(pool: &SqlitePool, user: i64, tag: &str, proto: i64, motion: i64, secret: i64) -> Vec<String> {
    let p = |what: &str| format!("{tag}-{what}");
    let name = p("Name");
    exec(pool, &format!("UPDATE users SET display_name = '{name}' WHERE id = {user}")).await;
    exec(pool, &format!("INSERT INTO user_perspectives (user_id, perspective) VALUES ({user}, 'carer')")).await;
    let round: i64 = scalar(pool, &format!("SELECT id FROM rounds WHERE prototype_id = {proto}")).await;
    let question: i64 = scalar(pool, &format!("SELECT id FROM questions WHERE round_id = {round}")).await;
    for (what, anonymous, consent) in [
        ("Comment", 0, "design_group_only"),
        ("AnonComment", 1, "design_group_only"),
        ("QuotedComment", 0, "quote_anonymously"),
    ] {
        exec(
            pool,
            &format!(
                "INSERT INTO comments (prototype_id, author_id, anonymous, consent, body, form_key_hash, created_at)
                 VALUES ({proto}, {user}, {anonymous}, '{consent}', '{}', lower(hex(randomblob(16))), 1)",
                p(what)
            ),
        )
        .await;
    }
    for (what, anonymous, consent) in [
        ("Answer", 0, "design_group_only"),
        ("AnonAnswer", 1, "design_group_only"),
        ("QuotedAnswer", 0, "quote_with_name"),
    ] {
        let response: i64 = sqlx::query_scalar(
            "INSERT INTO responses (round_id, user_id, anonymous, consent, submission_hash, created_at)
             VALUES (?, ?, ?, ?, lower(hex(randomblob(16))), 1) RETURNING id",
        )
        .bind(round)
        .bind(user)
        .bind(anonymous)
        .bind(consent)
        .fetch_one(pool)
        .await
        .unwrap();
        exec(
            pool,
            &format!(
                "INSERT INTO answers (response_id, question_id, text) VALUES ({response}, {question}, '{}')",
                p(what)
            ),
        )
        .await;
    }
    exec(
        pool,
        &format!(
            "INSERT INTO ballots (motion_id, user_id, choice, reason) VALUES ({motion}, {user}, 'for', '{}')",
            p("Reason")
        ),
    )
    .await;
    exec(pool, &format!("INSERT INTO voters (motion_id, user_id, cast_at) VALUES ({motion}, {user}, 1)")).await;
    exec(pool, &format!("INSERT INTO voters (motion_id, user_id, cast_at) VALUES ({secret}, {user}, 1)")).await;
    exec(pool, &format!("INSERT INTO ballots (motion_id, user_id, choice) VALUES ({secret}, NULL, 'against')")).await;
    exec(
        pool,
        &format!(
            "INSERT INTO notifications (user_id, kind, prototype_id, created_at) VALUES ({user}, 'reply', {proto}, 1)"
        ),
    )
    .await;
    // Evaluation (issue 12): a measure they added, a reading they entered at a site, and the
    // site's roll-out as they last set it.
    exec(
        pool,
        &format!(
            "INSERT INTO sites (name, kind, created_at) VALUES ('{site}', 'gp_practice', 1);
             INSERT INTO measures (prototype_id, name, kind, direction, position, created_by, created_at, updated_at)
             VALUES ({proto}, '{measure}', 'number', 'lower', {user}, {user}, 1, 1);
             INSERT INTO readings (measure_id, value, taken_on, site_id, source, entered_by, entered_at)
             VALUES ((SELECT max(id) FROM measures), 12.5, '2026-01-15', (SELECT max(id) FROM sites), '{source}', {user}, 1);
             INSERT INTO rollouts (prototype_id, site_id, status, since, live_on, note, updated_by, updated_at)
             VALUES ({proto}, (SELECT max(id) FROM sites), 'live', '2026-01-01', '2026-01-01', '{note}', {user}, 1);
             INSERT INTO timeline_events (prototype_id, kind, at, actor_id, note, ref_id, detail)
             VALUES ({proto}, 'rollout', 1, {user}, '{earlier}', (SELECT max(id) FROM sites), 'planned')",
            site = p("Site"),
            measure = p("Measure"),
            source = p("ReadingSource"),
            note = p("RolloutNote"),
            earlier = p("EarlierRolloutNote"),
        ),
    )
    .await;
    [
        "Name",
        "Comment",
        "AnonComment",
        "QuotedComment",
        "Answer",
        "AnonAnswer",
        "QuotedAnswer",
        "Reason",
        "Site",
        "Measure",
        "ReadingSource",
        "RolloutNote",
        "EarlierRolloutNote",
    ]
    .into_iter()
    .map(p)
    .collect()
}

/// A published prototype with a closed round of one text question, and a meeting with an
/// open-ballot motion and a secret one: (prototype, motion, secret motion).
async fn setting(app: &TestApp, gp: &mut Client) -> (i64, i64, i64) {
    let proto = gp
        .published_prototype(&[("title", "Living Well Hub"), ("summary", ""), ("body", "Hello"), ("themes", "")])
        .await;
    let pool = &app.state.db.write;
    let gp_id = scalar(pool, "SELECT id FROM users WHERE email = 'gp@example.org'").await;
    exec(
        pool,
        &format!(
            "INSERT INTO rounds (prototype_id, iteration_number, title, purpose, purpose_html, audience, opens_at, closes_at, created_by, created_at)
             VALUES ({proto}, 1, 'First round', '', '', 'public', 1, 2, {gp_id}, 1)"
        ),
    )
    .await;
    exec(pool, "INSERT INTO questions (round_id, position, kind, prompt) VALUES ((SELECT max(id) FROM rounds), 0, 'text', 'What would help?')").await;
    exec(
        pool,
        &format!(
            "INSERT INTO meetings (title, starts_at, created_by, created_at, minutes_approved) VALUES ('March meeting', 1, {gp_id}, 1, '')"
        ),
    )
    .await;
    exec(pool, "INSERT INTO agenda_items (meeting_id, position, kind, title) VALUES ((SELECT max(id) FROM meetings), 0, 'free', 'Votes')").await;
    let motion = |secret: i64| {
        format!(
            "INSERT INTO motions (meeting_id, item_id, question, method, secret, status, created_at)
             VALUES ((SELECT max(id) FROM meetings), (SELECT max(id) FROM agenda_items), 'Adopt it? {secret}', 'majority', {secret}, 'open', 1)
             RETURNING id"
        )
    };
    let open: i64 = sqlx::query_scalar(&motion(0)).fetch_one(pool).await.unwrap();
    let secret: i64 = sqlx::query_scalar(&motion(1)).fetch_one(pool).await.unwrap();
    (proto, open, secret)
}

#[tokio::test]
async fn an_export_holds_everything_of_one_person_and_nothing_of_anyone_elses() {
    let (app, _dir) = TestApp::fresh_quiet().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let (proto, motion, secret) = setting(&app, &mut gp).await;
    let mut alice = app.signed_in("alice@example.org", Role::Member).await;
    let bob = app.signed_in("bob@example.org", Role::Member).await;
    let pool = &app.state.db.write;
    let alice_id = scalar(pool, "SELECT id FROM users WHERE email = 'alice@example.org'").await;
    let bob_id = scalar(pool, "SELECT id FROM users WHERE email = 'bob@example.org'").await;
    let mut planted = seed(pool, alice_id, "Alice", proto, motion, secret).await;
    let alices = planted.clone();
    planted.extend(seed(pool, bob_id, "Bob", proto, motion, secret).await);
    planted.push("bob@example.org".into());

    let r = alice.call("export_my_data", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.location(), "/account/data?export=ready", "a small account's export is made at once");
    let page = alice.call("load_my_data", &[]).await.json();
    let link = page["requests"][0]["download"].as_str().expect("a download link").to_string();
    let (status, zip) = download(&alice, &link).await;
    assert_eq!(status, StatusCode::OK);
    let (html, json) = unzip(&zip);
    assert!(html.contains("alice@example.org") && json.contains("alice@example.org"));

    // The diff: of everything planted for both, exactly Alice's is in each file.
    for file in [&html, &json] {
        let found: Vec<&String> = planted.iter().filter(|p| file.contains(p.as_str())).collect();
        let expected: Vec<&String> = alices.iter().collect();
        assert_eq!(found, expected, "the export holds exactly Alice's things");
    }
    let data: serde_json::Value = serde_json::from_str(&json).unwrap();
    let reading = &data["readings_entered"][0];
    assert_eq!(
        (reading["value"].as_f64(), reading["taken_on"].as_str()),
        (Some(12.5), Some("2026-01-15")),
        "{reading}"
    );
    assert_eq!(data["rollouts_updated"][0]["status"], "live");
    let change = &data["timeline_changes"][0];
    assert_eq!((change["kind"].as_str(), change["status"].as_str()), (Some("rollout"), Some("planned")), "{change}");
    assert!(html.contains("Readings you entered") && html.contains("Roll-out changes you made"));
    assert_eq!(data["secret_votes"].as_array().unwrap().len(), 1, "that she voted in the secret ballot");
    assert!(!json.contains("against"), "never how: the secret ballot's choice is not hers to show");
    assert!(html.contains("cannot be linked to you"), "the page says why secret votes are missing");

    // Only Alice may download it: not Bob, not a facilitator, not a visitor (all "not found").
    assert_eq!(download(&bob, &link).await.0, StatusCode::NOT_FOUND);
    let mut fac = app.signed_in("fac@example.org", Role::Facilitator).await;
    assert_eq!(download(&fac, &link).await.0, StatusCode::NOT_FOUND);
    assert_eq!(download(&app.client(), &link).await.0, StatusCode::UNAUTHORIZED);

    // On her behalf (she phoned): the facilitator gets the file, without her anonymous words.
    let r = fac.call("export_data_for", &[("user_id", &alice_id.to_string()), ("channel", "phone")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page = fac.call("load_data_for", &[("user_id", &alice_id.to_string())]).await.json();
    assert_eq!(page["requests"][0]["how"], "A facilitator, for a request by phone");
    let link = page["requests"][0]["download"].as_str().unwrap().to_string();
    let (status, zip) = download(&fac, &link).await;
    assert_eq!(status, StatusCode::OK);
    let (html, json) = unzip(&zip);
    for file in [&html, &json] {
        assert!(file.contains("Alice-Comment") && file.contains("Alice-Answer"));
        assert!(!file.contains("Alice-AnonComment") && !file.contains("Alice-AnonAnswer"), "anonymous words stay hers");
        assert!(!file.contains("Bob-"));
    }
    let audited =
        scalar(pool, &format!("SELECT count(*) FROM data_requests WHERE user_id = {alice_id} AND kind = 'export'"))
            .await;
    assert_eq!(audited, 2, "both exports are on record");
    let files = scalar(pool, "SELECT count(*) FROM data_exports").await;
    assert_eq!(files, 1, "one file per person: the newer replaced hers");
    // A facilitator cannot act for another facilitator.
    let fac_id = scalar(pool, "SELECT id FROM users WHERE email = 'fac@example.org'").await;
    let mut fac2 = app.signed_in("fac2@example.org", Role::Facilitator).await;
    let r = fac2.call("export_data_for", &[("user_id", &fac_id.to_string()), ("channel", "letter")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn a_large_export_is_made_in_the_background() {
    let (app, _dir) = TestApp::fresh_quiet().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let proto = gp.published_prototype(&[("title", "Hub"), ("summary", ""), ("body", "Hello"), ("themes", "")]).await;
    let mut alice = app.signed_in("alice@example.org", Role::Contributor).await;
    let pool = &app.state.db.write;
    let id = scalar(pool, "SELECT id FROM users WHERE email = 'alice@example.org'").await;
    exec(
        pool,
        &format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {})
             INSERT INTO comments (prototype_id, author_id, body, form_key_hash, created_at)
             SELECT {proto}, {id}, 'Comment ' || i, 'k' || i, i FROM n",
            app::privacy::INLINE_EXPORT_ITEMS + 1
        ),
    )
    .await;
    let r = alice.call("export_my_data", &[]).await;
    assert_eq!(r.location(), "/account/data?export=queued");
    let page = alice.call("load_my_data", &[]).await.json();
    assert!(page["requests"][0]["download"].is_null());
    assert!(page["requests"][0]["status"].as_str().unwrap().starts_with("Being prepared"));
    assert_eq!(app::privacy::jobs::run_exports(pool).await.unwrap(), 1);
    let page = alice.call("load_my_data", &[]).await.json();
    let (status, zip) = download(&alice, page["requests"][0]["download"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let data: serde_json::Value = serde_json::from_str(&unzip(&zip).1).unwrap();
    assert_eq!(data["comments"].as_array().unwrap().len() as i64, app::privacy::INLINE_EXPORT_ITEMS + 1);
    // After its week the file is deleted; the request stays on record.
    exec(pool, "UPDATE data_exports SET expires_at = 0").await;
    assert_eq!(app::privacy::store::expire_exports(pool).await.unwrap(), 1);
    assert_eq!(scalar(pool, "SELECT count(*) FROM data_requests WHERE status = 'expired'").await, 1);
    app.stop().await;
}

/// The database file's bytes (and its write-ahead log's, if any) after erasure compacted it.
fn file_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut all = std::fs::read(dir.join("test.db")).unwrap();
    if let Ok(wal) = std::fs::read(dir.join("test.db-wal")) {
        all.extend(wal);
    }
    all
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn erasure_leaves_no_trace_keeps_consented_quotes_and_vote_counts() {
    let (app, dir) = TestApp::fresh_quiet().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let (proto, motion, secret) = setting(&app, &mut gp).await;
    let mut alice = app.signed_in("alicia.quernby@example.org", Role::Member).await;
    app.signed_in("bob@example.org", Role::Member).await;
    let pool = &app.state.db.write;
    let alice_id = scalar(pool, "SELECT id FROM users WHERE email = 'alicia.quernby@example.org'").await;
    let bob_id = scalar(pool, "SELECT id FROM users WHERE email = 'bob@example.org'").await;
    seed(pool, alice_id, "Alicia", proto, motion, secret).await;
    seed(pool, bob_id, "Bob", proto, motion, secret).await;
    // A held comment (safeguarding keeps it), her name in minutes, a reset email, and
    // sign-in limit rows keyed by her address.
    exec(
        pool,
        &format!(
            "INSERT INTO comments (prototype_id, author_id, body, status, form_key_hash, created_at)
             VALUES ({proto}, {alice_id}, 'Alicia-Held', 'held', 'held-key', 1)"
        ),
    )
    .await;
    exec(pool, "UPDATE meetings SET minutes_approved = 'Alicia-Name proposed it; Samaritans agreed.'").await;
    exec(pool, &format!("INSERT INTO attendance (meeting_id, user_id, status) VALUES ((SELECT max(id) FROM meetings), {alice_id}, 'in_person')")).await;
    // A published, shareable learning note quoting her comment names her in its text (the
    // search index holds it too).
    exec(
        pool,
        &format!(
            "INSERT INTO learning_notes (prototype_id, title, body, body_html, kind, status, shareable, created_by, created_at, updated_at, published_at)
             VALUES ({proto}, 'Evenings', 'Alicia-Name told us evenings matter.', '<p>Alicia-Name told us evenings matter.</p>', 'surprise', 'published', 1, (SELECT id FROM users WHERE email = 'gp@example.org'), 1, 1, 1)"
        ),
    )
    .await;
    exec(pool, "INSERT INTO note_evidence (note_id, kind, target_id) VALUES ((SELECT max(id) FROM learning_notes), 'comment', (SELECT id FROM comments WHERE body = 'Alicia-QuotedComment'))").await;
    // Her own roll-out note names her (as her timeline notes may).
    exec(pool, &format!("UPDATE rollouts SET note = 'Alicia-Name opened it.' WHERE updated_by = {alice_id}")).await;
    // A closed consent vote's result carries the reasons given with objections.
    exec(
        pool,
        &format!("UPDATE motions SET decision = json_object('summary', 'Passed', 'objections', json_array('Alicia-Reason', 'Bob-Reason'), 'blocks', json_array()) WHERE id = {motion}"),
    )
    .await;
    assert_eq!(
        app.client().call("forgot_password", &[("email", "alicia.quernby@example.org")]).await.status,
        StatusCode::OK
    );
    app.client().call("login", &[("email", "alicia.quernby@example.org"), ("password", "not her password")]).await;
    let tally = || {
        format!("SELECT group_concat(choice || ':' || n) FROM (SELECT choice, count(*) AS n FROM ballots WHERE motion_id IN ({motion}, {secret}) GROUP BY choice ORDER BY choice)")
    };
    let votes_before: String = sqlx::query_scalar(&tally()).fetch_one(pool).await.unwrap();

    // Asking: the password again, and the box ticked; a wrong password keeps her choice.
    let r = alice
        .call("delete_my_account", &[("password", "wrong password"), ("quotes", "keep"), ("understood", "on")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(scalar(pool, "SELECT count(*) FROM data_requests").await, 0, "nothing written");
    let r = alice.call("delete_my_account", &[("password", support::PASSWORD), ("quotes", "keep")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "the box must be ticked: {}", r.body);
    let r = alice
        .call("delete_my_account", &[("password", support::PASSWORD), ("quotes", "keep"), ("understood", "on")])
        .await;
    assert_eq!(r.location(), "/login?deletion=requested", "{}", r.body);
    assert_eq!(alice.call("load_my_data", &[]).await.status, StatusCode::UNAUTHORIZED, "signed out everywhere");

    // Signing in during the grace period cancels it.
    let mut back = app.client();
    let r = back.call("login", &[("email", "alicia.quernby@example.org"), ("password", support::PASSWORD)]).await;
    assert_eq!(r.location(), "/account?saved=deletion_cancelled");
    assert_eq!(scalar(pool, "SELECT count(*) FROM data_requests WHERE status = 'cancelled'").await, 1);
    exec(pool, "UPDATE data_requests SET due_at = 0").await;
    assert_eq!(app::privacy::jobs::run_erasures(pool).await.unwrap(), 0, "a cancelled deletion never happens");

    // Asked again, and the grace period ends.
    let r = back
        .call("delete_my_account", &[("password", support::PASSWORD), ("quotes", "keep"), ("understood", "on")])
        .await;
    assert_eq!(r.location(), "/login?deletion=requested");
    assert_eq!(app::privacy::jobs::run_erasures(pool).await.unwrap(), 0, "not before the grace period ends");
    exec(pool, "UPDATE data_requests SET due_at = 0 WHERE status = 'pending'").await;
    assert_eq!(app::privacy::jobs::run_erasures(pool).await.unwrap(), 1);

    let bytes = file_bytes(dir.path());
    for gone in [
        "Alicia-Name",
        "alicia.quernby",
        "Alicia-Comment",
        "Alicia-AnonComment",
        "Alicia-Answer",
        "Alicia-AnonAnswer",
        "Alicia-Reason",
    ] {
        assert!(!contains(&bytes, gone), "{gone} is still in the database file");
    }
    for kept in ["Alicia-QuotedComment", "Alicia-QuotedAnswer", "Alicia-Held", "Bob-Name", "Bob-Comment", "Bob-Reason"]
    {
        assert!(contains(&bytes, kept), "{kept} should be kept");
    }
    let anonymous = scalar(pool, "SELECT anonymous FROM comments WHERE body = 'Alicia-QuotedComment'").await;
    assert_eq!(anonymous, 1, "a kept quote is kept anonymously");
    let linked = scalar(pool, "SELECT count(*) FROM responses x JOIN answers a ON a.response_id = x.id WHERE a.text = 'Alicia-QuotedAnswer' AND x.user_id IS NULL").await;
    assert_eq!(linked, 1, "a kept answer is no longer linked to the account");
    let minutes: String = sqlx::query_scalar("SELECT minutes_approved FROM meetings").fetch_one(pool).await.unwrap();
    assert_eq!(minutes, "a former member proposed it; Samaritans agreed.");
    let (body, html): (String, String) =
        sqlx::query_as("SELECT body, body_html FROM learning_notes").fetch_one(pool).await.unwrap();
    assert_eq!(body, "a former member told us evenings matter.");
    assert!(html.contains("a former member told us") && !html.contains("Alicia"), "{html}");
    let note: String = sqlx::query_scalar(&format!("SELECT note FROM rollouts WHERE updated_by = {alice_id}"))
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(note, "a former member opened it.");
    let votes_after: String = sqlx::query_scalar(&tally()).fetch_one(pool).await.unwrap();
    assert_eq!(votes_before, votes_after, "vote counts are unchanged");
    let summary: String =
        sqlx::query_scalar("SELECT summary FROM data_requests WHERE status = 'done'").fetch_one(pool).await.unwrap();
    assert!(summary.contains("\"comments_removed\":2") && !summary.contains("Alicia"), "{summary}");
    // The account cannot be signed into, and its id is never given to anyone else.
    let r =
        app.client().call("login", &[("email", "alicia.quernby@example.org"), ("password", support::PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let newcomer = app.user("newcomer@example.org", Role::Contributor).await;
    assert!(newcomer > alice_id);
    let mut fac = app.signed_in("fac@example.org", Role::Facilitator).await;
    let decision: String =
        sqlx::query_scalar(&format!("SELECT decision FROM motions WHERE id = {motion}")).fetch_one(pool).await.unwrap();
    assert!(decision.contains("\"objections\":[\"Bob-Reason\"]"), "{decision}");
    // Her held comment is kept as a safeguarding record, never published.
    let held = scalar(pool, "SELECT id FROM comments WHERE body = 'Alicia-Held'").await.to_string();
    let r = fac.call("moderate", &[("kind", "comment"), ("id", &held), ("decision", "release")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let members = fac.call("list_members", &[("page", "0")]).await.body;
    assert!(!members.contains("A former member"), "erased accounts are not listed as members");
    app.stop().await;
}

#[tokio::test]
async fn a_facilitator_deletes_an_account_for_a_letter_and_can_cancel_it() {
    let (app, _dir) = TestApp::fresh_quiet().await;
    let mut fac = app.signed_in("fac@example.org", Role::Facilitator).await;
    let mut sam = app.signed_in("sam@example.org", Role::Contributor).await;
    let pool = &app.state.db.write;
    let sam_id = scalar(pool, "SELECT id FROM users WHERE email = 'sam@example.org'").await.to_string();
    let form = |channel: &'static str, understood: bool| {
        let mut f =
            vec![("user_id", sam_id.clone()), ("channel", channel.to_string()), ("quotes", "remove".to_string())];
        if understood {
            f.push(("understood", "on".into()));
        }
        f
    };
    let call = |f: &Vec<(&'static str, String)>| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let f = call(&form("self", true));
    let r = fac.call("delete_account_for", &f.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "the person's own channel is not the facilitator's to pick");
    let f = call(&form("letter", true));
    let r = fac.call("delete_account_for", &f.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(sam.call("load_my_data", &[]).await.status, StatusCode::UNAUTHORIZED, "the person is signed out");
    let (channel, by): (String, Option<i64>) =
        sqlx::query_as("SELECT channel, requested_by FROM data_requests").fetch_one(pool).await.unwrap();
    assert_eq!(channel, "letter");
    assert!(by.is_some(), "on record with the facilitator's id");
    // Sam hears of it by email, with how to stop it.
    let (subject, text): (String, String) = sqlx::query_as(
        "SELECT subject, text_body FROM outbox WHERE to_address = 'sam@example.org' AND kind = 'deletion_requested'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert!(subject.contains("will be deleted on"), "{subject}");
    assert!(text.contains("a facilitator at") && text.contains("sign in before then"), "{text}");
    let r = fac.call("delete_account_for", &f.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "already due");
    assert_eq!(fac.call("cancel_deletion_for", &[("user_id", &sam_id)]).await.status, StatusCode::OK);
    assert_eq!(fac.call("cancel_deletion_for", &[("user_id", &sam_id)]).await.status, StatusCode::CONFLICT);
    exec(pool, "UPDATE data_requests SET due_at = 0").await;
    assert_eq!(app::privacy::jobs::run_erasures(pool).await.unwrap(), 0);
    // The only facilitator cannot delete their own account.
    let r = fac
        .call("delete_my_account", &[("password", support::PASSWORD), ("quotes", "keep"), ("understood", "on")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn retention_removes_what_is_past_its_time_once_a_day_and_reports_it() {
    let (app, _dir) = TestApp::fresh_quiet().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let (proto, _, _) = setting(&app, &mut gp).await;
    let pool = &app.state.db.write;
    let gp_id = scalar(pool, "SELECT id FROM users WHERE email = 'gp@example.org'").await;
    let old = app::time::now() - 400 * 86_400;
    for (body, status) in [("old hidden", "hidden"), ("still held", "held"), ("published", "published")] {
        exec(
            pool,
            &format!(
                "INSERT INTO comments (prototype_id, author_id, body, status, form_key_hash, created_at)
                 VALUES ({proto}, {gp_id}, '{body}', '{status}', '{body}', {old})"
            ),
        )
        .await;
        exec(
            pool,
            &format!(
                "INSERT INTO audit_log (at, actor_id, action, item_kind, item_id, detail)
                 VALUES ({old}, {gp_id}, '{}', 'comment', (SELECT id FROM comments WHERE body = '{body}'), '')",
                if status == "hidden" { "hidden" } else { "held" }
            ),
        )
        .await;
    }
    exec(pool, &format!("INSERT INTO rate_limits (key, window_start, hits) VALUES ('signin:old', {old}, 1)")).await;
    exec(
        pool,
        &format!(
            "INSERT INTO outbox (to_address, kind, subject, text_body, html_body, created_at, next_attempt_at, sent_at)
             VALUES ('a@example.org', 'reply', 's', 't', 'h', {old}, {old}, {old})"
        ),
    )
    .await;
    exec(pool, &format!("INSERT INTO notifications (user_id, kind, created_at) VALUES ({gp_id}, 'reply', {old})"))
        .await;

    // The settings page: a bad value is refused in plain words and nothing changes.
    let mut fac = app.signed_in("fac@example.org", Role::Facilitator).await;
    let form = |held: &'static str| {
        vec![
            ("held_days", held),
            ("response_days", ""),
            ("throttle_days", "1"),
            ("refused_form_hours", "1"),
            ("audit_days", "365"),
            ("mail_days", "90"),
        ]
    };
    let r = fac.call("save_retention", &form("soon")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("whole number"), "{}", r.body);
    assert_eq!(fac.call("save_retention", &form("30")).await.status, StatusCode::OK);

    assert!(app::privacy::jobs::run_retention(pool).await.unwrap() >= 5);
    let left: Vec<(String, String)> =
        sqlx::query_as("SELECT body, status FROM comments ORDER BY id").fetch_all(pool).await.unwrap();
    assert_eq!(
        left,
        vec![
            ("".into(), "removed".into()),
            ("still held".into(), "held".into()),
            ("published".into(), "published".into())
        ]
    );
    assert_eq!(scalar(pool, "SELECT count(*) FROM audit_log").await, 1, "only the still-held item's record is kept");
    assert_eq!(scalar(pool, "SELECT count(*) FROM rate_limits WHERE key = 'signin:old'").await, 0);
    assert_eq!(scalar(pool, "SELECT count(*) FROM outbox").await, 0);
    assert_eq!(scalar(pool, &format!("SELECT count(*) FROM notifications WHERE created_at = {old}")).await, 0);
    let page = fac.call("load_retention", &[]).await.json();
    let report = page["runs"][0][1].as_str().unwrap();
    assert!(report.contains("1 hidden comments") && report.contains("1 emails"), "{report}");
    // Once a day: a second run the same day does nothing.
    assert_eq!(app::privacy::jobs::run_retention(pool).await.unwrap(), 0);
    assert_eq!(scalar(pool, "SELECT count(*) FROM retention_runs").await, 1);
    app.stop().await;
}
