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

/// What a control's `aria-describedby` names: its hint, and its error while there is one.
fn described_by(name: &'static str, has_hint: bool, error: Signal<Option<AppError>>) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static {
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("f-{name}-hint"));
        }
        if error.get().and_then(|e| e.for_field(name)).is_some() {
            ids.push(format!("f-{name}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
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
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let message = move || error.get().and_then(|e| e.for_field(name));
    let described = described_by(name, !hint.is_empty(), error);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {(!hint.is_empty()).then(|| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            {move || message().map(|m| view! { <p class="field-error" id=err_id.clone()>{m}</p> })}
            <input
                id=id
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
    if let (Some(res), Ok(status)) = (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(error.status())) {
        res.set_status(status);
    }
    let sign_in = matches!(error, AppError::NotSignedIn);
    view! {
        <p class="error-summary" role="alert">{error.to_string()}</p>
        {sign_in.then(|| view! { <p><a href="/login">"Sign in"</a></p> })}
    }
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
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let message = move || error.get().and_then(|e| e.for_field(name));
    let described = described_by(name, !hint.is_empty(), error);
    let kept = move || error.get().and_then(|e| e.kept(name)).filter(|k| !k.is_empty());
    let initial = kept().unwrap_or(value);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {(!hint.is_empty()).then(|| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            {move || message().map(|m| view! { <p class="field-error" id=err_id.clone()>{m}</p> })}
            <textarea
                id=id
                name=name
                rows=rows
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=described
                on:input=move |ev| if let Some(cb) = on_input { cb.run(event_target_value(&ev)) }
            >{initial}</textarea>
        </div>
    }
}
