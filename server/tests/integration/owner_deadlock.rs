//! The patched reactive_graph (vendor/reactive_graph, see Cargo.toml): looking up a context
//! while the request that owns the parent goes away must not deadlock. Upstream 0.2.16 held
//! the child's lock while the last handle to the parent was dropped; the parent's clean-up
//! then locked the child again and the worker thread hung (seen under load when clients
//! disconnect mid-page). Here the last handle goes inside the lookup, deterministically.

use std::{sync::mpsc, thread, time::Duration};

use leptos::prelude::*;

#[test]
fn a_context_lookup_survives_its_parent_going_away() {
    let (done, finished) = mpsc::channel();
    thread::spawn(move || {
        let parent = Owner::new();
        let child = parent.with(|| {
            provide_context(7_i32);
            Owner::new()
        });
        let mut parent = Some(parent);
        let seen = child.with(|| {
            with_context::<i32, _>(|v| {
                // The request's owner is dropped while its context is being read.
                parent.take();
                *v
            })
        });
        done.send(seen).unwrap();
    });
    // The thread answers at once; a deadlock would never answer (the limit only stops the
    // test from hanging the suite).
    let seen = finished.recv_timeout(Duration::from_secs(30)).expect("the lookup deadlocked");
    assert_eq!(seen, Some(7));
}
