//! What a viewer may see of a meeting, decided in one place by the server functions: what
//! they return is what the viewer may see (the page hides nothing by itself). Pure; tests
//! below.

use super::{MeetingPage, MotionStatus, MotionView};

/// The meeting page as this viewer may see it: the minutes' draft and the facilitator's
/// form choices (members, prototypes, rounds, stages) only for facilitators, each motion as
/// `motion` allows.
pub fn meeting_for(page: MeetingPage, facilitator: bool) -> MeetingPage {
    let mut page = MeetingPage { is_facilitator: facilitator, ..page };
    if !facilitator {
        // Minutes are the facilitator's until approved; approved ones are in `minutes_html`.
        page.minutes_draft = String::new();
        page.members.clear();
        page.prototypes.clear();
        page.rounds.clear();
        page.stages.clear();
    }
    for m in page.items.iter_mut().flat_map(|i| i.motions.iter_mut()) {
        motion(m);
    }
    page
}

/// A motion as anyone (facilitators too) may see it. While a secret ballot is open, no
/// tally, breakdown or lived-experience turnout: each +1 would reveal the vote just cast;
/// only the number of votes so far. Hidden results stay hidden until close the same way.
/// A secret ballot never shows names.
pub fn motion(m: &mut MotionView) {
    if m.status != MotionStatus::Closed && (m.secret || m.hide_results) {
        m.tally = None;
        m.breakdown.clear();
        m.ballots.clear();
    }
    if m.secret {
        m.ballots.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meetings::{rules::tally, MeetingSummary, Method, OpenBallot, Quorum};

    fn motion_view(secret: bool, hide: bool, status: MotionStatus) -> MotionView {
        let q = Quorum { votes: 0, lived: 0 };
        MotionView {
            id: 1,
            question: "Adopt?".into(),
            background_html: String::new(),
            method: Method::Majority,
            secret,
            hide_results: hide,
            present_only: false,
            quorum: q,
            status,
            closes: None,
            action: None,
            options: vec![],
            turnout: 6,
            tally: Some(tally(Method::Majority, &[], &[], q, 0)),
            ballots: vec![OpenBallot { name: "Sam".into(), choice: "for".into(), reason: String::new() }],
            breakdown: vec![("Carer".into(), 5, vec![])],
            my_vote: None,
            decision: None,
        }
    }

    #[test]
    fn an_open_secret_ballot_shows_only_its_turnout() {
        for hide in [false, true] {
            let mut m = motion_view(true, hide, MotionStatus::Open);
            motion(&mut m);
            assert_eq!((m.tally, m.breakdown.len(), m.ballots.len(), m.turnout), (None, 0, 0, 6));
        }
        let mut m = motion_view(true, false, MotionStatus::Closed);
        motion(&mut m);
        assert!(
            m.tally.is_some() && !m.breakdown.is_empty() && m.ballots.is_empty(),
            "closed: results, still no names"
        );
        let mut m = motion_view(false, true, MotionStatus::Open);
        motion(&mut m);
        assert!(m.tally.is_none() && m.ballots.is_empty(), "hidden results stay hidden until close");
        let mut m = motion_view(false, false, MotionStatus::Open);
        motion(&mut m);
        assert!(m.tally.is_some() && m.ballots.len() == 1, "an open vote with results shown");
    }

    #[test]
    fn draft_minutes_are_the_facilitators() {
        let page = MeetingPage {
            meeting: MeetingSummary {
                id: 1,
                title: "M".into(),
                when: String::new(),
                place: String::new(),
                online_link: String::new(),
                upcoming: false,
            },
            items: vec![],
            attendance: vec![],
            is_facilitator: true,
            my_attendance: None,
            minutes_draft: "draft words".into(),
            minutes_approved: None,
            minutes_html: None,
            minutes_approved_note: None,
            members: vec![],
            prototypes: vec![(1, "P".into())],
            rounds: vec![],
            stages: vec![],
            vision_html: None,
            values: vec![],
        };
        let member = meeting_for(page.clone(), false);
        assert_eq!((member.minutes_draft.as_str(), member.is_facilitator, member.prototypes.len()), ("", false, 0));
        assert_eq!(meeting_for(page, true).minutes_draft, "draft words");
    }
}
