//! The pure rules of a round: who may answer, when it is open, and what counts as a
//! complete, well-formed set of answers. No I/O; unit tests below.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{Question, MAX_TEXT};
use crate::{
    auth::{
        policy::{check, Action},
        Role,
    },
    error::AppError,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Audience {
    Public,
    SignedIn,
    Members,
}

impl Audience {
    pub const ALL: [Audience; 3] = [Audience::Public, Audience::SignedIn, Audience::Members];
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::SignedIn => "signed_in",
            Audience::Members => "members",
        }
    }
    pub fn parse(s: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Audience::Public => "Anyone with the link (no account needed)",
            Audience::SignedIn => "Anyone with an account",
            Audience::Members => "Collaborative members only",
        }
    }
    /// Who may answer: a visitor is asked to sign in, a signed-in person without the
    /// role is refused.
    pub fn admits(self, role: Option<Role>) -> Result<(), AppError> {
        match (self, role) {
            (Audience::Public, _) => Ok(()),
            (_, None) => Err(AppError::NotSignedIn),
            (Audience::SignedIn, Some(_)) => Ok(()),
            // Members-only rounds are collaborative business: whoever may take part.
            (Audience::Members, Some(r)) => check(Some(r), Action::TakePart),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Consent {
    DesignGroupOnly,
    QuoteAnonymously,
    QuoteWithName,
}

impl Consent {
    pub const ALL: [Consent; 3] = [Consent::DesignGroupOnly, Consent::QuoteAnonymously, Consent::QuoteWithName];
    pub fn as_str(self) -> &'static str {
        match self {
            Consent::DesignGroupOnly => "design_group_only",
            Consent::QuoteAnonymously => "quote_anonymously",
            Consent::QuoteWithName => "quote_with_name",
        }
    }
    pub fn parse(s: &str) -> Option<Consent> {
        Consent::ALL.into_iter().find(|c| c.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Consent::DesignGroupOnly => "Only the design group may read it (it is never quoted)",
            Consent::QuoteAnonymously => "It may be quoted, without my name",
            Consent::QuoteWithName => "It may be quoted with my name",
        }
    }
    /// Parses the form's choice; quoting by name needs a name, so only signed-in people.
    pub fn choose(s: Option<&str>, signed_in: bool) -> Result<Consent, AppError> {
        match s.filter(|s| !s.is_empty()).map(Consent::parse) {
            None => Ok(Consent::DesignGroupOnly),
            Some(None) => Err(AppError::invalid("consent", "Please choose how we may use what you wrote.")),
            Some(Some(Consent::QuoteWithName)) if !signed_in => Err(AppError::invalid(
                "consent",
                "To be quoted with your name, please sign in first. You can still be quoted without your name.",
            )),
            Some(Some(c)) => Ok(c),
        }
    }
    pub fn quotable(self) -> bool {
        self != Consent::DesignGroupOnly
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionKind {
    Text,
    Scale,
    Single,
    Multiple,
    Statements,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 5] = [
        QuestionKind::Text,
        QuestionKind::Scale,
        QuestionKind::Single,
        QuestionKind::Multiple,
        QuestionKind::Statements,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Text => "text",
            QuestionKind::Scale => "scale",
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::Statements => "statements",
        }
    }
    pub fn parse(s: &str) -> Option<QuestionKind> {
        QuestionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            QuestionKind::Text => "Free text",
            QuestionKind::Scale => "A scale from 1 to 5",
            QuestionKind::Single => "Choose one",
            QuestionKind::Multiple => "Choose any",
            QuestionKind::Statements => "Rate each experience statement (1 to 5)",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoundStatus {
    NotYetOpen,
    Open,
    Closed,
}

impl RoundStatus {
    pub fn label(self) -> &'static str {
        match self {
            RoundStatus::NotYetOpen => "Not open yet",
            RoundStatus::Open => "Open",
            RoundStatus::Closed => "Closed",
        }
    }
}

/// A round is open from `opens` (inclusive) until `closes` or an early close (exclusive).
pub fn status(now: i64, opens: i64, closes: i64, closed_early: Option<i64>) -> RoundStatus {
    let end = closed_early.map_or(closes, |c| c.min(closes));
    if now >= end {
        RoundStatus::Closed
    } else if now < opens {
        RoundStatus::NotYetOpen
    } else {
        RoundStatus::Open
    }
}

/// What became of a response: the iteration that acted on it wins over a reason given.
pub fn outcome(prototype: i64, acted: Option<i64>, reason: Option<String>) -> super::Outcome {
    match (acted, reason) {
        (Some(iteration), _) => super::Outcome::ActedOn { prototype_id: prototype, iteration },
        (None, Some(reason)) => super::Outcome::NotTakenForward { reason },
        _ => super::Outcome::Open,
    }
}

/// Answers may be given only while the round is open.
pub fn check_open(s: RoundStatus) -> Result<(), AppError> {
    match s {
        RoundStatus::Open => Ok(()),
        RoundStatus::NotYetOpen => {
            Err(AppError::Conflict("This consultation is not open yet. Please come back when it opens.".into()))
        }
        RoundStatus::Closed => Err(AppError::Conflict(
            "This consultation has closed, so it cannot take answers any more. Thank you for wanting to take part."
                .into(),
        )),
    }
}

/// One question's answer, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Text(String),
    Number(i64),
    Choices(Vec<i64>),
    Ratings(Vec<(i64, i64)>),
}

pub fn field(question: i64) -> String {
    format!("q{question}")
}
pub fn option_field(question: i64, index: usize) -> String {
    format!("q{question}_{index}")
}
pub fn rating_field(question: i64, statement: i64) -> String {
    format!("q{question}_s{statement}")
}

fn one_to_five(v: &str, name: &str) -> Result<i64, AppError> {
    v.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=5).contains(n))
        .ok_or_else(|| AppError::invalid(name, "Please choose a number from 1 to 5."))
}

/// Parses a form's answers against the round's questions. Every field must belong to one
/// of them (a forged or stale question id is refused), required questions must be
/// answered, scales must be 1–5 and text at most `MAX_TEXT` characters.
pub fn parse_answers(questions: &[Question], form: &HashMap<String, String>) -> Result<Vec<(i64, Answer)>, AppError> {
    let mut known = std::collections::HashSet::new();
    let mut out = Vec::new();
    for q in questions {
        let name = field(q.id);
        let value = |k: &str| form.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
        let answer = match q.kind {
            QuestionKind::Text => {
                known.insert(name.clone());
                match value(&name) {
                    Some(t) if t.chars().count() > MAX_TEXT => {
                        return Err(AppError::invalid(
                            &name,
                            format!(
                                "Please keep this answer under {MAX_TEXT} characters (it has {}).",
                                t.chars().count()
                            ),
                        ))
                    }
                    Some(t) => Some(Answer::Text(t.to_string())),
                    None => None,
                }
            }
            QuestionKind::Scale => {
                known.insert(name.clone());
                value(&name).map(|v| one_to_five(v, &name).map(Answer::Number)).transpose()?
            }
            QuestionKind::Single => {
                known.insert(name.clone());
                match value(&name) {
                    Some(v) => {
                        let i = v
                            .parse::<usize>()
                            .ok()
                            .filter(|i| *i < q.options.len())
                            .ok_or_else(|| AppError::invalid(&name, "Please choose one of the options."))?;
                        Some(Answer::Number(i as i64))
                    }
                    None => None,
                }
            }
            QuestionKind::Multiple => {
                let mut chosen = Vec::new();
                for i in 0..q.options.len() {
                    let k = option_field(q.id, i);
                    if value(&k).is_some() {
                        chosen.push(i as i64);
                    }
                    known.insert(k);
                }
                (!chosen.is_empty()).then_some(Answer::Choices(chosen))
            }
            QuestionKind::Statements => {
                let mut ratings = Vec::new();
                for s in &q.statements {
                    let k = rating_field(q.id, s.id);
                    if let Some(v) = value(&k) {
                        ratings.push((s.id, one_to_five(v, &name)?));
                    }
                    known.insert(k);
                }
                if q.required && ratings.len() < q.statements.len() && !ratings.is_empty() {
                    return Err(AppError::invalid(&name, "Please rate every statement."));
                }
                (!ratings.is_empty()).then_some(Answer::Ratings(ratings))
            }
        };
        match answer {
            Some(a) => out.push((q.id, a)),
            None if q.required => return Err(AppError::invalid(&name, "Please answer this question: it is needed.")),
            None => {}
        }
    }
    if form.keys().any(|k| !known.contains(k)) {
        return Err(AppError::invalid(
            "answers",
            "Some answers were for questions that are not in this consultation. Please reload the page and try again.",
        ));
    }
    Ok(out)
}

/// The texts triage reads: every free-text answer.
pub fn texts(answers: &[(i64, Answer)]) -> impl Iterator<Item = &str> {
    answers.iter().filter_map(|(_, a)| match a {
        Answer::Text(t) => Some(t.as_str()),
        _ => None,
    })
}

/// What a refused answer form may keep: only fields a form of these questions has, each
/// within its size limit (anything else a client sends is dropped, so a refused form
/// cannot be used to store arbitrary data). Perspectives come as `perspective.<name>`.
pub fn keepable(
    questions: &[Question],
    form: &HashMap<String, String>,
    extras: &[(&str, Option<&str>)],
    perspectives: &[String],
) -> Vec<(String, String)> {
    let cap = |v: &str, n: usize| v.chars().take(n).collect::<String>();
    let mut known = std::collections::HashSet::new();
    for q in questions {
        known.insert(field(q.id));
        known.extend((0..q.options.len()).map(|i| option_field(q.id, i)));
        known.extend(q.statements.iter().map(|s| rating_field(q.id, s.id)));
    }
    let mut out: Vec<(String, String)> =
        form.iter().filter(|(k, _)| known.contains(k.as_str())).map(|(k, v)| (k.clone(), cap(v, MAX_TEXT))).collect();
    out.sort();
    for (name, value) in extras {
        let Some(v) = value else { continue };
        let kept = match *name {
            "consent" => Consent::parse(v).map(|c| c.as_str().to_string()),
            "anonymous" => (*v == "on").then(|| "on".to_string()),
            "content_note" | "gathered_at" => Some(cap(v, 200)),
            _ => None,
        };
        out.extend(kept.map(|k| (name.to_string(), k)));
    }
    out.extend(
        perspectives
            .iter()
            .filter_map(|p| crate::auth::Perspective::parse(p))
            .map(|p| (format!("perspective.{}", p.as_str()), "on".to_string())),
    );
    out.dedup();
    out
}

/// Everything a response form sent, in one canonical string: with the form key it tells a
/// resend of the same form (recorded once) from another person's answers under a copied key.
#[cfg(feature = "ssr")]
pub fn fingerprint(
    round: i64,
    key: &str,
    sender: Option<i64>,
    form: &HashMap<String, String>,
    extras: &[(&str, Option<&str>)],
    perspectives: &[String],
) -> String {
    let mut answers: Vec<_> = form.iter().collect();
    answers.sort();
    let mut perspectives = perspectives.to_vec();
    perspectives.sort();
    serde_json::json!([round, key, sender, answers, extras, perspectives]).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultations::RatedStatement;

    fn q(id: i64, kind: QuestionKind, required: bool) -> Question {
        Question {
            id,
            kind,
            prompt: format!("Question {id}"),
            required,
            low_label: String::new(),
            high_label: String::new(),
            options: vec!["Phone".into(), "Text".into(), "Drop in".into()],
            statements: vec![
                RatedStatement { id: 7, label: "easy in".into() },
                RatedStatement { id: 8, label: "one plan".into() },
            ],
        }
    }

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn rounds_open_and_close_by_the_clock() {
        assert_eq!(status(99, 100, 200, None), RoundStatus::NotYetOpen);
        assert_eq!(status(100, 100, 200, None), RoundStatus::Open);
        assert_eq!(status(199, 100, 200, None), RoundStatus::Open);
        assert_eq!(status(200, 100, 200, None), RoundStatus::Closed);
        assert_eq!(status(150, 100, 200, Some(140)), RoundStatus::Closed, "closed early");
        assert_eq!(status(120, 100, 200, Some(140)), RoundStatus::Open);
        assert!(check_open(RoundStatus::Open).is_ok());
        assert!(matches!(check_open(RoundStatus::Closed), Err(AppError::Conflict(_))));
        assert!(matches!(check_open(RoundStatus::NotYetOpen), Err(AppError::Conflict(_))));
    }

    #[test]
    fn audiences_admit_the_right_people() {
        assert!(Audience::Public.admits(None).is_ok());
        assert_eq!(Audience::SignedIn.admits(None), Err(AppError::NotSignedIn));
        assert!(Audience::SignedIn.admits(Some(Role::Contributor)).is_ok());
        assert_eq!(Audience::Members.admits(None), Err(AppError::NotSignedIn));
        assert_eq!(Audience::Members.admits(Some(Role::Contributor)), Err(AppError::Forbidden));
        assert!(Audience::Members.admits(Some(Role::Member)).is_ok());
    }

    #[test]
    fn consent_defaults_to_design_group_only_and_names_need_an_account() {
        assert_eq!(Consent::choose(None, false), Ok(Consent::DesignGroupOnly));
        assert_eq!(Consent::choose(Some("quote_anonymously"), false), Ok(Consent::QuoteAnonymously));
        assert!(Consent::choose(Some("quote_with_name"), false).is_err());
        assert_eq!(Consent::choose(Some("quote_with_name"), true), Ok(Consent::QuoteWithName));
        assert!(Consent::choose(Some("everyone"), true).is_err());
    }

    #[test]
    fn answers_parse_by_kind() {
        let qs = [
            q(1, QuestionKind::Text, true),
            q(2, QuestionKind::Scale, false),
            q(3, QuestionKind::Single, false),
            q(4, QuestionKind::Multiple, false),
            q(5, QuestionKind::Statements, false),
        ];
        let got = parse_answers(
            &qs,
            &form(&[
                ("q1", " Nobody answers after 5pm "),
                ("q2", "4"),
                ("q3", "2"),
                ("q4_0", "on"),
                ("q4_2", "on"),
                ("q5_s7", "3"),
                ("q5_s8", "5"),
            ]),
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                (1, Answer::Text("Nobody answers after 5pm".into())),
                (2, Answer::Number(4)),
                (3, Answer::Number(2)),
                (4, Answer::Choices(vec![0, 2])),
                (5, Answer::Ratings(vec![(7, 3), (8, 5)])),
            ]
        );
        // Optional questions may be left out.
        assert_eq!(parse_answers(&qs, &form(&[("q1", "x")])).unwrap().len(), 1);
    }

    #[test]
    fn bad_answers_are_refused_with_the_question_named() {
        let qs = [q(1, QuestionKind::Text, true), q(2, QuestionKind::Scale, true)];
        let err = parse_answers(&qs, &form(&[("q2", "3")])).unwrap_err();
        assert!(err.for_field("q1").is_some(), "missing required answer: {err:?}");
        let err = parse_answers(&qs, &form(&[("q1", "x"), ("q2", "6")])).unwrap_err();
        assert_eq!(err.for_field("q2").as_deref(), Some("Please choose a number from 1 to 5."));
        let err = parse_answers(&qs, &form(&[("q1", "x"), ("q2", "0")])).unwrap_err();
        assert!(err.for_field("q2").is_some());
        let long = "a".repeat(MAX_TEXT + 1);
        let err = parse_answers(&qs, &form(&[("q1", &long), ("q2", "3")])).unwrap_err();
        assert!(err.for_field("q1").unwrap().contains("20000"), "{err:?}");
        // A question id from another round.
        let err = parse_answers(&qs, &form(&[("q1", "x"), ("q2", "3"), ("q99", "hello")])).unwrap_err();
        assert!(err.for_field("answers").is_some());
        let single = [q(3, QuestionKind::Single, false)];
        assert!(parse_answers(&single, &form(&[("q3", "7")])).is_err(), "an option that does not exist");
    }

    #[test]
    fn a_refused_form_keeps_only_known_fields_within_limits() {
        let questions = vec![q(1, QuestionKind::Text, false)];
        let mut form = HashMap::new();
        form.insert("q1".to_string(), "x".repeat(MAX_TEXT + 50));
        form.insert("q99".to_string(), "smuggled".to_string());
        form.insert("junk".to_string(), "y".repeat(1_000_000));
        let kept = keepable(
            &questions,
            &form,
            &[
                ("consent", Some("quote_anonymously")),
                ("anonymous", Some("sure")),
                ("content_note", Some(&"z".repeat(500))),
                ("other", Some("no")),
            ],
            &["carer".into(), "martian".into()],
        );
        let names: Vec<&str> = kept.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["q1", "consent", "content_note", "perspective.carer"]);
        assert_eq!(kept[0].1.chars().count(), MAX_TEXT);
        assert_eq!(kept[2].1.chars().count(), 200);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn fingerprints_tell_resends_from_other_people() {
        let a: HashMap<String, String> =
            [("q1".to_string(), "mine".to_string()), ("q2".to_string(), "3".to_string())].into();
        let b: HashMap<String, String> =
            [("q1".to_string(), "theirs".to_string()), ("q2".to_string(), "3".to_string())].into();
        let f = |form: &HashMap<String, String>, sender| {
            fingerprint(1, "k", sender, form, &[("consent", Some("design_group_only"))], &[])
        };
        assert_eq!(f(&a, None), f(&a.clone(), None));
        assert_ne!(
            f(&a, None),
            fingerprint(2, "k", None, &a, &[("consent", Some("design_group_only"))], &[]),
            "another round"
        );
        assert_ne!(f(&a, None), f(&b, None));
        assert_ne!(f(&a, None), f(&a, Some(3)));
    }
}

/// Property tests (issue 9, finding 13): the answer form's parsers never panic on any
/// field map, and what they accept or keep is always within the round's questions and limits.
#[cfg(test)]
mod props {
    use std::collections::{HashMap, HashSet};

    use proptest::{prelude::*, sample::select};

    use super::*;
    use crate::{
        auth::Perspective,
        consultations::RatedStatement,
        props::{config, junk_name, short_value, value},
    };

    fn id() -> impl Strategy<Value = i64> {
        prop_oneof![4 => 0i64..6, 1 => any::<i64>(), 1 => select(vec![-1, i64::MIN, i64::MAX])]
    }

    fn question() -> impl Strategy<Value = Question> {
        (id(), select(QuestionKind::ALL.to_vec()), any::<bool>(), 0usize..5, prop::collection::vec(id(), 0..4))
            .prop_map(|(id, kind, required, options, statements)| Question {
                id,
                kind,
                prompt: String::new(),
                required,
                low_label: String::new(),
                high_label: String::new(),
                options: (0..options).map(|i| format!("option {i}")).collect(),
                statements: statements.into_iter().map(|id| RatedStatement { id, label: String::new() }).collect(),
            })
    }

    /// The fields `parse_answers` reads for a question.
    fn fields_of(q: &Question) -> Vec<String> {
        match q.kind {
            QuestionKind::Text | QuestionKind::Scale | QuestionKind::Single => vec![field(q.id)],
            QuestionKind::Multiple => (0..q.options.len()).map(|i| option_field(q.id, i)).collect(),
            QuestionKind::Statements => q.statements.iter().map(|s| rating_field(q.id, s.id)).collect(),
        }
    }

    /// Questions (ids may repeat, may be huge or negative) and a field map whose names are
    /// mostly the questions' own (and one past each), sometimes anything.
    fn round() -> impl Strategy<Value = (Vec<Question>, HashMap<String, String>)> {
        prop::collection::vec(question(), 0..5).prop_flat_map(|qs| {
            let mut names = vec!["q".to_string()];
            for q in &qs {
                names.push(field(q.id));
                names.extend((0..=q.options.len()).map(|i| option_field(q.id, i)));
                names.extend(q.statements.iter().map(|s| rating_field(q.id, s.id)));
                names.push(rating_field(q.id, q.id.wrapping_add(1)));
            }
            let name = prop_oneof![4 => select(names), 1 => junk_name()];
            (Just(qs), prop::collection::hash_map(name, value(), 0..12))
        })
    }

    /// An accepted answer fits a question with its id: the right kind, in range, within limits.
    fn fits(q: &Question, a: &Answer) -> bool {
        match (q.kind, a) {
            (QuestionKind::Text, Answer::Text(t)) => !t.is_empty() && t.trim() == t && t.chars().count() <= MAX_TEXT,
            (QuestionKind::Scale, Answer::Number(n)) => (1..=5).contains(n),
            (QuestionKind::Single, Answer::Number(n)) => (0..q.options.len() as i64).contains(n),
            (QuestionKind::Multiple, Answer::Choices(c)) => {
                !c.is_empty() && c.iter().all(|i| (0..q.options.len() as i64).contains(i))
            }
            (QuestionKind::Statements, Answer::Ratings(r)) => {
                !r.is_empty() && r.iter().all(|(s, n)| (1..=5).contains(n) && q.statements.iter().any(|st| st.id == *s))
            }
            _ => false,
        }
    }

    fn perspective() -> impl Strategy<Value = String> {
        prop_oneof![select(Perspective::ALL.to_vec()).prop_map(|p| p.as_str().to_string()), value()]
    }

    proptest! {
        #![proptest_config(config())]

        /// Never panics; when it accepts, every field belongs to a question, every answer
        /// fits its question, and every required question is answered.
        #[test]
        fn parse_answers_never_panics_and_accepts_only_fitting_answers((qs, form) in round()) {
            if let Ok(answers) = parse_answers(&qs, &form) {
                let known: HashSet<String> = qs.iter().flat_map(fields_of).collect();
                prop_assert!(form.keys().all(|k| known.contains(k)), "unknown field accepted: {:?}", form.keys().collect::<Vec<_>>());
                prop_assert!(answers.len() <= qs.len());
                for (id, a) in &answers {
                    prop_assert!(qs.iter().any(|q| q.id == *id && fits(q, a)), "answer {:?} to {} fits no question", a, id);
                }
                for q in qs.iter().filter(|q| q.required) {
                    prop_assert!(answers.iter().any(|(id, _)| *id == q.id), "required question {} unanswered", q.id);
                }
                prop_assert!(texts(&answers).all(|t| t.chars().count() <= MAX_TEXT));
            }
        }

        /// A complete, valid form for questions with distinct ids is always accepted whole.
        #[test]
        fn parse_answers_accepts_every_complete_form(qs in prop::collection::vec(question(), 0..5), text in "[a-zA-Z0-9 ]{0,40}[a-z]", pick in 0usize..5, rating in 1i64..=5) {
            let mut seen = HashSet::new();
            let qs: Vec<Question> = qs.into_iter().filter(|q| seen.insert(q.id)).map(|mut q| {
                if matches!(q.kind, QuestionKind::Single | QuestionKind::Multiple) && q.options.is_empty() { q.options = vec!["a".into(), "b".into()]; }
                if q.kind == QuestionKind::Statements {
                    let mut ids = HashSet::new();
                    q.statements.retain(|s| ids.insert(s.id));
                    if q.statements.is_empty() { q.statements.push(RatedStatement { id: 7, label: String::new() }); }
                }
                q
            }).collect();
            let mut form = HashMap::new();
            for q in &qs {
                match q.kind {
                    QuestionKind::Text => { form.insert(field(q.id), format!(" {text} ")); }
                    QuestionKind::Scale => { form.insert(field(q.id), rating.to_string()); }
                    QuestionKind::Single => { form.insert(field(q.id), (pick % q.options.len()).to_string()); }
                    QuestionKind::Multiple => { form.insert(option_field(q.id, pick % q.options.len()), "on".into()); }
                    QuestionKind::Statements => { for s in &q.statements { form.insert(rating_field(q.id, s.id), rating.to_string()); } }
                }
            }
            let answers = parse_answers(&qs, &form);
            prop_assert!(answers.is_ok(), "{:?} refused {:?}", form, answers);
            prop_assert_eq!(answers.unwrap().len(), qs.len());
        }

        /// What a refused form keeps: only the questions' own fields (capped at `MAX_TEXT`
        /// characters, a prefix of what was sent), the known extras with valid values, and
        /// declared perspectives; nothing else a client sends.
        #[test]
        fn keepable_keeps_only_known_fields_within_limits(
            (qs, form) in round(),
            consent in proptest::option::of(value()),
            anonymous in proptest::option::of(value()),
            note in proptest::option::of(value()),
            gathered in proptest::option::of(value()),
            perspectives in prop::collection::vec(perspective(), 0..8),
        ) {
            let extras = [("consent", consent.as_deref()), ("anonymous", anonymous.as_deref()), ("content_note", note.as_deref()), ("gathered_at", gathered.as_deref()), ("bogus", Some("x"))];
            let kept = keepable(&qs, &form, &extras, &perspectives);
            let known: HashSet<String> = qs.iter().flat_map(|q| {
                let mut f = vec![field(q.id)];
                f.extend((0..q.options.len()).map(|i| option_field(q.id, i)));
                f.extend(q.statements.iter().map(|s| rating_field(q.id, s.id)));
                f
            }).collect();
            prop_assert!(kept.len() <= known.len() + 4 + perspectives.len());
            for (k, v) in &kept {
                match k.as_str() {
                    "consent" => prop_assert!(Consent::parse(v).is_some()),
                    "anonymous" => prop_assert_eq!(v, "on"),
                    "content_note" | "gathered_at" => prop_assert!(v.chars().count() <= 200),
                    _ if k.starts_with("perspective.") => {
                        prop_assert_eq!(v, "on");
                        prop_assert!(Perspective::parse(&k["perspective.".len()..]).is_some());
                    }
                    _ => {
                        prop_assert!(known.contains(k), "kept unknown field {:?}", k);
                        prop_assert!(v.chars().count() <= MAX_TEXT);
                        prop_assert!(form.get(k).is_some_and(|sent| sent.starts_with(v.as_str())));
                    }
                }
            }
        }

        /// The consent choice: never panics; nothing chosen is the most private; a name
        /// is quoted only for someone signed in.
        #[test]
        fn consent_choose_never_panics(s in proptest::option::of(value()), signed_in in any::<bool>()) {
            match Consent::choose(s.as_deref(), signed_in) {
                Ok(Consent::QuoteWithName) => prop_assert!(signed_in),
                Ok(c) if s.as_deref().is_none_or(str::is_empty) => prop_assert_eq!(c, Consent::DesignGroupOnly),
                _ => {}
            }
        }
    }

    #[cfg(feature = "ssr")]
    proptest! {
        #![proptest_config(config())]

        /// The resend fingerprint does not depend on the order a field map iterates in.
        #[test]
        fn fingerprint_never_panics_and_ignores_order(
            pairs in prop::collection::vec((junk_name(), short_value()), 0..8),
            key in any::<String>(),
            sender in any::<Option<i64>>(),
            perspectives in prop::collection::vec(perspective(), 0..4),
        ) {
            let a: HashMap<String, String> = pairs.into_iter().collect();
            let mut reversed: Vec<(String, String)> = a.clone().into_iter().collect();
            reversed.reverse();
            let b: HashMap<String, String> = reversed.into_iter().collect();
            let mut p2 = perspectives.clone();
            p2.reverse();
            let extras = [("consent", Some("design_group_only"))];
            prop_assert_eq!(fingerprint(1, &key, sender, &a, &extras, &perspectives), fingerprint(1, &key, sender, &b, &extras, &p2));
        }
    }
}
