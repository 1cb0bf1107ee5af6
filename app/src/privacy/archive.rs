//! An export as a ZIP: `data.json` for programs (article 20: a machine-readable copy) and
//! `index.html` for people, a page that opens in any browser with no network (its style is
//! inline; nothing is fetched). Every value is escaped: the page holds people's own words.

use std::io::Write;

use super::gather::Export;
use crate::{error::AppError, ui::escape_html as esc};

pub fn zip(export: &Export) -> Result<Vec<u8>, AppError> {
    let json = serde_json::to_vec_pretty(export).map_err(AppError::internal)?;
    let html = page(export);
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in [("index.html", html.as_bytes()), ("data.json", json.as_slice())] {
        out.start_file(name, options).map_err(AppError::internal)?;
        out.write_all(bytes).map_err(AppError::internal)?;
    }
    Ok(out.finish().map_err(AppError::internal)?.into_inner())
}

/// A section: a heading, then a table of rows (or a sentence when there are none).
fn section(h: &mut String, title: &str, head: &[&str], rows: Vec<Vec<String>>) {
    h.push_str(&format!("<section><h2>{} ({})</h2>", esc(title), rows.len()));
    if rows.is_empty() {
        h.push_str("<p>None.</p></section>");
        return;
    }
    h.push_str("<table><thead><tr>");
    for c in head {
        h.push_str(&format!("<th scope=\"col\">{}</th>", esc(c)));
    }
    h.push_str("</tr></thead><tbody>");
    for row in rows {
        h.push_str("<tr>");
        for cell in row {
            h.push_str(&format!("<td>{}</td>", esc(&cell)));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></section>");
}

fn yes(b: bool) -> String {
    if b { "Yes" } else { "No" }.to_string()
}

fn or_dash(s: Option<String>) -> String {
    s.unwrap_or_else(|| "–".into())
}

fn outcome(acted: Option<i64>, not_taken: Option<String>) -> String {
    match (acted, not_taken) {
        (Some(n), _) => format!("Acted on in iteration {n}"),
        (None, Some(why)) => format!("Not taken forward: {why}"),
        _ => "–".into(),
    }
}

pub fn page(e: &Export) -> String {
    let mut h = String::with_capacity(16 * 1024);
    h.push_str(&format!(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Your data from {c}</title><style>\
         body{{font-family:system-ui,sans-serif;line-height:1.5;max-width:70rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a}}\
         table{{border-collapse:collapse;width:100%;margin-bottom:1rem}}th,td{{border:1px solid #666;padding:.3rem .5rem;text-align:left;vertical-align:top;white-space:pre-wrap}}\
         th{{background:#eee}}</style></head><body><main>\
         <h1>Your data from {c}</h1><p>Made {g}{b}. The same data is in <code>data.json</code> in this ZIP file, for other programs.</p>",
        c = esc(&e.collaborative),
        g = esc(&e.generated_at),
        b = if e.on_behalf {
            ". A facilitator made this export for you, so it leaves out anything you posted anonymously, \
             and your notifications (their times could point to it): sign in and download your data yourself to see those too"
        } else {
            ""
        }
    ));
    let p = &e.profile;
    section(
        &mut h,
        "Your account",
        &["Name", "Email", "Role", "Active", "Joined", "Perspectives"],
        vec![vec![
            p.display_name.clone(),
            p.email.clone(),
            p.role.clone(),
            yes(p.active),
            p.joined.clone(),
            e.perspectives.join(", "),
        ]],
    );
    let mut settings = vec![vec!["Pause every email".to_string(), yes(e.notification_settings.paused)]];
    settings.extend(e.notification_settings.chosen.iter().map(|(k, d)| vec![k.clone(), d.clone()]));
    section(&mut h, "Your notification settings", &["Setting", "Choice"], settings);
    section(
        &mut h,
        "Prototypes you made or co-author",
        &["Title", "Summary", "You"],
        e.prototypes.iter().map(|r| vec![r.title.clone(), r.summary.clone(), r.relation.clone()]).collect(),
    );
    section(
        &mut h,
        "Learning notes you wrote",
        &["Title", "Kind", "Status", "Text", "Written"],
        e.learning_notes
            .iter()
            .map(|r| vec![r.title.clone(), r.kind.clone(), r.status.clone(), r.body.clone(), r.created_at.clone()])
            .collect(),
    );
    section(
        &mut h,
        "Outcome measures you added (as they stand now)",
        &["Prototype", "Measure", "Kind", "Unit", "How it is measured", "Added"],
        e.measures_added
            .iter()
            .map(|r| {
                vec![
                    r.prototype.clone(),
                    r.name.clone(),
                    r.kind.clone(),
                    r.unit.clone(),
                    r.method.clone(),
                    r.added_at.clone(),
                ]
            })
            .collect(),
    );
    section(
        &mut h,
        "Readings you entered",
        &["Prototype", "Measure", "Value", "Date", "Site", "Source", "Entered"],
        e.readings_entered
            .iter()
            .map(|r| {
                vec![
                    r.prototype.clone(),
                    r.measure.clone(),
                    r.value.to_string(),
                    r.taken_on.clone(),
                    r.site.clone(),
                    r.source.clone(),
                    r.entered_at.clone(),
                ]
            })
            .collect(),
    );
    section(
        &mut h,
        "Roll-out changes you made (the latest at each site)",
        &["Prototype", "Site", "Status", "Since", "Note", "Changed"],
        e.rollouts_updated
            .iter()
            .map(|r| {
                vec![
                    r.prototype.clone(),
                    r.site.clone(),
                    r.status.clone(),
                    r.since.clone(),
                    r.note.clone(),
                    r.updated_at.clone(),
                ]
            })
            .collect(),
    );
    section(
        &mut h,
        "What you recorded on prototypes' timelines",
        &["Prototype", "What", "From stage", "To stage", "Site", "Status", "Note", "When"],
        e.timeline_changes
            .iter()
            .map(|r| {
                vec![
                    r.prototype.clone(),
                    r.kind.clone(),
                    r.from_stage.clone(),
                    r.to_stage.clone(),
                    r.site.clone(),
                    r.status.clone(),
                    r.note.clone(),
                    r.at.clone(),
                ]
            })
            .collect(),
    );
    section(
        &mut h,
        "Iterations you published",
        &["Prototype", "Number", "Title", "What changed and why", "Text", "Published"],
        e.iterations_published
            .iter()
            .map(|r| {
                vec![
                    r.prototype.clone(),
                    r.number.to_string(),
                    r.title.clone(),
                    r.change_note.clone(),
                    r.body.clone(),
                    r.published_at.clone(),
                ]
            })
            .collect(),
    );
    section(
        &mut h,
        "Drafts kept when someone else saved first",
        &["Prototype", "Title", "Summary", "Text", "Saved"],
        e.unsaved_drafts
            .iter()
            .map(|r| vec![r.prototype.clone(), r.title.clone(), r.summary.clone(), r.body.clone(), r.saved_at.clone()])
            .collect(),
    );
    section(
        &mut h,
        "Your comments",
        &["Prototype", "Comment", "Anonymous", "Quoting", "Status", "Posted", "Edited", "What became of it"],
        e.comments
            .iter()
            .map(|r| {
                vec![
                    r.prototype.clone(),
                    r.body.clone(),
                    yes(r.anonymous),
                    r.consent.clone(),
                    r.status.clone(),
                    r.posted_at.clone(),
                    or_dash(r.edited_at.clone()),
                    outcome(r.acted_in_iteration, r.not_taken_reason.clone()),
                ]
            })
            .collect(),
    );
    section(
        &mut h,
        "Your answers to consultation rounds",
        &["Round", "Prototype", "Answers", "Anonymous", "Quoting", "Status", "Sent", "What became of it"],
        e.responses
            .iter()
            .map(|r| {
                vec![
                    r.round.clone(),
                    r.prototype.clone(),
                    r.answers.iter().map(|a| format!("{}: {}", a.question, a.answer)).collect::<Vec<_>>().join("\n"),
                    yes(r.anonymous),
                    r.consent.clone(),
                    r.status.clone(),
                    r.submitted_at.clone(),
                    outcome(r.acted_in_iteration, r.not_taken_reason.clone()),
                ]
            })
            .collect(),
    );
    section(
        &mut h,
        "Your votes (open ballots)",
        &["Meeting", "Question", "Choice", "Options", "Reason"],
        e.open_votes
            .iter()
            .map(|r| vec![r.meeting.clone(), r.question.clone(), r.choice.clone(), r.options.clone(), r.reason.clone()])
            .collect(),
    );
    h.push_str(
        "<p>Secret ballots: the platform keeps that you voted, never how. Your choice in a secret ballot \
         cannot be linked to you by anyone, so it cannot be in this export.</p>",
    );
    section(
        &mut h,
        "Secret ballots you voted in",
        &["Meeting", "Question"],
        e.secret_votes.iter().map(|r| vec![r.meeting.clone(), r.question.clone()]).collect(),
    );
    section(
        &mut h,
        "Meetings you attended or sent apologies to",
        &["Meeting", "Starts", "Attendance"],
        e.attendance.iter().map(|r| vec![r.meeting.clone(), r.starts_at.clone(), r.status.clone()]).collect(),
    );
    section(
        &mut h,
        "Comments you reported",
        &["Prototype", "Reason", "Reported"],
        e.reports.iter().map(|r| vec![r.prototype.clone(), r.reason.clone(), r.reported_at.clone()]).collect(),
    );
    section(
        &mut h,
        "Your notifications",
        &["Kind", "About", "When", "Read"],
        e.notifications
            .iter()
            .map(|r| vec![r.kind.clone(), r.about.clone(), r.created_at.clone(), or_dash(r.read_at.clone())])
            .collect(),
    );
    section(
        &mut h,
        "Password reset links",
        &["Made", "Used", "Made by a facilitator"],
        e.password_resets
            .iter()
            .map(|r| vec![r.made_at.clone(), or_dash(r.used_at.clone()), yes(r.made_by_a_facilitator)])
            .collect(),
    );
    section(
        &mut h,
        "Your requests about your data",
        &["What", "How", "Status", "Asked"],
        e.data_requests
            .iter()
            .map(|r| vec![r.kind.clone(), r.channel.clone(), r.status.clone(), r.requested_at.clone()])
            .collect(),
    );
    h.push_str("</main></body></html>");
    h
}
