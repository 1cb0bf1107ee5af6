//! The pure rules of a vote: who may vote, what a ballot may say, the tally for each
//! method, and quorum with its lived-experience part. No I/O; unit tests below.

use serde::{Deserialize, Serialize};

use crate::{
    auth::{
        policy::{check, Action},
        Perspective, Role,
    },
    error::AppError,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    Majority,
    Consent,
    Approval,
}

impl Method {
    pub const ALL: [Method; 3] = [Method::Majority, Method::Consent, Method::Approval];
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Majority => "majority",
            Method::Consent => "consent",
            Method::Approval => "approval",
        }
    }
    pub fn parse(s: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Method::Majority => "Majority: for, against or abstain; passes with more for than against",
            Method::Consent => "Consent: agree, abstain, object or block; passes when nobody blocks",
            Method::Approval => "Approval: approve any of several options; the most approved wins",
        }
    }
    /// The choices a ballot may carry under this method.
    pub fn choices(self) -> &'static [Choice] {
        match self {
            Method::Majority => &[Choice::For, Choice::Against, Choice::Abstain],
            Method::Consent => &[Choice::Agree, Choice::Abstain, Choice::Object, Choice::Block],
            Method::Approval => &[Choice::Approve],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Choice {
    For,
    Against,
    Abstain,
    Agree,
    Object,
    Block,
    Approve,
}

impl Choice {
    pub fn as_str(self) -> &'static str {
        match self {
            Choice::For => "for",
            Choice::Against => "against",
            Choice::Abstain => "abstain",
            Choice::Agree => "agree",
            Choice::Object => "object",
            Choice::Block => "block",
            Choice::Approve => "approve",
        }
    }
    pub fn parse(s: &str) -> Option<Choice> {
        [Choice::For, Choice::Against, Choice::Abstain, Choice::Agree, Choice::Object, Choice::Block, Choice::Approve]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Choice::For => "For",
            Choice::Against => "Against",
            Choice::Abstain => "Abstain",
            Choice::Agree => "Agree",
            Choice::Object => "Object (it can go ahead, but I want my concern recorded)",
            Choice::Block => "Block (I cannot accept this)",
            Choice::Approve => "Approve",
        }
    }
    pub fn needs_reason(self) -> bool {
        matches!(self, Choice::Object | Choice::Block)
    }
}

/// Checks a ballot before it is stored: a choice the method allows, a reason for an
/// objection or a block, at least one (known) option for approval.
pub fn check_ballot(
    method: Method,
    choice: Choice,
    reason: &str,
    options: &[i64],
    known_options: &[i64],
) -> Result<(), AppError> {
    if !method.choices().contains(&choice) {
        return Err(AppError::invalid("choice", "Please choose one of the answers this vote offers."));
    }
    if choice.needs_reason() && reason.trim().is_empty() {
        return Err(AppError::invalid(
            "reason",
            "Please give your reason: an objection or a block needs one, so the meeting can respond to it.",
        ));
    }
    if reason.chars().count() > 2000 {
        return Err(AppError::invalid("reason", "Please keep your reason under 2,000 characters."));
    }
    if method == Method::Approval {
        if options.is_empty() {
            return Err(AppError::invalid("options", "Please approve at least one option."));
        }
        if options.iter().any(|o| !known_options.contains(o)) {
            return Err(AppError::invalid(
                "options",
                "That option is not part of this vote. Please reload the page and try again.",
            ));
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Attendance {
    InPerson,
    Online,
    Apologies,
}

impl Attendance {
    pub const ALL: [Attendance; 3] = [Attendance::InPerson, Attendance::Online, Attendance::Apologies];
    pub fn as_str(self) -> &'static str {
        match self {
            Attendance::InPerson => "in_person",
            Attendance::Online => "online",
            Attendance::Apologies => "apologies",
        }
    }
    pub fn parse(s: &str) -> Option<Attendance> {
        Attendance::ALL.into_iter().find(|a| a.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Attendance::InPerson => "Present in person",
            Attendance::Online => "Present online",
            Attendance::Apologies => "Apologies",
        }
    }
}

/// Collaborative members and up may vote (`Action::TakePart`); when the motion says so, only
/// those present.
pub fn check_eligible(role: Option<Role>, present_only: bool, attendance: Option<Attendance>) -> Result<(), AppError> {
    check(role, Action::TakePart)?;
    if present_only && !matches!(attendance, Some(Attendance::InPerson | Attendance::Online)) {
        return Err(AppError::Conflict("This vote is only for people marked present at the meeting.".into()));
    }
    Ok(())
}

/// A secret ballot cannot be changed: once it is cast, nothing links it to its voter.
pub fn check_change(secret: bool, already_voted: bool) -> Result<(), AppError> {
    if secret && already_voted {
        return Err(AppError::Conflict("You have already voted. A secret vote cannot be changed.".into()));
    }
    Ok(())
}

/// What one ballot says. Not who cast it, nor their perspectives: on a secret ballot the
/// database keeps nothing that would link it to its voter (the lived-experience part of
/// the quorum counts the people who voted, not the ballots).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ballot {
    pub choice: Choice,
    pub reason: String,
    pub options: Vec<i64>,
}

/// A voter's one cell in a breakdown by perspective, the only perspective a ballot keeps:
/// none declared (""), their one perspective, or "several" (people in two groups would let
/// the groups be subtracted from each other; see `crate::suppression`).
pub fn perspective_cell(perspectives: &[crate::auth::Perspective]) -> &'static str {
    match perspectives {
        [] => "",
        [one] => one.as_str(),
        _ => "several",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quorum {
    pub votes: i64,
    pub lived: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Passed,
    NotPassed,
    NoDecision,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::NotPassed => "not_passed",
            Outcome::NoDecision => "no_decision",
        }
    }
    pub fn parse(s: &str) -> Option<Outcome> {
        [Outcome::Passed, Outcome::NotPassed, Outcome::NoDecision].into_iter().find(|o| o.as_str() == s)
    }
    /// The outcome in a word, as a result is headed: an approval vote that passed chose an
    /// option. The reports say it the same way.
    pub fn word(self, approval: bool) -> &'static str {
        match self {
            Outcome::Passed if approval => "Chosen",
            Outcome::Passed => "Passed",
            Outcome::NotPassed => "Not passed",
            Outcome::NoDecision => "No decision",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub method: Method,
    /// (label, count) per choice or option, in a fixed order.
    pub counts: Vec<(String, i64)>,
    pub turnout: i64,
    pub lived_turnout: i64,
    pub quorum: Quorum,
    pub quorum_met: bool,
    pub outcome: Outcome,
    /// Plain words: "Passed: 5 for, 2 against", "No decision: quorum not met"…
    pub summary: String,
    /// Reasons given with objections and blocks (consent), shown with the result.
    pub objections: Vec<String>,
    pub blocks: Vec<String>,
    /// Approval: the option(s) with the most approvals (more than one is a tie).
    pub winners: Vec<String>,
}

/// Whether the votes cast meet the quorum: enough votes, and enough of them from people
/// declaring a service-user or carer perspective.
pub fn quorum_met(q: Quorum, turnout: i64, lived: i64) -> bool {
    turnout >= q.votes && lived >= q.lived
}

/// The tally, from the stored ballots only, and how many of the people who voted declared a
/// service-user or carer perspective (`lived_turnout`, for the quorum).
pub fn tally(method: Method, ballots: &[Ballot], options: &[(i64, String)], q: Quorum, lived_turnout: i64) -> Tally {
    let turnout = ballots.len() as i64;
    let count = |c: Choice| ballots.iter().filter(|b| b.choice == c).count() as i64;
    let met = quorum_met(q, turnout, lived_turnout);
    // Reasons in alphabetical order: an order of casting would say whose a secret one is.
    let reasons = |c: Choice| {
        let mut r = ballots.iter().filter(|b| b.choice == c).map(|b| b.reason.clone()).collect::<Vec<_>>();
        r.sort();
        r
    };
    let mut winners = Vec::new();
    let counts: Vec<(String, i64)> = match method {
        Method::Approval => options
            .iter()
            .map(|(id, label)| (label.clone(), ballots.iter().filter(|b| b.options.contains(id)).count() as i64))
            .collect(),
        _ => method
            .choices()
            .iter()
            .map(|c| (c.label().split(' ').next().unwrap_or_default().to_string(), count(*c)))
            .collect(),
    };
    let (decided, words) = match method {
        Method::Majority => {
            let (f, a) = (count(Choice::For), count(Choice::Against));
            (
                if f > a { Outcome::Passed } else { Outcome::NotPassed },
                format!("{f} for, {a} against, {} abstaining", count(Choice::Abstain)),
            )
        }
        Method::Consent => {
            let (blocks, objections) = (count(Choice::Block), count(Choice::Object));
            let words = format!(
                "{} agree, {} abstaining, {objections} objecting, {blocks} blocking",
                count(Choice::Agree),
                count(Choice::Abstain)
            );
            (if blocks == 0 { Outcome::Passed } else { Outcome::NotPassed }, words)
        }
        Method::Approval => {
            let top = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
            winners = if top > 0 {
                counts.iter().filter(|(_, n)| *n == top).map(|(l, _)| l.clone()).collect()
            } else {
                Vec::new()
            };
            match winners.len() {
                0 => (Outcome::NotPassed, "no option was approved".to_string()),
                1 => (Outcome::Passed, format!("“{}” has the most approvals ({top})", winners[0])),
                _ => (
                    Outcome::NoDecision,
                    format!(
                        "a tie between {} ({top} approvals each)",
                        winners.iter().map(|w| format!("“{w}”")).collect::<Vec<_>>().join(" and ")
                    ),
                ),
            }
        }
    };
    let (outcome, summary) = if !met {
        let need = if q.lived > 0 {
            format!("{} votes including {} from service users or carers", q.votes, q.lived)
        } else {
            format!("{} votes", q.votes)
        };
        (Outcome::NoDecision, format!("No decision: quorum not met ({turnout} votes, {lived_turnout} from service users or carers; needed {need})"))
    } else {
        (decided, format!("{}: {words}", decided.word(method == Method::Approval)))
    };
    Tally {
        method,
        counts,
        turnout,
        lived_turnout,
        quorum: q,
        quorum_met: met,
        outcome,
        summary,
        objections: if method == Method::Consent { reasons(Choice::Object) } else { Vec::new() },
        blocks: if method == Method::Consent { reasons(Choice::Block) } else { Vec::new() },
        winners,
    }
}

/// The label of a breakdown cell.
fn perspective_label(cell: &str) -> String {
    match cell {
        "several" => crate::suppression::SEVERAL.to_string(),
        _ => Perspective::parse(cell).map(|p| p.label().to_string()).unwrap_or_else(|| "No perspective given".into()),
    }
}

/// A breakdown row: the group's label, how many voted in it, and its choices with counts.
pub type BreakdownRow = (String, i64, Vec<(String, i64)>);

/// Choice counts per perspective cell, from each ballot's (cell, choice). On a secret ballot
/// under complementary suppression (`crate::suppression`): no group, nor everyone outside it,
/// under 5, so that nobody's choice can be worked out, by subtraction from the tally either.
pub fn breakdown(ballots: &[(&str, &str)], secret: bool) -> Vec<BreakdownRow> {
    let cells = Perspective::ALL.iter().map(|p| p.as_str()).chain(["", "several"]);
    let groups: Vec<(String, Vec<usize>)> = cells
        .map(|c| {
            let ids = ballots.iter().enumerate().filter(|(_, b)| b.0 == c).map(|(i, _)| i).collect::<Vec<_>>();
            (perspective_label(c), ids)
        })
        .filter(|g| !g.1.is_empty())
        .collect();
    let groups = if secret { crate::suppression::rows(groups) } else { groups };
    groups
        .into_iter()
        .map(|(label, ids)| {
            let mut counts: Vec<(String, i64)> = Vec::new();
            for (_, choice) in ballots.iter().enumerate().filter(|(i, _)| ids.contains(i)).map(|(_, b)| *b) {
                match counts.iter_mut().find(|c| c.0 == choice) {
                    Some(c) => c.1 += 1,
                    None => counts.push((choice.to_string(), 1)),
                }
            }
            (label, ids.len() as i64, counts)
        })
        .collect()
}

/// The timeline's record of a decision on a prototype.
pub fn decision_note(meeting: &str, question: &str, t: &Tally) -> String {
    let quorum_words = match (t.quorum.votes, t.quorum.lived) {
        (0, 0) => "no quorum set".to_string(),
        (v, 0) => format!("quorum {v} votes"),
        (v, l) => format!("quorum {v} votes including {l} from service users or carers"),
    };
    format!("{meeting}: “{question}”. {} ({} vote; {quorum_words}).", t.summary, t.method.as_str())
}

/// The reason recorded with the stage move a passed motion makes.
pub fn decision_reason(meeting: &str, iteration: Option<i64>, t: &Tally) -> String {
    match iteration {
        Some(n) => format!("Decision of {meeting}: iteration {n} adopted. {}", t.summary),
        None => format!("Decision of {meeting}: {}", t.summary),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(choice: Choice, _lived: bool) -> Ballot {
        Ballot {
            choice,
            reason: if choice.needs_reason() { "a reason".into() } else { String::new() },
            options: Vec::new(),
        }
    }
    /// How many of these ballots' voters declared lived experience (the `voters` table's count).
    fn lived(ballots: &[(Choice, bool)]) -> (Vec<Ballot>, i64) {
        (ballots.iter().map(|(c, l)| b(*c, *l)).collect(), ballots.iter().filter(|(_, l)| *l).count() as i64)
    }
    const NO_QUORUM: Quorum = Quorum { votes: 0, lived: 0 };

    #[test]
    fn majority_needs_more_for_than_against() {
        let t = tally(
            Method::Majority,
            &[b(Choice::For, false), b(Choice::For, false), b(Choice::Against, false), b(Choice::Abstain, false)],
            &[],
            NO_QUORUM,
            0,
        );
        assert_eq!(t.outcome, Outcome::Passed);
        assert_eq!(t.counts, vec![("For".into(), 2), ("Against".into(), 1), ("Abstain".into(), 1)]);
        assert_eq!(t.summary, "Passed: 2 for, 1 against, 1 abstaining");
        let tie = tally(Method::Majority, &[b(Choice::For, false), b(Choice::Against, false)], &[], NO_QUORUM, 0);
        assert_eq!(tie.outcome, Outcome::NotPassed, "a tie is not a majority");
    }

    #[test]
    fn consent_passes_without_blocks_and_records_objections() {
        let t = tally(
            Method::Consent,
            &[b(Choice::Agree, false), b(Choice::Object, true), b(Choice::Abstain, false)],
            &[],
            NO_QUORUM,
            1,
        );
        assert_eq!(t.outcome, Outcome::Passed);
        assert_eq!(t.objections, vec!["a reason".to_string()]);
        let blocked = tally(Method::Consent, &[b(Choice::Agree, false), b(Choice::Block, false)], &[], NO_QUORUM, 0);
        assert_eq!(blocked.outcome, Outcome::NotPassed);
        assert_eq!(blocked.blocks.len(), 1);
        // Reasons come in alphabetical order, whatever order they were cast in.
        let r = |c: Choice, why: &str| Ballot { choice: c, reason: why.into(), options: Vec::new() };
        let t = tally(
            Method::Consent,
            &[
                r(Choice::Block, "zebra crossing"),
                r(Choice::Object, "cost"),
                r(Choice::Block, "access"),
                r(Choice::Object, "Berwick"),
            ],
            &[],
            NO_QUORUM,
            0,
        );
        assert_eq!(t.blocks, vec!["access".to_string(), "zebra crossing".to_string()]);
        assert_eq!(t.objections, vec!["Berwick".to_string(), "cost".to_string()]);
    }

    #[test]
    fn approval_picks_the_most_approved_and_reports_ties() {
        let opts = vec![
            (1, "Hub on the high street".to_string()),
            (2, "Hub at the GP surgery".to_string()),
            (3, "Online only".to_string()),
        ];
        let ap = |o: &[i64]| Ballot { choice: Choice::Approve, reason: String::new(), options: o.to_vec() };
        let t = tally(Method::Approval, &[ap(&[1, 2]), ap(&[1]), ap(&[3])], &opts, NO_QUORUM, 0);
        assert_eq!((t.outcome, t.winners.clone()), (Outcome::Passed, vec!["Hub on the high street".to_string()]));
        let tie = tally(Method::Approval, &[ap(&[1, 2]), ap(&[2, 1])], &opts, NO_QUORUM, 0);
        assert_eq!(tie.outcome, Outcome::NoDecision);
        assert_eq!(tie.winners.len(), 2);
        assert!(tie.summary.contains("a tie between"), "{}", tie.summary);
    }

    #[test]
    fn quorum_has_a_lived_experience_part() {
        let q = Quorum { votes: 3, lived: 2 };
        let (ballots, l) = lived(&[(Choice::For, true), (Choice::For, false), (Choice::For, false)]);
        let t = tally(Method::Majority, &ballots, &[], q, l);
        assert!(!t.quorum_met);
        assert_eq!(t.outcome, Outcome::NoDecision, "not passed, not failed: no decision");
        assert!(t.summary.starts_with("No decision: quorum not met"), "{}", t.summary);
        let (ballots, l) = lived(&[(Choice::For, true), (Choice::Against, true), (Choice::For, false)]);
        assert_eq!(tally(Method::Majority, &ballots, &[], q, l).outcome, Outcome::Passed);
        assert!(!quorum_met(q, 2, 2), "too few votes overall");
    }

    #[test]
    fn ballots_are_checked_and_secret_ones_are_final() {
        assert!(check_ballot(Method::Consent, Choice::Block, "  ", &[], &[]).is_err(), "a block needs a reason");
        assert!(check_ballot(Method::Consent, Choice::Object, "", &[], &[]).is_err());
        assert!(check_ballot(Method::Consent, Choice::Block, "Not safe for carers", &[], &[]).is_ok());
        assert!(check_ballot(Method::Majority, Choice::Block, "x", &[], &[]).is_err(), "not a majority choice");
        assert!(
            check_ballot(Method::Approval, Choice::Approve, "", &[9], &[1, 2]).is_err(),
            "an option of another motion"
        );
        assert!(check_ballot(Method::Approval, Choice::Approve, "", &[], &[1, 2]).is_err());
        assert!(check_change(true, true).is_err());
        assert!(check_change(false, true).is_ok(), "an open vote can be changed");
    }

    #[test]
    fn members_vote_and_present_only_means_present() {
        assert_eq!(check_eligible(None, false, None), Err(AppError::NotSignedIn));
        assert_eq!(check_eligible(Some(Role::Contributor), false, None), Err(AppError::Forbidden));
        assert!(check_eligible(Some(Role::Member), false, None).is_ok());
        assert!(check_eligible(Some(Role::Member), true, Some(Attendance::Apologies)).is_err());
        assert!(check_eligible(Some(Role::Facilitator), true, Some(Attendance::Online)).is_ok());
    }

    #[test]
    fn breakdowns_count_choices_per_cell_and_suppress_small_secret_groups() {
        let ballots: Vec<(&str, &str)> =
            vec![("carer", "for"), ("carer", "against"), ("", "for"), ("several", "for"), ("carer", "for")];
        let open = breakdown(&ballots, false);
        let carer = open.iter().find(|r| r.1 == 3).expect("the carers' row");
        assert_eq!(carer.2, vec![("for".to_string(), 2), ("against".to_string(), 1)]);
        assert!(open.iter().any(|r| r.0 == "No perspective given" && r.1 == 1));
        assert!(open.iter().any(|r| r.0 == crate::suppression::SEVERAL && r.1 == 1));
        assert!(breakdown(&ballots, true).is_empty(), "no group of 5 with 5 outside it: nothing shown");
    }

    #[test]
    fn decision_notes_name_the_meeting_question_outcome_and_quorum() {
        let t = tally(Method::Majority, &[b(Choice::For, false)], &[], Quorum { votes: 1, lived: 0 }, 0);
        assert_eq!(
            decision_note("March", "Adopt?", &t),
            "March: “Adopt?”. Passed: 1 for, 0 against, 0 abstaining (majority vote; quorum 1 votes)."
        );
        assert_eq!(
            decision_reason("March", Some(2), &t),
            "Decision of March: iteration 2 adopted. Passed: 1 for, 0 against, 0 abstaining"
        );
    }

    #[test]
    fn a_ballot_keeps_one_breakdown_cell_no_finer() {
        use crate::auth::Perspective::*;
        assert_eq!(perspective_cell(&[]), "");
        assert_eq!(perspective_cell(&[Carer]), "carer");
        assert_eq!(perspective_cell(&[ServiceUser, Carer]), "several");
    }
}

/// Property tests (issue 9, finding 13): the motion and vote forms' parsers never panic,
/// accept exactly their own words, and a ballot that passes `check_ballot` is one the
/// method allows.
#[cfg(test)]
mod props {
    use proptest::{prelude::*, sample::select};

    use super::*;
    use crate::props::{config, value};

    const CHOICES: [Choice; 7] =
        [Choice::For, Choice::Against, Choice::Abstain, Choice::Agree, Choice::Object, Choice::Block, Choice::Approve];

    fn word() -> impl Strategy<Value = String> {
        let words: Vec<&str> = Method::ALL
            .iter()
            .map(|m| m.as_str())
            .chain(CHOICES.iter().map(|c| c.as_str()))
            .chain(Attendance::ALL.iter().map(|a| a.as_str()))
            .chain(["passed", "not_passed", "no_decision"])
            .collect();
        prop_oneof![
            value(),
            (select(words), select(&["", " ", "\n", "\u{0}"][..]), any::<bool>()).prop_map(|(w, pad, upper)| format!(
                "{pad}{}{pad}",
                if upper { w.to_uppercase() } else { w.to_string() }
            )),
        ]
    }

    proptest! {
        #![proptest_config(config())]

        /// Each select's value parses only when it is exactly one of the words the form offers.
        #[test]
        fn method_choice_attendance_outcome_parse_exact_words(s in word()) {
            prop_assert_eq!(Method::parse(&s).map(Method::as_str), Method::ALL.iter().map(|m| m.as_str()).find(|w| *w == s));
            prop_assert_eq!(Choice::parse(&s).map(Choice::as_str), CHOICES.iter().map(|c| c.as_str()).find(|w| *w == s));
            prop_assert_eq!(Attendance::parse(&s).map(Attendance::as_str), Attendance::ALL.iter().map(|a| a.as_str()).find(|w| *w == s));
            prop_assert_eq!(Outcome::parse(&s).map(Outcome::as_str), ["passed", "not_passed", "no_decision"].into_iter().find(|w| *w == s));
        }

        /// A ballot accepted by `check_ballot`: a choice of the method's, a reason (under
        /// 2,000 characters) where one is needed, and approved options all known.
        #[test]
        fn check_ballot_never_panics_and_accepts_only_valid_ballots(
            method in select(Method::ALL.to_vec()),
            choice in select(CHOICES.to_vec()),
            reason in value(),
            options in prop::collection::vec(prop_oneof![0i64..5, any::<i64>()], 0..5),
            known in prop::collection::vec(0i64..5, 0..5),
        ) {
            if check_ballot(method, choice, &reason, &options, &known).is_ok() {
                prop_assert!(method.choices().contains(&choice));
                prop_assert!(reason.chars().count() <= 2000);
                prop_assert!(!choice.needs_reason() || !reason.trim().is_empty());
                if method == Method::Approval {
                    prop_assert!(!options.is_empty() && options.iter().all(|o| known.contains(o)));
                }
            }
        }

        /// The tally never panics on any set of stored ballots, and its counts add up.
        #[test]
        fn tally_never_panics_and_counts_add_up(
            method in select(Method::ALL.to_vec()),
            ballots in prop::collection::vec((select(CHOICES.to_vec()), "[a-z]{0,3}", prop::collection::vec(0i64..4, 0..4)), 0..20),
            labels in prop::collection::vec("[a-z]{0,3}", 0..4),
            votes in prop_oneof![0i64..10, any::<i64>()],
            lived in prop_oneof![0i64..10, any::<i64>()],
            lived_turnout in prop_oneof![0i64..10, any::<i64>()],
        ) {
            let ballots: Vec<Ballot> = ballots.into_iter().filter(|(c, ..)| method.choices().contains(c)).map(|(choice, reason, options)| Ballot { choice, reason, options }).collect();
            let options: Vec<(i64, String)> = labels.into_iter().enumerate().map(|(i, l)| (i as i64, l)).collect();
            let t = tally(method, &ballots, &options, Quorum { votes, lived }, lived_turnout);
            prop_assert_eq!(t.turnout, ballots.len() as i64);
            if method != Method::Approval {
                prop_assert_eq!(t.counts.iter().map(|(_, n)| n).sum::<i64>(), t.turnout);
            }
            prop_assert!(t.quorum_met || t.outcome == Outcome::NoDecision);
        }
    }
}
