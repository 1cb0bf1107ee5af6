//! `/notifications` (the list, read marks, and what to be emailed about) and
//! `/unsubscribe/{user}/{kind}/{mac}` (stop one kind of email, from an email, signed in or
//! not). The header's unread count is the `UnreadBadge` island.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    api::{
        list_notifications, load_preferences, unsubscribe_link, MarkAllRead, MarkRead, SavePreferences, Unsubscribe,
    },
    Delivery, NotificationItem,
};
use crate::ui::{action_error, FormError};

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse::<i64>().ok()));
    let saved = move || query.with(|q| q.get("saved").is_some());
    let mark = ServerAction::<MarkRead>::new();
    let mark_all = ServerAction::<MarkAllRead>::new();
    let save = ServerAction::<SavePreferences>::new();
    let list = Resource::new(
        move || (page(), mark.version().get(), mark_all.version().get()),
        |(p, ..)| list_notifications(p),
    );
    let prefs = Resource::new(move || save.version().get(), |_| load_preferences());
    let error = Signal::derive(move || {
        action_error(mark).get().or_else(|| action_error(mark_all).get()).or_else(|| action_error(save).get())
    });
    view! {
        <Title text="Notifications"/>
        <h1>"Notifications"</h1>
        <FormError error/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || list.get().map(|l| match l {
                Err(e) => view! {
                    <p class="error-summary" role="alert">{e.to_string()}</p>
                    <p><a href="/login">"Sign in"</a></p>
                }.into_any(),
                Ok(l) => {
                    let page = l.page;
                    view! {
                        <p>{match l.unread { 0 => "Nothing new.".to_string(), 1 => "1 new notification.".to_string(), n => format!("{n} new notifications.") }}</p>
                        {(l.unread > 0).then(|| view! {
                            <ActionForm action=mark_all attr:class="inline-form">
                                <button type="submit" class="button secondary">"Mark all as read"</button>
                            </ActionForm>
                        })}
                        {if l.items.is_empty() {
                            view! { <p>"You have no notifications yet. When something you care about happens, it will be listed here."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="notifications">
                                    {l.items.into_iter().map(|n| view! { <Item n page mark/> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <nav aria-label="Pages of notifications" class="pager">
                            {(page > 0).then(|| view! { <a href=format!("/notifications?page={}", page - 1)>"Newer"</a> })}
                            {l.has_more.then(|| view! { <a href=format!("/notifications?page={}", page + 1)>"Older"</a> })}
                        </nav>
                    }.into_any()
                }
            })}
        </Suspense>
        <section id="preferences" aria-labelledby="preferences-heading">
            <h2 id="preferences-heading">"What we email you about"</h2>
            {move || saved().then(|| view! { <p class="notice" role="status">"Your choices are saved."</p> })}
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || prefs.get().map(|p| match p {
                    Err(_) => ().into_any(),
                    Ok(p) => view! {
                        {(!p.sending).then(|| view! {
                            <p class="hint">"This site is not sending email at the moment; your choices will apply when it does."</p>
                        })}
                        <ActionForm action=save attr:class="form">
                            <div class="check">
                                <input type="checkbox" id="paused" name="paused" value="on" checked=p.paused/>
                                <label for="paused">"Pause every notification email (they are still listed here)"</label>
                            </div>
                            {p.kinds.into_iter().map(|c| {
                                let kind = c.kind;
                                if kind.configurable() {
                                    let name = format!("delivery[{}]", kind.as_str());
                                    view! {
                                        <fieldset class="field">
                                            <legend>{kind.label()}</legend>
                                            {Delivery::ALL.into_iter().map(|d| {
                                                let id = format!("{}-{}", kind.as_str(), d.as_str());
                                                view! {
                                                    <div class="check">
                                                        <input type="radio" id=id.clone() name=name.clone() value=d.as_str() checked=c.delivery == d/>
                                                        <label for=id>{d.label()}</label>
                                                    </div>
                                                }
                                            }).collect_view()}
                                        </fieldset>
                                    }.into_any()
                                } else {
                                    view! {
                                        <p>{kind.label()}": "<strong>"always emailed at once"</strong>", even when paused: someone may need help."</p>
                                    }.into_any()
                                }
                            }).collect_view()}
                            <button type="submit" class="button">"Save my choices"</button>
                        </ActionForm>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Item(n: NotificationItem, page: i64, mark: ServerAction<MarkRead>) -> impl IntoView {
    let label = format!("Mark as read: {}", n.text);
    view! {
        <li class=("unread", n.unread)>
            <a href=n.link.clone()>{n.text.clone()}</a>
            <span class="small">{format!(" {}", n.when)}{if n.unread { " (new)" } else { "" }}</span>
            {n.unread.then(|| view! {
                <ActionForm action=mark attr:class="inline-form">
                    <input type="hidden" name="id" value=n.id.to_string()/>
                    <input type="hidden" name="page" value=page.to_string()/>
                    <button type="submit" class="button small secondary" aria-label=label.clone()>"Mark as read"</button>
                </ActionForm>
            })}
        </li>
    }
}

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let parts = move || {
        params.with(|p| {
            (
                p.get("user").and_then(|u| u.parse::<i64>().ok()).unwrap_or(0),
                p.get("kind").unwrap_or_default(),
                p.get("mac").unwrap_or_default(),
            )
        })
    };
    let done = move || query.with(|q| q.get("done").is_some());
    let what = Resource::new(parts, |(u, k, m)| unsubscribe_link(u, k, m));
    let action = ServerAction::<Unsubscribe>::new();
    let error = action_error(action);
    view! {
        <Title text="Stop these emails"/>
        <h1>"Stop these emails"</h1>
        <FormError error/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || what.get().map(|w| match w {
                Err(_) => view! {
                    <p class="error-summary" role="alert">"This link does not work. It may be mistyped, or the account may be closed. You can choose what you hear about on your notifications page once signed in."</p>
                }.into_any(),
                Ok(_) if done() => view! {
                    <p class="notice" role="status">"Done. We will not send you those emails. You can change this at any time on your notifications page."</p>
                    <p><a href="/notifications#preferences">"Your notification choices"</a></p>
                }.into_any(),
                Ok(what) => {
                    let (user, kind, mac) = parts();
                    view! {
                        <p>{format!("This stops {what}. You will still see them listed on your notifications page.")}</p>
                        <ActionForm action attr:class="form narrow">
                            <input type="hidden" name="user" value=user.to_string()/>
                            <input type="hidden" name="kind" value=kind/>
                            <input type="hidden" name="mac" value=mac/>
                            <button type="submit" class="button">"Stop these emails"</button>
                        </ActionForm>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// The header's link to notifications with the unread count; with JavaScript on, it asks
/// again every minute, so a page left open shows news.
#[island]
pub fn UnreadBadge(unread: i64) -> impl IntoView {
    let count = RwSignal::new(unread);
    #[cfg(feature = "hydrate")]
    if let Ok(handle) = set_interval_with_handle(
        move || {
            leptos::task::spawn_local(async move {
                if let Ok(n) = super::api::unread_count().await {
                    count.set(n);
                }
            })
        },
        std::time::Duration::from_secs(60),
    ) {
        on_cleanup(move || handle.clear());
    }
    view! {
        <a href="/notifications">
            "Notifications"
            {move || match count.get() {
                0 => view! { <span class="visually-hidden">", nothing new"</span> }.into_any(),
                n => view! { " " <span class="badge">{n.to_string()}<span class="visually-hidden">" new"</span></span> }.into_any(),
            }}
        </a>
    }
}
