//! Notifications (issue 13): who is told of what, in the app and by email as they chose;
//! the digest; unsubscribing by the received link (the page and RFC 8058's one-click POST);
//! and no email carrying anyone's words. The mailers are driven directly on a server without
//! background jobs, so every step is deterministic.

use crate::support;

use app::{auth::Role, mail::sender::Mailer, notifications::mailer::NotificationMailer};
use reqwest::StatusCode;
use serde_json::Value;
use support::{mail::Sink, Client, TestApp};

/// A phrase only a person's own words contain: no email may carry it.
const WORDS: &str = "Marmalade-Periwinkle-Quasar";

struct World {
    app: TestApp,
    _dir: tempfile::TempDir,
    sink: Sink,
    mailer: Mailer,
    notices: NotificationMailer,
}

impl World {
    async fn new() -> World {
        let sink = Sink::start();
        let dir = tempfile::tempdir().unwrap();
        let mut config = support::config(&format!("sqlite://{}/test.db", dir.path().display()));
        config.smtp_url = Some(sink.url.clone());
        let app = TestApp::spawn_quiet(config).await;
        let mailer = Mailer::new(Some(&sink.url), "Lab <lab@example.org>").unwrap();
        let notices = NotificationMailer::new(app.state.mail.clone(), 8);
        World { app, _dir: dir, sink, mailer, notices }
    }

    /// Runs the notification mailer and then the sender, as the jobs would.
    async fn deliver(&self) {
        let pool = &self.app.state.db.write;
        self.notices.mail_new(pool).await.unwrap();
        self.mailer.send_due(pool).await.unwrap();
    }

    async fn unread(&self, c: &mut Client) -> i64 {
        let r = c.call("list_notifications", &[("page", "0")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()["unread"].as_i64().unwrap()
    }

    async fn texts(&self, c: &mut Client) -> Vec<String> {
        let r = c.call("list_notifications", &[("page", "0")]).await;
        r.json()["items"].as_array().unwrap().iter().map(|i| i["text"].as_str().unwrap().to_string()).collect()
    }

    async fn id_of(&self, email: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM users WHERE email = ?")
            .bind(email)
            .fetch_one(&self.app.state.db.read)
            .await
            .unwrap()
    }
}

/// Posts a comment (a reply when `parent` is given); its id.
async fn comment(app: &TestApp, c: &mut Client, proto: i64, body: &str, parent: Option<i64>) -> i64 {
    let r = c.comment(proto, body, parent).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    sqlx::query_scalar("SELECT max(id) FROM comments").fetch_one(&app.state.db.read).await.unwrap()
}

async fn prototype(gp: &mut Client) -> i64 {
    gp.published_prototype(&[("title", "Living Well Hub"), ("summary", ""), ("body", "Hello"), ("themes", "")]).await
}

#[tokio::test]
async fn replies_and_comments_on_your_prototype_are_notified_once_each() {
    let w = World::new().await;
    let mut gp = w.app.signed_in("gp@example.org", Role::DesignGroup).await;
    let mut cath = w.app.signed_in("cath@example.org", Role::Contributor).await;
    let mut sam = w.app.signed_in("sam@example.org", Role::Contributor).await;
    let proto = prototype(&mut gp).await;

    let top = comment(&w.app, &mut cath, proto, &format!("{WORDS} top"), None).await;
    assert_eq!(w.texts(&mut gp).await, vec!["A new comment on \u{2018}Living Well Hub\u{2019}, which you co-author"]);
    assert_eq!(w.unread(&mut cath).await, 0, "not told of one's own comment");

    comment(&w.app, &mut sam, proto, &format!("{WORDS} reply"), Some(top)).await;
    assert_eq!(w.texts(&mut cath).await, vec!["A reply to your comment on \u{2018}Living Well Hub\u{2019}"]);
    assert_eq!(w.unread(&mut gp).await, 1, "more comments while one is unread: still one line");

    // The co-author answering: the comment's author already has an unread reply (one line);
    // the co-author is not told of their own comment.
    comment(&w.app, &mut gp, proto, &format!("{WORDS} answer"), Some(top)).await;
    assert_eq!(w.unread(&mut cath).await, 1);
    assert_eq!(w.unread(&mut gp).await, 1);

    // The header shows the count, in the page's frame (no extra query).
    let page = cath.get("/").await;
    assert!(page.body.contains("class=\"badge\">1"), "{}", page.body);

    // Once read, the next reply is news again.
    cath.call("mark_all_read", &[]).await;
    comment(&w.app, &mut sam, proto, &format!("{WORDS} again"), Some(top)).await;
    assert_eq!(w.unread(&mut cath).await, 1);
    cath.call("mark_all_read", &[]).await;
    comment(&w.app, &mut sam, proto, &format!("{WORDS} and again"), Some(top)).await;
    assert_eq!(w.unread(&mut cath).await, 1);

    // Read marks are one's own.
    let list = cath.call("list_notifications", &[]).await.json();
    let newest = list["items"][0]["id"].as_i64().unwrap().to_string();
    assert_eq!(sam.call("mark_read", &[("id", &newest)]).await.status, StatusCode::NOT_FOUND, "not sam's");
    assert_eq!(w.unread(&mut cath).await, 1);
    assert_eq!(cath.call("mark_read", &[("id", &newest)]).await.status, StatusCode::OK);
    assert_eq!(w.unread(&mut cath).await, 0);
    assert_eq!(list["items"].as_array().unwrap().len(), 3, "three replies heard of, one line each time");
    w.app.stop().await;
}

#[tokio::test]
async fn a_held_comment_tells_facilitators_at_once_and_its_authors_only_when_released() {
    let w = World::new().await;
    let mut fac = w.app.signed_in("fac@example.org", Role::Facilitator).await;
    let mut gp = w.app.signed_in("gp@example.org", Role::DesignGroup).await;
    let mut cath = w.app.signed_in("cath@example.org", Role::Contributor).await;
    let proto = prototype(&mut gp).await;
    // The facilitator has paused every email and turned everything off: a held item still comes.
    let r = fac.call("save_preferences", &[("paused", "on"), ("delivery[meeting]", "off")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let held = comment(&w.app, &mut cath, proto, &format!("I want to end it all {WORDS}"), None).await;
    assert_eq!(w.unread(&mut gp).await, 0, "a held comment is not announced");
    assert_eq!(w.texts(&mut fac).await, vec!["A contribution is waiting for moderation"]);
    w.deliver().await;
    let mail = w.sink.wait_for("fac@example.org", 1).await.remove(0);
    assert!(mail.text().contains("/moderation"), "{}", mail.text());
    assert!(mail.header("List-Unsubscribe").is_none(), "nobody can stop these, so no link offers to");

    // A burst of held contributions is one alert while it is unread, not one each.
    for i in 0..5 {
        comment(&w.app, &mut cath, proto, &format!("I want to end it all {i} {WORDS}"), None).await;
    }
    assert_eq!(w.unread(&mut fac).await, 1);

    let r = fac.call("moderate", &[("kind", "comment"), ("id", &held.to_string()), ("decision", "release")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(w.unread(&mut gp).await, 1, "released: now the co-author hears of it");
    assert!(w.sink.all().iter().all(|m| !m.readable().contains(WORDS)));
    w.app.stop().await;
}

#[tokio::test]
async fn preferences_are_honoured_and_the_digest_comes_once_a_day() {
    let w = World::new().await;
    let mut gp = w.app.signed_in("gp@example.org", Role::DesignGroup).await;
    let mut cath = w.app.signed_in("cath@example.org", Role::Contributor).await;
    let mut sam = w.app.signed_in("sam@example.org", Role::Contributor).await;
    let proto = prototype(&mut gp).await;
    let top = comment(&w.app, &mut cath, proto, &format!("{WORDS} one"), None).await;

    // Cath: replies at once. The designer: off for comments on theirs.
    let r = cath.call("save_preferences", &[("delivery[reply]", "immediate")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    gp.call("save_preferences", &[("delivery[comment_on_yours]", "off")]).await;
    let prefs = cath.call("load_preferences", &[]).await.json();
    let reply = prefs["kinds"].as_array().unwrap().iter().find(|k| k["kind"] == "Reply").unwrap().clone();
    assert_eq!(reply["delivery"], "Immediate");
    assert!(!prefs["kinds"].as_array().unwrap().iter().any(|k| k["kind"] == "Held"), "facilitators only");

    comment(&w.app, &mut sam, proto, &format!("{WORDS} two"), Some(top)).await;
    w.deliver().await;
    let mail = w.sink.wait_for("cath@example.org", 1).await.remove(0);
    assert!(mail.subject().contains("A reply to your comment"), "{}", mail.subject());
    assert!(mail.header("List-Unsubscribe").is_some_and(|h| h.contains("/unsubscribe/one-click/")));
    assert_eq!(mail.header("List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));
    assert!(w.sink.to("gp@example.org").is_empty(), "off sends nothing");

    // Sam is on digests (the default): nothing until the digest hour, then one email a day.
    comment(&w.app, &mut cath, proto, &format!("{WORDS} three"), Some(top)).await;
    let sam_top = comment(&w.app, &mut sam, proto, &format!("{WORDS} four"), None).await;
    comment(&w.app, &mut cath, proto, &format!("{WORDS} five"), Some(sam_top)).await;
    w.deliver().await;
    assert!(w.sink.to("sam@example.org").is_empty(), "waits for the digest");
    let pool = &w.app.state.db.write;
    let morning = |hour: u32| app::time::from_local_input(&format!("2026-11-27T{hour:02}:05")).unwrap();
    assert_eq!(w.notices.digest_if_due(pool, morning(7)).await.unwrap(), 0, "before the hour");
    assert_eq!(w.notices.digest_if_due(pool, morning(9)).await.unwrap(), 1, "sam's");
    assert_eq!(w.notices.digest_if_due(pool, morning(10)).await.unwrap(), 0, "once a day");
    w.mailer.send_due(pool).await.unwrap();
    let digest = w.sink.wait_for("sam@example.org", 1).await.remove(0);
    assert_eq!(digest.subject(), "1 update from Living Well Collaborative");
    assert!(digest.text().contains("A reply to your comment on"), "{}", digest.text());
    assert!(digest.text().contains(&format!("{}/prototypes/{proto}#comment-", w.app.base)), "{}", digest.text());
    // Nothing new: no digest the next day.
    let tomorrow = morning(9) + 86_400;
    assert_eq!(w.notices.digest_if_due(pool, tomorrow).await.unwrap(), 0, "sent only when there is something");

    for m in w.sink.all() {
        assert!(!m.readable().contains(WORDS), "an email carries someone's words:\n{}", m.readable());
    }
    w.app.stop().await;
}

#[tokio::test]
async fn a_closed_or_demoted_account_is_not_emailed_what_it_can_no_longer_see() {
    let w = World::new().await;
    let mut fac = w.app.signed_in("fac@example.org", Role::Facilitator).await;
    let mut member = w.app.signed_in("m@example.org", Role::Member).await;
    let mut gone = w.app.signed_in("gone@example.org", Role::Member).await;
    member.call("save_preferences", &[("delivery[meeting]", "immediate")]).await;
    gone.call("save_preferences", &[("delivery[meeting]", "immediate")]).await;
    let starts = app::time::to_local_input(app::time::now() + 86_400);
    let form = [("title", "Winter meeting"), ("starts", starts.as_str()), ("place", "Hub"), ("online_link", "")];
    assert_eq!(fac.call("schedule_meeting", &form).await.status, StatusCode::OK);
    // Before the mailer runs, one member is demoted to contributor, the other's account closed.
    let (m, g) = (w.id_of("m@example.org").await.to_string(), w.id_of("gone@example.org").await.to_string());
    fac.call("set_member_role", &[("user_id", &m), ("role", "contributor")]).await;
    fac.call("set_member_active", &[("user_id", &g), ("active", "false")]).await;
    w.deliver().await;
    assert!(w.sink.all().is_empty(), "{:?}", w.sink.all().iter().map(|m| m.to.clone()).collect::<Vec<_>>());
    let mut member = w.app.client();
    member.call("login", &[("email", "m@example.org"), ("password", support::PASSWORD)]).await;
    assert!(w.texts(&mut member).await.is_empty(), "nor listed: meetings are for members");
    w.app.stop().await;
}

#[tokio::test]
async fn the_received_links_unsubscribe_without_signing_in() {
    let w = World::new().await;
    let mut gp = w.app.signed_in("gp@example.org", Role::DesignGroup).await;
    let mut cath = w.app.signed_in("cath@example.org", Role::Contributor).await;
    let proto = prototype(&mut gp).await;
    cath.call("save_preferences", &[("delivery[reply]", "immediate")]).await;
    let top = comment(&w.app, &mut cath, proto, "first", None).await;
    comment(&w.app, &mut gp, proto, "an answer", Some(top)).await;
    w.deliver().await;
    let mail = w.sink.wait_for("cath@example.org", 1).await.remove(0);

    // The page from the link asks first (link scanners fetch links), then stops that kind.
    let link = mail.link("/unsubscribe/");
    let path = link.strip_prefix(&w.app.base).unwrap().to_string();
    let mut stranger = w.app.client();
    let page = stranger.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("This stops emails when: someone replies to your comment"), "{}", page.body);
    let parts: Vec<&str> = path.trim_start_matches("/unsubscribe/").split('/').collect();
    let form = [("user", parts[0]), ("kind", parts[1]), ("mac", parts[2])];
    let r = stranger.post_form_from(&path, "unsubscribe", &form, &[]).await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    assert!(stranger.get(&format!("{path}?done=1")).await.body.contains("Done."));
    let prefs: Value = cath.call("load_preferences", &[]).await.json();
    let reply = prefs["kinds"].as_array().unwrap().iter().find(|k| k["kind"] == "Reply").unwrap().clone();
    assert_eq!(reply["delivery"], "Off");

    // A forged link changes nothing.
    let cath_id = w.id_of("cath@example.org").await.to_string();
    let forged = [("user", cath_id.as_str()), ("kind", "all"), ("mac", parts[2])];
    assert_eq!(stranger.call("unsubscribe", &forged).await.status, StatusCode::NOT_FOUND);
    let forged_page = stranger.get(&format!("/unsubscribe/{cath_id}/all/{}", parts[2])).await.body;
    assert!(forged_page.contains("This link does not work") && !forged_page.contains("This stops"), "{forged_page}");

    // RFC 8058: a mail program posts to the List-Unsubscribe address, with no cookie.
    let one_click = mail.header("List-Unsubscribe").unwrap();
    let one_click = one_click.trim_matches(|c| c == '<' || c == '>').to_string();
    let http = reqwest::Client::new();
    let bad = http
        .post(one_click.replace(parts[2], &"0".repeat(64)))
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::NOT_FOUND);
    cath.call("save_preferences", &[("delivery[reply]", "immediate")]).await;
    // A mail program without RFC 8058 opens the address: it is shown the page that asks.
    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let opened = no_redirects.get(&one_click).send().await.unwrap();
    assert_eq!(opened.status(), StatusCode::SEE_OTHER);
    assert!(opened.headers()["location"].to_str().unwrap().starts_with(&format!("/unsubscribe/{cath_id}/reply/")));
    // Webmail posts it from its own site: refused elsewhere, allowed here (no cookie, the MAC).
    let ok = http
        .post(&one_click)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let prefs: Value = cath.call("load_preferences", &[]).await.json();
    let reply = prefs["kinds"].as_array().unwrap().iter().find(|k| k["kind"] == "Reply").unwrap().clone();
    assert_eq!(reply["delivery"], "Off");
    w.app.stop().await;
}

#[tokio::test]
async fn meetings_votes_and_rounds_reach_the_people_who_can_take_part() {
    let w = World::new().await;
    let mut fac = w.app.signed_in("fac@example.org", Role::Facilitator).await;
    let mut member = w.app.signed_in("m@example.org", Role::Member).await;
    let mut contributor = w.app.signed_in("c@example.org", Role::Contributor).await;
    member.call("save_preferences", &[("delivery[meeting]", "immediate")]).await;
    let starts = app::time::to_local_input(app::time::now() + 86_400);
    let r = fac
        .call(
            "schedule_meeting",
            &[("title", "November collaborative"), ("starts", &starts), ("place", "Hub"), ("online_link", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(w.texts(&mut member).await, vec!["News of the meeting \u{2018}November collaborative\u{2019}"]);
    assert_eq!(w.unread(&mut contributor).await, 0, "meetings are for members");
    assert_eq!(w.unread(&mut fac).await, 0, "not told of what one did oneself");
    // The email carries a calendar invite; the same is a download on the site.
    w.deliver().await;
    let mail = w.sink.wait_for("m@example.org", 1).await.remove(0);
    let invite = mail.attachment("meeting.ics").expect("an invite attached");
    assert!(invite.contains("SUMMARY:November collaborative"), "{invite}");
    let meeting: i64 =
        sqlx::query_scalar("SELECT max(id) FROM meetings").fetch_one(&w.app.state.db.read).await.unwrap();
    let download = member.get(&format!("/meetings/{meeting}.ics")).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.headers["content-type"], "text/calendar; charset=utf-8");
    assert!(download.body.contains("SUMMARY:November collaborative"), "{}", download.body);
    assert_eq!(contributor.get(&format!("/meetings/{meeting}.ics")).await.status, StatusCode::FORBIDDEN);

    // A members-only round opening, announced once by the job.
    let mut gp = w.app.signed_in("gp@example.org", Role::DesignGroup).await;
    let proto = prototype(&mut gp).await;
    let opens = app::time::to_local_input(app::time::now() - 60);
    let closes = app::time::to_local_input(app::time::now() + 7 * 86_400);
    let p = proto.to_string();
    let r = gp
        .call(
            "open_round",
            &[
                ("prototype", &p),
                ("iteration", "1"),
                ("title", "Evening drop-in"),
                ("purpose", ""),
                ("audience", "members"),
                ("opens", &opens),
                ("closes", &closes),
                ("kind[]", "scale"),
                ("prompt[]", "How much?"),
                ("options[]", ""),
                ("low[]", ""),
                ("high[]", ""),
                ("required[]", "no"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let pool = &w.app.state.db.write;
    assert_eq!(app::consultations::store::announce_due_rounds(pool).await.unwrap(), 1);
    assert_eq!(app::consultations::store::announce_due_rounds(pool).await.unwrap(), 0, "once");
    assert!(w
        .texts(&mut member)
        .await
        .contains(&"A consultation is open: \u{2018}Evening drop-in\u{2019}".to_string()));
    assert_eq!(w.unread(&mut contributor).await, 0, "a members-only round");
    w.app.stop().await;
}
