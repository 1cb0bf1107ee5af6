//! The page frame: skip link, header with the collaborative's name and navigation,
//! main landmark, footer with crisis signposting. Also the 404 page.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_location};

use crate::{
    auth::{
        api::{site_info, Logout},
        Role, Site,
    },
    error::AppError,
};

/// The site information for the current URL; pages read it for who is signed in.
pub type SiteResource = Resource<Result<Site, AppError>>;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let location = use_location();
    // Keyed on the URL: every sign-in, sign-out and account change redirects somewhere new,
    // so the header is always current, with or without a full page load.
    let info: SiteResource = Resource::new(move || (location.pathname.get(), location.search.get()), |_| site_info());
    provide_context(info);

    view! {
        <a class="skip-link" href="#main">"Skip to main content"</a>
        <Suspense fallback=|| ()>
            {move || info.get().and_then(Result::ok).filter(|i| i.demo).map(|_| view! { <DemoBanner/> })}
        </Suspense>
        <header class="site-header">
            <div class="wrap header-row">
                <a class="brand" href="/">
                    <span class="brand-lab">"Living Well Lab"</span>
                    <Suspense fallback=|| ()>
                        {move || info.get().and_then(Result::ok).map(|i| view! { <span class="brand-collab">{i.collaborative}</span> })}
                    </Suspense>
                </a>
                <Suspense fallback=|| ()>
                    {move || info.get().map(|i| view! { <Nav info=i.ok()/> })}
                </Suspense>
            </div>
        </header>
        <main id="main" class="wrap" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <div class="wrap">
                <CrisisSupport/>
                <p class="small">"Living Well Lab: where the collaborative designs adult mental-health services together."</p>
            </div>
        </footer>
    }
}

#[component]
fn Nav(info: Option<Site>) -> impl IntoView {
    let user = info.as_ref().and_then(|i| i.user.clone());
    let open = info.as_ref().is_some_and(|i| i.open_registration);
    let logout = ServerAction::<Logout>::new();
    view! {
        <nav aria-label="Main">
            <ul class="nav">
                <li><A href="/" exact=true>"Home"</A></li>
                <li><A href="/consultations">"Consultations"</A></li>
                {match user {
                    Some(u) => view! {
                        <li><A href="/prototypes">"Prototypes"</A></li>
                        <li><A href="/rollout">"Roll-out"</A></li>
                        {(u.role >= Role::Member).then(|| view! { <li><A href="/meetings">"Meetings"</A></li> <li><A href="/library">"Library"</A></li> })}
                        {(u.role == Role::Facilitator).then(|| view! { <li><A href="/moderation">"Moderation"</A></li> <li><A href="/members">"Members"</A></li> <li><A href="/settings">"Settings"</A></li> })}
                        <li><crate::notifications::pages::UnreadBadge unread=u.unread/></li>
                        <li><A href="/account">"Your account"</A></li>
                        <li>
                            // A plain GET form: search works the same with and without JavaScript.
                            <form method="get" action="/search" role="search" class="header-search">
                                <label for="header-search" class="visually-hidden">"Search the lab"</label>
                                <input id="header-search" name="q" type="search" placeholder="Search"/>
                                <button type="submit" class="link-button">"Search"</button>
                            </form>
                        </li>
                        <li>
                            <ActionForm action=logout attr:class="inline-form">
                                <button type="submit" class="link-button">"Sign out"</button>
                            </ActionForm>
                        </li>
                    }.into_any(),
                    None => view! {
                        <li><A href="/login">"Sign in"</A></li>
                        {open.then(|| view! { <li><A href="/register">"Register"</A></li> })}
                    }.into_any(),
                }}
            </ul>
        </nav>
    }
}

/// On every page of a demo site: anyone may sign in as anyone there, so no one should
/// mistake it for the real thing or write anything real into it.
#[component]
fn DemoBanner() -> impl IntoView {
    view! {
        <div class="demo-banner" role="note" aria-label="Demo site">
            <p class="wrap"><strong>"Demo site: accounts and data here are made up; the password is public."</strong>
            " Do not write anything real or personal here."</p>
        </div>
    }
}

/// Crisis signposting, on every page (the collaborative's own text; UK default).
#[component]
pub fn CrisisSupport() -> impl IntoView {
    view! { <crate::safeguarding::Signposting/> }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <leptos_meta::Title text="Page not found"/>
        <h1>"We could not find that page"</h1>
        <p>"The link may be old or mistyped. You could go to the " <a href="/">"home page"</a> " and start from there."</p>
    }
}
