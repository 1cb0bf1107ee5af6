//! Sign in, register (open or by invitation), and the account page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    api::{account, invitation, ChangePassword, Login, Register, UpdateProfile},
    fields::{PASSWORD_MAX, PASSWORD_MIN},
    reset::{reset_link, ForgotPassword, ResetPassword, RESET_MINUTES},
    Perspective,
};
use crate::{
    layout::SiteResource,
    ui::{action_error, Field, FormError},
};

const PASSWORD_HINT: &str = "12 to 128 characters. A few words you will remember works well.";

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = action_error(login);
    let query = use_query_map();
    // Only a fixed sentence is shown for a fixed value: nothing from the URL is displayed.
    let deleting = move || query.with(|q| q.get("deletion").as_deref() == Some("requested"));
    view! {
        <Title text="Sign in"/>
        <h1>"Sign in"</h1>
        {move || deleting().then(|| view! {
            <div class="notice" role="status">
                <p>{format!("Your account will be deleted in {} days, and you have been signed out everywhere.", crate::privacy::GRACE_DAYS)}</p>
                <p>"If you change your mind, sign in before then: that cancels the deletion."</p>
            </div>
        })}
        <ActionForm action=login attr:class="form narrow">
            <FormError error/>
            <Field name="email" label="Email address" kind="email" autocomplete="username" error/>
            <Field name="password" label="Password" kind="password" autocomplete="current-password" error/>
            <button type="submit" class="button">"Sign in"</button>
        </ActionForm>
        <p><a href="/login/forgot">"Forgot your password?"</a></p>
        <p>"New here? " <a href="/register">"Create an account"</a> "."</p>
    }
}

/// `/login/forgot`: asks for the address and emails a reset link.
#[component]
pub fn ForgotPage() -> impl IntoView {
    let forgot = ServerAction::<ForgotPassword>::new();
    let error = action_error(forgot);
    let query = use_query_map();
    let sent = move || query.with(|q| q.get("sent").is_some());
    view! {
        <Title text="Forgot your password?"/>
        <h1>"Forgot your password?"</h1>
        {move || sent().then(|| view! {
            <div class="notice" role="status">
                <p>{format!("If an account uses that address, we have emailed it a link to choose a new password. The link works once, for {RESET_MINUTES} minutes.")}</p>
                <p>"Nothing arrived? Check your junk folder, or ask a facilitator: they can make you a link."</p>
            </div>
        })}
        <p>"Type the email address you signed up with. We will email you a link to choose a new password."</p>
        <ActionForm action=forgot attr:class="form narrow">
            <FormError error/>
            <Field name="email" label="Email address" kind="email" autocomplete="username" error/>
            <button type="submit" class="button">"Email me a link"</button>
        </ActionForm>
        <p><a href="/login">"Back to sign in"</a></p>
    }
}

/// `/reset/{token}`: chooses a new password through a link from an email or a facilitator.
#[component]
pub fn ResetPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let live = Resource::new(token, reset_link);
    let reset = ServerAction::<ResetPassword>::new();
    let error = action_error(reset);
    view! {
        <Title text="Choose a new password"/>
        <h1>"Choose a new password"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || live.get().map(|l| match l {
                Err(e) => view! {
                    <p class="error-summary" role="alert">{e.to_string()}</p>
                    <p><a href="/login/forgot">"Ask for a new link"</a></p>
                }.into_any(),
                Ok(()) => view! {
                    <p>"Choosing a new password signs you out everywhere else."</p>
                    <ActionForm action=reset attr:class="form narrow">
                        <FormError error/>
                        <input type="hidden" name="token" value=token()/>
                        <Field name="new_password" label="New password" kind="password" autocomplete="new-password"
                            hint=PASSWORD_HINT error/>
                        <Field name="confirm_password" label="New password again" kind="password" autocomplete="new-password" error/>
                        <button type="submit" class="button">"Save my new password"</button>
                    </ActionForm>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn RegisterForm(
    #[prop(optional)] invitation: Option<String>,
    #[prop(optional)] email: Option<String>,
) -> impl IntoView {
    let register = ServerAction::<Register>::new();
    let error = action_error(register);
    view! {
        <ActionForm action=register attr:class="form narrow">
            <FormError error/>
            <input type="hidden" name="invitation" value=invitation.unwrap_or_default()/>
            <Field name="display_name" label="Your name" autocomplete="nickname"
                hint="Shown beside what you write. A first name or a nickname is fine." error/>
            <Field name="email" label="Email address" kind="email" autocomplete="email" value=email.unwrap_or_default() error/>
            <Field name="password" label="Choose a password" kind="password" autocomplete="new-password" hint=PASSWORD_HINT error/>
            <button type="submit" class="button">"Create account"</button>
        </ActionForm>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let info = expect_context::<SiteResource>();
    view! {
        <Title text="Register"/>
        <h1>"Create an account"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || info.get().map(|i| match i {
                Ok(i) if i.open_registration => view! {
                    <p>"With an account you can comment on proposals and answer consultations. "
                       "You choose, each time, whether you may be quoted."</p>
                    <RegisterForm/>
                }.into_any(),
                Ok(_) => view! {
                    <p>"Registration is by invitation only at the moment. Please ask a facilitator for an invitation link."</p>
                }.into_any(),
                Err(e) => view! { <p class="error-summary" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
        <p>"Already have an account? " <a href="/login">"Sign in"</a> "."</p>
    }
}

#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let offer = Resource::new(token, invitation);
    view! {
        <Title text="Your invitation"/>
        <h1>"You have been invited"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || offer.get().map(|o| match o {
                Ok(o) => view! {
                    <p>{format!("You are invited to join {} as: {}.", o.collaborative, o.role.label())}</p>
                    <RegisterForm invitation=token() email=o.email.unwrap_or_default()/>
                }.into_any(),
                Err(e) => view! { <p class="error-summary" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let details = Resource::new(|| (), |_| account());
    let query = use_query_map();
    let saved = move || query.with(|q| q.get("saved"));
    let profile = ServerAction::<UpdateProfile>::new();
    let password = ServerAction::<ChangePassword>::new();
    let profile_error = action_error(profile);
    let password_error = action_error(password);
    view! {
        <Title text="Your account"/>
        <h1>"Your account"</h1>
        {move || saved().map(|what| view! {
            <p class="notice" role="status">{match what.as_str() {
                "password" | "reset" => "Your new password is saved. You have been signed out everywhere else.",
                "deletion_cancelled" => "Welcome back. Signing in has cancelled the deletion of your account: nothing has been deleted.",
                _ => "Your changes are saved.",
            }}</p>
        })}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || details.get().map(|d| match d {
                Err(e) => view! {
                    <p class="error-summary" role="alert">{e.to_string()}</p>
                    <p><a href="/login">"Sign in"</a></p>
                }.into_any(),
                Ok(d) => view! {
                    <dl class="facts">
                        <dt>"Email"</dt><dd>{d.email.clone()}</dd>
                        <dt>"Role"</dt><dd>{d.role.label()}</dd>
                    </dl>
                    <h2>"About you"</h2>
                    <ActionForm action=profile attr:class="form">
                        <FormError error=profile_error/>
                        <Field name="display_name" label="Your name" autocomplete="nickname" value=d.display_name.clone() error=profile_error/>
                        <fieldset>
                            <legend>"Perspectives you speak from (optional)"</legend>
                            <p class="hint">"These help show whose voices were heard. They never change what you can do, and you can change them at any time."</p>
                            {Perspective::ALL.into_iter().map(|p| {
                                let id = format!("p-{}", p.as_str());
                                view! {
                                    <div class="check">
                                        <input type="checkbox" id=id.clone() name=p.as_str() value="on" checked=d.perspectives.contains(&p)/>
                                        <label for=id>{p.label()}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                        <button type="submit" class="button">"Save"</button>
                    </ActionForm>
                    <crate::feedback::pages::MyContributions/>
                    <h2>"Your data"</h2>
                    <p><a href="/account/data">"Download your data, or delete your account"</a></p>
                }.into_any(),
            })}
        </Suspense>
        <h2>"Change your password"</h2>
        <ActionForm action=password attr:class="form narrow">
            <FormError error=password_error/>
            <Field name="current_password" label="Current password" kind="password" autocomplete="current-password" error=password_error/>
            <Field name="new_password" label="New password" kind="password" autocomplete="new-password"
                hint=PASSWORD_HINT error=password_error/>
            <Field name="confirm_password" label="New password again" kind="password" autocomplete="new-password" error=password_error/>
            <button type="submit" class="button">"Change password"</button>
        </ActionForm>
        <p class="small">{format!("Passwords are {PASSWORD_MIN} to {PASSWORD_MAX} characters and stored only as a one-way hash.")}</p>
    }
}
