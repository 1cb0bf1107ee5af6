//! The "you said, we did" form: link a response or comment to the iteration that acted on
//! it, or say why it was not taken forward.

use leptos::prelude::*;

use crate::feedback::{api::SetOutcome, ItemKind};

#[component]
pub fn OutcomeForm(
    action: ServerAction<SetOutcome>,
    kind: ItemKind,
    id: i64,
    back: String,
    iterations: Vec<i64>,
    /// Makes the controls' ids unique on the page (a response can show once per answer).
    dom_key: String,
    #[prop(default = "form")] class: &'static str,
) -> impl IntoView {
    view! {
        <ActionForm action attr:class=class>
            <input type="hidden" name="kind" value=kind.as_str()/>
            <input type="hidden" name="id" value=id.to_string()/>
            <input type="hidden" name="back" value=back/>
            <label for=format!("acted-{dom_key}")>"Acted on in"</label>
            <select id=format!("acted-{dom_key}") name="iteration">
                <option value="">"Not acted on"</option>
                {iterations.iter().map(|n| view! { <option value=n.to_string()>{format!("Iteration {n}")}</option> }).collect_view()}
            </select>
            <label for=format!("why-{dom_key}")>"or why it was not taken forward"</label>
            <input id=format!("why-{dom_key}") name="reason" type="text"/>
            <button type="submit" class="button small">"Record"</button>
        </ActionForm>
    }
}
