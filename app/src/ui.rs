//! Small shared pieces of UI: messages and form errors.

use leptos::prelude::*;

use crate::error::AppError;

/// The error of a form's last submission, announced to screen readers.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <div role="alert" aria-live="assertive">
            {move || error.get().map(|e| view! { <p class="error-summary">{e.to_string()}</p> })}
        </div>
    }
}

/// The error of a server action, if its last result was one.
pub fn action_error<I, O>(action: leptos::server::ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// The error of a form posted to server function `S` that has no `ServerAction` (a
/// multipart form): what Leptos decoded from the redirect's URL after a refusal.
pub fn posted_error<S>() -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError>,
{
    let error = use_context::<leptos::server::ServerActionError>()
        .filter(|e| e.path() == S::PATH)
        .map(|e| leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(e.err()));
    Signal::stored(error)
}

/// A form control's id; its hint and error take this id with `-hint` and `-error`.
fn control_id(name: &str) -> String {
    format!("f-{name}")
}

/// What a control's `aria-describedby` names: its hint, and its error while there is one.
fn described_by(
    name: &'static str,
    has_hint: bool,
    error: Signal<Option<AppError>>,
) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static {
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{}-hint", control_id(name)));
        }
        if error.get().and_then(|e| e.for_field(name)).is_some() {
            ids.push(format!("{}-error", control_id(name)));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// The label, hint and error message every form control shows, with the ids
/// `described_by` names.
#[component]
fn FieldText(
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let message = move || error.get().and_then(|e| e.for_field(name));
    view! {
        <label for=control_id(name)>{label}</label>
        {(!hint.is_empty()).then(|| view! { <p class="hint" id=format!("{}-hint", control_id(name))>{hint}</p> })}
        {move || message().map(|m| view! { <p class="field-error" id=format!("{}-error", control_id(name))>{m}</p> })}
    }
}

/// A labelled text input with its own error message, linked for screen readers.
#[component]
pub fn Field(
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] hint: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(default = true)] required: bool,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let message = move || error.get().and_then(|e| e.for_field(name));
    let described = described_by(name, !hint.is_empty(), error);
    view! {
        <div class="field">
            <FieldText name label hint error/>
            <input
                id=control_id(name)
                name=name
                type=kind
                value=move || error.get().and_then(|e| e.kept(name)).unwrap_or_else(|| value.clone())
                required=required
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=described
            />
        </div>
    }
}

/// A page's data could not be loaded: a plain message, a way on, and the right HTTP status.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(status)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(error.status()))
    {
        res.set_status(status);
    }
    let sign_in = matches!(error, AppError::NotSignedIn);
    view! {
        <p class="error-summary" role="alert">{error.to_string()}</p>
        {sign_in.then(|| view! { <p><a href="/login">"Sign in"</a></p> })}
    }
}

/// Text for the inside of a `<textarea>`, escaped. Leptos renders a textarea's children
/// raw in server-side rendering (as it does a `<script>`'s), so `{text}` there would let
/// `</textarea><form …>` out into the page. Escaped and set as the element's inner HTML,
/// the browser's parser decodes it back to exactly the text (a textarea's content is
/// "escapable raw text"); on the client, setting `innerHTML` decodes it the same way.
pub fn textarea_html(text: &str) -> String {
    // The parser drops one newline right after `<textarea>`: keep a leading one by doubling it.
    let lead = if text.starts_with('\n') { "\n" } else { "" };
    format!("{lead}{}", escape_html(text))
}

/// Text made safe to write between tags or in a quoted attribute.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The one safe text area: every `<textarea>` in the app is this component, because its
/// contents are often a person's own words (see `textarea_html`). Attributes (`attr:id`,
/// `attr:name`, `attr:rows`, …) and `on:input` pass through to the element.
#[component]
pub fn TextBox(#[prop(optional, into)] text: String) -> impl IntoView {
    view! { <textarea inner_html=textarea_html(&text)></textarea> }
}

/// A labelled multi-line text box with its own error message.
#[component]
pub fn TextArea(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(default = 4)] rows: u32,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] on_input: Option<Callback<String>>,
) -> impl IntoView {
    let message = move || error.get().and_then(|e| e.for_field(name));
    let described = described_by(name, !hint.is_empty(), error);
    // Read once: after a refused post without JavaScript the box starts from what was typed;
    // with JavaScript it keeps its own contents.
    let initial = error.get_untracked().and_then(|e| e.kept(name)).filter(|k| !k.is_empty()).unwrap_or(value);
    view! {
        <div class="field">
            <FieldText name label hint error/>
            <TextBox
                text=initial
                attr:id=control_id(name)
                attr:name=name
                attr:rows=rows
                attr:aria-invalid=move || message().is_some().then_some("true")
                attr:aria-describedby=described
                on:input=move |ev| if let Some(cb) = on_input { cb.run(event_target_value(&ev)) }
            />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textarea_text_cannot_close_the_element() {
        let html = textarea_html("</textarea><b id=\"x\">&amp;");
        assert!(!html.contains('<') && !html.contains('>'));
        assert_eq!(html, "&lt;/textarea&gt;&lt;b id=&quot;x&quot;&gt;&amp;amp;");
        assert_eq!(textarea_html("\nfirst line"), "\n\nfirst line");
    }

    /// Every `<textarea>` goes through `TextBox`: a raw one elsewhere would be the sink again.
    #[test]
    fn no_raw_textarea_outside_the_safe_component() {
        fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("ui.rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    // Markup in a `view!`, not a string literal (attack strings in tests are fine).
                    let tag = concat!("<", "textarea");
                    if text.match_indices(tag).any(|(i, _)| !text[..i].ends_with('"')) {
                        found.push(path.display().to_string());
                    }
                }
            }
        }
        let mut found = Vec::new();
        walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut found);
        assert!(found.is_empty(), "raw <textarea> in {found:?}: use ui::TextBox");
    }
}
