//! The first draft of a meeting's minutes, built from what the platform recorded:
//! attendance, each agenda item, and each motion's outcome with its tallies.

use super::{Attendance, MeetingPage, MotionStatus};

pub fn draft(p: &MeetingPage) -> String {
    let mut out = format!("# Minutes: {}\n\n{}", p.meeting.title, p.meeting.when);
    if !p.meeting.place.is_empty() {
        out.push_str(&format!(", {}", p.meeting.place));
    }
    out.push_str("\n\n## Attendance\n\n");
    for status in Attendance::ALL {
        let names: Vec<&str> =
            p.attendance.iter().filter(|(_, a)| *a == status).map(|(who, _)| who.name.as_str()).collect();
        out.push_str(&format!(
            "- {}: {}\n",
            status.label(),
            if names.is_empty() { "none recorded".to_string() } else { names.join(", ") }
        ));
    }
    for (n, item) in p.items.iter().enumerate() {
        out.push_str(&format!("\n## {}. {}\n\n", n + 1, item.title));
        if let Some((_, title)) = &item.prototype {
            out.push_str(&format!("Prototype: {title}\n\n"));
        }
        if let Some((_, title)) = &item.round {
            out.push_str(&format!("Consultation results: {title}\n\n"));
        }
        out.push_str("Discussion: \n");
        for m in &item.motions {
            out.push_str(&format!("\n**Motion:** {}\n\n", m.question));
            match (&m.status, &m.tally) {
                (MotionStatus::Closed, Some(t)) => {
                    out.push_str(&format!("- Outcome: {}\n", t.summary));
                    out.push_str(&format!(
                        "- Method: {}; {} votes, {} from service users or carers\n",
                        m.method.as_str(),
                        t.turnout,
                        t.lived_turnout
                    ));
                    let counts: Vec<String> = t.counts.iter().map(|(l, c)| format!("{l} {c}")).collect();
                    out.push_str(&format!("- Tally: {}\n", counts.join(", ")));
                    for r in &t.objections {
                        out.push_str(&format!("- Objection: {r}\n"));
                    }
                    for r in &t.blocks {
                        out.push_str(&format!("- Block: {r}\n"));
                    }
                }
                _ => out.push_str("- Not yet decided\n"),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        meetings::{
            rules::{tally, Ballot},
            AgendaItem, Choice, ItemKind, MeetingSummary, Method, MotionView, Quorum,
        },
        prototypes::Person,
    };

    #[test]
    fn the_draft_lists_attendance_items_and_outcomes() {
        let q = Quorum { votes: 1, lived: 0 };
        let t = tally(
            Method::Consent,
            &[Ballot { choice: Choice::Object, reason: "Evening cover is thin".into(), options: vec![] }],
            &[],
            q,
            1,
        );
        let motion = MotionView {
            id: 1,
            question: "Move to Implementing?".into(),
            background_html: String::new(),
            method: Method::Consent,
            secret: false,
            hide_results: false,
            present_only: false,
            quorum: q,
            status: MotionStatus::Closed,
            closes: None,
            action: None,
            options: vec![],
            turnout: 1,
            tally: Some(t),
            ballots: vec![],
            breakdown: vec![],
            my_vote: None,
            decision: None,
        };
        let page = MeetingPage {
            meeting: MeetingSummary {
                id: 1,
                title: "March collaborative".into(),
                when: "3 Mar 2027, 14:00 GMT".into(),
                place: "The Hub".into(),
                online_link: String::new(),
                upcoming: false,
            },
            items: vec![AgendaItem {
                id: 1,
                kind: ItemKind::Prototype,
                title: "Living Well Hub".into(),
                prototype: Some((1, "Living Well Hub".into())),
                round: None,
                notes_html: String::new(),
                motions: vec![motion],
            }],
            attendance: vec![
                (Person { id: 1, name: "Chris".into() }, Attendance::InPerson),
                (Person { id: 2, name: "Alex".into() }, Attendance::Apologies),
            ],
            is_facilitator: true,
            my_attendance: None,
            minutes_draft: String::new(),
            minutes_approved: None,
            minutes_html: None,
            minutes_approved_note: None,
            members: vec![],
            prototypes: vec![],
            rounds: vec![],
            stages: vec![],
            vision_html: None,
            values: vec![],
        };
        let md = draft(&page);
        assert!(md.contains("- Present in person: Chris"), "{md}");
        assert!(md.contains("- Apologies: Alex"));
        assert!(md.contains("## 1. Living Well Hub"));
        assert!(md.contains("- Outcome: Passed: 0 agree, 0 abstaining, 1 objecting, 0 blocking"), "{md}");
        assert!(md.contains("- Objection: Evening cover is thin"));
    }
}
