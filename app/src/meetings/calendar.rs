//! A meeting as a calendar invite (iCalendar, RFC 5545), for `/meetings/{id}.ics`: people add
//! it to their own calendars. Built with the `icalendar` crate, which escapes and folds the
//! text as the standard asks. Meetings have a start but no end time, so an invite lasts two
//! hours (said in its description).

use icalendar::{Calendar, Component, Event, EventLike};

/// How long an invite says a meeting lasts.
pub const HOURS: i64 = 2;

pub struct Invite<'a> {
    pub id: i64,
    pub title: &'a str,
    pub starts_at: i64,
    pub place: &'a str,
    pub online_link: &'a str,
    /// The meeting's page on this site.
    pub url: &'a str,
    /// This site's host name, to make the event's id unique to this site.
    pub host: &'a str,
    pub collaborative: &'a str,
}

pub fn ics(i: &Invite) -> String {
    let start = chrono::DateTime::from_timestamp(i.starts_at, 0).unwrap_or_default();
    let end = start + chrono::Duration::hours(HOURS);
    let location = match (i.place.is_empty(), i.online_link.is_empty()) {
        (false, false) => format!("{} (or online: {})", i.place, i.online_link),
        (false, true) => i.place.to_string(),
        (true, false) => i.online_link.to_string(),
        (true, true) => String::new(),
    };
    let mut event = Event::new();
    event.uid(&format!("meeting-{}@{}", i.id, i.host)).summary(i.title).starts(start).ends(end).url(i.url).description(
        &format!(
            "A meeting of {}. The agenda and papers: {} (the end time is a guess: {HOURS} hours).",
            i.collaborative, i.url
        ),
    );
    if !location.is_empty() {
        event.location(&location);
    }
    Calendar::new().name(i.collaborative).push(event.done()).done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invite_names_the_meeting_its_time_and_place() {
        let text = ics(&Invite {
            id: 7,
            title: "March collaborative meeting",
            starts_at: 1_803_391_200, // 2027-02-23 14:00 UTC
            place: "The Hub, Riverside",
            online_link: "",
            url: "https://lab.example/meetings/7",
            host: "lab.example",
            collaborative: "Salford Living Well",
        });
        assert!(text.starts_with("BEGIN:VCALENDAR"), "{text}");
        assert!(text.contains("SUMMARY:March collaborative meeting"), "{text}");
        assert!(text.contains("DTSTART:20270223T140000Z"), "{text}");
        assert!(text.contains("DTEND:20270223T160000Z"), "{text}");
        assert!(text.contains("LOCATION:The Hub\\, Riverside"), "commas escaped: {text}");
        assert!(text.contains("UID:meeting-7@lab.example"), "{text}");
    }
}
