//! Trust (issue 9): what a stranger can plant in a URL or a form, and what a page renders
//! from a person's text. Each test reproduces an attack that worked before the fix.

use crate::support;

use app::auth::Role;
use base64::Engine as _;
use reqwest::StatusCode;
use serde_json::Value;
use support::{Client, TestApp};

const PAYLOAD: &str = "</textarea><b id=\"x\">planted</b>";
const ESCAPED: &str = "&lt;/textarea&gt;&lt;b id=&quot;x&quot;&gt;planted";

fn location(r: &support::Reply) -> String {
    r.headers.get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

fn json(r: &support::Reply) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", r.status, r.body))
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.state.db.read).await.unwrap()
}

fn when(offset_secs: i64) -> String {
    app::time::to_local_input(chrono::Utc::now().timestamp() + offset_secs)
}

/// A published prototype and an open public round with one optional text question.
async fn round(app: &TestApp, gp: &mut Client) -> (String, String, i64) {
    let r = gp
        .call(
            "create_prototype",
            &[
                ("title", "Hub"),
                ("summary", "One door"),
                ("body", &format!("## The problem\n\n{PAYLOAD}\n")),
                ("themes", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let proto = location(&r).split('/').nth(2).unwrap().to_string();
    let r = gp.call("publish_iteration", &[("id", &proto), ("change_note", "first")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = gp
        .call(
            "open_round",
            &[
                ("prototype", &proto),
                ("iteration", "1"),
                ("title", "Round"),
                ("purpose", ""),
                ("audience", "public"),
                ("opens", &when(-60)),
                ("closes", &when(86_400)),
                ("kind[]", "text"),
                ("prompt[]", "Anything?"),
                ("options[]", ""),
                ("low[]", ""),
                ("high[]", ""),
                ("required[]", "no"),
                ("kind[]", "scale"),
                ("prompt[]", "How much?"),
                ("options[]", ""),
                ("low[]", "no"),
                ("high[]", "yes"),
                ("required[]", "no"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let round = location(&r).split('/').nth(2).unwrap().split('?').next().unwrap().to_string();
    let q: i64 = sqlx::query_scalar("SELECT min(id) FROM questions WHERE round_id = ?")
        .bind(round.parse::<i64>().unwrap())
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    (proto, round, q)
}

/// The page holds the payload only as text: no element the payload tried to open.
fn assert_boxed(page: &support::Reply, what: &str) {
    assert_eq!(page.status, StatusCode::OK, "{what}: {}", page.body);
    assert!(!page.body.contains("<b id=\"x\">"), "{what}: the text escaped its box");
    assert!(page.body.contains(ESCAPED), "{what}: the text should be in the page, escaped");
}

#[tokio::test]
async fn no_persons_text_escapes_a_text_box() {
    let (app, _dir) = TestApp::fresh().await;
    let mut fac = app.signed_in("fac@example.org", Role::Facilitator).await;
    let (proto, round, q) = round(&app, &mut fac).await;

    // The draft editor.
    assert_boxed(&fac.get(&format!("/prototypes/{proto}/edit")).await, "draft editor");

    // A refused answer's kept text, shown again to the same browser without JavaScript.
    let mut visitor = app.client();
    let key = json(&visitor.call("load_round", &[("id", &round)]).await)["key"].as_str().unwrap().to_string();
    let page = format!("/consultations/{round}");
    let r = visitor
        .post_form_from(
            &page,
            "submit_response",
            &[
                ("round", &round),
                ("key", &key),
                (&format!("answers[q{q}]"), PAYLOAD),
                (&format!("answers[q{}]", q + 1), "9"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND);
    let back = location(&r);
    let back = back.strip_prefix(&visitor.base).unwrap_or(&back).to_string();
    assert_boxed(&visitor.get(&back).await, "refused answer");

    // A held answer in the moderation queue's "without personal details" box.
    let key = json(&visitor.call("load_round", &[("id", &round)]).await)["key"].as_str().unwrap().to_string();
    let text = format!("I want to end it all {PAYLOAD}");
    let r =
        visitor.call("submit_response", &[("round", &round), ("key", &key), (&format!("answers[q{q}]"), &text)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_boxed(&fac.get("/moderation").await, "moderation");

    // A comment's edit box, for its author.
    let k = json(&fac.call("prototype_comments", &[("id", &proto)]).await)["key"].as_str().unwrap().to_string();
    let r = fac.call("add_comment", &[("prototype", &proto), ("key", &k), ("body", PAYLOAD)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_boxed(&fac.get(&format!("/prototypes/{proto}")).await, "comment edit box");

    // The safeguarding settings.
    let r = fac.call("update_safeguarding", &[("crisis_text", PAYLOAD), ("phrases", "")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_boxed(&fac.get("/settings").await, "settings");

    // A refused round form's kept choices (a signed error, for this browser).
    let new_round = format!("/consultations/new?prototype={proto}");
    let r = fac
        .post_form_from(
            &new_round,
            "open_round",
            &[
                ("prototype", &proto),
                ("iteration", "1"),
                ("title", ""),
                ("purpose", ""),
                ("audience", "public"),
                ("opens", &when(-60)),
                ("closes", &when(86_400)),
                ("kind[]", "single"),
                ("prompt[]", "Which?"),
                ("options[]", PAYLOAD),
                ("low[]", ""),
                ("high[]", ""),
                ("required[]", "no"),
            ],
            &[],
        )
        .await;
    let back = location(&r);
    let back = back.strip_prefix(&fac.base).unwrap_or(&back).to_string();
    assert!(back.contains("__sig="), "{back}");
    assert_boxed(&fac.get(&back).await, "new round options");

    // A consent vote's reason, shown back to the voter.
    let r = fac
        .call(
            "schedule_meeting",
            &[("title", "Meeting"), ("starts", &when(3600)), ("place", "Hub"), ("online_link", "")],
        )
        .await;
    let meeting = location(&r).split('/').nth(2).unwrap().to_string();
    fac.call(
        "add_agenda_item",
        &[("meeting", &meeting), ("kind", "free"), ("title", "Item"), ("prototype", ""), ("round", ""), ("notes", "")],
    )
    .await;
    let item: i64 = count(&app, "SELECT id FROM agenda_items").await;
    let r = fac
        .call(
            "add_motion",
            &[
                ("item", &item.to_string()),
                ("question", "Agree?"),
                ("background", ""),
                ("method", "consent"),
                ("options", ""),
                ("quorum_votes", "0"),
                ("quorum_lived", "0"),
                ("action", "none"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let motion: i64 = count(&app, "SELECT id FROM motions").await;
    fac.call("open_motion", &[("id", &motion.to_string())]).await;
    let r = fac.call("cast_vote", &[("motion", &motion.to_string()), ("choice", "object"), ("reason", PAYLOAD)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_boxed(&fac.get(&format!("/meetings/{meeting}")).await, "vote reason");
    app.stop().await;
}

/// The attack from the review: plant a form key through a made-up error in a link, let
/// someone answer, then read their answers through the key.
#[tokio::test]
async fn a_planted_form_key_reads_nothing() {
    let (app, _dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let (_, round, q) = round(&app, &mut gp).await;
    let field = format!("answers[q{q}]");

    // The attacker posts a deliberately invalid answer under a key of their choosing.
    let mut attacker = app.client();
    let planted = "c".repeat(32);
    let r = attacker
        .call(
            "submit_response",
            &[
                ("round", &round),
                ("key", &planted),
                (&field, "x"),
                (&format!("answers[q{}]", q + 1), "9"),
                ("consent", "quote_anonymously"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // ...and sends a link to the real round page carrying an error that names the key.
    let forged =
        serde_json::json!({"Invalid": {"field": "answers", "message": "Please try again", "kept": [["key", planted]]}})
            .to_string();
    let err = base64::engine::general_purpose::URL_SAFE.encode(forged);
    let link = format!("/consultations/{round}?__path=/api/submit_response&__err={err}");
    let mut person = app.client();
    let r = person.get(&link).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "an error the server did not sign is dropped");
    assert_eq!(location(&r), format!("/consultations/{round}"));
    // The page the person then answers on carries a key the server made for them.
    let page = json(&person.call("load_round", &[("id", &round)]).await);
    assert_ne!(page["key"], planted.as_str());
    assert!(!page["typed"].to_string().contains("quote_anonymously"), "the attacker's kept form is not theirs");

    // Even if the person's form did carry the planted key, the receipt is theirs alone.
    let r = person
        .call(
            "submit_response",
            &[("round", &round), ("key", &planted), (&field, "I am at risk: I want to end it all")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let receipt = location(&r);
    assert!(!receipt.contains(&planted), "{receipt}");
    let r = attacker.call("load_receipt", &[("token", &planted)]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "the attacker reads nothing: {}", r.body);
    assert!(!r.body.contains("end it all"));
    let r = attacker.get(&format!("/receipts/{planted}")).await;
    assert!(!r.body.contains("end it all"));
    app.stop().await;
}

#[tokio::test]
async fn a_second_person_with_someone_elses_key_gets_their_own_receipt() {
    let (app, _dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let (_, round, q) = round(&app, &mut gp).await;
    let field = format!("answers[q{q}]");
    let key = json(&app.client().call("load_round", &[("id", &round)]).await)["key"].as_str().unwrap().to_string();
    let first =
        app.client().call("submit_response", &[("round", &round), ("key", &key), (&field, "Mine: evenings")]).await;
    let second =
        app.client().call("submit_response", &[("round", &round), ("key", &key), (&field, "Theirs: weekends")]).await;
    let token = |r: &support::Reply| location(r).strip_prefix("/receipts/").unwrap().to_string();
    assert_ne!(token(&first), token(&second));
    let read = |t: String| {
        let base = app.base.clone();
        async move {
            reqwest::Client::new()
                .post(format!("{base}/api/load_receipt"))
                .form(&[("token", t)])
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let (a, b) = (read(token(&first)).await, read(token(&second)).await);
    assert!(a.contains("Mine: evenings") && !a.contains("Theirs"));
    assert!(b.contains("Theirs: weekends") && !b.contains("Mine"));
    assert_eq!(count(&app, "SELECT count(*) FROM responses").await, 2, "both people's answers are stored");
    app.stop().await;
}

#[tokio::test]
async fn a_forged_error_on_any_page_shows_no_text_from_it() {
    let (app, _dir) = TestApp::fresh().await;
    let forged = serde_json::json!({"Invalid": {"field": "password", "message": "Your account is locked: please call 0909 000 0000", "kept": [["email", "Call 0909 000 0000"]]}}).to_string();
    let err = base64::engine::general_purpose::URL_SAFE.encode(forged);
    let mut c = app.client();
    for page in ["/login", "/register", "/", "/consultations"] {
        let r = c.get(&format!("{page}?__path=/api/login&__err={err}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{page}");
        assert_eq!(location(&r), page);
        assert!(!r.body.contains("0909"));
    }
    // Other query parameters survive the clean-up.
    let r = c.get(&format!("/login?next=1&__path=/api/login&__err={err}&__sig=00")).await;
    assert_eq!(location(&r), "/login?next=1");
    // Names spelled with percent-escapes are the same names to the router.
    for query in [format!("%5F%5Fpath=%2Fapi%2Flogin&%5F%5Ferr={err}"), format!("_%5Fpath=/api/login&__%65rr={err}")] {
        let r = c.get(&format!("/login?{query}")).await;
        assert_eq!((r.status, location(&r)), (StatusCode::SEE_OTHER, "/login".to_string()), "{query}");
    }
    // The clean-up never sends anyone to another site.
    let r = c.get(&format!("//evil.example?__err={err}")).await;
    assert!(location(&r).starts_with('/') && !location(&r).starts_with("//"), "{}", location(&r));

    // A real refusal is signed for the browser that posted, and shows there only.
    let r = c.post_form("login", &[("email", "nobody@example.org"), ("password", "a wrong password")], &[]).await;
    let back = location(&r);
    let back = back.strip_prefix(&c.base).unwrap().to_string();
    let shown = c.get(&back).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("do not match"));
    let elsewhere = app.client().get(&back).await;
    assert_eq!(elsewhere.status, StatusCode::SEE_OTHER, "another browser cannot be shown it");
    // Nor can a second, made-up error ride along with a signed one.
    let r = c.get(&format!("{back}&%5F%5Ferr={err}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Links in people's Markdown are full page loads, so the server checks them too.
    assert!(app::markdown::render("[x](/login)").contains("external"));
    app.stop().await;
}

#[tokio::test]
async fn public_answers_are_rate_limited_and_refused_forms_keep_only_known_fields() {
    let (app, _dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let (_, round, q) = round(&app, &mut gp).await;

    // A refused form stores only the round's fields, each within its limit.
    let mut visitor = app.client();
    let big = "z".repeat(400_000);
    let r = visitor
        .call(
            "submit_response",
            &[
                ("round", &round),
                ("key", &"d".repeat(32)),
                (&format!("answers[q{}]", q + 1), "9"),
                ("answers[q999999]", &big),
                ("answers[junk]", &big),
                ("content_note", &big),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let stored = count(&app, "SELECT coalesce(sum(length(fields)), 0) FROM kept_forms").await;
    assert!(stored < 1_000, "kept {stored} bytes");
    // Kept forms older than their hour are swept.
    sqlx::query("UPDATE kept_forms SET created_at = created_at - 7200").execute(&app.state.db.write).await.unwrap();
    assert_eq!(app::consultations::store::purge_kept_forms(&app.state.db.write).await.unwrap(), 1);
    assert_eq!(count(&app, "SELECT count(*) FROM kept_forms").await, 0);

    // One address may send 60 answer forms in ten minutes; the 61st is refused plainly.
    let limit = app::consultations::api::ANSWERS_PER_ADDRESS.max;
    for i in 1..limit {
        let r = visitor
            .call(
                "submit_response",
                &[("round", &round), ("key", &format!("{i:032x}")), (&format!("answers[q{q}]"), "fine")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "answer {i}: {}", r.body);
    }
    let r = visitor
        .call(
            "submit_response",
            &[("round", &round), ("key", &"e".repeat(32)), (&format!("answers[q{q}]"), "one too many")],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.body.contains("Throttled"), "{}", r.body);
    assert_eq!(count(&app, "SELECT count(*) FROM answers WHERE text = 'one too many'").await, 0);
    app.stop().await;
}

/// Finding 5 and 10: a saved draft's title, summary, themes and statements stay with the
/// design group until published, and an open round keeps the statements it opened with.
#[tokio::test]
async fn draft_text_stays_with_the_design_group_until_published() {
    let (app, _dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let mut member = app.signed_in("m@example.org", Role::Member).await;
    let mut statements = Vec::new();
    for text in ["I can get help when I need it", "One plan"] {
        let id: i64 =
            sqlx::query_scalar("INSERT INTO experience_statements (text, position) VALUES (?, 1) RETURNING id")
                .bind(text)
                .fetch_one(&app.state.db.write)
                .await
                .unwrap();
        statements.push(id.to_string());
    }
    let r = gp
        .call(
            "create_prototype",
            &[
                ("title", "Hub"),
                ("summary", "One door"),
                ("body", "## The problem\n\nWaits.\n"),
                ("themes", "Hub"),
                ("statements[]", &statements[0]),
            ],
        )
        .await;
    let proto = location(&r).split('/').nth(2).unwrap().to_string();
    gp.call("publish_iteration", &[("id", &proto), ("change_note", "first")]).await;
    let r = gp
        .call(
            "open_round",
            &[
                ("prototype", &proto),
                ("iteration", "1"),
                ("title", "Round"),
                ("purpose", ""),
                ("audience", "public"),
                ("opens", &when(-60)),
                ("closes", &when(86_400)),
                ("kind[]", "statements"),
                ("prompt[]", "How well?"),
                ("options[]", ""),
                ("low[]", ""),
                ("high[]", ""),
                ("required[]", "no"),
            ],
        )
        .await;
    let round = location(&r).split('/').nth(2).unwrap().split('?').next().unwrap().to_string();

    let draft = json(&gp.call("load_draft", &[("id", &proto)]).await);
    let revision = draft["revision"].to_string();
    let author = draft["author_ids"][0].to_string();
    let r = gp
        .call(
            "save_draft",
            &[
                ("id", &proto),
                ("revision", &revision),
                ("title", "Secret plan"),
                ("summary", "Secret summary"),
                ("body", "## The problem\n\nSecret body.\n"),
                ("themes", "Secretive"),
                ("authors[]", &author),
                ("statements[]", &statements[0]),
                ("statements[]", &statements[1]),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let seen = [
        member.call("prototype", &[("id", &proto)]).await.body,
        member.call("board", &[]).await.body,
        member.call("list_prototypes", &[("q", "Secret")]).await.body,
        member.call("list_prototypes", &[("theme", "Secretive")]).await.body,
        app.client().call("load_round", &[("id", &round)]).await.body,
        app.client().call("list_rounds", &[]).await.body,
        member.get(&format!("/prototypes/{proto}")).await.body,
        member.get("/prototypes").await.body,
    ];
    for body in &seen {
        assert!(!body.contains("Secret"), "draft text leaked: {body}");
    }
    assert_eq!(json(&member.call("prototype", &[("id", &proto)]).await)["title"], "Hub");
    assert_eq!(
        json(&gp.call("load_draft", &[("id", &proto)]).await)["title"],
        "Secret plan",
        "the design group keeps its draft"
    );

    let r = gp.call("publish_iteration", &[("id", &proto), ("change_note", "second")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = json(&member.call("prototype", &[("id", &proto)]).await);
    assert_eq!(v["title"], "Secret plan");
    assert_eq!(v["summary"], "Secret summary");
    assert!(member.call("list_prototypes", &[("q", "Secret")]).await.body.contains("Secret plan"));
    // The open round still rates the one statement it opened with.
    let page = json(&app.client().call("load_round", &[("id", &round)]).await);
    assert_eq!(page["questions"][0]["statements"].as_array().unwrap().len(), 1, "{page}");
    app.stop().await;
}

/// Finding 10: paging far beyond the end is a plain 400, never a panic.
#[tokio::test]
async fn out_of_range_paging_is_a_bad_request() {
    let (app, _dir) = TestApp::fresh().await;
    let mut fac = app.signed_in("fac@example.org", Role::Facilitator).await;
    for function in ["list_prototypes", "list_rounds", "list_members"] {
        for page in ["9223372036854775807", "-1", "100001"] {
            let r = fac.call(function, &[("page", page)]).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{function} page={page}: {}", r.body);
        }
        let r = fac.call(function, &[("page", "0")]).await;
        assert_eq!(r.status, StatusCode::OK, "{function}: {}", r.body);
    }
    for path in [
        "/prototypes?view=list&page=9223372036854775807",
        "/consultations?page=9223372036854775807",
        "/members?page=9223372036854775807",
    ] {
        let r = fac.get(path).await;
        assert!(r.status == StatusCode::BAD_REQUEST || r.status == StatusCode::OK, "{path}: {}", r.status);
        assert!(!r.body.contains("panicked"));
    }
    app.stop().await;
}

/// Finding 9: members' results summary does not say how many answers triage held.
#[tokio::test]
async fn members_results_do_not_count_held_answers() {
    let (app, _dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let (_, round, q) = round(&app, &mut gp).await;
    let mut visitor = app.client();
    let key = json(&visitor.call("load_round", &[("id", &round)]).await)["key"].as_str().unwrap().to_string();
    let r = visitor
        .call(
            "submit_response",
            &[("round", &round), ("key", &key), (&format!("answers[q{q}]"), "I want to end it all")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    gp.call("close_round", &[("id", &round)]).await;
    let mut member = app.signed_in("m@example.org", Role::Member).await;
    let v = json(&member.call("load_results", &[("id", &round)]).await);
    assert!(v["held"].is_null(), "{v}");
    assert_eq!(json(&gp.call("load_results", &[("id", &round)]).await)["held"], 1);
    app.stop().await;
}

/// leptos_meta writes the server's `<title>` text as it is: titles people typed are escaped.
#[tokio::test]
async fn no_typed_title_escapes_the_title_element() {
    let (app, _dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let title = "</title><b id=\"x\">planted";
    let r = gp
        .call(
            "create_prototype",
            &[("title", title), ("summary", ""), ("body", "## The problem\n\nWaits.\n"), ("themes", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let proto = location(&r).split('/').nth(2).unwrap().to_string();
    gp.call("publish_iteration", &[("id", &proto), ("change_note", "first")]).await;
    let r = gp
        .call(
            "open_round",
            &[
                ("prototype", &proto),
                ("iteration", "1"),
                ("title", title),
                ("purpose", ""),
                ("audience", "public"),
                ("opens", &when(-60)),
                ("closes", &when(86_400)),
                ("kind[]", "text"),
                ("prompt[]", "Anything?"),
                ("options[]", ""),
                ("low[]", ""),
                ("high[]", ""),
                ("required[]", "no"),
            ],
        )
        .await;
    let round = location(&r).split('/').nth(2).unwrap().split('?').next().unwrap().to_string();
    for path in
        [format!("/prototypes/{proto}"), format!("/consultations/{round}"), format!("/prototypes/{proto}/iterations/1")]
    {
        let page = app.client().get(&path).await;
        let page = if page.status == StatusCode::OK { page } else { gp.get(&path).await };
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.body.contains("<b id=\"x\">"), "{path}: the title escaped its element");
        assert!(page.body.contains("<title>&lt;/title&gt;"), "{path}: the title should be there, escaped");
    }
    app.stop().await;
}

/// Finding 8: the answer limit counts an IPv6 /64 as one address (one host can hold a /64).
#[tokio::test]
async fn answers_from_one_ipv6_64_share_a_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = support::config(&format!("sqlite://{}/test.db", dir.path().display()));
    config.trusted_proxy = true;
    let app = TestApp::spawn_with(config).await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let (_, round, q) = round(&app, &mut gp).await;
    let field = format!("answers[q{q}]");
    let limit = app::consultations::api::ANSWERS_PER_ADDRESS.max;
    let mut visitor = app.client();
    for i in 1..=limit {
        let from = format!("2001:db8:1:2::{i:x}");
        let r = visitor
            .call_with(
                "submit_response",
                &[("round", &round), ("key", &format!("{i:032x}")), (&field, "fine")],
                &[("x-forwarded-for", &from)],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "answer {i}: {}", r.body);
    }
    let r = visitor
        .call_with(
            "submit_response",
            &[("round", &round), ("key", &"f".repeat(32)), (&field, "one more")],
            &[("x-forwarded-for", "2001:db8:1:2:ffff::1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    let r = visitor
        .call_with(
            "submit_response",
            &[("round", &round), ("key", &"e".repeat(32)), (&field, "another place")],
            &[("x-forwarded-for", "2001:db8:9:9::1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "another /64 is another address: {}", r.body);
    app.stop().await;
}

/// Review: an agenda item names published prototypes only (members would see a draft's title).
#[tokio::test]
async fn an_agenda_item_cannot_name_a_draft_only_prototype() {
    let (app, _dir) = TestApp::fresh().await;
    let mut fac = app.signed_in("fac@example.org", Role::Facilitator).await;
    let r = fac
        .call("create_prototype", &[("title", "Secret draft"), ("summary", ""), ("body", "x"), ("themes", "")])
        .await;
    let proto = location(&r).split('/').nth(2).unwrap().to_string();
    let r = fac
        .call(
            "schedule_meeting",
            &[("title", "Meeting"), ("starts", &when(3600)), ("place", "Hub"), ("online_link", "")],
        )
        .await;
    let meeting = location(&r).split('/').nth(2).unwrap().to_string();
    let r = fac
        .call(
            "add_agenda_item",
            &[
                ("meeting", &meeting),
                ("kind", "prototype"),
                ("title", "Look at it"),
                ("prototype", &proto),
                ("round", ""),
                ("notes", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(count(&app, "SELECT count(*) FROM agenda_items").await, 0);
    app.stop().await;
}
