//! The permission table: every server function × every role (visitor, contributor,
//! member, design group, facilitator), called over HTTP with valid input, allowed or refused
//! as DESIGN.md says. An allowed call succeeds (2xx, and no conflict redirect); a refused
//! one is 401 for a visitor and 403 for a signed-in role, and writes nothing (every table
//! but the session store reads the same before and after it).
//!
//! Then what the roles that see less are sent (`what_each_role_sees`, a smaller table of
//! predicates on the JSON), and the two downloads, a round's CSV and a meeting's minutes,
//! for every role (`every_download_for_every_role`).
// Test tables read best as rows of tuples, one case a line.
#![allow(clippy::type_complexity)]

use crate::support;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::Value;
use support::{Client, TestApp};

#[derive(Clone, Copy, Debug)]
enum Who {
    Visitor,
    As(Role),
}

impl Who {
    fn name(self) -> &'static str {
        match self {
            Who::Visitor => "visitor",
            Who::As(r) => r.as_str(),
        }
    }
}

const EVERYONE: [Who; 5] = [
    Who::Visitor,
    Who::As(Role::Contributor),
    Who::As(Role::Member),
    Who::As(Role::DesignGroup),
    Who::As(Role::Facilitator),
];
const VISITOR: Who = Who::Visitor;
const CONTRIBUTOR: Who = Who::As(Role::Contributor);
const MEMBER: Who = Who::As(Role::Member);
const DESIGNER: Who = Who::As(Role::DesignGroup);
const FACILITATOR: Who = Who::As(Role::Facilitator);

/// Which of EVERYONE (in that order) may call each function.
const ANYONE: [bool; 5] = [true, true, true, true, true];
const SIGNED_IN: [bool; 5] = [false, true, true, true, true];
const MEMBERS: [bool; 5] = [false, false, true, true, true];
const DESIGN_GROUP: [bool; 5] = [false, false, false, true, true];
const FACILITATORS: [bool; 5] = [false, false, false, false, true];
const NOBODY: [bool; 5] = [false, false, false, false, false];

/// Words the fixtures plant, so a body can be searched for what it must not carry.
const DRAFT_ONLY: &str = "Zebracrossing"; // the title of a prototype never published
const DRAFT_WORD: &str = "Quokkasummary"; // saved into a published prototype's draft after publishing
const MINUTES_DRAFT: &str = "Draft minutes only the facilitator reads";
const APPROVED_MINUTES: &str = "Approved minutes every member may read";
const QUOTABLE: &str = "Evenings please"; // an answer that may be quoted
const UNQUOTABLE: &str = "Only for the design group"; // an answer for the design group only
const HELD: &str = "Some days I want to die"; // held by safeguarding triage (a default phrase)
const THEME: &str = "evenings";
const ANONYMOUS_COMMENT: &str = "An anonymous word";
const HELD_COMMENT: &str = "I want to die some days";

/// The place a server function sent the browser next (its `Location`).
fn location(r: &support::Reply) -> String {
    r.headers.get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

/// The id in `/things/{id}/…?…#…`.
fn id_in(location: &str) -> String {
    location.split('/').nth(2).unwrap().split(['?', '#']).next().unwrap().to_string()
}

/// Every table but the session store (saved on each request: expiry on inactivity) and the
/// background jobs' leases, as text: the same before and after means nothing was written.
async fn fingerprint(db: &sqlx::SqlitePool) -> Vec<(String, String)> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('tower_sessions', 'job_leases') ORDER BY name",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut all = Vec::new();
    for t in tables {
        let cols: Vec<String> =
            sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{t}')")).fetch_all(db).await.unwrap();
        if cols.is_empty() {
            continue;
        }
        let row = cols.iter().map(|c| format!("quote(\"{c}\")")).collect::<Vec<_>>().join(" || ',' || ");
        let dump: Option<String> = sqlx::query_scalar(&format!(
            "SELECT group_concat(r, char(10)) FROM (SELECT {row} AS r FROM \"{t}\" ORDER BY r)"
        ))
        .fetch_one(db)
        .await
        .unwrap();
        all.push((t, dump.unwrap_or_default()));
    }
    all
}

fn changed(before: &[(String, String)], after: &[(String, String)]) -> Vec<String> {
    let mut names: Vec<String> = before.iter().zip(after).filter(|(b, a)| b != a).map(|(b, _)| b.0.clone()).collect();
    if before.len() != after.len() {
        names.push("(tables)".into());
    }
    names
}

/// A database with something of every kind to act on, and the two people who made it.
struct World {
    app: TestApp,
    _dir: tempfile::TempDir,
    /// Signed in as the design group's `author`; `fac` as a facilitator.
    designer: Client,
    fac: Client,
    target: String,
    author: String,
    /// Published (two iterations), then a draft saved with DRAFT_WORD.
    proto: String,
    /// Created, never published.
    draft_only: String,
    spare_stage: String,
    statement: String,
    value: String,
    note: String,
    /// An open public round with one optional text question, answered once by the author.
    round: String,
    question: i64,
    /// A closed public round: a quotable answer, a design-group-only one and a held one.
    closed: String,
    answer: String,
    response: String,
    /// The author's first comment (coded with THEME); an anonymous and a held one follow.
    comment: String,
    receipt: String,
    invitation: String,
    /// A meeting with draft minutes, an agenda item, a motion open for votes and an open
    /// secret ballot with one vote; and a meeting whose minutes are approved.
    meeting: String,
    approved_meeting: String,
    item: String,
    to_vote: String,
    opens: String,
    closes: String,
    /// Evaluation (issue 12): a prototype at Implementing with a site planned, a site not in
    /// its plan, and a measure of `proto` with a reading.
    implementing: String,
    site: String,
    measure: String,
}

impl World {
    async fn build() -> World {
        // Without background jobs: a job writing mid-case (announcing a round, mailing a
        // notification) would look like a refused call that wrote.
        let dir = tempfile::tempdir().unwrap();
        let app = TestApp::spawn_quiet(support::config(&format!("sqlite://{}/test.db", dir.path().display()))).await;
        let target = app.user("target@example.org", Role::Contributor).await.to_string();
        let author = app.user("author@example.org", Role::DesignGroup).await.to_string();
        let mut designer = app.client();
        let r = designer.call("login", &[("email", "author@example.org"), ("password", support::PASSWORD)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let fac = app.signed_in("setup-facilitator@example.org", Role::Facilitator).await;
        let now = chrono::Utc::now().timestamp();
        let (opens, closes) = (app::time::to_local_input(now - 60), app::time::to_local_input(now + 86_400));
        let mut w = World {
            app,
            _dir: dir,
            designer,
            fac,
            target,
            author,
            proto: String::new(),
            draft_only: String::new(),
            spare_stage: String::new(),
            statement: String::new(),
            value: String::new(),
            note: String::new(),
            round: String::new(),
            question: 0,
            closed: String::new(),
            answer: String::new(),
            response: String::new(),
            comment: String::new(),
            receipt: String::new(),
            invitation: String::new(),
            meeting: String::new(),
            approved_meeting: String::new(),
            item: String::new(),
            to_vote: String::new(),
            opens,
            closes,
            implementing: String::new(),
            site: String::new(),
            measure: String::new(),
        };
        // Prototypes (issue 3): one published twice, then its draft changed; one never published.
        w.proto = w.new_prototype("Hub").await;
        let r = w.designer.call("publish_iteration", &[("id", w.proto.as_str()), ("change_note", "second")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let revision = w.revision().await;
        let r = w
            .designer
            .call(
                "save_draft",
                &[
                    ("id", w.proto.as_str()),
                    ("revision", &revision),
                    ("title", "Hub"),
                    ("summary", DRAFT_WORD),
                    ("body", DRAFT_WORD),
                    ("themes", ""),
                    ("authors[]", w.author.as_str()),
                ],
            )
            .await;
        assert!(r.status == StatusCode::OK && !location(&r).contains("conflict"), "{} {}", r.status, r.body);
        let r = w
            .designer
            .call(
                "create_prototype",
                &[("title", DRAFT_ONLY), ("summary", ""), ("body", "never published"), ("themes", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        w.draft_only = id_in(&location(&r));
        let db = w.app.state.db.write.clone();
        let spare: i64 = sqlx::query_scalar("INSERT INTO stages (name, position) VALUES ('Spare', 50) RETURNING id")
            .fetch_one(&db)
            .await
            .unwrap();
        let statement: i64 = sqlx::query_scalar(
            "INSERT INTO experience_statements (text, position) VALUES ('I am heard', 1) RETURNING id",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        (w.spare_stage, w.statement) = (spare.to_string(), statement.to_string());
        let value: i64 =
            sqlx::query_scalar("INSERT INTO lab_values (name, position) VALUES ('Listen first', 1) RETURNING id")
                .fetch_one(&db)
                .await
                .unwrap();
        w.value = value.to_string();
        // Consultations (issue 4).
        w.round = w.new_round().await;
        w.closed = w.new_round().await;
        w.question = sqlx::query_scalar("SELECT id FROM questions WHERE round_id = ?")
            .bind(w.round.parse::<i64>().unwrap())
            .fetch_one(&db)
            .await
            .unwrap();
        let closed_question: i64 = sqlx::query_scalar("SELECT id FROM questions WHERE round_id = ?")
            .bind(w.closed.parse::<i64>().unwrap())
            .fetch_one(&db)
            .await
            .unwrap();
        let field = format!("answers[q{closed_question}]");
        for (i, (text, consent)) in
            [(QUOTABLE, "quote_anonymously"), (UNQUOTABLE, "design_group_only"), (HELD, "quote_anonymously")]
                .into_iter()
                .enumerate()
        {
            let key = format!("c{i}").repeat(16);
            let r = w
                .app
                .client()
                .call(
                    "submit_response",
                    &[("round", w.closed.as_str()), ("key", &key), ("consent", consent), (&field, text)],
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let r = w.designer.call("close_round", &[("id", w.closed.as_str())]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // The library (issue 11): a published, shareable learning note on the prototype.
        let evidence = format!("round:{}", w.closed);
        let r = w
            .designer
            .call(
                "create_note",
                &[
                    ("title", "What we learned"),
                    ("body", "Ask early."),
                    ("kind", "method"),
                    ("themes", THEME),
                    ("prototype", w.proto.as_str()),
                    ("shareable", "on"),
                    ("evidence[]", evidence.as_str()),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        w.note = id_in(&location(&r));
        let r = w.designer.call("publish_note", &[("id", w.note.as_str())]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = w
            .designer
            .call(
                "submit_response",
                &[
                    ("round", w.round.as_str()),
                    ("key", &"a".repeat(32)),
                    (&format!("answers[q{}]", w.question), QUOTABLE),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        w.receipt = id_in(&location(&r));
        let (answer, response): (i64, i64) = sqlx::query_as(
            "SELECT a.id, x.id FROM answers a JOIN responses x ON x.id = a.response_id WHERE x.round_id = ?",
        )
        .bind(w.round.parse::<i64>().unwrap())
        .fetch_one(&db)
        .await
        .unwrap();
        (w.answer, w.response) = (answer.to_string(), response.to_string());
        // Comments: a coded one, an anonymous one and a held one, all the author's.
        for (i, (body, anonymous)) in
            [("A first comment", ""), (ANONYMOUS_COMMENT, "on"), (HELD_COMMENT, "")].into_iter().enumerate()
        {
            let key = format!("b{i}").repeat(16);
            let r = w
                .designer
                .call(
                    "add_comment",
                    &[("prototype", w.proto.as_str()), ("key", &key), ("body", body), ("anonymous", anonymous)],
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let comment: i64 = sqlx::query_scalar("SELECT min(id) FROM comments").fetch_one(&db).await.unwrap();
        w.comment = comment.to_string();
        let r =
            w.designer.call("code_themes", &[("kind", "comment"), ("id", w.comment.as_str()), ("themes", THEME)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // An invitation link (its token is in the redirect to the members page).
        let r = w.fac.call("invite_member", &[("email", ""), ("role", "member")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        w.invitation = location(&r).split("invited=").nth(1).unwrap().to_string();
        // Meetings (issue 5).
        w.meeting = w.new_meeting("Meeting").await;
        let r = w
            .fac
            .call(
                "add_agenda_item",
                &[
                    ("meeting", w.meeting.as_str()),
                    ("kind", "free"),
                    ("title", "Item"),
                    ("prototype", ""),
                    ("round", ""),
                    ("notes", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let item: i64 = sqlx::query_scalar("SELECT id FROM agenda_items").fetch_one(&db).await.unwrap();
        w.item = item.to_string();
        w.to_vote = w.new_motion(true, "").await;
        let secret = w.new_motion(true, "on").await;
        let mut voter = w.app.signed_in("setup-voter@example.org", Role::Member).await;
        let r = voter.call("cast_vote", &[("motion", secret.as_str()), ("choice", "for")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = w.fac.call("save_minutes", &[("meeting", w.meeting.as_str()), ("text", MINUTES_DRAFT)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        w.approved_meeting = w.new_meeting("Approved").await;
        let r = w
            .fac
            .call(
                "save_minutes",
                &[("meeting", w.approved_meeting.as_str()), ("text", APPROVED_MINUTES), ("intent", "approve")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // Evaluation (issue 12).
        w.implementing = w.new_prototype("Implementing").await;
        sqlx::query(
            "UPDATE prototypes SET stage_id = (SELECT id FROM stages WHERE name = 'Implementing') WHERE id = ?",
        )
        .bind(w.implementing.parse::<i64>().unwrap())
        .execute(&db)
        .await
        .unwrap();
        w.site = w.new_site("Setup", false).await;
        w.measure = w.new_measure().await;
        w
    }

    /// A new site; with `planned`, planned for the prototype at Implementing.
    async fn new_site(&self, name: &str, planned: bool) -> String {
        let pool = &self.app.state.db.write;
        let site: i64 = sqlx::query_scalar(
            "INSERT INTO sites (name, kind, area, created_at) VALUES (?, 'GP practice', 'North', 0) RETURNING id",
        )
        .bind(format!("{name} Surgery"))
        .fetch_one(pool)
        .await
        .unwrap();
        if planned {
            sqlx::query("INSERT INTO rollouts (prototype_id, site_id, status, since, updated_at) VALUES (?, ?, 'planned', '2026-01-01', 0)")
                .bind(self.implementing.parse::<i64>().unwrap())
                .bind(site)
                .execute(pool)
                .await
                .unwrap();
        }
        site.to_string()
    }

    /// A new number measure of `proto` with one reading.
    async fn new_measure(&self) -> String {
        let pool = &self.app.state.db.write;
        let measure: i64 = sqlx::query_scalar(
            "INSERT INTO measures (prototype_id, name, kind, unit, direction, position, created_at, updated_at)
             VALUES (?, 'Days waited', 'number', 'days', 'lower', 1, 0, 0) RETURNING id",
        )
        .bind(self.proto.parse::<i64>().unwrap())
        .fetch_one(pool)
        .await
        .unwrap();
        self.new_reading(measure).await;
        measure.to_string()
    }

    async fn new_reading(&self, measure: i64) -> String {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO readings (measure_id, value, taken_on, entered_at) VALUES (?, 20, '2026-01-01', 0) RETURNING id",
        )
        .bind(measure)
        .fetch_one(&self.app.state.db.write)
        .await
        .unwrap();
        id.to_string()
    }

    /// A new prototype with one published iteration.
    async fn new_prototype(&mut self, title: &str) -> String {
        let r = self
            .designer
            .call("create_prototype", &[("title", title), ("summary", ""), ("body", "one"), ("themes", "")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let id = id_in(&location(&r));
        let r = self.designer.call("publish_iteration", &[("id", id.as_str()), ("change_note", "first")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        id
    }

    /// A new open public round on `proto` with one optional text question.
    async fn new_round(&mut self) -> String {
        let r = self
            .designer
            .call(
                "open_round",
                &[
                    ("prototype", self.proto.as_str()),
                    ("iteration", "1"),
                    ("title", "Round"),
                    ("purpose", ""),
                    ("audience", "public"),
                    ("opens", &self.opens),
                    ("closes", &self.closes),
                    ("kind[]", "text"),
                    ("prompt[]", "Anything?"),
                    ("options[]", ""),
                    ("low[]", ""),
                    ("high[]", ""),
                    ("required[]", "no"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        id_in(&location(&r))
    }

    async fn new_meeting(&mut self, title: &str) -> String {
        let r = self
            .fac
            .call(
                "schedule_meeting",
                &[("title", title), ("starts", &self.opens), ("place", "Hub"), ("online_link", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        id_in(&location(&r))
    }

    /// A new majority motion on `item`, opened for votes if `open`.
    async fn new_motion(&mut self, open: bool, secret: &str) -> String {
        let r = self
            .fac
            .call(
                "add_motion",
                &[
                    ("item", self.item.as_str()),
                    ("question", "Agree?"),
                    ("background", ""),
                    ("method", "majority"),
                    ("options", ""),
                    ("secret", secret),
                    ("quorum_votes", "0"),
                    ("quorum_lived", "0"),
                    ("action", "none"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let id = location(&r).split("#motion-").nth(1).unwrap().to_string();
        if open {
            let r = self.fac.call("open_motion", &[("id", id.as_str())]).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        id
    }

    async fn revision(&self) -> String {
        let rev: i64 = sqlx::query_scalar("SELECT draft_revision FROM prototypes WHERE id = ?")
            .bind(self.proto.parse::<i64>().unwrap())
            .fetch_one(&self.app.state.db.read)
            .await
            .unwrap();
        rev.to_string()
    }

    /// One form value for call `n` by the account `me`: placeholders become fresh input, so
    /// a call that changes state never finds it changed by the caller before.
    async fn fill(&mut self, v: &str, n: usize, me: &str) -> String {
        match v {
            "{fresh}" => format!("fresh-{n}@example.org"),
            "{key}" => format!("{n:032x}"),
            "{me}" => me.to_string(),
            "{reset}" => self.new_reset_link().await,
            "{my notification}" => self.notification_for(me).await,
            "{unsubscribe mac}" => {
                let key = self.app.state.mail.unsubscribe_key.clone();
                app::notifications::unsubscribe::sign(&key, self.target.parse().unwrap(), "reply")
            }
            "{prototype}" => self.new_prototype(&format!("Fresh {n}")).await,
            "{revision}" => self.revision().await,
            "{site}" => self.new_site(&format!("Fresh {n}"), false).await,
            "{planned site}" => self.new_site(&format!("Planned {n}"), true).await,
            "{measure}" => self.new_measure().await,
            "{reading}" => self.new_reading(self.measure.parse().unwrap()).await,
            "{round}" => self.new_round().await,
            "{motion}" => self.new_motion(false, "").await,
            "{open motion}" => self.new_motion(true, "").await,
            "{vision version}" => {
                let v: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM vision_versions")
                    .fetch_one(&self.app.state.db.read)
                    .await
                    .unwrap();
                v.to_string()
            }
            "{person}" => self.app.user(&format!("person-{n}@example.org"), Role::Contributor).await.to_string(),
            "{person due for deletion}" => {
                let id = self.app.user(&format!("leaving-{n}@example.org"), Role::Contributor).await;
                let pool = &self.app.state.db.write;
                let fac: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'setup-facilitator@example.org'")
                    .fetch_one(pool)
                    .await
                    .unwrap();
                app::privacy::store::request_erasure(pool, id, Some(fac), "phone", true, |_, _| None).await.unwrap();
                id.to_string()
            }
            v => v.replace("{n}", &n.to_string()),
        }
    }

    /// A notification for the account `me` (any id for a visitor, who is refused anyway).
    async fn notification_for(&self, me: &str) -> String {
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO notifications (user_id, kind, created_at)
             SELECT id, 'meeting', 0 FROM users WHERE email = ? RETURNING id",
        )
        .bind(me)
        .fetch_optional(&self.app.state.db.write)
        .await
        .unwrap();
        id.unwrap_or(1).to_string()
    }

    /// A live password reset link for the target account.
    async fn new_reset_link(&self) -> String {
        let token = app::auth::api::new_token();
        let hash = app::auth::api::hash_token(&token);
        let target = self.target.parse().unwrap();
        app::auth::store::create_reset(&self.app.state.db.write, target, &hash, 3600, None, None).await.unwrap();
        token
    }

    /// A client for `who`, signed in (unless a visitor) as a new account named for the case;
    /// with `visitor_account`, a visitor's account exists too (signed out), for `{me}`.
    async fn caller(&self, case: &str, who: Who, visitor_account: bool) -> (Client, String) {
        let me = format!("{case}-{}@example.org", who.name());
        let client = match who {
            Who::Visitor => {
                if visitor_account {
                    self.app.user(&me, Role::Contributor).await;
                }
                self.app.client()
            }
            Who::As(role) => self.app.signed_in(&me, role).await,
        };
        (client, me)
    }
}

#[tokio::test]
async fn every_server_function_for_every_role() {
    let mut w = World::build().await;
    let (proto, target, author, spare_stage, statement, round, closed) = (
        w.proto.clone(),
        w.target.clone(),
        w.author.clone(),
        w.spare_stage.clone(),
        w.statement.clone(),
        w.round.clone(),
        w.closed.clone(),
    );
    let (value, note, closed_round) = (w.value.clone(), w.note.clone(), format!("round:{}", w.closed));
    let (implementing, site, measure) = (w.implementing.clone(), w.site.clone(), w.measure.clone());
    let (answer, response, comment, meeting, item, to_vote, opens, closes) = (
        w.answer.clone(),
        w.response.clone(),
        w.comment.clone(),
        w.meeting.clone(),
        w.item.clone(),
        w.to_vote.clone(),
        w.opens.clone(),
        w.closes.clone(),
    );
    let testing: i64 = sqlx::query_scalar("SELECT id FROM stages WHERE name = 'Testing'")
        .fetch_one(&w.app.state.db.read)
        .await
        .unwrap();
    let testing = testing.to_string();
    let answer_field = format!("answers[q{}]", w.question);
    // (function, form, who may call it). Every form is valid for an allowed caller, so an
    // allowed call must succeed; placeholders ({fresh}, {key}, {me}, {prototype},
    // {revision}, {round}, {motion}, {open motion}, {reset}, {n}) are filled for each call (`World::fill`).
    let table: Vec<(&str, Vec<(&str, String)>, [bool; 5])> = vec![
        ("site_info", vec![], ANYONE),
        ("invitation", vec![("token", w.invitation.clone())], ANYONE),
        ("login", vec![("email", "{me}".into()), ("password", support::PASSWORD.into())], ANYONE),
        (
            "register",
            vec![("display_name", "New".into()), ("email", "{fresh}".into()), ("password", support::PASSWORD.into())],
            ANYONE,
        ),
        ("logout", vec![], ANYONE),
        ("account", vec![], SIGNED_IN),
        ("update_profile", vec![("display_name", "Renamed".into()), ("carer", "on".into())], SIGNED_IN),
        (
            "change_password",
            vec![
                ("current_password", support::PASSWORD.into()),
                ("new_password", "a new long password".into()),
                ("confirm_password", "a new long password".into()),
            ],
            SIGNED_IN,
        ),
        ("forgot_password", vec![("email", "{me}".into())], ANYONE),
        ("reset_link", vec![("token", "{reset}".into())], ANYONE),
        (
            "reset_password",
            vec![
                ("token", "{reset}".into()),
                ("new_password", "a new long password".into()),
                ("confirm_password", "a new long password".into()),
            ],
            ANYONE,
        ),
        ("make_reset_link", vec![("user_id", target.clone())], FACILITATORS),
        ("outbox", vec![("page", "0".into())], FACILITATORS),
        // Notifications (issue 13): a person's own, or by a signed unsubscribe link.
        ("list_notifications", vec![("page", "0".into())], SIGNED_IN),
        ("unread_count", vec![], SIGNED_IN),
        ("mark_read", vec![("id", "{my notification}".into()), ("page", "0".into())], SIGNED_IN),
        ("mark_all_read", vec![], SIGNED_IN),
        ("load_preferences", vec![], SIGNED_IN),
        ("save_preferences", vec![("paused", "on".into()), ("delivery[reply]", "off".into())], SIGNED_IN),
        (
            "unsubscribe_link",
            vec![("user", target.clone()), ("kind", "reply".into()), ("mac", "{unsubscribe mac}".into())],
            ANYONE,
        ),
        (
            "unsubscribe",
            vec![("user", target.clone()), ("kind", "reply".into()), ("mac", "{unsubscribe mac}".into())],
            ANYONE,
        ),
        // People's own data (issue 13): their own, signed in; on their behalf, facilitators.
        ("load_my_data", vec![], SIGNED_IN),
        ("export_my_data", vec![], SIGNED_IN),
        (
            "delete_my_account",
            vec![("password", support::PASSWORD.into()), ("quotes", "keep".into()), ("understood", "on".into())],
            SIGNED_IN,
        ),
        ("load_data_for", vec![("user_id", target.clone())], FACILITATORS),
        ("export_data_for", vec![("user_id", target.clone()), ("channel", "phone".into())], FACILITATORS),
        (
            "delete_account_for",
            vec![
                ("user_id", "{person}".into()),
                ("channel", "letter".into()),
                ("quotes", "remove".into()),
                ("understood", "on".into()),
            ],
            FACILITATORS,
        ),
        ("cancel_deletion_for", vec![("user_id", "{person due for deletion}".into())], FACILITATORS),
        ("load_retention", vec![], FACILITATORS),
        (
            "save_retention",
            vec![
                ("held_days", "365".into()),
                ("response_days", "".into()),
                ("throttle_days", "1".into()),
                ("refused_form_hours", "1".into()),
                ("audit_days", "730".into()),
                ("mail_days", "90".into()),
            ],
            FACILITATORS,
        ),
        ("list_members", vec![("page", "0".into())], FACILITATORS),
        ("invite_member", vec![("email", "".into()), ("role", "member".into())], FACILITATORS),
        ("set_member_role", vec![("user_id", target.clone()), ("role", "member".into())], FACILITATORS),
        ("set_member_active", vec![("user_id", target.clone()), ("active", "true".into())], FACILITATORS),
        ("set_open_registration", vec![("open", "true".into())], FACILITATORS),
        // Prototypes (issue 3).
        ("board", vec![], SIGNED_IN),
        ("list_prototypes", vec![("q", "Hub".into()), ("page", "0".into())], SIGNED_IN),
        ("prototype", vec![("id", proto.clone())], SIGNED_IN),
        ("iteration_page", vec![("id", proto.clone()), ("number", "1".into())], SIGNED_IN),
        ("compare", vec![("id", proto.clone()), ("from", "1".into()), ("to", "2".into())], SIGNED_IN),
        ("list_stages", vec![], SIGNED_IN),
        ("list_statements", vec![], SIGNED_IN),
        ("statement_page", vec![("id", statement.clone())], SIGNED_IN),
        ("load_draft", vec![("id", proto.clone())], DESIGN_GROUP),
        ("preview", vec![("body", "# Hello".into())], DESIGN_GROUP),
        (
            "create_prototype",
            vec![("title", "New {n}".into()), ("summary", "".into()), ("body", "b".into()), ("themes", "".into())],
            DESIGN_GROUP,
        ),
        (
            "save_draft",
            vec![
                ("id", proto.clone()),
                ("revision", "{revision}".into()),
                ("title", "Hub".into()),
                ("summary", "".into()),
                ("body", "x".into()),
                ("themes", "".into()),
                ("authors[]", author.clone()),
            ],
            DESIGN_GROUP,
        ),
        ("publish_iteration", vec![("id", proto.clone()), ("change_note", "another".into())], DESIGN_GROUP),
        (
            "move_stage",
            vec![("id", "{prototype}".into()), ("stage", testing.clone()), ("reason", "ready".into())],
            DESIGN_GROUP,
        ),
        ("add_stage", vec![("name", "Extra {n}".into())], FACILITATORS),
        ("rename_stage", vec![("id", spare_stage.clone()), ("name", "Spare stage {n}".into())], FACILITATORS),
        ("reorder_stage", vec![("id", spare_stage.clone()), ("direction", "up".into())], FACILITATORS),
        ("retire_stage", vec![("id", spare_stage.clone()), ("retired", "true".into())], FACILITATORS),
        ("add_statement", vec![("text", "I can get help {n}".into()), ("short_name", "".into())], FACILITATORS),
        (
            "update_statement",
            vec![("id", statement.clone()), ("text", "I am heard and answered {n}".into()), ("short_name", "".into())],
            FACILITATORS,
        ),
        ("reorder_statement", vec![("id", statement.clone()), ("direction", "down".into())], FACILITATORS),
        ("retire_statement", vec![("id", statement.clone()), ("retired", "false".into())], FACILITATORS),
        // Consultations and feedback (issue 4).
        ("list_rounds", vec![("page", "0".into())], ANYONE),
        ("load_round", vec![("id", round.clone())], ANYONE),
        (
            "submit_response",
            vec![("round", round.clone()), ("key", "{key}".into()), (answer_field.as_str(), "Yes".into())],
            ANYONE,
        ),
        ("load_receipt", vec![("token", w.receipt.clone())], ANYONE),
        ("load_new_round", vec![("prototype", proto.clone())], DESIGN_GROUP),
        (
            "open_round",
            vec![
                ("prototype", proto.clone()),
                ("iteration", "1".into()),
                ("title", "Another".into()),
                ("purpose", "".into()),
                ("audience", "members".into()),
                ("opens", opens.clone()),
                ("closes", closes.clone()),
                ("kind[]", "scale".into()),
                ("prompt[]", "How much?".into()),
                ("options[]", "".into()),
                ("low[]", "".into()),
                ("high[]", "".into()),
                ("required[]", "no".into()),
            ],
            DESIGN_GROUP,
        ),
        ("close_round", vec![("id", "{round}".into())], DESIGN_GROUP),
        ("load_results", vec![("id", closed.clone())], MEMBERS),
        ("prototype_comments", vec![("id", proto.clone()), ("page", "0".into())], SIGNED_IN),
        (
            "add_comment",
            vec![("prototype", proto.clone()), ("key", "{key}".into()), ("body", "Me too".into())],
            SIGNED_IN,
        ),
        ("edit_comment", vec![("id", comment.clone()), ("body", "Not yours".into())], NOBODY),
        ("delete_comment", vec![("id", comment.clone())], NOBODY),
        ("report_comment", vec![("id", comment.clone()), ("reason", "off_topic".into())], SIGNED_IN),
        ("moderation_queue", vec![], FACILITATORS),
        (
            "moderate",
            vec![("kind", "comment".into()), ("id", comment.clone()), ("decision", "release".into())],
            FACILITATORS,
        ),
        (
            "code_themes",
            vec![("kind", "answer".into()), ("id", answer.clone()), ("themes", "evenings".into())],
            DESIGN_GROUP,
        ),
        (
            "set_outcome",
            vec![("kind", "response".into()), ("id", response.clone()), ("iteration", "1".into())],
            DESIGN_GROUP,
        ),
        ("open_feedback", vec![("prototype", proto.clone())], DESIGN_GROUP),
        ("iteration_feedback", vec![("prototype", proto.clone()), ("number", "1".into())], SIGNED_IN),
        ("my_contributions", vec![], SIGNED_IN),
        ("load_safeguarding", vec![], FACILITATORS),
        ("update_safeguarding", vec![("crisis_text", "".into()), ("phrases", "".into())], FACILITATORS),
        ("load_home", vec![], ANYONE),
        // The vision (issue 11): read by anyone, written by facilitators.
        ("load_vision", vec![], ANYONE),
        ("vision_history", vec![("page", "0".into())], ANYONE),
        (
            "save_vision",
            vec![("body", "We listen first {n}.".into()), ("note", "".into()), ("based_on", "{vision version}".into())],
            FACILITATORS,
        ),
        // The library (issue 11): members read notes, the design group writes them, anyone
        // reads a shared one.
        ("list_notes", vec![("page", "0".into())], MEMBERS),
        ("library_note", vec![("id", note.clone())], MEMBERS),
        ("shared_note", vec![("id", note.clone())], ANYONE),
        ("theme_page", vec![("name", THEME.into())], MEMBERS),
        ("load_note_form", vec![("prototype", proto.clone()), ("iteration", "1".into())], DESIGN_GROUP),
        (
            "create_note",
            vec![
                ("title", "Lesson {n}".into()),
                ("body", "We learned.".into()),
                ("kind", "worked".into()),
                ("themes", "".into()),
                ("prototype", proto.clone()),
            ],
            DESIGN_GROUP,
        ),
        (
            "save_note",
            vec![
                ("id", note.clone()),
                ("title", "What we learned".into()),
                ("body", "Ask early.".into()),
                ("kind", "method".into()),
                ("themes", THEME.into()),
                ("prototype", proto.clone()),
                ("shareable", "on".into()),
                ("evidence[]", closed_round.clone()),
            ],
            DESIGN_GROUP,
        ),
        ("publish_note", vec![("id", note.clone())], DESIGN_GROUP),
        // Search (issue 11): every signed-in account, over what it may open.
        ("search", vec![("q", "hub".into())], SIGNED_IN),
        ("list_values", vec![], ANYONE),
        ("value_page", vec![("id", value.clone())], ANYONE),
        ("add_value", vec![("name", "Equal say {n}".into()), ("description", "".into())], FACILITATORS),
        (
            "update_value",
            vec![("id", value.clone()), ("name", "Listen first {n}".into()), ("description", "We ask.".into())],
            FACILITATORS,
        ),
        ("reorder_value", vec![("id", value.clone()), ("direction", "down".into())], FACILITATORS),
        ("retire_value", vec![("id", value.clone()), ("retired", "false".into())], FACILITATORS),
        // Meetings (issue 5).
        ("list_meetings", vec![], MEMBERS),
        ("load_meeting", vec![("id", meeting.clone())], MEMBERS),
        ("live_tallies", vec![("meeting", meeting.clone())], MEMBERS),
        ("cast_vote", vec![("motion", to_vote.clone()), ("choice", "for".into())], MEMBERS),
        (
            "schedule_meeting",
            vec![
                ("title", "Another".into()),
                ("starts", opens.clone()),
                ("place", "Hub".into()),
                ("online_link", "".into()),
            ],
            FACILITATORS,
        ),
        (
            "add_agenda_item",
            vec![
                ("meeting", meeting.clone()),
                ("kind", "free".into()),
                ("title", "More".into()),
                ("prototype", "".into()),
                ("round", "".into()),
                ("notes", "".into()),
            ],
            FACILITATORS,
        ),
        (
            "add_motion",
            vec![
                ("item", item.clone()),
                ("question", "More?".into()),
                ("background", "".into()),
                ("method", "consent".into()),
                ("options", "".into()),
                ("quorum_votes", "".into()),
                ("quorum_lived", "".into()),
                ("action", "none".into()),
            ],
            FACILITATORS,
        ),
        ("open_motion", vec![("id", "{motion}".into())], FACILITATORS),
        ("close_motion", vec![("id", "{open motion}".into())], FACILITATORS),
        (
            "record_attendance",
            vec![("meeting", meeting.clone()), ("user", target.clone()), ("status", "apologies".into())],
            FACILITATORS,
        ),
        ("save_minutes", vec![("meeting", meeting.clone()), ("text", "Draft".into())], FACILITATORS),
        // Evaluation (issue 12): everyone signed in reads measures and roll-outs of what they
        // may read; the design group writes them; facilitators keep the sites.
        ("measures_page", vec![("prototype", proto.clone())], SIGNED_IN),
        ("measure_page", vec![("prototype", proto.clone()), ("measure", measure.clone())], SIGNED_IN),
        (
            "add_measure",
            vec![
                ("prototype", proto.clone()),
                ("name", "Measure {n}".into()),
                ("method", "Counted.".into()),
                ("kind", "percentage".into()),
                ("unit", "%".into()),
                ("direction", "higher".into()),
                ("statement", "".into()),
                ("baseline", "30".into()),
                ("baseline_on", "2025-01-01".into()),
                ("baseline_source", "".into()),
                ("target", "".into()),
                ("target_on", "".into()),
            ],
            DESIGN_GROUP,
        ),
        (
            "save_measure",
            vec![
                ("prototype", proto.clone()),
                ("measure", measure.clone()),
                ("name", "Days waited {n}".into()),
                ("method", "".into()),
                ("kind", "number".into()),
                ("unit", "days".into()),
                ("direction", "lower".into()),
                ("statement", "".into()),
                ("baseline", "".into()),
                ("baseline_on", "".into()),
                ("baseline_source", "".into()),
                ("target", "7".into()),
                ("target_on", "".into()),
            ],
            DESIGN_GROUP,
        ),
        (
            "delete_measure",
            vec![("prototype", proto.clone()), ("measure", "{measure}".into()), ("confirm", "on".into())],
            DESIGN_GROUP,
        ),
        (
            "add_reading",
            vec![
                ("prototype", proto.clone()),
                ("measure", measure.clone()),
                ("value", "{n}".into()),
                ("taken_on", "2026-02-01".into()),
                ("source", "".into()),
            ],
            DESIGN_GROUP,
        ),
        (
            "import_readings",
            vec![
                ("prototype", proto.clone()),
                ("measure", measure.clone()),
                ("csv", "2026-03-01,{n}\n2026-04-01,5".into()),
            ],
            DESIGN_GROUP,
        ),
        (
            "upload_readings",
            vec![
                ("prototype", proto.clone()),
                ("measure", measure.clone()),
                ("file", "2026-03-01,{n}\n2026-04-01,5".into()),
            ],
            DESIGN_GROUP,
        ),
        (
            "delete_reading",
            vec![("prototype", proto.clone()), ("measure", measure.clone()), ("reading", "{reading}".into())],
            DESIGN_GROUP,
        ),
        ("sites_page", vec![], FACILITATORS),
        ("add_site", vec![("name", "Site {n}".into()), ("kind", "Hub".into()), ("area", "".into())], FACILITATORS),
        (
            "save_site",
            vec![
                ("id", site.clone()),
                ("name", "Renamed {n}".into()),
                ("kind", "Team".into()),
                ("area", "South".into()),
            ],
            FACILITATORS,
        ),
        ("retire_site", vec![("id", "{site}".into())], FACILITATORS),
        ("restore_site", vec![("id", site.clone())], FACILITATORS),
        ("import_sites", vec![("csv", "Imported {n},GP practice,East".into())], FACILITATORS),
        ("rollout_plan", vec![("prototype", implementing.clone())], SIGNED_IN),
        (
            "plan_sites",
            vec![("prototype", implementing.clone()), ("site_ids[]", "{site}".into()), ("date", "".into())],
            DESIGN_GROUP,
        ),
        (
            "set_rollout_status",
            vec![
                ("prototype", implementing.clone()),
                ("site", "{planned site}".into()),
                ("status", "live".into()),
                ("date", "2026-02-01".into()),
                ("note", "".into()),
            ],
            DESIGN_GROUP,
        ),
        (
            "remove_planned_site",
            vec![("prototype", implementing.clone()), ("site", "{planned site}".into())],
            DESIGN_GROUP,
        ),
        ("rollout_overview", vec![], SIGNED_IN),
        ("prototype_report", vec![("prototype", proto.clone())], SIGNED_IN),
        ("period_report", vec![("from", "".into()), ("to", "".into())], SIGNED_IN),
    ];

    // Every server function the app declares is in the table.
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
    let mut declared = Vec::new();
    let mut dirs = vec![src];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                declared.extend(text.split("endpoint = \"").skip(1).map(|s| s.split('"').next().unwrap().to_string()));
            }
        }
    }
    declared.sort();
    let mut listed: Vec<String> = table.iter().map(|(f, ..)| f.to_string()).collect();
    listed.sort();
    assert_eq!(declared, listed, "the table lists every server function once");

    let db = w.app.state.db.read.clone();
    let mut n = 0;
    let mut failures = Vec::new();
    for (function, form, allowed) in &table {
        for (&who, &allowed) in EVERYONE.iter().zip(allowed) {
            n += 1;
            let (mut client, me) = w.caller(function, who, form.iter().any(|(_, v)| v == "{me}")).await;
            let mut values = Vec::new();
            for (k, v) in form {
                values.push((*k, w.fill(v, n, &me).await));
            }
            let form: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let before = if allowed { Vec::new() } else { fingerprint(&db).await };
            let r = client.call(function, &form).await;
            if allowed {
                if !r.status.is_success() || location(&r).contains("conflict") {
                    failures.push(format!(
                        "{function} as {who:?}: expected success, got {} {} {}",
                        r.status,
                        location(&r),
                        r.body
                    ));
                }
                continue;
            }
            let expected = match who {
                Who::Visitor => StatusCode::UNAUTHORIZED,
                Who::As(_) => StatusCode::FORBIDDEN,
            };
            if r.status != expected {
                failures.push(format!("{function} as {who:?}: expected {expected}, got {} {}", r.status, r.body));
            }
            let wrote = changed(&before, &fingerprint(&db).await);
            if !wrote.is_empty() {
                failures.push(format!("{function} as {who:?}: refused, but wrote to {}", wrote.join(", ")));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {n} cases wrong:\n{}", failures.len(), failures.join("\n"));
    // What the allowed calls did, and that the refused ones did not.
    let role: String = sqlx::query_scalar("SELECT role FROM users WHERE id = ?")
        .bind(target.parse::<i64>().unwrap())
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(role, "member", "only the facilitator's call changed it");
    let iterations: i64 = sqlx::query_scalar("SELECT count(*) FROM iterations WHERE prototype_id = ?")
        .bind(proto.parse::<i64>().unwrap())
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(iterations, 4, "two set-up iterations plus one each from the design group and the facilitator");
    let comments: i64 =
        sqlx::query_scalar("SELECT count(*) FROM comments WHERE body = 'Not yours'").fetch_one(&db).await.unwrap();
    assert_eq!(comments, 0, "nobody but its author edits a comment");
    let votes: i64 = sqlx::query_scalar("SELECT count(*) FROM voters WHERE motion_id = ?")
        .bind(to_vote.parse::<i64>().unwrap())
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(votes, 3, "a member, a designer and a facilitator voted");
    // The table stays well under the public-answer limit (one address for every visitor).
    let public: Option<i64> = sqlx::query_scalar("SELECT max(hits) FROM rate_limits WHERE key LIKE 'answer:addr:%'")
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(public.unwrap_or(0) < app::consultations::api::ANSWERS_PER_ADDRESS.max, "{public:?} public answers");
    w.app.stop().await;
}

/// A predicate on what a role is sent.
type Sees = fn(&Value) -> bool;

fn text(b: &Value) -> String {
    b.to_string()
}

fn comments_of(b: &Value) -> &Vec<Value> {
    b["comments"].as_array().expect("comments")
}

fn by_body<'a>(b: &'a Value, body: &str) -> Option<&'a Value> {
    comments_of(b).iter().find(|c| c["body"] == body)
}

#[tokio::test]
async fn what_each_role_sees() {
    let w = World::build().await;
    let (meeting, proto, closed, draft_only) =
        (w.meeting.clone(), w.proto.clone(), w.closed.clone(), w.draft_only.clone());
    let id = |v: &str| vec![("id", v.to_string())];
    // (function, form, who, status, what they see). Rows for the roles that see less, and one
    // for a role that sees more, so a predicate cannot pass because the field went missing.
    let table: Vec<(&str, Vec<(&str, String)>, Who, StatusCode, &str, Sees)> = vec![
        ("load_meeting", id(&meeting), MEMBER, StatusCode::OK, "no minutes draft, no member list", |b| {
            b["minutes_draft"] == ""
                && b["members"] == serde_json::json!([])
                && b["is_facilitator"] == false
                && !text(b).contains(MINUTES_DRAFT)
        }),
        ("load_meeting", id(&meeting), DESIGNER, StatusCode::OK, "no minutes draft", |b| {
            b["minutes_draft"] == "" && !text(b).contains(MINUTES_DRAFT)
        }),
        ("load_meeting", id(&meeting), FACILITATOR, StatusCode::OK, "the minutes draft", |b| {
            b["minutes_draft"] == MINUTES_DRAFT
        }),
        (
            "live_tallies",
            vec![("meeting", meeting.clone())],
            MEMBER,
            StatusCode::OK,
            "an open secret ballot's turnout, no tally",
            |b| {
                b.as_array().is_some_and(|ms| {
                    ms.iter().any(|m| m["turnout"] == 1 && m["tally"].is_null())
                        && ms.iter().all(|m| m["turnout"] == 0 || m["tally"].is_null())
                })
            },
        ),
        ("list_meetings", vec![], MEMBER, StatusCode::OK, "no scheduling", |b| b["can_schedule"] == false),
        (
            "prototype_comments",
            vec![("id", proto.clone()), ("page", "0".into())],
            CONTRIBUTOR,
            StatusCode::OK,
            "no theme codes, no anonymous author's name, no held comment",
            |b| {
                b["can_code"] == false
                    && comments_of(b).iter().all(|c| c["themes"] == serde_json::json!([]))
                    && by_body(b, ANONYMOUS_COMMENT).is_some_and(|c| c["author"] == "Anonymous")
                    && !text(b).contains(HELD_COMMENT)
                    && b["total"] == 2
            },
        ),
        (
            "prototype_comments",
            vec![("id", proto.clone()), ("page", "0".into())],
            MEMBER,
            StatusCode::OK,
            "no theme codes",
            |b| {
                b["can_code"] == false
                    && comments_of(b).iter().all(|c| c["themes"] == serde_json::json!([]))
                    && !text(b).contains(HELD_COMMENT)
            },
        ),
        (
            "prototype_comments",
            vec![("id", proto.clone()), ("page", "0".into())],
            DESIGNER,
            StatusCode::OK,
            "theme codes",
            |b| by_body(b, "A first comment").is_some_and(|c| c["themes"] == serde_json::json!([THEME])),
        ),
        (
            "prototype_comments",
            vec![("id", proto.clone()), ("page", "0".into())],
            FACILITATOR,
            StatusCode::OK,
            "an anonymous author's name",
            |b| {
                by_body(b, ANONYMOUS_COMMENT)
                    .is_some_and(|c| c["author"].as_str().is_some_and(|a| a.contains("(posted anonymously)")))
            },
        ),
        ("load_results", id(&closed), MEMBER, StatusCode::OK, "no held count, no free text", |b| {
            b["held"].is_null()
                && b["full"] == false
                && !text(b).contains(QUOTABLE)
                && !text(b).contains(UNQUOTABLE)
                && !text(b).contains(HELD)
        }),
        ("load_results", id(&closed), DESIGNER, StatusCode::OK, "the held count and the free text", |b| {
            b["held"] == 1
                && b["full"] == true
                && text(b).contains(QUOTABLE)
                && text(b).contains(UNQUOTABLE)
                && !text(b).contains(HELD)
        }),
        ("load_round", id(&closed), VISITOR, StatusCode::OK, "a response count without the held one", |b| {
            b["round"]["responses"] == 2
        }),
        (
            "load_receipt",
            vec![("token", "a".repeat(32))],
            VISITOR,
            StatusCode::NOT_FOUND,
            "a form key opens no receipt",
            |b| !text(b).contains(QUOTABLE),
        ),
        (
            "prototype",
            id(&draft_only),
            CONTRIBUTOR,
            StatusCode::NOT_FOUND,
            "a draft-only prototype does not exist",
            |b| !text(b).contains(DRAFT_ONLY),
        ),
        ("prototype", id(&draft_only), MEMBER, StatusCode::NOT_FOUND, "a draft-only prototype does not exist", |b| {
            !text(b).contains(DRAFT_ONLY)
        }),
        ("prototype", id(&draft_only), DESIGNER, StatusCode::OK, "a draft-only prototype", |b| {
            b["title"] == DRAFT_ONLY
        }),
        ("prototype", id(&proto), CONTRIBUTOR, StatusCode::OK, "the latest published iteration, not the draft", |b| {
            b["title"] == "Hub" && b["latest"]["number"] == 2 && !text(b).contains(DRAFT_WORD)
        }),
        // Search counts only what the viewer may open (the query is echoed, so totals are compared).
        ("search", vec![("q", DRAFT_ONLY.into())], CONTRIBUTOR, StatusCode::OK, "no draft prototype", |b| {
            b["total"] == 0
        }),
        ("search", vec![("q", DRAFT_ONLY.into())], DESIGNER, StatusCode::OK, "the draft prototype", |b| {
            b["total"].as_i64() > Some(0)
        }),
        ("search", vec![("q", format!("\"{UNQUOTABLE}\""))], MEMBER, StatusCode::OK, "no free-text answers", |b| {
            b["total"] == 0
        }),
        ("search", vec![("q", format!("\"{UNQUOTABLE}\""))], DESIGNER, StatusCode::OK, "free-text answers", |b| {
            b["total"].as_i64() > Some(0)
        }),
        ("board", vec![], CONTRIBUTOR, StatusCode::OK, "no draft-only prototype, no draft text", |b| {
            text(b).contains("Hub") && !text(b).contains(DRAFT_ONLY) && !text(b).contains(DRAFT_WORD)
        }),
        ("board", vec![], MEMBER, StatusCode::OK, "no draft-only prototype, no draft text", |b| {
            text(b).contains("Hub") && !text(b).contains(DRAFT_ONLY) && !text(b).contains(DRAFT_WORD)
        }),
        ("board", vec![], DESIGNER, StatusCode::OK, "the draft-only prototype", |b| text(b).contains(DRAFT_ONLY)),
        ("list_prototypes", vec![], MEMBER, StatusCode::OK, "no draft-only prototype, no draft text", |b| {
            text(b).contains("Hub") && !text(b).contains(DRAFT_ONLY) && !text(b).contains(DRAFT_WORD)
        }),
        (
            "list_prototypes",
            vec![("q", DRAFT_WORD.into())],
            CONTRIBUTOR,
            StatusCode::OK,
            "a draft-only word finds nothing",
            |b| b["total"] == 0 && b["cards"] == serde_json::json!([]),
        ),
        (
            "list_prototypes",
            vec![("q", DRAFT_ONLY.into())],
            DESIGNER,
            StatusCode::OK,
            "the draft-only prototype by its title",
            |b| b["total"] == 1,
        ),
    ];
    let mut failures = Vec::new();
    for (i, (function, form, who, status, what, sees)) in table.iter().enumerate() {
        let (mut client, _) = w.caller(&format!("sees-{i}"), *who, false).await;
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = client.call(function, &form).await;
        let body: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
        if r.status != *status || !sees(&body) {
            failures.push(format!("{function} as {who:?} should see {what} ({status}), got {} {}", r.status, r.body));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases wrong:\n{}", failures.len(), table.len(), failures.join("\n"));
    w.app.stop().await;
}

#[tokio::test]
async fn every_download_for_every_role() {
    let w = World::build().await;
    let (closed, meeting, approved) = (w.closed.clone(), w.meeting.clone(), w.approved_meeting.clone());
    let (proto, draft_only) = (w.proto.clone(), w.draft_only.clone());
    const DESIGN: [u16; 5] = [401, 403, 403, 200, 200];
    // (path, status for each of EVERYONE, content type of a 200, words a 200 carries and
    // any other answer does not, words no answer carries).
    let table: Vec<(String, [u16; 5], &str, Vec<&str>, Vec<&str>)> = vec![
        (format!("/consultations/{closed}/responses.csv"), DESIGN, "text/csv", vec![QUOTABLE], vec![UNQUOTABLE, HELD]),
        (
            format!("/consultations/{closed}/responses.csv?for=publication"),
            DESIGN,
            "text/csv",
            vec![QUOTABLE],
            vec![UNQUOTABLE, HELD],
        ),
        (
            format!("/consultations/{closed}/responses.csv?for=design_group"),
            DESIGN,
            "text/csv",
            vec![QUOTABLE, UNQUOTABLE],
            vec![HELD],
        ),
        (
            format!("/meetings/{approved}/minutes.md"),
            [401, 403, 200, 200, 200],
            "text/markdown",
            vec![APPROVED_MINUTES],
            vec![],
        ),
        // A meeting's calendar invite: for members, as the meeting page is.
        (
            format!("/meetings/{meeting}.ics"),
            [401, 403, 200, 200, 200],
            "text/calendar",
            vec!["BEGIN:VCALENDAR"],
            vec![],
        ),
        // A prototype's evaluation report: for every account, as its page is; its unsaved
        // draft never in it. A prototype never published is the design group's.
        (
            format!("/prototypes/{proto}/report.md"),
            [401, 200, 200, 200, 200],
            "text/markdown",
            vec!["Hub"],
            vec![DRAFT_WORD],
        ),
        (format!("/prototypes/{proto}/report.zip"), [401, 200, 200, 200, 200], "application/zip", vec![], vec![]),
        (
            format!("/prototypes/{draft_only}/report.md"),
            [401, 404, 404, 200, 200],
            "text/markdown",
            vec![DRAFT_ONLY],
            vec![],
        ),
        (format!("/prototypes/{draft_only}/report.zip"), [401, 404, 404, 200, 200], "application/zip", vec![], vec![]),
        // Unapproved minutes are no download for anyone, their draft included.
        (format!("/meetings/{meeting}/minutes.md"), [401, 403, 409, 409, 409], "", vec![], vec![MINUTES_DRAFT]),
    ];
    let db = w.app.state.db.read.clone();
    let mut failures = Vec::new();
    let mut n = 0;
    for (i, (path, statuses, kind, shows, never)) in table.iter().enumerate() {
        for (&who, &status) in EVERYONE.iter().zip(statuses) {
            n += 1;
            let (mut client, _) = w.caller(&format!("download-{i}"), who, false).await;
            let before = fingerprint(&db).await;
            let r = client.get(path).await;
            let content_type =
                r.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
            let attachment = r
                .headers
                .get("content-disposition")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("attachment"));
            let ok = r.status.as_u16() == status
                && !never.iter().any(|s| r.body.contains(s))
                && if status == 200 {
                    content_type.starts_with(kind) && attachment && shows.iter().all(|s| r.body.contains(s))
                } else {
                    !shows.iter().any(|s| r.body.contains(s))
                };
            if !ok {
                failures.push(format!(
                    "GET {path} as {who:?}: expected {status}, got {} {content_type} {}",
                    r.status, r.body
                ));
            }
            let wrote = changed(&before, &fingerprint(&db).await);
            if !wrote.is_empty() {
                failures.push(format!("GET {path} as {who:?} wrote to {}", wrote.join(", ")));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {n} cases wrong:\n{}", failures.len(), failures.join("\n"));
    w.app.stop().await;
}
